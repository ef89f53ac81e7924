// Package postgres stores the service's data in PostgreSQL with pgx. It is
// the only package that speaks SQL; errors leave it as *errs.Error.
package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

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

// PoolStats returns the connection pool's figures.
func (db *DB) PoolStats() resources.PoolStats {
	s := db.pool.Stat()
	return resources.PoolStats{Acquired: int64(s.AcquiredConns()), Idle: int64(s.IdleConns()), Total: int64(s.TotalConns()),
		Max: int64(s.MaxConns()), Acquires: s.AcquireCount(), EmptyAcquires: s.EmptyAcquireCount(),
		CanceledAcquires: s.CanceledAcquireCount(), AcquireWait: s.AcquireDuration()}
}

// Empty reports whether no interview, resource or location is stored.
func (db *DB) Empty(ctx context.Context) (bool, error) {
	var n int
	err := db.pool.QueryRow(ctx, `select (select count(*) from locations) + (select count(*) from interviews)`).Scan(&n)
	return n == 0, Translate(err)
}

// querier is what a pool and a transaction have in common.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}
