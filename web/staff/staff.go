// Package staff is the server-rendered user interface for booking clerks
// and interview managers: sign-in with an API token or the agency's OpenID
// provider, the queue of pending interviews, a case page with ranked
// suggestions (hold, book, reschedule, cancel), a week planner per office,
// batch plans, what-if scenarios, interpreter shortages and a person's page.
//
// Pages are plain HTML (html/template, embedded, in fi, sv and en); forms
// post. Every form carries the session's CSRF token and every post is
// checked for its origin (web/session); the session is a random id in a
// Secure, HttpOnly, SameSite=Lax cookie, and the server keeps only its
// SHA-256. No applicant's name is ever shown: interviews are named by
// their opaque references.
package staff

import (
	"context"
	"embed"
	"errors"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/asylum-scheduling/interviews/internal/clientaddr"
	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/internal/i18n"
	"github.com/asylum-scheduling/interviews/internal/ratelimit"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/scheduler"
	"github.com/asylum-scheduling/interviews/web/page"
	websession "github.com/asylum-scheduling/interviews/web/session"
)

//go:embed templates/*.html
var templateFS embed.FS

// Config is what the staff pages need.
type Config struct {
	// Store is the store, read-only (Store); Sessions the staff's
	// sessions' own part of it. Both are required; cmd/interviewd passes
	// the one *postgres.DB for both.
	Store    Store
	Sessions websession.StaffStore
	// Booking is the booking workflow (suggestions, holds, bookings): the
	// API's, so that suggestion ids work in both. Required.
	Booking *scheduler.Service
	// Plans runs batch plans: the API's. Required.
	Plans *scheduler.Planner
	Log   *slog.Logger
	Now   func() time.Time
	// FeedBaseURL is the public base URL of calendar subscription links
	// (default: from the request).
	FeedBaseURL string
	// SessionTTL is how long a session lives without use (default 8 h);
	// SessionMax how long it lives at most (default 12 h).
	SessionTTL, SessionMax time.Duration
	// OIDC signs staff in with the agency's OpenID provider; nil: none.
	OIDC *OIDCConfig
	// TokenSignin keeps sign-in with an API token on beside OIDC
	// (WEB_TOKEN_SIGNIN=on). Without OIDC token sign-in is always on.
	TokenSignin bool
	// SigninGate is the budget of sign-in attempts per client and for the
	// server, shared with the portal's links (nil: one of its own).
	SigninGate *ratelimit.Gate
	// Proxies are the trusted proxies whose X-Forwarded-* headers tell the
	// client's address and scheme (TRUSTED_PROXIES); zero: none.
	Proxies clientaddr.Proxies
	// Access records the staff's reads of personal data (access.go);
	// nil: not recorded.
	Access *scheduler.AccessLog
	// Records serves a person's data on request to admins on the
	// person's page (person_data.go): the API's. Nil: the pages offer
	// none (the API still does).
	Records *scheduler.Records
}

// Handler serves the staff pages (see Mount).
type Handler struct {
	// store is read-only: a page changes state through the scheduler's
	// services (booking, plans), never here.
	store      Store
	booking    *scheduler.Service
	plans      *scheduler.Planner
	feedBase   string
	sessionMax time.Duration
	log        *slog.Logger
	now        func() time.Time
	sessions   *websession.Staff
	oidc       *oidcClient // nil: no OpenID provider
	// tokenSignin: the sign-in form takes API tokens
	tokenSignin bool
	// sign-in attempts per client address and for the whole server
	signinGate *ratelimit.Gate
	proxies    clientaddr.Proxies
	pages      map[string]map[string]*template.Template // by locale, then name
	access     *scheduler.AccessLog                     // reads of personal data; nil: not recorded
	records    *scheduler.Records                       // a person's data on request; nil: not on the pages
}

// New returns the staff pages.
func New(cfg Config) *Handler {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.NewJSONHandler(io.Discard, nil))
	}
	if cfg.Store == nil || cfg.Sessions == nil || cfg.Booking == nil || cfg.Plans == nil {
		panic("staff.New: Store, Sessions, Booking and Plans are required")
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 8 * time.Hour
	}
	if cfg.SessionMax <= 0 {
		cfg.SessionMax = 12 * time.Hour
	}
	h := &Handler{store: cfg.Store, booking: cfg.Booking, plans: cfg.Plans, feedBase: cfg.FeedBaseURL, sessionMax: cfg.SessionMax,
		log: cfg.Log, now: cfg.Now, access: cfg.Access, records: cfg.Records,
		sessions:   websession.NewStaff(cfg.Sessions, cfg.Now, cfg.SessionTTL, cfg.SessionMax),
		signinGate: cfg.SigninGate, proxies: cfg.Proxies}
	if h.signinGate == nil {
		h.signinGate = scheduler.NewSigninGate()
	}
	if cfg.OIDC != nil {
		h.oidc = newOIDCClient(*cfg.OIDC)
	}
	h.tokenSignin = cfg.OIDC == nil || cfg.TokenSignin
	h.pages = parsePages()
	return h
}

// Mount mounts the staff pages on r: sign-in, sign-out and the language
// switch, the clerks' pages, the managers' and the admins'.
func (h *Handler) Mount(r chi.Router) {
	r.Group(func(r chi.Router) {
		r.Use(websession.SameOrigin(h.refuse), h.loadSession)
		r.Get("/lang/{lang}", h.staffLang)
		r.Get("/signin", h.signinForm)
		r.Post("/signin", h.signin)
		r.Get("/auth/login", h.oidcLogin)
		r.Get("/auth/callback", h.oidcCallback)
		r.Group(func(r chi.Router) {
			r.Use(h.requireSession(resources.RoleClerk))
			r.Post("/signout", h.signout)
			r.Get("/", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/queue", http.StatusSeeOther) })
			r.With(h.reads(list(resources.AccessInterview))).Get("/queue", h.page(h.queue))
			r.With(h.reads(list(resources.AccessAttention))).Get("/attention", h.page(h.attention))
			r.With(h.reads(param(resources.AccessInterview, "id"))).Get("/cases/{id}", h.page(h.casePage))
			r.Post("/cases/{id}/hold", h.page(h.caseHold))
			r.Post("/cases/{id}/book", h.page(h.caseBook))
			r.Post("/cases/{id}/holds/{hold}/release", h.page(h.caseReleaseHold))
			r.Post("/cases/{id}/flag", h.page(h.caseFlag))
			r.Post("/attention/mails/{id}/retry", h.page(h.retryMail))
			r.Post("/bookings/{id}/reschedule", h.page(h.bookingReschedule))
			r.Post("/bookings/{id}/cancel", h.page(h.bookingCancel))
			r.Post("/bookings/{id}/meeting", h.page(h.bookingMeeting))
			r.With(h.reads(param(resources.AccessBooking, "id"))).Get("/bookings/{id}", h.page(h.bookingPage))
			r.With(h.reads(list(resources.AccessBooking))).Get("/planner", h.page(h.planner))
			r.Get("/shortages", h.page(h.shortages))
			r.With(h.reads(personSubject)).Get("/people/{kind}/{id}", h.page(h.person))
		})
		r.With(h.requireAuditor).Get("/access-log", h.page(h.accessPage)) // access.go
		r.Group(func(r chi.Router) {
			r.Use(h.requireSession(resources.RoleManager))
			r.Get("/plans", h.page(h.plansPage))
			r.With(h.reads(list(resources.AccessInterview))).Get("/flags", h.page(h.flagsPage))
			r.Post("/flags/{id}/resolve", h.page(h.flagResolve))
			r.Post("/plans", h.page(h.planStart))
			r.With(h.reads(list(resources.AccessBooking))).Get("/plans/{id}", h.page(h.planPage))
			r.Post("/plans/{id}/accept", h.page(h.planAccept))
			r.Post("/plans/{id}/cancel", h.page(h.planCancel))
			r.Get("/scenarios", h.page(h.scenariosPage))
			r.Post("/scenarios", h.page(h.scenarioStart))
			r.Get("/scenarios/{id}", h.page(h.scenarioPage))
			r.Get("/scenarios/{id}/csv", h.scenarioCSV)
			r.Get("/reports/automation", h.page(h.automationPage)) // reports.go
			r.Get("/reports/automation.csv", h.automationCSV)
			r.Post("/scenarios/{id}/cancel", h.page(h.scenarioCancel))
			r.Post("/people/{kind}/{id}/feeds", h.page(h.feedCreate))
			r.Post("/people/{kind}/{id}/feeds/{feed}/rotate", h.page(h.feedRotate))
			r.Post("/people/{kind}/{id}/feeds/{feed}/revoke", h.page(h.feedRevoke))
		})
		if h.records != nil {
			r.Group(func(r chi.Router) { // person_data.go
				r.Use(h.requireSession(resources.RoleAdmin))
				r.With(h.reads(exportSubject)).Get("/people/{kind}/{id}/export.json", h.personExport)
				r.Post("/people/{kind}/{id}/erase", h.page(h.personErase))
			})
		}
	})
}

// NotFound is the staff's page for a path no page has.
func (h *Handler) NotFound(w http.ResponseWriter, r *http.Request) {
	h.fail(w, r, errs.E(errs.NotFound, "%s", staffT(staffLocale(r), "err.notfound")))
}

// refuse answers a cross-origin post to a staff page (see
// websession.SameOrigin): it never reaches a handler, whatever its token.
func (h *Handler) refuse(w http.ResponseWriter, r *http.Request, _ error) {
	h.fail(w, r, errs.E(errs.Forbidden, "%s", staffT(staffLocale(r), "err.origin")))
}

// view is what every page template gets.
type view struct {
	L      string // the page's language: fi, sv or en
	Path   string // the page's path and query, for the language switch
	Title  string
	Nav    string // the current section, for aria-current
	User   *session
	CSRF   string
	Flash  string // a confirmation
	Error  string // a problem with what was just done
	Script string // a script of /static/ the page loads (deferred); "": none
	Status int    // the answer's status when not 200 (a refused form)
	Data   any
	Server time.Duration
	// Names are the display names of the rooms and people on the page, by
	// "room/ID", "interviewer/ID", "interpreter/ID" (see the who function).
	Names map[string]string
}

// pageFunc builds a page: the template name and its data, or an error.
type pageFunc func(w http.ResponseWriter, r *http.Request, v *view) (string, error)

// page adapts a pageFunc: it renders the template named, or the error page.
// A pageFunc that wrote a redirect returns "".
func (h *Handler) page(f pageFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		s := sessionFrom(r.Context())
		v := &view{User: s, L: staffLocale(r), Path: r.URL.RequestURI()}
		if s != nil {
			v.CSRF = s.CSRF
		}
		if s != nil {
			flash, err := h.sessions.PopFlash(r.Context(), s)
			if err != nil {
				h.fail(w, r, err)
				return
			}
			v.Flash = flash
		}
		name, err := f(w, r, v)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		if name == "" {
			return
		}
		v.Server = time.Since(start)
		status := http.StatusOK
		if v.Status != 0 {
			status = v.Status
		}
		h.render(w, r, status, name, v, start)
	}
}

func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, v *view, start time.Time) {
	if !i18n.Valid(v.L) {
		v.L = "en"
	}
	t := h.pages[v.L][name]
	if t == nil {
		h.log.Error("web: no template", "name", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var buf strings.Builder
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		h.log.Error("web: template", "name", name, "error", err.Error())
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Cache-Control", "no-store")
	hd.Set("Server-Timing", "app;dur="+strconv.FormatFloat(float64(time.Since(start).Microseconds())/1000, 'f', 1, 64))
	w.WriteHeader(status)
	io.WriteString(w, buf.String())
}

// fail renders an error page with the status of err's code; internal errors
// are logged and shown as a generic message.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	code := errs.CodeOf(err)
	msg := errs.MessageOf(err)
	l := staffLocale(r)
	if code == errs.Internal {
		if !errors.Is(err, context.Canceled) {
			h.log.Error("web: internal error", "route", page.RouteOf(r), "error", err.Error())
		}
		msg = staffT(l, "err.internal")
	}
	if code == errs.Unavailable {
		w.Header().Set("Retry-After", strconv.Itoa(errs.RetryAfter))
		msg = staffT(l, "err.unavailable")
	}
	s := sessionFrom(r.Context())
	title := http.StatusText(errs.Status(code))
	if l != "en" {
		title = staffT(l, "err.title")
	}
	v := &view{Title: title, User: s, Error: msg, L: l, Path: r.URL.RequestURI()}
	if s != nil {
		v.CSRF = s.CSRF
	}
	h.render(w, r, errs.Status(code), "error", v, time.Now())
}

// seeOther redirects after a successful post; the confirmation message is
// kept in the session for the next page (never in the URL, where anyone
// could write a message that looks like the server's).
func (h *Handler) seeOther(w http.ResponseWriter, r *http.Request, to, done string) {
	if s := sessionFrom(r.Context()); s != nil && done != "" {
		if err := h.sessions.SetFlash(r.Context(), s, done); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}
