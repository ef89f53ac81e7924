// Package postgres stores the service's data in PostgreSQL with pgx. It is
// the only package that speaks SQL; errors leave it as *errs.Error.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/migrations"
	"github.com/asylum-scheduling/interviews/resources"
)

// DB is the service's database.
type DB struct {
	pool  *pgxpool.Pool
	now   func() time.Time
	avail *availCache
}

// Open connects to the database at url and runs the migrations.
func Open(ctx context.Context, url string, now func() time.Time) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("database url: %w", err)
	}
	if cfg.MaxConns < 8 {
		cfg.MaxConns = 8
	}
	guardConnections(cfg)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if err := MigratePool(ctx, pool); err != nil {
		pool.Close()
		return nil, err
	}
	return New(pool, now), nil
}

// New wraps a pool whose database is migrated already.
func New(pool *pgxpool.Pool, now func() time.Time) *DB {
	if now == nil {
		now = time.Now
	}
	return &DB{pool: pool, now: now, avail: newAvailCache()}
}

// Close closes the pool.
func (db *DB) Close() { db.pool.Close() }

// MigratePool runs the migrations on one connection of pool.
func MigratePool(ctx context.Context, pool *pgxpool.Pool) error {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Release()
	return migrations.Migrate(ctx, conn.Conn())
}

// Ready reports whether the database answers and is at the newest schema.
func (db *DB) Ready(ctx context.Context) error {
	v, err := migrations.Current(ctx, db.pool)
	if err != nil {
		return fmt.Errorf("database unreachable: %w", err)
	}
	latest, err := migrations.Latest()
	if err != nil {
		return err
	}
	if v != latest {
		return fmt.Errorf("database schema at version %d, want %d", v, latest)
	}
	return nil
}

// WithTx runs fn in a transaction (read-write, read committed, unless opts
// say otherwise): committed when fn returns nil, rolled back otherwise.
// Errors come out translated.
func WithTx(ctx context.Context, pool *pgxpool.Pool, fn func(tx pgx.Tx) error, opts ...pgx.TxOptions) error {
	var o pgx.TxOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	tx, err := pool.BeginTx(ctx, o)
	if err != nil {
		return Translate(err)
	}
	defer rollback(ctx, tx)
	if err := fn(tx); err != nil {
		return Translate(err)
	}
	return Translate(tx.Commit(ctx))
}

var keyDetail = regexp.MustCompile(`^Key \(([^)]*)\)=\((.*)\)`)

// Translate turns pgx and PostgreSQL errors into *errs.Error: no rows is
// not_found; exclusion and unique violations are conflicts; a foreign key
// violation is a conflict when a delete would orphan rows and invalid when a
// write names a row that does not exist. Other errors are internal. *errs.Error
// and nil pass through.
func Translate(err error) error {
	if err == nil {
		return nil
	}
	var e *errs.Error
	if errors.As(err, &e) {
		return err
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return errs.Wrap(err, errs.NotFound, "not found")
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return errs.Wrap(err, errs.Unavailable, "the request timed out or was cancelled: try again")
	}
	if unreachable(err) {
		return errs.Wrap(err, errs.Unavailable, "the database is not available just now: try again")
	}
	var pg *pgconn.PgError
	if !errors.As(err, &pg) {
		// pgx refuses to encode a number that does not fit its column
		if m := err.Error(); strings.Contains(m, "greater than maximum value for") || strings.Contains(m, "less than minimum value for") {
			return errs.Wrap(err, errs.Invalid, "a number is out of range")
		}
		return errs.Wrap(err, errs.Internal, "")
	}
	switch pg.Code {
	case "23P01": // exclusion_violation
		return errs.Wrap(err, errs.Conflict, "the time is taken: a resource is already occupied then ("+pg.ConstraintName+")")
	case "23505": // unique_violation
		col, val := keyOf(pg.Detail)
		msg := "already exists"
		if col != "" {
			msg = fmt.Sprintf("%s %q already exists", fieldOf(col), val)
		}
		return &errs.Error{Code: errs.Conflict, Message: msg, Err: err,
			Fields: fieldsFor(col, msg)}
	case "23503": // foreign_key_violation
		col, val := keyOf(pg.Detail)
		if strings.Contains(pg.Detail, "is still referenced") || strings.HasPrefix(pg.Message, "update or delete") {
			return errs.Wrap(err, errs.Conflict, fmt.Sprintf("still in use by %s: remove those first, or deactivate instead", tableLabel(pg.TableName)))
		}
		msg := fmt.Sprintf("unknown %s %q", fieldOf(col), val)
		return &errs.Error{Code: errs.Invalid, Message: msg, Err: err, Fields: fieldsFor(col, msg)}
	case "23514", "23502", "22P02", "22007", "22008", "22023": // check, not null, bad text, bad datetime, bad value
		return errs.Wrap(err, errs.Invalid, "invalid value: "+pg.Message)
	case "22021", "22P05", "22003", "54000": // NUL or bad encoding, number out of range, too long
		return errs.Wrap(err, errs.Invalid, "invalid value: text must be UTF-8 without NUL characters, numbers within range")
	case "57014", "55P03", "08000", "08003", "08006", "57P01", "57P02", "57P03", "53300":
		// statement or lock timeout, connection lost, shutting down, too many connections
		return errs.Wrap(err, errs.Unavailable, "the database is not available just now: try again")
	}
	return errs.Wrap(err, errs.Internal, "")
}

func keyOf(detail string) (col, val string) {
	m := keyDetail.FindStringSubmatch(detail)
	if m == nil {
		return "", ""
	}
	return m[1], m[2]
}

// fieldOf names a column as the API names the field.
func fieldOf(col string) string {
	switch col {
	case "case_ref":
		return "case"
	case "preferred_interviewer":
		return col
	}
	if i := strings.LastIndex(col, ", "); i >= 0 { // composite key: name the last part
		col = col[i+2:]
	}
	return strings.TrimSuffix(col, "_id")
}

func fieldsFor(col, msg string) []errs.FieldError {
	if col == "" {
		return nil
	}
	return []errs.FieldError{{Path: fieldOf(col), Message: msg}}
}

func tableLabel(t string) string {
	if t == "" {
		return "other records"
	}
	return strings.ReplaceAll(t, "_", " ")
}

// PoolStats returns the connection pool's figures.
func (db *DB) PoolStats() resources.PoolStats {
	s := db.pool.Stat()
	return resources.PoolStats{Acquired: int64(s.AcquiredConns()), Idle: int64(s.IdleConns()), Total: int64(s.TotalConns()),
		Max: int64(s.MaxConns()), Acquires: s.AcquireCount(), EmptyAcquires: s.EmptyAcquireCount(),
		CanceledAcquires: s.CanceledAcquireCount(), AcquireWait: s.AcquireDuration()}
}
