package web

// portal.go serves the pages of the people outside the agency: sign-in by
// a link sent by e-mail, an interpreter's assignments (confirm, decline,
// step aside), absences and calendar link, and a counsel's or
// representative's summons (acknowledge, ask for another time). Each person
// sees only their own: the service's queries are bounded by the session's
// person, so another person's booking is not found.

import (
	"context"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/internal/mail"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/scheduler"
)

//go:embed portal/*.html
var portalFS embed.FS

const (
	portalCookie     = "__Host-ivportal"
	portalLangCookie = "__Host-ivlang"
)

// portalView is what every portal template gets.
type portalView struct {
	L      string // locale: fi, sv or en
	Title  string
	Nav    string
	Person *resources.PortalSession
	CSRF   string
	Done   string // a confirmation's key (done.*)
	Error  string
	Path   string // the page's path, for the language switch
	Data   any
	status int // the answer's status (default 200)
}

// T translates key in the view's locale.
func (v *portalView) T(key string, args ...any) string { return tr(v.L, key, args...) }

// When writes an RFC 3339 instant in the view's locale.
func (v *portalView) When(s string) string {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return s
	}
	return mail.FormatWhen(v.L, t)
}

// Span writes a start and an end in the view's locale.
func (v *portalView) Span(start, end string) string {
	s, err1 := time.Parse(time.RFC3339, start)
	e, err2 := time.Parse(time.RFC3339, end)
	if err1 != nil || err2 != nil {
		return start
	}
	return mail.FormatSpan(v.L, s, e)
}

// Language names an interview language in the view's locale.
func (v *portalView) Language(tag string) string { return mail.LanguageName(v.L, tag) }

// Langs are the locales for the switch.
func (v *portalView) Langs() []string { return portalLocales }

func parsePortalPages() map[string]*template.Template {
	funcs := template.FuncMap{"deref": func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}}
	base := template.Must(template.New("").Funcs(funcs).ParseFS(portalFS, "portal/layout.html"))
	names, err := portalFS.ReadDir("portal")
	if err != nil {
		panic(err)
	}
	out := map[string]*template.Template{}
	for _, n := range names {
		name := strings.TrimSuffix(n.Name(), ".html")
		if name == "layout" {
			continue
		}
		t := template.Must(base.Clone())
		template.Must(t.ParseFS(portalFS, "portal/"+n.Name()))
		out[name] = t
	}
	return out
}

// mountPortal mounts /portal/... when the portal service is configured.
func (h *Handler) mountPortal(r chi.Router) {
	if h.cfg.Portal == nil {
		return
	}
	r.Route("/portal", func(r chi.Router) {
		r.Use(h.portalSession)
		r.Get("/", h.portalPage(h.portalHome))
		r.Post("/signin", h.portalPage(h.portalAskLink))
		r.Get("/signin/{secret}", h.portalPage(h.portalLinkPage))
		r.Post("/signin/{secret}", h.portalPage(h.portalSignIn))
		r.Get("/lang/{lang}", h.portalLang)
		r.Group(func(r chi.Router) {
			r.Use(h.portalRequire)
			r.Post("/signout", h.portalPage(h.portalSignOut))
			r.Get("/assignments", h.portalPage(h.portalAssignments))
			r.Get("/assignments/{id}", h.portalPage(h.portalAssignment))
			r.Post("/assignments/{id}/confirm", h.portalPage(h.portalConfirm))
			r.Post("/assignments/{id}/decline", h.portalPage(h.portalDecline))
			r.Get("/absences", h.portalPage(h.portalAbsences))
			r.Post("/absences", h.portalPage(h.portalAddAbsence))
			r.Post("/absences/{id}/delete", h.portalPage(h.portalDeleteAbsence))
			r.Post("/feed", h.portalPage(h.portalFeed))
			r.Post("/pattern", h.portalPage(h.portalPattern))
			r.Get("/summons", h.portalPage(h.portalSummons))
			r.Get("/summons/{id}", h.portalPage(h.portalOneSummons))
			r.Post("/summons/{id}/acknowledge", h.portalPage(h.portalAcknowledge))
			r.Post("/summons/{id}/change", h.portalPage(h.portalChange))
		})
	})
}

type portalKey struct{}

// portalSession puts the signed-in person, if any, in the context.
func (h *Handler) portalSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		secret := cookieValue(r, portalCookie)
		if secret == "" {
			next.ServeHTTP(w, r)
			return
		}
		s, err := h.cfg.Portal.Session(r.Context(), secret)
		if err != nil {
			if errs.CodeOf(err) != errs.Unauthorized {
				h.portalFail(w, r, err)
				return
			}
			setCookie(w, portalCookie, "", -1)
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), portalKey{}, s)))
	})
}

func portalPerson(r *http.Request) *resources.PortalSession {
	s, _ := r.Context().Value(portalKey{}).(*resources.PortalSession)
	return s
}

// portalRequire sends those not signed in to the sign-in page and checks
// the CSRF token of every POST.
func (h *Handler) portalRequire(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := portalPerson(r)
		if s == nil {
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				http.Redirect(w, r, "/portal/", http.StatusSeeOther)
				return
			}
			h.portalFail(w, r, errs.E(errs.Unauthorized, "sign in first"))
			return
		}
		if r.Method == http.MethodPost {
			if err := scheduler.CheckCSRF(s, r.PostFormValue("csrf")); err != nil {
				h.portalFail(w, r, err)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

type portalFunc func(w http.ResponseWriter, r *http.Request, v *portalView) (string, error)

func (h *Handler) newPortalView(r *http.Request) *portalView {
	s := portalPerson(r)
	v := &portalView{Person: s, Path: r.URL.Path}
	personal := ""
	if s != nil {
		v.CSRF, personal = s.CSRF, s.Locale
	}
	v.L = portalLocale(r, personal)
	if d := r.URL.Query().Get("done"); d != "" && portalText["en"]["done."+d] != "" {
		v.Done = "done." + d
	}
	return v
}

func (h *Handler) portalPage(f portalFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		v := h.newPortalView(r)
		name, err := f(w, r, v)
		if err != nil {
			h.portalFail(w, r, err)
			return
		}
		if name != "" {
			status := v.status
			if status == 0 {
				status = http.StatusOK
			}
			h.portalRender(w, status, name, v, start)
		}
	}
}

func (h *Handler) portalRender(w http.ResponseWriter, status int, name string, v *portalView, start time.Time) {
	var buf strings.Builder
	if err := h.portalPages[name].ExecuteTemplate(&buf, "layout", v); err != nil {
		h.log.Error("portal: template", "name", name, "error", err.Error())
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Cache-Control", "no-store")
	hd.Set("Server-Timing", "app;dur="+strconv.FormatFloat(float64(time.Since(start).Microseconds())/1000, 'f', 1, 64))
	w.WriteHeader(status)
	w.Write([]byte(buf.String()))
}

// portalFail shows an error in the person's language: not found, refused,
// or the service's message for invalid input.
func (h *Handler) portalFail(w http.ResponseWriter, r *http.Request, err error) {
	v := h.newPortalView(r)
	v.Title = tr(v.L, "err.title")
	code := errs.CodeOf(err)
	switch code {
	case errs.NotFound:
		v.Error = tr(v.L, "notfound")
	case errs.Internal:
		h.log.Error("portal: internal error", "route", routeOf(r), "error", err.Error())
		v.Error = "Something went wrong on the server. Try again later."
	case errs.Unavailable:
		w.Header().Set("Retry-After", strconv.Itoa(errs.RetryAfter))
		v.Error = "The service is not available just now. Try again in a moment."
	default:
		v.Error = errs.MessageOf(err)
	}
	h.portalRender(w, errs.Status(code), "error", v, time.Now())
}

// portalDone redirects after a successful post, naming the confirmation.
func portalDone(w http.ResponseWriter, r *http.Request, to, done string) (string, error) {
	http.Redirect(w, r, to+"?done="+url.QueryEscape(done), http.StatusSeeOther)
	return "", nil
}

func (h *Handler) portalHome(w http.ResponseWriter, r *http.Request, v *portalView) (string, error) {
	if s := v.Person; s != nil {
		to := "/portal/assignments"
		if s.Role == resources.PortalCounsel {
			to = "/portal/summons"
		}
		http.Redirect(w, r, to, http.StatusSeeOther)
		return "", nil
	}
	v.Title = tr(v.L, "signin.title")
	return "signin", nil
}

// portalAskLink sends a sign-in link. The answer is the same whether the
// address is known or not.
func (h *Handler) portalAskLink(w http.ResponseWriter, r *http.Request, v *portalView) (string, error) {
	v.Title = tr(v.L, "signin.title")
	if _, ok := h.signinAllowed(r); !ok {
		// The same answer as ever: nothing tells an address from another.
		h.log.Info("portal: sign-in link refused: too many from one client")
		v.Data = "sent"
		return "signin", nil
	}
	if err := h.cfg.Portal.RequestLink(r.Context(), r.PostFormValue("email")); err != nil {
		if errs.CodeOf(err) == errs.Invalid {
			v.Error = errs.MessageOf(err)
			return "signin", nil
		}
		return "", err
	}
	v.Data = "sent"
	return "signin", nil
}

// portalLinkPage shows a button that spends the link: a mail scanner that
// fetches the link does not sign anyone in.
func (h *Handler) portalLinkPage(w http.ResponseWriter, r *http.Request, v *portalView) (string, error) {
	v.Title = tr(v.L, "signin.link")
	v.Data = chi.URLParam(r, "secret")
	return "link", nil
}

func (h *Handler) portalSignIn(w http.ResponseWriter, r *http.Request, v *portalView) (string, error) {
	secret, sess, err := h.cfg.Portal.SignIn(r.Context(), chi.URLParam(r, "secret"))
	if errs.CodeOf(err) == errs.Unauthorized {
		v.Title, v.Error, v.status = tr(v.L, "signin.title"), tr(v.L, "signin.bad"), http.StatusUnauthorized
		return "signin", nil
	}
	if err != nil {
		return "", err
	}
	setCookie(w, portalCookie, secret, int(time.Until(sess.ExpiresAt).Seconds()))
	http.Redirect(w, r, "/portal/", http.StatusSeeOther)
	return "", nil
}

func (h *Handler) portalSignOut(w http.ResponseWriter, r *http.Request, v *portalView) (string, error) {
	if err := h.cfg.Portal.SignOut(r.Context(), cookieValue(r, portalCookie)); err != nil {
		return "", err
	}
	setCookie(w, portalCookie, "", -1)
	http.Redirect(w, r, "/portal/", http.StatusSeeOther)
	return "", nil
}

// portalLang switches the language and goes back to the page (a portal
// page only).
func (h *Handler) portalLang(w http.ResponseWriter, r *http.Request) {
	l := chi.URLParam(r, "lang")
	if !valid(l) {
		h.portalFail(w, r, errs.E(errs.NotFound, "no such language"))
		return
	}
	setCookie(w, portalLangCookie, l, 365*24*3600)
	if s := portalPerson(r); s != nil {
		if err := h.cfg.Portal.SetLocale(r.Context(), cookieValue(r, portalCookie), l); err != nil {
			h.portalFail(w, r, err)
			return
		}
	}
	next := r.URL.Query().Get("next")
	if !strings.HasPrefix(next, "/portal/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		next = "/portal/"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// assignmentsData splits an interpreter's assignments into upcoming and past.
type assignmentsData struct {
	Upcoming, Past []resources.Assignment
	Reasons        []string
	FeedURL        string
}

func (h *Handler) portalAssignments(w http.ResponseWriter, r *http.Request, v *portalView) (string, error) {
	as, err := h.cfg.Portal.Assignments(r.Context(), v.Person)
	if err != nil {
		return "", err
	}
	d := assignmentsData{Reasons: []string{resources.DeclineUnavailable, resources.DeclineConflictOfInterest, resources.DeclineOther}}
	now := h.now()
	for _, a := range as {
		if end, err := time.Parse(time.RFC3339, a.End); err == nil && end.Before(now) {
			d.Past = append(d.Past, a)
		} else {
			d.Upcoming = append(d.Upcoming, a)
		}
	}
	slices.Reverse(d.Past)
	v.Title, v.Nav, v.Data = tr(v.L, "as.title"), "assignments", d
	return "assignments", nil
}

func (h *Handler) portalAssignment(w http.ResponseWriter, r *http.Request, v *portalView) (string, error) {
	id, err := pathID(r, "id", "assignment")
	if err != nil {
		return "", err
	}
	a, err := h.cfg.Portal.Assignment(r.Context(), v.Person, id)
	if err != nil {
		return "", err
	}
	v.Title, v.Nav = tr(v.L, "as.title"), "assignments"
	v.Data = assignmentsData{Upcoming: []resources.Assignment{*a},
		Reasons: []string{resources.DeclineUnavailable, resources.DeclineConflictOfInterest, resources.DeclineOther}}
	return "assignments", nil
}

func (h *Handler) portalConfirm(w http.ResponseWriter, r *http.Request, v *portalView) (string, error) {
	id, err := pathID(r, "id", "assignment")
	if err != nil {
		return "", err
	}
	if err := h.cfg.Portal.Confirm(r.Context(), v.Person, id); err != nil {
		return "", err
	}
	return portalDone(w, r, "/portal/assignments", "confirmed")
}

func (h *Handler) portalDecline(w http.ResponseWriter, r *http.Request, v *portalView) (string, error) {
	id, err := pathID(r, "id", "assignment")
	if err != nil {
		return "", err
	}
	if err := h.cfg.Portal.Decline(r.Context(), v.Person, id, r.PostFormValue("reason")); err != nil {
		return "", err
	}
	return portalDone(w, r, "/portal/assignments", "declined")
}

// absencesData are the person's absences, with the calendar link just made.
type absencesData struct {
	Absences []resources.Absence
	FeedURL  string
	Feed     bool // the person may have a calendar link (interpreters)
	// Pattern is the interpreter's weekly pattern (nil for counsels), with
	// three empty exception rows to fill.
	Pattern *resources.WeeklyPattern
}

func (h *Handler) portalAbsences(w http.ResponseWriter, r *http.Request, v *portalView) (string, error) {
	d, err := h.availabilityData(r, v)
	if err != nil {
		return "", err
	}
	v.Title, v.Nav, v.Data = tr(v.L, "av.title"), "availability", d
	return "absences", nil
}

// availabilityData reads the person's absences and, for an interpreter,
// their weekly pattern.
func (h *Handler) availabilityData(r *http.Request, v *portalView) (absencesData, error) {
	as, err := h.cfg.Portal.Absences(r.Context(), v.Person)
	if err != nil {
		return absencesData{}, err
	}
	d := absencesData{Absences: as, Feed: v.Person.Role == resources.PortalInterpreter}
	if d.Feed {
		if d.Pattern, err = h.cfg.Portal.Pattern(r.Context(), v.Person); err != nil {
			return d, err
		}
		d.Pattern.Exceptions = append(d.Pattern.Exceptions, make([]resources.Exception, 3)...)
	}
	return d, nil
}

// portalPattern saves the interpreter's weekly pattern from the form.
func (h *Handler) portalPattern(w http.ResponseWriter, r *http.Request, v *portalView) (string, error) {
	if err := r.ParseForm(); err != nil {
		return "", errs.E(errs.Invalid, "the form could not be read")
	}
	f := r.PostForm
	pat := resources.WeeklyPattern{From: f.Get("from"), Until: f.Get("until")}
	for i := range pat.Days {
		pat.Days[i] = resources.DayHours{Start: f.Get(fmt.Sprintf("day%d_start", i)), End: f.Get(fmt.Sprintf("day%d_end", i))}
	}
	for i, d := range f["exc_date"] {
		if strings.TrimSpace(d) == "" {
			continue
		}
		x := resources.Exception{Date: d}
		if i < len(f["exc_start"]) && i < len(f["exc_end"]) {
			x.Start, x.End = f["exc_start"][i], f["exc_end"][i]
		}
		pat.Exceptions = append(pat.Exceptions, x)
	}
	if err := h.cfg.Portal.SetPattern(r.Context(), v.Person, pat); err != nil {
		if errs.CodeOf(err) != errs.Invalid {
			return "", err
		}
		// Show the form again with what was typed and the problems.
		d, derr := h.availabilityData(r, v)
		if derr != nil {
			return "", derr
		}
		d.Pattern = &pat
		var msgs []string
		for _, fe := range errs.FieldsOf(err) {
			msgs = append(msgs, fe.Path+": "+fe.Message)
		}
		v.Title, v.Nav, v.Data, v.status = tr(v.L, "av.title"), "availability", d, http.StatusUnprocessableEntity
		v.Error = strings.Join(msgs, "; ")
		return "absences", nil
	}
	return portalDone(w, r, "/portal/absences", "pattern")
}

func (h *Handler) portalAddAbsence(w http.ResponseWriter, r *http.Request, v *portalView) (string, error) {
	if err := h.cfg.Portal.AddAbsence(r.Context(), v.Person, r.PostFormValue("start"), r.PostFormValue("end")); err != nil {
		return "", err
	}
	return portalDone(w, r, "/portal/absences", "absence")
}

func (h *Handler) portalDeleteAbsence(w http.ResponseWriter, r *http.Request, v *portalView) (string, error) {
	id, err := pathID(r, "id", "absence")
	if err != nil {
		return "", err
	}
	if err := h.cfg.Portal.DeleteAbsence(r.Context(), v.Person, id); err != nil {
		return "", err
	}
	return portalDone(w, r, "/portal/absences", "absence_deleted")
}

// portalFeed makes (or remakes) the interpreter's calendar link and shows it
// once.
func (h *Handler) portalFeed(w http.ResponseWriter, r *http.Request, v *portalView) (string, error) {
	token, err := h.cfg.Portal.RotateFeed(r.Context(), v.Person)
	if err != nil {
		return "", err
	}
	d, err := h.availabilityData(r, v)
	if err != nil {
		return "", err
	}
	d.FeedURL = h.feedURL(r, token)
	v.Title, v.Nav, v.Done, v.Data = tr(v.L, "av.title"), "availability", "done.feed", d
	return "absences", nil
}

func (h *Handler) portalSummons(w http.ResponseWriter, r *http.Request, v *portalView) (string, error) {
	ss, err := h.cfg.Portal.Summons(r.Context(), v.Person)
	if err != nil {
		return "", err
	}
	v.Title, v.Nav, v.Data = tr(v.L, "su.title"), "summons", ss
	return "summons", nil
}

func (h *Handler) portalOneSummons(w http.ResponseWriter, r *http.Request, v *portalView) (string, error) {
	id, err := pathID(r, "id", "summons")
	if err != nil {
		return "", err
	}
	ss, err := h.cfg.Portal.Summons(r.Context(), v.Person)
	if err != nil {
		return "", err
	}
	i := slices.IndexFunc(ss, func(s resources.Summons) bool { return s.Booking == id })
	if i < 0 {
		return "", errs.E(errs.NotFound, "summons %d not found", id)
	}
	v.Title, v.Nav, v.Data = tr(v.L, "su.title"), "summons", ss[i:i+1]
	return "summons", nil
}

func (h *Handler) portalAcknowledge(w http.ResponseWriter, r *http.Request, v *portalView) (string, error) {
	id, err := pathID(r, "id", "summons")
	if err != nil {
		return "", err
	}
	if err := h.cfg.Portal.Acknowledge(r.Context(), v.Person, id); err != nil {
		return "", err
	}
	return portalDone(w, r, "/portal/summons", "acknowledged")
}

func (h *Handler) portalChange(w http.ResponseWriter, r *http.Request, v *portalView) (string, error) {
	id, err := pathID(r, "id", "summons")
	if err != nil {
		return "", err
	}
	if err := r.ParseForm(); err != nil {
		return "", errs.E(errs.Invalid, "the form could not be read")
	}
	var dates []string
	for _, d := range r.PostForm["date"] {
		dates = append(dates, strings.FieldsFunc(d, func(c rune) bool { return c == ',' || c == ' ' })...)
	}
	if err := h.cfg.Portal.AskOtherTime(r.Context(), v.Person, id, r.PostFormValue("reason"), dates); err != nil {
		return "", err
	}
	return portalDone(w, r, "/portal/summons", "change")
}
