package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

// Absence returns an absence of an interviewer or interpreter by its id.
func (db *DB) Absence(ctx context.Context, id int64) (*resources.AbsenceInfo, error) {
	_, loc, err := getSettings(ctx, db.pool)
	if err != nil {
		return nil, Translate(err)
	}
	a := resources.AbsenceInfo{ID: id}
	var s, e time.Time
	err = db.pool.QueryRow(ctx, `select coalesce(i.id, t.id), case when i.id is not null then 'interviewer' else 'interpreter' end,
			lower(a.during), upper(a.during)
		from absences a left join interviewers i on i.resource_id = a.resource_id
			left join interpreters t on t.resource_id = a.resource_id
		where a.id = $1 and (i.id is not null or t.id is not null)`, id).Scan(&a.Person, &a.Kind, &s, &e)
	if err == pgx.ErrNoRows {
		return nil, errs.E(errs.NotFound, "absence %d not found", id)
	}
	if err != nil {
		return nil, Translate(err)
	}
	a.Start, a.End = solver.FormatInstant(s, loc), solver.FormatInstant(e, loc)
	return &a, nil
}

// brokenBySQL selects the active bookings whose interviewer or interpreter
// is away, during the booking, by absence $1.
const brokenBySQL = `select b.id from bookings b, absences a
	where a.id = $1 and b.status = 'active' and tstzrange(b.start_at, b.end_at) && a.during
	and (exists (select 1 from interviewers i where i.id = b.interviewer_id and i.resource_id = a.resource_id)
		or exists (select 1 from interpreters t where t.id = b.interpreter_id and t.resource_id = a.resource_id))`

// FlagAbsence flags the active bookings that absence breaks: each gets a
// booking_flags row and, the first time, an audit entry (action flagged,
// by actor). It returns every booking the absence breaks, flagged now or
// before.
func (db *DB) FlagAbsence(ctx context.Context, absence int64, actor string) ([]resources.FlaggedBooking, error) {
	var out []resources.FlaggedBooking
	err := WithTx(ctx, db.pool, func(tx pgx.Tx) error {
		_, loc, err := getSettings(ctx, tx)
		if err != nil {
			return err
		}
		var exists bool
		if err := tx.QueryRow(ctx, `select exists (select 1 from absences where id = $1)`, absence).Scan(&exists); err != nil {
			return err
		}
		if !exists {
			return errs.E(errs.NotFound, "absence %d not found", absence)
		}
		now := db.now()
		rows, _ := tx.Query(ctx, `insert into booking_flags (booking_id, absence_id, flagged_at)
			select id, $1, $2 from (`+brokenBySQL+`) x
			on conflict do nothing returning booking_id`, absence, now)
		fresh, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return err
		}
		if len(fresh) > 0 {
			// The audit entry names the booking and the absence: no reason
			// of the absence is kept (it could be health data).
			if _, err := tx.Exec(ctx, `insert into audit_log (at, actor, interview_id, booking_id, action, reason, before)
				select $2, $3, b.interview_id, b.id, 'flagged', $4, jsonb_build_object('start', b.start_at, 'end', b.end_at,
					'room', b.room_id, 'interviewer', b.interviewer_id, 'interpreter', b.interpreter_id, 'mode', b.mode)
				from bookings b where b.id = any($1)`,
				fresh, now, actor, fmt.Sprintf("absence %d", absence)); err != nil {
				return err
			}
		}
		rows, _ = tx.Query(ctx, `select f.flagged_at, b.id, b.interview_id, b.start_at, b.end_at, b.room_id, b.interviewer_id,
				b.interpreter_id, b.mode, b.pinned, b.status, b.sequence, b.version
			from booking_flags f join bookings b on b.id = f.booking_id
			where f.absence_id = $1 and b.id in (`+brokenBySQL+`) order by b.start_at, b.id`, absence)
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (resources.FlaggedBooking, error) {
			var f resources.FlaggedBooking
			var at, start, end time.Time
			var interp *string
			err := r.Scan(&at, &f.ID, &f.Interview, &start, &end, &f.Room, &f.Interviewer, &interp, &f.Mode, &f.Pinned,
				&f.Status, &f.Sequence, &f.Version)
			f.FlaggedAt = at.UTC().Format(time.RFC3339)
			f.Start, f.End, f.Interpreter = solver.FormatInstant(start, loc), solver.FormatInstant(end, loc), str(interp)
			return f, err
		})
		return err
	})
	if err != nil {
		return nil, err
	}
	if out == nil {
		out = []resources.FlaggedBooking{}
	}
	return out, nil
}
