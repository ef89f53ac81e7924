package api_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/calendars"
	"github.com/asylum-scheduling/interviews/calendars/calendarstest"
	"github.com/asylum-scheduling/interviews/resources"
)

// A booking that moves from one interpreter to another shows CANCELLED in
// the first one's feed (same UID, the higher SEQUENCE) for as long as a
// cancellation does, then drops out; the new interpreter's feed has it
// confirmed. Read by the third-party parsers.
func TestFeedShowsABookingMovedAwayAsCancelled(t *testing.T) {
	t.Parallel()
	e, clk := newFeedEnv(t)
	b1 := e.bookingID("I-1") // 27 March 08:30, HEL-R1, e1, t1 on site
	_, t1 := e.newFeed("interpreter", "t1")
	_, t2 := e.newFeed("interpreter", "t2")
	clk.Add(time.Hour)
	r := e.do(resources.RoleClerk, "POST", fmt.Sprintf("/v1/bookings/%d/reschedule", b1),
		map[string]any{"start": "2027-03-27T08:30:00+02:00", "room": "HEL-R1", "interviewer": "e1", "interpreter": "t2",
			"mode": "onsite", "reason": "t1 is ill"})
	require.Equal(t, 200, r.Status, "%s", r.Body)
	movedAt := clk.Now()

	check := func(path, status string, present bool) {
		t.Helper()
		r := e.do("", "GET", path, nil)
		require.Equal(t, 200, r.Status)
		for parser, d := range calendarstest.ParseAll(t, r.Body) {
			g, ok := d.ByUID(t)[uid(b1)]
			require.Equal(t, present, ok, "%s %s at %s", path, parser, clk.Now())
			if ok {
				require.Equal(t, status, g.Status, parser)
				require.Equal(t, 1, g.Sequence, "%s: the move's sequence", parser)
				require.Equal(t, "2027-03-27T06:30:00Z", g.Start, parser)
			}
		}
	}
	check(t1, "CANCELLED", true)
	check(t2, "CONFIRMED", true)
	clk.Add(calendars.CancelledKeep - time.Second - clk.Now().Sub(movedAt))
	check(t1, "CANCELLED", true)
	clk.Add(time.Second)
	check(t1, "", false)
	check(t2, "CONFIRMED", true)
}
