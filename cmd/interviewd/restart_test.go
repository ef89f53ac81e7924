package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/generator"
	"github.com/asylum-scheduling/interviews/internal/pgtest"
	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/scheduler"
	"github.com/asylum-scheduling/interviews/solver"
)

// childEnv makes the test binary act as an interviewd server (serve on a
// free loopback port, database from DATABASE_URL): a process the restart
// test can kill -9.
const childEnv = "INTERVIEWD_TEST_SERVE"

// childDataEnv gives the child server a -data folder (with DATABASE_URL
// empty: its own cluster there).
const childDataEnv = "INTERVIEWD_TEST_DATA"

// childArgsEnv adds serve flags (separated by spaces) to the child server.
const childArgsEnv = "INTERVIEWD_TEST_ARGS"

func TestMain(m *testing.M) {
	if os.Getenv(scheduler.SolveWorkerEnv) == "1" { // a server's solve (scheduler.ChildSolver)
		if err := scheduler.ServeSolve(context.Background(), os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	if os.Getenv(childEnv) != "" {
		ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
		args := []string{"serve", "-addr", "127.0.0.1:0", "-nightly-plan", "off"}
		if data := os.Getenv(childDataEnv); data != "" {
			args = append(args, "-data", data)
		}
		args = append(args, strings.Fields(os.Getenv(childArgsEnv))...)
		err := Main(ctx, args, os.Getenv, os.Stdout, os.Stderr)
		stop()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	pgtest.Main(m)
}

type child struct {
	cmd  *exec.Cmd
	out  *syncBuffer
	errb *syncBuffer
	base string
	done chan struct{}
}

var listenRe = regexp.MustCompile(`listening on (http://\S+)`)

func startChild(t *testing.T, url string, env ...string) *child {
	t.Helper()
	c := &child{out: &syncBuffer{}, errb: &syncBuffer{}, done: make(chan struct{})}
	c.cmd = exec.Command(os.Args[0], "-test.run=^$")
	c.cmd.Env = append(append(os.Environ(), childEnv+"=1", "DATABASE_URL="+url), env...)
	c.cmd.Stdout, c.cmd.Stderr = c.out, c.errb
	require.NoError(t, c.cmd.Start())
	go func() { c.cmd.Wait(); close(c.done) }()
	t.Cleanup(func() {
		c.cmd.Process.Kill()
		<-c.done
		if t.Failed() {
			t.Logf("server %d stderr:\n%s", c.cmd.Process.Pid, c.errb.String())
		}
	})
	waitFor(t, "the server to listen", time.Minute, func() bool {
		select {
		case <-c.done:
			t.Fatalf("server exited: %s", c.errb.String())
		default:
		}
		return listenRe.MatchString(c.out.String())
	})
	c.base = listenRe.FindStringSubmatch(c.out.String())[1]
	return c
}

// kill stops the server as a crash or kill -9 would: no shutdown code runs.
func (c *child) kill(t *testing.T) {
	t.Helper()
	require.NoError(t, c.cmd.Process.Signal(syscall.SIGKILL))
	<-c.done
}

func (c *child) call(t *testing.T, token, method, path string, body any) (int, []byte) {
	t.Helper()
	code, out, err := c.try(token, method, path, body)
	require.NoError(t, err)
	return code, out
}

// try is call for a goroutine the test started: it returns what failed
// rather than stop the goroutine (require would).
func (c *child) try(token, method, path string, body any) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	return resp.StatusCode, out, err
}

func (c *child) plan(t *testing.T, token string, id int64) resources.Plan {
	t.Helper()
	code, body := c.call(t, token, "GET", fmt.Sprintf("/v1/plans/%d", id), nil)
	require.Equal(t, 200, code, "%s", body)
	var p resources.Plan
	require.NoError(t, json.Unmarshal(body, &p))
	return p
}

// noHalfBookings checks what a crash must never leave: an active booking
// without its occupancy, live occupancy of a booking that is not active, a
// booked interview without an active booking (or the reverse), a resource
// in two places at once, a booking without its audit entry and event.
func noHalfBookings(t *testing.T, raw *pgtest.Raw) {
	t.Helper()
	ctx := context.Background()
	for what, sql := range map[string]string{
		"active bookings without occupancy of room, interviewer and interpreter": `select count(*) from bookings b where b.status = 'active' and (
			not exists (select 1 from occupancy o join rooms r on r.resource_id = o.resource_id where o.booking_id = b.id and o.active and r.id = b.room_id)
			or not exists (select 1 from occupancy o join interviewers r on r.resource_id = o.resource_id where o.booking_id = b.id and o.active and r.id = b.interviewer_id)
			or (b.interpreter_id is not null and not exists (select 1 from occupancy o join interpreters r on r.resource_id = o.resource_id
				where o.booking_id = b.id and o.active and r.id = b.interpreter_id)))`,
		"live occupancy of inactive bookings": `select count(*) from occupancy o join bookings b on b.id = o.booking_id where o.active and b.status <> 'active'`,
		"booked interviews without an active booking": `select count(*) from interviews i where i.status = 'booked'
			and not exists (select 1 from bookings b where b.interview_id = i.id and b.status = 'active')`,
		"pending interviews with an active booking": `select count(*) from interviews i where i.status = 'pending'
			and exists (select 1 from bookings b where b.interview_id = i.id and b.status = 'active')`,
		"a resource in two places at once": `select count(*) from occupancy a join occupancy b on a.resource_id = b.resource_id
			and a.id < b.id and a.during && b.during where a.active and b.active`,
		"events without their audit entry": `select count(*) from outbox o
			where not exists (select 1 from audit_log a where a.booking_id = o.booking_id)`,
		"bookings without their event": `select count(*) from bookings b
			where exists (select 1 from audit_log a where a.booking_id = b.id and a.action = 'booked')
			and not exists (select 1 from outbox o where o.booking_id = b.id)`,
	} {
		var n int
		require.NoError(t, raw.QueryRow(ctx, sql).Scan(&n), what)
		require.Zero(t, n, what)
	}
}

// waitUnlocked waits until the killed server's sessions are gone (their
// advisory locks with them), as they are when its host comes back.
func waitUnlocked(t *testing.T, raw *pgtest.Raw) {
	t.Helper()
	waitFor(t, "the killed server's sessions to end", 30*time.Second, func() bool {
		var n int
		require.NoError(t, raw.QueryRow(context.Background(), `select count(*) from pg_locks where locktype = 'advisory'`).Scan(&n))
		return n == 0
	})
}

func TestRestartDuringPlanAndAccept(t *testing.T) {
	ctx := context.Background()
	url := pgtest.URL(t)
	db, err := postgres.Open(ctx, url, nil)
	require.NoError(t, err)
	t.Cleanup(db.Close)
	raw := pgtest.OpenAt(t, url)
	in, err := generator.Generate("M", 1)
	require.NoError(t, err)
	fit, err := solver.FirstFit(in)
	require.NoError(t, err)
	for i, a := range fit.Assignments {
		if i%3 == 0 {
			in.Bookings = append(in.Bookings, solver.Booking{Interview: a.Interview, Start: a.Start, Room: a.Room,
				Interviewer: a.Interviewer, Interpreter: a.Interpreter, Mode: a.Mode})
		}
	}
	_, err = db.Import(ctx, in)
	require.NoError(t, err)
	token, _, err := db.CreateToken(ctx, "restart-manager", resources.RoleManager)
	require.NoError(t, err)
	var bookingsBefore int
	require.NoError(t, raw.QueryRow(ctx, `select count(*) from bookings`).Scan(&bookingsBefore))

	// 1. Kill the server while a plan runs.
	s1 := startChild(t, url)
	code, body := s1.call(t, token, "POST", "/v1/plans", map[string]any{"from": in.Horizon.Start, "to": in.Horizon.End, "time_limit": "2m"})
	require.Equal(t, 202, code, "%s", body)
	var running resources.Plan
	require.NoError(t, json.Unmarshal(body, &running))
	waitFor(t, "progress of the running plan", 30*time.Second, func() bool { return s1.plan(t, token, running.ID).Progress != nil })
	s1.kill(t)
	p, err := db.Plan(ctx, running.ID, false)
	require.NoError(t, err)
	require.Equal(t, "running", p.Status, "killed, the server recorded nothing")
	waitUnlocked(t, raw)

	s2 := startChild(t, url)
	after := s2.plan(t, token, running.ID)
	require.Equal(t, "failed", after.Status)
	require.Contains(t, after.Error, "server restarted")
	require.Nil(t, after.Result)
	var n int
	require.NoError(t, raw.QueryRow(ctx, `select count(*) from bookings`).Scan(&n))
	require.Equal(t, bookingsBefore, n, "a plan books nothing by itself")
	noHalfBookings(t, raw)

	// 2. Kill the server while it accepts a plan.
	code, body = s2.call(t, token, "POST", "/v1/plans", map[string]any{"from": in.Horizon.Start, "to": in.Horizon.End, "time_limit": "1s"})
	require.Equal(t, 202, code, "%s", body)
	var plan resources.Plan
	require.NoError(t, json.Unmarshal(body, &plan))
	waitFor(t, "the plan to finish", time.Minute, func() bool { return s2.plan(t, token, plan.ID).Status != "running" })
	plan = s2.plan(t, token, plan.ID)
	require.Equal(t, "done", plan.Status, plan.Error)
	items := plan.Result.Diff.New
	require.Greater(t, len(items), 20)
	reason := fmt.Sprintf("plan %d", plan.ID)
	countPlanBookings := func() int {
		var k int
		require.NoError(t, raw.QueryRow(ctx, `select count(*) from audit_log where reason = $1 and action = 'booked'`, reason).Scan(&k))
		return k
	}
	accepted := make(chan struct{})
	go func() {
		defer close(accepted)
		req, _ := http.NewRequest("POST", s2.base+fmt.Sprintf("/v1/plans/%d/accept", plan.ID), nil)
		req.Header.Set("Authorization", "Bearer "+token)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}()
	// Kill as soon as the accept has booked something (or at once if it
	// is that fast).
	deadline := time.Now().Add(20 * time.Second)
	for countPlanBookings() == 0 && time.Now().Before(deadline) {
		time.Sleep(2 * time.Millisecond)
	}
	s2.kill(t)
	<-accepted
	half := countPlanBookings()
	t.Logf("killed during accept after %d of %d items were booked", half, len(items))
	noHalfBookings(t, raw)
	waitUnlocked(t, raw)

	// 3. After a restart the same accept completes it: nothing twice. This
	// server delivers notifications to a webhook.
	var hookMu sync.Mutex
	var hooks []delivery
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		hookMu.Lock()
		hooks = append(hooks, delivery{r.Header.Clone(), b})
		hookMu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	defer hook.Close()
	secret := "restart-test-secret"
	s3 := startChild(t, url, "WEBHOOK_URL="+hook.URL+"/events", "WEBHOOK_SECRET="+secret)
	code, body = s3.call(t, token, "POST", fmt.Sprintf("/v1/plans/%d/accept", plan.ID), nil)
	require.Equal(t, 200, code, "%s", body)
	var acc struct {
		Items []resources.AcceptedItem `json:"items"`
	}
	require.NoError(t, json.Unmarshal(body, &acc))
	require.Len(t, acc.Items, len(items))
	for _, x := range acc.Items {
		require.Equal(t, "booked", x.Outcome, "%s: %s", x.Interview, x.Message)
	}
	require.Equal(t, len(items), countPlanBookings())
	require.NoError(t, raw.QueryRow(ctx, `select count(*) from bookings`).Scan(&n))
	require.Equal(t, bookingsBefore+len(items), n)
	noHalfBookings(t, raw)

	// Every booking of the plan is announced to the webhook once, signed,
	// without a case number.
	waitFor(t, "the webhook deliveries", time.Minute, func() bool {
		hookMu.Lock()
		defer hookMu.Unlock()
		return len(hooks) >= len(items)
	})
	// Once every event is marked delivered, no delivery is under way: an
	// event is marked after its webhook answered, and a second delivery
	// would have to come before that.
	waitFor(t, "every event marked delivered", time.Minute, func() bool {
		var pending int
		require.NoError(t, raw.QueryRow(ctx, `select count(*) from outbox where delivered_at is null`).Scan(&pending))
		return pending == 0
	})
	hookMu.Lock()
	got := append([]delivery(nil), hooks...)
	hookMu.Unlock()
	require.Len(t, got, len(items))
	seen := map[string]bool{}
	for _, d := range got {
		require.Equal(t, "booking.created", d.header.Get("X-Event"))
		require.True(t, scheduler.Verify([]byte(secret), d.body, d.header.Get("X-Signature")))
		require.False(t, seen[d.header.Get("X-Delivery")], "delivered twice")
		seen[d.header.Get("X-Delivery")] = true
		for _, iv := range in.Interviews {
			require.NotContains(t, string(d.body), iv.Case)
		}
	}
	code, body = s3.call(t, token, "GET", "/v1/outbox?state=delivered&limit=1000", nil)
	require.Equal(t, 200, code, "%s", body)
	var ob struct {
		Counts map[string]int `json:"counts"`
	}
	require.NoError(t, json.Unmarshal(body, &ob))
	require.Equal(t, len(items), ob.Counts["delivered"])
	code, body = s3.call(t, token, "GET", "/v1/jobs", nil)
	require.Equal(t, 200, code, "%s", body)
	require.Contains(t, string(body), `"name":"clear-expired-holds","spec":"*/10 * * * *","next_run"`)
	require.Contains(t, string(body), `"name":"nightly-plan","spec":""`)
	require.Contains(t, string(body), `"name":"import-busy-calendars","spec":"*/30 * * * *","next_run"`)
	require.Contains(t, string(body), `"name":"retention","spec":"30 3 * * *","next_run"`)

	// 4. A graceful stop (SIGTERM) ends a running plan as failed, with the
	// reason, and the process exits cleanly.
	code, body = s3.call(t, token, "POST", "/v1/plans", map[string]any{"from": in.Horizon.Start, "to": in.Horizon.End, "time_limit": "2m"})
	require.Equal(t, 202, code, "%s", body)
	var last resources.Plan
	require.NoError(t, json.Unmarshal(body, &last))
	require.NoError(t, s3.cmd.Process.Signal(syscall.SIGTERM))
	select {
	case <-s3.done:
	case <-time.After(time.Minute):
		t.Fatal("the server did not stop on SIGTERM")
	}
	require.True(t, s3.cmd.ProcessState.Success(), s3.errb.String())
	stopped, err := db.Plan(ctx, last.ID, false)
	require.NoError(t, err)
	require.Equal(t, "failed", stopped.Status)
	require.Contains(t, stopped.Error, "shut down")
	noHalfBookings(t, raw)

	// The restarted servers' logs name no case and carry no token or secret.
	logs := s3.errb.String()
	for _, iv := range in.Interviews {
		require.False(t, strings.Contains(logs, `"`+iv.Case+`"`))
	}
	require.NotContains(t, logs, token)
	require.NotContains(t, logs, secret)
}

type delivery struct {
	header http.Header
	body   []byte
}

// ids lists the ids of the items of a list page.
func (c *child) ids(t *testing.T, token, path string) []string {
	t.Helper()
	code, body := c.call(t, token, "GET", path, nil)
	require.Equal(t, 200, code, "%s", body)
	var page struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	require.NoError(t, json.Unmarshal(body, &page))
	var out []string
	for _, x := range page.Items {
		out = append(out, x.ID)
	}
	return out
}
