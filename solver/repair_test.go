package solver_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/asylum-scheduling/interviews/solver"
)

// repairCase: five Tigrinya interviews booked with interpreter tA on five
// days at 09:00 in Helsinki; tA is then absent all week (no availability),
// and tB and tC speak Tigrinya and are free at those times, as are other
// days and a Turku office. Other slots are as good or better by the other
// terms (earlier dates), so only the graded change keeps the bookings.
func repairCase() *solver.Instance {
	days := []string{"2027-01-04", "2027-01-05", "2027-01-06", "2027-01-07", "2027-01-08"}
	var week []solver.Interval
	for _, d := range days {
		week = append(week, solver.Interval{Start: d + "T08:00:00+02:00", End: d + "T16:00:00+02:00"})
	}
	in := &solver.Instance{
		Format: solver.InstanceFormat, Timezone: "Europe/Helsinki",
		Horizon:   solver.DateRange{Start: "2027-01-04", End: "2027-01-08"},
		Locations: []solver.Location{{ID: "HEL", Name: "Helsinki"}, {ID: "TKU", Name: "Turku"}},
		Rooms: []solver.Room{{ID: "HEL-R1", Location: "HEL", Features: []string{}}, {ID: "HEL-R2", Location: "HEL", Features: []string{}},
			{ID: "TKU-R1", Location: "TKU", Features: []string{}}},
		Interviewers: []solver.Interviewer{
			{ID: "e1", Location: "HEL", Skills: []string{}, Languages: []string{}, Availability: week},
			{ID: "e2", Location: "HEL", Skills: []string{}, Languages: []string{}, Availability: week},
			{ID: "e3", Location: "TKU", Skills: []string{}, Languages: []string{}, Availability: week},
		},
		Interpreters: []solver.Interpreter{
			{ID: "tA", Languages: []string{"ti"}, Skills: []string{}, Modes: []string{"onsite"}, Locations: []string{"HEL", "TKU"}, Availability: []solver.Interval{}},
			{ID: "tB", Languages: []string{"ti"}, Skills: []string{}, Modes: []string{"onsite", "remote"}, Locations: []string{"HEL", "TKU"}, Availability: week},
			{ID: "tC", Languages: []string{"ti"}, Skills: []string{}, Modes: []string{"onsite", "remote"}, Locations: []string{"HEL", "TKU"}, Availability: week},
		},
	}
	for i, d := range days {
		id := fmt.Sprintf("I-%d", i+1)
		in.Interviews = append(in.Interviews, solver.Interview{ID: id, Case: "C" + id, Language: "ti", DurationMinutes: 120,
			Earliest: "2027-01-04", Locations: []string{"HEL", "TKU"}, InterpreterMode: solver.WantAny})
		in.Bookings = append(in.Bookings, solver.Booking{Interview: id, Start: d + "T09:00:00+02:00", Room: "HEL-R1",
			Interviewer: "e1", Interpreter: "tA", Mode: solver.ModeOnsite})
	}
	return in
}

// A repair keeps every booking at its start and place where another
// interpreter can take it: only the interpreter changes (the summons stands).
func TestRepairKeepsTimeAndPlace(t *testing.T) {
	in := repairCase()
	for _, opt := range []solver.Options{{}, {Iterations: 2000, Seed: 7}} {
		s, err := solver.Solve(context.Background(), in, opt)
		if err != nil {
			t.Fatal(err)
		}
		assertValid(t, in, s)
		got := map[string]solver.Assignment{}
		for _, a := range s.Assignments {
			got[a.Interview] = a
		}
		for _, b := range in.Bookings {
			a, ok := got[b.Interview]
			if !ok {
				t.Fatalf("%+v: %s dropped", opt, b.Interview)
			}
			if a.Start != b.Start || a.Location != "HEL" {
				t.Errorf("%+v: %s moved from %s at HEL to %s at %s although another interpreter could take it", opt, b.Interview, b.Start, a.Start, a.Location)
			}
			if a.Interpreter == "tA" || a.Interpreter == "" {
				t.Errorf("%+v: %s has interpreter %q", opt, b.Interview, a.Interpreter)
			}
		}
		if want := int64(5 * 100); s.Score.Components.Change > want {
			t.Errorf("%+v: change %d, want at most %d (five interpreter swaps)", opt, s.Score.Components.Change, want)
		}
	}
}

// Only the broken resource is swapped: with tA gone, each booking keeps its
// start, office, room HEL-R1, interviewer e1 and on-site mode, and gets tB or
// tC. HEL-R1 and e1 are the less plain ones (a greedy pick of the plainest
// free room and interviewer would take HEL-R2 and e2: the same price, but
// two more people to tell).
func TestRepairSwapsOnlyTheBrokenResource(t *testing.T) {
	in := repairCase()
	in.Rooms[0].Features = []string{"accessible"}
	in.Interviewers[0].Skills = []string{"minors"}
	for _, opt := range []solver.Options{{}, {Iterations: 2000, Seed: 3}} {
		s, err := solver.Solve(context.Background(), in, opt)
		if err != nil {
			t.Fatal(err)
		}
		assertValid(t, in, s)
		got := map[string]solver.Assignment{}
		for _, a := range s.Assignments {
			got[a.Interview] = a
		}
		for _, b := range in.Bookings {
			a := got[b.Interview]
			if a.Start != b.Start || a.Location != "HEL" || a.Room != b.Room || a.Interviewer != b.Interviewer || a.Mode != b.Mode {
				t.Errorf("%+v: %s is %s %s %s %s %s, want the booked %s HEL %s %s %s with another interpreter",
					opt, b.Interview, a.Start, a.Location, a.Room, a.Interviewer, a.Mode, b.Start, b.Room, b.Interviewer, b.Mode)
			}
			if a.Interpreter != "tB" && a.Interpreter != "tC" {
				t.Errorf("%+v: %s has interpreter %q, want tB or tC", opt, b.Interview, a.Interpreter)
			}
		}
		if got, want := s.Score.Components.Change, int64(5*100); got != want {
			t.Errorf("%+v: change %d, want %d (five interpreter swaps at change_resource)", opt, got, want)
		}
	}
}
