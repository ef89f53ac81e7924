package api_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/resources"
)

// A clerk gives a booking its own meeting link with PATCH /v1/bookings/{id}:
// checked as an office's, shown by GET, "" gives the office's back, and a
// cancelled booking keeps what it had.
func TestBookingMeetingURL(t *testing.T) {
	t.Parallel()
	e, _, _, _ := newPortalAPIEnv(t)
	c := resources.RoleClerk
	r := e.do(c, "POST", "/v1/interviews/I-1/booking", map[string]any{"start": "2026-12-07T08:00:00+02:00", "room": "HEL-R1",
		"interviewer": "e1", "interpreter": "t1", "mode": "onsite"})
	require.Equal(t, 201, r.Status, "%s", r.Body)
	var b resources.Booking
	r.json(t, &b)
	path := fmt.Sprintf("/v1/bookings/%d", b.ID)

	r = e.do(c, "PATCH", path, map[string]string{"meeting_url": "https://meet.example/b/1"})
	require.Equal(t, 200, r.Status, "%s", r.Body)
	require.Contains(t, string(r.Body), `"meeting_url":"https://meet.example/b/1"`)
	r = e.do(c, "GET", path, nil)
	require.Contains(t, string(r.Body), `"meeting_url":"https://meet.example/b/1"`)

	for name, body := range map[string]any{
		"an http link":   map[string]string{"meeting_url": "http://meet.example/b/1"},
		"not a link":     map[string]string{"meeting_url": "meet.example"},
		"no meeting_url": map[string]string{},
		"another field":  map[string]string{"meeting_url": "https://meet.example/b/2", "room": "HEL-R2"},
	} {
		r = e.do(c, "PATCH", path, body)
		require.Equal(t, 400, r.Status, "%s: %s", name, r.Body)
	}
	r = e.do(c, "GET", path, nil)
	require.Contains(t, string(r.Body), `"meeting_url":"https://meet.example/b/1"`, "a refused PATCH changed the link")
	require.Equal(t, 404, e.do(c, "PATCH", "/v1/bookings/999999", map[string]string{"meeting_url": ""}).Status)

	r = e.do(c, "PATCH", path, map[string]string{"meeting_url": ""})
	require.Equal(t, 200, r.Status, "%s", r.Body)
	require.NotContains(t, string(r.Body), "meeting_url")

	r = e.do(c, "POST", path+"/cancel", map[string]string{"reason": "withdrawn"})
	require.Equal(t, 200, r.Status, "%s", r.Body)
	r = e.do(c, "PATCH", path, map[string]string{"meeting_url": "https://meet.example/b/3"})
	require.Equal(t, 409, r.Status, "%s", r.Body)
}
