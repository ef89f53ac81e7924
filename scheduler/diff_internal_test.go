package scheduler

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

// A plan's diff says for each changed booking who must be told.
func TestPlanDiffNamesTheChange(t *testing.T) {
	in := &solver.Instance{Rooms: []solver.Room{{ID: "H1", Location: "HEL"}, {ID: "H2", Location: "HEL"}, {ID: "T1", Location: "TKU"}}}
	at := "2027-01-04T09:00:00+02:00"
	bk := func(id string) solver.Booking {
		return solver.Booking{Interview: id, Start: at, Room: "H1", Interviewer: "e1", Interpreter: "t1", Mode: "onsite"}
	}
	asg := func(id, start, loc, room, er, tr, mode string) solver.Assignment {
		return solver.Assignment{Interview: id, Start: start, Location: loc, Room: room, Interviewer: er, Interpreter: tr, Mode: mode}
	}
	before := map[string]resources.PlanMove{}
	for _, id := range []string{"A", "B", "C", "D", "E", "F", "G"} {
		in.Bookings = append(in.Bookings, bk(id))
		before[id] = resources.PlanMove{Interview: id, Before: bk(id)}
	}
	s := &solver.Schedule{Assignments: []solver.Assignment{
		asg("A", at, "HEL", "H1", "e1", "t2", "onsite"),                          // interpreter swapped
		asg("B", at, "HEL", "H2", "e2", "t1", "onsite"),                          // room and interviewer
		asg("C", "2027-01-04T07:00:00Z", "HEL", "H1", "e1", "t1", "remote"),      // same instant in UTC: mode only
		asg("D", "2027-01-04T10:00:00+02:00", "HEL", "H1", "e1", "t1", "onsite"), // another start
		asg("E", at, "TKU", "T1", "e1", "t1", "onsite"),                          // another office
		asg("F", at, "HEL", "H1", "e1", "t1", "onsite"),                          // unchanged
	}}
	d := diff(in, s, before)
	got := map[string][]string{}
	for _, m := range d.Moved {
		got[m.Interview] = m.Changes
	}
	for _, m := range d.Dropped {
		got[m.Interview] = m.Changes
	}
	require.Equal(t, map[string][]string{
		"A": {"interpreter changed"},
		"B": {"room changed", "interviewer changed"},
		"C": {"mode changed"},
		"D": {"moved"},
		"E": {"moved"},
		"G": {"dropped"},
	}, got)
	require.Equal(t, []string{"F"}, d.Unchanged)
}
