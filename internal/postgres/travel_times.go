package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

// TravelTimes lists the travel times between locations.
func (db *DB) TravelTimes(ctx context.Context) ([]solver.Travel, error) {
	rows, _ := db.pool.Query(ctx, `select from_location, to_location, minutes from travel_times order by 1, 2`)
	ts, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (solver.Travel, error) {
		var t solver.Travel
		err := r.Scan(&t.From, &t.To, &t.Minutes)
		return t, err
	})
	if ts == nil {
		ts = []solver.Travel{}
	}
	return ts, Translate(err)
}

// PutTravelTime sets the (symmetric) travel time between two locations.
func (db *DB) PutTravelTime(ctx context.Context, t solver.Travel) (solver.Travel, error) {
	err := WithTx(ctx, db.pool, func(tx pgx.Tx) error {
		s, refs, err := db.validationContext(ctx, tx)
		if err != nil {
			return err
		}
		if err := resources.ValidateTravel(s, refs, &t); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `delete from travel_times where (from_location, to_location) in (($1, $2), ($2, $1))`, t.From, t.To); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `insert into travel_times (from_location, to_location, minutes) values ($1, $2, $3)`, t.From, t.To, t.Minutes)
		return err
	})
	return t, err
}

// DeleteTravelTime removes the travel time between two locations (either
// direction).
func (db *DB) DeleteTravelTime(ctx context.Context, from, to string) error {
	tag, err := db.pool.Exec(ctx, `delete from travel_times where (from_location, to_location) in (($1, $2), ($2, $1))`, from, to)
	if err != nil {
		return Translate(err)
	}
	if tag.RowsAffected() == 0 {
		return errs.E(errs.NotFound, "no travel time between %q and %q", from, to)
	}
	return nil
}
