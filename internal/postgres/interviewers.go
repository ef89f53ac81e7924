package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

const interviewerSelect = `select id, name, email, locale, location_id, gender, skills, languages, max_interviews_per_day, active, version, resource_id from interviewers`

func loadInterviewers(ctx context.Context, q querier, loc *time.Location, ar availRead, sql string, args ...any) ([]resources.Interviewer, error) {
	rows, _ := q.Query(ctx, sql, args...)
	var rids []int64
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (resources.Interviewer, error) {
		var x resources.Interviewer
		var rid int64
		var gender *string
		err := r.Scan(&x.ID, &x.Name, &x.Email, &x.Locale, &x.Location, &gender, &x.Skills, &x.Languages, &x.MaxInterviewsPerDay, &x.Active, &x.Version, &rid)
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
