package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/asylum-scheduling/interviews/api"
	"github.com/asylum-scheduling/interviews/internal/mail"
	"github.com/asylum-scheduling/interviews/internal/metrics"
	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/scheduler"
	"github.com/asylum-scheduling/interviews/web"
	"github.com/asylum-scheduling/interviews/web/staff"
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
	if !c.solveInProcess {
		// Solver work yields to people: plans and scenarios solve in a
		// child process (this executable) at the lowest CPU priority.
		// Without its own executable (no /proc) it solves in-process
		// rather than not start.
		if exe, err := os.Executable(); err != nil {
			log.Warn("plans and scenarios solve in the server's process: its executable cannot be found", "error", err.Error())
		} else {
			cs := &scheduler.ChildSolver{Path: exe}
			planner.Solve, planner.RunScenario, planner.ProcsPerRun = cs.Solve, cs.Scenario, -1
		}
	}
	mailer, signin, err := newMail(ctx, db, c, m, log)
	if err != nil {
		return nil, err
	}
	portal := scheduler.NewPortal(ctx, db, booking, log, time.Now, c.publicURL, signin)
	// One sign-in budget for every sign-in route: staff and portal, pages and API.
	gate := scheduler.NewSigninGate()
	portal.UseSigninGate(gate)
	retention := scheduler.NewRetention(db, time.Now)
	jobs, err := newJobs(db, planner, portal, retention, c, m, log)
	if err != nil {
		return nil, err
	}
	access := scheduler.NewAccessLog(db, log, time.Now)
	records := scheduler.NewRecords(db)
	apiHandler := api.New(api.Deps{Store: db, Records: records, Booking: booking, Planner: planner, Jobs: jobs,
		Feeds: api.NewFeedService(api.FeedOptions{}), Portal: portal, Metrics: m, MetricsElsewhere: c.metricsAddr != "",
		Log: log, RequestTimeout: c.requestLimit, Proxies: c.proxies, Access: access, Retention: retention})
	pages := web.New(web.Config{DB: db, Booking: booking, Plans: planner, Portal: portal, API: apiHandler, Log: log,
		RequestTimeout: c.requestLimit, OIDC: c.oidc.config(c.publicURL), TokenSignin: c.oidc.tokenSignin == "on",
		SigninGate: gate, Proxies: c.proxies, Access: access, Records: records})
	if c.oidc.issuer != "" {
		log.Info("web: staff sign in with OpenID", "issuer", c.oidc.issuer, "client_id", c.oidc.clientID,
			"token_signin", c.oidc.tokenSignin == "on")
	}
	stopBG, err := startBackground(ctx, db, planner, jobs, mailer, c, log)
	if err != nil {
		return nil, err
	}
	// The access log's writer stops last (stop runs after the HTTP server
	// has shut down): the reads of the last requests are written too.
	actx, stopAccess := context.WithCancel(context.Background())
	accessDone := make(chan struct{})
	go func() { defer close(accessDone); access.Run(actx) }()
	stop := func() {
		stopBG()
		stopAccess()
		<-accessDone
	}
	return &server{handler: pages, metrics: apiHandler.MetricsHandler(), stop: stop}, nil
}

// newMail builds the mail delivery and the sign-in mailer from SMTP_URL;
// without one both are nil (mails wait in the outbox).
func newMail(ctx context.Context, db *postgres.DB, c bgConfig, obs scheduler.Observer, log *slog.Logger) (*scheduler.Mailer, scheduler.SigninMailer, error) {
	if c.smtpURL == "" {
		return nil, nil, nil
	}
	sender, err := mail.NewSender(c.smtpURL, c.mailFrom, mail.WithLocalName(c.helo()))
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
	mailer := scheduler.NewMailer(db, log, time.Now, sender, c.mailFrom, c.publicURL)
	mailer.Observer = obs
	return mailer, scheduler.SigninMail(sender, c.mailFrom, loc), nil
}

// oidcSettings configure the staff's sign-in with the agency's OpenID
// provider. The client secret comes from the environment only, and is never
// logged.
type oidcSettings struct {
	issuer, clientID, clientSecret string
	roleClaim, roleMapText         string
	scopes                         string // OIDC_SCOPES
	roleMap                        map[string]resources.Role
	tokenSignin                    string // WEB_TOKEN_SIGNIN: on or off ("": on without a provider)
}

func (o *oidcSettings) flags(fs *flag.FlagSet, getenv func(string) string) {
	fs.StringVar(&o.issuer, "oidc-issuer", getenv("OIDC_ISSUER"), "issuer URL of the OpenID provider staff sign in with (default $OIDC_ISSUER; none: sign-in with API tokens); the client secret is read from $OIDC_CLIENT_SECRET")
	fs.StringVar(&o.clientID, "oidc-client-id", getenv("OIDC_CLIENT_ID"), "client id at the OpenID provider (default $OIDC_CLIENT_ID)")
	o.clientSecret = getenv("OIDC_CLIENT_SECRET")
	fs.StringVar(&o.roleClaim, "oidc-role-claim", envOr(getenv, "OIDC_ROLE_CLAIM", "groups"), "claim of the ID token with the user's groups or roles (default $OIDC_ROLE_CLAIM or groups)")
	fs.StringVar(&o.roleMapText, "oidc-role-map", getenv("OIDC_ROLE_MAP"), "values of the role claim and the roles they give, e.g. migri-clerks=clerk,migri-managers=manager,migri-admins=admin (default $OIDC_ROLE_MAP)")
	fs.StringVar(&o.scopes, "oidc-scopes", envOr(getenv, "OIDC_SCOPES", strings.Join(staff.DefaultScopes, " ")), "scopes asked for at sign-in, separated by spaces (default $OIDC_SCOPES or \"openid profile email\"; Dex sends groups only with \"groups\")")
	fs.StringVar(&o.tokenSignin, "web-token-signin", getenv("WEB_TOKEN_SIGNIN"), "on: the pages also take API tokens when an OpenID provider is configured (default $WEB_TOKEN_SIGNIN; off with a provider)")
}

func (o *oidcSettings) check() error {
	if o.tokenSignin != "" && o.tokenSignin != "on" && o.tokenSignin != "off" {
		return fmt.Errorf("-web-token-signin (WEB_TOKEN_SIGNIN) must be on or off, not %q", o.tokenSignin)
	}
	if o.issuer == "" {
		if o.clientID != "" || o.roleMapText != "" {
			return errors.New("-oidc-issuer (OIDC_ISSUER) must be set with a client id or role map")
		}
		if o.tokenSignin == "off" {
			return errors.New("-web-token-signin (WEB_TOKEN_SIGNIN) off needs an OpenID provider (OIDC_ISSUER): nobody could sign in")
		}
		return nil
	}
	u, err := url.Parse(o.issuer)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("-oidc-issuer (OIDC_ISSUER) %q is not an http(s) URL", o.issuer)
	}
	if o.clientID == "" || o.clientSecret == "" {
		return errors.New("-oidc-client-id (OIDC_CLIENT_ID) and OIDC_CLIENT_SECRET must be set with an OpenID provider")
	}
	if strings.TrimSpace(o.roleClaim) == "" {
		return errors.New("-oidc-role-claim (OIDC_ROLE_CLAIM) must not be empty")
	}
	if o.roleMap, err = staff.ParseRoleMap(o.roleMapText); err != nil {
		return fmt.Errorf("-oidc-role-map (OIDC_ROLE_MAP): %v", err)
	}
	return nil
}

// config is the pages' OpenID configuration (nil: none); the provider
// sends users back to publicURL/auth/callback.
func (o *oidcSettings) config(publicURL string) *web.OIDCConfig {
	if o.issuer == "" {
		return nil
	}
	return &web.OIDCConfig{Issuer: o.issuer, ClientID: o.clientID, ClientSecret: o.clientSecret,
		RedirectURL: strings.TrimSuffix(publicURL, "/") + "/auth/callback", RoleClaim: o.roleClaim, RoleMap: o.roleMap,
		Scopes: staff.ParseScopes(o.scopes)}
}
