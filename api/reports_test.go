package api_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/resources"
)

// The automation report counts the bookings made in the test by how they
// came about: two suggestions taken (one the first), one placement by hand
// that waits longer than it need and its move by hand (each with the
// clerk's reason), and one plan item accepted.
func TestAutomationReportCountsTheBookingsMade(t *testing.T) {
	t.Parallel()
	e, _, _ := newBookingEnv(t, nil)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		require.NoError(t, e.deps.Planner.Close(ctx))
	})
	c := resources.RoleClerk
	book := func(iv string, body map[string]any) int64 {
		t.Helper()
		r := e.do(c, "POST", "/v1/interviews/"+iv+"/booking", body)
		require.Equal(t, 201, r.Status, "%s", r.Body)
		var b resources.Booking
		r.json(t, &b)
		return b.ID
	}
	first := e.suggest("I-1", map[string]any{})
	require.NotEmpty(t, first.Suggestions)
	book("I-1", map[string]any{"suggestion_id": first.Suggestions[0].ID})
	second := e.suggest("I-2", map[string]any{})
	require.Greater(t, len(second.Suggestions), 1)
	book("I-2", map[string]any{"suggestion_id": second.Suggestions[1].ID})
	// By hand, on the last day although the first is free: it waits.
	hand := book("F-1", map[string]any{"start": "2026-12-09T14:00:00+02:00", "room": "HEL-R2", "interviewer": "e1", "mode": "none",
		"reason": "the applicant asked for Wednesday"})
	r := e.do(c, "POST", "/v1/bookings/"+itoa(hand)+"/reschedule", map[string]any{"start": "2026-12-09T15:00:00+02:00", "room": "HEL-R2",
		"interviewer": "e1", "mode": "none", "reason": "an hour later"})
	require.Equal(t, 200, r.Status, "%s", r.Body)

	// A plan for the rest; one of its new bookings accepted.
	m := resources.RoleManager
	r = e.do(m, "POST", "/v1/plans", map[string]any{"from": "2026-12-07", "to": "2026-12-09", "time_limit": "1s"})
	require.Equal(t, 202, r.Status, "%s", r.Body)
	var started resources.Plan
	r.json(t, &started)
	done := e.waitPlan(started.ID)
	require.Equal(t, "done", done.Status, done.Error)
	require.NotEmpty(t, done.Result.Diff.New)
	r = e.do(m, "POST", "/v1/plans/"+itoa(started.ID)+"/accept", map[string]any{"items": []string{done.Result.Diff.New[0]}})
	require.Equal(t, 200, r.Status, "%s", r.Body)

	require.Equal(t, 403, e.do(c, "GET", "/v1/reports/automation?from=2026-11-01&to=2026-12-31", nil).Status, "managers only")
	require.Equal(t, 400, e.do(m, "GET", "/v1/reports/automation?from=2026-12-31&to=2026-11-01", nil).Status)
	require.Equal(t, 400, e.do(m, "GET", "/v1/reports/automation", nil).Status)
	r = e.do(m, "GET", "/v1/reports/automation?from=2026-11-01&to=2026-12-31", nil)
	require.Equal(t, 200, r.Status, "%s", r.Body)
	var rep resources.AutomationReport
	r.json(t, &rep)
	require.Equal(t, map[string]int{"suggestion": 2, "plan": 1, "automatic": 0, "hand": 2}, rep.BySource)
	require.Equal(t, 2, rep.Suggestions)
	require.Equal(t, 1, rep.FirstSuggestion)
	require.InDelta(t, 0.5, rep.FirstShare, 1e-9)
	// Both the booking by hand and its move wait past the free first day.
	require.Len(t, rep.AgainstRules, 2, "%+v", rep.AgainstRules)
	for i, want := range []struct{ action, reason string }{{"booked", "the applicant asked for Wednesday"}, {"rescheduled", "an hour later"}} {
		h := rep.AgainstRules[i]
		require.Equal(t, hand, h.Booking)
		require.Equal(t, want.action, h.Action)
		require.Contains(t, h.Rules, "wait")
		require.Equal(t, want.reason, h.Reason)
		require.Equal(t, "test-clerk", h.Actor)
	}
	require.Zero(t, rep.Automatic)
	require.Equal(t, map[string]int{"accepted": 1}, rep.Plans)

	// A period without them counts nothing.
	r = e.do(m, "GET", "/v1/reports/automation?from=2026-10-01&to=2026-10-31", nil)
	require.Equal(t, 200, r.Status, "%s", r.Body)
	var none resources.AutomationReport
	r.json(t, &none)
	require.Equal(t, map[string]int{"suggestion": 0, "plan": 0, "automatic": 0, "hand": 0}, none.BySource)
	require.Empty(t, none.AgainstRules)
}
