package scheduler_test

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/internal/pgtest"
	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/internal/testclock"
	"github.com/asylum-scheduling/interviews/scheduler"
	"github.com/asylum-scheduling/interviews/solver"
)

// replicas returns n databases handles on one database, each with its own
// pool: n servers.
func replicas(t *testing.T, n int, now func() time.Time) []*postgres.DB {
	t.Helper()
	url := pgtest.URL(t)
	var out []*postgres.DB
	for range n {
		db, err := postgres.Open(context.Background(), url, now)
		require.NoError(t, err)
		t.Cleanup(db.Close)
		out = append(out, db)
	}
	return out
}

func TestJobRunsOnceAcrossReplicas(t *testing.T) {
	t.Parallel()
	clk := testclock.New(time.Date(2027, 1, 4, 2, 0, 0, 0, time.UTC))
	dbs := replicas(t, 2, clk.Now)
	var runs atomic.Int32
	// The run holds on until the other replica has tried and returned (a
	// signal, not a pause): the two overlap for certain.
	release := make(chan struct{})
	job := scheduler.Job{Name: "demo", Spec: "0 2 * * *", Run: func(ctx context.Context) (string, error) {
		runs.Add(1)
		<-release
		return "did it", nil
	}}
	var js []*scheduler.Jobs
	for _, db := range dbs {
		j := scheduler.NewJobs(db, nil, clk.Now)
		require.NoError(t, j.Add(job))
		js = append(js, j)
	}
	ctx := context.Background()
	slot := clk.Now()

	// Both replicas fire at once: one runs, the other records a skip.
	var wg sync.WaitGroup
	outcomes := make([]string, 2)
	errors := make([]error, 2)
	returned := make(chan struct{}, len(js))
	for i, j := range js {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { returned <- struct{}{} }()
			// require stops the test's own goroutine only: collect, check after Wait
			run, err := j.RunNow(ctx, "demo", slot)
			if errors[i] = err; err == nil {
				outcomes[i] = run.Outcome
			}
		}()
	}
	// One replica returns while the other's run holds on (if both ran,
	// neither returns: the guard lets them go and the count fails).
	select {
	case <-returned:
	case <-time.After(time.Minute):
	}
	close(release)
	wg.Wait()
	for i, err := range errors {
		require.NoError(t, err, "replica %d", i)
	}
	require.EqualValues(t, 1, runs.Load())
	require.ElementsMatch(t, []string{"ok", "skipped"}, outcomes)

	// A replica whose clock lags fires after the other finished: the slot
	// has run already, so it skips too.
	run, err := js[1].RunNow(ctx, "demo", slot)
	require.NoError(t, err)
	require.Equal(t, "skipped", run.Outcome)
	require.Contains(t, run.Detail, "already run")
	require.EqualValues(t, 1, runs.Load())

	// The next slot runs again.
	clk.Add(24 * time.Hour)
	run, err = js[1].RunNow(ctx, "demo", clk.Now())
	require.NoError(t, err)
	require.Equal(t, "ok", run.Outcome)
	require.Equal(t, "did it", run.Detail)
	require.EqualValues(t, 2, runs.Load())
	require.Equal(t, clk.Now().Format(time.RFC3339), run.StartedAt, "runs take the injected clock")

	page, err := dbs[0].JobRuns(ctx, listAll())
	require.NoError(t, err)
	require.Len(t, page.Items, 4)
	var ok, skipped int
	for _, r := range page.Items {
		require.Equal(t, "demo", r.Job)
		require.NotNil(t, r.FinishedAt)
		switch r.Outcome {
		case "ok":
			ok++
		case "skipped":
			skipped++
		}
	}
	require.Equal(t, 2, ok)
	require.Equal(t, 2, skipped)
	require.Greater(t, page.Items[0].ID, page.Items[1].ID, "newest first")

	_, err = js[0].RunNow(ctx, "nope", slot)
	require.True(t, errs.Is(err, errs.NotFound))
}

func TestJobFailureAndStaleRunsAreRecorded(t *testing.T) {
	t.Parallel()
	clk := testclock.New(time.Date(2027, 1, 4, 2, 0, 0, 0, time.UTC))
	raw := pgtest.Open(t)
	db := postgres.New(raw, clk.Now)
	ctx := context.Background()
	j := scheduler.NewJobs(db, nil, clk.Now)
	require.NoError(t, j.Add(scheduler.Job{Name: "broken", Run: func(context.Context) (string, error) {
		return "half way", errs.E(errs.Invalid, "no horizon stored")
	}}))
	require.NoError(t, j.Add(scheduler.Job{Name: "panics", Run: func(context.Context) (string, error) { panic("boom") }}))
	require.Error(t, j.Add(scheduler.Job{Name: "bad", Spec: "every tuesday", Run: func(context.Context) (string, error) { return "", nil }}))

	run, err := j.RunNow(ctx, "broken", clk.Now())
	require.Error(t, err)
	require.Equal(t, "failed", run.Outcome)
	require.Equal(t, "half way: no horizon stored", run.Detail)
	run, err = j.RunNow(ctx, "panics", clk.Now())
	require.Error(t, err)
	require.Equal(t, "failed", run.Outcome)

	// A run left 'running' by a server that died is failed at the next start.
	_, err = raw.Exec(ctx, `insert into job_runs (job, slot, started_at, outcome) values ('broken', $1, $1, 'running')`, clk.Now().Add(time.Hour))
	require.NoError(t, err)
	n, err := db.FailStaleJobRuns(ctx)
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	page, err := db.JobRuns(ctx, listWith("outcome", "running"))
	require.NoError(t, err)
	require.Empty(t, page.Items)
	page, err = db.JobRuns(ctx, listWith("job", "broken"))
	require.NoError(t, err)
	require.Len(t, page.Items, 2)
	require.Equal(t, "server stopped during the run", page.Items[0].Detail)
}

func TestJobsScheduleWithCron(t *testing.T) {
	t.Parallel()
	db := replicas(t, 1, nil)[0]
	j := scheduler.NewJobs(db, nil, nil)
	fired := make(chan struct{}, 10)
	require.NoError(t, j.Add(scheduler.Job{Name: "every-second", Spec: "@every 1s", Run: func(context.Context) (string, error) {
		fired <- struct{}{}
		return "", nil
	}}))
	require.NoError(t, j.Add(scheduler.Job{Name: "manual", Run: func(context.Context) (string, error) { return "", nil }}))
	require.NoError(t, j.Start(time.UTC))
	select {
	case <-fired:
	case <-time.After(5 * time.Second):
		t.Fatal("cron did not fire the job")
	}
	list := j.List()
	require.Len(t, list, 2)
	require.Equal(t, "every-second", list[0].Name)
	require.NotNil(t, list[0].NextRun)
	require.Nil(t, list[1].NextRun, "a job without a spec runs only when asked")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, j.Stop(ctx))
}

func TestClearHoldsJob(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "S", 0)
	ctx := context.Background()
	clk := testclock.New(time.Now())
	svc := scheduler.New(f.db, nil, nil, clk.Now)
	// A clerk holds the top suggestion of an interview for ten minutes.
	iv := f.in.Interviews[0].ID
	ans, err := svc.Suggest(ctx, scheduler.SuggestRequest{InterviewID: iv, K: 1, Hold: true, Actor: "clerk-1"})
	require.NoError(t, err)
	require.NotEmpty(t, ans.Suggestions)
	count := func() (holds, occ int) {
		require.NoError(t, f.raw.QueryRow(ctx, `select (select count(*) from holds), (select count(*) from occupancy where hold_id is not null)`).Scan(&holds, &occ))
		return
	}
	h, o := count()
	require.Equal(t, 1, h)
	require.Positive(t, o)

	j := scheduler.NewJobs(f.db, nil, clk.Now)
	require.NoError(t, j.Add(scheduler.ClearHoldsJob(f.db, clk.Now, "*/10 * * * *", 0)))
	run, err := j.RunNow(ctx, scheduler.JobClearHolds, clk.Now())
	require.NoError(t, err)
	require.Equal(t, "ok", run.Outcome)
	require.True(t, strings.HasPrefix(run.Detail, "0 expired holds"), run.Detail)
	h, _ = count()
	require.Equal(t, 1, h, "a live hold stays")

	clk.Add(11 * time.Minute)
	run, err = j.RunNow(ctx, scheduler.JobClearHolds, clk.Now())
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(run.Detail, "1 expired holds"), run.Detail)
	h, o = count()
	require.Zero(t, h)
	require.Zero(t, o, "the hold's occupancy goes with it")
}

func TestNightlyPlanJobLeavesAPlanToAccept(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "S", 3)
	ctx := context.Background()
	// The night before the horizon's first day, 02:00 local time.
	first, err := solver.ParseDate(f.in.Horizon.Start)
	require.NoError(t, err)
	loc, err := time.LoadLocation(f.in.Timezone)
	require.NoError(t, err)
	clk := testclock.New((first - 1).Midnight(loc).Add(2 * time.Hour))
	planner := scheduler.NewPlanner(f.db, nil, nil, clk.Now)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		require.NoError(t, planner.Close(ctx))
	})
	j := scheduler.NewJobs(f.db, nil, clk.Now)
	require.NoError(t, j.Add(scheduler.NightlyPlanJob(planner, "0 2 * * *", 1, 500*time.Millisecond)))
	run, err := j.RunNow(ctx, scheduler.JobNightlyPlan, clk.Now())
	require.NoError(t, err)
	require.Equal(t, "ok", run.Outcome, run.Detail)
	require.Contains(t, run.Detail, "waiting for a manager to accept")

	page, err := f.db.Plans(ctx, listWith("kind", "nightly"))
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	p := page.Items[0]
	require.Equal(t, "done", p.Status)
	require.Equal(t, "job:nightly-plan", p.CreatedBy)
	require.Equal(t, f.in.Horizon.Start, p.From)
	require.Equal(t, (first + 6).String(), p.To)
	require.Positive(t, p.Summary.New)
	var n int
	require.NoError(t, f.raw.QueryRow(ctx, `select count(*) from bookings`).Scan(&n))
	require.Equal(t, len(f.booked), n, "the nightly plan books nothing by itself")
}
