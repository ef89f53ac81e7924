package scheduler

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/internal/generator"
	"github.com/asylum-scheduling/interviews/internal/pgtest"
	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/internal/testclock"
	"github.com/asylum-scheduling/interviews/solver"
)

// newService loads generated S data (no bookings) into a fresh database;
// raw is the test's own connection to it.
func newService(t *testing.T) (s *Service, in *solver.Instance, clk *testclock.Clock, raw *pgtest.Raw) {
	t.Helper()
	clk = testclock.New(time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC))
	raw = pgtest.Open(t)
	db := postgres.New(raw, clk.Now)
	in, err := generator.Generate("S", 3)
	require.NoError(t, err)
	in.Bookings = nil
	_, err = db.Import(context.Background(), in)
	require.NoError(t, err)
	return New(db, nil, nil, clk.Now), in, clk, raw
}

// firstWithOptions returns an interview with at least two options.
func firstWithOptions(t *testing.T, s *Service, in *solver.Instance) (string, *SuggestAnswer) {
	t.Helper()
	for _, iv := range in.Interviews {
		a, err := s.Suggest(context.Background(), SuggestRequest{InterviewID: iv.ID, K: 5})
		require.NoError(t, err)
		if len(a.Suggestions) >= 2 {
			return iv.ID, a
		}
	}
	t.Fatal("no interview has options")
	return "", nil
}

func TestPlannerCacheFollowsTheStateVersion(t *testing.T) {
	t.Parallel()
	s, in, _, raw := newService(t)
	ctx := context.Background()
	iv, a := firstWithOptions(t, s, in)
	c1 := s.cache
	require.NotNil(t, c1)
	_, err := s.Suggest(ctx, SuggestRequest{InterviewID: iv, K: 3})
	require.NoError(t, err)
	require.Same(t, c1, s.cache, "no change, no new compilation")

	// A booking changes the version once (one transaction), and the next
	// suggestion compiles the new state, where the option is gone.
	v0, _, _, err := s.db.StateProbe(ctx, iv, s.now())
	require.NoError(t, err)
	b, err := s.Book(ctx, BookRequest{InterviewID: iv, SuggestionID: a.Suggestions[0].ID, Actor: "t"})
	require.NoError(t, err)
	v1, _, status, err := s.db.StateProbe(ctx, iv, s.now())
	require.NoError(t, err)
	require.Equal(t, v0+1, v1)
	require.Equal(t, "booked", status)
	again, err := s.Suggest(ctx, SuggestRequest{InterviewID: iv, K: 5})
	require.NoError(t, err)
	require.NotSame(t, c1, s.cache)
	require.Equal(t, v1, s.cache.version)
	require.True(t, s.cache.state.StaticReused, "a booking changes no resource: only bookings and holds are read again")
	// For a booked interview its own booking may move: keeping it costs nothing.
	require.Equal(t, b.Start, again.Suggestions[0].Start)
	require.Zero(t, again.Suggestions[0].Delta.Medium)
	require.Contains(t, again.Suggestions[0].Explanation, "the current booking")

	// A write the cache does not see by itself (another replica, SQL) is seen by the version.
	_, err = raw.Exec(ctx, `update interviewers set active = false`)
	require.NoError(t, err)
	none, err := s.Suggest(ctx, SuggestRequest{InterviewID: in.Interviews[len(in.Interviews)-1].ID, K: 5})
	require.NoError(t, err)
	require.Empty(t, none.Suggestions)
	require.NotEmpty(t, none.Reason)
	require.False(t, s.cache.state.StaticReused, "a resource changed: everything is read again")
}

func TestSuggestionIDsAreSignedAndBookExactlyTheirOption(t *testing.T) {
	t.Parallel()
	s, in, _, _ := newService(t)
	ctx := context.Background()
	iv, a := firstWithOptions(t, s, in)
	opt := a.Suggestions[1]

	// A forged id: the option changed, the signature kept.
	parts := strings.Split(opt.ID, ".")
	forged := parts[0] + "." + parts[1][:len(parts[1])-2] + "AA." + parts[2]
	_, err := s.Book(ctx, BookRequest{InterviewID: iv, SuggestionID: forged})
	require.Equal(t, errs.Invalid, errs.CodeOf(err), "%v", err)
	// Another server key does not accept it.
	other := New(s.db, nil, nil, s.now)
	_, err = other.Book(ctx, BookRequest{InterviewID: iv, SuggestionID: opt.ID})
	require.Equal(t, errs.Invalid, errs.CodeOf(err))

	b, err := s.Book(ctx, BookRequest{InterviewID: iv, SuggestionID: opt.ID, Actor: "desk", Pinned: true})
	require.NoError(t, err)
	require.Equal(t, opt.Start, b.Start)
	require.Equal(t, opt.End, b.End)
	require.Equal(t, opt.Room, b.Room)
	require.Equal(t, opt.Interviewer, b.Interviewer)
	require.Equal(t, opt.Interpreter, b.Interpreter)
	require.Equal(t, opt.Mode, b.Mode)
	require.True(t, b.Pinned)
}

func TestBookingATakenOptionIsAConflictWithAlternatives(t *testing.T) {
	t.Parallel()
	s, in, _, raw := newService(t)
	ctx := context.Background()
	iv, a := firstWithOptions(t, s, in)
	opt := a.Suggestions[0]
	_, err := s.Book(ctx, BookRequest{InterviewID: iv, SuggestionID: opt.ID, Actor: "desk"})
	require.NoError(t, err)

	// Another interview at the same time with the same interviewer and room.
	var other string
	for _, x := range in.Interviews {
		if x.ID != iv {
			other = x.ID
			break
		}
	}
	explicit := opt.Assignment
	_, err = s.Book(ctx, BookRequest{InterviewID: other, Assignment: &explicit, Actor: "desk"})
	var ce *ConflictError
	require.True(t, errors.As(err, &ce), "%v", err)
	require.Equal(t, errs.Conflict, errs.CodeOf(err))
	require.NotEmpty(t, ce.Resource)
	require.Contains(t, ce.Message, ce.Resource)
	require.Len(t, ce.AlternativeIDs, len(ce.Alternatives))
	for _, alt := range ce.Alternatives {
		require.Equal(t, other, alt.Interview)
	}
	n := 0
	require.NoError(t, raw.QueryRow(ctx, `select count(*) from bookings where interview_id = $1`, other).Scan(&n))
	require.Zero(t, n)
}

func TestExpiredHoldsStopBlockingAtOnce(t *testing.T) {
	t.Parallel()
	s, in, clk, raw := newService(t)
	ctx := context.Background()
	iv, _ := firstWithOptions(t, s, in)
	a, err := s.Suggest(ctx, SuggestRequest{InterviewID: iv, K: 5, Hold: true, Actor: "desk-a"})
	require.NoError(t, err)
	require.NotNil(t, a.Hold)
	held := a.Suggestions[0].Assignment

	// The same resources at the same time for another interview: refused while held.
	var other string
	for _, x := range in.Interviews {
		if x.ID != iv && x.Language == in.Interviews[0].Language {
			other = x.ID
		}
	}
	if other == "" {
		other = in.Interviews[len(in.Interviews)-1].ID
	}
	_, err = s.Book(ctx, BookRequest{InterviewID: other, Assignment: &held, Actor: "desk-b"})
	var ce *ConflictError
	require.True(t, errors.As(err, &ce), "%v", err)
	require.Contains(t, ce.Message, "held")

	clk.Add(DefaultHoldTTL + time.Second)
	_, err = s.Book(ctx, BookRequest{InterviewID: other, Assignment: &held, Actor: "desk-b"})
	if err != nil {
		// Only the hold's absence matters here: a rule of the other
		// interview may refuse the option itself, but not as taken.
		require.False(t, errors.As(err, &ce) && strings.Contains(ce.Message, "held"), "%v", err)
	}
	n := 0
	require.NoError(t, raw.QueryRow(ctx, `select count(*) from holds where expires_at > $1`, clk.Now()).Scan(&n))
	require.Zero(t, n)
	holds, keys, err := s.ClearExpired(ctx)
	require.NoError(t, err)
	require.Zero(t, keys)
	require.LessOrEqual(t, holds, int64(1))
	require.NoError(t, raw.QueryRow(ctx, `select count(*) from occupancy where hold_id is not null`).Scan(&n))
	require.Zero(t, n)
}
