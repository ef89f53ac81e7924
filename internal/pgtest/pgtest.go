// Package pgtest gives tests a real PostgreSQL database of their own.
//
// With DATABASE_URL set, test databases are created on that server (the role
// needs CREATEDB). Otherwise one throwaway cluster is started per test process
// (see internal/pgcluster) and stopped by Main. Each test gets a fresh
// database, cloned from a migrated template and dropped when the test ends, so
// tests may run in parallel.
//
// A package that uses pgtest has:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
package pgtest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/asylum-scheduling/interviews/internal/pgcluster"
	"github.com/asylum-scheduling/interviews/migrations"
)

var (
	once     sync.Once
	setupErr error
	cluster  *pgcluster.Cluster
	tmpRoot  string
	admin    string // connection string of a maintenance database
	template string // name of the migrated template database
	seq      atomic.Int64
	createMu sync.Mutex
)

// Main runs the tests of a package and then stops the throwaway cluster, if
// one was started, and removes its files.
func Main(m *testing.M) {
	code := m.Run()
	teardown()
	os.Exit(code)
}

func teardown() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if template != "" && cluster == nil && admin != "" {
		if conn, err := pgx.Connect(ctx, admin); err == nil {
			conn.Exec(ctx, `drop database if exists `+pgx.Identifier{template}.Sanitize()+` with (force)`)
			conn.Close(ctx)
		}
	}
	if cluster != nil {
		if err := cluster.Stop(ctx); err != nil {
			fmt.Fprintln(os.Stderr, "pgtest:", err)
		}
	}
	if tmpRoot != "" {
		os.RemoveAll(tmpRoot)
	}
}

func setup() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	template = fmt.Sprintf("pgtest_tmpl_%d_%d", os.Getpid(), time.Now().UnixNano()%1e6)
	if url := os.Getenv("DATABASE_URL"); url != "" {
		admin = url
	} else {
		var err error
		tmpRoot, err = os.MkdirTemp("", "pgt")
		if err != nil {
			return err
		}
		c, err := pgcluster.New(filepath.Join(tmpRoot, "d"), pgcluster.Options{Fast: true})
		if err != nil {
			return err
		}
		if err := c.Start(ctx); err != nil {
			return err
		}
		cluster = c
		watchdog(c.Dir, tmpRoot)
		admin = c.ConnString("postgres")
	}
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return fmt.Errorf("pgtest: connect: %w", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `create database `+pgx.Identifier{template}.Sanitize()); err != nil {
		return fmt.Errorf("pgtest: create template: %w", err)
	}
	tconn, err := pgx.Connect(ctx, withDB(admin, template))
	if err != nil {
		return err
	}
	defer tconn.Close(ctx)
	if err := migrations.Migrate(ctx, tconn); err != nil {
		return fmt.Errorf("pgtest: %w", err)
	}
	return nil
}

// watchdog stops the cluster and removes its files should this process die
// without running Main's teardown (a test timeout, a kill): leaked servers
// would pile up otherwise.
func watchdog(dataDir, root string) {
	script := fmt.Sprintf(`while kill -0 %d 2>/dev/null; do sleep 1; done
if [ -f %[2]q/postmaster.pid ]; then kill -INT "$(head -1 %[2]q/postmaster.pid)" 2>/dev/null; sleep 3; fi
rm -rf %[3]q`, os.Getpid(), dataDir, root)
	cmd := exec.Command("/bin/sh", "-c", script)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err == nil {
		go cmd.Wait()
	}
}

func ensure(t testing.TB) {
	t.Helper()
	once.Do(func() { setupErr = setup() })
	if setupErr != nil {
		t.Fatalf("pgtest: no database: %v", setupErr)
	}
}

// withDB returns conn string s pointed at database db.
func withDB(s, db string) string {
	cfg, err := pgx.ParseConfig(s)
	if err != nil {
		panic(err)
	}
	// Rebuild as keyword/value, which every libpq-style parser reads.
	out := fmt.Sprintf("host=%s port=%d user=%s dbname=%s", cfg.Host, cfg.Port, cfg.User, db)
	if cfg.Password != "" {
		out += " password=" + quote(cfg.Password)
	}
	if cfg.TLSConfig == nil {
		out += " sslmode=disable"
	}
	return out
}

func quote(s string) string {
	r := "'"
	for _, c := range s {
		if c == '\'' || c == '\\' {
			r += "\\"
		}
		r += string(c)
	}
	return r + "'"
}

func newDB(t testing.TB, from string) string {
	t.Helper()
	ensure(t)
	ctx := context.Background()
	name := fmt.Sprintf("t_%d_%d", os.Getpid(), seq.Add(1))
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	defer conn.Close(ctx)
	sql := `create database ` + pgx.Identifier{name}.Sanitize()
	if from != "" {
		sql += ` template ` + pgx.Identifier{from}.Sanitize()
	}
	createMu.Lock()
	_, err = conn.Exec(ctx, sql)
	createMu.Unlock()
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, admin)
		if err != nil {
			t.Errorf("pgtest: drop %s: %v", name, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, `drop database if exists `+pgx.Identifier{name}.Sanitize()+` with (force)`); err != nil {
			t.Errorf("pgtest: drop %s: %v", name, err)
		}
	})
	return withDB(admin, name)
}

// URL returns the connection string of a fresh, migrated database that is
// dropped when the test ends.
func URL(t testing.TB) string {
	t.Helper()
	ensure(t)
	return newDB(t, template)
}

// EmptyURL returns the connection string of a fresh database without any
// schema, dropped when the test ends.
func EmptyURL(t testing.TB) string {
	t.Helper()
	return newDB(t, "")
}

// Raw is a test database's connection pool, for a test's own SQL: fixtures
// the API cannot make and checks of what the code under test wrote. The
// code under test reaches the database only through its store
// (postgres.New(pool, now)).
type Raw = pgxpool.Pool

// Open returns a pool on a fresh, migrated database; both are closed and
// dropped when the test ends.
func Open(t testing.TB) *Raw { return OpenMax(t, 0) }

// OpenAt returns a pool on the test database at url (from URL), closed
// when the test ends.
func OpenAt(t testing.TB, url string) *Raw {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), url)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// OpenMax is Open with at most maxConns connections (0: pgx's default).
func OpenMax(t testing.TB, maxConns int32) *Raw {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(URL(t))
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	if maxConns > 0 {
		cfg.MaxConns = maxConns
	}
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(pool.Close) // runs before the drop: cleanups run last-in first-out
	return pool
}
