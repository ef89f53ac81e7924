package main

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/asylum-scheduling/interviews/api"
	"github.com/asylum-scheduling/interviews/internal/mail"
	"github.com/asylum-scheduling/interviews/internal/metrics"
	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/scheduler"
	"github.com/asylum-scheduling/interviews/web"
)

// server is the wired service: the HTTP handler (pages, and the API under
// them) and the function that stops its background work.
type server struct {
	handler http.Handler
	metrics http.Handler // /metrics, for a separate address
	stop    func()
}

// wire builds the services on db and hands them to the API and the pages:
// the one place where the server is put together.
func wire(ctx context.Context, db *postgres.DB, c bgConfig, log *slog.Logger) (*server, error) {
	// Suggestion ids stay valid across restarts and between replicas.
	key, err := db.Secret(ctx, "suggestion_key", 32)
	if err != nil {
		return nil, err
	}
	m := metrics.New()
	booking := scheduler.New(db, key, log, time.Now, scheduler.WithObserver(m))
	planner := scheduler.NewPlanner(db, booking, log, time.Now)
	mailer, signin, err := newMail(ctx, db, c, log)
	if err != nil {
		return nil, err
	}
	portal := scheduler.NewPortal(ctx, db, booking, log, time.Now, c.publicURL, signin)
	jobs, err := newJobs(db, planner, portal, c, m, log)
	if err != nil {
		return nil, err
	}
	apiHandler := api.New(api.Deps{Store: db, Booking: booking, Planner: planner, Jobs: jobs,
		Feeds: api.NewFeedService(api.FeedOptions{}), Portal: portal, Metrics: m, MetricsElsewhere: c.metricsAddr != "",
		Log: log, RequestTimeout: c.requestLimit})
	pages := web.New(web.Config{DB: db, Booking: booking, Plans: planner, Portal: portal, API: apiHandler, Log: log,
		RequestTimeout: c.requestLimit})
	stop, err := startBackground(ctx, db, planner, jobs, mailer, c, log)
	if err != nil {
		return nil, err
	}
	return &server{handler: pages, metrics: apiHandler.MetricsHandler(), stop: stop}, nil
}

// newMail builds the mail delivery and the sign-in mailer from SMTP_URL;
// without one both are nil (mails wait in the outbox).
func newMail(ctx context.Context, db *postgres.DB, c bgConfig, log *slog.Logger) (*scheduler.Mailer, scheduler.SigninMailer, error) {
	if c.smtpURL == "" {
		return nil, nil, nil
	}
	sender, err := mail.NewSender(c.smtpURL, c.mailFrom)
	if err != nil {
		return nil, nil, err
	}
	st, err := db.Settings(ctx)
	if err != nil {
		return nil, nil, err
	}
	loc, err := time.LoadLocation(st.Timezone)
	if err != nil {
		loc = time.UTC
	}
	return scheduler.NewMailer(db, log, time.Now, sender, c.mailFrom, c.publicURL), scheduler.SigninMail(sender, c.mailFrom, loc), nil
}
