package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/asylum-scheduling/interviews/solver"
)

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

// alwaysFrom and alwaysTo bound "always available" where absences cut it.
var (
	alwaysFrom = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	alwaysTo   = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
)

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
	// People always available (parties without hours) who keep absences
	// (a counsel's court days) are read as available from alwaysFrom to
	// alwaysTo with the absences cut out.
	rows, err := q.Query(ctx, `select r.id, v.version, r.limited from resource r left join availability_versions v on v.resource_id = r.id
		where r.id = any($1) and (r.limited or ($2 and exists (select 1 from absences a where a.resource_id = r.id)))`,
		rids, ar.absences)
	if err != nil {
		return nil, err
	}
	var fetch []int64
	versions := map[int64]int64{}
	var id int64
	var version *int64
	var limited bool
	_, err = pgx.ForEachRow(rows, []any{&id, &version, &limited}, func() error {
		if !limited {
			spans[id] = []span{{alwaysFrom, alwaysTo}}
			fetch = append(fetch, id) // no availability rows: only its absences are read
			return nil
		}
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
