package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
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

// ---- rooms

// ---- interviewers

// ---- interpreters

// ---- parties

// ---- interviews

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
