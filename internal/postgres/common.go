package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

// querier is what a pool and a transaction have in common.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Settings returns the instance-wide settings.
func (db *DB) Settings(ctx context.Context) (resources.Settings, error) {
	s, _, err := getSettings(ctx, db.pool)
	return s, Translate(err)
}

func getSettings(ctx context.Context, q querier) (resources.Settings, *time.Location, error) {
	var (
		s      resources.Settings
		hs, he pgtype.Date
		w      []byte
	)
	err := q.QueryRow(ctx, `select timezone, grain_minutes, horizon_start, horizon_end, start_times, weights, version from settings`).
		Scan(&s.Timezone, &s.GrainMinutes, &hs, &he, &s.StartTimes, &w, &s.Version)
	if err != nil {
		return s, nil, err
	}
	if hs.Valid && he.Valid {
		s.Horizon = &solver.DateRange{Start: dateString(hs), End: dateString(he)}
	}
	if len(w) > 0 {
		if err := json.Unmarshal(w, &s.Weights); err != nil {
			return s, nil, err
		}
		if len(s.Weights) == 0 {
			s.Weights = nil
		}
	}
	loc, err := time.LoadLocation(s.Timezone)
	if err != nil {
		loc = time.UTC
	}
	return s, loc, nil
}

func putSettings(ctx context.Context, q querier, in *solver.Instance) error {
	w, err := json.Marshal(in.Weights)
	if err != nil {
		return err
	}
	if in.Weights == nil {
		w = []byte("{}")
	}
	hs, _ := parseDate(in.Horizon.Start)
	he, _ := parseDate(in.Horizon.End)
	_, err = q.Exec(ctx, `update settings set timezone = $1, grain_minutes = $2, horizon_start = $3, horizon_end = $4,
		start_times = $5, weights = $6, version = version + 1, updated_at = now()`,
		in.Timezone, in.GrainMinutes, hs, he, in.StartTimes, w)
	return err
}

// refs returns the identifiers of every entity that others refer to.
func getRefs(ctx context.Context, q querier) (resources.Refs, error) {
	var r resources.Refs
	err := q.QueryRow(ctx, `select
		array(select id from locations order by id),
		array(select id from rooms order by id),
		array(select id from interviewers order by id),
		array(select id from interpreters order by id),
		array(select id from parties order by id)`).
		Scan(&r.Locations, &r.Rooms, &r.Interviewers, &r.Interpreters, &r.Parties)
	return r, err
}

func (db *DB) validationContext(ctx context.Context, q querier) (resources.Settings, resources.Refs, error) {
	s, _, err := getSettings(ctx, q)
	if err != nil {
		return s, resources.Refs{}, err
	}
	r, err := getRefs(ctx, q)
	return s, r, err
}

func parseDate(s string) (pgtype.Date, error) {
	if s == "" {
		return pgtype.Date{}, nil
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return pgtype.Date{}, errs.E(errs.Invalid, "%q is not a date of the form YYYY-MM-DD", s)
	}
	return pgtype.Date{Time: t, Valid: true}, nil
}

func dateString(d pgtype.Date) string {
	if !d.Valid {
		return ""
	}
	return d.Time.Format("2006-01-02")
}

func tstzrange(iv solver.Interval) (pgtype.Range[pgtype.Timestamptz], error) {
	s, err := solver.ParseInstant(iv.Start)
	if err != nil {
		return pgtype.Range[pgtype.Timestamptz]{}, errs.Field("start", err.Error())
	}
	e, err := solver.ParseInstant(iv.End)
	if err != nil {
		return pgtype.Range[pgtype.Timestamptz]{}, errs.Field("end", err.Error())
	}
	return span(s, e), nil
}

func span(s, e time.Time) pgtype.Range[pgtype.Timestamptz] {
	return pgtype.Range[pgtype.Timestamptz]{
		Lower: pgtype.Timestamptz{Time: s, Valid: true}, Upper: pgtype.Timestamptz{Time: e, Valid: true},
		LowerType: pgtype.Inclusive, UpperType: pgtype.Exclusive, Valid: true,
	}
}

// nz turns a nil list into an empty one, for NOT NULL array columns.
func nz(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func nullString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func str(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// writeAvailability replaces the availability intervals of a resource.
func writeAvailability(ctx context.Context, q querier, rid int64, ivs []solver.Interval) error {
	if _, err := q.Exec(ctx, `delete from availability where resource_id = $1`, rid); err != nil {
		return err
	}
	if _, err := q.Exec(ctx, `update resource set limited = $2 where id = $1`, rid, ivs != nil); err != nil {
		return err
	}
	if len(ivs) == 0 {
		return nil
	}
	ords := make([]int32, len(ivs))
	spans := make([]pgtype.Range[pgtype.Timestamptz], len(ivs))
	for i, iv := range ivs {
		r, err := tstzrange(iv)
		if err != nil {
			return err
		}
		ords[i], spans[i] = int32(i), r
	}
	_, err := q.Exec(ctx, `insert into availability (resource_id, ord, during)
		select $1, o, d from unnest($2::int[], $3::tstzrange[]) as t(o, d)`, rid, ords, spans)
	return err
}

// availRead says how availability is read: with absences cut out (the
// instance the solver sees) or as entered (the resource API), and through
// cache or not. Only reads outside a transaction may use the cache: a
// transaction sees versions of its own that may never commit.
type availRead struct {
	absences bool
	cache    *availCache
}

// withAvailability gives each item the availability of its resource (rids[i]
// is the resource of items[i]) through set.
func withAvailability[T any](ctx context.Context, q querier, items []T, rids []int64, loc *time.Location, ar availRead, set func(*T, []solver.Interval)) ([]T, error) {
	av, err := loadAvailability(ctx, q, rids, loc, ar)
	if err != nil {
		return nil, err
	}
	for i := range items {
		set(&items[i], av[rids[i]])
	}
	return items, nil
}

// loadAvailability returns the availability of resources (nil for those
// always available). With ar.absences, absences are cut out. With
// ar.cache, lists whose version the cache holds are not read again.
func loadAvailability(ctx context.Context, q querier, rids []int64, loc *time.Location, ar availRead) (map[int64][]solver.Interval, error) {
	out := make(map[int64][]solver.Interval, len(rids))
	if len(rids) == 0 {
		return out, nil
	}
	cache := ar.cache
	if ar.absences {
		cache = nil
	}
	type span struct{ s, e time.Time }
	spans := map[int64][]span{}
	rows, err := q.Query(ctx, `select r.id, v.version from resource r left join availability_versions v on v.resource_id = r.id
		where r.id = any($1) and r.limited`, rids)
	if err != nil {
		return nil, err
	}
	var fetch []int64
	versions := map[int64]int64{}
	var id int64
	var version *int64
	_, err = pgx.ForEachRow(rows, []any{&id, &version}, func() error {
		if cache != nil && version != nil {
			if ivs, ok := cache.get(id, *version, loc); ok {
				out[id] = ivs
				return nil
			}
			versions[id] = *version
		}
		spans[id] = []span{}
		fetch = append(fetch, id)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(fetch) == 0 {
		return out, nil
	}
	// The lists are read by a later statement than their versions, so they
	// are as new as the versions or newer: a list kept under a version is
	// never older than that version, and a newer one is only ever served to
	// readers that began before it committed.
	rows, err = q.Query(ctx, `select resource_id, lower(during), upper(during) from availability
		where resource_id = any($1) order by resource_id, ord`, fetch)
	if err != nil {
		return nil, err
	}
	var s, e time.Time
	_, err = pgx.ForEachRow(rows, []any{&id, &s, &e}, func() error {
		if l, ok := spans[id]; ok {
			spans[id] = append(l, span{s, e})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if ar.absences {
		rows, err := q.Query(ctx, `select resource_id, lower(during), upper(during) from absences where resource_id = any($1) order by resource_id, lower(during)`, fetch)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var as, ae time.Time
			if err := rows.Scan(&id, &as, &ae); err != nil {
				return nil, err
			}
			cur, ok := spans[id]
			if !ok {
				continue // always available: absences of rooms/parties without hours are not modelled here
			}
			var next []span
			for _, sp := range cur {
				if !as.Before(sp.e) || !ae.After(sp.s) {
					next = append(next, sp)
					continue
				}
				if sp.s.Before(as) {
					next = append(next, span{sp.s, as})
				}
				if ae.Before(sp.e) {
					next = append(next, span{ae, sp.e})
				}
			}
			if next == nil {
				next = []span{}
			}
			spans[id] = next
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	// People share their working hours: format each instant once.
	formatted := map[int64]string{}
	format := func(t time.Time) string {
		k := t.Unix()
		s, ok := formatted[k]
		if !ok {
			s = solver.FormatInstant(t, loc)
			formatted[k] = s
		}
		return s
	}
	for id, ss := range spans {
		ivs := make([]solver.Interval, len(ss))
		for i, sp := range ss {
			ivs[i] = solver.Interval{Start: format(sp.s), End: format(sp.e)}
		}
		out[id] = ivs
		if v, ok := versions[id]; ok && cache != nil {
			cache.put(id, v, loc, ivs)
		}
	}
	return out, nil
}

// list is a list query being built: conditions, arguments and a page.
type list struct {
	conds []string
	args  []any
	limit int
	after string
}

func newList(p resources.ListParams, known ...string) (*list, error) {
	allowed := map[string]bool{}
	for _, k := range known {
		allowed[k] = true
	}
	var bad []errs.FieldError
	keys := make([]string, 0, len(p.Filters))
	for k := range p.Filters {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !allowed[k] {
			bad = append(bad, errs.FieldError{Path: k, Message: fmt.Sprintf("unknown filter %q (known: %s)", k, strings.Join(known, ", "))})
		}
	}
	if len(bad) > 0 {
		return nil, errs.WithFields("unknown filter", bad)
	}
	after, err := resources.DecodeCursor(p.Cursor)
	if err != nil {
		return nil, err
	}
	l := &list{limit: p.Limit, after: after}
	if l.limit <= 0 {
		l.limit = resources.DefaultLimit
	}
	if l.limit > resources.MaxLimit {
		return nil, errs.Field("limit", fmt.Sprintf("limit must be at most %d", resources.MaxLimit))
	}
	return l, nil
}

// where adds a condition; "?" in cond stands for the next argument.
func (l *list) where(cond string, arg any) {
	l.args = append(l.args, arg)
	l.conds = append(l.conds, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(l.args))))
}

func (l *list) boolFilter(p resources.ListParams, name, col string) error {
	v, ok := p.Filters[name]
	if !ok {
		return nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return errs.Field(name, name+" must be true or false")
	}
	l.where(col+" = ?", b)
	return nil
}

// sql finishes the query: conditions, the cursor on key, the order and the
// limit (one more row than the page, to know whether another page follows).
func (l *list) sql(base, key string) string {
	if l.after != "" {
		l.where(key+` > ?`, l.after)
	}
	q := base
	if len(l.conds) > 0 {
		q += " where " + strings.Join(l.conds, " and ")
	}
	return q + " order by " + key + ` limit ` + strconv.Itoa(l.limit+1)
}

// equal narrows the list to rows whose column equals the filter of the same
// name, for each of cols given in p.
func (l *list) equal(p resources.ListParams, cols ...string) {
	for _, c := range cols {
		if v, ok := p.Filters[c]; ok {
			l.where(c+" = ?", v)
		}
	}
}

// idAfter consumes a numeric-id cursor: rows after it in ascending id order
// (asc) or in descending order.
func (l *list) idAfter(asc bool) error {
	if l.after == "" {
		return nil
	}
	n, err := strconv.ParseInt(l.after, 10, 64)
	if err != nil {
		return errs.Field("cursor", "cursor is not one this server gave out")
	}
	if asc {
		l.where("id > ?", n)
	} else {
		l.where("id < ?", n)
	}
	l.after = ""
	return nil
}

// page cuts items to the page and sets the cursor of the next one.
func page[T any](l *list, items []T, key func(T) string) resources.Page[T] {
	if items == nil {
		items = []T{}
	}
	if len(items) > l.limit {
		items = items[:l.limit]
		return resources.Page[T]{Items: items, NextCursor: resources.EncodeCursor(key(items[len(items)-1]))}
	}
	return resources.Page[T]{Items: items}
}

// languageCond matches a language filter by primary subtag, as the solver
// matches languages ("ar" finds "ar-IQ" and "ar").
const languageCond = `exists (select 1 from unnest(%s) t where lower(t) = lower(?) or lower(split_part(t, '-', 1)) = lower(split_part(?, '-', 1)))`

func (l *list) languageFilter(col, v string) {
	l.args = append(l.args, v)
	n := "$" + strconv.Itoa(len(l.args))
	l.conds = append(l.conds, strings.ReplaceAll(fmt.Sprintf(languageCond, col), "?", n))
}

// checkVersion explains why a guarded write or delete touched no row: the
// row does not exist (not_found) or has another version (precondition_failed).
func checkVersion(ctx context.Context, q querier, table, id string, what string) error {
	var v int64
	err := q.QueryRow(ctx, `select version from `+table+` where id = $1`, id).Scan(&v)
	if err == pgx.ErrNoRows {
		return errs.E(errs.NotFound, "%s %q not found", what, id)
	}
	if err != nil {
		return err
	}
	return errs.E(errs.PreconditionFailed, "%s %q has changed (now version %d): fetch it again and retry", what, id, v)
}

func notFound(err error, what, id string) error {
	if err == pgx.ErrNoRows {
		return errs.E(errs.NotFound, "%s %q not found", what, id)
	}
	return err
}
