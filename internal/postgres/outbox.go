package postgres

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
)

// Outbox delivery states.
const (
	OutboxPending   = "pending"
	OutboxRetrying  = "retrying"
	OutboxDelivered = "delivered"
)

const outboxSelect = `select id, event, booking_id, created_at, attempts, next_attempt_at, delivered_at, last_error, payload from outbox`

func scanOutbox(r pgx.CollectableRow) (resources.OutboxEvent, error) {
	var (
		e             resources.OutboxEvent
		created, next time.Time
		delivered     *time.Time
		lastErr       *string
	)
	err := r.Scan(&e.ID, &e.Event, &e.Booking, &created, &e.Attempts, &next, &delivered, &lastErr, &e.Payload)
	e.CreatedAt, e.DeliveredAt, e.LastError = created.UTC().Format(time.RFC3339), fmtTime(delivered), str(lastErr)
	switch {
	case delivered != nil:
		e.State = OutboxDelivered
	case e.Attempts > 0:
		e.State = OutboxRetrying
		e.NextAttemptAt = fmtTime(&next)
	default:
		e.State = OutboxPending
		e.NextAttemptAt = fmtTime(&next)
	}
	return e, err
}

// DeliverNext takes the oldest due event (next attempt at or before now,
// not delivered) that no other worker holds (FOR UPDATE SKIP LOCKED), calls
// send with it while holding its row lock, and records the outcome: delivered,
// or one more attempt, the error and the next attempt after retry(attempts).
// found is false when no event is due.
func (db *DB) DeliverNext(ctx context.Context, now time.Time, send func(context.Context, resources.OutboxEvent) error,
	retry func(attempts int) time.Duration) (found bool, sendErr error, err error) {
	err = WithTx(ctx, db.pool, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, outboxSelect+` where delivered_at is null and next_attempt_at <= $1
			order by next_attempt_at, id limit 1 for update skip locked`, now)
		e, err := pgx.CollectExactlyOneRow(rows, scanOutbox)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		found = true
		sendErr = send(ctx, e)
		if sendErr == nil {
			_, err = tx.Exec(ctx, `update outbox set attempts = attempts + 1, delivered_at = $2, last_error = null where id = $1`, e.ID, db.now())
			return err
		}
		msg := sendErr.Error()
		if len(msg) > 500 {
			msg = msg[:500]
		}
		_, err = tx.Exec(ctx, `update outbox set attempts = attempts + 1, next_attempt_at = $2, last_error = $3 where id = $1`,
			e.ID, now.Add(retry(e.Attempts+1)), msg)
		return err
	})
	return found, sendErr, err
}

// OutboxEvents lists notifications, newest first. Filters: state (pending,
// retrying, delivered), event, booking.
func (db *DB) OutboxEvents(ctx context.Context, p resources.ListParams) (resources.Page[resources.OutboxEvent], error) {
	var zero resources.Page[resources.OutboxEvent]
	l, err := newList(p, "state", "event", "booking")
	if err != nil {
		return zero, err
	}
	if v, ok := p.Filters["state"]; ok {
		switch v {
		case OutboxPending:
			l.conds = append(l.conds, "delivered_at is null and attempts = 0")
		case OutboxRetrying:
			l.conds = append(l.conds, "delivered_at is null and attempts > 0")
		case OutboxDelivered:
			l.conds = append(l.conds, "delivered_at is not null")
		default:
			return zero, errs.Field("state", "state must be pending, retrying or delivered")
		}
	}
	if v, ok := p.Filters["event"]; ok {
		l.where("event = ?", v)
	}
	if v, ok := p.Filters["booking"]; ok {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return zero, errs.Field("booking", "booking must be a booking id")
		}
		l.where("booking_id = ?", n)
	}
	if err := l.idAfter(false); err != nil {
		return zero, err
	}
	sql := outboxSelect
	if len(l.conds) > 0 {
		sql += " where " + joinAnd(l.conds)
	}
	sql += " order by id desc limit " + strconv.Itoa(l.limit+1)
	rows, _ := db.pool.Query(ctx, sql, l.args...)
	items, err := pgx.CollectRows(rows, scanOutbox)
	if err != nil {
		return zero, Translate(err)
	}
	return page(l, items, func(x resources.OutboxEvent) string { return strconv.FormatInt(x.ID, 10) }), nil
}

// OutboxCounts counts notifications per delivery state.
func (db *DB) OutboxCounts(ctx context.Context) (map[string]int64, error) {
	var p, r, d int64
	err := db.pool.QueryRow(ctx, `select count(*) filter (where delivered_at is null and attempts = 0),
		count(*) filter (where delivered_at is null and attempts > 0), count(*) filter (where delivered_at is not null) from outbox`).Scan(&p, &r, &d)
	if err != nil {
		return nil, Translate(err)
	}
	return map[string]int64{OutboxPending: p, OutboxRetrying: r, OutboxDelivered: d}, nil
}

// OutboxBacklog counts the undelivered events (never tried, and failed at
// least once) and returns the creation time of the oldest (zero when none).
func (db *DB) OutboxBacklog(ctx context.Context) (pending, retrying int64, oldest time.Time, err error) {
	var o *time.Time
	err = db.pool.QueryRow(ctx, `select count(*) filter (where attempts = 0), count(*) filter (where attempts > 0), min(created_at)
		from outbox where delivered_at is null`).Scan(&pending, &retrying, &o)
	if o != nil {
		oldest = *o
	}
	return pending, retrying, oldest, Translate(err)
}
