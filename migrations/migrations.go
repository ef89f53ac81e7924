// Package migrations holds the numbered SQL migrations of the database schema,
// embedded in the binary, and runs them with tern under a PostgreSQL advisory
// lock, so that several replicas may start at once.
package migrations

import (
	"context"
	"embed"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/tern/v2/migrate"
)

//go:embed *.sql
var FS embed.FS

// VersionTable is the table that records the schema version.
const VersionTable = "public.schema_version"

// lockKey serialises migrators of one database across processes. tern takes
// its own advisory lock per step too; this one also covers creating the
// version table and reading the plan.
const lockKey = int64(0x1d7e_57a6_0000_0001)

// Migrate brings the database of conn to the newest schema version.
func Migrate(ctx context.Context, conn *pgx.Conn) error {
	if _, err := conn.Exec(ctx, "select pg_advisory_lock($1)", lockKey); err != nil {
		return fmt.Errorf("migrate: lock: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), "select pg_advisory_unlock($1)", lockKey)
	m, err := migrate.NewMigrator(ctx, conn, VersionTable)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if err := m.LoadMigrations(FS); err != nil {
		return fmt.Errorf("migrate: load: %w", err)
	}
	if err := m.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// Latest returns the number of the newest migration.
func Latest() (int32, error) {
	names, err := migrate.FindMigrations(FS)
	if err != nil {
		return 0, err
	}
	return int32(len(names)), nil
}

// Current returns the schema version of the database of conn (0 when it was
// never migrated).
func Current(ctx context.Context, q interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}) (int32, error) {
	var exists bool
	if err := q.QueryRow(ctx, "select to_regclass($1) is not null", VersionTable).Scan(&exists); err != nil {
		return 0, err
	}
	if !exists {
		return 0, nil
	}
	var v int32
	err := q.QueryRow(ctx, "select version from "+VersionTable).Scan(&v)
	return v, err
}
