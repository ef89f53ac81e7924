// Package portal serves the pages of the people outside the agency: sign-in
// by a link sent by e-mail, an interpreter's assignments (confirm, decline,
// step aside), absences, weekly pattern and calendar link, and a counsel's
// or representative's summons (acknowledge, ask for another time). Each
// person sees only their own: the service's queries are bounded by the
// session's person, so another person's booking is not found.
//
// Every state change goes through scheduler.Portal; the sessions and the
// form checks are web/session's, the pages load through web/page.
package portal

import (
	"context"
	"embed"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/asylum-scheduling/interviews/internal/clientaddr"
	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/internal/i18n"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/scheduler"
	"github.com/asylum-scheduling/interviews/web/page"
	"github.com/asylum-scheduling/interviews/web/session"
)

//go:embed templates/*.html
var templateFS embed.FS

// Config is what the portal needs.
type Config struct {
	// Service is the portal's service (sign-in, sessions, assignments,
	// absences, summons). Required.
	Service *scheduler.Portal
	Log     *slog.Logger
	Now     func() time.Time
	// FeedBaseURL is the public base URL of calendar subscription links
	// (default: from the request).
	FeedBaseURL string
	// Proxies are the trusted proxies whose X-Forwarded-* headers tell the
	// client's address and scheme (TRUSTED_PROXIES); zero: none.
	Proxies clientaddr.Proxies
}

// Handler serves /portal/... (see Mount).
type Handler struct {
	svc      *scheduler.Portal
	log      *slog.Logger
	now      func() time.Time
	feedBase string
	proxies  clientaddr.Proxies
	pages    map[string]*template.Template
}

// New returns the portal's pages.
func New(cfg Config) *Handler {
	if cfg.Service == nil {
		panic("portal.New: the service is required")
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.NewJSONHandler(io.Discard, nil))
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	funcs := template.FuncMap{"deref": func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}, "inc": func(i int) int { return i + 1 }}
	return &Handler{svc: cfg.Service, log: cfg.Log, now: cfg.Now, feedBase: cfg.FeedBaseURL, proxies: cfg.Proxies,
		pages: page.Load(templateFS, "templates", funcs)}
}

// view is what every portal template gets.
type view struct {
	L      string // locale: fi, sv or en
	Title  string
	Nav    string
	Person *resources.PortalSession
	CSRF   string
	Done   string // a confirmation's key (done.*)
	Error  string
	Path   string // the page's path, for the language switch
	Next   string // the sign-in page: where to go after sign-in (returnPath)
	Data   any
	status int // the answer's status (default 200)
}

// T translates key in the view's locale.
func (v *view) T(key string, args ...any) string { return tr(v.L, key, args...) }

// When writes an RFC 3339 instant in the view's locale.
func (v *view) When(s string) string {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return s
	}
	return i18n.FormatWhen(v.L, t)
}

// Span writes a start and an end in the view's locale.
func (v *view) Span(start, end string) string {
	s, err1 := time.Parse(time.RFC3339, start)
	e, err2 := time.Parse(time.RFC3339, end)
	if err1 != nil || err2 != nil {
		return start
	}
	return i18n.FormatSpan(v.L, s, e)
}

// AbsenceSpan writes an absence: whole days ("ma 4.1.2027 (koko päivä)",
// "ma 4.1.2027 – ke 6.1.2027 (koko päivä)") when it runs from midnight
// to midnight, otherwise as Span.
func (v *view) AbsenceSpan(start, end string) string {
	s, err1 := time.Parse(time.RFC3339, start)
	e, err2 := time.Parse(time.RFC3339, end)
	if err1 != nil || err2 != nil || !e.After(s) || !midnight(s) || !midnight(e) {
		return v.Span(start, end)
	}
	last := e.AddDate(0, 0, -1)
	if !last.After(s) {
		return i18n.FormatDate(v.L, s) + " (" + v.T("av.allday") + ")"
	}
	return i18n.FormatDate(v.L, s) + " – " + i18n.FormatDate(v.L, last) + " (" + v.T("av.allday") + ")"
}

// Day writes a local date (YYYY-MM-DD) in the view's locale.
func (v *view) Day(date string) string {
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return date
	}
	return i18n.FormatDate(v.L, t)
}

// Three numbers the rows of the proposals form.
func (v *view) Three() []int { return []int{1, 2, 3} }

// midnight: t is the start of its day (in its own offset).
func midnight(t time.Time) bool { return t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 }

// Language names an interview language in the view's locale.
func (v *view) Language(tag string) string { return i18n.LanguageName(v.L, tag) }

// Langs are the locales for the switch.
func (v *view) Langs() []string { return i18n.Locales }

// Mount mounts the portal's pages under /portal.
func (h *Handler) Mount(r chi.Router) {
	r.Route("/portal", func(r chi.Router) {
		r.Use(session.SameOrigin(h.refuse), session.LimitForm(session.MaxForm, h.tooLarge), h.loadSession)
		r.Get("/", h.handle(h.home))
		r.Post("/signin", h.handle(h.askLink))
		r.Get("/signin/{secret}", h.handle(h.linkPage))
		r.Post("/signin/{secret}", h.handle(h.signIn))
		r.Get("/lang/{lang}", h.switchLang)
		r.Group(func(r chi.Router) {
			r.Use(h.requireSession)
			r.Post("/signout", h.handle(h.signOut))
			r.Get("/assignments", h.handle(h.assignments))
			r.Get("/assignments/{id}", h.handle(h.assignment))
			r.Post("/assignments/{id}/confirm", h.handle(h.confirm))
			r.Post("/assignments/{id}/decline", h.handle(h.decline))
			r.Get("/absences", h.handle(h.absences))
			r.Post("/absences", h.handle(h.addAbsence))
			r.Post("/absences/{id}/delete", h.handle(h.deleteAbsence))
			r.Post("/feed", h.handle(h.feed))
			r.Post("/pattern", h.handle(h.pattern))
			r.Get("/summons", h.handle(h.summons))
			r.Get("/summons/{id}", h.handle(h.oneSummons))
			r.Post("/summons/{id}/acknowledge", h.handle(h.acknowledge))
			r.Post("/summons/{id}/change", h.handle(h.change))
		})
	})
}

type personKey struct{}

// loadSession puts the signed-in person, if any, in the context.
func (h *Handler) loadSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		secret := session.CookieValue(r, session.PortalCookie)
		if secret == "" {
			next.ServeHTTP(w, r)
			return
		}
		s, err := h.svc.Session(r.Context(), secret)
		if err != nil {
			if errs.CodeOf(err) != errs.Unauthorized {
				h.fail(w, r, err)
				return
			}
			session.SetCookie(w, session.PortalCookie, "", -1)
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), personKey{}, s)))
	})
}

func person(r *http.Request) *resources.PortalSession {
	s, _ := r.Context().Value(personKey{}).(*resources.PortalSession)
	return s
}

// requireSession sends those not signed in to the sign-in page and checks
// the CSRF token of every POST (the Origin is checked before:
// session.SameOrigin in mountPortal).
func (h *Handler) requireSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := person(r)
		if s == nil {
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				// Back here after sign-in (a mail's deep link).
				http.Redirect(w, r, "/portal/?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			h.fail(w, r, errs.E(errs.Unauthorized, "sign in first"))
			return
		}
		if r.Method == http.MethodPost && session.CheckToken(r, s.CSRF) != nil {
			h.fail(w, r, errs.E(errs.Forbidden, "%s", tr(page.Locale(r, s.Locale), "csrf")))
			return
		}
		next.ServeHTTP(w, r)
	})
}

type pageFunc func(w http.ResponseWriter, r *http.Request, v *view) (string, error)

func (h *Handler) newView(r *http.Request) *view {
	s := person(r)
	v := &view{Person: s, Path: r.URL.Path}
	personal := ""
	if s != nil {
		v.CSRF, personal = s.CSRF, s.Locale
	}
	v.L = page.Locale(r, personal)
	if d := r.URL.Query().Get("done"); d != "" && i18n.Portal.Has("done."+d) {
		v.Done = "done." + d
	}
	return v
}

func (h *Handler) handle(f pageFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		v := h.newView(r)
		name, err := f(w, r, v)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		if name != "" {
			status := v.status
			if status == 0 {
				status = http.StatusOK
			}
			h.render(w, status, name, v, start)
		}
	}
}

func (h *Handler) render(w http.ResponseWriter, status int, name string, v *view, start time.Time) {
	var buf strings.Builder
	if err := h.pages[name].ExecuteTemplate(&buf, "layout", v); err != nil {
		h.log.Error("portal: template", "name", name, "error", err.Error())
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Cache-Control", "no-store")
	hd.Set("Server-Timing", page.ServerTiming(float64(time.Since(start).Microseconds())/1000))
	w.WriteHeader(status)
	w.Write([]byte(buf.String()))
}

// fail shows an error in the person's language: not found, refused,
// or the service's message for invalid input.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	v := h.newView(r)
	v.Title = tr(v.L, "err.title")
	code := errs.CodeOf(err)
	switch code {
	case errs.NotFound:
		v.Error = tr(v.L, "notfound")
	case errs.Internal:
		h.log.Error("portal: internal error", "route", page.RouteOf(r), "error", err.Error())
		v.Error = "Something went wrong on the server. Try again later."
	case errs.Unavailable:
		w.Header().Set("Retry-After", strconv.Itoa(errs.RetryAfter))
		v.Error = "The service is not available just now. Try again in a moment."
	default:
		v.Error = errs.MessageOf(err)
	}
	h.render(w, errs.Status(code), "error", v, time.Now())
}

// refuse answers a cross-origin post (see session.SameOrigin).
func (h *Handler) refuse(w http.ResponseWriter, r *http.Request, _ error) {
	h.fail(w, r, errs.E(errs.Forbidden, "%s", tr(page.Locale(r, ""), "origin")))
}

// tooLarge answers a form over session.MaxForm.
func (h *Handler) tooLarge(w http.ResponseWriter, r *http.Request) {
	h.fail(w, r, errs.E(errs.TooLarge, "%s", tr(page.Locale(r, ""), "toolarge")))
}

// done redirects after a successful post, naming the confirmation.
func done(w http.ResponseWriter, r *http.Request, to, done string) (string, error) {
	http.Redirect(w, r, to+"?done="+url.QueryEscape(done), http.StatusSeeOther)
	return "", nil
}
