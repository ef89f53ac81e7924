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
// one when items is empty), each checked as a clerk's booking is
// (Service.Book): what the plan proposed may have been taken meanwhile.
// Items go in passes, so that a move into a slot another item frees
// succeeds whatever the order, and moves that can only go together (a swap)
// go in one transaction. It reports per item what was booked and what
// conflicted; the plan is accepted when every item took effect, else
// partly_accepted (and may be accepted again). Each item carries an
// idempotency key made of the plan and the interview, so accepting again
// (say after a crash half way) books nothing twice.
func (p *Planner) Accept(ctx context.Context, id int64, items []string, actor string) (*resources.Plan, []resources.AcceptedItem, error) {
	plan, err := p.db.Plan(ctx, id, true)
	if err != nil {
		return nil, nil, err
	}
	if plan.Kind == resources.PlanScenario || plan.Result == nil && plan.Status == resources.PlanDone {
		return nil, nil, errs.E(errs.Conflict, "plan %d is a what-if scenario: it books nothing and cannot be accepted", id)
	}
	if !resources.Acceptable(plan.Status) {
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
	ap := &acceptance{p: p, plan: id, actor: actor, reason: fmt.Sprintf("plan %d", id), assigned: assigned, isNew: isNew, moved: moved}
	out := ap.applyAll(ctx, items)
	// Recorded even when the request was cancelled half way: what was
	// booked is booked.
	if err := p.db.RecordAccept(context.WithoutCancel(ctx), id, actor, out); err != nil {
		return nil, nil, err
	}
	booked := 0
	for _, x := range out {
		if x.Outcome == AcceptBooked || x.Outcome == AcceptRescheduled {
			booked++
		}
	}
	p.log.InfoContext(ctx, "plan accepted", "plan", id, "items", len(out), "booked", booked)
	plan, err = p.db.Plan(context.WithoutCancel(ctx), id, true)
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
		p.log.ErrorContext(ctx, "plan accept: booking an item", "plan", plan, "error", err.Error())
		return AcceptFailed, errs.MessageOf(err)
	default:
		return AcceptConflict, errs.MessageOf(err)
	}
}

// acceptance applies the items of one plan.
type acceptance struct {
	p        *Planner
	plan     int64
	actor    string
	reason   string
	assigned map[string]solver.Assignment
	isNew    map[string]bool
	moved    map[string]resources.PlanMove
}

// applyAll applies the items in passes, so that chains succeed whatever
// their order: a move into a slot that a later item frees fails with a
// conflict in one pass and goes through in the next. Passes go on while
// they make progress. Moves that still conflict may form a cycle (a swap):
// they are tried all together, in one transaction. What still fails is
// named with its reason.
func (ap *acceptance) applyAll(ctx context.Context, items []string) []resources.AcceptedItem {
	out := make([]resources.AcceptedItem, len(items))
	pending := make([]int, len(items))
	for k := range pending {
		pending[k] = k
	}
	for len(pending) > 0 && ctx.Err() == nil {
		var left []int
		for _, k := range pending {
			out[k] = ap.one(ctx, items[k])
			if out[k].Outcome == AcceptConflict {
				left = append(left, k)
			}
			if ctx.Err() != nil {
				break
			}
		}
		if len(left) == len(pending) {
			break // no progress
		}
		pending = left
	}
	ap.cycle(ctx, items, pending, out)
	return out
}

// origin is how the plan's bookings and moves come about.
func (ap *acceptance) origin() *resources.BookingOrigin {
	return &resources.BookingOrigin{Kind: resources.OriginPlan, Plan: ap.plan}
}

// one applies one item on its own.
func (ap *acceptance) one(ctx context.Context, iv string) resources.AcceptedItem {
	a := ap.assigned[iv]
	key := fmt.Sprintf("plan-%d-%s", ap.plan, iv)
	item := resources.AcceptedItem{Interview: iv}
	switch {
	case ap.isNew[iv]:
		b, err := ap.p.svc.Book(ctx, BookRequest{InterviewID: iv, Assignment: &a, Actor: ap.actor, Reason: ap.reason, IdempotencyKey: key, Source: SourcePlan,
			Origin: ap.origin()})
		item.Outcome, item.Message = ap.p.outcome(ctx, ap.plan, err, AcceptBooked)
		if b != nil {
			item.Booking = b.ID
		}
	case ap.moved[iv].Booking != 0:
		item.Booking = ap.moved[iv].Booking
		err := ap.p.move(ctx, item.Booking, a, ap.actor, ap.reason, key, ap.origin())
		item.Outcome, item.Message = ap.p.outcome(ctx, ap.plan, err, AcceptRescheduled)
	default:
		item.Outcome = AcceptUnchanged
	}
	return item
}

// cycle tries the moves among the still conflicting items together, in
// one transaction: a swap or a longer cycle, where no move can go first.
func (ap *acceptance) cycle(ctx context.Context, items []string, pending []int, out []resources.AcceptedItem) {
	var ks []int
	var reqs []ChangeRequest
	for _, k := range pending {
		iv := items[k]
		if out[k].Outcome != AcceptConflict || ap.moved[iv].Booking == 0 {
			continue
		}
		a := ap.assigned[iv]
		ks = append(ks, k)
		reqs = append(reqs, ChangeRequest{BookingID: ap.moved[iv].Booking, Assignment: &a, Actor: ap.actor, Reason: ap.reason,
			IdempotencyKey: fmt.Sprintf("plan-%d-%s", ap.plan, iv), Source: SourcePlan, Origin: ap.origin()})
	}
	if len(reqs) < 2 || ctx.Err() != nil {
		return
	}
	if err := ap.p.svc.RescheduleAll(ctx, reqs); err != nil {
		ap.p.log.InfoContext(ctx, "plan accept: the conflicting moves do not go together either", "plan", ap.plan, "moves", len(reqs),
			"error", errs.MessageOf(err))
		return
	}
	for _, k := range ks {
		out[k].Outcome, out[k].Message = AcceptRescheduled, ""
	}
}
