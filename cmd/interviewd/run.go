package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/asylum-scheduling/interviews/api"
	"github.com/asylum-scheduling/interviews/internal/generator"
	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

const usage = `usage:
  interviewd serve [-addr :8080] [-data ./.data] [-demo]
                   [-webhook-url URL] [-clear-holds SPEC] [-import-calendars SPEC]
                   [-nightly-plan SPEC] [-nightly-weeks N] [-nightly-time-limit D]
  interviewd token create -role clerk|manager|admin -name NAME [-data ./.data]
  interviewd backup -out FILE [-data ./.data]
  interviewd restore -in FILE [-data ./.data]

With DATABASE_URL set, interviewd uses that database. Otherwise it runs its
own PostgreSQL cluster in DATA/postgres (created on first start).

Notifications go to WEBHOOK_URL (or -webhook-url), signed with the secret in
WEBHOOK_SECRET (required with a URL); without a URL they wait in the outbox.
Job schedules are cron specs (five fields, or @hourly etc.) in the service's
time zone; "off" disables a job. Each flag's default comes from its
environment variable: CLEAR_HOLDS_SPEC, BUSY_IMPORT_SPEC, NIGHTLY_PLAN_SPEC,
NIGHTLY_PLAN_WEEKS, NIGHTLY_PLAN_TIME_LIMIT.`

// dbName is the database the server's own cluster holds.
const dbName = "interviews"

// Main runs the command line args (without the program name). It returns
// when the command is done, or, for serve, when ctx is cancelled and the
// server has shut down.
func Main(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return errors.New("no command given")
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], getenv, stdout, stderr)
	case "token":
		if len(args) < 2 || args[1] != "create" {
			fmt.Fprintln(stderr, usage)
			return errors.New("usage: interviewd token create -role ROLE -name NAME")
		}
		return tokenCreate(ctx, args[2:], getenv, stdout, stderr)
	case "backup":
		return backup(ctx, args[1:], getenv, stderr)
	case "restore":
		return restore(ctx, args[1:], getenv, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprintln(stdout, usage)
		return nil
	}
	fmt.Fprintln(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

// database opens the database: DATABASE_URL, else the own cluster under
// data (see connect). The returned stop closes the pool and stops the
// cluster if this process owns it.
func database(ctx context.Context, data string, use clusterUse, getenv func(string) string, log *slog.Logger) (*postgres.DB, func(), error) {
	url, stopCluster, err := connect(ctx, data, use, getenv, log)
	if err != nil {
		return nil, nil, err
	}
	db, err := postgres.Open(ctx, url, time.Now)
	if err != nil {
		stopCluster()
		return nil, nil, fmt.Errorf("database: %w", err)
	}
	return db, func() {
		db.Close()
		stopCluster()
	}, nil
}

func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", ":8080", "listen address")
	data := fs.String("data", "./.data", "data folder (own PostgreSQL cluster)")
	demo := fs.Bool("demo", false, "load demo data (generated, size M) into an empty database, with an admin token in DATA/admin-token")
	var bg bgConfig
	bg.flags(fs, getenv)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := bg.check(); err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(stderr, nil))

	db, closeDB, err := database(ctx, *data, serveCluster, getenv, log)
	if err != nil {
		return err
	}
	defer closeDB()
	tokenFile := ""
	if *demo {
		if tokenFile, err = loadDemo(ctx, db, *data, log); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	mailDir := "" // the demo's mail drop, when it has one
	if *demo && bg.smtpURL == "" {
		dir := filepath.Join(*data, "mail")
		url, stopDrop, err := startMailDrop(dir)
		if err != nil {
			ln.Close()
			return err
		}
		defer stopDrop()
		bg.smtpURL = url
		mailDir = dir
	}
	if bg.publicURL == "" {
		// Links in mails point at this server as the machine itself sees it.
		bg.publicURL = "http://localhost:" + strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	}
	app, err := wire(ctx, db, bg, log)
	if err != nil {
		ln.Close()
		return err
	}
	defer app.stop()
	srv := &http.Server{
		Handler:           api.RejectBadText(app.handler),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       api.ImportTimeout,
		WriteTimeout:      api.ImportTimeout + 10*time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	if bg.metricsAddr != "" {
		stopMetrics, err := serveMetrics(bg.metricsAddr, app.metrics, stdout, log)
		if err != nil {
			ln.Close()
			return err
		}
		defer stopMetrics()
	}
	greet(stdout, "http://"+displayAddr(ln.Addr()), tokenFile, mailDir)
	log.Info("listening", "addr", ln.Addr().String())
	return run(ctx, srv, ln, log)
}

// serveMetrics serves /metrics alone on addr (kept off the public
// address), until the returned stop.
func serveMetrics(addr string, h http.Handler, stdout io.Writer, log *slog.Logger) (func(), error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("-metrics-addr: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", h)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: time.Minute,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	go srv.Serve(ln)
	fmt.Fprintf(stdout, "metrics on http://%s/metrics\n", displayAddr(ln.Addr()))
	log.Info("metrics listening", "addr", ln.Addr().String())
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	}, nil
}

// greet prints where the pages are and, for the demo, what to try and where
// the admin token is. The token itself is never printed: standard output
// often ends up in logs.
func greet(stdout io.Writer, base, tokenFile, mailDir string) {
	fmt.Fprintf(stdout, "interviewd listening on %s\nOpen %s/ in a browser.\n", base, base)
	if tokenFile == "" {
		return
	}
	if mailDir != "" {
		fmt.Fprintf(stdout, "Interpreters and counsels sign in at %s/portal/ with a link sent by e-mail;\n"+
			"with no SMTP_URL the demo keeps the mails as files in %s.\n", base, mailDir)
	}
	fmt.Fprintf(stdout, `
The admin token is in %[2]s (readable by you only); sign in with it.
Try:
  %[1]s/healthz
  %[1]s/readyz
  %[1]s/openapi.yaml
  %[1]s/metrics
  curl -H "Authorization: Bearer $(cat %[2]s)" '%[1]s/v1/interviews?limit=5'
  curl -H "Authorization: Bearer $(cat %[2]s)" '%[1]s/v1/instance' > instance.json
`, base, tokenFile)
}

// run serves until ctx ends, then shuts down (requests under way get 30 s).
func run(ctx context.Context, srv *http.Server, ln net.Listener, log *slog.Logger) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

func displayAddr(a net.Addr) string {
	s := a.String()
	if strings.HasPrefix(s, "[::]:") {
		return "localhost:" + strings.TrimPrefix(s, "[::]:")
	}
	if strings.HasPrefix(s, "0.0.0.0:") {
		return "localhost:" + strings.TrimPrefix(s, "0.0.0.0:")
	}
	return s
}

// loadDemo imports the generator's M instance, with a third of the greedy
// plan as current bookings, when the database holds nothing yet, and makes
// an admin token, written to DATA/admin-token (mode 0600). It returns the
// token file's path ("" when there is none: the database had data and no
// token file is left from its demo).
func loadDemo(ctx context.Context, db *postgres.DB, data string, log *slog.Logger) (string, error) {
	path := filepath.Join(data, "admin-token")
	empty, err := db.Empty(ctx)
	if err != nil {
		return "", err
	}
	if !empty {
		log.Info("demo: database not empty, keeping its data")
		if _, err := os.Stat(path); err != nil {
			return "", nil
		}
		return path, nil
	}
	in, err := generator.Generate("M", 1)
	if err != nil {
		return "", err
	}
	if fit, err := solver.FirstFit(in); err == nil {
		for i, a := range fit.Assignments {
			if i%3 == 0 {
				in.Bookings = append(in.Bookings, solver.Booking{Interview: a.Interview, Start: a.Start, Room: a.Room,
					Interviewer: a.Interviewer, Interpreter: a.Interpreter, Mode: a.Mode})
			}
		}
	}
	sum, err := db.Import(ctx, in)
	if err != nil {
		return "", fmt.Errorf("demo data: %w", err)
	}
	log.Info("demo data loaded", "interviews", sum.Interviews, "bookings", sum.Bookings, "interpreters", sum.Interpreters)
	token, t, err := db.CreateToken(ctx, "demo-admin", resources.RoleAdmin)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(data, 0o700); err != nil {
		return "", err
	}
	if err := os.WriteFile(path, []byte(token+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("write the demo admin token: %w", err)
	}
	log.Info("demo: admin token made", "token_id", t.ID, "file", path)
	return path, nil
}

func tokenCreate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("token create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	role := fs.String("role", "", "clerk, manager, admin or auditor")
	name := fs.String("name", "", "who or what uses the token (not a person's full name)")
	data := fs.String("data", "./.data", "data folder (own PostgreSQL cluster)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	r, err := resources.ParseRole(*role)
	if err != nil {
		return errors.New("-role must be clerk, manager, admin or auditor")
	}
	if strings.TrimSpace(*name) == "" {
		return errors.New("-name is required")
	}
	log := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	db, closeDB, err := database(ctx, *data, existingCluster, getenv, log)
	if err != nil {
		return err
	}
	defer closeDB()
	token, t, err := db.CreateToken(ctx, *name, r)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "token %d (%s, %s) created; it is shown once:\n", t.ID, t.Name, t.Role)
	fmt.Fprintln(stdout, token)
	return nil
}
