package web_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestBrowserClerkSetsMeetingLink: in headless Chromium, on a desktop and a
// 390 px phone, a clerk switches to Finnish on a booking page, has a link
// that is not https refused (the form keeps it), sets the booking's own
// link and clears it again; axe finds nothing serious and no page scrolls
// sideways (web/e2e/meetlink.mjs).
func TestBrowserClerkSetsMeetingLink(t *testing.T) {
	t.Parallel()
	root, node := browserTools(t)
	e := newEnv(t)
	const office = "https://meet.example.org/office"
	b, _ := meetingBookings(t, e, office)
	own := "https://meet.example.org/a-rather-long-room-name-for-booking-" + strconv.FormatInt(b.ID, 10) + "?pwd=0123456789abcdef0123456789abcdef"
	var res struct {
		Runs []struct{ Before, To, Problem, Kept, Flash, Set, Cleared string }
		A11y map[string]int
	}
	runScript(t, root, node, "meetlink.mjs", e.srv.URL, 3*time.Minute, &res,
		"CLERK_TOKEN="+e.clerk, "BOOKING=/bookings/"+strconv.FormatInt(b.ID, 10), "LINK="+own)
	require.Len(t, res.Runs, 2)
	for i, r := range res.Runs {
		require.Equal(t, office+" ("+textOf("fi", "bk.meet.office")+")", r.Before, i)
		require.Equal(t, textOf("fi", "bk.meet.to.interpreter"), r.To, i)
		require.Equal(t, textOf("fi", "bk.meet.bad"), r.Problem, i)
		require.Equal(t, "http://meet.example.org/plain", r.Kept, i)
		require.Equal(t, textOf("fi", "flash.meet.set", b.ID), r.Flash, i)
		require.Equal(t, own+" ("+textOf("fi", "bk.meet.own")+")", r.Set, i)
		require.Equal(t, office+" ("+textOf("fi", "bk.meet.office")+")", r.Cleared, i)
	}
	require.Len(t, res.A11y, 4)
	requireOwnLink(t, e, b.ID, "")
}
