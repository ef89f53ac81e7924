package scheduler_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/testclock"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/scheduler"
)

// The interpreter's answer deadline: within the settings' hours of the
// request and never later than their hours before the start; a request
// made after that point is due within the lesser of those hours and two
// hours, and by the start at the latest.
func TestAnswerDue(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2027, 1, 11, 9, 0, 0, 0, time.UTC) // the request
	h := time.Hour
	rules := func(within, before int) resources.Confirmation {
		return resources.Confirmation{AnswerWithinHours: within, AnswerBeforeStartHours: before}
	}
	for _, tc := range []struct {
		name  string
		rules resources.Confirmation
		start time.Duration // after the request
		due   time.Duration // after the request
	}{
		// The defaults: 48 hours, 24 hours before the start.
		{"defaults: far ahead, 48 hours", resources.DefaultConfirmation, 10 * 24 * h, 48 * h},
		{"defaults: start in exactly 72 hours, 48 hours", resources.DefaultConfirmation, 72 * h, 48 * h},
		{"defaults: start in 60 hours, 24 hours before it", resources.DefaultConfirmation, 60 * h, 36 * h},
		{"defaults: start in 25 hours, 24 hours before it", resources.DefaultConfirmation, 25 * h, 1 * h},
		// Short notice: the request comes at or after the point 24 hours before.
		{"defaults: start in exactly 24 hours, 2 hours", resources.DefaultConfirmation, 24 * h, 2 * h},
		{"defaults: start in 5 hours, 2 hours", resources.DefaultConfirmation, 5 * h, 2 * h},
		{"defaults: start in 90 minutes, by the start", resources.DefaultConfirmation, 90 * time.Minute, 90 * time.Minute},
		{"defaults: start already passed, by the start", resources.DefaultConfirmation, -h, -h},
		// Other settings.
		{"12 hours, 6 before: far ahead", rules(12, 6), 5 * 24 * h, 12 * h},
		{"12 hours, 6 before: start in 10 hours", rules(12, 6), 10 * h, 4 * h},
		{"1 hour, 24 before: short notice, the lesser is 1 hour", rules(1, 24), 3 * h, 1 * h},
		{"72 hours, 0 before: start in 30 hours, by the start", rules(72, 0), 30 * h, 30 * h},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := scheduler.AnswerDue(tc.rules, t0, t0.Add(tc.start))
			require.Equal(t, t0.Add(tc.due), got, "due %s after the request, not %s", tc.due, got.Sub(t0))
		})
	}
	require.Equal(t, resources.Confirmation{AnswerWithinHours: 48, AnswerBeforeStartHours: 24}, resources.DefaultConfirmation)
}

// A booking that asks an interpreter stores the due time of AnswerDue under
// the stored settings (the defaults here), for the booking and for a move.
func TestBookingStoresAnswerDue(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "S", 0)
	ctx := context.Background()
	clk := testclock.New(time.Now().Truncate(time.Second))
	svc := scheduler.New(f.db, nil, nil, clk.Now)
	due := func(id int64) time.Time {
		var at time.Time
		require.NoError(t, f.raw.QueryRow(ctx, `select interpreter_due from bookings where id = $1`, id).Scan(&at))
		return at
	}
	for _, iv := range f.in.Interviews {
		ans, err := svc.Suggest(ctx, scheduler.SuggestRequest{InterviewID: iv.ID, K: 2})
		require.NoError(t, err)
		if len(ans.Suggestions) < 2 || ans.Suggestions[0].Assignment.Interpreter == "" {
			continue
		}
		b, err := svc.Book(ctx, scheduler.BookRequest{InterviewID: iv.ID, SuggestionID: ans.Suggestions[0].ID, Actor: "clerk"})
		require.NoError(t, err)
		start, err := time.Parse(time.RFC3339, b.Start)
		require.NoError(t, err)
		require.True(t, scheduler.AnswerDue(resources.DefaultConfirmation, clk.Now(), start).Equal(due(b.ID)))

		// A move to another time asks anew, from the time of the move.
		clk.Add(time.Hour)
		again, err := svc.Suggest(ctx, scheduler.SuggestRequest{InterviewID: iv.ID, K: 5})
		require.NoError(t, err)
		for _, o := range again.Suggestions {
			if o.Assignment.Start == b.Start || o.Assignment.Interpreter == "" {
				continue
			}
			moved, err := svc.Reschedule(ctx, scheduler.ChangeRequest{BookingID: b.ID, SuggestionID: o.ID, Actor: "clerk", Reason: "test"})
			require.NoError(t, err)
			start, err := time.Parse(time.RFC3339, moved.Booking.Start)
			require.NoError(t, err)
			require.True(t, scheduler.AnswerDue(resources.DefaultConfirmation, clk.Now(), start).Equal(due(b.ID)))
			return
		}
		t.Fatal("no other time to move to")
	}
	t.Fatal("no interview with an interpreter to book")
}
