package solver

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// budget.go: the time limit is a promise. Solve counts the limit from
// Options.Start (default: the call) and keeps back a reserve for the last
// steps (reasons, rendering and the self-check with Check), estimated from
// how long validation and compilation took on this machine, then measured:
// the first schedule is finished beside the search. Construction
// switches to first fit for the rest when best insertion would not finish
// in time, and stops placing at the limit; the search stops when the
// reserve begins.

// Phases of a solve, as Progress reports them.
const (
	PhaseConstruction = "construction" // building the first schedule
	PhaseSearch       = "search"       // improving it
	PhaseFinishing    = "finishing"    // reasons, rendering, the self-check
)

// run is one call of Solve: its clock, its deadlines and its progress.
type run struct {
	ctx      context.Context
	now      func() time.Time
	t0       time.Time // the limit counts from here
	limited  bool
	limit    time.Duration
	finishAt atomic.Int64 // unix ns: construction and search end here, the reserve remains
	stopBy   time.Time    // first-fit completion of construction stops here (half the margin later)
	shared   *bestSoFar
}

// reserveFactor times the preparation (validation and compilation) is the
// reserve kept for finishing: on the generated sizes the last steps take
// 6-12 times as long as the preparation (up to 15 when a garbage collection
// falls into them). The reserve is at most half the limit, and at most a
// twentieth of it and a second: a preparation slowed by a busy machine must
// not cost the search much, and the margin absorbs the rest.
const reserveFactor = 10

// newRun sets the deadlines of a solve that started at t0 (the limit's
// origin) and spent prep on validation and compilation.
func newRun(ctx context.Context, opt Options, now func() time.Time, t0 time.Time, prep time.Duration, shared *bestSoFar) *run {
	r := &run{ctx: ctx, now: now, t0: t0, shared: shared}
	if opt.TimeLimit <= 0 {
		return r
	}
	r.limited, r.limit = true, opt.TimeLimit
	reserve := min(max(reserveFactor*prep, 10*time.Millisecond), opt.TimeLimit/2, opt.TimeLimit/20+time.Second)
	r.finishAt.Store(t0.Add(opt.TimeLimit - reserve).UnixNano())
	r.stopBy = r.finishBy().Add(Margin(opt.TimeLimit) / 2)
	return r
}

// finishesInTime reports whether finishing a schedule that takes d, begun
// now, ends within the limit (always, without one).
func (r *run) finishesInTime(d time.Duration) bool {
	return !r.limited || !r.now().Add(d).After(r.t0.Add(r.limit))
}

// finishBy is when construction and search end: the reserve for finishing
// begins.
func (r *run) finishBy() time.Time { return time.Unix(0, r.finishAt.Load()) }

// measured replaces the estimated reserve by a measured one: finishing the
// first schedule took d (while the search ran beside it), so the search ends
// a quarter more than d before the limit.
func (r *run) measured(d time.Duration) {
	if r.limited {
		reserve := min(d+d/4+10*time.Millisecond, r.limit/2)
		r.finishAt.Store(r.t0.Add(r.limit - reserve).UnixNano())
	}
}

// Margin is how far past its time limit a solve may return: 10 % of the
// limit or one second, whichever is larger. Solve aims at the limit itself;
// only completing an unfinished construction first fit may use half the
// margin (a schedule placing most interviews is worth more than one placing
// none in time).
func Margin(limit time.Duration) time.Duration {
	return max(limit/10, time.Second)
}

// over reports whether construction and search must stop: the context is
// done or the reserve has begun.
func (r *run) over() bool {
	if r == nil {
		return false
	}
	return r.ctx.Err() != nil || r.limited && !r.now().Before(r.finishBy())
}

// mustStop reports whether even first-fit completion must stop.
func (r *run) mustStop() bool {
	if r == nil {
		return false
	}
	return r.ctx.Err() != nil || r.limited && !r.now().Before(r.stopBy)
}

// hurry reports whether best insertion of the remaining interviews, at the
// pace so far (spent on done of them), would run into the reserve even if
// the rest were placed first fit at a third of that pace.
func (r *run) hurry(started time.Time, done, remaining int) bool {
	if r == nil || !r.limited {
		return r.over()
	}
	now := r.now()
	if done == 0 {
		return !now.Before(r.finishBy())
	}
	pace := now.Sub(started) / time.Duration(done)
	return !now.Add(pace * time.Duration(remaining) / 3).Before(r.finishBy())
}

// quiet is the run with its deadlines but without progress: for a
// construction beside the one that reports.
func (r *run) quiet() *run {
	if r == nil {
		return nil
	}
	q := &run{ctx: r.ctx, now: r.now, t0: r.t0, limited: r.limited, limit: r.limit, stopBy: r.stopBy}
	q.finishAt.Store(r.finishAt.Load())
	return q
}

// phase sets the phase Progress reports.
func (r *run) phase(p string) {
	if r == nil || r.shared == nil {
		return
	}
	r.shared.mu.Lock()
	r.shared.phase = p
	r.shared.mu.Unlock()
}

// placed publishes a construction state as the progress.
func (r *run) placed(st *state) {
	if r == nil || r.shared == nil {
		return
	}
	r.shared.mu.Lock()
	r.shared.nAsg, r.shared.score, r.shared.key = st.nAsg, st.score(), st.key()
	r.shared.mu.Unlock()
}

// report calls opt.Progress about every opt.ProgressEvery until the
// returned stop is called (stop waits for the reporter to end).
func (r *run) report(opt Options, total int) (stop func()) {
	if opt.Progress == nil {
		return func() {}
	}
	every := opt.ProgressEvery
	if every <= 0 {
		every = time.Second
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		// ticks at whole periods since t0; when reading the instance took
		// longer than a period, the first report comes at once
		next := r.t0
		timer := time.NewTimer(time.Hour)
		defer timer.Stop()
		for first := true; ; first = false {
			now := r.now()
			wait := time.Duration(0)
			if !first || now.Sub(r.t0) < every {
				for !next.After(now) {
					next = next.Add(every)
				}
				wait = next.Sub(now)
			}
			timer.Reset(wait)
			select {
			case <-done:
				return
			case <-timer.C:
				s := r.shared
				s.mu.Lock()
				var it int64
				for _, n := range s.iters {
					it += n
				}
				p := Progress{Elapsed: r.now().Sub(r.t0), Phase: s.phase, Best: s.score, Scheduled: s.nAsg, Total: total, Iterations: it}
				s.mu.Unlock()
				opt.Progress(p)
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			close(done)
			wg.Wait()
		})
	}
}

// now0 is the run's clock reading, or the zero time without a run.
func (r *run) now0() time.Time {
	if r == nil {
		return time.Time{}
	}
	return r.now()
}
