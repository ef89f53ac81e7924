package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

// recordOrigin writes how a booking or its move came about (c.Origin), with
// the settings' version of the change's transaction. Nothing when the
// change says nothing of its origin.
func recordOrigin(ctx context.Context, tx pgx.Tx, c Change, bookingID int64) error {
	o := c.Origin
	if o == nil {
		return nil
	}
	var rank *int
	if o.Kind == resources.OriginSuggestion && o.Rank > 0 { // ids given out before ranks were signed have none
		rank = &o.Rank
	}
	var plan *int64
	if o.Plan != 0 {
		plan = &o.Plan
	}
	rules := o.Rules
	if rules == nil {
		rules = []string{}
	}
	_, err := tx.Exec(ctx, `insert into booking_origins (booking_id, at, action, origin, suggestion_rank, plan_id, rules, reason, actor,
			solver_version, settings_version)
		select $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, version from settings`,
		bookingID, c.Now, c.Action, o.Kind, rank, plan, rules, o.Reason, c.Actor, o.SolverVersion)
	return err
}

// AutomationReport says how the automation was used from the date from to
// the date to (inclusive, in the agency's time zone): bookings and moves
// by origin, the first suggestion's share, hand placements that worsened
// an objective, automatic requests and their outcomes, expired requests
// and the plans by status.
func (db *DB) AutomationReport(ctx context.Context, from, to string) (*resources.AutomationReport, error) {
	_, loc, err := getSettings(ctx, db.pool)
	if err != nil {
		return nil, Translate(err)
	}
	start, end, err := reportWindow(from, to, loc)
	if err != nil {
		return nil, err
	}
	r := &resources.AutomationReport{From: from, To: to, BySource: map[string]int{}, AutomaticOutcomes: map[string]int{},
		Plans: map[string]int{}, AgainstRules: []resources.HandPlacement{}}
	for _, k := range []string{resources.OriginSuggestion, resources.OriginPlan, resources.OriginAutomatic, resources.OriginHand} {
		r.BySource[k] = 0
	}
	steps := []func(context.Context, time.Time, time.Time, *time.Location, *resources.AutomationReport) error{
		db.reportSources, db.reportHand, db.reportAutomatic, db.reportExpired, db.reportPlans,
	}
	for _, step := range steps {
		if err := step(ctx, start, end, loc, r); err != nil {
			return nil, Translate(err)
		}
	}
	if r.Suggestions > 0 {
		r.FirstShare = float64(r.FirstSuggestion) / float64(r.Suggestions)
	}
	return r, nil
}

// reportWindow reads the report's dates: from's midnight to the midnight
// after to, in loc.
func reportWindow(from, to string, loc *time.Location) (time.Time, time.Time, error) {
	var bad []errs.FieldError
	f, err := solver.ParseDate(from)
	if err != nil {
		bad = append(bad, errs.FieldError{Path: "from", Message: "from must be a date YYYY-MM-DD"})
	}
	t, err := solver.ParseDate(to)
	if err != nil {
		bad = append(bad, errs.FieldError{Path: "to", Message: "to must be a date YYYY-MM-DD"})
	}
	if len(bad) > 0 {
		return time.Time{}, time.Time{}, errs.WithFields("bad date range", bad)
	}
	if t < f {
		return time.Time{}, time.Time{}, errs.Field("to", "to is before from")
	}
	return f.Midnight(loc), (t + 1).Midnight(loc), nil
}

// reportSources counts bookings and moves by origin, and the suggestions
// taken at rank 1.
func (db *DB) reportSources(ctx context.Context, start, end time.Time, _ *time.Location, r *resources.AutomationReport) error {
	rows, _ := db.pool.Query(ctx, `select origin, count(*), count(*) filter (where suggestion_rank = 1)
		from booking_origins where at >= $1 and at < $2 group by origin`, start, end)
	var origin string
	var n, first int
	_, err := pgx.ForEachRow(rows, []any{&origin, &n, &first}, func() error {
		r.BySource[origin] = n
		if origin == resources.OriginSuggestion {
			r.Suggestions, r.FirstSuggestion = n, first
		}
		return nil
	})
	return err
}

// reportHand lists the placements by hand that worsened an objective.
func (db *DB) reportHand(ctx context.Context, start, end time.Time, loc *time.Location, r *resources.AutomationReport) error {
	rows, _ := db.pool.Query(ctx, `select booking_id, at, action, rules, reason, actor from booking_origins
		where at >= $1 and at < $2 and origin = 'hand' and cardinality(rules) > 0 order by id`, start, end)
	hs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (resources.HandPlacement, error) {
		var h resources.HandPlacement
		var at time.Time
		err := row.Scan(&h.Booking, &at, &h.Action, &h.Rules, &h.Reason, &h.Actor)
		h.At = solver.FormatInstant(at, loc)
		return h, err
	})
	if err != nil {
		return err
	}
	r.AgainstRules = append(r.AgainstRules, hs...)
	return nil
}

// reportAutomatic counts the automatic requests by what became of them:
// the booking's interpreter status now.
func (db *DB) reportAutomatic(ctx context.Context, start, end time.Time, _ *time.Location, r *resources.AutomationReport) error {
	rows, _ := db.pool.Query(ctx, `select coalesce(b.interpreter_status, 'none'), count(*) from booking_origins o
		join bookings b on b.id = o.booking_id
		where o.at >= $1 and o.at < $2 and o.origin = 'automatic' group by 1`, start, end)
	var status string
	var n int
	_, err := pgx.ForEachRow(rows, []any{&status, &n}, func() error {
		r.AutomaticOutcomes[status] = n
		r.Automatic += n
		return nil
	})
	return err
}

// reportExpired counts the interpreters' requests released unanswered.
func (db *DB) reportExpired(ctx context.Context, start, end time.Time, _ *time.Location, r *resources.AutomationReport) error {
	return db.pool.QueryRow(ctx, `select count(*) from audit_log where at >= $1 and at < $2 and action = $3 and reason = $4`,
		start, end, resources.ActionInterpreterReleased, resources.InterpreterExpired).Scan(&r.Expired)
}

// reportPlans counts the plans made in the period by status.
func (db *DB) reportPlans(ctx context.Context, start, end time.Time, _ *time.Location, r *resources.AutomationReport) error {
	rows, _ := db.pool.Query(ctx, `select status, count(*) from plans where created_at >= $1 and created_at < $2 group by status`, start, end)
	var status string
	var n int
	_, err := pgx.ForEachRow(rows, []any{&status, &n}, func() error {
		r.Plans[status] = n
		return nil
	})
	return err
}
