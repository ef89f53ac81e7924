package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
)

// StateVersions returns the state counters of migration 002: version grows
// with every committed change of bookings, holds or interview statuses,
// static grows with every committed change of anything else that is
// scheduled with (settings, resources, availability, absences, interview
// requests). Both only grow, so they key caches of what was read.
func (db *DB) StateVersions(ctx context.Context) (version, static int64, err error) {
	err = db.pool.QueryRow(ctx, `select version, static_version from state_version`).Scan(&version, &static)
	return version, static, Translate(err)
}

// checkVersion explains why a guarded write or delete touched no row: the
// row does not exist (not_found) or has another version (precondition_failed).
func checkVersion(ctx context.Context, q querier, table, id string, what string) error {
	var v int64
	err := q.QueryRow(ctx, `select version from `+table+` where id = $1`, id).Scan(&v)
	if err == pgx.ErrNoRows {
		return errs.E(errs.NotFound, "%s %q not found", what, id)
	}
	if err != nil {
		return err
	}
	return errs.E(errs.PreconditionFailed, "%s %q has changed (now version %d): fetch it again and retry", what, id, v)
}
