package solver

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"
	"time"
)

// keepTInstance: Tigrinya interview I-1 booked on 4 January 09:00 in
// Helsinki room R1 with interviewer e1 and interpreter tA on site; tA is gone
// (no availability), tB is free all week. rooms and interviewers name the
// Helsinki ones; R1 and e1 are the less plain ones.
func keepTInstance(rooms, interviewers []string) *Instance {
	days := []string{"2027-01-04", "2027-01-05", "2027-01-06"}
	var week []Interval
	for _, d := range days {
		week = append(week, Interval{Start: d + "T08:00:00+02:00", End: d + "T16:00:00+02:00"})
	}
	in := &Instance{
		Format: InstanceFormat, Timezone: "Europe/Helsinki",
		Horizon:   DateRange{Start: days[0], End: days[len(days)-1]},
		Locations: []Location{{ID: "HEL", Name: "Helsinki"}},
		Interpreters: []Interpreter{
			{ID: "tA", Languages: []string{"ti"}, Skills: []string{}, Modes: []string{"onsite"}, Locations: []string{"HEL"}, Availability: []Interval{}},
			{ID: "tB", Languages: []string{"ti"}, Skills: []string{}, Modes: []string{"onsite"}, Locations: []string{"HEL"}, Availability: week},
		},
		Interviews: []Interview{{ID: "I-1", Case: "C-1", Language: "ti", DurationMinutes: 120, Earliest: days[0], Locations: []string{"HEL"}}},
		Bookings:   []Booking{{Interview: "I-1", Start: "2027-01-04T09:00:00+02:00", Room: "R1", Interviewer: "e1", Interpreter: "tA", Mode: ModeOnsite}},
	}
	for k, r := range rooms {
		f := []string{}
		if k == 0 {
			f = []string{"accessible"}
		}
		in.Rooms = append(in.Rooms, Room{ID: r, Location: "HEL", Features: f})
	}
	for k, e := range interviewers {
		sk := []string{}
		if k == 0 {
			sk = []string{"minors"}
		}
		in.Interviewers = append(in.Interviewers, Interviewer{ID: e, Location: "HEL", Skills: sk, Languages: []string{}, Availability: week})
	}
	return in
}

func keepTModel(t *testing.T, in *Instance) *model {
	t.Helper()
	if err := Validate(in); err != nil {
		t.Fatal(err)
	}
	m, err := compile(in, 0)
	if err != nil {
		t.Fatal(err)
	}
	m.readyAll()
	return m
}

func keepTLNS(st *state) *lns {
	return &lns{st: st, rng: rand.New(rand.NewPCG(1, 2)), shared: &bestSoFar{iters: make([]int64, 1)}}
}

// The keep move brings a moved booking back to its start and place, with
// its booked room and interviewer, swapping only the interpreter who is
// gone; undo puts it back where it was.
func TestKeepMoveSwapsOnlyTheBrokenResource(t *testing.T) {
	m := keepTModel(t, keepTInstance([]string{"R1", "R2"}, []string{"e1", "e2"}))
	st := newState(m)
	var moved option
	st.visit(0, m.ivs[0].lastHard, false, nil, func(o option, _ int64) bool {
		moved = o
		return o.day == 0 // the first option on 5 January
	})
	if !moved.ok || moved.day != 1 {
		t.Fatalf("no option on the second day: %+v", moved)
	}
	st.assign(0, moved)
	if !st.broken(0) {
		t.Fatal("a booking held on another day is not broken")
	}
	l := keepTLNS(st)
	l.keep(0)
	b := m.ivs[0].booking.opt
	got := st.asg[0]
	if !got.ok || got.start != b.start || got.loc != b.loc || got.room != b.room || got.ivr != b.ivr || got.mode != b.mode ||
		m.interpreters[got.itp].t.ID != "tB" {
		t.Fatalf("keep gave %+v, want the booking %+v with interpreter tB", got, b)
	}
	if c := st.score().Components.Change; c != m.w.ChangeResource {
		t.Fatalf("change %d after keep, want change_resource %d", c, m.w.ChangeResource)
	}
	assertRebuilds(t, "after keep", st)
	l.undo()
	if st.asg[0] != moved {
		t.Fatalf("undo left %+v, want %+v", st.asg[0], moved)
	}
	assertRebuilds(t, "after undo", st)
}

// When another interview holds the only room and interviewer at the
// booking's time, the keep move removes it; repair places it elsewhere.
func TestKeepMoveClearsTheBookedPlace(t *testing.T) {
	in := keepTInstance([]string{"R1"}, []string{"e1"})
	in.Interviews = append(in.Interviews, Interview{ID: "X", Case: "C-2", Language: "ti", DurationMinutes: 60, Earliest: "2027-01-04", Locations: []string{"HEL"}})
	m := keepTModel(t, in)
	st := newState(m)
	b := m.ivs[0].booking.opt
	x := b
	x.itp, x.mode = int32(m.itpIdx["tB"]), modeOnsite
	if !st.feasible(1, x) {
		t.Fatalf("X cannot take the booked place %+v", x)
	}
	st.assign(1, x)
	if _, ok := st.keepOption(0); ok {
		t.Fatal("keepOption found a place although X holds the only room")
	}
	l := keepTLNS(st)
	l.keep(0)
	if len(l.removed) != 1 || l.removed[0] != 1 {
		t.Fatalf("keep removed %v, want X", l.removed)
	}
	if got := st.asg[0]; !got.ok || got.start != b.start || got.room != b.room || got.ivr != b.ivr {
		t.Fatalf("keep gave %+v, want the booked place %+v", got, b)
	}
	l.repair(make([]bool, len(m.ivs)))
	if !st.asg[1].ok {
		t.Fatal("repair left X unscheduled")
	}
	assertRebuilds(t, "after keep and repair", st)
}

// A plan of M-1 becomes the bookings and its busiest interpreter is gone:
// the search, keep moves included, keeps its state consistent, and Solve's
// score is Check's (Solve fails otherwise).
func TestSearchStateStaysConsistentWithBrokenBookings(t *testing.T) {
	f, err := os.Open("../testdata/instances/M-1.json")
	if err != nil {
		t.Fatal(err)
	}
	in, err := ParseInstance(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	plan, err := Solve(context.Background(), in, Options{Iterations: 300, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	load := map[string]int{}
	for _, a := range plan.Assignments {
		in.Bookings = append(in.Bookings, Booking{Interview: a.Interview, Start: a.Start, Room: a.Room, Interviewer: a.Interviewer, Interpreter: a.Interpreter, Mode: a.Mode})
		load[a.Interpreter]++
	}
	busiest := ""
	for id, n := range load {
		if id != "" && (busiest == "" || n > load[busiest] || n == load[busiest] && id < busiest) {
			busiest = id
		}
	}
	for i := range in.Interpreters {
		if in.Interpreters[i].ID == busiest {
			in.Interpreters[i].Availability = []Interval{}
		}
	}
	m := keepTModel(t, in)
	st := construct(m, false)
	n := 0
	for i := range m.ivs {
		if st.broken(i) {
			n++
		}
	}
	if n == 0 {
		t.Fatalf("no booking broken by %s's absence (%d sessions)", busiest, load[busiest])
	}
	l := keepTLNS(st)
	for burst := 0; burst < 8; burst++ {
		best := l.run(context.Background(), 150, time.Time{}, time.Now)
		for name, s := range map[string]*state{"current": l.st, "best": best} {
			assertRebuilds(t, fmt.Sprintf("burst %d: %s", burst, name), s)
		}
	}
	if _, err := Solve(context.Background(), in, Options{Iterations: 500, Seed: 2}); err != nil {
		t.Fatal(err)
	}
}
