// Package web puts the server's pages together: the staff pages
// (web/staff) for booking clerks and interview managers, the portal
// (web/portal) for interpreters, counsels and representatives, the static
// files, and the API's paths passed on to the API. What every request gets
// is here too: a log line and metrics-free timing, security headers and a
// deadline. The two sides share web/session (cookies, CSRF and Origin
// checks) and web/page (the template loader, the language choice).
package web

import (
	"context"
	"embed"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/asylum-scheduling/interviews/internal/clientaddr"
	"github.com/asylum-scheduling/interviews/internal/httprec"
	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/internal/ratelimit"
	"github.com/asylum-scheduling/interviews/scheduler"
	"github.com/asylum-scheduling/interviews/web/page"
	"github.com/asylum-scheduling/interviews/web/portal"
	"github.com/asylum-scheduling/interviews/web/staff"
)

//go:embed static
var staticFS embed.FS

// OIDCConfig configures the staff's sign-in with the agency's OpenID
// provider (see staff.OIDCConfig).
type OIDCConfig = staff.OIDCConfig

// Config is what the pages need.
type Config struct {
	DB *postgres.DB
	// Booking is the booking workflow (suggestions, holds, bookings): the
	// API's, so that suggestion ids work in both. Required.
	Booking *scheduler.Service
	// Plans runs batch plans: the API's. Required.
	Plans *scheduler.Planner
	// API answers /v1/..., /feeds/..., /healthz, /readyz, /metrics and
	// /openapi.yaml.
	// Nil: those paths are not found.
	API http.Handler
	Log *slog.Logger
	Now func() time.Time
	// FeedBaseURL is the public base URL of calendar subscription links
	// (default: from the request).
	FeedBaseURL string
	// Portal serves the pages of interpreters and counsels (/portal/...);
	// nil: those pages are not found.
	Portal *scheduler.Portal
	// RequestTimeout limits each page request (default 30 s, as the API).
	RequestTimeout time.Duration
	// SessionTTL is how long a staff session lives without use (default
	// 8 h); SessionMax how long it lives at most (default 12 h).
	SessionTTL, SessionMax time.Duration
	// OIDC signs staff in with the agency's OpenID provider; nil: none.
	OIDC *OIDCConfig
	// TokenSignin keeps sign-in with an API token on beside OIDC
	// (WEB_TOKEN_SIGNIN=on). Without OIDC token sign-in is always on.
	TokenSignin bool
	// SigninGate is the sign-in budget the staff's sign-in shares with the
	// portal's links; nil: the Portal's (or, without one, a gate of its own).
	SigninGate *ratelimit.Gate
	// Proxies are the trusted proxies (TRUSTED_PROXIES); zero: none.
	Proxies clientaddr.Proxies
	// Access records the staff's reads of personal data; nil: not
	// recorded.
	Access *scheduler.AccessLog
	// Records serves a person's data on request (export, erasure) to
	// admins on the person's page: the API's. Nil: not on the pages.
	Records *scheduler.Records
}

// Handler serves the pages (and passes the API's paths to the API).
type Handler struct {
	// No store here: the staff pages get it read-only (staff.Store) and
	// their sessions' part through web/session; the portal, its service.
	api            http.Handler
	requestTimeout time.Duration
	log            *slog.Logger
	staff          *staff.Handler
	portal         *portal.Handler // nil: no portal
	router         chi.Router
}

// New returns the pages' handler.
func New(cfg Config) *Handler {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.NewJSONHandler(io.Discard, nil))
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = 30 * time.Second
	}
	if cfg.SigninGate == nil && cfg.Portal != nil {
		cfg.SigninGate = cfg.Portal.SigninGate()
	}
	h := &Handler{api: cfg.API, requestTimeout: cfg.RequestTimeout, log: cfg.Log}
	h.staff = staff.New(staff.Config{Store: cfg.DB, Sessions: cfg.DB, Booking: cfg.Booking, Plans: cfg.Plans, Log: cfg.Log, Now: cfg.Now,
		FeedBaseURL: cfg.FeedBaseURL, SessionTTL: cfg.SessionTTL, SessionMax: cfg.SessionMax, OIDC: cfg.OIDC,
		TokenSignin: cfg.TokenSignin, SigninGate: cfg.SigninGate, Proxies: cfg.Proxies, Access: cfg.Access,
		Records: cfg.Records})
	if cfg.Portal != nil {
		h.portal = portal.New(portal.Config{Service: cfg.Portal, Log: cfg.Log, Now: cfg.Now, FeedBaseURL: cfg.FeedBaseURL,
			Proxies: cfg.Proxies})
	}
	h.router = h.routes()
	return h
}

// headAsGet routes HEAD as GET, so that HEAD is answered wherever GET
// is, by the GET handler (net/http sends no body for HEAD). chi's GetHead
// misses the paths of a mounted router's own root ("/portal/"), where
// its look-ahead matches the mount's stub.
func headAsGet(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rctx := chi.RouteContext(r.Context()); rctx != nil && r.Method == http.MethodHead {
			rctx.RouteMethod = http.MethodGet
		}
		next.ServeHTTP(w, r)
	})
}

// pagesSource tells the services that a request came by the pages (their
// metrics count by route).
func pagesSource(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(scheduler.WithSource(r.Context(), scheduler.SourceWeb)))
	})
}

func (h *Handler) routes() chi.Router {
	r := chi.NewRouter()
	// HEAD is answered wherever GET is (link checkers): the GET page, no body.
	r.Use(h.observe, securityHeaders, h.deadline, headAsGet, pagesSource)
	static, _ := fs.Sub(staticFS, "static")
	r.Handle("/static/*", http.StripPrefix("/static/", cacheStatic(http.FileServer(http.FS(static)))))
	r.Get("/favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/static/favicon.svg", http.StatusMovedPermanently)
	})
	r.NotFound(h.staff.NotFound)
	if h.portal != nil {
		h.portal.Mount(r)
	}
	h.staff.Mount(r)
	return r
}

// apiPath reports whether path belongs to the API.
func apiPath(p string) bool {
	switch p {
	case "/v1", "/healthz", "/readyz", "/metrics", "/openapi.yaml":
		return true
	}
	return strings.HasPrefix(p, "/v1/") || strings.HasPrefix(p, "/feeds/")
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if apiPath(r.URL.Path) {
		if h.api == nil {
			http.NotFound(w, r)
			return
		}
		h.api.ServeHTTP(w, r)
		return
	}
	h.router.ServeHTTP(w, decodedPath(r))
}

// decodedPath makes the router match the decoded path: chi matches
// r.URL.RawPath when the client escaped a character (html/template escapes
// some in the pages' own links), and the id parameters would keep the
// escapes. Ids hold no '/' (solver.IDProblem).
func decodedPath(r *http.Request) *http.Request {
	if r.URL.RawPath == "" {
		return r
	}
	u := *r.URL
	u.RawPath = ""
	r2 := *r
	r2.URL = &u
	return &r2
}

// deadline limits each page request: a database that stops answering
// gets a readable 503 in time, not a page that never comes.
func (h *Handler) deadline(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), h.requestTimeout)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func cacheStatic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		next.ServeHTTP(w, r)
	})
}

// securityHeaders allows only the pages' own scripts and fetches, and
// forbids framing and foreign form targets.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}

// observe logs one line per request: the route pattern (never the path or
// query: they hold case references), status and duration.
func (h *Handler) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &httprec.Recorder{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				h.log.Error("web: panic", "route", page.RouteOf(r))
				if sw.Status == 0 {
					http.Error(sw, "internal error", http.StatusInternalServerError)
				}
			}
			status := sw.Status
			if status == 0 {
				status = http.StatusOK
			}
			h.log.Info("web request", "method", r.Method, "route", page.RouteOf(r), "status", status,
				"duration_ms", float64(time.Since(start).Microseconds())/1000)
		}()
		next.ServeHTTP(sw, r)
	})
}
