package generator

import (
	"fmt"
	"math"
	"time"

	"github.com/asylum-scheduling/interviews/solver"
)

// load.go: capacity-bound months. GenerateLoad(size, seed, load) keeps the
// size's demand (its interviews, languages, offices and people) and cuts the
// capacity so that the demand is load times what the rooms and interviewers
// can hold, the way a real surge looks:
//
//   - interviews are long (2–6 h; one of five over 4 h takes a whole day of
//     a room and an interviewer);
//   - the offices are short unevenly: one short of rooms, another of
//     interviewers (surgeFactors), so which resource binds changes by office;
//   - some languages have few interpreters (every third of the demand list
//     from the fourth on keeps a third of its interpreters).
//
// Capacity is counted in half-day sessions: a room or interviewer holds two
// interviews of at most 4 h a day, or one longer one. The load is the
// sessions the interviews need over the smaller of the room and the
// interviewer sessions; Load measures it on an instance.

// surgeDurations are the interview lengths of a surge month, with weights
// in percent.
var surgeDurations = []struct{ minutes, weight int }{
	{120, 10}, {180, 35}, {240, 25}, {300, 15}, {360, 15},
}

// surgeFactors are per office (by index, cyclic) how much shorter than the
// average it is of rooms and of interviewers: above 1 is shorter.
var surgeFactors = []struct{ rooms, interviewers float64 }{
	{1.0, 1.0}, {1.25, 0.9}, {0.9, 1.25}, {1.05, 1.05},
}

// GenerateLoad is Generate with the capacity cut to a load factor: load
// (> 1 for a surge, e.g. 1.8) is the demand over the capacity of rooms and
// interviewers, in half-day sessions (see Load). Load 0 is Generate. The same
// (size, seed, load) always gives the same instance.
func GenerateLoad(size string, seed int64, load float64) (*solver.Instance, error) {
	if load == 0 {
		return Generate(size, seed)
	}
	if math.IsNaN(load) || load < 0.5 || load > 5 {
		return nil, fmt.Errorf("generator: load %v out of range (0.5–5, or 0 for the size as it is)", load)
	}
	spec, ok := specOf(size)
	if !ok {
		return nil, fmt.Errorf("generator: unknown size %q (want one of %v or %v)", size, Sizes, LargeSizes)
	}
	return generateSpec(surgeSpec(spec, load), seed)
}

// surgeSpec cuts spec's rooms and interviewers to the load and marks it a
// surge (long interviews, scarce languages).
func surgeSpec(spec sizeSpec, load float64) sizeSpec {
	s := spec
	s.load = load
	s.rooms = make([]int, len(spec.rooms))
	s.interviewers = make([]int, len(spec.interviewers))
	offs := spec.officeList()
	workdays := float64(5 * spec.weeks)
	sessions := 0.0 // expected sessions per interview
	for _, d := range surgeDurations {
		n := 1.0
		if d.minutes > 240 {
			n = 2
		}
		sessions += n * float64(d.weight) / 100
	}
	// Sessions one room and one interviewer give in the month: a few rooms
	// are bookable three days a week; interviewers have days off, a week of
	// holiday now and then, and some work part time (see makeRooms and
	// makeInterviewers).
	perRoom := 2 * workdays * 0.95
	perInterviewer := 2 * workdays * 0.9 * 0.97 * 0.95
	// each office's share of the capacity is its share of the demand over
	// its shortness; the totals meet the load
	var wr, we float64
	for k, o := range offs {
		f := surgeFactors[k%len(surgeFactors)]
		wr += float64(o.share) / f.rooms
		we += float64(o.share) / f.interviewers
	}
	demand := float64(spec.interviews) * sessions / load
	wantRooms, wantIvrs := make([]float64, len(offs)), make([]float64, len(offs))
	for k, o := range offs {
		f := surgeFactors[k%len(surgeFactors)]
		wantRooms[k] = demand / perRoom * float64(o.share) / f.rooms / wr
		wantIvrs[k] = demand / perInterviewer * float64(o.share) / f.interviewers / we
	}
	s.rooms, s.interviewers = apportion(wantRooms), apportion(wantIvrs)
	return s
}

// apportion rounds want to whole numbers of at least one with the total
// rounded as a whole (largest remainders first).
func apportion(want []float64) []int {
	out := make([]int, len(want))
	total := 0.0
	given := 0
	for k, w := range want {
		out[k] = max(1, int(w))
		total += w
		given += out[k]
	}
	for given < int(math.Round(total)) {
		best := -1
		for k, w := range want {
			if best < 0 || w-float64(out[k]) > want[best]-float64(out[best]) {
				best = k
			}
		}
		out[best]++
		given++
	}
	return out
}

// surgeDuration draws the length of an interview of a surge month.
func (g *gen) surgeDuration() int {
	r := g.rng.IntN(100)
	for _, d := range surgeDurations {
		if r < d.weight {
			return d.minutes
		}
		r -= d.weight
	}
	return surgeDurations[0].minutes
}

// scarceLanguage reports whether primary language p has few interpreters in
// a surge month: every third language of the demand list from the fourth on
// (not the largest ones, which a surge staffs first).
func (s sizeSpec) scarceLanguage(p string) bool {
	if s.load == 0 {
		return false
	}
	seen := map[string]bool{}
	k := 0
	for _, l := range s.demandList() {
		q := primary(l.tag)
		if seen[q] {
			continue
		}
		seen[q] = true
		if q == p {
			return k >= 3 && k%3 == 0
		}
		k++
	}
	return false
}

// Load returns the demand of in over the capacity of its rooms and
// interviewers, in half-day sessions: each interview needs one session, or
// two when it is longer than 4 h; each room gives two a day it is
// available, each interviewer two (at most max_interviews_per_day) a day.
func Load(in *solver.Instance) float64 {
	demand := 0
	for _, iv := range in.Interviews {
		demand++
		if iv.DurationMinutes > 240 {
			demand++
		}
	}
	rooms, interviewers := sessions(in)
	return float64(demand) / float64(max(1, min(rooms, interviewers)))
}

// sessions counts the half-day sessions of rooms and interviewers.
func sessions(in *solver.Instance) (rooms, interviewers int) {
	workdays := 0
	hs, _ := solver.ParseDate(in.Horizon.Start)
	he, _ := solver.ParseDate(in.Horizon.End)
	for d := hs; d <= he; d++ {
		if wd := time.Unix(int64(d)*86400, 0).UTC().Weekday(); wd != time.Saturday && wd != time.Sunday {
			workdays++
		}
	}
	for _, r := range in.Rooms {
		if r.Availability == nil {
			rooms += 2 * workdays
		} else {
			rooms += 2 * len(r.Availability)
		}
	}
	for _, e := range in.Interviewers {
		perDay := 2
		if e.MaxInterviewsPerDay != nil {
			perDay = min(2, *e.MaxInterviewsPerDay)
		}
		interviewers += perDay * len(e.Availability)
	}
	return rooms, interviewers
}
