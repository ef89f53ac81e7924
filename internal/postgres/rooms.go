package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

const roomSelect = `select id, name, location_id, features, active, version, resource_id from rooms`

func loadRooms(ctx context.Context, q querier, loc *time.Location, ar availRead, sql string, args ...any) ([]resources.Room, error) {
	rows, _ := q.Query(ctx, sql, args...)
	var rids []int64
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (resources.Room, error) {
		var x resources.Room
		var rid int64
		err := r.Scan(&x.ID, &x.Name, &x.Location, &x.Features, &x.Active, &x.Version, &rid)
		rids = append(rids, rid)
		return x, err
	})
	if err != nil {
		return nil, err
	}
	return withAvailability(ctx, q, items, rids, loc, ar, func(x *resources.Room, av []solver.Interval) { x.Availability = av })
}

func getRoom(ctx context.Context, q querier, loc *time.Location, id string) (*resources.Room, error) {
	xs, err := loadRooms(ctx, q, loc, availRead{}, roomSelect+` where id = $1`, id)
	if err != nil {
		return nil, err
	}
	if len(xs) == 0 {
		return nil, errs.E(errs.NotFound, "room %q not found", id)
	}
	return &xs[0], nil
}

// Room returns a room.
func (db *DB) Room(ctx context.Context, id string) (*resources.Room, error) {
	_, loc, err := getSettings(ctx, db.pool)
	if err != nil {
		return nil, Translate(err)
	}
	x, err := getRoom(ctx, db.pool, loc, id)
	return x, Translate(err)
}

// Rooms lists rooms by id. Filters: location, feature, active.
func (db *DB) Rooms(ctx context.Context, p resources.ListParams) (resources.Page[resources.Room], error) {
	var zero resources.Page[resources.Room]
	l, err := newList(p, "location", "feature", "active")
	if err != nil {
		return zero, err
	}
	if v, ok := p.Filters["location"]; ok {
		l.where("location_id = ?", v)
	}
	if v, ok := p.Filters["feature"]; ok {
		l.where("? = any(features)", v)
	}
	if err := l.boolFilter(p, "active", "active"); err != nil {
		return zero, err
	}
	return listResources(ctx, db, l, loadRooms, roomSelect, func(x resources.Room) string { return x.ID })
}

// PutRoom creates a room (version nil) or replaces one at *version.
func (db *DB) PutRoom(ctx context.Context, x *resources.Room, version *int64) (*resources.Room, error) {
	if err := requireID(x.ID); err != nil {
		return nil, err
	}
	return save(ctx, db, "rooms", "room", x.ID, version,
		func(s resources.Settings, r resources.Refs) error { return x.Validate(s, r) },
		func() ([]stmt, error) { return roomStmts(x.Room, x.Active, version) },
		getRoom)
}

// DeleteRoom deletes a room that no booking uses.
func (db *DB) DeleteRoom(ctx context.Context, id string, version *int64) error {
	return db.remove(ctx, "rooms", "room", id, version, true)
}
