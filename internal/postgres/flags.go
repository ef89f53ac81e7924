package postgres

// flags.go keeps the interviews clerks flag to the managers, and releases
// holds a clerk gives up.

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
)

// FlagInterview records that a clerk flagged an interview to the managers,
// with the audit entry.
func (db *DB) FlagInterview(ctx context.Context, interview, reason, actor string, now time.Time) error {
	return Translate(WithTx(ctx, db.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `insert into interview_flags (interview_id, reason, actor, created_at)
			select id, $2, $3, $4 from interviews where id = $1`, interview, reason, actor, now)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return errs.E(errs.NotFound, "interview %q not found", interview)
		}
		_, err = tx.Exec(ctx, auditSQL, now, actor, interview, nil, "flagged_to_manager", reason, nil, nil)
		return err
	}))
}

// OpenFlags lists the flags no manager has resolved, oldest first (at most 500).
func (db *DB) OpenFlags(ctx context.Context) ([]resources.InterviewFlag, error) {
	rows, _ := db.pool.Query(ctx, `select f.id, f.interview_id, i.language, f.reason, f.actor, f.created_at
		from interview_flags f join interviews i on i.id = f.interview_id
		where f.resolved_at is null order by f.created_at, f.id limit 500`)
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (resources.InterviewFlag, error) {
		var f resources.InterviewFlag
		var at time.Time
		err := r.Scan(&f.ID, &f.Interview, &f.Language, &f.Reason, &f.Actor, &at)
		f.CreatedAt = at.UTC().Format(time.RFC3339)
		return f, err
	})
	return out, Translate(err)
}

// ResolveFlag marks a flag resolved by a manager.
func (db *DB) ResolveFlag(ctx context.Context, id int64, actor string, now time.Time) error {
	tag, err := db.pool.Exec(ctx, `update interview_flags set resolved_at = $2, resolved_by = $3 where id = $1 and resolved_at is null`,
		id, now, actor)
	if err == nil && tag.RowsAffected() == 0 {
		return errs.E(errs.NotFound, "open flag %d not found", id)
	}
	return Translate(err)
}

// ReleaseHold ends a live hold of an interview before it runs out.
func (db *DB) ReleaseHold(ctx context.Context, interview string, id int64, actor string, now time.Time) error {
	return Translate(WithTx(ctx, db.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `delete from holds where id = $1 and interview_id = $2 and expires_at > $3`, id, interview, now)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return errs.E(errs.NotFound, "hold %d of interview %s not found (it may have run out)", id, interview)
		}
		_, err = tx.Exec(ctx, auditSQL, now, actor, interview, nil, "hold_released", "", nil, nil)
		return err
	}))
}
