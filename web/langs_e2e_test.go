package web_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// langsResult is what web/e2e/langs.mjs saw: pages looked at, and per
// screenshot the axe findings, the sideways scroll and the markup shown as
// text.
type langsResult struct {
	Pages, Wrapped         int
	A11y, Overflow, Markup map[string]int
	Manual                 map[string]string  // the refusal of Book by hand, by language and screen
	Confirm                map[string]string  // what accepting a plan will do, by language and screen
	Moves                  map[string]int     // options of the move list, by language and screen
	Header                 map[string]float64 // the staff header's height in px, by language and screen
}

// TestBrowserStaffInFinnishAndSwedish looks at every staff page (a held
// case and a booked case's other times among them) in Chromium in Finnish
// and in Swedish, on a desktop and on a 390 px phone: no markup shows as
// text, axe finds nothing serious, nothing scrolls sideways. On each it
// books a case by hand where the interviewer or room is taken: the form
// stays open with the choices and names what was taken.
func TestBrowserStaffInFinnishAndSwedish(t *testing.T) {
	t.Parallel()
	root, node := browserTools(t)
	e := newEnv(t)
	_, paths := staffPages(t, e)
	planID, err := strconv.ParseInt(strings.TrimPrefix(paths[planPage], "/plans/"), 10, 64)
	require.NoError(t, err)
	done, err := e.db.Plan(context.Background(), planID, true)
	require.NoError(t, err)
	changing := changingPlan(t, e, done)
	pages, err := json.Marshal(paths)
	require.NoError(t, err)
	mc := manualConflict(t, e)
	manual, err := json.Marshal(mc)
	require.NoError(t, err)
	var res langsResult
	runScript(t, root, node, "langs.mjs", e.srv.URL, 8*time.Minute, &res,
		"MANAGER_TOKEN="+e.manager, "PAGES="+string(pages), "MANUAL="+string(manual), "PLAN="+changing,
		"MOVES="+paths[bookedPage], "HELD="+paths[heldPage])
	require.Equal(t, 4*(len(paths)+5), res.Pages, "every page in two languages on two screens")
	require.Len(t, res.Markup, res.Pages)
	require.Zero(t, res.Wrapped, "ids wrapped inside")
	for name, n := range res.Markup {
		require.Zero(t, n, "%s: markup shown as text", name)
		require.LessOrEqual(t, res.Overflow[name], 0, "%s scrolls sideways", name)
	}
	require.Len(t, res.Moves, 4)
	// A compact header on a phone: a manager's took ~197 px of it, now ~145.
	require.Len(t, res.Header, 4)
	for _, k := range []string{"fi-phone", "sv-phone"} {
		require.LessOrEqual(t, res.Header[k], 150.0, "%s: the header is %v px high", k, res.Header[k])
	}
	// Accepting the plan asks first, with the move and the booking kept.
	require.Len(t, res.Confirm, 4)
	// Book by hand refused: the room or person taken, by name.
	require.Len(t, res.Manual, 4)
	for k, text := range res.Manual {
		require.True(t, strings.Contains(text, mc.RoomName+" ("+mc.Room+")") ||
			strings.Contains(text, mc.InterviewerName+" ("+mc.Interviewer+")"), "%s: %s", k, text)
	}
}
