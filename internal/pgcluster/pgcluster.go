// Package pgcluster runs a private PostgreSQL cluster in a folder: created
// with the installed initdb on first use, listening only on a unix socket
// inside that folder, started and stopped by its owner (the server, or the
// tests). When the process runs as root, the cluster runs as the unprivileged
// "postgres" account, because PostgreSQL refuses to run as root.
package pgcluster

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// ErrNoBinaries is returned when no PostgreSQL server binaries can be found.
var ErrNoBinaries = errors.New("PostgreSQL server binaries (initdb, pg_ctl) not found on PATH or under /usr/lib/postgresql/*/bin: " +
	"install them (Debian/Ubuntu: apt-get install postgresql; or run `make postgres`), or set DATABASE_URL to use an existing database")

// Port is the port number of the socket file; no TCP port is opened.
const Port = 5432

// maxSocketPath is the longest unix socket path the kernel accepts, less one.
const maxSocketPath = 107

// Options tune a cluster.
type Options struct {
	// Fast turns durability off (fsync, synchronous_commit, full_page_writes):
	// for throwaway test clusters only.
	Fast bool
	// Log receives the output of initdb and pg_ctl; nil discards it.
	Log io.Writer
}

// Cluster is a PostgreSQL cluster in a folder.
type Cluster struct {
	Dir     string // data folder; also holds the socket
	binDir  string
	cred    *syscall.Credential
	opts    Options
	started bool // this process started the server (and so stops it)
}

// binGlob is where Debian's packages put the server binaries.
var binGlob = "/usr/lib/postgresql/*/bin"

// FindBinaries returns the folder that holds initdb and pg_ctl: from PATH, or
// the newest /usr/lib/postgresql/*/bin.
func FindBinaries() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		dir := filepath.Dir(p)
		if _, err := os.Stat(filepath.Join(dir, "pg_ctl")); err == nil {
			return dir, nil
		}
	}
	dirs, _ := filepath.Glob(binGlob)
	sort.Slice(dirs, func(i, j int) bool { return versionOf(dirs[i]) > versionOf(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	return "", ErrNoBinaries
}

func versionOf(binDir string) float64 {
	v, _ := strconv.ParseFloat(filepath.Base(filepath.Dir(binDir)), 64)
	return v
}

// New describes the cluster in dir without touching it.
func New(dir string, opts Options) (*Cluster, error) {
	bin, err := FindBinaries()
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if n := len(abs) + len("/.s.PGSQL.5432"); n > maxSocketPath {
		return nil, fmt.Errorf("data folder path %q is too long for a unix socket (%d > %d characters): choose a shorter one", abs, n, maxSocketPath)
	}
	c := &Cluster{Dir: abs, binDir: bin, opts: opts}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("running as root, and PostgreSQL refuses to run as root: no 'postgres' account to run it as (install Debian's postgresql package, or set DATABASE_URL): %w", err)
		}
		uid, _ := strconv.ParseUint(u.Uid, 10, 32)
		gid, _ := strconv.ParseUint(u.Gid, 10, 32)
		c.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), NoSetGroups: true}
	}
	return c, nil
}

// ConnString returns a keyword/value connection string for database db
// over the cluster's unix socket.
func (c *Cluster) ConnString(db string) string {
	return fmt.Sprintf("host=%s port=%d user=postgres dbname=%s sslmode=disable", c.Dir, Port, db)
}

// Start creates the cluster if its folder holds none, then starts it unless
// it is running already (another process started it: that one stops it).
func (c *Cluster) Start(ctx context.Context) error {
	if err := c.initIfNeeded(ctx); err != nil {
		return err
	}
	if c.running(ctx) {
		return nil
	}
	if err := c.removeStalePID(); err != nil {
		return err
	}
	c.started = true
	params := []string{
		"-c listen_addresses=''",
		"-k " + c.Dir,
		"-p " + strconv.Itoa(Port),
		"-c max_connections=200",
	}
	if c.opts.Fast {
		params = append(params, "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off")
	}
	_, err := c.run(ctx, "pg_ctl", "-D", c.Dir, "-l", filepath.Join(c.Dir, "postgres.log"),
		"-w", "-t", "60", "-o", strings.Join(params, " "), "start")
	if err != nil {
		logTail, _ := os.ReadFile(filepath.Join(c.Dir, "postgres.log"))
		if len(logTail) > 2000 {
			logTail = logTail[len(logTail)-2000:]
		}
		return fmt.Errorf("start PostgreSQL in %s: %w\n%s", c.Dir, err, logTail)
	}
	return nil
}

// Stop stops the cluster if this process started it (fast shutdown: open
// sessions are ended).
func (c *Cluster) Stop(ctx context.Context) error {
	if !c.started || !c.running(ctx) {
		return nil
	}
	c.started = false
	if _, err := c.run(ctx, "pg_ctl", "-D", c.Dir, "-m", "fast", "-w", "-t", "60", "stop"); err != nil {
		return fmt.Errorf("stop PostgreSQL in %s: %w", c.Dir, err)
	}
	return nil
}

// Own makes this process the cluster's owner, so that Stop stops it even
// though another process started it: for a server that adopts the cluster
// its crashed predecessor left running.
func (c *Cluster) Own() { c.started = true }

// Exists reports whether the folder holds a cluster (made by initdb).
func (c *Cluster) Exists() bool {
	_, err := os.Stat(filepath.Join(c.Dir, "PG_VERSION"))
	return err == nil
}

// removeStalePID removes a postmaster.pid that names no live PostgreSQL
// process: what a crashed cluster leaves behind when its PID has since been
// given to another program (PostgreSQL itself would then refuse to start).
func (c *Cluster) removeStalePID() error {
	path := filepath.Join(c.Dir, "postmaster.pid")
	pid, err := readPID(path)
	if err != nil {
		return nil // none, or unreadable: pg_ctl says what is wrong
	}
	if isPostgres(pid) {
		return nil
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("remove the stale %s: %w", path, err)
	}
	return nil
}

// readPID reads the process id on the first line of a postmaster.pid.
func readPID(path string) (int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	first, _, _ := strings.Cut(string(b), "\n")
	return strconv.Atoi(strings.TrimSpace(first))
}

// isPostgres reports whether process pid runs PostgreSQL's server.
func isPostgres(pid int) bool {
	comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	if err != nil {
		return false
	}
	name := strings.TrimSpace(string(comm))
	return name == "postgres" || name == "postmaster"
}

// EnsureDatabase creates database name unless it exists, and returns its
// connection string.
func (c *Cluster) EnsureDatabase(ctx context.Context, name string) (string, error) {
	conn, err := pgx.Connect(ctx, c.ConnString("postgres"))
	if err != nil {
		return "", fmt.Errorf("connect to PostgreSQL in %s: %w", c.Dir, err)
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, `select exists (select 1 from pg_database where datname = $1)`, name).Scan(&exists); err != nil {
		return "", err
	}
	if !exists {
		if _, err := conn.Exec(ctx, `create database `+pgx.Identifier{name}.Sanitize()); err != nil {
			var pg *pgconn.PgError
			if !errors.As(err, &pg) || pg.Code != "42P04" { // created meanwhile by another process
				return "", err
			}
		}
	}
	return c.ConnString(name), nil
}

// Running reports whether the cluster's server is up.
func (c *Cluster) Running(ctx context.Context) bool { return c.running(ctx) }

func (c *Cluster) running(ctx context.Context) bool {
	if _, err := os.Stat(filepath.Join(c.Dir, "postmaster.pid")); err != nil {
		return false
	}
	_, err := c.run(ctx, "pg_ctl", "-D", c.Dir, "status")
	return err == nil
}

func (c *Cluster) initIfNeeded(ctx context.Context) error {
	if _, err := os.Stat(filepath.Join(c.Dir, "PG_VERSION")); err == nil {
		return nil
	}
	if err := os.MkdirAll(c.Dir, 0o700); err != nil {
		return err
	}
	if entries, _ := os.ReadDir(c.Dir); len(entries) > 0 {
		return fmt.Errorf("%s is not empty and holds no PostgreSQL cluster: remove it or choose another data folder", c.Dir)
	}
	if err := c.chown(c.Dir); err != nil {
		return err
	}
	if err := os.Chmod(c.Dir, 0o700); err != nil {
		return err
	}
	_, err := c.run(ctx, "initdb", "-D", c.Dir, "-U", "postgres", "-A", "trust",
		"-E", "UTF8", "--locale=C", "--no-instructions")
	if err != nil {
		return fmt.Errorf("initdb %s: %w", c.Dir, err)
	}
	return nil
}

// chown gives dir to the account that runs the cluster (when root), and makes
// sure that account can reach it through its parent folders.
func (c *Cluster) chown(dir string) error {
	if c.cred == nil {
		return nil
	}
	if err := os.Chown(dir, int(c.cred.Uid), int(c.cred.Gid)); err != nil {
		return err
	}
	for p := filepath.Dir(dir); p != "/" && p != "."; p = filepath.Dir(p) {
		fi, err := os.Stat(p)
		if err != nil {
			return err
		}
		if fi.Mode().Perm()&0o001 == 0 {
			// Let others traverse (not list) the folder, so that the
			// postgres account reaches its data folder.
			if err := os.Chmod(p, fi.Mode().Perm()|0o001); err != nil {
				return fmt.Errorf("make %s reachable for the postgres account: %w", p, err)
			}
		}
	}
	return nil
}

func (c *Cluster) run(ctx context.Context, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, filepath.Join(c.binDir, name), args...)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	cmd.Dir = "/"
	cmd.Env = append(os.Environ(), "LC_ALL=C", "LANG=C")
	if c.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
	}
	// The postmaster must outlive a cancelled context of the caller's
	// command; pg_ctl detaches it. Give slow machines time.
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()
	if c.opts.Log != nil {
		c.opts.Log.Write(out.Bytes())
	}
	if err != nil {
		return out.String(), fmt.Errorf("%s: %w: %s", name, err, strings.TrimSpace(out.String()))
	}
	return out.String(), nil
}
