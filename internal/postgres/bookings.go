package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
)

// BookingOf returns the active booking of an interview (not_found when none).
func (db *DB) BookingOf(ctx context.Context, interview string) (*resources.Booking, error) {
	var id int64
	err := db.pool.QueryRow(ctx, `select id from bookings where interview_id = $1 and status = 'active'`, interview).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "interview %q has no active booking", interview)
	}
	if err != nil {
		return nil, Translate(err)
	}
	return db.Booking(ctx, id)
}
