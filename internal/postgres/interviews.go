package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
)

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
