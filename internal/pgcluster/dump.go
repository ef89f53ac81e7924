package pgcluster

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Dump writes a backup of the database at connString to w in pg_dump's
// custom format (compressed, restorable with Restore or pg_restore), with
// the installed pg_dump.
func Dump(ctx context.Context, connString string, w io.Writer) error {
	return client(ctx, "pg_dump", nil, w, "--format=custom", "--no-owner", "--no-privileges", "--dbname="+connString)
}

// Restore loads a backup made by Dump into the database at connString, in
// one transaction: all of it or nothing. The database must hold no tables
// (a fresh one): Restore refuses to mix a backup into existing data.
func Restore(ctx context.Context, connString string, r io.Reader) error {
	n, err := tables(ctx, connString)
	if err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("the database holds %d tables already: restore into a fresh database (a new data folder, or an empty DATABASE_URL)", n)
	}
	return client(ctx, "pg_restore", r, io.Discard, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", "--dbname="+connString)
}

// tables counts the tables in the database's own schemas.
func tables(ctx context.Context, connString string) (int, error) {
	conn, err := pgx.Connect(ctx, connString)
	if err != nil {
		return 0, fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(ctx)
	var n int
	err = conn.QueryRow(ctx, `select count(*) from pg_tables where schemaname not in ('pg_catalog', 'information_schema')`).Scan(&n)
	return n, err
}

// client runs one of PostgreSQL's client programs (pg_dump, pg_restore) from
// the installed binaries, as this process's user.
func client(ctx context.Context, name string, stdin io.Reader, stdout io.Writer, args ...string) error {
	bin, err := FindBinaries()
	if err != nil {
		return err
	}
	path := filepath.Join(bin, name)
	if _, err := os.Stat(path); err != nil {
		if path, err = exec.LookPath(name); err != nil {
			return fmt.Errorf("%s not found next to initdb or on PATH: install PostgreSQL's client programs", name)
		}
	}
	cmd := exec.CommandContext(ctx, path, args...)
	var stderr bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, stdout, &stderr
	cmd.Env = append(os.Environ(), "LC_ALL=C", "LANG=C")
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w: %s", name, err, strings.TrimSpace(stderr.String()))
	}
	return nil
}
