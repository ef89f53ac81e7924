package scheduler

// solveproc.go runs plans' and scenarios' solves in a child process at the
// lowest CPU priority, so that solver work yields to people: the operating
// system runs the server's requests and PostgreSQL first, and the solver on
// what is left. Inside one process nothing can do that (Go has no goroutine
// priorities and moves goroutines between threads).

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/asylum-scheduling/interviews/capacity"
	"github.com/asylum-scheduling/interviews/solver"
)

// SolveWorkerEnv, set to 1 in a process's environment, makes it a solve
// worker (ServeSolve): the server starts its own executable so.
const SolveWorkerEnv = "INTERVIEWD_SOLVE_WORKER"

// SolveFunc solves a plan (solver.Solve's signature).
type SolveFunc func(ctx context.Context, in *solver.Instance, opt solver.Options) (*solver.Schedule, error)

// ScenarioFunc runs a scenario (capacity.Run's signature).
type ScenarioFunc func(ctx context.Context, base *solver.Instance, sc capacity.Scenario, opt capacity.RunOptions,
	progress func(capacity.Progress)) (*capacity.Comparison, error)

// ChildSolver runs each solve in a child process: Path with Args and Env
// added, SolveWorkerEnv=1 among them; the child lowers its own priority to
// Nice (default 19, the lowest). Cancelling the context kills the child.
type ChildSolver struct {
	Path string
	Args []string
	Env  []string
	Nice int
}

// solveRequest is what a worker is asked, on its stdin.
type solveRequest struct {
	Kind          string             `json:"kind"` // plan or scenario
	Nice          int                `json:"nice"`
	Instance      *solver.Instance   `json:"instance"`
	Scenario      *capacity.Scenario `json:"scenario,omitempty"`
	TimeLimit     time.Duration      `json:"time_limit"`
	Start         time.Time          `json:"start"`
	Iterations    int64              `json:"iterations"`
	Seed          int64              `json:"seed"`
	Workers       int                `json:"workers"`
	Parallel      int                `json:"parallel"`
	ProgressEvery time.Duration      `json:"progress_every"`
}

// solveMessage is one line a worker writes: progress, or at the end the
// result or an error.
type solveMessage struct {
	Progress         *solver.Progress     `json:"progress,omitempty"`
	ScenarioProgress *capacity.Progress   `json:"scenario_progress,omitempty"`
	Schedule         *solver.Schedule     `json:"schedule,omitempty"`
	Comparison       *capacity.Comparison `json:"comparison,omitempty"`
	Error            string               `json:"error,omitempty"`
}

// Solve is solver.Solve in a child process (opt.Now is not passed: the
// child keeps the real clock).
func (c *ChildSolver) Solve(ctx context.Context, in *solver.Instance, opt solver.Options) (*solver.Schedule, error) {
	start := opt.Start
	if start.IsZero() {
		start = time.Now()
	}
	req := solveRequest{Kind: "plan", Instance: in, TimeLimit: opt.TimeLimit, Start: start, Iterations: opt.Iterations,
		Seed: opt.Seed, Workers: opt.Workers, ProgressEvery: opt.ProgressEvery}
	var out *solver.Schedule
	err := c.run(ctx, req, func(m solveMessage) {
		switch {
		case m.Progress != nil && opt.Progress != nil:
			opt.Progress(*m.Progress)
		case m.Schedule != nil:
			out = m.Schedule
		}
	})
	if err == nil && out == nil {
		err = errors.New("solve worker: no schedule")
	}
	return out, err
}

// Scenario is capacity.Run in a child process.
func (c *ChildSolver) Scenario(ctx context.Context, base *solver.Instance, sc capacity.Scenario, opt capacity.RunOptions,
	progress func(capacity.Progress)) (*capacity.Comparison, error) {
	req := solveRequest{Kind: "scenario", Instance: base, Scenario: &sc, TimeLimit: opt.TimeLimit, Start: time.Now(),
		Seed: opt.Seed, Parallel: opt.Parallel}
	var out *capacity.Comparison
	err := c.run(ctx, req, func(m solveMessage) {
		switch {
		case m.ScenarioProgress != nil && progress != nil:
			progress(*m.ScenarioProgress)
		case m.Comparison != nil:
			out = m.Comparison
		}
	})
	if err == nil && out == nil {
		err = errors.New("solve worker: no comparison")
	}
	return out, err
}

// run starts the worker, hands it req and passes each message to on.
func (c *ChildSolver) run(ctx context.Context, req solveRequest, on func(solveMessage)) error {
	req.Nice = c.Nice
	if req.Nice == 0 {
		req.Nice = 19
	}
	body, err := json.Marshal(req)
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, c.Path, c.Args...)
	cmd.Env = append(append(os.Environ(), c.Env...), SolveWorkerEnv+"=1")
	ownSession(cmd)
	cmd.Stdin = bytes.NewReader(body)
	var stderr bytes.Buffer
	cmd.Stderr = &limitedWriter{b: &stderr, n: 4096}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("solve worker: %w", err)
	}
	var failed string
	r := bufio.NewReaderSize(stdout, 1<<16)
	for {
		line, rerr := r.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			var m solveMessage
			if err := json.Unmarshal(line, &m); err != nil {
				failed = "unreadable answer: " + err.Error()
			} else if m.Error != "" {
				failed = m.Error
			} else {
				on(m)
			}
		}
		if rerr != nil {
			break
		}
	}
	werr := cmd.Wait()
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case failed != "":
		return errors.New("solve worker: " + failed)
	case werr != nil:
		return fmt.Errorf("solve worker: %v: %s", werr, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// limitedWriter keeps the first n bytes written.
type limitedWriter struct {
	b *bytes.Buffer
	n int
}

func (w *limitedWriter) Write(p []byte) (int, error) {
	if room := w.n - w.b.Len(); room > 0 {
		w.b.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

// ServeSolve is the solve worker: it reads one request from in, lowers its
// priority, solves, and writes progress and the result to out as JSON
// lines.
func ServeSolve(ctx context.Context, in io.Reader, out io.Writer) error {
	var req solveRequest
	if err := json.NewDecoder(in).Decode(&req); err != nil {
		return fmt.Errorf("solve worker: reading the request: %w", err)
	}
	if err := lowerPriority(req.Nice); err != nil {
		return fmt.Errorf("solve worker: %w", err)
	}
	enc := json.NewEncoder(out) // from one goroutine at a time: the solvers report so
	var err error
	switch req.Kind {
	case "plan":
		var s *solver.Schedule
		s, err = solver.Solve(ctx, req.Instance, solver.Options{TimeLimit: req.TimeLimit, Start: req.Start,
			Iterations: req.Iterations, Seed: req.Seed, Workers: req.Workers, ProgressEvery: req.ProgressEvery,
			Progress: func(p solver.Progress) { _ = enc.Encode(solveMessage{Progress: &p}) }})
		if err == nil {
			return enc.Encode(solveMessage{Schedule: s})
		}
	case "scenario":
		if req.Scenario == nil {
			return errors.New("solve worker: a scenario request without a scenario")
		}
		var cmp *capacity.Comparison
		cmp, err = capacity.Run(ctx, req.Instance, *req.Scenario, capacity.RunOptions{TimeLimit: req.TimeLimit - time.Since(req.Start),
			Seed: req.Seed, Parallel: req.Parallel}, func(p capacity.Progress) { _ = enc.Encode(solveMessage{ScenarioProgress: &p}) })
		if err == nil {
			return enc.Encode(solveMessage{Comparison: cmp})
		}
	default:
		err = fmt.Errorf("unknown kind %q", req.Kind)
	}
	return enc.Encode(solveMessage{Error: err.Error()})
}
