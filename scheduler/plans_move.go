package scheduler

import (
	"context"

	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

// move reschedules booking id to a with the booking workflow's Reschedule
// (same checks, audit entry and outbox event; the booking keeps its id).
func (p *Planner) move(ctx context.Context, id int64, a solver.Assignment, actor, reason, key string, origin *resources.BookingOrigin) error {
	_, err := p.svc.Reschedule(ctx, ChangeRequest{BookingID: id, Assignment: &a, Actor: actor, Reason: reason, IdempotencyKey: key, Source: SourcePlan,
		Origin: origin})
	return err
}
