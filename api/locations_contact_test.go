package api_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/resources"
)

// An office's street address and meeting link are set and read through
// the location resource, checked as the store checks them: one line, and
// an https link.
func TestLocationAddressAndMeetingURL(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	m := resources.RoleManager
	r := e.do(m, "POST", "/v1/locations", map[string]any{"id": "HEL", "name": "Helsinki",
		"address": " Kauppakatu 1, 00100 Helsinki ", "meeting_url": "https://meet.example/hel"})
	require.Equal(t, 201, r.Status, "%s", r.Body)
	var got resources.Location
	e.do(resources.RoleClerk, "GET", "/v1/locations/HEL", nil).json(t, &got)
	require.Equal(t, "Kauppakatu 1, 00100 Helsinki", got.Address)
	require.Equal(t, "https://meet.example/hel", got.MeetingURL)

	for name, tc := range map[string]struct {
		body  map[string]any
		field string
	}{
		"an http link":       {map[string]any{"meeting_url": "http://meet.example/hel"}, "meeting_url"},
		"no host":            {map[string]any{"meeting_url": "https:///x"}, "meeting_url"},
		"a user in the link": {map[string]any{"meeting_url": "https://me:secret@meet.example/"}, "meeting_url"},
		"two lines":          {map[string]any{"address": "Kauppakatu 1\n00100 Helsinki"}, "address"},
		"too long":           {map[string]any{"address": strings.Repeat("a", 301)}, "address"},
	} {
		body := map[string]any{"id": "HEL", "name": "Helsinki"}
		for k, v := range tc.body {
			body[k] = v
		}
		r = e.do(m, "PUT", "/v1/locations/HEL", body)
		require.Equal(t, 400, r.Status, "%s: %s", name, r.Body)
		require.Contains(t, string(r.Body), `"`+tc.field+`"`, name)
	}
	// Unchanged by the refused ones; a PUT without them clears them.
	e.do(resources.RoleClerk, "GET", "/v1/locations/HEL", nil).json(t, &got)
	require.Equal(t, "https://meet.example/hel", got.MeetingURL)
	r = e.do(m, "PUT", "/v1/locations/HEL", map[string]any{"id": "HEL", "name": "Helsinki", "address": "Kauppakatu 2"})
	require.Equal(t, 200, r.Status, "%s", r.Body)
	got = resources.Location{}
	e.do(resources.RoleClerk, "GET", "/v1/locations/HEL", nil).json(t, &got)
	require.Equal(t, "Kauppakatu 2", got.Address)
	require.Empty(t, got.MeetingURL)
}
