package solver_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/asylum-scheduling/interviews/internal/generator"
	"github.com/asylum-scheduling/interviews/solver"
)

// bookedInstance generates an instance and books part of a solved plan, so
// that Suggest works against real competition.
func bookedInstance(t testing.TB, size string, seed int64, keepEvery int) (*solver.Instance, []string) {
	t.Helper()
	in, err := generator.Generate(size, seed)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := solver.Solve(context.Background(), in, solver.Options{Iterations: 500, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	var open []string
	for k, a := range plan.Assignments {
		if k%keepEvery != 0 {
			open = append(open, a.Interview)
			continue
		}
		in.Bookings = append(in.Bookings, solver.Booking{Interview: a.Interview, Start: a.Start, Room: a.Room,
			Interviewer: a.Interviewer, Interpreter: a.Interpreter, Mode: a.Mode, Pinned: k%2 == 0})
	}
	return in, open
}

// asSchedule renders the instance's bookings (plus extra) as a schedule.
func asSchedule(in *solver.Instance, extra *solver.Assignment) *solver.Schedule {
	loc, _ := time.LoadLocation(in.Timezone)
	dur := map[string]int{}
	for _, iv := range in.Interviews {
		dur[iv.ID] = iv.DurationMinutes
	}
	roomLoc := map[string]string{}
	for _, r := range in.Rooms {
		roomLoc[r.ID] = r.Location
	}
	s := &solver.Schedule{Format: solver.ScheduleFormat}
	placed := map[string]bool{}
	for _, b := range in.Bookings {
		if extra != nil && b.Interview == extra.Interview {
			continue
		}
		st, _ := time.Parse(time.RFC3339, b.Start)
		s.Assignments = append(s.Assignments, solver.Assignment{Interview: b.Interview, Start: st.In(loc).Format(time.RFC3339),
			End: st.Add(time.Duration(dur[b.Interview]) * time.Minute).In(loc).Format(time.RFC3339), Location: roomLoc[b.Room],
			Room: b.Room, Interviewer: b.Interviewer, Interpreter: b.Interpreter, Mode: b.Mode})
		placed[b.Interview] = true
	}
	if extra != nil {
		s.Assignments = append(s.Assignments, *extra)
		placed[extra.Interview] = true
	}
	for _, iv := range in.Interviews {
		if !placed[iv.ID] {
			s.Unscheduled = append(s.Unscheduled, solver.Unscheduled{Interview: iv.ID, Reason: solver.ReasonCapacity})
		}
	}
	return s
}

func TestSuggestOptionsAreFeasibleAndRankedByCheckedDelta(t *testing.T) {
	in, open := bookedInstance(t, "M", 1, 2)
	before, err := solver.Check(in, asSchedule(in, nil))
	if err != nil {
		t.Fatal(err)
	}
	if before.Score.Hard != 0 {
		t.Fatalf("test setup: bookings break rules: %v", before.Violations)
	}
	tried := 0
	for _, id := range open[:min(len(open), 12)] {
		sg, err := solver.Suggest(in, id, 5)
		if err != nil {
			t.Fatal(err)
		}
		if len(sg.Options) == 0 {
			t.Errorf("%s: no options although the plan had one (%s: %s)", id, sg.Reason, sg.Detail)
			continue
		}
		tried++
		for k, o := range sg.Options {
			if o.Rank != k+1 || o.Interview != id || o.Explanation == "" {
				t.Errorf("%s option %d: rank %d, interview %s, explanation %q", id, k, o.Rank, o.Interview, o.Explanation)
			}
			a := o.Assignment
			after, err := solver.Check(in, asSchedule(in, &a))
			if err != nil {
				t.Fatal(err)
			}
			if after.Score.Hard != 0 {
				t.Errorf("%s option %d breaks rules: %v", id, k, after.Violations)
			}
			want := solver.Score{Medium: after.Score.Medium - before.Score.Medium, Soft: after.Score.Soft - before.Score.Soft}
			if o.Delta.Medium != want.Medium || o.Delta.Soft != want.Soft || o.Delta.Components.Sum() != o.Delta.Soft {
				t.Errorf("%s option %d: delta %+v, Check says medium %d soft %d", id, k, o.Delta, want.Medium, want.Soft)
			}
			if k > 0 {
				p := sg.Options[k-1].Delta
				if p.Medium > o.Delta.Medium || (p.Medium == o.Delta.Medium && p.Soft > o.Delta.Soft) {
					t.Errorf("%s: options not ranked by delta: %+v before %+v", id, p, o.Delta)
				}
			}
			for _, q := range sg.Options[:k] {
				if q.Interviewer == a.Interviewer && q.Interpreter == a.Interpreter && q.Mode == a.Mode && q.Start == a.Start {
					t.Errorf("%s: two options with the same people at the same time: %+v and %+v", id, q.Assignment, a)
				}
			}
		}
	}
	if tried < 5 {
		t.Fatalf("only %d interviews had options", tried)
	}
}

func TestSuggestMovesOwnBooking(t *testing.T) {
	in := loadInstance(t, filepath.Join("..", "testdata", "example", "instance.json"))
	// the example's booking of I-1 has gone stale (e1 is away on the 8th);
	// book it where it still holds
	in.Bookings[0].Start = "2026-12-09T08:00:00+02:00"
	sg, err := solver.Suggest(in, "I-1", 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(sg.Options) == 0 {
		t.Fatalf("no options: %s %s", sg.Reason, sg.Detail)
	}
	// keeping the current booking costs nothing, so it ranks first with delta zero
	first := sg.Options[0]
	if first.Start != "2026-12-09T08:00:00+02:00" || first.Delta.Soft != 0 || first.Delta.Medium != 0 {
		t.Errorf("first option %+v, want the current booking with a zero delta", first)
	}
	for _, o := range sg.Options[1:] {
		if o.Delta.Components.Change != 400 {
			t.Errorf("moving the booking must cost the change weight 400: %+v", o.Delta)
		}
	}
}

// Suggest's deltas price the graded change: with a second Arabic
// interpreter t3 free on 9 December, taking t3 at the booked 08:00 costs
// change_resource (default 100), any other start the example's change (400).
func TestSuggestDeltaGradedChange(t *testing.T) {
	in := loadInstance(t, filepath.Join("..", "testdata", "example", "instance.json"))
	in.Bookings[0].Start = "2026-12-09T08:00:00+02:00"
	t3 := in.Interpreters[0]
	t3.ID = "t3"
	t3.Availability = []solver.Interval{{Start: "2026-12-09T08:00:00+02:00", End: "2026-12-09T17:00:00+02:00"}}
	in.Interpreters = append(in.Interpreters, t3)
	sg, err := solver.Suggest(in, "I-1", 10)
	if err != nil {
		t.Fatal(err)
	}
	swaps := 0
	for _, o := range sg.Options {
		want := int64(400)
		switch {
		case o.Start == in.Bookings[0].Start && o.Interpreter == "t1":
			want = 0
		case o.Start == in.Bookings[0].Start:
			want = 100
			swaps++
		}
		if o.Delta.Components.Change != want {
			t.Errorf("option %s %s: change %d, want %d", o.Start, o.Interpreter, o.Delta.Components.Change, want)
		}
	}
	if swaps == 0 {
		t.Fatalf("no option keeps 08:00 with t3: %+v", sg.Options)
	}
}

func TestSuggestNoneWithReasonAndEarliestPossible(t *testing.T) {
	in := loadInstance(t, filepath.Join("..", "testdata", "example", "instance.json"))
	// only 7 December is left; the Arabic interpreter works the 8th and 9th,
	// the interviewer the 7th and 9th
	in.Horizon.End = "2026-12-07"
	in.Bookings = in.Bookings[1:]
	sg, err := solver.Suggest(in, "I-1", 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(sg.Options) != 0 {
		t.Fatalf("options %+v, want none", sg.Options)
	}
	if sg.Reason != solver.ReasonNoInterpreterAvailable {
		t.Errorf("reason %s (%s)", sg.Reason, sg.Detail)
	}
	if sg.EarliestPossible != "2026-12-09" {
		t.Errorf("earliest possible %q, want 2026-12-09", sg.EarliestPossible)
	}

	// a window given by the clerk narrows the search and says so
	in = loadInstance(t, filepath.Join("..", "testdata", "example", "instance.json"))
	in.Bookings = in.Bookings[1:]
	sg, err = solver.SuggestFor(in, solver.SuggestRequest{Interview: "I-1", From: "2026-12-10", To: "2026-12-11"})
	if err != nil {
		t.Fatal(err)
	}
	if len(sg.Options) != 0 || sg.Detail == "" {
		t.Fatalf("got %d options, detail %q", len(sg.Options), sg.Detail)
	}
	if _, err := solver.SuggestFor(in, solver.SuggestRequest{Interview: "I-1", From: "2026-12-11", To: "2026-12-10"}); err == nil {
		t.Error("an inverted window must be an error")
	}
	if _, err := solver.Suggest(in, "nope", 5); err == nil {
		t.Error("an unknown interview must be an error")
	}
}
