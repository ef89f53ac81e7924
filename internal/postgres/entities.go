package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

// save validates an entity against the current settings and identifiers,
// writes it (an insert when version is nil, else a guarded update) and reads
// it back, in one transaction.
func save[T any](ctx context.Context, db *DB, table, what, id string, version *int64,
	validate func(resources.Settings, resources.Refs) error,
	stmts func() ([]stmt, error),
	get func(context.Context, querier, *time.Location, string) (T, error),
) (T, error) {
	var out T
	err := WithTx(ctx, db.pool, func(tx pgx.Tx) error {
		s, loc, err := getSettings(ctx, tx)
		if err != nil {
			return err
		}
		refs, err := getRefs(ctx, tx)
		if err != nil {
			return err
		}
		if err := validate(s, refs); err != nil {
			return err
		}
		ss, err := stmts()
		if err != nil {
			return err
		}
		ok, err := runGuarded(ctx, tx, ss)
		if err != nil {
			return err
		}
		if !ok {
			return checkVersion(ctx, tx, table, id, what)
		}
		out, err = get(ctx, tx, loc, id)
		return err
	})
	return out, err
}

// remove deletes an entity (and its resource row), guarded by version when
// given. Rows that still refer to it (bookings, interviews) make it a conflict.
func (db *DB) remove(ctx context.Context, table, what, id string, version *int64, hasResource bool) error {
	return WithTx(ctx, db.pool, func(tx pgx.Tx) error {
		sql := `delete from ` + table + ` where id = $1 and ($2::bigint is null or version = $2)`
		if hasResource {
			sql = `with d as (` + sql + ` returning resource_id) delete from resource where id in (select resource_id from d)`
		}
		tag, err := tx.Exec(ctx, sql, id, version)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return checkVersion(ctx, tx, table, id, what)
		}
		return nil
	})
}

func requireID(id string) error {
	if id == "" {
		return errs.Field("id", "must not be empty")
	}
	return nil
}

// ---- locations

const locationSelect = `select id, name, active, version from locations`

func scanLocations(rows pgx.Rows) ([]resources.Location, error) {
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (resources.Location, error) {
		var l resources.Location
		err := r.Scan(&l.ID, &l.Name, &l.Active, &l.Version)
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
// is *version.
func (db *DB) PutLocation(ctx context.Context, l *resources.Location, version *int64) (*resources.Location, error) {
	if err := requireID(l.ID); err != nil {
		return nil, err
	}
	return save(ctx, db, "locations", "location", l.ID, version,
		func(s resources.Settings, r resources.Refs) error { return l.Validate(s, r) },
		func() ([]stmt, error) { return locationStmts(l.Location, l.Active, version), nil },
		getLocation)
}

// DeleteLocation deletes a location that nothing refers to.
func (db *DB) DeleteLocation(ctx context.Context, id string, version *int64) error {
	return db.remove(ctx, "locations", "location", id, version, false)
}

// ---- rooms

const roomSelect = `select id, location_id, features, active, version, resource_id from rooms`

func loadRooms(ctx context.Context, q querier, loc *time.Location, ar availRead, sql string, args ...any) ([]resources.Room, error) {
	rows, _ := q.Query(ctx, sql, args...)
	var rids []int64
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (resources.Room, error) {
		var x resources.Room
		var rid int64
		err := r.Scan(&x.ID, &x.Location, &x.Features, &x.Active, &x.Version, &rid)
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

// ---- interviewers

const interviewerSelect = `select id, location_id, gender, skills, languages, max_interviews_per_day, active, version, resource_id from interviewers`

func loadInterviewers(ctx context.Context, q querier, loc *time.Location, ar availRead, sql string, args ...any) ([]resources.Interviewer, error) {
	rows, _ := q.Query(ctx, sql, args...)
	var rids []int64
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (resources.Interviewer, error) {
		var x resources.Interviewer
		var rid int64
		var gender *string
		err := r.Scan(&x.ID, &x.Location, &gender, &x.Skills, &x.Languages, &x.MaxInterviewsPerDay, &x.Active, &x.Version, &rid)
		x.Gender = str(gender)
		rids = append(rids, rid)
		return x, err
	})
	if err != nil {
		return nil, err
	}
	return withAvailability(ctx, q, items, rids, loc, ar, func(x *resources.Interviewer, av []solver.Interval) { x.Availability = av })
}

func getInterviewer(ctx context.Context, q querier, loc *time.Location, id string) (*resources.Interviewer, error) {
	xs, err := loadInterviewers(ctx, q, loc, availRead{}, interviewerSelect+` where id = $1`, id)
	if err != nil {
		return nil, err
	}
	if len(xs) == 0 {
		return nil, errs.E(errs.NotFound, "interviewer %q not found", id)
	}
	return &xs[0], nil
}

// Interviewer returns an interviewer.
func (db *DB) Interviewer(ctx context.Context, id string) (*resources.Interviewer, error) {
	_, loc, err := getSettings(ctx, db.pool)
	if err != nil {
		return nil, Translate(err)
	}
	x, err := getInterviewer(ctx, db.pool, loc, id)
	return x, Translate(err)
}

// Interviewers lists interviewers by id. Filters: location, language, skill, active.
func (db *DB) Interviewers(ctx context.Context, p resources.ListParams) (resources.Page[resources.Interviewer], error) {
	var zero resources.Page[resources.Interviewer]
	l, err := newList(p, "location", "language", "skill", "active")
	if err != nil {
		return zero, err
	}
	if v, ok := p.Filters["location"]; ok {
		l.where("location_id = ?", v)
	}
	if v, ok := p.Filters["language"]; ok {
		l.languageFilter("languages", v)
	}
	if v, ok := p.Filters["skill"]; ok {
		l.where("? = any(skills)", v)
	}
	if err := l.boolFilter(p, "active", "active"); err != nil {
		return zero, err
	}
	return listResources(ctx, db, l, loadInterviewers, interviewerSelect, func(x resources.Interviewer) string { return x.ID })
}

// PutInterviewer creates an interviewer (version nil) or replaces one at *version.
func (db *DB) PutInterviewer(ctx context.Context, x *resources.Interviewer, version *int64) (*resources.Interviewer, error) {
	if err := requireID(x.ID); err != nil {
		return nil, err
	}
	return save(ctx, db, "interviewers", "interviewer", x.ID, version,
		func(s resources.Settings, r resources.Refs) error { return x.Validate(s, r) },
		func() ([]stmt, error) { return interviewerStmts(x.Interviewer, x.Active, version) },
		getInterviewer)
}

// DeleteInterviewer deletes an interviewer that no booking names.
func (db *DB) DeleteInterviewer(ctx context.Context, id string, version *int64) error {
	return db.remove(ctx, "interviewers", "interviewer", id, version, true)
}

// ---- interpreters

const interpreterSelect = `select id, gender, languages, skills, modes, max_minutes_per_day, has_rates, rate_onsite, rate_remote,
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
		err := r.Scan(&x.ID, &gender, &x.Languages, &x.Skills, &x.Modes, &x.MaxMinutesPerDay, &hasRates, &onsite, &remote,
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

// ---- parties

const partySelect = `select id, kind, active, version, resource_id from parties`

func loadParties(ctx context.Context, q querier, loc *time.Location, ar availRead, sql string, args ...any) ([]resources.Party, error) {
	rows, _ := q.Query(ctx, sql, args...)
	var rids []int64
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (resources.Party, error) {
		var x resources.Party
		var rid int64
		err := r.Scan(&x.ID, &x.Kind, &x.Active, &x.Version, &rid)
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

// ---- interviews

const interviewSelect = `select id, case_ref, language, dialect_required, needs_interpreter, duration_minutes,
	earliest, deadline, latest, priority, interviewer_gender, interpreter_gender,
	interviewer_skills, interpreter_skills, room_features, interpreter_mode, preferred_interviewer, status, version
	from interviews`

// withInterviewLists wraps a query of interviewSelect rows with the ordered
// reference lists of each interview, fetched set-wise for the whole page.
func withInterviewLists(inner string) string {
	agg := func(table, col, alias string) string {
		return ` left join (select interview_id, array_agg(` + col + ` order by ord) a from ` + table +
			` where interview_id in (select id from page) group by interview_id) ` + alias + ` on ` + alias + `.interview_id = p.id`
	}
	return `with page as (` + inner + `)
		select p.*, coalesce(l.a, '{}'), coalesce(pa.a, '{}'), coalesce(ei.a, '{}'), coalesce(ee.a, '{}') from page p` +
		agg("interview_locations", "location_id", "l") +
		agg("interview_parties", "party_id", "pa") +
		agg("interview_excluded_interpreters", "interpreter_id", "ei") +
		agg("interview_excluded_interviewers", "interviewer_id", "ee") +
		` order by p.id`
}

func emptyNil(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

func loadInterviews(ctx context.Context, q querier, sql string, args ...any) ([]resources.Interview, error) {
	rows, _ := q.Query(ctx, withInterviewLists(sql), args...)
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (resources.Interview, error) {
		var x resources.Interview
		var earliest, deadline, latest pgtype.Date
		var ig, tg, mode, pref *string
		var status string
		err := r.Scan(&x.ID, &x.Case, &x.Language, &x.DialectRequired, &x.NeedsInterpreter, &x.DurationMinutes,
			&earliest, &deadline, &latest, &x.Priority, &ig, &tg,
			&x.InterviewerSkills, &x.InterpreterSkills, &x.RoomFeatures, &mode, &pref, &status, &x.Version,
			&x.Locations, &x.Parties, &x.ExcludedInterpreters, &x.ExcludedInterviewers)
		x.Earliest, x.Deadline, x.Latest = dateString(earliest), dateString(deadline), dateString(latest)
		x.InterviewerGender, x.InterpreterGender, x.InterpreterMode, x.PreferredInterviewer = str(ig), str(tg), str(mode), str(pref)
		x.Status = resources.Status(status)
		x.InterviewerSkills, x.InterpreterSkills, x.RoomFeatures = emptyNil(x.InterviewerSkills), emptyNil(x.InterpreterSkills), emptyNil(x.RoomFeatures)
		x.Parties, x.ExcludedInterpreters, x.ExcludedInterviewers = emptyNil(x.Parties), emptyNil(x.ExcludedInterpreters), emptyNil(x.ExcludedInterviewers)
		return x, err
	})
}

func getInterview(ctx context.Context, q querier, _ *time.Location, id string) (*resources.Interview, error) {
	xs, err := loadInterviews(ctx, q, interviewSelect+` where id = $1`, id)
	if err != nil {
		return nil, err
	}
	if len(xs) == 0 {
		return nil, errs.E(errs.NotFound, "interview %q not found", id)
	}
	return &xs[0], nil
}

// Interview returns an interview request.
func (db *DB) Interview(ctx context.Context, id string) (*resources.Interview, error) {
	x, err := getInterview(ctx, db.pool, nil, id)
	return x, Translate(err)
}

// Interviews lists interview requests by id. Filters: status, language,
// location, case, earliest_from, earliest_to.
func (db *DB) Interviews(ctx context.Context, p resources.ListParams) (resources.Page[resources.Interview], error) {
	var zero resources.Page[resources.Interview]
	l, err := newList(p, "status", "language", "location", "case", "earliest_from", "earliest_to")
	if err != nil {
		return zero, err
	}
	if v, ok := p.Filters["status"]; ok {
		if !resources.Status(v).Valid() {
			return zero, errs.Field("status", "status must be pending, booked, completed or cancelled")
		}
		l.where("status = ?", v)
	}
	if v, ok := p.Filters["language"]; ok {
		l.languageFilter("array[language]", v)
	}
	if v, ok := p.Filters["location"]; ok {
		l.where("exists (select 1 from interview_locations x where x.interview_id = interviews.id and x.location_id = ?)", v)
	}
	if v, ok := p.Filters["case"]; ok {
		l.where("case_ref = ?", v)
	}
	for _, f := range []struct{ name, cond string }{{"earliest_from", "earliest >= ?"}, {"earliest_to", "earliest <= ?"}} {
		if v, ok := p.Filters[f.name]; ok {
			d, err := parseDate(v)
			if err != nil || !d.Valid {
				return zero, errs.Field(f.name, f.name+" must be a date YYYY-MM-DD")
			}
			l.where(f.cond, d)
		}
	}
	items, err := loadInterviews(ctx, db.pool, l.sql(interviewSelect, "id"), l.args...)
	if err != nil {
		return zero, Translate(err)
	}
	return page(l, items, func(x resources.Interview) string { return x.ID }), nil
}

// PutInterview creates an interview request (version nil) or replaces one at
// *version.
func (db *DB) PutInterview(ctx context.Context, x *resources.Interview, version *int64) (*resources.Interview, error) {
	if err := requireID(x.ID); err != nil {
		return nil, err
	}
	if x.Status == "" {
		x.Status = resources.StatusPending
	}
	return save(ctx, db, "interviews", "interview", x.ID, version,
		func(s resources.Settings, r resources.Refs) error { return x.Validate(s, r) },
		func() ([]stmt, error) { return interviewStmts(x.Interview, string(x.Status), version) },
		getInterview)
}

// DeleteInterview deletes an interview request that has no booking (cancel
// it otherwise).
func (db *DB) DeleteInterview(ctx context.Context, id string, version *int64) error {
	return db.remove(ctx, "interviews", "interview", id, version, false)
}

// resourceLoader reads resources of one kind with their availability.
type resourceLoader[T any] func(ctx context.Context, q querier, loc *time.Location, ar availRead, sql string, args ...any) ([]T, error)

// listResources reads the page l of a resource kind, by id, with availability
// lists from the cache where their versions stand.
func listResources[T any](ctx context.Context, db *DB, l *list, load resourceLoader[T], sel string, id func(T) string) (resources.Page[T], error) {
	_, loc, err := getSettings(ctx, db.pool)
	if err != nil {
		return resources.Page[T]{}, Translate(err)
	}
	items, err := load(ctx, db.pool, loc, availRead{cache: db.avail}, l.sql(sel, "id"), l.args...)
	if err != nil {
		return resources.Page[T]{}, Translate(err)
	}
	return page(l, items, id), nil
}
