package scheduler

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

// Limits of plans.
const (
	DefaultPlanTimeLimit = 10 * time.Second
	MaxPlanTimeLimit     = 10 * time.Minute
	MaxPlanDays          = 92
	DefaultMaxRunning    = 2
)

// Reasons a plan ends without a result.
var (
	errPlanCancelled = errors.New("cancelled")
	errShutdown      = errors.New("server shut down while the plan was running")
)

// Planner runs batch plans: a solver run over a window of dates around the
// current bookings, in the background, with its progress and result in the
// database. A plan books nothing until a manager accepts it.
type Planner struct {
	db  *postgres.DB
	svc *Service // books the accepted items
	log *slog.Logger
	now func() time.Time
	// Workers are the solver's parallel searches per plan (default 1).
	Workers int
	// MaxRunning bounds the plans this server runs at once (default 2).
	MaxRunning int
	// ProgressEvery is how often a running plan writes its progress
	// (default, and at most, once a second).
	ProgressEvery time.Duration
	// ScenarioParallel is the runs of a scenario solved at once (default:
	// one core fewer than the machine has, at least 1), so that a scenario
	// leaves a core to the requests. Each run solves with one worker.
	ScenarioParallel int
	// Solve and RunScenario solve plans and scenarios (default, nil:
	// solver.Solve and capacity.Run in this process; a ChildSolver's
	// methods run them in a child process at the lowest priority).
	Solve       SolveFunc
	RunScenario ScenarioFunc
	// ProcsPerRun are the Go processors (Ps) added for each solve of a
	// running plan or scenario while it runs (default 2: its search and
	// its bound; -1 adds none): a plan has Workers searches, a scenario
	// ScenarioParallel solves. See reserveProcs.
	ProcsPerRun int

	mu       sync.Mutex
	running  map[int64]*planRun
	reserved int
	wg       sync.WaitGroup
	closed   bool
}

type planRun struct {
	cancel context.CancelCauseFunc
	done   chan struct{}
}

// NewPlanner returns a planner on db that books accepted items with svc.
func NewPlanner(db *postgres.DB, svc *Service, log *slog.Logger, now func() time.Time) *Planner {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.NewJSONHandler(io.Discard, nil))
	}
	if svc == nil {
		svc = New(db, nil, log, now)
	}
	return &Planner{db: db, svc: svc, log: log, now: now, Workers: 1, MaxRunning: DefaultMaxRunning,
		ProgressEvery: time.Second, ScenarioParallel: max(1, runtime.NumCPU()-1), ProcsPerRun: 2, running: map[int64]*planRun{}}
}

// Recover marks failed the plans a dead server left running ("server
// restarted"); plans that live servers run are left alone. A server calls it
// when it starts.
func (p *Planner) Recover(ctx context.Context) ([]int64, error) {
	ids, err := p.db.FailOrphanedPlans(ctx, "server restarted while the plan was running")
	if len(ids) > 0 {
		p.log.WarnContext(ctx, "plans left running by a stopped server marked failed", "plans", ids)
	}
	return ids, err
}

// PlanRequest asks for a plan.
type PlanRequest struct {
	Kind      string // batch (default), nightly or repair
	From, To  string // local dates, inclusive
	TimeLimit time.Duration
	Actor     string // token name or job:NAME
	Absence   *int64 // repair plans: the absence whose broken bookings move
}

// Start records a plan and runs it in the background. It returns at once
// with the plan, status running.
func (p *Planner) Start(ctx context.Context, req PlanRequest) (*resources.Plan, error) {
	if req.Kind == "" {
		req.Kind = resources.PlanBatch
	}
	if err := checkWindow(req.From, req.To); err != nil {
		return nil, err
	}
	if req.TimeLimit < 0 || req.TimeLimit > MaxPlanTimeLimit {
		return nil, errs.Field("time_limit", fmt.Sprintf("time_limit must be between 0s and %s", MaxPlanTimeLimit))
	}
	var plan *resources.Plan
	err := p.begin(ctx, p.Workers, func() (int64, func(), error) {
		pl, release, err := p.db.StartPlan(ctx, resources.NewPlan{Kind: req.Kind, CreatedBy: req.Actor, From: req.From, To: req.To,
			TimeLimit: req.TimeLimit, Absence: req.Absence})
		if err != nil {
			return 0, nil, err
		}
		plan = pl
		return pl.ID, release, nil
	}, func(rctx context.Context) { p.run(rctx, plan, req) })
	if err != nil {
		return nil, err
	}
	return plan, nil
}

// begin takes one of the server's run slots (and Ps for its solves that
// run at once), records the run with record (which returns its id and the
// release of its lock) and does work in the background, cancellable by
// Cancel and stopped by Close.
func (p *Planner) begin(ctx context.Context, solves int, record func() (int64, func(), error), work func(ctx context.Context)) error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return errs.E(errs.Conflict, "the server is shutting down: start it again later")
	}
	if len(p.running)+p.reserved >= max(p.MaxRunning, 1) {
		p.mu.Unlock()
		return errs.E(errs.Conflict, "%d plans or scenarios are running on this server already: wait for one to end or cancel it", len(p.running))
	}
	p.reserved++ // a slot, until the run's row exists
	p.wg.Add(1)
	p.mu.Unlock()
	id, release, err := record()
	p.mu.Lock()
	p.reserved--
	if err != nil {
		p.mu.Unlock()
		p.wg.Done()
		return err
	}
	rctx, cancel := context.WithCancelCause(context.Background())
	run := &planRun{cancel: cancel, done: make(chan struct{})}
	p.running[id] = run
	if p.closed { // Close came meanwhile: the run records that it stopped
		cancel(errShutdown)
	}
	p.mu.Unlock()
	procs := p.ProcsPerRun
	if procs == 0 {
		procs = 2
	}
	procs *= max(solves, 1)
	go func() {
		defer p.wg.Done()
		defer close(run.done)
		defer reserveProcs(procs)()
		defer func() {
			p.mu.Lock()
			delete(p.running, id)
			p.mu.Unlock()
		}()
		defer release()
		defer cancel(nil)
		work(rctx)
	}()
	return nil
}

// Solver work yields to people. The Go scheduler runs a woken goroutine
// (a request back from PostgreSQL) on a free processor (P) at once, but
// when every P runs a solver goroutine it waits in a queue until one is
// preempted, about 10 ms each time: a request that waits on the database
// ten times took 220 ms instead of 4 beside two scenarios. So each running
// plan or scenario adds Ps for its own goroutines while it runs: the
// requests always find a free P, and the operating system shares the
// cores between the threads, where a thread that wakes from waiting (a
// request, a PostgreSQL backend) is run before one that has used up its
// share (a solver). BenchmarkRequestsBesideScenarios measures it.
var solverProcs struct {
	sync.Mutex
	base, extra int
}

// reserveProcs raises GOMAXPROCS by n while the solver runs, and returns
// the step that gives them back. n <= 0 reserves nothing.
func reserveProcs(n int) (release func()) {
	if n <= 0 {
		return func() {}
	}
	solverProcs.Lock()
	defer solverProcs.Unlock()
	if solverProcs.extra == 0 {
		solverProcs.base = runtime.GOMAXPROCS(0)
	}
	solverProcs.extra += n
	runtime.GOMAXPROCS(solverProcs.base + solverProcs.extra)
	return func() {
		solverProcs.Lock()
		defer solverProcs.Unlock()
		solverProcs.extra -= n
		runtime.GOMAXPROCS(solverProcs.base + solverProcs.extra)
	}
}

func checkWindow(from, to string) error {
	var probs []errs.FieldError
	f, err := solver.ParseDate(from)
	if err != nil {
		probs = append(probs, errs.FieldError{Path: "from", Message: "from must be a date YYYY-MM-DD"})
	}
	t, err2 := solver.ParseDate(to)
	if err2 != nil {
		probs = append(probs, errs.FieldError{Path: "to", Message: "to must be a date YYYY-MM-DD"})
	}
	if len(probs) > 0 {
		return errs.WithFields("bad plan window", probs)
	}
	if t < f {
		return errs.Field("to", "to is before from")
	}
	if int(t-f)+1 > MaxPlanDays {
		return errs.Field("to", fmt.Sprintf("a plan covers at most %d days", MaxPlanDays))
	}
	return nil
}

// Wait blocks until plan id, if this server runs it, has ended.
func (p *Planner) Wait(ctx context.Context, id int64) error {
	p.mu.Lock()
	run := p.running[id]
	p.mu.Unlock()
	if run == nil {
		return nil
	}
	select {
	case <-run.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Cancel cancels a running or done plan. A plan running on this server
// stops at once; one running on another server stops at its next progress
// write.
func (p *Planner) Cancel(ctx context.Context, id int64) (*resources.Plan, error) {
	plan, err := p.db.CancelPlan(ctx, id, "cancelled by a manager")
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	run := p.running[id]
	p.mu.Unlock()
	if run != nil {
		run.cancel(errPlanCancelled)
		<-run.done
	}
	return plan, nil
}

// Close stops every plan this server runs; they end failed ("server shut
// down") and may be started again. It waits for them, or for ctx.
func (p *Planner) Close(ctx context.Context) error {
	p.mu.Lock()
	p.closed = true
	for _, r := range p.running {
		r.cancel(errShutdown)
	}
	p.mu.Unlock()
	done := make(chan struct{})
	go func() { p.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Running returns the ids of the plans this server runs.
func (p *Planner) Running() []int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	var ids []int64
	for id := range p.running {
		ids = append(ids, id)
	}
	return ids
}

// run solves the plan and stores its outcome. Its writes use a context of
// their own: a cancelled run still records why it ended.
func (p *Planner) run(ctx context.Context, plan *resources.Plan, req PlanRequest) {
	t0 := time.Now()
	wctx := func() (context.Context, context.CancelFunc) {
		return context.WithTimeout(context.Background(), 10*time.Second)
	}
	end := func(status, reason string) {
		c, cancel := wctx()
		defer cancel()
		if _, err := p.db.EndPlan(c, plan.ID, status, reason); err != nil {
			p.log.Error("plan: recording its end", "plan", plan.ID, "error", err.Error())
		}
		p.log.Info("plan ended", "plan", plan.ID, "kind", plan.Kind, "status", status, "duration_ms", time.Since(t0).Milliseconds())
		p.svc.obs.PlanEnded(plan.Kind, status, time.Since(t0))
	}
	stopped := func() bool {
		switch context.Cause(ctx) {
		case errPlanCancelled:
			end(resources.PlanCancelled, "cancelled by a manager")
			return true
		case errShutdown:
			end(resources.PlanFailed, errShutdown.Error())
			return true
		}
		return false
	}

	in, before, err := p.instance(ctx, req)
	if err != nil {
		if stopped() {
			return
		}
		if errs.CodeOf(err) == errs.Internal {
			p.log.Error("plan: preparing the instance", "plan", plan.ID, "error", err.Error())
		}
		end(resources.PlanFailed, "the current state cannot be planned: "+errs.MessageOf(err))
		return
	}
	var lastWrite time.Time
	every := max(p.ProgressEvery, time.Second)
	opt := solver.Options{
		TimeLimit:     req.TimeLimit,
		Start:         t0, // reading the state counts: the limit is the plan's
		Seed:          plan.ID,
		Workers:       max(p.Workers, 1),
		ProgressEvery: every,
		Progress: func(pr solver.Progress) {
			if now := time.Now(); now.Sub(lastWrite) < every {
				return
			} else {
				lastWrite = now
			}
			c, cancel := wctx()
			defer cancel()
			ok, err := p.db.SetPlanProgress(c, plan.ID, resources.PlanProgress{ElapsedMS: pr.Elapsed.Milliseconds(), Phase: pr.Phase,
				Scheduled: pr.Scheduled, Total: pr.Total, Iterations: pr.Iterations, Score: pr.Best})
			if err == nil && !ok {
				// Cancelled (or failed) meanwhile, maybe by another server.
				p.mu.Lock()
				if r := p.running[plan.ID]; r != nil {
					r.cancel(errPlanCancelled)
				}
				p.mu.Unlock()
			}
		},
	}
	solve := p.Solve
	if solve == nil {
		solve = solver.Solve
	}
	s, err := solve(ctx, in, opt)
	if stopped() {
		return
	}
	if err != nil {
		p.log.Error("plan: solver failed", "plan", plan.ID, "error", err.Error())
		end(resources.PlanFailed, "the solver failed: "+errs.MessageOf(solverError(err)))
		return
	}
	res := &resources.PlanResult{Score: s.Score, Assignments: s.Assignments, Unscheduled: s.Unscheduled,
		Diff: diff(in, s, before), Stats: s.Stats}
	if res.Assignments == nil {
		res.Assignments = []solver.Assignment{}
	}
	if res.Unscheduled == nil {
		res.Unscheduled = []solver.Unscheduled{}
	}
	c, cancel := wctx()
	defer cancel()
	if ok, err := p.db.FinishPlan(c, plan.ID, res); err != nil {
		p.log.Error("plan: storing the result", "plan", plan.ID, "error", err.Error())
		end(resources.PlanFailed, "the result could not be stored")
		return
	} else if !ok {
		p.log.Info("plan ended elsewhere meanwhile; result dropped", "plan", plan.ID)
		return
	}
	p.log.Info("plan done", "plan", plan.ID, "kind", plan.Kind, "scheduled", len(s.Assignments), "unscheduled", len(s.Unscheduled),
		"new", len(res.Diff.New), "moved", len(res.Diff.Moved), "duration_ms", time.Since(t0).Milliseconds())
	p.svc.obs.PlanEnded(plan.Kind, resources.PlanDone, time.Since(t0))
}

// solverError keeps the solver's validation messages (they name ids and
// rules, never persons) and hides anything else.
func solverError(err error) error {
	var ve *solver.ValidationError
	if errors.As(err, &ve) {
		return errs.E(errs.Invalid, "%s", ve.Error())
	}
	return err
}

var bookingPath = regexp.MustCompile(`^bookings\[(\d+)\]`)

// instance exports the plan's window. Batch and nightly plans: every
// current booking pinned, so only pending interviews are placed. Repair
// plans: only the booked interviews, the bookings the absence breaks
// unpinned and every other pinned, so the solver moves only those. Either
// way a booking that the current data makes infeasible (an absence, a
// changed availability) is unpinned: it may move, at the change price, or be
// dropped. before maps each booked interview to its booking.
func (p *Planner) instance(ctx context.Context, req PlanRequest) (*solver.Instance, map[string]resources.PlanMove, error) {
	in, err := p.db.Export(ctx, req.From, req.To)
	if err != nil {
		return nil, nil, err
	}
	unpin := map[string]bool{}
	if req.Kind == resources.PlanRepair {
		if req.Absence == nil {
			return nil, nil, errs.E(errs.Invalid, "a repair plan needs an absence")
		}
		flagged, err := p.db.FlagAbsence(ctx, *req.Absence, req.Actor)
		if err != nil {
			return nil, nil, err
		}
		for _, f := range flagged {
			unpin[f.Interview] = true
		}
		booked := map[string]bool{}
		for _, b := range in.Bookings {
			booked[b.Interview] = true
		}
		kept := in.Interviews[:0]
		for _, iv := range in.Interviews {
			if booked[iv.ID] {
				kept = append(kept, iv)
			}
		}
		in.Interviews = kept
	}
	ids := make([]string, len(in.Bookings))
	for i := range in.Bookings {
		in.Bookings[i].Pinned = !unpin[in.Bookings[i].Interview]
		ids[i] = in.Bookings[i].Interview
	}
	// Unpin the bookings that break a rule as things stand, until the
	// instance is valid (a pair of clashing bookings may take two rounds).
	for round := 0; ; round++ {
		err := solver.Validate(in)
		if err == nil {
			break
		}
		var ve *solver.ValidationError
		if !errors.As(err, &ve) || round == 3 {
			return nil, nil, solverError(err)
		}
		n := 0
		for _, pr := range ve.Problems {
			if m := bookingPath.FindStringSubmatch(pr.Path); m != nil {
				i, _ := strconv.Atoi(m[1])
				if in.Bookings[i].Pinned {
					in.Bookings[i].Pinned = false
					n++
				}
			}
		}
		if n == 0 {
			return nil, nil, solverError(err)
		}
	}
	current, err := p.db.ActiveBookings(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	before := make(map[string]resources.PlanMove, len(in.Bookings))
	for _, b := range in.Bookings {
		before[b.Interview] = resources.PlanMove{Interview: b.Interview, Booking: current[b.Interview].ID, Before: b}
	}
	return in, before, nil
}

// diff compares the plan's schedule with the bookings it started from.
func diff(in *solver.Instance, s *solver.Schedule, before map[string]resources.PlanMove) resources.PlanDiff {
	d := resources.PlanDiff{New: []string{}, Moved: []resources.PlanMove{}, Unchanged: []string{}, Dropped: []resources.PlanMove{}}
	placed := map[string]bool{}
	for _, a := range s.Assignments {
		placed[a.Interview] = true
		b, ok := before[a.Interview]
		if !ok {
			d.New = append(d.New, a.Interview)
			continue
		}
		if sameAssignment(b.Before, a) {
			d.Unchanged = append(d.Unchanged, a.Interview)
			continue
		}
		a := a
		b.After = &a
		b.Changes = changes(in, b.Before, a)
		d.Moved = append(d.Moved, b)
	}
	for _, b := range in.Bookings {
		if !placed[b.Interview] {
			m := before[b.Interview]
			m.Changes = []string{resources.ChangeDropped}
			d.Dropped = append(d.Dropped, m)
		}
	}
	return d
}

// changes names what a plan changes of a booking, for those who must be
// told: another start or office is a move (a new summons); otherwise each
// person, the room or the mode that changes.
func changes(in *solver.Instance, b solver.Booking, a solver.Assignment) []string {
	loc := map[string]string{}
	for _, r := range in.Rooms {
		loc[r.ID] = r.Location
	}
	bs, err1 := solver.ParseInstant(b.Start)
	as, err2 := solver.ParseInstant(a.Start)
	if err1 != nil || err2 != nil || !bs.Equal(as) || loc[b.Room] != a.Location {
		return []string{resources.ChangeMoved}
	}
	var out []string
	if b.Room != a.Room {
		out = append(out, resources.ChangeRoom)
	}
	if b.Interviewer != a.Interviewer {
		out = append(out, resources.ChangeInterviewer)
	}
	if b.Interpreter != a.Interpreter {
		out = append(out, resources.ChangeInterpreter)
	}
	if b.Mode != a.Mode {
		out = append(out, resources.ChangeMode)
	}
	return out
}

func sameAssignment(b solver.Booking, a solver.Assignment) bool {
	bs, err1 := solver.ParseInstant(b.Start)
	as, err2 := solver.ParseInstant(a.Start)
	return err1 == nil && err2 == nil && bs.Equal(as) && b.Room == a.Room && b.Interviewer == a.Interviewer &&
		b.Interpreter == a.Interpreter && b.Mode == a.Mode
}
