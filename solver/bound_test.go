package solver_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/generator"
	"github.com/asylum-scheduling/interviews/solver"
)

// tightInstance is a random small instance (randomInstance) with its
// interviews repeated until there are three times as many (at most 22), so
// that they compete for the same people, rooms and days.
func tightInstance(t testing.TB, seed uint64) *solver.Instance {
	t.Helper()
	in := randomInstance(t, seed)
	n := len(in.Interviews)
	for k := 0; len(in.Interviews) < 3*n && len(in.Interviews) < 22; k++ {
		iv := in.Interviews[k%n]
		iv.ID = fmt.Sprintf("%s-c%d", iv.ID, k)
		in.Interviews = append(in.Interviews, iv)
	}
	require.NoError(t, solver.Validate(in))
	return in
}

// assertBoundBelow checks the bound against a valid schedule of the same
// instance: never above its medium, and consistent in itself. The trivial
// part is the priority of the interviews the schedule leaves over for a
// reason other than capacity (they fit nowhere even in an empty schedule).
func assertBoundBelow(t *testing.T, what string, in *solver.Instance, b *solver.Bound, s *solver.Schedule) {
	t.Helper()
	if b.Medium > s.Score.Medium {
		t.Errorf("%s: bound %d is above the medium %d of a valid schedule", what, b.Medium, s.Score.Medium)
	}
	if !(b.Trivial <= b.Alone && b.Alone <= b.Medium && b.Medium <= b.Total) {
		t.Errorf("%s: want trivial %d ≤ alone %d ≤ bound %d ≤ total %d", what, b.Trivial, b.Alone, b.Medium, b.Total)
	}
	prio := map[string]int64{}
	for _, iv := range in.Interviews {
		prio[iv.ID] = int64(iv.Prio())
	}
	var trivial int64
	for _, u := range s.Unscheduled {
		if u.Reason != solver.ReasonCapacity {
			trivial += prio[u.Interview]
		}
	}
	if trivial != b.Trivial {
		t.Errorf("%s: trivial bound %d, but the schedule leaves priority %d over for reasons other than capacity", what, b.Trivial, trivial)
	}
	var lost int64
	for _, bd := range b.Binding {
		lost += bd.Lost
		if bd.Text == "" || bd.Lost <= 0 || bd.Count < len(bd.Interviews) || len(bd.Interviews) == 0 {
			t.Errorf("%s: binding %+v", what, bd)
		}
	}
	if lost != b.Medium {
		t.Errorf("%s: the bindings lose %d in all, the bound is %d", what, lost, b.Medium)
	}
}

// TestBoundNeverAboveASchedule: on 400 random small instances (200 as
// drawn, 200 tight), the bound is at most the medium of the optimiser's
// schedule and of first fit.
func TestBoundNeverAboveASchedule(t *testing.T) {
	t.Parallel()
	for seed := uint64(1); seed <= 200; seed++ {
		for _, tight := range []bool{false, true} {
			in := randomInstance(t, seed)
			if tight {
				in = tightInstance(t, seed)
			}
			what := fmt.Sprintf("seed %d tight %v", seed, tight)
			b, err := solver.ComputeBound(context.Background(), in, solver.BoundOptions{})
			require.NoError(t, err, what)
			s, err := solver.Solve(context.Background(), in, solver.Options{Iterations: 300, Seed: int64(seed)})
			require.NoError(t, err, what)
			assertBoundBelow(t, what, in, b, s)
			ff, err := solver.FirstFit(in)
			require.NoError(t, err, what)
			assertBoundBelow(t, what+" first fit", in, b, ff)
			require.NotNil(t, s.Stats.Bound, what)
			require.Equal(t, b.Medium, *s.Stats.Bound, what+": the solve's statistics carry the bound")
			require.Equal(t, s.Score.Medium-b.Medium, *s.Stats.Gap, what)
			if b.Medium > 0 {
				require.NotEmpty(t, s.Stats.Binding, what+": and what binds")
			}
		}
	}
}

// TestBoundGeneratedSizes: on every generated size the bound is at most the
// medium of a solve, and is found in time (the timings themselves are in
// BenchmarkBound).
func TestBoundGeneratedSizes(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		size string
		seed int64
	}{{"S", 1}, {"S", 2}, {"M", 1}, {"M", 2}, {"L", 1}, {"L", 2}, {"XL", 1}, {"XL", 2}} {
		in, err := generator.Generate(c.size, c.seed)
		require.NoError(t, err)
		what := fmt.Sprintf("%s/%d", c.size, c.seed)
		b, err := solver.ComputeBound(context.Background(), in, solver.BoundOptions{TimeLimit: 60 * time.Second})
		require.NoError(t, err, what)
		s, err := solver.Solve(context.Background(), in, solver.Options{Iterations: 100, Seed: c.seed})
		require.NoError(t, err, what)
		assertBoundBelow(t, what, in, b, s)
		t.Logf("%s: bound %d (trivial %d), solve medium %d, %s, %d ms", what, b.Medium, b.Trivial, s.Score.Medium, b.Relaxation, b.MS)
	}
}

// TestBoundClosesHalfTheDistance: on tight random instances the bound
// closes at least half of the distance between the trivial bound and the
// optimum, summed over the instances. The optimum is proven where the bound
// equals the medium of a schedule found; elsewhere that medium stands in for
// it, which can only make the measured figure smaller than the true one.
func TestBoundClosesHalfTheDistance(t *testing.T) {
	t.Parallel()
	var closed, distance int64
	proven, nontrivial := 0, 0
	for seed := uint64(1); seed <= 200; seed++ {
		in := tightInstance(t, seed)
		b, err := solver.ComputeBound(context.Background(), in, solver.BoundOptions{})
		require.NoError(t, err)
		s, err := solver.Solve(context.Background(), in, solver.Options{Iterations: 5000, Seed: int64(seed)})
		require.NoError(t, err)
		best := s.Score.Medium
		if best == b.Medium {
			proven++
		}
		if best > b.Trivial {
			nontrivial++
			t.Logf("seed %3d: trivial %3d  bound %3d  optimum %3d%s  closed %d/%d", seed, b.Trivial, b.Medium, best,
				map[bool]string{true: "", false: " (best found, not proven)"}[best == b.Medium], b.Medium-b.Trivial, best-b.Trivial)
		}
		closed += b.Medium - b.Trivial
		distance += best - b.Trivial
	}
	t.Logf("closed %d of %d (%.1f %%) over %d instances with a distance; optimum proven on %d of 200", closed, distance, 100*float64(closed)/float64(max(distance, 1)), nontrivial, proven)
	require.Greater(t, distance, int64(0), "the instances must have some distance to close")
	if 2*closed < distance {
		t.Errorf("the bound closes %d of the distance %d: less than half", closed, distance)
	}
}

// boundTInstance: one office with two rooms and two interviewers all week,
// one Tigrinya interpreter on Monday 8–16 only, and three 3-hour Tigrinya
// interviews (priorities 1, 2, 3) that may take place all week: only two fit
// into the interpreter's eight hours.
func boundTInstance() *solver.Instance {
	week := []solver.Interval{}
	for d := 7; d <= 11; d++ {
		week = append(week, solver.Interval{Start: fmt.Sprintf("2026-12-%02dT08:00:00+02:00", d), End: fmt.Sprintf("2026-12-%02dT16:00:00+02:00", d)})
	}
	in := &solver.Instance{
		Format: solver.InstanceFormat, Timezone: "Europe/Helsinki",
		Horizon:   solver.DateRange{Start: "2026-12-07", End: "2026-12-11"},
		Locations: []solver.Location{{ID: "HEL", Name: "Helsinki"}},
		Rooms:     []solver.Room{{ID: "R1", Location: "HEL", Features: []string{}}, {ID: "R2", Location: "HEL", Features: []string{}}},
		Interviewers: []solver.Interviewer{
			{ID: "E1", Location: "HEL", Skills: []string{}, Languages: []string{}, Availability: week},
			{ID: "E2", Location: "HEL", Skills: []string{}, Languages: []string{}, Availability: week},
		},
		Interpreters: []solver.Interpreter{{ID: "T1", Languages: []string{"ti"}, Skills: []string{}, Modes: []string{"onsite"}, Locations: []string{"HEL"},
			Availability: week[:1]}},
	}
	for k := 1; k <= 3; k++ {
		p := k
		in.Interviews = append(in.Interviews, solver.Interview{ID: fmt.Sprintf("I-%d", k), Case: fmt.Sprintf("C-%d", k), Language: "ti",
			DurationMinutes: 180, Earliest: "2026-12-07", Priority: &p, Locations: []string{"HEL"}})
	}
	return in
}

func TestBoundNamesTheBindingResource(t *testing.T) {
	t.Parallel()
	in := boundTInstance()
	b, err := solver.ComputeBound(context.Background(), in, solver.BoundOptions{})
	require.NoError(t, err)
	require.Equal(t, int64(0), b.Trivial, "each interview fits alone")
	require.Equal(t, int64(1), b.Medium, "only two of three fit; the cheapest to leave out has priority 1")
	require.True(t, b.Exact)
	require.Len(t, b.Binding, 1)
	bd := b.Binding[0]
	require.Equal(t, "interpreter", bd.Kind)
	require.Equal(t, []string{"T1"}, bd.Resources)
	require.Equal(t, "2026-12-07", bd.From)
	require.Equal(t, "2026-12-07", bd.To)
	require.ElementsMatch(t, []string{"I-1", "I-2", "I-3"}, bd.Interviews)
	require.True(t, strings.Contains(bd.Text, "Tigrinya (ti) interpreter time on 2026-12-07 is the limit (T1)"), bd.Text)
	s, err := solver.Solve(context.Background(), in, solver.Options{Iterations: 100})
	require.NoError(t, err)
	require.Equal(t, int64(1), s.Score.Medium)
	require.Equal(t, int64(0), *s.Stats.Gap)

	// a second interpreter on Tuesday makes room for all three
	in.Interpreters = append(in.Interpreters, in.Interpreters[0])
	in.Interpreters[1].ID = "T2"
	in.Interpreters[1].Availability = []solver.Interval{{Start: "2026-12-08T08:00:00+02:00", End: "2026-12-08T16:00:00+02:00"}}
	b, err = solver.ComputeBound(context.Background(), in, solver.BoundOptions{})
	require.NoError(t, err)
	require.Equal(t, int64(0), b.Medium)
	require.Empty(t, b.Binding)
	require.Equal(t, "alone", b.Relaxation)
}

// TestBoundLayoutOfStartTimes: with start times 08:00 and 10:00 only, two
// 3-hour interviews fit into the interpreter's six hours 08:00–14:00 by
// minutes, but not by starts (08:00–11:00 and 10:00–13:00 overlap).
func TestBoundLayoutOfStartTimes(t *testing.T) {
	t.Parallel()
	in := boundTInstance()
	in.StartTimes = []string{"08:00", "10:00"}
	in.Interpreters[0].Availability = []solver.Interval{{Start: "2026-12-07T08:00:00+02:00", End: "2026-12-07T14:00:00+02:00"}}
	in.Interviews = in.Interviews[:2]
	b, err := solver.ComputeBound(context.Background(), in, solver.BoundOptions{})
	require.NoError(t, err)
	require.Equal(t, int64(1), b.Medium, "08:00–11:00 and 10:00–13:00 overlap: one of the two is left over")
}

// BenchmarkBound measures ComputeBound on the generated L and XL (seed 1).
// Targets: L within 10 s, XL within 30 s.
func BenchmarkBound(b *testing.B) {
	for _, size := range []string{"L", "XL"} {
		b.Run(size, func(b *testing.B) {
			in := benchInstance(b, size)
			for b.Loop() {
				bd, err := solver.ComputeBound(context.Background(), in, solver.BoundOptions{TimeLimit: 30 * time.Second})
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(bd.Medium), "bound")
			}
		})
	}
}
