package scheduler_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/internal/generator"
	"github.com/asylum-scheduling/interviews/internal/pgtest"
	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/scheduler"
	"github.com/asylum-scheduling/interviews/solver"
)

// TestMain is the one TestMain of the scheduler package's tests (internal
// and external test files share it): a real PostgreSQL per test.
// With scheduler.SolveWorkerEnv set, the test binary is a solve worker
// (ChildSolver).
func TestMain(m *testing.M) {
	if os.Getenv(scheduler.SolveWorkerEnv) == "1" {
		if err := scheduler.ServeSolve(context.Background(), os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	pgtest.Main(m)
}

// logBuffer collects logs, for checks that they name no person.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// fixture is a database holding the generator's instance of size, with
// every third interview of a greedy plan booked.
type fixture struct {
	db      *postgres.DB
	raw     *pgtest.Raw // the test's own SQL
	in      *solver.Instance
	booked  map[string]bool
	planner *scheduler.Planner
	svc     *scheduler.Service // the planner's booking service
	logs    *logBuffer
}

func newFixture(t testing.TB, size string, every int) *fixture {
	t.Helper()
	ctx := context.Background()
	raw := pgtest.Open(t)
	db := postgres.New(raw, nil)
	in, err := generator.Generate(size, 1)
	require.NoError(t, err)
	fit, err := solver.FirstFit(in)
	require.NoError(t, err)
	booked := map[string]bool{}
	for i, a := range fit.Assignments {
		if every > 0 && i%every == 0 {
			in.Bookings = append(in.Bookings, solver.Booking{Interview: a.Interview, Start: a.Start, Room: a.Room,
				Interviewer: a.Interviewer, Interpreter: a.Interpreter, Mode: a.Mode})
			booked[a.Interview] = true
		}
	}
	_, err = db.Import(ctx, in)
	require.NoError(t, err)
	logs := &logBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, nil))
	svc := scheduler.New(db, nil, log, nil)
	p := scheduler.NewPlanner(db, svc, log, nil)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		require.NoError(t, p.Close(ctx))
	})
	return &fixture{db: db, raw: raw, in: in, booked: booked, planner: p, svc: svc, logs: logs}
}

func (f *fixture) wait(t testing.TB, id int64) *resources.Plan {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	require.NoError(t, f.planner.Wait(ctx, id))
	plan, err := f.db.Plan(ctx, id, true)
	require.NoError(t, err)
	return plan
}

// consistent checks what no change may ever leave behind: an active booking
// without its occupancy (room, interviewer, interpreter), occupancy of a
// booking that is not active, a booked interview without an active booking,
// or one resource in two active bookings at once.
func consistent(t *testing.T, raw *pgtest.Raw) {
	t.Helper()
	ctx := context.Background()
	var n int
	require.NoError(t, raw.QueryRow(ctx, `select count(*) from bookings b where b.status = 'active' and (
		not exists (select 1 from occupancy o join rooms r on r.resource_id = o.resource_id where o.booking_id = b.id and o.active and r.id = b.room_id)
		or not exists (select 1 from occupancy o join interviewers r on r.resource_id = o.resource_id where o.booking_id = b.id and o.active and r.id = b.interviewer_id)
		or (b.interpreter_id is not null and not exists (select 1 from occupancy o join interpreters r on r.resource_id = o.resource_id
			where o.booking_id = b.id and o.active and r.id = b.interpreter_id)))`).Scan(&n))
	require.Zero(t, n, "active bookings without occupancy")
	require.NoError(t, raw.QueryRow(ctx, `select count(*) from occupancy o join bookings b on b.id = o.booking_id
		where o.active and b.status <> 'active'`).Scan(&n))
	require.Zero(t, n, "live occupancy of inactive bookings")
	require.NoError(t, raw.QueryRow(ctx, `select count(*) from interviews i where i.status = 'booked'
		and not exists (select 1 from bookings b where b.interview_id = i.id and b.status = 'active')`).Scan(&n))
	require.Zero(t, n, "booked interviews without an active booking")
	require.NoError(t, raw.QueryRow(ctx, `select count(*) from interviews i where i.status = 'pending'
		and exists (select 1 from bookings b where b.interview_id = i.id and b.status = 'active')`).Scan(&n))
	require.Zero(t, n, "pending interviews with an active booking")
	require.NoError(t, raw.QueryRow(ctx, `select count(*) from occupancy a join occupancy b on a.resource_id = b.resource_id
		and a.id < b.id and a.during && b.during where a.active and b.active`).Scan(&n))
	require.Zero(t, n, "a resource in two places at once")
}

func horizon(in *solver.Instance) (string, string) { return in.Horizon.Start, in.Horizon.End }

func TestPlanPlacesPendingAroundPinnedBookings(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "S", 3)
	ctx := context.Background()
	from, to := horizon(f.in)
	plan, err := f.planner.Start(ctx, scheduler.PlanRequest{From: from, To: to, TimeLimit: 2500 * time.Millisecond, Actor: "manager-1"})
	require.NoError(t, err)
	require.Equal(t, "running", plan.Status)
	require.Equal(t, "batch", plan.Kind)
	require.Equal(t, "2.5s", plan.TimeLimit)

	// Progress is written while it runs (about once a second).
	var progress *resources.PlanProgress
	deadline := time.Now().Add(10 * time.Second)
	for progress == nil && time.Now().Before(deadline) {
		p, err := f.db.Plan(ctx, plan.ID, false)
		require.NoError(t, err)
		if p.Status != "running" {
			break
		}
		progress = p.Progress
		time.Sleep(50 * time.Millisecond)
	}
	require.NotNil(t, progress, "no progress seen while the plan ran")
	require.Positive(t, progress.ElapsedMS)
	require.Equal(t, len(f.in.Interviews), progress.Total)
	require.Contains(t, []string{solver.PhaseConstruction, solver.PhaseSearch, solver.PhaseFinishing}, progress.Phase)

	done := f.wait(t, plan.ID)
	require.Equal(t, "done", done.Status, done.Error)
	require.NotNil(t, done.FinishedAt)
	require.Nil(t, done.Progress, "progress is shown only while running")
	res := done.Result
	require.NotNil(t, res)
	require.Equal(t, len(f.in.Interviews), len(res.Assignments)+len(res.Unscheduled))
	for _, u := range res.Unscheduled {
		require.NotEmpty(t, u.Reason)
	}
	// Every existing booking is kept as it is; everything else is new.
	require.Len(t, res.Diff.Unchanged, len(f.booked))
	for _, iv := range res.Diff.Unchanged {
		require.True(t, f.booked[iv])
	}
	require.Empty(t, res.Diff.Moved)
	require.Empty(t, res.Diff.Dropped)
	require.Equal(t, len(res.Assignments)-len(f.booked), len(res.Diff.New))
	for _, iv := range res.Diff.New {
		require.False(t, f.booked[iv])
	}
	require.Greater(t, len(res.Diff.New), 5)
	require.Equal(t, len(res.Diff.New), done.Summary.New)

	// The schedule breaks no hard rule of the state it was made for.
	in, err := f.db.Export(ctx, from, to)
	require.NoError(t, err)
	rep, err := solver.Check(in, &solver.Schedule{Format: solver.ScheduleFormat, Assignments: res.Assignments, Unscheduled: res.Unscheduled})
	require.NoError(t, err)
	require.Empty(t, rep.Violations)
	require.Equal(t, res.Score.Soft, rep.Score.Soft)

	// Nothing is booked until a manager accepts.
	var n int
	require.NoError(t, f.raw.QueryRow(ctx, `select count(*) from bookings`).Scan(&n))
	require.Equal(t, len(f.booked), n)

	list, err := f.db.Plans(ctx, listAll())
	require.NoError(t, err)
	require.Len(t, list.Items, 1)
	require.Nil(t, list.Items[0].Result, "lists carry summaries, not results")
	require.Equal(t, done.Summary.Scheduled, list.Items[0].Summary.Scheduled)
}

func TestPlanAcceptBooksEachItemAndReportsConflicts(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "S", 3)
	ctx := context.Background()
	from, to := horizon(f.in)
	plan, err := f.planner.Start(ctx, scheduler.PlanRequest{From: from, To: to, TimeLimit: 0, Actor: "manager-1"})
	require.NoError(t, err)
	done := f.wait(t, plan.ID)
	require.Equal(t, "done", done.Status, done.Error)
	newIDs := done.Result.Diff.New
	require.Greater(t, len(newIDs), 3)
	at := map[string]solver.Assignment{}
	for _, a := range done.Result.Assignments {
		at[a.Interview] = a
	}

	// A clerk books the first new interview meanwhile: accepting it
	// conflicts; the others are booked as planned.
	first, second := newIDs[0], newIDs[1]
	a := at[first]
	_, err = f.svc.Book(ctx, scheduler.BookRequest{InterviewID: first, Assignment: &a, Actor: "clerk-1", Reason: "by hand"})
	require.NoError(t, err)

	// Unknown items are refused before anything is booked.
	_, _, err = f.planner.Accept(ctx, plan.ID, []string{"no-such"}, "manager-1")
	require.Error(t, err)
	require.Contains(t, err.Error(), "does not place")

	items := []string{first}
	items = append(items, newIDs[2:]...)
	p2, out, err := f.planner.Accept(ctx, plan.ID, items, "manager-1")
	require.NoError(t, err)
	require.Equal(t, "partly_accepted", p2.Status, "never accepted while an item failed")
	require.Equal(t, "manager-1", p2.AcceptedBy)
	require.Len(t, out, len(items))
	require.Equal(t, first, out[0].Interview)
	require.Equal(t, scheduler.AcceptConflict, out[0].Outcome)
	require.NotEmpty(t, out[0].Message)
	for _, x := range out[1:] {
		require.Equal(t, scheduler.AcceptBooked, x.Outcome, "%s: %s", x.Interview, x.Message)
		require.Positive(t, x.Booking)
		b, err := f.db.Booking(ctx, x.Booking)
		require.NoError(t, err)
		require.Equal(t, x.Interview, b.Interview)
		want := at[x.Interview]
		require.Equal(t, want.Room, b.Room)
		require.Equal(t, want.Interviewer, b.Interviewer)
		require.Equal(t, want.Interpreter, b.Interpreter)
	}
	consistent(t, f.raw)
	var audits int
	require.NoError(t, f.raw.QueryRow(ctx, `select count(*) from audit_log where reason = $1 and actor = 'manager-1'`,
		"plan "+itoa(plan.ID)).Scan(&audits))
	require.Equal(t, len(items)-1, audits)

	// Accepting again books nothing twice; the rest of the plan (the
	// second interview) can be accepted later.
	var before int
	require.NoError(t, f.raw.QueryRow(ctx, `select count(*) from bookings`).Scan(&before))
	_, again, err := f.planner.Accept(ctx, plan.ID, items[1:], "manager-1")
	require.NoError(t, err)
	for i, x := range again {
		require.Equal(t, out[i+1].Booking, x.Booking)
	}
	_, rest, err := f.planner.Accept(ctx, plan.ID, []string{second}, "manager-1")
	require.NoError(t, err)
	require.Equal(t, scheduler.AcceptBooked, rest[0].Outcome, rest[0].Message)
	var after int
	require.NoError(t, f.raw.QueryRow(ctx, `select count(*) from bookings`).Scan(&after))
	require.Equal(t, before+1, after)
	final, err := f.db.Plan(ctx, plan.ID, true)
	require.NoError(t, err)
	require.Len(t, final.Accepted, len(items)+1)
	require.Equal(t, "partly_accepted", final.Status, "the first item is still taken")
	var named bool
	for _, x := range final.Accepted {
		named = named || (x.Interview == first && x.Outcome == scheduler.AcceptConflict && x.Message != "")
	}
	require.True(t, named, "the failed item is named with its reason: %+v", final.Accepted)
	consistent(t, f.raw)
}

func TestPlanCancelAndShutdown(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "S", 0)
	ctx := context.Background()
	from, to := horizon(f.in)
	f.planner.MaxRunning = 1
	plan, err := f.planner.Start(ctx, scheduler.PlanRequest{From: from, To: to, TimeLimit: time.Minute, Actor: "m"})
	require.NoError(t, err)
	// One plan at a time here: the second is refused.
	_, err = f.planner.Start(ctx, scheduler.PlanRequest{From: from, To: to, TimeLimit: time.Minute, Actor: "m"})
	require.Error(t, err)
	require.Contains(t, err.Error(), "running")

	t0 := time.Now()
	cancelled, err := f.planner.Cancel(ctx, plan.ID)
	require.NoError(t, err)
	require.Equal(t, "cancelled", cancelled.Status)
	require.Less(t, time.Since(t0), 10*time.Second)
	p, err := f.db.Plan(ctx, plan.ID, true)
	require.NoError(t, err)
	require.Equal(t, "cancelled", p.Status)
	require.Nil(t, p.Result)
	_, _, err = f.planner.Accept(ctx, plan.ID, nil, "m")
	require.Error(t, err)
	require.Contains(t, err.Error(), "only a done plan")

	// Shutting down fails the running plan, with a reason, and refuses new ones.
	plan2, err := f.planner.Start(ctx, scheduler.PlanRequest{From: from, To: to, TimeLimit: time.Minute, Actor: "m"})
	require.NoError(t, err)
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	require.NoError(t, f.planner.Close(cctx))
	p, err = f.db.Plan(ctx, plan2.ID, false)
	require.NoError(t, err)
	require.Equal(t, "failed", p.Status)
	require.Contains(t, p.Error, "shut down")
	_, err = f.planner.Start(ctx, scheduler.PlanRequest{From: from, To: to, Actor: "m"})
	require.Error(t, err)
}

func TestPlanWindowChecks(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "S", 0)
	ctx := context.Background()
	for _, c := range []struct {
		from, to string
		limit    time.Duration
		want     string
	}{
		{"2026-13-01", "2027-01-01", 0, "from must be a date"},
		{"2027-01-10", "2027-01-01", 0, "before from"},
		{"2027-01-01", "2027-12-31", 0, "at most 92 days"},
		{"2027-01-01", "2027-01-02", time.Hour, "time_limit"},
	} {
		_, err := f.planner.Start(ctx, scheduler.PlanRequest{From: c.from, To: c.to, TimeLimit: c.limit, Actor: "m"})
		require.Error(t, err)
		require.Contains(t, err.Error()+errsFields(err), c.want)
	}
}

func TestRecoverFailsOrphanedPlansOnly(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "S", 0)
	ctx := context.Background()
	from, to := horizon(f.in)
	// A plan row left running by a server that died (no lock held), and
	// one this planner runs (lock held).
	var orphan int64
	require.NoError(t, f.raw.QueryRow(ctx, `insert into plans (kind, created_by, from_date, to_date, time_limit_ms)
		values ('batch', 'm', $1, $2, 1000) returning id`, from, to).Scan(&orphan))
	live, err := f.planner.Start(ctx, scheduler.PlanRequest{From: from, To: to, TimeLimit: 3 * time.Second, Actor: "m"})
	require.NoError(t, err)

	other := scheduler.NewPlanner(f.db, nil, nil, nil) // another server starting on the database
	failed, err := other.Recover(ctx)
	require.NoError(t, err)
	require.Equal(t, []int64{orphan}, failed)
	p, err := f.db.Plan(ctx, orphan, false)
	require.NoError(t, err)
	require.Equal(t, "failed", p.Status)
	require.Contains(t, p.Error, "server restarted")
	require.Equal(t, "done", f.wait(t, live.ID).Status)
}

func listAll() resources.ListParams { return resources.ListParams{Filters: map[string]string{}} }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func errsFields(err error) string {
	var out string
	for _, f := range errs.FieldsOf(err) {
		out += " " + f.Path + ": " + f.Message
	}
	return out
}

func listWith(k, v string) resources.ListParams {
	return resources.ListParams{Filters: map[string]string{k: v}}
}

func TestPlanCancelledOnAnotherServerStops(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "S", 0)
	ctx := context.Background()
	from, to := horizon(f.in)
	plan, err := f.planner.Start(ctx, scheduler.PlanRequest{From: from, To: to, TimeLimit: time.Minute, Actor: "m"})
	require.NoError(t, err)
	other := scheduler.NewPlanner(f.db, nil, nil, nil) // the replica the manager's request reached
	p, err := other.Cancel(ctx, plan.ID)
	require.NoError(t, err)
	require.Equal(t, "cancelled", p.Status)
	// The server that runs it notices at its next progress write.
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	require.NoError(t, f.planner.Wait(wctx, plan.ID))
	require.Empty(t, f.planner.Running())
	p, err = f.db.Plan(ctx, plan.ID, true)
	require.NoError(t, err)
	require.Equal(t, "cancelled", p.Status)
	require.Nil(t, p.Result)
}
