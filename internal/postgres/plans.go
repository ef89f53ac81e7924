package postgres

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
)

// planLockKey is the session advisory lock a server holds on each plan it
// runs, so that a server starting beside it can tell a running plan from one
// whose server died.
const planLockKey = `hashtextextended('interviews-plan:' || ($1::bigint)::text, 0)`

// StartPlan records a running plan and takes its advisory lock on a
// connection of its own, in the transaction that makes the row visible: no
// other server sees the plan running without the lock held. release unlocks
// and gives the connection back; call it when the run has ended.
func (db *DB) StartPlan(ctx context.Context, p resources.NewPlan) (plan *resources.Plan, release func(), err error) {
	from, err := parseDate(p.From)
	if err != nil {
		return nil, nil, errs.Field("from", "from must be a date YYYY-MM-DD")
	}
	to, err := parseDate(p.To)
	if err != nil {
		return nil, nil, errs.Field("to", "to must be a date YYYY-MM-DD")
	}
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return nil, nil, Translate(err)
	}
	var id int64
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `insert into plans (kind, created_by, from_date, to_date, time_limit_ms, absence_id, created_at)
			values ($1, $2, $3, $4, $5, $6, $7) returning id`,
			p.Kind, p.CreatedBy, from, to, p.TimeLimit.Milliseconds(), p.Absence, db.now()).Scan(&id); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `select pg_advisory_lock(`+planLockKey+`)`, id)
		return err
	})
	if err != nil {
		conn.Release()
		return nil, nil, Translate(err)
	}
	release = func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if _, err := conn.Exec(ctx, `select pg_advisory_unlock(`+planLockKey+`)`, id); err != nil {
			conn.Conn().Close(ctx) // closing the session drops the lock
		}
		conn.Release()
	}
	plan, err = db.Plan(ctx, id, false)
	if err != nil {
		release()
		return nil, nil, err
	}
	return plan, release, nil
}

// SetPlanProgress records the progress of a running plan. It reports false
// when the plan is no longer running (cancelled meanwhile).
func (db *DB) SetPlanProgress(ctx context.Context, id int64, p resources.PlanProgress) (bool, error) {
	tag, err := db.pool.Exec(ctx, `update plans set progress = $2 where id = $1 and status = 'running'`, id, p)
	if err != nil {
		return false, Translate(err)
	}
	return tag.RowsAffected() == 1, nil
}

// FinishPlan stores the result of a running plan; false when the plan was
// not running any more (cancelled or failed meanwhile): the result is dropped.
func (db *DB) FinishPlan(ctx context.Context, id int64, r *resources.PlanResult) (bool, error) {
	tag, err := db.pool.Exec(ctx, `update plans set status = 'done', result = $2, finished_at = $3
		where id = $1 and status = 'running'`, id, r, db.now())
	if err != nil {
		return false, Translate(err)
	}
	return tag.RowsAffected() == 1, nil
}

// EndPlan ends a running plan as failed or cancelled, with a reason.
func (db *DB) EndPlan(ctx context.Context, id int64, status, reason string) (bool, error) {
	tag, err := db.pool.Exec(ctx, `update plans set status = $2, error = $3, finished_at = $4
		where id = $1 and status = 'running'`, id, status, reason, db.now())
	if err != nil {
		return false, Translate(err)
	}
	return tag.RowsAffected() == 1, nil
}

// CancelPlan cancels a plan that is running or done (not yet accepted).
func (db *DB) CancelPlan(ctx context.Context, id int64, reason string) (*resources.Plan, error) {
	tag, err := db.pool.Exec(ctx, `update plans set status = 'cancelled', error = $2, finished_at = coalesce(finished_at, $3)
		where id = $1 and status in ('running', 'done')`, id, reason, db.now())
	if err != nil {
		return nil, Translate(err)
	}
	p, err := db.Plan(ctx, id, false)
	if err != nil {
		return nil, err
	}
	if tag.RowsAffected() == 0 {
		return nil, errs.E(errs.Conflict, "plan %d is %s: only a running or done plan can be cancelled", id, p.Status)
	}
	return p, nil
}

// FailOrphanedPlans marks failed, with reason, the running plans whose
// server is gone: those whose advisory lock nobody holds. A server calls it
// when it starts; plans other servers run are left alone.
func (db *DB) FailOrphanedPlans(ctx context.Context, reason string) ([]int64, error) {
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return nil, Translate(err)
	}
	defer conn.Release()
	rows, _ := conn.Query(ctx, `select id from plans where status = 'running' order by id`)
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, Translate(err)
	}
	var failed []int64
	for _, id := range ids {
		var got bool
		if err := conn.QueryRow(ctx, `select pg_try_advisory_lock(`+planLockKey+`)`, id).Scan(&got); err != nil {
			return failed, Translate(err)
		}
		if !got {
			continue // its server is alive and running it
		}
		tag, err := conn.Exec(ctx, `update plans set status = 'failed', error = $2, finished_at = $3
			where id = $1 and status = 'running'`, id, reason, db.now())
		if _, uerr := conn.Exec(ctx, `select pg_advisory_unlock(`+planLockKey+`)`, id); uerr != nil && err == nil {
			err = uerr
		}
		if err != nil {
			return failed, Translate(err)
		}
		if tag.RowsAffected() == 1 {
			failed = append(failed, id)
		}
	}
	return failed, nil
}

// RecordAccept stores the outcome of accepting items of a done (or already
// partly accepted) plan: the plan becomes accepted, the items' outcomes
// replace earlier ones of the same interviews.
func (db *DB) RecordAccept(ctx context.Context, id int64, by string, items []resources.AcceptedItem) error {
	return WithTx(ctx, db.pool, func(tx pgx.Tx) error {
		var raw []byte
		var status string
		if err := tx.QueryRow(ctx, `select status, accept_result from plans where id = $1 for update`, id).Scan(&status, &raw); err != nil {
			return notFoundPlan(err, id)
		}
		if !resources.Acceptable(status) {
			return errs.E(errs.Conflict, "plan %d is %s: only a done plan can be accepted", id, status)
		}
		var prev []resources.AcceptedItem
		if len(raw) > 0 {
			if err := json.Unmarshal(raw, &prev); err != nil {
				return err
			}
		}
		at := map[string]int{}
		for i, x := range prev {
			at[x.Interview] = i
		}
		for _, x := range items {
			if i, ok := at[x.Interview]; ok {
				prev[i] = x
			} else {
				at[x.Interview] = len(prev)
				prev = append(prev, x)
			}
		}
		status = resources.PlanAccepted
		for _, x := range prev {
			if !x.Applied() {
				status = resources.PlanPartlyAccepted
			}
		}
		_, err := tx.Exec(ctx, `update plans set status = $5, accepted_at = $2, accepted_by = $3, accept_result = $4 where id = $1`,
			id, db.now(), by, prev, status)
		return err
	})
}

func notFoundPlan(err error, id int64) error {
	if err == pgx.ErrNoRows {
		return errs.E(errs.NotFound, "plan %d not found", id)
	}
	return err
}

func scanPlan(r pgx.CollectableRow, full bool) (resources.Plan, error) {
	var (
		p               resources.Plan
		from, to        time.Time
		created         time.Time
		finished, accAt *time.Time
		prog, res, acc  []byte
		errText, accBy  *string
	)
	err := r.Scan(&p.ID, &p.Kind, &p.Status, &p.CreatedBy, &from, &to, &p.TimeLimitMS, &p.Absence, &created,
		&finished, &prog, &res, &errText, &accAt, &accBy, &acc)
	if err != nil {
		return p, err
	}
	p.From, p.To = from.Format("2006-01-02"), to.Format("2006-01-02")
	p.TimeLimit = (time.Duration(p.TimeLimitMS) * time.Millisecond).String()
	p.CreatedAt = created.UTC().Format(time.RFC3339)
	p.FinishedAt, p.AcceptedAt = fmtTime(finished), fmtTime(accAt)
	p.Error, p.AcceptedBy = str(errText), str(accBy)
	if len(prog) > 0 && p.Status == resources.PlanRunning {
		p.Progress = &resources.PlanProgress{}
		if err := json.Unmarshal(prog, p.Progress); err != nil {
			return p, err
		}
	}
	switch {
	case len(res) > 0 && full:
		var r resources.PlanResult
		if err := json.Unmarshal(res, &r); err != nil {
			return p, err
		}
		p.Summary, p.Result = r.Summarize(), &r
	case len(res) > 0: // the summary, computed by the query
		p.Summary = &resources.PlanSummary{}
		if err := json.Unmarshal(res, p.Summary); err != nil {
			return p, err
		}
	}
	if len(acc) > 0 && full {
		if err := json.Unmarshal(acc, &p.Accepted); err != nil {
			return p, err
		}
	}
	return p, nil
}

// Plan returns a plan; full: with its result and accepted items.
func (db *DB) Plan(ctx context.Context, id int64, full bool) (*resources.Plan, error) {
	rows, _ := db.pool.Query(ctx, planSelectSQL(full)+` where id = $1`, id)
	ps, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (resources.Plan, error) { return scanPlan(r, full) })
	if err != nil {
		return nil, Translate(err)
	}
	if len(ps) == 0 {
		return nil, errs.E(errs.NotFound, "plan %d not found", id)
	}
	return &ps[0], nil
}

// planSelectSQL reads plans: full, with the result document; otherwise with
// only its summary, counted by the database (a month's plan is large).
func planSelectSQL(full bool) string {
	result := `result`
	if !full {
		result = `case when result is null then null else jsonb_build_object(
		'scheduled', jsonb_array_length(result->'assignments'), 'unscheduled', jsonb_array_length(result->'unscheduled'),
		'new', jsonb_array_length(result->'diff'->'new'), 'moved', jsonb_array_length(result->'diff'->'moved'),
		'unchanged', jsonb_array_length(result->'diff'->'unchanged'), 'dropped', jsonb_array_length(result->'diff'->'dropped'),
		'score', result->'score') end`
	}
	return `select id, kind, status, created_by, from_date, to_date, time_limit_ms, absence_id, created_at,
	finished_at, progress, ` + result + `, error, accepted_at, accepted_by, accept_result from plans`
}

// Plans lists plans, newest first. Filters: status, kind; what-if
// scenarios only when kind is "scenario".
func (db *DB) Plans(ctx context.Context, p resources.ListParams) (resources.Page[resources.Plan], error) {
	var zero resources.Page[resources.Plan]
	l, err := newList(p, "status", "kind")
	if err != nil {
		return zero, err
	}
	l.equal(p, "status", "kind")
	if p.Filters["kind"] == "" {
		l.conds = append(l.conds, "kind <> 'scenario'") // what-if runs are listed as scenarios
	}
	if err := l.idAfter(false); err != nil {
		return zero, err
	}
	sql := planSelectSQL(false)
	if len(l.conds) > 0 {
		sql += " where " + joinAnd(l.conds)
	}
	sql += " order by id desc limit " + strconv.Itoa(l.limit+1)
	rows, _ := db.pool.Query(ctx, sql, l.args...)
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (resources.Plan, error) { return scanPlan(r, false) })
	if err != nil {
		return zero, Translate(err)
	}
	return page(l, items, func(x resources.Plan) string { return strconv.FormatInt(x.ID, 10) }), nil
}

// ActiveBookings returns the active bookings of the interviews, by interview.
func (db *DB) ActiveBookings(ctx context.Context, interviews []string) (map[string]resources.Booking, error) {
	_, loc, err := getSettings(ctx, db.pool)
	if err != nil {
		return nil, Translate(err)
	}
	bs, err := loadBookings(ctx, db.pool, loc, bookingSelect+` where status = 'active' and interview_id = any($1)`, interviews)
	if err != nil {
		return nil, Translate(err)
	}
	out := make(map[string]resources.Booking, len(bs))
	for _, b := range bs {
		out[b.Interview] = b
	}
	return out, nil
}
