package scheduler

import (
	"context"
	"log/slog"
	"time"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

// RepairDays is how far after the last broken booking a repair plan may
// move bookings, unless asked otherwise.
const RepairDays = 14

// Impact is what an absence breaks.
type Impact struct {
	Absence resources.AbsenceInfo      `json:"absence"`
	Broken  []resources.FlaggedBooking `json:"broken"`
	// From and To are the window a repair plan would use by default.
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
}

// recordAbsence is the one step that records an absence: it stores it, then
// flags the active bookings it breaks (audit action flagged, by actor).
//
// The absence is stored in its own transaction first. A failure to flag
// is logged, not returned: the absence stands, a caller told it failed
// would record it again, and flagging is idempotent and repeatable
// (AbsenceImpact, GET /v1/absences/{id}/impact, flags again).
func recordAbsence(ctx context.Context, db *postgres.DB, log *slog.Logger, owner resources.AbsenceOwner, id string,
	a resources.Absence, actor string, now time.Time) (*resources.Absence, error) {
	if err := a.Validate(); err != nil {
		return nil, err
	}
	if err := absenceBounds(a, now); err != nil {
		return nil, err
	}
	added, err := db.AddAbsence(ctx, owner, id, a)
	if err != nil {
		return nil, err
	}
	if _, err := db.FlagAbsence(ctx, added.ID, actor); err != nil {
		log.ErrorContext(ctx, "flagging the bookings an absence breaks", "absence", added.ID, "code", string(errs.CodeOf(err)))
	}
	return added, nil
}

// Bounds of an absence entered by a person (page, portal or API): it
// starts at most AbsenceEarliest ago and lasts at most AbsenceLongest. A
// typo such as year 0001 or 9999 would otherwise block a person for ever
// or reach back over every statistic.
const (
	AbsenceEarliest = 365 * 24 * time.Hour
	AbsenceLongest  = 3 * 365 * 24 * time.Hour
)

// absenceBounds refuses an absence outside those bounds (a valid one: its
// times parse and it is not inverted).
func absenceBounds(a resources.Absence, now time.Time) error {
	start, _ := solver.ParseInstant(a.Start)
	end, _ := solver.ParseInstant(a.End)
	if start.Before(now.Add(-AbsenceEarliest)) {
		return errs.Field("start", "an absence may start at most a year ago")
	}
	if end.Sub(start) > AbsenceLongest {
		return errs.Field("end", "an absence may last at most three years")
	}
	return nil
}

// AddAbsence records an absence of an interviewer or interpreter and flags
// the bookings it breaks (recordAbsence).
func (p *Planner) AddAbsence(ctx context.Context, owner resources.AbsenceOwner, id string, a resources.Absence, actor string) (*resources.Absence, error) {
	return recordAbsence(ctx, p.db, p.log, owner, id, a, actor, p.now())
}

// DeleteAbsence removes an absence of an interviewer or interpreter (only
// one of theirs).
func (p *Planner) DeleteAbsence(ctx context.Context, owner resources.AbsenceOwner, id string, absence int64) error {
	return p.db.DeleteAbsence(ctx, owner, id, absence)
}

// AbsenceImpact flags the active bookings absence breaks (audit action
// flagged, once per booking and absence) and returns them.
func (p *Planner) AbsenceImpact(ctx context.Context, absence int64, actor string) (*Impact, error) {
	a, err := p.db.Absence(ctx, absence)
	if err != nil {
		return nil, err
	}
	broken, err := p.db.FlagAbsence(ctx, absence, actor)
	if err != nil {
		return nil, err
	}
	im := &Impact{Absence: *a, Broken: broken}
	if len(broken) > 0 {
		from, to, err := p.repairWindow(ctx, broken, "")
		if err != nil {
			return nil, err
		}
		im.From, im.To = from, to
	}
	return im, nil
}

// repairWindow is from the day of the first broken booking (today at the
// earliest) to RepairDays after the last one, or to.
func (p *Planner) repairWindow(ctx context.Context, broken []resources.FlaggedBooking, to string) (string, string, error) {
	st, err := p.db.Settings(ctx)
	if err != nil {
		return "", "", err
	}
	loc, err := time.LoadLocation(st.Timezone)
	if err != nil {
		loc = time.UTC
	}
	today := solver.DateOf(p.now(), loc)
	first, last := solver.Date(1<<31-1), solver.Date(0)
	for _, b := range broken {
		t, err := solver.ParseInstant(b.Start)
		if err != nil {
			return "", "", err
		}
		d := solver.DateOf(t, loc)
		first, last = min(first, d), max(last, d)
	}
	first = max(first, today)
	end := max(last+RepairDays, first)
	if to != "" {
		d, err := solver.ParseDate(to)
		if err != nil {
			return "", "", errs.Field("to", "to must be a date YYYY-MM-DD")
		}
		end = d
	}
	if int(end-first)+1 > MaxPlanDays {
		end = first + MaxPlanDays - 1
	}
	return first.String(), end.String(), nil
}

// Repair starts a repair plan for absence: the bookings it breaks are free
// to move (at the change price), every other booking stays, and no pending
// interview is added, so the plan moves as little as possible. to (optional)
// ends the window.
func (p *Planner) Repair(ctx context.Context, absence int64, actor string, timeLimit time.Duration, to string) (*resources.Plan, error) {
	broken, err := p.db.FlagAbsence(ctx, absence, actor)
	if err != nil {
		return nil, err
	}
	if len(broken) == 0 {
		return nil, errs.E(errs.Conflict, "absence %d breaks no active booking: there is nothing to repair", absence)
	}
	from, end, err := p.repairWindow(ctx, broken, to)
	if err != nil {
		return nil, err
	}
	return p.Start(ctx, PlanRequest{Kind: resources.PlanRepair, From: from, To: end, TimeLimit: timeLimit, Actor: actor, Absence: &absence})
}
