package scheduler_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/internal/testclock"
	"github.com/asylum-scheduling/interviews/scheduler"
	"github.com/asylum-scheduling/interviews/solver"
)

// Service.Hold (the case page's Hold) holds an option given by hand for
// HoldTTL, checked against every hard rule as the API's holds are: an
// interpreter without the language, or a resource held already, is a
// conflict with fresh alternatives, and nothing is held.
func TestHoldChecksEveryRule(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "S", 0)
	ctx := context.Background()
	clk := testclock.New(time.Now())
	svc := scheduler.New(f.db, nil, nil, clk.Now)

	// An interview that needs an interpreter, its best option, and an
	// interpreter who lacks its language.
	var iv solver.Interview
	var best solver.Assignment
	stranger := ""
	for _, x := range f.in.Interviews {
		if x.NeedsInterpreter != nil && !*x.NeedsInterpreter {
			continue
		}
		ans, err := svc.Suggest(ctx, scheduler.SuggestRequest{InterviewID: x.ID, K: 1})
		require.NoError(t, err)
		if len(ans.Suggestions) == 0 || ans.Suggestions[0].Assignment.Interpreter == "" {
			continue
		}
		for _, it := range f.in.Interpreters {
			if !slices.Contains(it.Languages, x.Language) {
				iv, best, stranger = x, ans.Suggestions[0].Assignment, it.ID
				break
			}
		}
		if stranger != "" {
			break
		}
	}
	require.NotEmpty(t, stranger, "an interview with an option and an interpreter without its language")

	hold := func(a solver.Assignment, actor string) error {
		_, err := svc.Hold(ctx, scheduler.HoldRequest{InterviewID: iv.ID, Assignment: &a, Actor: actor})
		return err
	}
	conflict := func(t *testing.T, err error) {
		t.Helper()
		var ce *scheduler.ConflictError
		require.True(t, errors.As(err, &ce), "a conflict, not %v", err)
		require.Equal(t, errs.Conflict, errs.CodeOf(err))
		require.NotNil(t, ce.Alternatives)
		require.Len(t, ce.AlternativeIDs, len(ce.Alternatives))
	}
	holds := func() int {
		var n int
		require.NoError(t, f.raw.QueryRow(ctx, `select count(*) from holds where interview_id = $1`, iv.ID).Scan(&n))
		return n
	}

	wrong := best
	wrong.Interpreter = stranger
	conflict(t, hold(wrong, "clerk-a"))
	require.Zero(t, holds(), "a refused hold holds nothing")

	h, err := svc.Hold(ctx, scheduler.HoldRequest{InterviewID: iv.ID, Assignment: &best, Actor: "clerk-a"})
	require.NoError(t, err)
	require.Equal(t, best.Room, h.Room)
	require.Equal(t, best.Interpreter, h.Interpreter)
	expires, err := time.Parse(time.RFC3339, h.ExpiresAt)
	require.NoError(t, err)
	require.WithinDuration(t, clk.Now().Add(scheduler.DefaultHoldTTL), expires, time.Second)
	require.Equal(t, scheduler.DefaultHoldTTL, svc.HoldTTL())
	require.Equal(t, 1, holds())

	_, err = svc.Hold(ctx, scheduler.HoldRequest{InterviewID: iv.ID, Actor: "clerk-a"})
	require.Equal(t, errs.Invalid, errs.CodeOf(err), "nothing to hold")
}
