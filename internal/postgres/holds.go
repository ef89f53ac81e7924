package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

// ClearExpired deletes expired holds (with their occupancy) and expired
// idempotency keys, and returns how many of each. Expired holds block
// nothing already (every change deletes those in its way first); this keeps
// the tables small.
func (db *DB) ClearExpired(ctx context.Context, now time.Time) (holds, keys int64, err error) {
	err = WithTx(ctx, db.pool, func(tx pgx.Tx) error {
		var n int64
		if err := tx.QueryRow(ctx, `select count(*) from holds where expires_at <= $1`, now).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			tag, err := tx.Exec(ctx, `delete from holds where expires_at <= $1`, now)
			if err != nil {
				return err
			}
			holds = tag.RowsAffected()
		}
		tag, err := tx.Exec(ctx, `delete from idempotency_keys where expires_at <= $1`, now)
		if err != nil {
			return err
		}
		keys = tag.RowsAffected()
		return nil
	})
	return holds, keys, err
}

// Holds lists the live holds of an interview.
func (db *DB) Holds(ctx context.Context, interview string, now time.Time) ([]resources.Hold, error) {
	_, loc, err := getSettings(ctx, db.pool)
	if err != nil {
		return nil, Translate(err)
	}
	rows, _ := db.pool.Query(ctx, `select id, interview_id, start_at, end_at, room_id, interviewer_id, interpreter_id, mode, expires_at
		from holds where interview_id = $1 and expires_at > $2 order by id`, interview, now)
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (resources.Hold, error) {
		var h resources.Hold
		var s, e, x time.Time
		var tr *string
		err := r.Scan(&h.ID, &h.Interview, &s, &e, &h.Room, &h.Interviewer, &tr, &h.Mode, &x)
		h.Start, h.End, h.ExpiresAt, h.Interpreter = solver.FormatInstant(s, loc), solver.FormatInstant(e, loc), solver.FormatInstant(x, loc), str(tr)
		return h, err
	})
	return out, Translate(err)
}

// LiveHolds counts the holds that have not expired at now.
func (db *DB) LiveHolds(ctx context.Context, now time.Time) (int, error) {
	var n int
	err := db.pool.QueryRow(ctx, `select count(*) from holds where expires_at > $1`, now).Scan(&n)
	return n, Translate(err)
}
