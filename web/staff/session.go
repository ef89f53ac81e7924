package staff

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/web/page"
	websession "github.com/asylum-scheduling/interviews/web/session"
)

// session is a signed-in member of staff (web/session keeps the staff's
// sessions: websession.Staff).
type session = websession.StaffUser

type ctxKey int

const keySession ctxKey = 0

func sessionFrom(ctx context.Context) *session {
	s, _ := ctx.Value(keySession).(*session)
	return s
}

// loadSession puts the request's session, if any, in its context. The
// token behind it is checked on every request (websession.Staff.Get): a
// revoked token (or one whose role changed) ends the session at once.
func (h *Handler) loadSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(websession.StaffCookie)
		if err != nil {
			next.ServeHTTP(w, r)
			return
		}
		s, err := h.sessions.Get(r.Context(), c.Value)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		if s == nil {
			websession.SetCookie(w, websession.StaffCookie, "", -1)
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), keySession, s)))
	})
}

// requireSession sends those without a session to the sign-in page, refuses
// roles below min, and checks the CSRF token of every POST (the Origin is
// checked before: websession.SameOrigin in routes).
func (h *Handler) requireSession(min resources.Role) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s := sessionFrom(r.Context())
			if s == nil {
				if r.Method == http.MethodGet || r.Method == http.MethodHead {
					http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
					return
				}
				h.fail(w, r, errs.E(errs.Unauthorized, "%s", staffT(staffLocale(r), "si.ended")))
				return
			}
			if s.Role.Rank() < min.Rank() {
				l := staffLocale(r)
				h.fail(w, r, errs.E(errs.Forbidden, "%s", staffT(l, "si.role", staffT(l, "role."+string(min)), staffT(l, "role."+string(s.Role)))))
				return
			}
			if r.Method == http.MethodPost && websession.CheckToken(r, s.CSRF) != nil {
				h.fail(w, r, errs.E(errs.Forbidden, "%s", staffT(staffLocale(r), "si.csrf")))
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// safeNext returns a local path to go to after signing in.
func safeNext(next string) string {
	p, ok := page.LocalPath(next)
	if !ok || strings.HasPrefix(p, "/signin") || strings.HasPrefix(p, "/signout") || strings.HasPrefix(p, "/auth/") {
		return "/queue"
	}
	return p
}

type signinData struct {
	Next string
	// Provider is the OpenID provider's name ("": none); Tokens: the form
	// takes API tokens.
	Provider string
	Tokens   bool
}

func (h *Handler) signinForm(w http.ResponseWriter, r *http.Request) {
	if sessionFrom(r.Context()) != nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	h.renderSignin(w, r, http.StatusOK, "")
}

func (h *Handler) renderSignin(w http.ResponseWriter, r *http.Request, status int, problem string) {
	csrf := websession.NewSecret()
	websession.SetCookie(w, websession.SigninCookie, csrf, 3600)
	next := r.URL.Query().Get("next")
	if r.Method == http.MethodPost {
		next = r.PostFormValue("next")
	}
	l := staffLocale(r)
	v := &view{Title: staffT(l, "si.title"), CSRF: csrf, Error: problem, L: l, Path: r.URL.RequestURI(), Data: signinData{Next: safeNext(next), Tokens: h.tokenSignin}}
	if h.oidc != nil {
		v.Data = signinData{Next: safeNext(next), Tokens: h.tokenSignin, Provider: h.oidc.cfg.Name}
	}
	if r.Method == http.MethodGet && r.URL.Query().Get("signed_out") != "" {
		v.Flash = staffT(l, "si.out")
	}
	h.render(w, r, status, "signin", v, time.Now())
}

func (h *Handler) signin(w http.ResponseWriter, r *http.Request) {
	if !h.tokenSignin {
		h.renderSignin(w, r, http.StatusForbidden, staffT(staffLocale(r), "si.tokenoff", h.oidc.cfg.Name))
		return
	}
	c, err := r.Cookie(websession.SigninCookie)
	if err != nil || websession.CheckToken(r, c.Value) != nil {
		h.renderSignin(w, r, http.StatusForbidden, staffT(staffLocale(r), "si.stale"))
		return
	}
	if wait, ok := h.signinAllowed(r); !ok {
		secs := int(wait.Seconds()) + 1
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		h.log.Warn("web: sign-in throttled", "client", h.proxies.Client(r))
		h.renderSignin(w, r, http.StatusTooManyRequests, staffT(staffLocale(r), "si.throttled", secs))
		return
	}
	token := strings.TrimSpace(r.PostFormValue("token"))
	if token == "" {
		h.renderSignin(w, r, http.StatusUnauthorized, staffT(staffLocale(r), "si.enter"))
		return
	}
	t, err := h.sessions.Authenticate(r.Context(), token)
	if err != nil {
		if errs.CodeOf(err) == errs.Unauthorized {
			h.log.Info("web: sign-in refused")
			h.renderSignin(w, r, http.StatusUnauthorized, staffT(staffLocale(r), "si.invalid"))
			return
		}
		h.fail(w, r, err)
		return
	}
	id, err := h.startSession(r, postgres.StaffByToken, strconv.FormatInt(t.ID, 10), t.Name, t.Role)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	websession.SetCookie(w, websession.StaffCookie, id, int(h.sessionMax/time.Second))
	websession.SetCookie(w, websession.SigninCookie, "", -1)
	h.log.Info("web: signed in", "token_id", t.ID, "role", string(t.Role))
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
}

// startSession opens a session and ends the one the browser had, if any
// (signing in again, maybe as someone else, leaves nothing behind).
func (h *Handler) startSession(r *http.Request, kind, subject, name string, role resources.Role) (string, error) {
	if c, err := r.Cookie(websession.StaffCookie); err == nil && c.Value != "" {
		if err := h.sessions.Delete(r.Context(), c.Value); err != nil {
			return "", err
		}
	}
	return h.sessions.Create(r.Context(), kind, subject, name, role)
}

// signout ends the session, or with everywhere=1 every session of the
// user (on every device).
func (h *Handler) signout(w http.ResponseWriter, r *http.Request) {
	if r.PostFormValue("everywhere") != "" {
		if s := sessionFrom(r.Context()); s != nil {
			n, err := h.sessions.DeleteAll(r.Context(), s)
			if err != nil {
				h.fail(w, r, err)
				return
			}
			h.log.Info("web: signed out everywhere", "kind", s.Kind, "sessions", n)
		}
	} else if c, err := r.Cookie(websession.StaffCookie); err == nil {
		if err := h.sessions.Delete(r.Context(), c.Value); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	websession.SetCookie(w, websession.StaffCookie, "", -1)
	http.Redirect(w, r, "/signin?signed_out=1", http.StatusSeeOther)
}

// signinAllowed takes one attempt from the sign-in gate (the client's
// budget and the server's, shared with the portal's links), or says how
// long to wait. A throttled attempt is refused before its token is looked
// at, so even the right token waits.
func (h *Handler) signinAllowed(r *http.Request) (time.Duration, bool) {
	ok, wait := h.signinGate.Allow(h.proxies.Client(r), h.now())
	return wait, ok
}
