package solver_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/solver"
)

// relaxationSeeds is how many random small instances the property test
// draws (each as drawn and tight): a planted error in the knapsack
// relaxation survived the 200 seeds of TestBoundNeverAboveASchedule and
// showed at 3,000, because there the knapsack only counts when the exact
// search cannot finish; here each relaxation is checked on its own.
const relaxationSeeds = 2500

// TestRelaxationsNeverBelowASchedule: on thousands of random small
// instances, every relaxation behind the bound (the knapsack of each family,
// the packer, the component-wise solution, for the combined relaxation and
// each family alone) claims at least the priority that first fit and a
// short search hold: each one is an upper bound on what a valid schedule
// can hold, and none may lean on another to hide an error.
func TestRelaxationsNeverBelowASchedule(t *testing.T) {
	t.Parallel()
	var checks, schedules int
	for seed := uint64(1000); seed < 1000+relaxationSeeds; seed++ {
		for _, tight := range []bool{false, true} {
			in := randomInstance(t, seed)
			if tight {
				in = tightInstance(t, seed)
			}
			what := fmt.Sprintf("seed %d tight %v", seed, tight)
			ubs, held, err := solver.RelaxationUpperBounds(in)
			require.NoError(t, err, what)
			ff, err := solver.FirstFit(in)
			require.NoError(t, err, what)
			got := []*solver.Schedule{ff}
			if seed%5 == 0 {
				s, err := solver.Solve(context.Background(), in, solver.Options{Iterations: 200, Seed: int64(seed)})
				require.NoError(t, err, what)
				got = append(got, s)
			}
			for _, s := range got {
				schedules++
				h := held(s)
				for name, ub := range ubs {
					checks++
					if ub < h {
						t.Errorf("%s: %s claims at most %d, a valid schedule holds %d", what, name, ub, h)
					}
				}
			}
		}
	}
	t.Logf("%d upper bounds checked against %d schedules", checks, schedules)
}

// tinyInstance is a random instance small enough to try every schedule:
// one or two days, at most six interviews, few people and rooms, and often
// the generated start times (a morning and an afternoon session).
func tinyInstance(t testing.TB, seed uint64) *solver.Instance {
	t.Helper()
	in := randomInstance(t, seed)
	rng := rand.New(rand.NewPCG(seed, 99))
	in.Horizon.End = in.Horizon.Start
	if rng.IntN(2) == 0 {
		in.Horizon.End = "2027-03-23"
	}
	if rng.IntN(2) == 0 {
		in.StartTimes = []string{"08:30", "09:00", "12:30", "13:00"}
	}
	keep := in.Interviews[:0]
	for _, iv := range in.Interviews {
		if iv.Earliest > in.Horizon.End || len(keep) >= 6 {
			continue
		}
		iv.Latest = ""
		iv.Locations = iv.Locations[:1]
		keep = append(keep, iv)
	}
	in.Interviews = keep
	for len(in.Interviews) > 0 && len(in.Interviews) < 6 && rng.IntN(3) > 0 {
		iv := in.Interviews[rng.IntN(len(in.Interviews))]
		iv.ID = fmt.Sprintf("%s-b%d", iv.ID, len(in.Interviews))
		iv.DurationMinutes = []int{120, 180, 240, 300, 360}[rng.IntN(5)] / in.Grain() * in.Grain()
		in.Interviews = append(in.Interviews, iv)
	}
	trim := func(n int) int { return min(n, 2) }
	in.Rooms = in.Rooms[:trim(len(in.Rooms))]
	in.Interviewers = in.Interviewers[:trim(len(in.Interviewers))]
	in.Interpreters = in.Interpreters[:min(len(in.Interpreters), 3)]
	if solver.Validate(in) != nil {
		return nil // a trimmed reference; draw another
	}
	return in
}

// TestRelaxationsBruteForce: on tiny instances the best schedule is found by
// trying every option of every interview; every relaxation claims at least
// its priority, and the bound is at most its medium.
func TestRelaxationsBruteForce(t *testing.T) {
	t.Parallel()
	tried, tight := 0, 0
	for seed := uint64(1); tried < 400; seed++ {
		in := tinyInstance(t, seed)
		if in == nil || len(in.Interviews) == 0 {
			continue
		}
		tried++
		what := fmt.Sprintf("tiny seed %d", seed)
		best, err := solver.BruteForceMaxPriority(in)
		require.NoError(t, err, what)
		ubs, _, err := solver.RelaxationUpperBounds(in)
		require.NoError(t, err, what)
		var total, pinned int64
		pins := map[string]bool{}
		for _, b := range in.Bookings {
			pins[b.Interview] = pins[b.Interview] || b.Pinned
		}
		for _, iv := range in.Interviews {
			total += int64(iv.Prio())
			if pins[iv.ID] {
				pinned += int64(iv.Prio())
			}
		}
		for name, ub := range ubs {
			if ub < best-pinned { // the relaxations are of the unpinned interviews
				t.Errorf("%s: %s claims at most %d, the best schedule holds %d besides the pinned bookings", what, name, ub, best-pinned)
			}
		}
		b, err := solver.ComputeBound(context.Background(), in, solver.BoundOptions{})
		require.NoError(t, err, what)
		if b.Medium > total-best {
			t.Errorf("%s: bound %d, but the best schedule leaves %d unscheduled", what, b.Medium, total-best)
		}
		if b.Medium == total-best && best < total {
			tight++
		}
	}
	t.Logf("%d tiny instances; the bound equals the optimum with something lost on %d", tried, tight)
}
