package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

// AccessRow is one read of personal data to append to the access log.
type AccessRow struct {
	At                     time.Time
	ActorKind, Actor       string
	Role                   resources.Role
	SubjectKind, SubjectID string
	Route                  string
}

// AppendAccess appends reads to the access log in one statement. The log is
// append-only (migrations 016 and 024): nothing updates its rows, and only
// a retention run deletes those past their period (retention.go).
func (db *DB) AppendAccess(ctx context.Context, rows []AccessRow) error {
	if len(rows) == 0 {
		return nil
	}
	n := len(rows)
	at, kind, actor, role, sk, sid, route := make([]time.Time, n), make([]string, n), make([]string, n), make([]string, n),
		make([]string, n), make([]string, n), make([]string, n)
	for i, r := range rows {
		at[i], kind[i], actor[i], role[i], sk[i], sid[i], route[i] = r.At, r.ActorKind, r.Actor, string(r.Role), r.SubjectKind, r.SubjectID, r.Route
	}
	_, err := db.pool.Exec(ctx, `insert into access_log (at, actor_kind, actor, role, subject_kind, subject_id, route)
		select * from unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])`,
		at, kind, actor, role, sk, sid, route)
	return Translate(err)
}

// AccessLog lists a page of the access log, newest first, narrowed by q:
// what was read (kind, id), by whom (actor) and when (from, to: RFC 3339
// instants, or dates in the agency's time zone; to is exclusive).
func (db *DB) AccessLog(ctx context.Context, q resources.AccessQuery) (resources.Page[resources.Access], error) {
	var none resources.Page[resources.Access]
	_, loc, err := getSettings(ctx, db.pool)
	if err != nil {
		return none, Translate(err)
	}
	l, err := newList(resources.ListParams{Cursor: q.Cursor, Limit: q.Limit})
	if err != nil {
		return none, err
	}
	if err := l.idAfter(false); err != nil {
		return none, err
	}
	for _, f := range []struct{ col, v string }{{"subject_kind", q.SubjectKind}, {"subject_id", q.SubjectID}, {"actor", q.Actor}} {
		if f.v != "" {
			l.where(f.col+" = ?", f.v)
		}
	}
	for _, b := range []struct{ name, v, cond string }{{"from", q.From, "at >= ?"}, {"to", q.To, "at < ?"}} {
		if b.v == "" {
			continue
		}
		t, err := accessBound(b.v, loc)
		if err != nil {
			return none, errs.Field(b.name, err.Error())
		}
		l.where(b.cond, t)
	}
	base := `select id, at, actor_kind, actor, role, subject_kind, subject_id, route from access_log`
	if len(l.conds) > 0 {
		base += " where " + strings.Join(l.conds, " and ")
	}
	rows, _ := db.pool.Query(ctx, base+` order by id desc limit `+strconv.Itoa(l.limit+1), l.args...)
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (resources.Access, error) {
		var a resources.Access
		var at time.Time
		err := r.Scan(&a.ID, &at, &a.ActorKind, &a.Actor, &a.Role, &a.SubjectKind, &a.SubjectID, &a.Route)
		a.At = solver.FormatInstant(at, loc)
		return a, err
	})
	if err != nil {
		return none, Translate(err)
	}
	return page(l, items, func(a resources.Access) string { return strconv.FormatInt(a.ID, 10) }), nil
}

// accessBound reads a bound of the access log's time filter: an RFC 3339
// instant, or a date (its midnight in loc).
func accessBound(s string, loc *time.Location) (time.Time, error) {
	if d, err := solver.ParseDate(s); err == nil {
		return d.Midnight(loc), nil
	}
	t, err := solver.ParseInstant(s)
	if err != nil {
		return time.Time{}, fmt.Errorf("must be a date (YYYY-MM-DD) or an RFC 3339 instant, not %q", s)
	}
	return t, nil
}
