package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

const interpreterSelect = `select id, name, email, locale, gender, languages, skills, modes, max_minutes_per_day, has_rates, rate_onsite, rate_remote,
	active, version, resource_id from interpreters`

// withInterpreterLocations wraps a query of interpreterSelect rows with the
// on-site locations of each interpreter, fetched set-wise.
func withInterpreterLocations(inner string) string {
	return `with page as (` + inner + `)
		select p.*, coalesce(l.a, '{}') from page p left join (select interpreter_id, array_agg(location_id order by ord) a
			from interpreter_locations where interpreter_id in (select id from page) group by interpreter_id) l
			on l.interpreter_id = p.id order by p.id`
}

func loadInterpreters(ctx context.Context, q querier, loc *time.Location, ar availRead, sql string, args ...any) ([]resources.Interpreter, error) {
	rows, _ := q.Query(ctx, withInterpreterLocations(sql), args...)
	var rids []int64
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (resources.Interpreter, error) {
		var x resources.Interpreter
		var rid int64
		var gender *string
		var hasRates bool
		var onsite, remote *int
		err := r.Scan(&x.ID, &x.Name, &x.Email, &x.Locale, &gender, &x.Languages, &x.Skills, &x.Modes, &x.MaxMinutesPerDay, &hasRates, &onsite, &remote,
			&x.Active, &x.Version, &rid, &x.Locations)
		x.Gender = str(gender)
		if hasRates {
			x.CostPerHour = &solver.Rates{Onsite: onsite, Remote: remote}
		}
		rids = append(rids, rid)
		return x, err
	})
	if err != nil {
		return nil, err
	}
	return withAvailability(ctx, q, items, rids, loc, ar, func(x *resources.Interpreter, av []solver.Interval) { x.Availability = av })
}

func getInterpreter(ctx context.Context, q querier, loc *time.Location, id string) (*resources.Interpreter, error) {
	xs, err := loadInterpreters(ctx, q, loc, availRead{}, interpreterSelect+` where id = $1`, id)
	if err != nil {
		return nil, err
	}
	if len(xs) == 0 {
		return nil, errs.E(errs.NotFound, "interpreter %q not found", id)
	}
	return &xs[0], nil
}

// Interpreter returns an interpreter.
func (db *DB) Interpreter(ctx context.Context, id string) (*resources.Interpreter, error) {
	_, loc, err := getSettings(ctx, db.pool)
	if err != nil {
		return nil, Translate(err)
	}
	x, err := getInterpreter(ctx, db.pool, loc, id)
	return x, Translate(err)
}

// Interpreters lists interpreters by id. Filters: language, mode, location, skill, active.
func (db *DB) Interpreters(ctx context.Context, p resources.ListParams) (resources.Page[resources.Interpreter], error) {
	var zero resources.Page[resources.Interpreter]
	l, err := newList(p, "language", "mode", "location", "skill", "active")
	if err != nil {
		return zero, err
	}
	if v, ok := p.Filters["language"]; ok {
		l.languageFilter("languages", v)
	}
	if v, ok := p.Filters["mode"]; ok {
		l.where("? = any(modes)", v)
	}
	if v, ok := p.Filters["location"]; ok {
		l.where("exists (select 1 from interpreter_locations il where il.interpreter_id = interpreters.id and il.location_id = ?)", v)
	}
	if v, ok := p.Filters["skill"]; ok {
		l.where("? = any(skills)", v)
	}
	if err := l.boolFilter(p, "active", "active"); err != nil {
		return zero, err
	}
	return listResources(ctx, db, l, loadInterpreters, interpreterSelect, func(x resources.Interpreter) string { return x.ID })
}

// PutInterpreter creates an interpreter (version nil) or replaces one at *version.
func (db *DB) PutInterpreter(ctx context.Context, x *resources.Interpreter, version *int64) (*resources.Interpreter, error) {
	if err := requireID(x.ID); err != nil {
		return nil, err
	}
	return save(ctx, db, "interpreters", "interpreter", x.ID, version,
		func(s resources.Settings, r resources.Refs) error { return x.Validate(s, r) },
		func() ([]stmt, error) { return interpreterStmts(x.Interpreter, x.Active, version) },
		getInterpreter)
}

// DeleteInterpreter deletes an interpreter that no booking names.
func (db *DB) DeleteInterpreter(ctx context.Context, id string, version *int64) error {
	return db.remove(ctx, "interpreters", "interpreter", id, version, true)
}
