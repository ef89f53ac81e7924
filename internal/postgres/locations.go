package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
)

const locationSelect = `select id, name, street_address, meeting_url, active, version from locations`

func scanLocations(rows pgx.Rows) ([]resources.Location, error) {
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (resources.Location, error) {
		var l resources.Location
		err := r.Scan(&l.ID, &l.Name, &l.Address, &l.MeetingURL, &l.Active, &l.Version)
		return l, err
	})
}

func getLocation(ctx context.Context, q querier, _ *time.Location, id string) (*resources.Location, error) {
	rows, _ := q.Query(ctx, locationSelect+` where id = $1`, id)
	ls, err := scanLocations(rows)
	if err != nil {
		return nil, err
	}
	if len(ls) == 0 {
		return nil, errs.E(errs.NotFound, "location %q not found", id)
	}
	return &ls[0], nil
}

// Location returns a location.
func (db *DB) Location(ctx context.Context, id string) (*resources.Location, error) {
	l, err := getLocation(ctx, db.pool, nil, id)
	return l, Translate(err)
}

// Locations lists locations by id. Filters: active.
func (db *DB) Locations(ctx context.Context, p resources.ListParams) (resources.Page[resources.Location], error) {
	l, err := newList(p, "active")
	if err != nil {
		return resources.Page[resources.Location]{}, err
	}
	if err := l.boolFilter(p, "active", "active"); err != nil {
		return resources.Page[resources.Location]{}, err
	}
	rows, _ := db.pool.Query(ctx, l.sql(locationSelect, "id"), l.args...)
	items, err := scanLocations(rows)
	if err != nil {
		return resources.Page[resources.Location]{}, Translate(err)
	}
	return page(l, items, func(x resources.Location) string { return x.ID }), nil
}

// PutLocation creates a location (version nil) or replaces one whose version
// is *version, with its street address and meeting link (checked as
// SetLocationContact checks them).
func (db *DB) PutLocation(ctx context.Context, l *resources.Location, version *int64) (*resources.Location, error) {
	if err := requireID(l.ID); err != nil {
		return nil, err
	}
	address, link, err := checkContact(l.Address, l.MeetingURL)
	if err != nil {
		return nil, err
	}
	return save(ctx, db, "locations", "location", l.ID, version,
		func(s resources.Settings, r resources.Refs) error { return l.Validate(s, r) },
		func() ([]stmt, error) {
			return append(locationStmts(l.Location, l.Active, version),
				st(`update locations set street_address = $2, meeting_url = $3 where id = $1`, l.ID, address, link)), nil
		},
		getLocation)
}

// DeleteLocation deletes a location that nothing refers to.
func (db *DB) DeleteLocation(ctx context.Context, id string, version *int64) error {
	return db.remove(ctx, "locations", "location", id, version, false)
}
