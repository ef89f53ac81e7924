package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSignIn(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser(t)

	// No session: pages send to the sign-in form, posts are refused.
	p := b.get("/queue")
	require.Equal(t, http.StatusSeeOther, p.status)
	require.Equal(t, "/signin?next=%2Fqueue", p.header.Get("Location"))
	p = b.post("/cases/I-0001/book", url.Values{"csrf": {"x"}})
	require.Equal(t, http.StatusUnauthorized, p.status)

	p = b.get("/signin")
	require.Equal(t, 200, p.status)
	require.Contains(t, p.body, `<label for="token">API token</label>`)
	setCookie := p.header.Get("Set-Cookie")
	require.Contains(t, setCookie, "__Host-ivsignin=")
	form := b.csrf

	// A form without the sign-in CSRF token is refused.
	p = b.post("/signin", url.Values{"csrf": {"forged"}, "token": {e.clerk}})
	require.Equal(t, http.StatusForbidden, p.status)
	// A wrong token is refused.
	p = b.post("/signin", url.Values{"token": {"ivt_nope"}})
	require.Equal(t, http.StatusUnauthorized, p.status)
	require.Contains(t, p.body, "not valid")
	_ = form

	// The right one starts a session: a Secure, HttpOnly, SameSite=Lax cookie.
	b.get("/signin")
	p = b.post("/signin", url.Values{"token": {e.clerk}, "next": {"/planner"}})
	require.Equal(t, http.StatusSeeOther, p.status)
	require.Equal(t, "/planner", p.header.Get("Location"))
	var session *http.Cookie
	for _, c := range (&http.Response{Header: p.header}).Cookies() {
		if c.Name == "__Host-ivsession" {
			session = c
		}
	}
	require.NotNil(t, session)
	require.True(t, session.Secure)
	require.True(t, session.HttpOnly)
	require.Equal(t, http.SameSiteLaxMode, session.SameSite)
	require.Equal(t, "/", session.Path)
	require.NotContains(t, session.Value, e.clerk)

	p = b.get("/queue")
	require.Equal(t, 200, p.status)
	require.Contains(t, p.body, "clerk-a · clerk")
	require.Equal(t, "no-store", p.header.Get("Cache-Control"))
	require.Contains(t, p.header.Get("Content-Security-Policy"), "frame-ancestors 'none'")

	// Posts need the session's CSRF token.
	p = b.post("/cases/I-0001/book", url.Values{"csrf": {"forged"}, "suggestion": {"x"}})
	require.Equal(t, http.StatusForbidden, p.status)
	require.Contains(t, p.body, "did not come from this site")
	// A foreign or opaque Origin, or a browser's word that the post comes
	// from another site, is refused even with the right token; the same
	// site's post goes through.
	for _, h := range []map[string]string{
		{"Origin": "https://evil.example"},
		{"Origin": "null"},
		{"Sec-Fetch-Site": "cross-site"},
		{"Sec-Fetch-Site": "same-site", "Origin": "https://other." + strings.TrimPrefix(e.srv.URL, "http://")},
		{"Sec-Fetch-Site": "cross-site", "Origin": e.srv.URL},
	} {
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/cases/I-0001/hold", strings.NewReader("csrf="+url.QueryEscape(b.csrf)))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range h {
			req.Header.Set(k, v)
		}
		p = b.do(req)
		require.Equal(t, http.StatusForbidden, p.status, "%v", h)
		require.Contains(t, p.body, "did not come from this site", "%v", h)
	}
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/cases/I-0001/hold", strings.NewReader("csrf="+url.QueryEscape(b.csrf)))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", e.srv.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	p = b.do(req)
	require.NotEqual(t, http.StatusForbidden, p.status, p.body)

	// A clerk may not open the managers' pages.
	p = b.get("/plans")
	require.Equal(t, http.StatusForbidden, p.status)

	// Revoking the token ends the session at once.
	require.NoError(t, e.db.RevokeToken(context.Background(), e.clerkID))
	p = b.get("/queue")
	require.Equal(t, http.StatusSeeOther, p.status)

	// Sign-out ends the session.
	m := e.browser(t)
	m.signIn(e.manager)
	require.Equal(t, 200, m.get("/plans").status)
	p = m.post("/signout", nil)
	require.Equal(t, http.StatusSeeOther, p.status)
	require.Equal(t, http.StatusSeeOther, m.get("/plans").status)

	// The API is still served next to the pages.
	req, _ = http.NewRequest(http.MethodGet, e.srv.URL+"/v1/interviews?limit=1", nil)
	req.Header.Set("Authorization", "Bearer "+e.manager)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode)
}

// Failed sign-ins are throttled per client: after a burst of wrong tokens
// even the right one is refused for a while (429 with Retry-After), before
// it is looked at.
func TestSignInThrottled(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser(t)
	for i := 0; i < 10; i++ {
		b.get("/signin")
		p := b.post("/signin", url.Values{"token": {fmt.Sprintf("ivt_wrong%d", i)}})
		require.Equal(t, http.StatusUnauthorized, p.status, "attempt %d", i)
	}
	b.get("/signin")
	p := b.post("/signin", url.Values{"token": {e.clerk}})
	require.Equal(t, http.StatusTooManyRequests, p.status, p.body)
	require.Contains(t, p.body, "Too many sign-in attempts")
	secs, err := strconv.Atoi(p.header.Get("Retry-After"))
	require.NoError(t, err)
	require.True(t, secs >= 1 && secs <= 31, "Retry-After %d", secs)
	for _, c := range (&http.Response{Header: p.header}).Cookies() {
		require.False(t, c.Name == "__Host-ivsession" && c.Value != "", "a throttled attempt signs nobody in")
	}
}

// One sign-in budget serves every route: a client that spent it asking the
// portal for links cannot go on guessing staff tokens.
func TestSignInBudgetSharedWithPortal(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser(t)
	for i := range 10 {
		b.get("/portal/signin")
		p := b.post("/portal/signin", url.Values{"email": {fmt.Sprintf("nobody%d@example.org", i)}})
		require.Equal(t, http.StatusOK, p.status, "link %d: %s", i, p.body)
	}
	b.get("/signin")
	p := b.post("/signin", url.Values{"token": {e.clerk}})
	require.Equal(t, http.StatusTooManyRequests, p.status, "the staff sign-in shares the portal's budget")
}

// No redirect after signing in or choosing a language leaves the site,
// however the target is dressed (a browser drops tabs and line breaks and
// reads a backslash as a slash).
func TestRedirectsStayOnTheSite(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser(t)
	b.signIn(e.clerk)
	base, err := url.Parse("https://interviews.example/")
	require.NoError(t, err)
	for _, next := range []string{"/\t/evil.example/x", "/\r\n/evil.example", "\t//evil.example", "/\\evil.example",
		"//evil.example", "https://evil.example/", "/%2F%2Fevil.example", "/\x00/evil.example"} {
		for _, path := range []string{"/signin?next=", "/lang/fi?next=", "/portal/lang/fi?next="} {
			p := b.get(path + url.QueryEscape(next))
			require.Equal(t, http.StatusSeeOther, p.status, "%s%q", path, next)
			loc := p.header.Get("Location")
			// What a browser makes of it: control characters dropped first.
			cleaned := strings.Map(func(r rune) rune {
				if r < ' ' {
					return -1
				}
				return r
			}, strings.ReplaceAll(loc, "\\", "/"))
			u, err := base.Parse(cleaned)
			require.NoError(t, err, "%s%q → %q", path, next, loc)
			require.Equal(t, "interviews.example", u.Host, "%s%q → %q", path, next, loc)
		}
	}
}
