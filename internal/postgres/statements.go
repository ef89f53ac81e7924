package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/asylum-scheduling/interviews/solver"
)

// stmt is one SQL statement with its arguments. Writes of an entity are
// lists of statements, run one by one for the API and sent as one batch by
// an instance import: the same SQL for both.
type stmt struct {
	sql  string
	args []any
}

func st(sql string, args ...any) stmt { return stmt{sql, args} }

func ridOf(table string) string {
	return fmt.Sprintf("(select resource_id from %s where id = $1)", table)
}

// availStmts replaces the availability of the entity id of table (nil: always
// available).
func availStmts(table, id string, ivs []solver.Interval, fresh bool) ([]stmt, error) {
	rid := ridOf(table)
	var out []stmt
	if !fresh {
		out = append(out, st(`delete from availability where resource_id = `+rid, id))
	}
	out = append(out, st(`update resource set limited = $2 where id = `+rid, id, ivs != nil))
	if len(ivs) == 0 {
		return out, nil
	}
	ords := make([]int32, len(ivs))
	spans := make([]pgtype.Range[pgtype.Timestamptz], len(ivs))
	for i, iv := range ivs {
		r, err := tstzrange(iv)
		if err != nil {
			return nil, err
		}
		ords[i], spans[i] = int32(i), r
	}
	out = append(out, st(`insert into availability (resource_id, ord, during)
		select `+rid+`, o, d from unnest($2::int[], $3::tstzrange[]) as t(o, d)`, id, ords, spans))
	return out, nil
}

// listStmts replaces the rows of a join table (table: owner column, ref
// column, ord) that keep an ordered list of references.
func listStmts(table, owner, ref, id string, ids []string, fresh bool) []stmt {
	var out []stmt
	if !fresh {
		out = append(out, st(`delete from `+table+` where `+owner+` = $1`, id))
	}
	if len(ids) > 0 {
		out = append(out, st(`insert into `+table+` (`+owner+`, `+ref+`, ord)
			select $1, r, o from unnest($2::text[]) with ordinality as t(r, o)`, id, ids))
	}
	return out
}

func newResource(kind string) string {
	return `with r as (insert into resource (kind, limited) values ('` + kind + `', true) returning id) `
}

func locationStmts(l solver.Location, active bool, version *int64) []stmt {
	if version == nil {
		return []stmt{st(`insert into locations (id, name, active) values ($1, $2, $3)`, l.ID, l.Name, active)}
	}
	return []stmt{st(`update locations set name = $2, active = $3, version = version + 1, updated_at = now()
		where id = $1 and version = $4`, l.ID, l.Name, active, *version)}
}

func roomStmts(r solver.Room, active bool, version *int64) ([]stmt, error) {
	var out []stmt
	if version == nil {
		out = append(out, st(newResource("room")+`insert into rooms (id, resource_id, location_id, features, active, name)
			select $1, r.id, $2, $3, $4, $5 from r`, r.ID, r.Location, nz(r.Features), active, r.Name))
	} else {
		out = append(out, st(`update rooms set location_id = $2, features = $3, active = $4, name = $6, version = version + 1, updated_at = now()
			where id = $1 and version = $5`, r.ID, r.Location, nz(r.Features), active, *version, r.Name))
	}
	av, err := availStmts("rooms", r.ID, r.Availability, version == nil)
	return append(out, av...), err
}

func interviewerStmts(e solver.Interviewer, active bool, version *int64) ([]stmt, error) {
	var out []stmt
	args := []any{e.ID, e.Location, nullString(e.Gender), nz(e.Skills), nz(e.Languages), e.MaxInterviewsPerDay, active,
		e.Name, e.Email, e.Locale}
	if version == nil {
		out = append(out, st(newResource("interviewer")+`insert into interviewers
			(id, resource_id, location_id, gender, skills, languages, max_interviews_per_day, active, name, email, locale)
			select $1, r.id, $2, $3, $4, $5, $6, $7, $8, $9, $10 from r`, args...))
	} else {
		out = append(out, st(`update interviewers set location_id = $2, gender = $3, skills = $4, languages = $5,
			max_interviews_per_day = $6, active = $7, name = $8, email = $9, locale = $10, version = version + 1, updated_at = now()
			where id = $1 and version = $11`, append(args, *version)...))
	}
	av, err := availStmts("interviewers", e.ID, e.Availability, version == nil)
	return append(out, av...), err
}

func interpreterStmts(t solver.Interpreter, active bool, version *int64) ([]stmt, error) {
	var out []stmt
	var onsite, remote *int
	if t.CostPerHour != nil {
		onsite, remote = t.CostPerHour.Onsite, t.CostPerHour.Remote
	}
	args := []any{t.ID, nullString(t.Gender), nz(t.Languages), nz(t.Skills), nz(t.Modes), t.MaxMinutesPerDay,
		t.CostPerHour != nil, onsite, remote, active, t.Name, t.Email, t.Locale}
	if version == nil {
		out = append(out, st(newResource("interpreter")+`insert into interpreters
			(id, resource_id, gender, languages, skills, modes, max_minutes_per_day, has_rates, rate_onsite, rate_remote, active,
				name, email, locale)
			select $1, r.id, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13 from r`, args...))
	} else {
		out = append(out, st(`update interpreters set gender = $2, languages = $3, skills = $4, modes = $5,
			max_minutes_per_day = $6, has_rates = $7, rate_onsite = $8, rate_remote = $9, active = $10,
			name = $11, email = $12, locale = $13, version = version + 1, updated_at = now()
			where id = $1 and version = $14`, append(args, *version)...))
	}
	out = append(out, listStmts("interpreter_locations", "interpreter_id", "location_id", t.ID, t.Locations, version == nil)...)
	av, err := availStmts("interpreters", t.ID, t.Availability, version == nil)
	return append(out, av...), err
}

func partyStmts(p solver.Party, active bool, version *int64) ([]stmt, error) {
	var out []stmt
	if version == nil {
		out = append(out, st(newResource("party")+`insert into parties (id, resource_id, kind, active, name, email, locale)
			select $1, r.id, $2, $3, $4, $5, $6 from r`, p.ID, p.Kind, active, p.Name, p.Email, p.Locale))
	} else {
		out = append(out, st(`update parties set kind = $2, active = $3, name = $5, email = $6, locale = $7, version = version + 1, updated_at = now()
			where id = $1 and version = $4`, p.ID, p.Kind, active, *version, p.Name, p.Email, p.Locale))
	}
	av, err := availStmts("parties", p.ID, p.Availability, version == nil)
	return append(out, av...), err
}

func interviewStmts(iv solver.Interview, status string, version *int64) ([]stmt, error) {
	earliest, err := parseDate(iv.Earliest)
	if err != nil {
		return nil, err
	}
	deadline, err := parseDate(iv.Deadline)
	if err != nil {
		return nil, err
	}
	latest, err := parseDate(iv.Latest)
	if err != nil {
		return nil, err
	}
	args := []any{iv.ID, iv.Case, iv.Language, iv.DialectRequired, iv.NeedsInterpreter, iv.DurationMinutes,
		earliest, deadline, latest, iv.Priority, nullString(iv.InterviewerGender), nullString(iv.InterpreterGender),
		nz(iv.InterviewerSkills), nz(iv.InterpreterSkills), nz(iv.RoomFeatures), nullString(iv.InterpreterMode),
		nullString(iv.PreferredInterviewer), status}
	var out []stmt
	if version == nil {
		out = append(out, st(`insert into interviews (id, case_ref, language, dialect_required, needs_interpreter,
			duration_minutes, earliest, deadline, latest, priority, interviewer_gender, interpreter_gender,
			interviewer_skills, interpreter_skills, room_features, interpreter_mode, preferred_interviewer, status)
			values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`, args...))
	} else {
		out = append(out, st(`update interviews set case_ref = $2, language = $3, dialect_required = $4,
			needs_interpreter = $5, duration_minutes = $6, earliest = $7, deadline = $8, latest = $9, priority = $10,
			interviewer_gender = $11, interpreter_gender = $12, interviewer_skills = $13, interpreter_skills = $14,
			room_features = $15, interpreter_mode = $16, preferred_interviewer = $17, status = $18,
			version = version + 1, updated_at = now()
			where id = $1 and version = $19`, append(args, *version)...))
	}
	fresh := version == nil
	out = append(out, listStmts("interview_locations", "interview_id", "location_id", iv.ID, iv.Locations, fresh)...)
	out = append(out, listStmts("interview_parties", "interview_id", "party_id", iv.ID, iv.Parties, fresh)...)
	out = append(out, listStmts("interview_excluded_interpreters", "interview_id", "interpreter_id", iv.ID, iv.ExcludedInterpreters, fresh)...)
	out = append(out, listStmts("interview_excluded_interviewers", "interview_id", "interviewer_id", iv.ID, iv.ExcludedInterviewers, fresh)...)
	return out, nil
}

// runGuarded runs stmts in order; the first is a version-guarded update
// (or an insert) that must touch a row: when it touches none, ok is false.
func runGuarded(ctx context.Context, q querier, stmts []stmt) (ok bool, err error) {
	for i, s := range stmts {
		tag, err := q.Exec(ctx, s.sql, s.args...)
		if err != nil {
			return false, err
		}
		if i == 0 && tag.RowsAffected() == 0 {
			return false, nil
		}
	}
	return true, nil
}
