package scheduler_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/pgtest"
	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/scheduler"
	"github.com/asylum-scheduling/interviews/solver"
)

// acceptWorld: one office, one room, one interviewer; Finnish interviews
// (no interpreter) X at 09:00, Y at 11:00 and W at 13:00 booked, Z pending.
func acceptWorld(t *testing.T) (*postgres.DB, *scheduler.Planner, map[string]*resources.Booking) {
	t.Helper()
	day := []solver.Interval{{Start: "2027-01-04T08:00:00+02:00", End: "2027-01-04T18:00:00+02:00"}}
	no := false
	in := &solver.Instance{Format: solver.InstanceFormat, Timezone: "Europe/Helsinki",
		Horizon:      solver.DateRange{Start: "2027-01-04", End: "2027-01-04"},
		Locations:    []solver.Location{{ID: "HEL", Name: "Helsinki"}},
		Rooms:        []solver.Room{{ID: "R1", Location: "HEL", Features: []string{}}},
		Interviewers: []solver.Interviewer{{ID: "e1", Location: "HEL", Skills: []string{}, Languages: []string{"fi"}, Availability: day}},
		Interpreters: []solver.Interpreter{},
	}
	for _, id := range []string{"X", "Y", "W", "Z"} {
		in.Interviews = append(in.Interviews, solver.Interview{ID: id, Case: "C" + id, Language: "fi", NeedsInterpreter: &no,
			DurationMinutes: 120, Earliest: "2027-01-04", Locations: []string{"HEL"}})
	}
	for id, at := range map[string]string{"X": "09:00", "Y": "11:00", "W": "13:00"} {
		in.Bookings = append(in.Bookings, solver.Booking{Interview: id, Start: "2027-01-04T" + at + ":00+02:00", Room: "R1", Interviewer: "e1", Mode: solver.ModeNone})
	}
	db := postgres.New(pgtest.Open(t), nil)
	_, err := db.Import(context.Background(), in)
	require.NoError(t, err)
	books := map[string]*resources.Booking{}
	for _, id := range []string{"X", "Y", "W"} {
		b, err := db.BookingOf(context.Background(), id)
		require.NoError(t, err)
		books[id] = b
	}
	return db, scheduler.NewPlanner(db, nil, nil, nil), books
}

// donePlan stores a finished plan that moves the bookings to the given
// times (of 4 January) and books new interviews there.
func donePlan(t *testing.T, db *postgres.DB, books map[string]*resources.Booking, moves, news map[string]string) int64 {
	t.Helper()
	ctx := context.Background()
	p, release, err := db.StartPlan(ctx, resources.NewPlan{Kind: resources.PlanBatch, CreatedBy: "m", From: "2027-01-04", To: "2027-01-04", TimeLimit: time.Second})
	require.NoError(t, err)
	defer release()
	at := func(id, hm, end string) solver.Assignment {
		return solver.Assignment{Interview: id, Start: "2027-01-04T" + hm + ":00+02:00", End: "2027-01-04T" + end + ":00+02:00",
			Location: "HEL", Room: "R1", Interviewer: "e1", Mode: solver.ModeNone}
	}
	ends := map[string]string{"09:00": "11:00", "11:00": "13:00", "13:00": "15:00", "15:00": "17:00"}
	res := &resources.PlanResult{Diff: resources.PlanDiff{New: []string{}, Moved: []resources.PlanMove{}, Unchanged: []string{}, Dropped: []resources.PlanMove{}},
		Unscheduled: []solver.Unscheduled{}}
	for id, hm := range moves {
		a := at(id, hm, ends[hm])
		res.Assignments = append(res.Assignments, a)
		res.Diff.Moved = append(res.Diff.Moved, resources.PlanMove{Interview: id, Booking: books[id].ID, Before: books[id].Booking, After: &a})
	}
	for id, hm := range news {
		res.Assignments = append(res.Assignments, at(id, hm, ends[hm]))
		res.Diff.New = append(res.Diff.New, id)
	}
	ok, err := db.FinishPlan(ctx, p.ID, res)
	require.NoError(t, err)
	require.True(t, ok)
	return p.ID
}

func startsOf(t *testing.T, db *postgres.DB, ids ...string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, id := range ids {
		b, err := db.BookingOf(context.Background(), id)
		require.NoError(t, err)
		out[id] = b.Start[11:16]
	}
	return out
}

// A chain (X into Y's slot, Y on to a free one) and a swap (X and Y trade
// places) are accepted whole in one call, whatever the items' order; an
// item that cannot be applied leaves the plan partly_accepted, naming it.
func TestAcceptChainsSwapsAndFailures(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("chain", func(t *testing.T) {
		db, p, books := acceptWorld(t)
		id := donePlan(t, db, books, map[string]string{"X": "11:00", "Y": "15:00"}, nil)
		plan, out, err := p.Accept(ctx, id, []string{"X", "Y"}, "m")
		require.NoError(t, err)
		require.Equal(t, "accepted", plan.Status, "%+v", out)
		require.Equal(t, map[string]string{"X": "11:00", "Y": "15:00"}, startsOf(t, db, "X", "Y"))
	})
	t.Run("swap", func(t *testing.T) {
		db, p, books := acceptWorld(t)
		id := donePlan(t, db, books, map[string]string{"X": "11:00", "Y": "09:00"}, nil)
		plan, out, err := p.Accept(ctx, id, nil, "m")
		require.NoError(t, err)
		require.Equal(t, "accepted", plan.Status, "%+v", out)
		for _, x := range out {
			require.Equal(t, scheduler.AcceptRescheduled, x.Outcome, "%+v", x)
		}
		require.Equal(t, map[string]string{"X": "11:00", "Y": "09:00"}, startsOf(t, db, "X", "Y"))
	})
	t.Run("an item that cannot be applied", func(t *testing.T) {
		db, p, books := acceptWorld(t)
		// Z is to go where W stays (13:00): taken.
		id := donePlan(t, db, books, map[string]string{"X": "15:00"}, map[string]string{"Z": "13:00"})
		plan, out, err := p.Accept(ctx, id, nil, "m")
		require.NoError(t, err)
		require.Equal(t, "partly_accepted", plan.Status)
		got := map[string]string{}
		for _, x := range out {
			got[x.Interview] = x.Outcome
			if x.Interview == "Z" {
				require.NotEmpty(t, x.Message)
			}
		}
		require.Equal(t, map[string]string{"X": scheduler.AcceptRescheduled, "Z": scheduler.AcceptConflict}, got)
		require.Equal(t, map[string]string{"X": "15:00"}, startsOf(t, db, "X"))
	})
}
