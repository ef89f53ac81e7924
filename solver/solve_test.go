package solver_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/asylum-scheduling/interviews/internal/generator"
	"github.com/asylum-scheduling/interviews/solver"
)

// randomInstance builds a small random instance: one to three locations, a
// few rooms and people with patchy availability, interviews with random
// needs. About a third of the generated instances also carry bookings taken
// from a first solve (some pinned). It is valid by construction.
func randomInstance(t testing.TB, seed uint64) *solver.Instance {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 7))
	loc, _ := time.LoadLocation("Europe/Helsinki")
	base := time.Date(2027, 3, 22, 0, 0, 0, 0, loc) // DST starts 2027-03-28
	days := 2 + rng.IntN(8)
	in := &solver.Instance{
		Format:   solver.InstanceFormat,
		Timezone: "Europe/Helsinki",
		Horizon:  solver.DateRange{Start: "2027-03-22", End: base.AddDate(0, 0, days-1).Format("2006-01-02")},
	}
	if rng.IntN(3) == 0 {
		g := []int{15, 30, 60}[rng.IntN(3)]
		in.GrainMinutes = &g
	}
	if rng.IntN(2) == 0 {
		in.StartTimes = []string{"08:00", "09:00", "12:00", "13:00"}
	}
	nl := 1 + rng.IntN(3)
	for l := 0; l < nl; l++ {
		in.Locations = append(in.Locations, solver.Location{ID: fmt.Sprintf("L%d", l), Name: fmt.Sprintf("Office %d", l)})
		for l2 := 0; l2 < l; l2++ {
			if rng.IntN(3) > 0 {
				in.TravelMinutes = append(in.TravelMinutes, solver.Travel{From: fmt.Sprintf("L%d", l2), To: fmt.Sprintf("L%d", l), Minutes: 30 + 30*rng.IntN(6)})
			}
		}
	}
	langs := []string{"ar", "ar-IQ", "ar-SY", "so", "prs", "ti", "ckb", "fa"}
	feats := []string{"video", "child_friendly", "accessible"}
	pick := func(xs []string, n int) []string {
		var out []string
		for _, i := range rng.Perm(len(xs))[:min(n, len(xs))] {
			out = append(out, xs[i])
		}
		return out
	}
	avail := func() []solver.Interval {
		out := []solver.Interval{}
		for d := 0; d < days; d++ {
			if rng.IntN(3) == 0 {
				continue
			}
			day := base.AddDate(0, 0, d)
			s := day.Add(time.Duration(7+rng.IntN(3)) * time.Hour)
			e := day.Add(time.Duration(12+rng.IntN(6)) * time.Hour)
			out = append(out, solver.Interval{Start: s.Format(time.RFC3339), End: e.Format(time.RFC3339)})
		}
		return out
	}
	genders := []string{"f", "m"}
	for r := 0; r < nl*(1+rng.IntN(3)); r++ {
		room := solver.Room{ID: fmt.Sprintf("R%d", r), Location: fmt.Sprintf("L%d", r%nl), Features: pick(feats, rng.IntN(3))}
		if rng.IntN(4) == 0 {
			room.Availability = avail()
		}
		in.Rooms = append(in.Rooms, room)
	}
	for e := 0; e < nl*(1+rng.IntN(3)); e++ {
		ivr := solver.Interviewer{ID: fmt.Sprintf("E%d", e), Location: fmt.Sprintf("L%d", e%nl), Gender: genders[rng.IntN(2)],
			Skills: pick([]string{"minors", "trafficking"}, rng.IntN(2)), Languages: pick(langs, rng.IntN(2)), Availability: avail()}
		if rng.IntN(2) == 0 {
			n := 1 + rng.IntN(2)
			ivr.MaxInterviewsPerDay = &n
		}
		in.Interviewers = append(in.Interviewers, ivr)
	}
	for i := 0; i < 2+rng.IntN(8); i++ {
		t := solver.Interpreter{ID: fmt.Sprintf("T%d", i), Languages: pick(langs, 1+rng.IntN(2)), Gender: genders[rng.IntN(2)],
			Skills: pick([]string{"trauma"}, rng.IntN(2)), Modes: pick([]string{"onsite", "remote"}, 1+rng.IntN(2)), Availability: avail()}
		for l := 0; l < nl; l++ {
			if rng.IntN(2) == 0 {
				t.Locations = append(t.Locations, fmt.Sprintf("L%d", l))
			}
		}
		if rng.IntN(2) == 0 {
			n := 180 + 60*rng.IntN(4)
			t.MaxMinutesPerDay = &n
		}
		on, re := 40+rng.IntN(30), 30+rng.IntN(20)
		t.CostPerHour = &solver.Rates{Onsite: &on, Remote: &re}
		in.Interpreters = append(in.Interpreters, t)
	}
	for p := 0; p < rng.IntN(3); p++ {
		pa := solver.Party{ID: fmt.Sprintf("P%d", p), Kind: []string{"counsel", "representative"}[rng.IntN(2)]}
		if rng.IntN(2) == 0 {
			pa.Availability = avail()
		}
		in.Parties = append(in.Parties, pa)
	}
	grain := in.Grain()
	for k := 0; k < 3+rng.IntN(12); k++ {
		dur := (60 + 60*rng.IntN(4)) / grain * grain
		e := base.AddDate(0, 0, rng.IntN(days))
		iv := solver.Interview{ID: fmt.Sprintf("I%d", k), Case: fmt.Sprintf("C-%04d", k), Language: langs[rng.IntN(len(langs))],
			DurationMinutes: dur, Earliest: e.Format("2006-01-02"), Locations: pick(in.LocationsIDs(), 1+rng.IntN(nl))}
		if rng.IntN(3) == 0 {
			iv.Deadline = e.AddDate(0, 0, rng.IntN(3)).Format("2006-01-02")
		}
		if rng.IntN(5) == 0 {
			iv.Latest = e.AddDate(0, 0, rng.IntN(4)).Format("2006-01-02")
		}
		iv.DialectRequired = rng.IntN(5) == 0
		if rng.IntN(6) == 0 {
			f := false
			iv.NeedsInterpreter = &f
		}
		if rng.IntN(3) == 0 {
			p := 1 + rng.IntN(3)
			iv.Priority = &p
		}
		iv.InterpreterMode = []string{"", "any", "onsite", "remote", "prefer_onsite"}[rng.IntN(5)]
		if rng.IntN(5) == 0 {
			iv.InterviewerGender = genders[rng.IntN(2)]
		}
		if rng.IntN(5) == 0 {
			iv.InterpreterGender = genders[rng.IntN(2)]
		}
		if rng.IntN(6) == 0 {
			iv.RoomFeatures = pick(feats, 1)
		}
		if rng.IntN(6) == 0 {
			iv.InterviewerSkills = []string{"minors"}
		}
		if len(in.Parties) > 0 && rng.IntN(2) == 0 {
			iv.Parties = []string{in.Parties[rng.IntN(len(in.Parties))].ID}
		}
		if rng.IntN(4) == 0 {
			iv.PreferredInterviewer = in.Interviewers[rng.IntN(len(in.Interviewers))].ID
		}
		if rng.IntN(6) == 0 {
			iv.ExcludedInterpreters = []string{in.Interpreters[rng.IntN(len(in.Interpreters))].ID}
		}
		in.Interviews = append(in.Interviews, iv)
	}
	if err := solver.Validate(in); err != nil {
		t.Fatalf("random instance %d is invalid: %v", seed, err)
	}
	if rng.IntN(3) == 0 {
		s, err := solver.Solve(context.Background(), in, solver.Options{Iterations: 50, Seed: int64(seed)})
		if err != nil {
			t.Fatalf("random instance %d: %v", seed, err)
		}
		for _, a := range s.Assignments {
			in.Bookings = append(in.Bookings, solver.Booking{Interview: a.Interview, Start: a.Start, Room: a.Room,
				Interviewer: a.Interviewer, Interpreter: a.Interpreter, Mode: a.Mode, Pinned: rng.IntN(2) == 0})
		}
		// make some unpinned bookings stale: moved to a random time, or
		// given another interpreter (who may not fit: the solver then
		// repairs them where they stand if it can)
		for i := range in.Bookings {
			b := &in.Bookings[i]
			switch r := rng.IntN(3); {
			case b.Pinned:
			case r == 0:
				b.Start = base.Add(time.Duration(rng.IntN(days*24*4)) * 15 * time.Minute).Format(time.RFC3339)
			case r == 1 && b.Interpreter != "":
				b.Interpreter = in.Interpreters[rng.IntN(len(in.Interpreters))].ID
			}
		}
	}
	return in
}

// assertValid checks the schedule against the instance with the reference
// checker: no hard violation, every interview exactly once, the reported
// score equal to the recomputed one, a reason for every unscheduled one.
func assertValid(t testing.TB, in *solver.Instance, s *solver.Schedule) {
	t.Helper()
	rep, err := solver.Check(in, s)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range rep.Violations {
		t.Errorf("rule %d: %s", v.Rule, v.Message)
	}
	if rep.Score != s.Score {
		t.Errorf("reported score %+v, checked %+v", s.Score, rep.Score)
	}
	seen := map[string]int{}
	for _, a := range s.Assignments {
		seen[a.Interview]++
	}
	for _, u := range s.Unscheduled {
		seen[u.Interview]++
		if u.Reason == "" || u.Detail == "" {
			t.Errorf("unscheduled %s has no reason or detail", u.Interview)
		}
	}
	for _, iv := range in.Interviews {
		if seen[iv.ID] != 1 {
			t.Errorf("interview %s appears %d times", iv.ID, seen[iv.ID])
		}
	}
	if len(seen) != len(in.Interviews) {
		t.Errorf("schedule lists %d interviews, instance has %d", len(seen), len(in.Interviews))
	}
}

func TestSolveRandomInstances(t *testing.T) {
	n := 120
	if testing.Short() {
		n = 20
	}
	for seed := uint64(1); seed <= uint64(n); seed++ {
		in := randomInstance(t, seed)
		s, err := solver.Solve(context.Background(), in, solver.Options{Iterations: 200, Seed: int64(seed)})
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		assertValid(t, in, s)
		ff, err := solver.FirstFit(in)
		if err != nil {
			t.Fatalf("seed %d: first fit: %v", seed, err)
		}
		assertValid(t, in, ff)
		// pinned bookings stay as they are
		for _, b := range in.Bookings {
			if !b.Pinned {
				continue
			}
			found := false
			for _, a := range s.Assignments {
				found = found || (a.Interview == b.Interview && a.Room == b.Room && a.Interviewer == b.Interviewer && a.Interpreter == b.Interpreter && sameInstant(a.Start, b.Start))
			}
			if !found {
				t.Errorf("seed %d: pinned booking of %s was not kept", seed, b.Interview)
			}
		}
		if t.Failed() {
			b, _ := json.Marshal(in)
			t.Fatalf("seed %d failed; instance: %s", seed, b)
		}
	}
}

func sameInstant(a, b string) bool {
	x, err1 := time.Parse(time.RFC3339, a)
	y, err2 := time.Parse(time.RFC3339, b)
	return err1 == nil && err2 == nil && x.Equal(y)
}

func TestSolveGeneratedInstances(t *testing.T) {
	for _, size := range []string{"S", "M", "L"} {
		for seed := int64(1); seed <= 2; seed++ {
			in, err := generator.Generate(size, seed)
			if err != nil {
				t.Fatal(err)
			}
			s, err := solver.Solve(context.Background(), in, solver.Options{Iterations: 300, Seed: seed})
			if err != nil {
				t.Fatalf("%s/%d: %v", size, seed, err)
			}
			assertValid(t, in, s)
			ff, err := solver.FirstFit(in)
			if err != nil {
				t.Fatal(err)
			}
			assertValid(t, in, ff)
			if ff.Score.Less(s.Score) {
				t.Errorf("%s/%d: the optimiser (%+v) is worse than first fit (%+v)", size, seed, s.Score, ff.Score)
			}
		}
	}
}

func TestSolveDeterministicAndWorkers(t *testing.T) {
	in, err := generator.Generate("M", 5)
	if err != nil {
		t.Fatal(err)
	}
	solve := func(workers int) *solver.Schedule {
		s, err := solver.Solve(context.Background(), in, solver.Options{Iterations: 1500, Seed: 42, Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		s.Stats = nil
		return s
	}
	a, b := solve(1), solve(1)
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if string(ja) != string(jb) {
		t.Fatal("two one-worker runs with the same seed and iterations differ")
	}
	c := solve(3)
	assertValid(t, in, c)
	if a.Score.Less(c.Score) {
		t.Fatalf("three workers (%+v) did worse than one (%+v)", c.Score, a.Score)
	}
}

func TestSolveRespectsContextAndTimeLimit(t *testing.T) {
	in, err := generator.Generate("L", 1)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start := time.Now()
	s, err := solver.Solve(ctx, in, solver.Options{TimeLimit: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el > 30*time.Second {
		t.Fatalf("a cancelled solve took %v", el)
	}
	assertValid(t, in, s)
	// progress: a small instance, so that the search runs for most of the
	// second and every report shows a schedule
	small, err := generator.Generate("S", 1)
	if err != nil {
		t.Fatal(err)
	}
	var calls int
	_, err = solver.Solve(context.Background(), small, solver.Options{TimeLimit: time.Second, ProgressEvery: 50 * time.Millisecond,
		Progress: func(p solver.Progress) {
			calls++
			if p.Total != len(small.Interviews) || p.Scheduled <= 0 {
				t.Errorf("progress %+v", p)
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	if calls == 0 {
		t.Fatal("no progress reported in a 1 s run with a 50 ms period")
	}
}

// TestReplanAfterCancelledAvailability solves an instance, turns the plan
// into unpinned bookings, takes one day of availability away from a busy
// interpreter and solves again: the interviews that lost their interpreter
// move, the others stay.
func TestReplanAfterCancelledAvailability(t *testing.T) {
	in, err := generator.Generate("M", 2)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := solver.Solve(context.Background(), in, solver.Options{Iterations: 2000, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range plan.Assignments {
		in.Bookings = append(in.Bookings, solver.Booking{Interview: a.Interview, Start: a.Start, Room: a.Room,
			Interviewer: a.Interviewer, Interpreter: a.Interpreter, Mode: a.Mode})
	}
	// the interpreter with the most sessions falls ill on the day of its first one
	count := map[string]int{}
	for _, a := range plan.Assignments {
		if a.Interpreter != "" {
			count[a.Interpreter]++
		}
	}
	ill, most := "", 0
	for id, n := range count {
		if n > most || (n == most && id < ill) {
			ill, most = id, n
		}
	}
	var illDay string
	for _, a := range plan.Assignments {
		if a.Interpreter == ill {
			illDay = a.Start[:10]
			break
		}
	}
	affected := map[string]bool{}
	for _, a := range plan.Assignments {
		if a.Interpreter == ill && a.Start[:10] == illDay {
			affected[a.Interview] = true
		}
	}
	for i := range in.Interpreters {
		if in.Interpreters[i].ID != ill {
			continue
		}
		var keep []solver.Interval
		for _, iv := range in.Interpreters[i].Availability {
			if iv.Start[:10] != illDay {
				keep = append(keep, iv)
			}
		}
		in.Interpreters[i].Availability = append([]solver.Interval{}, keep...)
	}
	if len(affected) == 0 {
		t.Fatal("test setup: no affected interview")
	}
	re, err := solver.Solve(context.Background(), in, solver.Options{Iterations: 2000, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	assertValid(t, in, re)
	before := map[string]solver.Assignment{}
	for _, a := range plan.Assignments {
		before[a.Interview] = a
	}
	moved, movedUnaffected := 0, 0
	after := map[string]solver.Assignment{}
	for _, a := range re.Assignments {
		after[a.Interview] = a
	}
	for id, b := range before {
		a, ok := after[id]
		if ok && a == b {
			continue
		}
		moved++
		if affected[id] {
			continue
		}
		movedUnaffected++
	}
	for id := range affected {
		if a, ok := after[id]; ok && a == before[id] {
			t.Errorf("%s kept the ill interpreter", id)
		}
	}
	w := int64(500)
	if re.Score.Components.Change != w*int64(moved) {
		t.Errorf("change component %d, want %d × %d moved", re.Score.Components.Change, w, moved)
	}
	t.Logf("%d affected, %d moved in all, %d unaffected moved", len(affected), moved, movedUnaffected)
	// Moving an unaffected interview costs 500: here there is room enough
	// for the affected ones, so nothing else may move.
	if movedUnaffected > 0 {
		t.Errorf("%d unaffected interviews moved for %d affected ones", movedUnaffected, len(affected))
	}
	if re.Score.Medium > plan.Score.Medium+int64(len(affected))*3 {
		t.Errorf("re-plan left too much unscheduled: medium %d, was %d", re.Score.Medium, plan.Score.Medium)
	}
}

// FuzzSolveSmall solves small random instances: no panic, a valid schedule.
func FuzzSolveSmall(f *testing.F) {
	for _, s := range []uint64{1, 2, 3, 17, 99} {
		f.Add(s, uint16(30))
	}
	f.Fuzz(func(t *testing.T, seed uint64, iters uint16) {
		in := randomInstance(t, seed)
		s, err := solver.Solve(context.Background(), in, solver.Options{Iterations: int64(iters % 300), Seed: int64(seed)})
		if err != nil {
			t.Fatal(err)
		}
		assertValid(t, in, s)
	})
}
