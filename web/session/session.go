// Package session is the one session and CSRF mechanism of the pages, for
// the staff pages and the portal alike: the cookies (names and attributes),
// the random secrets and the hashes the database keeps in their place, the
// timing of a session's life, and the checks of every form post (the
// request comes from this site; the form carries the session's token).
//
// The sessions themselves live in PostgreSQL (the staff's through the
// store, the portal's through scheduler.Portal); both keep only
// Hash(secret), and both stores apply the rules below.
package session

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/asylum-scheduling/interviews/internal/errs"
)

// Cookie names. The __Host- prefix makes browsers require Secure, Path=/
// and no Domain: the cookie cannot be set by a sibling host or over plain
// HTTP (browsers treat localhost and 127.0.0.1 as secure, so `make run`
// works).
const (
	StaffCookie  = "__Host-ivsession" // a member of staff's session
	SigninCookie = "__Host-ivsignin"  // the CSRF token of the staff's sign-in form
	PortalCookie = "__Host-ivportal"  // a portal person's session
	LangCookie   = "__Host-ivlang"    // the language chosen with the switch (staff and portal)
)

// The timing of a session's life, the same for staff and portal (each
// store's queries follow it): a session lives while now is before its
// expiry and its last use is less than the idle time ago (a session seen
// exactly idle ago has ended); a use marks it seen when the last mark is a
// minute old or more (TouchEvery).
const TouchEvery = time.Minute

// Live reports whether a session that expires at expires and was last
// seen at seen is alive at now, given its idle timeout.
func Live(expires, seen, now time.Time, idle time.Duration) bool {
	return now.Before(expires) && seen.After(now.Add(-idle))
}

// Touch reports whether a use at now marks a session last seen at seen as
// seen again.
func Touch(seen, now time.Time) bool { return now.Sub(seen) >= TouchEvery }

// NewSecret returns a random 256-bit secret, URL-safe: a session id or a
// CSRF token.
func NewSecret() string {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// Hash is the stored form of a secret (SHA-256): a hash read from the
// database cannot be used as a cookie.
func Hash(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

// SetCookie sets a Secure, HttpOnly, SameSite=Lax cookie for the whole
// site; maxAge < 0 deletes it.
func SetCookie(w http.ResponseWriter, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge,
		Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

// ClearCookie deletes a cookie.
func ClearCookie(w http.ResponseWriter, name string) { SetCookie(w, name, "", -1) }

// CookieValue is the value of the request's cookie name, or "".
func CookieValue(r *http.Request, name string) string {
	c, err := r.Cookie(name)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(c.Value)
}

// Why a form post is refused: it came from another site, or its token is
// not the session's. Both are errs.Forbidden.
var (
	ErrOrigin = errs.E(errs.Forbidden, "the form did not come from this site")
	ErrToken  = errs.E(errs.Forbidden, "the form has expired: reload the page and try again")
)

// CSRFField is the name of the forms' hidden field with the token.
const CSRFField = "csrf"

// CheckToken checks the form's CSRF field against want (the session's
// token), in constant time; an empty token never matches.
func CheckToken(r *http.Request, want string) error {
	got := r.PostFormValue(CSRFField)
	if got == "" || want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return ErrToken
	}
	return nil
}

// SameOrigin refuses cross-origin posts before anything else looks at
// them, with the standard library's check (net/http.CrossOriginProtection:
// a browser's Sec-Fetch-Site, else its Origin against the Host): a post
// from another site, or from an opaque origin ("null"), never reaches a
// handler, whatever its token. deny answers the refused request (the
// caller's error page, in its language); the request's error is ErrOrigin.
func SameOrigin(deny func(w http.ResponseWriter, r *http.Request, err error)) func(http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		deny(w, r, ErrOrigin)
	}))
	return cop.Handler
}

// MaxForm is the largest form body a page takes: far above any form of
// ours, far below what would cost the server.
const MaxForm = 64 << 10

// LimitForm caps a POST's body at n bytes and reads its form at once, so
// that a larger body is answered 413 by tooLarge (the caller's error page)
// before a handler or the CSRF check reads a truncated form.
func LimitForm(n int64, tooLarge func(w http.ResponseWriter, r *http.Request)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodPost {
				next.ServeHTTP(w, r)
				return
			}
			if r.ContentLength > n {
				tooLarge(w, r)
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, n)
			if err := r.ParseForm(); err != nil {
				var mb *http.MaxBytesError
				if errors.As(err, &mb) {
					tooLarge(w, r)
					return
				}
			}
			next.ServeHTTP(w, r)
		})
	}
}
