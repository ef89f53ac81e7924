package scheduler_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/capacity"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/scheduler"
	"github.com/asylum-scheduling/interviews/solver"
)

// childSolver makes f's planner solve in child processes, as cmd/interviewd
// wires it; the test binary is the worker (TestMain).
// Its workers carry testWorkerEnv=tag, so that a test finds its own
// workers among those of the tests running beside it.
func childSolver(f *fixture, tag string) {
	cs := &scheduler.ChildSolver{Path: os.Args[0], Env: []string{testWorkerEnv + "=" + tag}}
	f.planner.Solve, f.planner.RunScenario, f.planner.ProcsPerRun = cs.Solve, cs.Scenario, -1
}

// A plan solved in the child process is the one solved in this process
// (construction only: the same on every run), with its progress.
func TestPlanInChildProcess(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "S", 3)
	childSolver(f, t.Name())
	ctx := context.Background()
	plan, err := f.planner.Start(ctx, scheduler.PlanRequest{From: f.in.Horizon.Start, To: f.in.Horizon.End, Actor: "test"})
	require.NoError(t, err)
	done := f.wait(t, plan.ID)
	require.Equal(t, resources.PlanDone, done.Status, "%s", done.Error)
	// In this process, from the same state.
	in, err := f.db.Export(ctx, f.in.Horizon.Start, f.in.Horizon.End)
	require.NoError(t, err)
	for i := range in.Bookings {
		in.Bookings[i].Pinned = true
	}
	want, err := solver.Solve(ctx, in, solver.Options{Seed: plan.ID, Workers: 1})
	require.NoError(t, err)
	require.Equal(t, want.Score, done.Result.Score)
	require.Equal(t, want.Assignments, done.Result.Assignments)
}

// A scenario runs in a child process whose every thread has the lowest CPU
// priority; cancelling it ends the child.
func TestScenarioInChildProcessYields(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "M", 3)
	childSolver(f, t.Name())
	ctx := context.Background()
	sc := &capacity.Scenario{Variants: []capacity.Variant{{Name: "remote", Changes: []capacity.Change{
		{RemoteShare: &capacity.RemoteShare{Interviews: ptr(0.5)}}}}}}
	run, err := f.planner.StartScenario(ctx, scheduler.ScenarioRequest{From: f.in.Horizon.Start, To: f.in.Horizon.End,
		TimeLimit: 5 * time.Minute, Scenario: sc, Actor: "test"})
	require.NoError(t, err)
	deadline := time.Now().Add(time.Minute)
	for {
		r, err := f.db.Scenario(ctx, run.ID)
		require.NoError(t, err)
		if r.Progress != nil && r.Progress.Phase == capacity.PhaseSolving {
			break
		}
		require.False(t, time.Now().After(deadline), "not solving after a minute")
		time.Sleep(50 * time.Millisecond)
	}
	kids := children(t, t.Name())
	require.NotEmpty(t, kids, "no solve worker among this process's children")
	// A worker lowers its own priority as it starts, and another test's
	// worker may be starting just now: wait (boundedly) until each has.
	deadline = time.Now().Add(30 * time.Second)
	for _, pid := range kids {
		for {
			problem := workerProblem(pid)
			if problem == "" {
				break
			}
			require.False(t, time.Now().After(deadline), "worker %d: %s", pid, problem)
			time.Sleep(50 * time.Millisecond)
		}
	}
	cancelled, err := f.planner.CancelScenario(ctx, run.ID)
	require.NoError(t, err)
	require.Equal(t, resources.PlanCancelled, cancelled.Status)
	for _, pid := range kids {
		_, err := os.Stat(filepath.Join("/proc", strconv.Itoa(pid)))
		require.True(t, os.IsNotExist(err), "worker %d still runs", pid)
	}
}

// testWorkerEnv names the test whose solve worker a process is.
const testWorkerEnv = "INTERVIEWS_TEST_WORKER_OF"

// children lists the solve workers of the test tagged tag among the
// processes whose parent is this one (TestPlanInChildProcess's worker may
// run beside TestScenarioInChildProcessYields's, and outlive its cancel).
func children(t *testing.T, tag string) []int {
	t.Helper()
	entries, err := os.ReadDir("/proc")
	require.NoError(t, err)
	var out []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue // ended meanwhile
		}
		f := statFields(string(stat))
		if len(f) > 1 && f[1] == strconv.Itoa(os.Getpid()) {
			cmdline, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "environ"))
			env := "\x00" + string(cmdline)
			if strings.Contains(env, "\x00"+scheduler.SolveWorkerEnv+"=1\x00") && strings.Contains(env, "\x00"+testWorkerEnv+"="+tag+"\x00") {
				out = append(out, pid)
			}
		}
	}
	return out
}

// statFields are the fields of /proc/…/stat after the command's name:
// [0] the state, [1] the parent, [3] the session, …, [16] the nice value.
func statFields(stat string) []string {
	return strings.Fields(stat[strings.LastIndexByte(stat, ')')+1:])
}

// workerProblem says what is not yet so of a solve worker: a session, so a
// CPU group (autogroup), of its own at nice 19, and nice 19 on every
// thread; "" when all is so, or when the worker has ended.
func workerProblem(pid int) string {
	dir := filepath.Join("/proc", strconv.Itoa(pid))
	stat, err := os.ReadFile(filepath.Join(dir, "stat"))
	if err != nil {
		return "" // ended meanwhile (another test's worker)
	}
	if statFields(string(stat))[3] != strconv.Itoa(pid) {
		return "not in a session of its own"
	}
	if group, err := os.ReadFile(filepath.Join(dir, "autogroup")); err == nil && !strings.Contains(string(group), "nice 19") {
		return "autogroup " + strings.TrimSpace(string(group))
	}
	tasks, err := os.ReadDir(filepath.Join(dir, "task"))
	if err != nil {
		return ""
	}
	if len(tasks) < 2 {
		return "one thread only"
	}
	for _, task := range tasks {
		stat, err := os.ReadFile(filepath.Join(dir, "task", task.Name(), "stat"))
		if err != nil {
			continue
		}
		if n := statFields(string(stat))[16]; n != "19" {
			return "thread " + task.Name() + " at nice " + n
		}
	}
	return ""
}
