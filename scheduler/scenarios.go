package scheduler

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/asylum-scheduling/interviews/capacity"
	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

// Time budgets of a what-if scenario: the total for the baseline and every
// variant together.
const (
	DefaultScenarioTimeLimit = 30 * time.Second
	MaxScenarioTimeLimit     = 10 * time.Minute
)

// ScenarioRequest asks for a what-if scenario over a window of dates: the
// baseline (the pending interviews around the current bookings, as a batch
// plan sees them) and each variant of Scenario, solved with the same budget.
type ScenarioRequest struct {
	From, To  string
	TimeLimit time.Duration // total
	Scenario  *capacity.Scenario
	Actor     string
}

// StartScenario checks the scenario against the current state of the
// window (a change naming an unknown office or language is refused here,
// with its path) and runs it in the background, like a plan. Live data are
// never changed.
func (p *Planner) StartScenario(ctx context.Context, req ScenarioRequest) (*resources.ScenarioRun, error) {
	if err := checkWindow(req.From, req.To); err != nil {
		return nil, err
	}
	if req.TimeLimit < time.Second || req.TimeLimit > MaxScenarioTimeLimit {
		return nil, errs.Field("time_limit", fmt.Sprintf("time_limit must be between 1s and %s", MaxScenarioTimeLimit))
	}
	if req.Scenario == nil || len(req.Scenario.Variants) == 0 {
		return nil, errs.Field("variants", "a scenario needs at least one variant")
	}
	if req.Scenario.Format == "" {
		req.Scenario.Format = capacity.ScenarioFormat
	}
	t0 := time.Now()
	in, _, err := p.instance(ctx, PlanRequest{Kind: resources.PlanBatch, From: req.From, To: req.To})
	if err != nil {
		return nil, err
	}
	if err := capacity.Check(in, req.Scenario); err != nil {
		return nil, scenarioError(err, errs.Unprocessable)
	}
	var run *resources.ScenarioRun
	err = p.begin(ctx, p.ScenarioParallel, func() (int64, func(), error) {
		r, release, err := p.db.StartScenario(ctx, resources.NewPlan{CreatedBy: req.Actor, From: req.From, To: req.To,
			TimeLimit: req.TimeLimit}, req.Scenario)
		if err != nil {
			return 0, nil, err
		}
		run = r
		return r.ID, release, nil
	}, func(rctx context.Context) { p.runScenario(rctx, run.ID, in, req, t0) })
	if err != nil {
		return nil, err
	}
	return run, nil
}

// scenarioError turns the capacity package's problems into field errors
// with code: Invalid for a malformed document, Unprocessable for changes
// that do not fit the current data.
func scenarioError(err error, code errs.Code) error {
	var ve *capacity.ValidationError
	if errors.As(err, &ve) {
		var fields []errs.FieldError
		for _, p := range ve.Problems {
			fields = append(fields, errs.FieldError{Path: p.Path, Message: p.Message})
		}
		msg := "the scenario is not well formed"
		if code == errs.Unprocessable {
			msg = "the scenario does not fit the current data"
		}
		e := errs.WithFields(msg, fields)
		e.Code = code
		return e
	}
	return solverError(err)
}

// runScenario solves the baseline and the variants and stores the
// comparison; the budget counts from the request (t0).
func (p *Planner) runScenario(ctx context.Context, id int64, in *solver.Instance, req ScenarioRequest, t0 time.Time) {
	wctx := func() (context.Context, context.CancelFunc) {
		return context.WithTimeout(context.Background(), 10*time.Second)
	}
	end := func(status, reason string) {
		c, cancel := wctx()
		defer cancel()
		if _, err := p.db.EndPlan(c, id, status, reason); err != nil {
			p.log.Error("scenario: recording its end", "scenario", id, "error", err.Error())
		}
		p.log.Info("scenario ended", "scenario", id, "status", status, "duration_ms", time.Since(t0).Milliseconds())
		p.svc.obs.PlanEnded(resources.PlanScenario, status, time.Since(t0))
	}
	var lastWrite time.Time
	every := max(p.ProgressEvery, time.Second)
	progress := func(pr capacity.Progress) {
		now := time.Now()
		if now.Sub(lastWrite) < every && pr.Phase != capacity.PhaseDone {
			return
		}
		lastWrite = now
		c, cancel := wctx()
		defer cancel()
		ok, err := p.db.SetPlanProgress(c, id, resources.PlanProgress{ElapsedMS: time.Since(t0).Milliseconds(), Phase: pr.Phase,
			Run: pr.Name, Fraction: pr.Fraction})
		if err == nil && !ok {
			p.mu.Lock()
			if r := p.running[id]; r != nil {
				r.cancel(errPlanCancelled)
			}
			p.mu.Unlock()
		}
	}
	budget := req.TimeLimit - time.Since(t0)
	runScenario := p.RunScenario
	if runScenario == nil {
		runScenario = capacity.Run
	}
	cmp, err := runScenario(ctx, in, *req.Scenario, capacity.RunOptions{TimeLimit: budget, Seed: id, Parallel: max(p.ScenarioParallel, 1)}, progress)
	switch context.Cause(ctx) {
	case errPlanCancelled:
		end(resources.PlanCancelled, "cancelled by a manager")
		return
	case errShutdown:
		end(resources.PlanFailed, errShutdown.Error())
		return
	}
	if err != nil {
		p.log.Error("scenario: failed", "scenario", id, "error", err.Error())
		end(resources.PlanFailed, "the scenario could not be solved: "+errs.MessageOf(scenarioError(err, errs.Unprocessable)))
		return
	}
	c, cancel := wctx()
	defer cancel()
	if ok, err := p.db.FinishScenario(c, id, cmp); err != nil {
		p.log.Error("scenario: storing the result", "scenario", id, "error", err.Error())
		end(resources.PlanFailed, "the result could not be stored")
	} else if ok {
		p.log.Info("scenario done", "scenario", id, "runs", len(cmp.Runs), "duration_ms", time.Since(t0).Milliseconds())
		p.svc.obs.PlanEnded(resources.PlanScenario, resources.PlanDone, time.Since(t0))
	}
}

// ParseScenario reads a capacity-scenario/v1 document strictly; its
// problems come back as field errors at their JSON paths.
func ParseScenario(data []byte) (*capacity.Scenario, error) {
	sc, err := capacity.ParseScenario(data)
	if err != nil {
		return nil, scenarioError(err, errs.Invalid)
	}
	return sc, nil
}

// CancelScenario stops a running what-if scenario. A scenario that has
// ended keeps its status and figures: cancelling it is a conflict.
func (p *Planner) CancelScenario(ctx context.Context, id int64) (*resources.ScenarioRun, error) {
	run, err := p.db.Scenario(ctx, id)
	if err != nil {
		return nil, err
	}
	if run.Status != resources.PlanRunning {
		return nil, errs.E(errs.Conflict, "scenario %d is %s: only a running scenario can be cancelled", id, run.Status)
	}
	if _, err := p.Cancel(ctx, id); err != nil {
		return nil, err
	}
	return p.db.Scenario(ctx, id)
}
