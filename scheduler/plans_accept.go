package scheduler

import (
	"context"
	"errors"
	"fmt"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

// Outcomes of accepting one item of a plan.
const (
	AcceptBooked      = "booked"
	AcceptRescheduled = "rescheduled"
	AcceptUnchanged   = "unchanged"
	AcceptConflict    = "conflict"
	AcceptFailed      = "failed"
)

// Accept books the listed interviews of a done plan (every new and moved
// one when items is empty), each in its own transaction and checked as a
// clerk's booking is (Service.Book): what the plan proposed may have been
// taken meanwhile. It reports per item what was booked and what conflicted.
// Each item carries an idempotency key made of the plan and the interview,
// so accepting again (say after a crash half way) books nothing twice.
func (p *Planner) Accept(ctx context.Context, id int64, items []string, actor string) (*resources.Plan, []resources.AcceptedItem, error) {
	plan, err := p.DB.Plan(ctx, id, true)
	if err != nil {
		return nil, nil, err
	}
	if plan.Status != resources.PlanDone && plan.Status != resources.PlanAccepted {
		return nil, nil, errs.E(errs.Conflict, "plan %d is %s: only a done plan can be accepted", id, plan.Status)
	}
	res := plan.Result
	assigned := map[string]solver.Assignment{}
	for _, a := range res.Assignments {
		assigned[a.Interview] = a
	}
	isNew := map[string]bool{}
	for _, iv := range res.Diff.New {
		isNew[iv] = true
	}
	moved := map[string]resources.PlanMove{}
	for _, m := range res.Diff.Moved {
		moved[m.Interview] = m
	}
	if len(items) == 0 {
		items = append(append(items, res.Diff.New...), movedIDs(res.Diff.Moved)...)
	} else {
		var probs []errs.FieldError
		seen := map[string]bool{}
		for i, iv := range items {
			if _, ok := assigned[iv]; !ok {
				probs = append(probs, errs.FieldError{Path: fmt.Sprintf("items[%d]", i), Message: fmt.Sprintf("plan %d does not place interview %q", id, iv)})
			} else if seen[iv] {
				probs = append(probs, errs.FieldError{Path: fmt.Sprintf("items[%d]", i), Message: fmt.Sprintf("interview %q is listed twice", iv)})
			}
			seen[iv] = true
		}
		if len(probs) > 0 {
			return nil, nil, errs.WithFields("items names interviews the plan does not place", probs)
		}
	}
	reason := fmt.Sprintf("plan %d", id)
	out := make([]resources.AcceptedItem, 0, len(items))
	for _, iv := range items {
		a := assigned[iv]
		key := fmt.Sprintf("plan-%d-%s", id, iv)
		item := resources.AcceptedItem{Interview: iv}
		switch {
		case isNew[iv]:
			b, err := p.Svc.Book(ctx, BookRequest{InterviewID: iv, Assignment: &a, Actor: actor, Reason: reason, IdempotencyKey: key, Source: SourcePlan})
			item.Outcome, item.Message = p.outcome(ctx, id, err, AcceptBooked)
			if b != nil {
				item.Booking = b.ID
			}
		case moved[iv].Booking != 0:
			m := moved[iv]
			item.Booking = m.Booking
			err := p.move(ctx, m.Booking, a, actor, reason, key)
			item.Outcome, item.Message = p.outcome(ctx, id, err, AcceptRescheduled)
		default:
			item.Outcome = AcceptUnchanged
		}
		out = append(out, item)
		if ctx.Err() != nil {
			break
		}
	}
	// Recorded even when the request was cancelled half way: what was
	// booked is booked.
	if err := p.DB.RecordAccept(context.WithoutCancel(ctx), id, actor, out); err != nil {
		return nil, nil, err
	}
	booked := 0
	for _, x := range out {
		if x.Outcome == AcceptBooked || x.Outcome == AcceptRescheduled {
			booked++
		}
	}
	p.Log.InfoContext(ctx, "plan accepted", "plan", id, "items", len(out), "booked", booked)
	plan, err = p.DB.Plan(context.WithoutCancel(ctx), id, true)
	if err != nil {
		return nil, nil, err
	}
	return plan, out, nil
}

func movedIDs(ms []resources.PlanMove) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Interview
	}
	return out
}

// outcome classifies the error of booking one item: none is ok; a conflict
// or a broken rule (the state changed since the plan) is a conflict, with
// its message; anything else failed (logged, message generic).
func (p *Planner) outcome(ctx context.Context, plan int64, err error, ok string) (string, string) {
	if err == nil {
		return ok, ""
	}
	var ce *ConflictError
	if errors.As(err, &ce) {
		return AcceptConflict, ce.Message
	}
	switch errs.CodeOf(err) {
	case errs.Internal:
		p.Log.ErrorContext(ctx, "plan accept: booking an item", "plan", plan, "error", err.Error())
		return AcceptFailed, errs.MessageOf(err)
	default:
		return AcceptConflict, errs.MessageOf(err)
	}
}
