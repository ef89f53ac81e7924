package capacity

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"time"

	"github.com/asylum-scheduling/interviews/solver"
)

// BaselineName is the name of the run of the unchanged base instance, and
// RepeatName of its second solve with another seed, whose difference from
// the first is the search's noise (Comparison.Spread); the repeat is not
// among the comparison's runs.
const (
	BaselineName = "baseline"
	RepeatName   = "baseline, second seed"
)

// DefaultTimeLimit is the total budget of Run when RunOptions gives none.
const DefaultTimeLimit = 60 * time.Second

// RunOptions steer Run.
type RunOptions struct {
	// TimeLimit is the total budget of the call, preparing the variants
	// and measuring the results included: every run gets the same share of
	// what is left after preparing, and Run returns within TimeLimit plus a
	// small margin (PerRunLimit). Default DefaultTimeLimit.
	TimeLimit time.Duration
	// Parallel is the number of runs solved at the same time (default:
	// GOMAXPROCS, at most the number of runs). Each run uses one worker.
	Parallel int
	// Seed of every run (the same for all, so that runs differ only by
	// their changes); the baseline's repeat has Seed+1.
	Seed int64
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Phases of a run in Progress.
const (
	PhaseQueued  = "queued"
	PhaseSolving = "solving"
	PhaseDone    = "done"
)

// Progress reports one run's state. Fraction is the part of the whole
// call's work done, 0 to 1.
type Progress struct {
	Run         int     `json:"run"` // 0 is the baseline
	Name        string  `json:"name"`
	Phase       string  `json:"phase"`
	RunFraction float64 `json:"run_fraction"` // of this run, 0 to 1
	Fraction    float64 `json:"fraction"`
}

// plan is how a budget is split: rounds of parallel runs, each with limit.
type plan struct {
	parallel int
	limit    time.Duration
}

// PerRunLimit returns the time limit each of n runs gets from a total budget
// when parallel of them are solved at a time: the runs go in
// ceil(n/parallel) rounds, and a round takes at most its limit plus the
// solver's margin (solver.Margin), so the rounds fit in the total.
func PerRunLimit(total time.Duration, n, parallel int) time.Duration {
	return splitBudget(total, n, parallel).limit
}

func splitBudget(total time.Duration, n, parallel int) plan {
	if parallel <= 0 {
		parallel = runtime.GOMAXPROCS(0)
	}
	parallel = max(1, min(parallel, n))
	rounds := (n + parallel - 1) / parallel
	per := total / time.Duration(rounds)
	// limit + max(limit/10, 1 s) ≤ per.
	limit := min(per*10/11, per-time.Second)
	if limit < 100*time.Millisecond {
		limit = 100 * time.Millisecond
	}
	return plan{parallel: parallel, limit: limit}
}

// Run solves the base instance and every variant of the scenario with the
// same budget and seed, and compares them, the baseline first. The baseline
// is solved a second time with another seed (the last of the runs in
// Progress): how far the two differ is the search's noise, and each
// variant's Effect says whether it differs from the baseline by more.
// progress, when not nil, is called from one goroutine at a time.
func Run(ctx context.Context, base *solver.Instance, sc Scenario, opt RunOptions, progress func(Progress)) (*Comparison, error) {
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	t0 := now()
	if err := solver.Validate(base); err != nil {
		return nil, err
	}
	variants, err := applyAll(base, &sc)
	if err != nil {
		return nil, err
	}
	names := []string{BaselineName}
	for _, v := range sc.Variants {
		names = append(names, v.Name)
	}
	names = append(names, RepeatName)
	ins := append(append([]*solver.Instance{base}, variants...), base)
	seeds := make([]int64, len(ins))
	for i := range seeds {
		seeds[i] = opt.Seed
	}
	seeds[len(seeds)-1] = opt.Seed + 1
	total := opt.TimeLimit
	if total <= 0 {
		total = DefaultTimeLimit
	}
	// The runs share what is left after preparing them, less a reserve
	// for measuring their results.
	left := total - now().Sub(t0)
	pl := splitBudget(left-max(100*time.Millisecond, left/50), len(ins), opt.Parallel)
	scheds, err := solveAll(ctx, ins, names, seeds, pl, progress, opt.Now)
	if err != nil {
		return nil, err
	}
	return compare(sc, ins, names, scheds, total, pl)
}

// compare measures the solved runs (the repeat last) and judges each
// variant against the baseline.
func compare(sc Scenario, ins []*solver.Instance, names []string, scheds []*solver.Schedule, total time.Duration, pl plan) (*Comparison, error) {
	cmp := &Comparison{Format: ComparisonFormat, TimeLimitMS: total.Milliseconds(), PerRunLimitMS: pl.limit.Milliseconds()}
	results := make([]*RunResult, len(ins))
	for i, in := range ins {
		r, err := measure(names[i], in, scheds[i])
		if err != nil {
			return nil, err
		}
		results[i] = r
	}
	n := len(ins) - 1 // the repeat is last
	cmp.Spread = spreadOf(results[0], results[n])
	for i, r := range results[:n] {
		if i > 0 {
			r.Effect = effectOf(results[0], r, ins[i], cmp.Spread, relaxes(sc.Variants[i-1]))
			r.advise()
			r.Description = Describe(sc.Variants[i-1])
		}
		cmp.Runs = append(cmp.Runs, *r)
	}
	return cmp, nil
}

// reporter serialises progress calls and computes the overall fraction.
type reporter struct {
	mu    sync.Mutex
	f     func(Progress)
	share []float64
}

func (r *reporter) report(i int, name, phase string, share float64) {
	if r.f == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.share[i] = max(r.share[i], min(share, 1))
	sum := 0.0
	for _, s := range r.share {
		sum += s
	}
	r.f(Progress{Run: i, Name: name, Phase: phase, RunFraction: r.share[i], Fraction: sum / float64(len(r.share))})
}

// solveAll solves the instances, pl.parallel at a time, each within
// pl.limit and with its seed.
func solveAll(ctx context.Context, ins []*solver.Instance, names []string, seeds []int64, pl plan, progress func(Progress), now func() time.Time) ([]*solver.Schedule, error) {
	rep := &reporter{f: progress, share: make([]float64, len(ins))}
	for i := range ins {
		rep.report(i, names[i], PhaseQueued, 0)
	}
	out := make([]*solver.Schedule, len(ins))
	errs := make([]error, len(ins))
	sem := make(chan struct{}, pl.parallel)
	var wg sync.WaitGroup
	for i := range ins {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			if ctx.Err() != nil {
				errs[i] = ctx.Err()
				return
			}
			rep.report(i, names[i], PhaseSolving, 0)
			out[i], errs[i] = solver.Solve(ctx, ins[i], solver.Options{
				TimeLimit: pl.limit, Seed: seeds[i], Workers: 1, Now: now,
				Progress: func(p solver.Progress) {
					rep.report(i, names[i], PhaseSolving, float64(p.Elapsed)/float64(pl.limit))
				},
			})
			rep.report(i, names[i], PhaseDone, 1)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, errors.Join(errors.New("capacity: run "+names[i]+" failed"), err)
		}
	}
	return out, nil
}
