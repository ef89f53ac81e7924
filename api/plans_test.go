package api_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/api"
	"github.com/asylum-scheduling/interviews/internal/generator"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/scheduler"
	"github.com/asylum-scheduling/interviews/solver"
)

// planEnv is a server on the generator's S instance with every third
// interview of a greedy plan booked; its plans stop when the test ends.
func planEnv(t *testing.T) (*env, *solver.Instance) {
	t.Helper()
	e := newEnv(t)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		require.NoError(t, e.deps.Planner.Close(ctx))
	})
	in, err := generator.Generate("S", 1)
	require.NoError(t, err)
	fit, err := solver.FirstFit(in)
	require.NoError(t, err)
	for i, a := range fit.Assignments {
		if i%3 == 0 {
			in.Bookings = append(in.Bookings, solver.Booking{Interview: a.Interview, Start: a.Start, Room: a.Room,
				Interviewer: a.Interviewer, Interpreter: a.Interpreter, Mode: a.Mode})
		}
	}
	_, err = e.db.Import(context.Background(), in)
	require.NoError(t, err)
	return e, in
}

func (e *env) waitPlan(id int64) resources.Plan {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	require.NoError(e.t, e.deps.Planner.Wait(ctx, id))
	r := e.do(resources.RoleManager, "GET", "/v1/plans/"+itoa(id), nil)
	require.Equal(e.t, 200, r.Status, "%s", r.Body)
	var p resources.Plan
	r.json(e.t, &p)
	return p
}

func TestPlansStartShowAcceptCancel(t *testing.T) {
	t.Parallel()
	e, in := planEnv(t)
	body := map[string]any{"from": in.Horizon.Start, "to": in.Horizon.End, "time_limit": "1s"}

	// Managers only; the body is checked.
	require.Equal(t, 403, e.do(resources.RoleClerk, "POST", "/v1/plans", body).Status)
	require.Equal(t, 403, e.do(resources.RoleClerk, "GET", "/v1/plans", nil).Status)
	r := e.do(resources.RoleManager, "POST", "/v1/plans", map[string]any{"time_limit": "1s"})
	require.Equal(t, 400, r.Status)
	p := r.problem(t)
	require.Len(t, p.Errors, 2)
	r = e.do(resources.RoleManager, "POST", "/v1/plans", map[string]any{"from": in.Horizon.Start, "to": in.Horizon.End, "time_limit": "soon"})
	require.Equal(t, 400, r.Status)
	require.Equal(t, "time_limit", r.problem(t).Errors[0].Path)
	r = e.do(resources.RoleManager, "POST", "/v1/plans", map[string]any{"from": in.Horizon.Start, "to": in.Horizon.End, "seed": 3})
	require.Equal(t, 400, r.Status)
	r = e.do(resources.RoleManager, "POST", "/v1/plans", map[string]any{"from": "2027-02-01", "to": "2027-01-01"})
	require.Equal(t, 400, r.Status)

	r = e.do(resources.RoleManager, "POST", "/v1/plans", body)
	require.Equal(t, 202, r.Status, "%s", r.Body)
	var started resources.Plan
	r.json(t, &started)
	require.Equal(t, "running", started.Status)
	require.Equal(t, "test-manager", started.CreatedBy)
	require.Equal(t, "/v1/plans/"+itoa(started.ID), r.Header.Get("Location"))

	done := e.waitPlan(started.ID)
	require.Equal(t, "done", done.Status, done.Error)
	require.NotNil(t, done.Result)
	require.NotEmpty(t, done.Result.Diff.New)
	require.NotEmpty(t, done.Result.Diff.Unchanged)
	require.Equal(t, len(in.Interviews), len(done.Result.Assignments)+len(done.Result.Unscheduled))

	r = e.do(resources.RoleManager, "GET", "/v1/plans?status=done", nil)
	require.Equal(t, 200, r.Status)
	var page resources.Page[resources.Plan]
	r.json(t, &page)
	require.Len(t, page.Items, 1)
	require.Equal(t, done.Summary.New, page.Items[0].Summary.New)
	require.Equal(t, 400, e.do(resources.RoleManager, "GET", "/v1/plans?colour=red", nil).Status)
	require.Equal(t, 404, e.do(resources.RoleManager, "GET", "/v1/plans/999", nil).Status)
	require.Equal(t, 400, e.do(resources.RoleManager, "GET", "/v1/plans/abc", nil).Status, "a malformed id")

	// Accept one item, then (no body) the rest.
	first := done.Result.Diff.New[0]
	r = e.do(resources.RoleManager, "POST", "/v1/plans/"+itoa(started.ID)+"/accept", map[string]any{"items": []string{first}})
	require.Equal(t, 200, r.Status, "%s", r.Body)
	var acc struct {
		Plan  resources.Plan           `json:"plan"`
		Items []resources.AcceptedItem `json:"items"`
	}
	r.json(t, &acc)
	require.Equal(t, "accepted", acc.Plan.Status)
	require.Len(t, acc.Items, 1)
	require.Equal(t, "booked", acc.Items[0].Outcome, acc.Items[0].Message)
	b := e.do(resources.RoleClerk, "GET", "/v1/bookings/"+itoa(acc.Items[0].Booking), nil)
	require.Equal(t, 200, b.Status)

	r = e.do(resources.RoleManager, "POST", "/v1/plans/"+itoa(started.ID)+"/accept", nil)
	require.Equal(t, 200, r.Status, "%s", r.Body)
	r.json(t, &acc)
	require.Len(t, acc.Items, len(done.Result.Diff.New))
	for _, x := range acc.Items {
		require.Equal(t, "booked", x.Outcome, "%s: %s", x.Interview, x.Message)
	}
	require.Len(t, acc.Plan.Accepted, len(done.Result.Diff.New))

	r = e.do(resources.RoleManager, "POST", "/v1/plans/"+itoa(started.ID)+"/accept", map[string]any{"items": []string{"nope"}})
	require.Equal(t, 400, r.Status)
	require.Equal(t, "items[0]", r.problem(t).Errors[0].Path)

	// An accepted plan cannot be cancelled; a running one can.
	r = e.do(resources.RoleManager, "POST", "/v1/plans/"+itoa(started.ID)+"/cancel", nil)
	require.Equal(t, 409, r.Status)
	r = e.do(resources.RoleManager, "POST", "/v1/plans", map[string]any{"from": in.Horizon.Start, "to": in.Horizon.End, "time_limit": "1m"})
	require.Equal(t, 202, r.Status)
	var second resources.Plan
	r.json(t, &second)
	r = e.do(resources.RoleManager, "POST", "/v1/plans/"+itoa(second.ID)+"/cancel", nil)
	require.Equal(t, 200, r.Status, "%s", r.Body)
	var cancelled resources.Plan
	r.json(t, &cancelled)
	require.Equal(t, "cancelled", cancelled.Status)
	r = e.do(resources.RoleManager, "POST", "/v1/plans/"+itoa(second.ID)+"/accept", nil)
	require.Equal(t, 409, r.Status)
	require.Equal(t, "conflict", string(r.problem(t).Code))

	// Two plans at most run at once on a server.
	var ids []int64
	for range 2 {
		r = e.do(resources.RoleManager, "POST", "/v1/plans", map[string]any{"from": in.Horizon.Start, "to": in.Horizon.End, "time_limit": "1m"})
		require.Equal(t, 202, r.Status, "%s", r.Body)
		var p resources.Plan
		r.json(t, &p)
		ids = append(ids, p.ID)
	}
	r = e.do(resources.RoleManager, "POST", "/v1/plans", body)
	require.Equal(t, 409, r.Status)
	require.Contains(t, r.problem(t).Detail, "running")
	for _, id := range ids {
		require.Equal(t, 200, e.do(resources.RoleManager, "POST", "/v1/plans/"+itoa(id)+"/cancel", nil).Status)
	}
	require.Equal(t, 404, e.do(resources.RoleManager, "POST", "/v1/plans/999/accept", nil).Status)
	require.Equal(t, 404, e.do(resources.RoleManager, "POST", "/v1/plans/999/cancel", nil).Status)
	require.Equal(t, 404, e.do(resources.RoleManager, "POST", "/v1/absences/999/repair", nil).Status)
	require.Equal(t, 401, e.do("", "GET", "/v1/plans", nil).Status)
	r = e.do(resources.RoleManager, "POST", "/v1/plans/"+itoa(started.ID)+"/accept", "{not json")
	require.Equal(t, 400, r.Status)

	// Logs name no case and carry no token.
	e.mu.Lock()
	logs := e.logs.String()
	e.mu.Unlock()
	require.Contains(t, logs, `"msg":"plan done"`)
	for _, iv := range in.Interviews {
		require.NotContains(t, logs, `"`+iv.Case+`"`)
	}
	require.NotContains(t, logs, e.tokens[resources.RoleManager])
}

func TestJobsAndOutboxAPI(t *testing.T) {
	t.Parallel()
	e, in := planEnv(t)
	ctx := context.Background()
	r := e.do(resources.RoleManager, "GET", "/v1/jobs", nil)
	require.Equal(t, 200, r.Status, "%s", r.Body)
	var jobs struct {
		Jobs  []scheduler.JobInfo `json:"jobs"`
		Items []resources.JobRun  `json:"items"`
	}
	r.json(t, &jobs)
	require.Empty(t, jobs.Jobs)
	require.Empty(t, jobs.Items)
	require.Equal(t, 403, e.do(resources.RoleClerk, "GET", "/v1/jobs", nil).Status)

	j := scheduler.NewJobs(e.db, nil, nil)
	require.NoError(t, j.Add(scheduler.ClearHoldsJob(e.db, time.Now, "*/10 * * * *", 0)))
	e.rewire(func(d *api.Deps) { d.Jobs = j })
	_, err := j.RunNow(ctx, scheduler.JobClearHolds, time.Now().Truncate(time.Minute))
	require.NoError(t, err)
	r = e.do(resources.RoleManager, "GET", "/v1/jobs?job=clear-expired-holds", nil)
	require.Equal(t, 200, r.Status, "%s", r.Body)
	r.json(t, &jobs)
	require.Len(t, jobs.Jobs, 1)
	require.Equal(t, "*/10 * * * *", jobs.Jobs[0].Spec)
	require.Len(t, jobs.Items, 1)
	require.Equal(t, "ok", jobs.Items[0].Outcome)
	require.Equal(t, 400, e.do(resources.RoleManager, "GET", "/v1/jobs?name=x", nil).Status)

	// A manager runs a job now; it shows among the runs.
	r = e.do(resources.RoleManager, "POST", "/v1/jobs/clear-expired-holds/run", nil)
	require.Equal(t, 202, r.Status, "%s", r.Body)
	require.Equal(t, "/v1/jobs?job=clear-expired-holds", r.Header.Get("Location"))
	require.Eventually(t, func() bool {
		page, err := e.db.JobRuns(ctx, resources.ListParams{Filters: map[string]string{"job": "clear-expired-holds", "outcome": "ok"}})
		require.NoError(t, err)
		return len(page.Items) == 2
	}, 10*time.Second, 20*time.Millisecond)
	require.Equal(t, 404, e.do(resources.RoleManager, "POST", "/v1/jobs/no-such-job/run", nil).Status)
	require.Equal(t, 403, e.do(resources.RoleClerk, "POST", "/v1/jobs/clear-expired-holds/run", nil).Status)
	stopCtx, stop := context.WithTimeout(ctx, 10*time.Second)
	defer stop()
	require.NoError(t, j.Stop(stopCtx))
	require.Equal(t, 409, e.do(resources.RoleManager, "POST", "/v1/jobs/clear-expired-holds/run", nil).Status)

	// A booking writes an event; the outbox shows it pending.
	r = e.do(resources.RoleManager, "GET", "/v1/outbox", nil)
	require.Equal(t, 200, r.Status, "%s", r.Body)
	var ob struct {
		Counts map[string]int64        `json:"counts"`
		Items  []resources.OutboxEvent `json:"items"`
	}
	r.json(t, &ob)
	require.Zero(t, ob.Counts["pending"])
	fit, err := solver.FirstFit(in)
	require.NoError(t, err)
	var a solver.Assignment
	for _, x := range fit.Assignments {
		if x.Interview != in.Bookings[0].Interview && !booked(in, x.Interview) {
			a = x
			break
		}
	}
	_, err = e.deps.Booking.Book(ctx, scheduler.BookRequest{InterviewID: a.Interview, Assignment: &a, Actor: "clerk"})
	require.NoError(t, err)
	r = e.do(resources.RoleManager, "GET", "/v1/outbox?state=pending", nil)
	require.Equal(t, 200, r.Status, "%s", r.Body)
	r.json(t, &ob)
	require.EqualValues(t, 1, ob.Counts["pending"])
	require.Len(t, ob.Items, 1)
	require.Equal(t, "booking.created", ob.Items[0].Event)
	require.Equal(t, "pending", ob.Items[0].State)
	require.Equal(t, 400, e.do(resources.RoleManager, "GET", "/v1/outbox?state=lost", nil).Status)
	r = e.do("", "GET", "/metrics", nil)
	require.Equal(t, 200, r.Status)
	require.Contains(t, string(r.Body), `interviewd_outbox_undelivered{state="pending"} 1`)
	require.Contains(t, string(r.Body), `interviewd_outbox_undelivered{state="retrying"} 0`)
	require.Contains(t, string(r.Body), "interviewd_outbox_oldest_undelivered_seconds")
	require.Contains(t, string(r.Body), "interviewd_plans_running 0")
	require.Equal(t, 403, e.do(resources.RoleClerk, "GET", "/v1/outbox", nil).Status)
}

func booked(in *solver.Instance, iv string) bool {
	for _, b := range in.Bookings {
		if b.Interview == iv {
			return true
		}
	}
	return false
}

func TestAbsenceFlagsAndRepairAPI(t *testing.T) {
	t.Parallel()
	e, in := planEnv(t)
	ctx := context.Background()
	var victim solver.Booking
	for _, b := range in.Bookings {
		if b.Interpreter != "" {
			victim = b
			break
		}
	}
	require.NotEmpty(t, victim.Interpreter)
	bs, err := e.db.Bookings(ctx, resources.ListParams{Filters: map[string]string{"interview": victim.Interview}})
	require.NoError(t, err)
	require.Len(t, bs.Items, 1)
	vb := bs.Items[0]

	// Recording the absence flags the booking at once (audit: flagged).
	r := e.do(resources.RoleManager, "POST", "/v1/interpreters/"+victim.Interpreter+"/absences",
		map[string]any{"start": vb.Start, "end": vb.End})
	require.Equal(t, 201, r.Status, "%s", r.Body)
	var abs resources.Absence
	r.json(t, &abs)
	var flagged int
	require.NoError(t, e.raw.QueryRow(ctx, `select count(*) from audit_log where action = 'flagged' and booking_id = $1 and actor = 'test-manager'`,
		vb.ID).Scan(&flagged))
	require.Equal(t, 1, flagged)

	r = e.do(resources.RoleManager, "GET", "/v1/absences/"+itoa(abs.ID)+"/impact", nil)
	require.Equal(t, 200, r.Status, "%s", r.Body)
	var im scheduler.Impact
	r.json(t, &im)
	require.Equal(t, victim.Interpreter, im.Absence.Person)
	require.NotEmpty(t, im.Broken)
	require.Equal(t, vb.ID, im.Broken[0].ID)
	require.Equal(t, 404, e.do(resources.RoleManager, "GET", "/v1/absences/424242/impact", nil).Status)
	require.Equal(t, 400, e.do(resources.RoleManager, "GET", "/v1/absences/x/impact", nil).Status, "a malformed id")
	require.Equal(t, 403, e.do(resources.RoleClerk, "GET", "/v1/absences/"+itoa(abs.ID)+"/impact", nil).Status)

	r = e.do(resources.RoleManager, "POST", "/v1/absences/"+itoa(abs.ID)+"/repair", map[string]any{"time_limit": "500ms"})
	require.Equal(t, 202, r.Status, "%s", r.Body)
	var rp resources.Plan
	r.json(t, &rp)
	require.Equal(t, "repair", rp.Kind)
	done := e.waitPlan(rp.ID)
	require.Equal(t, "done", done.Status, done.Error)
	require.Empty(t, done.Result.Diff.New)
	require.Equal(t, len(im.Broken), len(done.Result.Diff.Moved)+len(done.Result.Diff.Dropped))
	r = e.do(resources.RoleManager, "POST", "/v1/absences/"+itoa(abs.ID)+"/repair", map[string]any{"to": "someday"})
	require.Equal(t, 400, r.Status)

	// An absence that breaks nothing: nothing to repair.
	r = e.do(resources.RoleManager, "POST", "/v1/interpreters/"+victim.Interpreter+"/absences",
		map[string]any{"start": "2030-01-01T08:00:00Z", "end": "2030-01-01T09:00:00Z"})
	require.Equal(t, 201, r.Status)
	r.json(t, &abs)
	r = e.do(resources.RoleManager, "POST", "/v1/absences/"+itoa(abs.ID)+"/repair", nil)
	require.Equal(t, 409, r.Status)
	require.True(t, strings.Contains(r.problem(t).Detail, "nothing to repair"))
}

// TestJobRunsPageNewestFirst: newest-first lists page by a descending id
// cursor; a cursor this server did not give out is a 400.
func TestJobRunsPageNewestFirst(t *testing.T) {
	t.Parallel()
	e, _ := planEnv(t)
	ctx := context.Background()
	j := scheduler.NewJobs(e.db, nil, nil)
	require.NoError(t, j.Add(scheduler.ClearHoldsJob(e.db, time.Now, "*/10 * * * *", 0)))
	e.rewire(func(d *api.Deps) { d.Jobs = j })
	at := time.Now().Truncate(time.Minute)
	for k := 0; k < 3; k++ {
		_, err := j.RunNow(ctx, scheduler.JobClearHolds, at.Add(time.Duration(k)*time.Minute))
		require.NoError(t, err)
	}
	type runs struct {
		Items      []resources.JobRun `json:"items"`
		NextCursor string             `json:"next_cursor"`
	}
	var p1, p2 runs
	e.do(resources.RoleManager, "GET", "/v1/jobs?limit=2", nil).json(t, &p1)
	require.Len(t, p1.Items, 2)
	require.NotEmpty(t, p1.NextCursor)
	e.do(resources.RoleManager, "GET", "/v1/jobs?limit=2&cursor="+p1.NextCursor, nil).json(t, &p2)
	require.Len(t, p2.Items, 1)
	require.Empty(t, p2.NextCursor)
	ids := []int64{p1.Items[0].ID, p1.Items[1].ID, p2.Items[0].ID}
	require.Greater(t, ids[0], ids[1])
	require.Greater(t, ids[1], ids[2])
	r := e.do(resources.RoleManager, "GET", "/v1/jobs?cursor=bm90LWEtbnVtYmVy", nil) // base64 of "not-a-number"
	require.Equal(t, 400, r.Status, "%s", r.Body)
}
