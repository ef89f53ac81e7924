package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	netmail "net/mail"
	"net/url"
	"regexp"
	"strconv"
	"time"

	"github.com/asylum-scheduling/interviews/api"

	"github.com/asylum-scheduling/interviews/calendars/importer"
	"github.com/asylum-scheduling/interviews/internal/clientaddr"
	"github.com/asylum-scheduling/interviews/internal/mail"
	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/scheduler"
)

// bgConfig configures the server's background work: scheduled jobs and the
// delivery of notifications.
type bgConfig struct {
	webhookURL     string
	webhookSecret  string
	clearHolds     string
	importBusy     string
	nightly        string
	nightlyWeeks   int
	nightlyLimit   time.Duration
	busyAllowList  string             // -busy-calendar-allow, as given
	requestLimit   time.Duration      // time limit of a request (instances: api.ImportTimeout)
	metricsAddr    string             // serve /metrics here instead of on the main address
	busyAllow      importer.AllowList // private hosts and ranges busy calendars may be fetched from
	smtpURL        string             // SMTP_URL: where mails go; "" keeps them in the outbox
	mailFrom       string             // MAIL_FROM
	publicURL      string             // PUBLIC_URL: the base of links in mails
	mailHelo       string             // MAIL_HELO: the name given in EHLO ("": PUBLIC_URL's host)
	solveInProcess bool               // SOLVE_IN_PROCESS: plans and scenarios solve in the server's process
	expire         string             // cron spec of the expiry of unanswered requests
	retention      string             // RETENTION_SPEC: cron spec of the retention (erasure of what passed settings.retention)
	oidc           oidcSettings       // staff sign-in with an OpenID provider (web.go)
	proxiesText    string             // -trusted-proxies, as given
	proxies        clientaddr.Proxies // TRUSTED_PROXIES: whose X-Forwarded-* headers are believed
}

// Defaults of the background work.
const (
	defaultClearHolds   = "*/10 * * * *"
	defaultNightly      = "0 2 * * *"
	defaultNightlyWeeks = 4
	defaultNightlyLimit = time.Minute
	keepJobRuns         = 30 * 24 * time.Hour
)

// heloRe is a host name as EHLO takes it (RFC 5321 §4.1.2 Domain).
var heloRe = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$`)

// helo is the name given in EHLO: MAIL_HELO, or the public URL's host.
func (c *bgConfig) helo() string {
	if c.mailHelo != "" {
		return c.mailHelo
	}
	if u, err := url.Parse(c.publicURL); err == nil && heloRe.MatchString(u.Hostname()) {
		return u.Hostname()
	}
	return "localhost"
}

func envOr(getenv func(string) string, name, def string) string {
	if v := getenv(name); v != "" {
		return v
	}
	return def
}

func (c *bgConfig) flags(fs *flag.FlagSet, getenv func(string) string) {
	fs.StringVar(&c.webhookURL, "webhook-url", getenv("WEBHOOK_URL"), "notifications webhook (default $WEBHOOK_URL); the secret is read from $WEBHOOK_SECRET")
	c.webhookSecret = getenv("WEBHOOK_SECRET")
	fs.StringVar(&c.clearHolds, "clear-holds", envOr(getenv, "CLEAR_HOLDS_SPEC", defaultClearHolds), "cron spec of the expired-holds cleanup, or off")
	fs.StringVar(&c.importBusy, "import-calendars", envOr(getenv, "BUSY_IMPORT_SPEC", importer.DefaultSpec), "cron spec of the busy-calendar import, or off")
	fs.StringVar(&c.nightly, "nightly-plan", envOr(getenv, "NIGHTLY_PLAN_SPEC", defaultNightly), "cron spec of the nightly plan, or off")
	weeks, err := strconv.Atoi(envOr(getenv, "NIGHTLY_PLAN_WEEKS", strconv.Itoa(defaultNightlyWeeks)))
	if err != nil {
		weeks = -1 // reported by check
	}
	fs.IntVar(&c.nightlyWeeks, "nightly-weeks", weeks, "weeks the nightly plan covers, from tomorrow")
	limit, err := time.ParseDuration(envOr(getenv, "NIGHTLY_PLAN_TIME_LIMIT", defaultNightlyLimit.String()))
	if err != nil {
		limit = -1
	}
	fs.DurationVar(&c.nightlyLimit, "nightly-time-limit", limit, "solver time limit of the nightly plan")
	reqLimit, err := time.ParseDuration(envOr(getenv, "REQUEST_TIMEOUT", api.RequestTimeout.String()))
	if err != nil {
		reqLimit = -1
	}
	fs.DurationVar(&c.requestLimit, "request-timeout", reqLimit, "time limit of a request, database calls included (instance import and export: 2m)")
	fs.StringVar(&c.metricsAddr, "metrics-addr", getenv("METRICS_ADDR"), "serve /metrics on this address (e.g. 127.0.0.1:9090) instead of the public one (default $METRICS_ADDR)")
	fs.StringVar(&c.smtpURL, "smtp-url", getenv("SMTP_URL"), "mail server: smtp://host:port (STARTTLS when offered), smtp://user:pass@host:587 (STARTTLS required) or smtps://user:pass@host:465 (default $SMTP_URL; none: mails wait in the outbox)")
	fs.StringVar(&c.mailFrom, "mail-from", envOr(getenv, "MAIL_FROM", "interviews@localhost"), "sender address of mails (default $MAIL_FROM)")
	fs.StringVar(&c.publicURL, "public-url", getenv("PUBLIC_URL"), "public base URL of the links in mails, e.g. https://interviews.example (default $PUBLIC_URL; none: http://localhost and the port)")
	fs.BoolVar(&c.solveInProcess, "solve-in-process", getenv("SOLVE_IN_PROCESS") == "1", "solve plans and scenarios in the server's own process (default $SOLVE_IN_PROCESS=1; otherwise in a child process at the lowest CPU priority, so that requests come first)")
	fs.StringVar(&c.mailHelo, "mail-helo", getenv("MAIL_HELO"), "the name this server gives the mail server in EHLO (default $MAIL_HELO; none: the host of the public URL)")
	fs.StringVar(&c.retention, "retention", envOr(getenv, "RETENTION_SPEC", scheduler.DefaultRetentionSpec),
		"cron spec of the retention, which erases the personal data of interviews past settings.retention (default $RETENTION_SPEC, else nightly at 03:30), or off")
	fs.StringVar(&c.expire, "expire-requests", envOr(getenv, "EXPIRE_REQUESTS_SPEC", "* * * * *"), "cron spec of the expiry of unanswered interpreter requests, or off")
	fs.StringVar(&c.busyAllowList, "busy-calendar-allow", getenv("BUSY_CALENDAR_ALLOW"),
		"host names and CIDR ranges of the own network that busy calendars may be fetched from (default $BUSY_CALENDAR_ALLOW)")
	fs.StringVar(&c.proxiesText, "trusted-proxies", getenv("TRUSTED_PROXIES"),
		"addresses and CIDR ranges of the TLS proxies in front of this server, whose X-Forwarded-For and X-Forwarded-Proto are believed (default $TRUSTED_PROXIES; none: no header is believed)")
	c.oidc.flags(fs, getenv)
}

func (c *bgConfig) check() error {
	if c.requestLimit < time.Second || c.requestLimit > api.ImportTimeout {
		return fmt.Errorf("-request-timeout (REQUEST_TIMEOUT) must be a duration from 1s to %s", api.ImportTimeout)
	}
	l, err := importer.ParseAllowList(c.busyAllowList)
	if err != nil {
		return fmt.Errorf("-busy-calendar-allow (BUSY_CALENDAR_ALLOW): %v", err)
	}
	c.busyAllow = l
	if c.proxies, err = clientaddr.Parse(c.proxiesText); err != nil {
		return fmt.Errorf("-trusted-proxies: %v", err)
	}
	if c.webhookURL != "" && c.webhookSecret == "" {
		return errors.New("WEBHOOK_SECRET must be set with a webhook URL: deliveries are signed")
	}
	if c.smtpURL != "" {
		if _, err := mail.NewSender(c.smtpURL, c.mailFrom); err != nil {
			return fmt.Errorf("-smtp-url (SMTP_URL): %v", err)
		}
	}
	if a, err := netmail.ParseAddress(c.mailFrom); err != nil || a.Address != c.mailFrom {
		return fmt.Errorf("-mail-from (MAIL_FROM) %q is not a plain e-mail address", c.mailFrom)
	}
	if c.publicURL != "" {
		u, err := url.Parse(c.publicURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return fmt.Errorf("-public-url (PUBLIC_URL) %q is not an http(s) URL", c.publicURL)
		}
	}
	if c.mailHelo != "" && !heloRe.MatchString(c.mailHelo) {
		return fmt.Errorf("-mail-helo (MAIL_HELO) %q is not a host name", c.mailHelo)
	}
	if err := c.oidc.check(); err != nil {
		return err
	}
	if err := scheduler.CheckSpec(c.expire); err != nil {
		return fmt.Errorf("-expire-requests (EXPIRE_REQUESTS_SPEC) %q: %v", c.expire, err)
	}
	if err := scheduler.CheckSpec(c.retention); err != nil {
		return fmt.Errorf("-retention (RETENTION_SPEC) %q: %v", c.retention, err)
	}
	if err := scheduler.CheckSpec(c.clearHolds); err != nil {
		return fmt.Errorf("-clear-holds (CLEAR_HOLDS_SPEC) %q: %v", c.clearHolds, err)
	}
	if err := scheduler.CheckSpec(c.importBusy); err != nil {
		return fmt.Errorf("-import-calendars (BUSY_IMPORT_SPEC) %q: %v", c.importBusy, err)
	}
	if err := scheduler.CheckSpec(c.nightly); err != nil {
		return fmt.Errorf("-nightly-plan (NIGHTLY_PLAN_SPEC) %q: %v", c.nightly, err)
	}
	if c.nightlyWeeks < 1 || c.nightlyWeeks*7 > scheduler.MaxPlanDays {
		return fmt.Errorf("-nightly-weeks (NIGHTLY_PLAN_WEEKS) must be a whole number from 1 to %d", scheduler.MaxPlanDays/7)
	}
	if c.nightlyLimit < 0 || c.nightlyLimit > scheduler.MaxPlanTimeLimit {
		return fmt.Errorf("-nightly-time-limit (NIGHTLY_PLAN_TIME_LIMIT) must be a duration from 0s to %s", scheduler.MaxPlanTimeLimit)
	}
	return nil
}

func specOf(s string) string {
	if s == "off" {
		return ""
	}
	return s
}

// newJobs makes the scheduled jobs (not started yet): the expiry of
// requests and the reminders, the expired-holds cleanup, the busy-calendar
// import, the nightly plan and the retention.
func newJobs(db *postgres.DB, planner *scheduler.Planner, portal *scheduler.Portal, retention *scheduler.Retention, c bgConfig,
	obs scheduler.Observer, log *slog.Logger) (*scheduler.Jobs, error) {
	jobs := scheduler.NewJobs(db, log, time.Now, scheduler.WithObserver(obs))
	if err := jobs.Add(scheduler.ExpireRequestsJob(portal, specOf(c.expire))); err != nil {
		return nil, err
	}
	// Reminder mails are queued on the expiry's schedule (every minute).
	if err := jobs.Add(scheduler.RemindersJob(db, time.Now, specOf(c.expire))); err != nil {
		return nil, err
	}
	if err := jobs.Add(scheduler.ClearHoldsJob(db, time.Now, specOf(c.clearHolds), keepJobRuns)); err != nil {
		return nil, err
	}
	// Busy-calendar import (calendars/importer), with the operator's allow-list.
	im := importer.New(db, log, time.Now)
	im.Client = importer.SafeClient(c.busyAllow.Allows)
	if err := jobs.Add(im.Job(specOf(c.importBusy))); err != nil {
		return nil, err
	}
	if err := jobs.Add(scheduler.NightlyPlanJob(planner, specOf(c.nightly), c.nightlyWeeks, c.nightlyLimit)); err != nil {
		return nil, err
	}
	if err := jobs.Add(retention.Job(specOf(c.retention))); err != nil {
		return nil, err
	}
	return jobs, nil
}

// startBackground marks failed what a stopped server left running, starts
// the scheduled jobs and the outbox worker, and returns the function that
// stops them and the server's plans (after the HTTP server has stopped).
func startBackground(ctx context.Context, db *postgres.DB, planner *scheduler.Planner, jobs *scheduler.Jobs, mailer *scheduler.Mailer,
	c bgConfig, log *slog.Logger) (func(), error) {
	if _, err := planner.Recover(ctx); err != nil {
		return nil, fmt.Errorf("plans: %w", err)
	}
	if n, err := db.FailStaleJobRuns(ctx); err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	} else if n > 0 {
		log.Warn("job runs left running by a stopped server marked failed", "runs", n)
	}
	st, err := db.Settings(ctx)
	if err != nil {
		return nil, err
	}
	loc, err := time.LoadLocation(st.Timezone)
	if err != nil {
		loc = time.UTC
	}
	if err := jobs.Start(loc); err != nil {
		return nil, err
	}

	octx, stopOutbox := context.WithCancel(context.Background())
	outboxDone := make(chan struct{})
	if c.webhookURL != "" {
		ob := scheduler.NewOutbox(db, log, time.Now, c.webhookURL, []byte(c.webhookSecret))
		go func() { defer close(outboxDone); ob.Run(octx) }()
		log.Info("delivering notifications to the webhook")
	} else {
		close(outboxDone)
		log.Warn("no webhook URL: notifications wait in the outbox")
	}
	mailDone := make(chan struct{})
	if mailer != nil {
		go func() { defer close(mailDone); mailer.Run(octx) }()
		log.Info("delivering mail", "server", mailer.Server())
	} else {
		close(mailDone)
		log.Warn("no mail server (SMTP_URL): mails wait in the outbox and sign-in links cannot be sent")
	}
	return func() {
		sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := jobs.Stop(sctx); err != nil {
			log.Error("stopping jobs", "error", err.Error())
		}
		if err := planner.Close(sctx); err != nil {
			log.Error("stopping plans", "error", err.Error())
		}
		stopOutbox()
		for _, done := range []chan struct{}{outboxDone, mailDone} {
			select {
			case <-done:
			case <-sctx.Done():
			}
		}
	}, nil
}
