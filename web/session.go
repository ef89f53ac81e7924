package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
)

// Cookie names. The __Host- prefix makes browsers require Secure, Path=/ and
// no Domain: the cookie cannot be set by a sibling host or over plain HTTP
// (browsers treat localhost and 127.0.0.1 as secure, so `make run` works).
const (
	sessionCookie = "__Host-ivsession"
	signinCookie  = "__Host-ivsignin" // CSRF token of the sign-in form
)

// session is a signed-in user: the API token that signed in (its id, name
// and role; never the token itself) and the CSRF token of its forms.
type session struct {
	TokenID  int64
	Name     string
	Role     resources.Role
	CSRF     string
	key      [32]byte // the SHA-256 of its id
	flash    string   // a confirmation for the next page
	created  time.Time
	lastSeen time.Time
}

// Manager reports whether the session may use the managers' pages.
func (s *session) Manager() bool { return s != nil && s.Role.Rank() >= resources.RoleManager.Rank() }

// sessions keeps sessions in memory, by the SHA-256 of their id: a session
// id read from memory cannot be used as a cookie. A restart signs everyone
// out, which is acceptable for a tool people sign in to with a token.
type sessions struct {
	now      func() time.Time
	ttl, max time.Duration
	mu       sync.Mutex
	byHash   map[[32]byte]*session
	swept    time.Time
}

func newSessions(now func() time.Time, ttl, max time.Duration) *sessions {
	return &sessions{now: now, ttl: ttl, max: max, byHash: map[[32]byte]*session{}}
}

func randomToken() string {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// create starts a session and returns its id (for the cookie).
func (ss *sessions) create(t *resources.Token) (string, *session) {
	id := randomToken()
	now := ss.now()
	s := &session{TokenID: t.ID, Name: t.Name, Role: t.Role, CSRF: randomToken(), key: sha256.Sum256([]byte(id)),
		created: now, lastSeen: now}
	ss.mu.Lock()
	ss.byHash[s.key] = s
	ss.sweepLocked(now)
	ss.mu.Unlock()
	return id, s
}

// get returns the live session of id, or nil; it extends its life.
func (ss *sessions) get(id string) *session {
	if id == "" {
		return nil
	}
	k := sha256.Sum256([]byte(id))
	now := ss.now()
	ss.mu.Lock()
	defer ss.mu.Unlock()
	ss.sweepLocked(now)
	s := ss.byHash[k]
	if s == nil {
		return nil
	}
	if now.Sub(s.lastSeen) > ss.ttl || now.Sub(s.created) > ss.max {
		delete(ss.byHash, k)
		return nil
	}
	s.lastSeen = now
	cp := *s
	return &cp
}

// setFlash keeps a confirmation for the session's next page.
func (ss *sessions) setFlash(s *session, msg string) {
	ss.mu.Lock()
	if live := ss.byHash[s.key]; live != nil {
		live.flash = msg
	}
	ss.mu.Unlock()
}

// popFlash returns and forgets the session's confirmation.
func (ss *sessions) popFlash(s *session) string {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	live := ss.byHash[s.key]
	if live == nil {
		return ""
	}
	msg := live.flash
	live.flash = ""
	return msg
}

func (ss *sessions) delete(id string) {
	ss.mu.Lock()
	delete(ss.byHash, sha256.Sum256([]byte(id)))
	ss.mu.Unlock()
}

// deleteToken ends every session of a token (revoked).
func (ss *sessions) deleteToken(tokenID int64) {
	ss.mu.Lock()
	for k, s := range ss.byHash {
		if s.TokenID == tokenID {
			delete(ss.byHash, k)
		}
	}
	ss.mu.Unlock()
}

func (ss *sessions) sweepLocked(now time.Time) {
	if now.Sub(ss.swept) < time.Minute {
		return
	}
	ss.swept = now
	for k, s := range ss.byHash {
		if now.Sub(s.lastSeen) > ss.ttl || now.Sub(s.created) > ss.max {
			delete(ss.byHash, k)
		}
	}
}

type ctxKey int

const keySession ctxKey = 0

func sessionFrom(ctx context.Context) *session {
	s, _ := ctx.Value(keySession).(*session)
	return s
}

func setCookie(w http.ResponseWriter, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge,
		Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

// loadSession puts the request's session, if any, in its context. The
// token behind it is checked on every request: a revoked token (or one whose
// role changed) ends the session at once.
func (h *Handler) loadSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(sessionCookie)
		if err != nil {
			next.ServeHTTP(w, r)
			return
		}
		s := h.sessions.get(c.Value)
		if s != nil {
			role, live, err := h.db.TokenRole(r.Context(), s.TokenID)
			switch {
			case err != nil:
				h.fail(w, r, err)
				return
			case !live || role != s.Role:
				h.sessions.deleteToken(s.TokenID)
				s = nil
			}
		}
		if s == nil {
			setCookie(w, sessionCookie, "", -1)
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), keySession, s)))
	})
}

// requireSession sends those without a session to the sign-in page, refuses
// roles below min, and checks the CSRF token of every POST.
func (h *Handler) requireSession(min resources.Role) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s := sessionFrom(r.Context())
			if s == nil {
				if r.Method == http.MethodGet || r.Method == http.MethodHead {
					http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
					return
				}
				h.fail(w, r, errs.E(errs.Unauthorized, "Your session has ended: sign in again, then repeat what you were doing."))
				return
			}
			if s.Role.Rank() < min.Rank() {
				h.fail(w, r, errs.E(errs.Forbidden, "This page is for the %s role and above; you are signed in as %s.", min, s.Role))
				return
			}
			if r.Method == http.MethodPost && !validCSRF(r, s.CSRF) {
				h.fail(w, r, errs.E(errs.Forbidden, "The form was out of date or did not come from this site. Reload the page and try again."))
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// validCSRF checks the form's csrf field against want, and that a browser's
// Origin header (when sent) is this host; an opaque origin ("null": a
// sandboxed frame, a data: page) is never this host.
func validCSRF(r *http.Request, want string) bool {
	if o := r.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		if err != nil || u.Host != r.Host {
			return false
		}
	}
	got := r.PostFormValue("csrf")
	return got != "" && want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// safeNext returns a local path to go to after signing in.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.HasPrefix(next, "/signin") || strings.HasPrefix(next, "/signout") {
		return "/queue"
	}
	return next
}

type signinData struct {
	Next string
}

func (h *Handler) signinForm(w http.ResponseWriter, r *http.Request) {
	if sessionFrom(r.Context()) != nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	h.renderSignin(w, r, http.StatusOK, "")
}

func (h *Handler) renderSignin(w http.ResponseWriter, r *http.Request, status int, problem string) {
	csrf := randomToken()
	setCookie(w, signinCookie, csrf, 3600)
	next := r.URL.Query().Get("next")
	if r.Method == http.MethodPost {
		next = r.PostFormValue("next")
	}
	v := &view{Title: "Sign in", CSRF: csrf, Error: problem, Data: signinData{Next: safeNext(next)}}
	if r.Method == http.MethodGet && r.URL.Query().Get("signed_out") != "" {
		v.Flash = "You are signed out."
	}
	h.render(w, r, status, "signin", v, time.Now())
}

func (h *Handler) signin(w http.ResponseWriter, r *http.Request) {
	c, err := r.Cookie(signinCookie)
	if err != nil || !validCSRF(r, c.Value) {
		h.renderSignin(w, r, http.StatusForbidden, "The sign-in form was out of date. Try again.")
		return
	}
	if wait, ok := h.signinAllowed(r); !ok {
		secs := int(wait.Seconds()) + 1
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		h.log.Warn("web: sign-in throttled", "client", clientAddr(r))
		h.renderSignin(w, r, http.StatusTooManyRequests, fmt.Sprintf("Too many sign-in attempts. Wait %d seconds, then try again.", secs))
		return
	}
	token := strings.TrimSpace(r.PostFormValue("token"))
	if token == "" {
		h.renderSignin(w, r, http.StatusUnauthorized, "Enter your API token.")
		return
	}
	t, err := h.db.Authenticate(r.Context(), token)
	if err != nil {
		if errs.CodeOf(err) == errs.Unauthorized {
			h.log.Info("web: sign-in refused")
			h.renderSignin(w, r, http.StatusUnauthorized, "That token is not valid, or it has been revoked.")
			return
		}
		h.fail(w, r, err)
		return
	}
	id, _ := h.sessions.create(t)
	setCookie(w, sessionCookie, id, int(h.cfg.SessionMax/time.Second))
	setCookie(w, signinCookie, "", -1)
	h.log.Info("web: signed in", "token_id", t.ID, "role", string(t.Role))
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
}

func (h *Handler) signout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		h.sessions.delete(c.Value)
	}
	setCookie(w, sessionCookie, "", -1)
	http.Redirect(w, r, "/signin?signed_out=1", http.StatusSeeOther)
}

// Sign-in throttling: attempts per client address (a burst, then one every
// half minute) and for the whole server (against guessing from many
// addresses at once). A throttled attempt is refused before its token is
// looked at, so even the right token waits.
var (
	signinPerClient = struct {
		perSecond float64
		burst     int
	}{1.0 / 30, 10}
	signinPerServer = struct {
		perSecond float64
		burst     int
	}{5, 200}
)

// signinAllowed takes one attempt from the client's and the server's
// budgets, or says how long to wait.
func (h *Handler) signinAllowed(r *http.Request) (time.Duration, bool) {
	now := h.now()
	if ok, wait := h.signinByClient.Allow(clientAddr(r), now); !ok {
		return wait, false
	}
	if ok, wait := h.signinAll.Allow("all", now); !ok {
		return wait, false
	}
	return 0, true
}

// clientAddr is the client's address (without the port).
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
