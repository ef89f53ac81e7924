package postgres

import (
	"bytes"
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

// Audit lists the audit trail of an interview (bookingID 0) or of a
// booking, oldest first.
func (db *DB) Audit(ctx context.Context, interview string, bookingID int64) ([]resources.AuditEntry, error) {
	var exists bool
	var err error
	if bookingID != 0 {
		err = db.pool.QueryRow(ctx, `select exists (select 1 from bookings where id = $1)`, bookingID).Scan(&exists)
	} else {
		err = db.pool.QueryRow(ctx, `select exists (select 1 from interviews where id = $1)`, interview).Scan(&exists)
	}
	if err != nil {
		return nil, Translate(err)
	}
	if !exists {
		if bookingID != 0 {
			return nil, errs.E(errs.NotFound, "booking %d not found", bookingID)
		}
		return nil, errs.E(errs.NotFound, "interview %q not found", interview)
	}
	_, loc, err := getSettings(ctx, db.pool)
	if err != nil {
		return nil, Translate(err)
	}
	q := `select id, at, actor, interview_id, booking_id, action, reason, before, after from audit_log `
	var rows pgx.Rows
	if bookingID != 0 {
		rows, _ = db.pool.Query(ctx, q+`where booking_id = $1 order by id`, bookingID)
	} else {
		rows, _ = db.pool.Query(ctx, q+`where interview_id = $1 order by id`, interview)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (resources.AuditEntry, error) {
		var e resources.AuditEntry
		var at time.Time
		var iv *string
		var before, after []byte
		err := r.Scan(&e.ID, &at, &e.Actor, &iv, &e.Booking, &e.Action, &e.Reason, &before, &after)
		e.At, e.Interview = solver.FormatInstant(at, loc), str(iv)
		if before != nil {
			e.Before = before
		}
		if after != nil {
			e.After = after
		}
		return e, err
	})
	if err != nil {
		return nil, Translate(err)
	}
	if out == nil {
		out = []resources.AuditEntry{}
	}
	return out, nil
}

const auditSQL = `insert into audit_log (at, actor, interview_id, booking_id, action, reason, before, after)
	values ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb)`

func audit(ctx context.Context, tx pgx.Tx, c Change, ivID string, bookingID *int64, before, after any) error {
	b, a, err := auditJSON(before, after)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, auditSQL, c.Now, c.Actor, ivID, bookingID, c.Action, c.Reason, b, a)
	return err
}

// auditJSON encodes before and after; nil (also a typed nil pointer) is SQL null.
func auditJSON(before, after any) (*string, *string, error) {
	enc := func(v any) (*string, error) {
		if v == nil {
			return nil, nil
		}
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		return jsonOrNil(b), nil
	}
	b, err := enc(before)
	if err != nil {
		return nil, nil, err
	}
	a, err := enc(after)
	return b, a, err
}

func jsonOrNil(b []byte) *string {
	if b == nil || bytes.Equal(b, []byte("null")) {
		return nil
	}
	s := string(b)
	return &s
}
