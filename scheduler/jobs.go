package scheduler

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

// Job is a scheduled job: a name (the key of its lock and its runs), a cron
// spec (five fields, or a descriptor such as @hourly; CRON_TZ=Zone may lead)
// and what it does: Run returns a line for the run's record.
type Job struct {
	Name string
	Spec string
	Run  func(ctx context.Context) (detail string, err error)
}

// JobInfo describes a scheduled job.
type JobInfo struct {
	Name    string  `json:"name"`
	Spec    string  `json:"spec"`
	NextRun *string `json:"next_run,omitempty"`
}

// Jobs runs scheduled jobs with robfig/cron. Every replica schedules every
// job; each run happens once per scheduled time across replicas (see
// postgres.DB.RunJob), and every run is recorded.
type Jobs struct {
	db  *postgres.DB
	log *slog.Logger
	now func() time.Time

	obs     Observer
	mu      sync.Mutex
	jobs    map[string]Job
	sched   map[string]cron.Schedule
	cron    *cron.Cron
	ctx     context.Context
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	stopped bool
}

var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// CheckSpec reports whether spec is a schedule Jobs accepts ("" and "off"
// too: the job runs only when asked).
func CheckSpec(spec string) error {
	if spec == "" || spec == "off" {
		return nil
	}
	_, err := cronParser.Parse(spec)
	return err
}

// NewJobs returns a job runner on db with no jobs.
func NewJobs(db *postgres.DB, log *slog.Logger, now func() time.Time, opts ...ServiceOption) *Jobs {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.NewJSONHandler(io.Discard, nil))
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Jobs{db: db, log: log, now: now, obs: applyOptions(opts).obs, jobs: map[string]Job{}, sched: map[string]cron.Schedule{}, ctx: ctx, cancel: cancel}
}

// Add adds a job; its spec must parse. An empty spec: the job runs only
// when asked (RunNow).
func (j *Jobs) Add(job Job) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if job.Name == "" || job.Run == nil {
		return fmt.Errorf("job: a name and a function are required")
	}
	if _, ok := j.jobs[job.Name]; ok {
		return fmt.Errorf("job %q: added twice", job.Name)
	}
	if job.Spec != "" {
		s, err := cronParser.Parse(job.Spec)
		if err != nil {
			return fmt.Errorf("job %q: schedule %q: %w", job.Name, job.Spec, err)
		}
		j.sched[job.Name] = s
	}
	j.jobs[job.Name] = job
	j.obs.JobAdded(job.Name)
	return nil
}

// Start schedules the jobs with their specs read in loc (nil: UTC).
func (j *Jobs) Start(loc *time.Location) error {
	if loc == nil {
		loc = time.UTC
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.cron != nil || j.stopped {
		return fmt.Errorf("jobs: started twice")
	}
	j.cron = cron.New(cron.WithLocation(loc), cron.WithParser(cronParser),
		cron.WithChain(cron.SkipIfStillRunning(cron.DiscardLogger)))
	for name, job := range j.jobs {
		if job.Spec == "" {
			continue
		}
		name := name
		if _, err := j.cron.AddFunc(job.Spec, func() {
			// All replicas fire on the same minute: that minute is the
			// slot the run serves.
			slot := j.now().Truncate(time.Minute)
			if _, err := j.RunNow(j.ctx, name, slot); err != nil {
				j.log.Warn("job run failed", "job", name, "error", err.Error())
			}
		}); err != nil {
			return err
		}
	}
	j.cron.Start()
	return nil
}

// Stop stops scheduling, cancels the runs under way and waits for them (or
// for ctx).
func (j *Jobs) Stop(ctx context.Context) error {
	j.mu.Lock()
	j.stopped = true
	c := j.cron
	j.mu.Unlock()
	j.cancel()
	if c != nil {
		cctx := c.Stop()
		select {
		case <-cctx.Done():
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	done := make(chan struct{})
	go func() { j.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// RunNow runs job name for slot (its scheduled time), unless it ran for that
// slot already or runs elsewhere: then the run is recorded as skipped.
func (j *Jobs) RunNow(ctx context.Context, name string, slot time.Time) (*resources.JobRun, error) {
	j.mu.Lock()
	job, ok := j.jobs[name]
	stopped := j.stopped
	if ok && !stopped {
		j.wg.Add(1)
	}
	j.mu.Unlock()
	if !ok {
		return nil, errs.E(errs.NotFound, "job %q not found", name)
	}
	if stopped {
		return nil, errs.E(errs.Conflict, "the jobs are stopped (the server is shutting down)")
	}
	defer j.wg.Done()
	t0 := time.Now()
	run, err := j.db.RunJob(ctx, name, slot, job.Run)
	if run != nil {
		j.log.Info("job run", "job", name, "outcome", run.Outcome, "duration_ms", time.Since(t0).Milliseconds())
		j.obs.JobRan(name, run.Outcome, j.now())
	}
	return run, err
}

// Trigger runs job name now, in the background, for the slot of the
// current second (so it never takes the place of a scheduled run). The run
// shows in the job runs; Stop waits for it.
func (j *Jobs) Trigger(name string) (time.Time, error) {
	j.mu.Lock()
	_, ok := j.jobs[name]
	stopped := j.stopped
	j.mu.Unlock()
	if !ok {
		return time.Time{}, errs.E(errs.NotFound, "job %q not found", name)
	}
	if stopped {
		return time.Time{}, errs.E(errs.Conflict, "the jobs are stopped (the server is shutting down)")
	}
	slot := j.now().Truncate(time.Second)
	if slot.Equal(slot.Truncate(time.Minute)) {
		slot = slot.Add(time.Millisecond) // not a scheduled minute
	}
	j.wg.Add(1)
	go func() {
		defer j.wg.Done()
		if _, err := j.RunNow(j.ctx, name, slot); err != nil {
			j.log.Warn("job run failed", "job", name, "error", err.Error())
		}
	}()
	return slot, nil
}

// List describes the jobs, by name, with their next scheduled run.
func (j *Jobs) List() []JobInfo {
	j.mu.Lock()
	defer j.mu.Unlock()
	now := j.now()
	if j.cron != nil {
		now = now.In(j.cron.Location())
	}
	out := make([]JobInfo, 0, len(j.jobs))
	for name, job := range j.jobs {
		info := JobInfo{Name: name, Spec: job.Spec}
		if s, ok := j.sched[name]; ok && !j.stopped {
			next := s.Next(now).UTC().Format(time.RFC3339)
			info.NextRun = &next
		}
		out = append(out, info)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Name < out[b].Name })
	return out
}

// Names of the standard jobs.
const (
	JobClearHolds  = "clear-expired-holds"
	JobNightlyPlan = "nightly-plan"
)

// ClearHoldsJob deletes expired holds (they stop blocking when they expire
// anyway; this keeps the table small), expired idempotency keys and job runs
// older than keepRuns.
func ClearHoldsJob(db *postgres.DB, now func() time.Time, spec string, keepRuns time.Duration) Job {
	return Job{Name: JobClearHolds, Spec: spec, Run: func(ctx context.Context) (string, error) {
		t := now()
		holds, keys, err := db.ClearExpired(ctx, t)
		if err != nil {
			return "", err
		}
		detail := fmt.Sprintf("%d expired holds and %d expired idempotency keys deleted", holds, keys)
		if keepRuns > 0 {
			m, err := db.PruneJobRuns(ctx, t.Add(-keepRuns))
			if err != nil {
				return detail, err
			}
			if m > 0 {
				detail += fmt.Sprintf("; %d old job runs pruned", m)
			}
		}
		return detail, nil
	}}
}

// NightlyPlanJob plans the pending interviews of the next weeks (from
// tomorrow, local date), leaving the result as a plan for a manager to
// accept. The run lasts as long as the plan.
func NightlyPlanJob(p *Planner, spec string, weeks int, timeLimit time.Duration) Job {
	return Job{Name: JobNightlyPlan, Spec: spec, Run: func(ctx context.Context) (string, error) {
		st, err := p.db.Settings(ctx)
		if err != nil {
			return "", err
		}
		loc, err := time.LoadLocation(st.Timezone)
		if err != nil {
			loc = time.UTC
		}
		from := solver.DateOf(p.now(), loc) + 1
		to := from + solver.Date(max(weeks, 1)*7-1)
		plan, err := p.Start(ctx, PlanRequest{Kind: "nightly", From: from.String(), To: to.String(), TimeLimit: timeLimit,
			Actor: "job:" + JobNightlyPlan})
		if err != nil {
			return "", err
		}
		if err := p.Wait(ctx, plan.ID); err != nil {
			return fmt.Sprintf("plan %d", plan.ID), err
		}
		plan, err = p.db.Plan(context.WithoutCancel(ctx), plan.ID, false)
		if err != nil {
			return "", err
		}
		detail := fmt.Sprintf("plan %d (%s to %s): %s", plan.ID, plan.From, plan.To, plan.Status)
		if plan.Status != "done" {
			return detail, errs.E(errs.Invalid, "%s", plan.Error)
		}
		sum := plan.Summary
		return fmt.Sprintf("%s, %d new, %d unscheduled; waiting for a manager to accept", detail, sum.New, sum.Unscheduled), nil
	}}
}
