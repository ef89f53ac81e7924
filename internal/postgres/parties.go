package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

const partySelect = `select id, name, email, locale, kind, active, version, resource_id from parties`

func loadParties(ctx context.Context, q querier, loc *time.Location, ar availRead, sql string, args ...any) ([]resources.Party, error) {
	rows, _ := q.Query(ctx, sql, args...)
	var rids []int64
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (resources.Party, error) {
		var x resources.Party
		var rid int64
		err := r.Scan(&x.ID, &x.Name, &x.Email, &x.Locale, &x.Kind, &x.Active, &x.Version, &rid)
		rids = append(rids, rid)
		return x, err
	})
	if err != nil {
		return nil, err
	}
	return withAvailability(ctx, q, items, rids, loc, ar, func(x *resources.Party, av []solver.Interval) { x.Availability = av })
}

func getParty(ctx context.Context, q querier, loc *time.Location, id string) (*resources.Party, error) {
	xs, err := loadParties(ctx, q, loc, availRead{}, partySelect+` where id = $1`, id)
	if err != nil {
		return nil, err
	}
	if len(xs) == 0 {
		return nil, errs.E(errs.NotFound, "party %q not found", id)
	}
	return &xs[0], nil
}

// Party returns a party.
func (db *DB) Party(ctx context.Context, id string) (*resources.Party, error) {
	_, loc, err := getSettings(ctx, db.pool)
	if err != nil {
		return nil, Translate(err)
	}
	x, err := getParty(ctx, db.pool, loc, id)
	return x, Translate(err)
}

// Parties lists parties by id. Filters: kind, active.
func (db *DB) Parties(ctx context.Context, p resources.ListParams) (resources.Page[resources.Party], error) {
	var zero resources.Page[resources.Party]
	l, err := newList(p, "kind", "active")
	if err != nil {
		return zero, err
	}
	if v, ok := p.Filters["kind"]; ok {
		l.where("kind = ?", v)
	}
	if err := l.boolFilter(p, "active", "active"); err != nil {
		return zero, err
	}
	return listResources(ctx, db, l, loadParties, partySelect, func(x resources.Party) string { return x.ID })
}

// PutParty creates a party (version nil) or replaces one at *version.
func (db *DB) PutParty(ctx context.Context, x *resources.Party, version *int64) (*resources.Party, error) {
	if err := requireID(x.ID); err != nil {
		return nil, err
	}
	return save(ctx, db, "parties", "party", x.ID, version,
		func(s resources.Settings, r resources.Refs) error { return x.Validate(s, r) },
		func() ([]stmt, error) { return partyStmts(x.Party, x.Active, version) },
		getParty)
}

// DeleteParty deletes a party that no interview or booking needs.
func (db *DB) DeleteParty(ctx context.Context, id string, version *int64) error {
	return db.remove(ctx, "parties", "party", id, version, true)
}
