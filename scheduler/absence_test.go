package scheduler_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/scheduler"
)

func TestAbsenceFlagsBrokenBookingsAndRepairMovesOnlyThem(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "S", 2)
	ctx := context.Background()
	bookings, err := f.db.Bookings(ctx, listWith("status", "active"))
	require.NoError(t, err)
	require.Equal(t, len(f.booked), len(bookings.Items))
	var victim resources.Booking
	for _, b := range bookings.Items {
		if b.Interpreter != "" {
			victim = b
			break
		}
	}
	require.NotZero(t, victim.ID, "a booking with an interpreter")

	// The interpreter falls ill for the booking's time.
	a, err := f.db.AddAbsence(ctx, resources.AbsenceOfInterpreter, victim.Interpreter, resources.Absence{Start: victim.Start, End: victim.End})
	require.NoError(t, err)
	im, err := f.planner.AbsenceImpact(ctx, a.ID, "manager-1")
	require.NoError(t, err)
	require.Equal(t, "interpreter", im.Absence.Kind)
	require.Equal(t, victim.Interpreter, im.Absence.Person)
	require.NotEmpty(t, im.Broken)
	broken := map[string]bool{}
	for _, b := range im.Broken {
		broken[b.Interview] = true
		require.Equal(t, victim.Interpreter, b.Interpreter)
	}
	require.True(t, broken[victim.Interview])
	require.NotEmpty(t, im.From)

	// Flagged once, however often the impact is asked for.
	_, err = f.planner.AbsenceImpact(ctx, a.ID, "manager-1")
	require.NoError(t, err)
	var flagged int
	require.NoError(t, f.raw.QueryRow(ctx, `select count(*) from audit_log where action = 'flagged' and booking_id = $1`, victim.ID).Scan(&flagged))
	require.Equal(t, 1, flagged)

	// The repair plan moves the broken bookings and nothing else.
	plan, err := f.planner.Repair(ctx, a.ID, "manager-1", time.Second, "")
	require.NoError(t, err)
	require.Equal(t, "repair", plan.Kind)
	require.Equal(t, a.ID, *plan.Absence)
	done := f.wait(t, plan.ID)
	require.Equal(t, "done", done.Status, done.Error)
	d := done.Result.Diff
	require.Empty(t, d.New, "a repair adds no pending interview")
	changed := map[string]bool{}
	for _, m := range d.Moved {
		changed[m.Interview] = true
		if m.Interview == victim.Interview {
			require.False(t, m.After.Interpreter == victim.Interpreter && m.After.Start == victim.Start,
				"the moved booking leaves the absent interpreter's time")
		}
	}
	for _, m := range d.Dropped {
		changed[m.Interview] = true
	}
	require.Equal(t, broken, changed, "exactly the broken bookings move")
	require.NotEmpty(t, d.Unchanged)
	for _, iv := range d.Unchanged {
		require.False(t, broken[iv])
	}
	// The graded change: a move or drop costs 500, a swap of people, room or
	// mode at the same time and place 100; the diff names which.
	want := 500 * len(d.Dropped)
	for _, m := range d.Moved {
		require.NotEmpty(t, m.Changes, "%+v", m)
		if m.Changes[0] == resources.ChangeMoved {
			want += 500
		} else {
			want += 100
			require.Equal(t, m.Before.Start[:16], m.After.Start[:16], "a swap keeps the time")
		}
	}
	require.EqualValues(t, want, done.Result.Score.Components.Change)

	// Accepting reschedules the moved bookings (same ids) away from the absence.
	require.NotEmpty(t, d.Moved, "the broken booking finds another place")
	_, out, err := f.planner.Accept(ctx, plan.ID, nil, "manager-1")
	require.NoError(t, err)
	require.Len(t, out, len(d.Moved))
	for _, x := range out {
		require.Equal(t, scheduler.AcceptRescheduled, x.Outcome, x.Message)
		b, err := f.db.Booking(ctx, x.Booking)
		require.NoError(t, err)
		require.Equal(t, "active", b.Status)
		require.Positive(t, b.Sequence)
	}
	consistent(t, f.raw)
	after, err := f.planner.AbsenceImpact(ctx, a.ID, "manager-1")
	require.NoError(t, err)
	require.Len(t, after.Broken, len(d.Dropped), "only dropped bookings remain broken")

	// An absence that breaks nothing has nothing to repair.
	quiet, err := f.db.AddAbsence(ctx, resources.AbsenceOfInterpreter, victim.Interpreter, resources.Absence{Start: "2030-01-01T08:00:00Z", End: "2030-01-01T09:00:00Z"})
	require.NoError(t, err)
	_, err = f.planner.Repair(ctx, quiet.ID, "manager-1", time.Second, "")
	require.True(t, errs.Is(err, errs.Conflict), "%v", err)
	_, err = f.planner.AbsenceImpact(ctx, 999999, "m")
	require.True(t, errs.Is(err, errs.NotFound))
}

// An absence the interpreter adds on the portal flags the booking it breaks
// at once (recordAbsence, the step the API's absences take too), audited
// as the interpreter's.
func TestPortalAbsenceFlagsTheBookingItBreaks(t *testing.T) {
	t.Parallel()
	e := newPortalEnv(t)
	ctx := context.Background()
	_, _, b := e.bookWithParty(t)
	itp := &resources.PortalSession{Role: resources.PortalInterpreter, PersonID: b.Interpreter}

	require.NoError(t, e.portal.AddAbsence(ctx, itp, b.Start, b.End))
	var flags int
	require.NoError(t, e.raw.QueryRow(ctx, `select count(*) from booking_flags where booking_id = $1`, b.ID).Scan(&flags))
	require.Equal(t, 1, flags)
	var actor string
	require.NoError(t, e.raw.QueryRow(ctx, `select actor from audit_log where booking_id = $1 and action = 'flagged'`, b.ID).Scan(&actor))
	require.Equal(t, "interpreter "+b.Interpreter, actor)
}
