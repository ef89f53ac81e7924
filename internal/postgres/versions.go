package postgres

import "context"

// StateVersions returns the state counters of migration 002: version grows
// with every committed change of bookings, holds or interview statuses,
// static grows with every committed change of anything else that is
// scheduled with (settings, resources, availability, absences, interview
// requests). Both only grow, so they key caches of what was read.
func (db *DB) StateVersions(ctx context.Context) (version, static int64, err error) {
	err = db.pool.QueryRow(ctx, `select version, static_version from state_version`).Scan(&version, &static)
	return version, static, Translate(err)
}
