package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/web/staff"
)

func TestOIDCSignIn(t *testing.T) {
	t.Parallel()
	e := newOIDCEnv(t, false)

	// The sign-in page offers the provider, not the token form.
	b := e.browser(t)
	p := b.get("/signin?next=%2Fshortages")
	require.Equal(t, 200, p.status)
	require.Contains(t, p.body, "Sign in with Migri ID")
	require.NotContains(t, p.body, `name="token"`)
	// Token sign-in is off.
	p = b.post("/signin", url.Values{"token": {e.clerk}})
	require.Equal(t, http.StatusForbidden, p.status)
	require.Contains(t, p.body, "Sign-in with an API token is off")
	require.Equal(t, http.StatusSeeOther, b.get("/queue").status)

	// A clerk in migri-clerks (and an unmapped group) is a clerk, sent to
	// the page they asked for.
	p = e.signInAt(b, "anna", "/shortages")
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	require.Equal(t, "/shortages", p.header.Get("Location"))
	p = b.get("/queue")
	require.Equal(t, 200, p.status)
	require.Contains(t, p.body, "Anna Example · clerk")
	require.Equal(t, http.StatusForbidden, b.get("/plans").status)

	// In clerks and managers: the higher role.
	m := e.browser(t)
	p = e.signInAt(m, "mikko", "/plans")
	require.Equal(t, "/plans", p.header.Get("Location"), p.body)
	p = m.get("/plans")
	require.Equal(t, 200, p.status)
	require.Contains(t, p.body, "Mikko Example · manager")

	// Groups only from the userinfo endpoint.
	u := e.browser(t)
	p = e.signInAt(u, "ulla", "/plans")
	require.Equal(t, "/plans", p.header.Get("Location"), p.body)
	p = u.get("/plans")
	require.Equal(t, 200, p.status)
	require.Contains(t, p.body, "Ulla Example · admin")

	// In no mapped group: refused, with a page that says why.
	o := e.browser(t)
	p = e.signInAt(o, "olli", "/queue")
	require.Equal(t, http.StatusForbidden, p.status)
	require.Contains(t, p.body, "not in a group that may use these pages")
	require.Equal(t, http.StatusSeeOther, o.get("/queue").status)

	// Signing in again in the same browser ends the session it had.
	var n int
	require.NoError(t, e.raw.QueryRow(context.Background(), `select count(*) from staff_sessions where name = 'Mikko Example'`).Scan(&n))
	require.Equal(t, 1, n)
	require.Equal(t, "/queue", e.signInAt(m, "mikko", "/queue").header.Get("Location"))
	require.NoError(t, e.raw.QueryRow(context.Background(), `select count(*) from staff_sessions where name = 'Mikko Example'`).Scan(&n))
	require.Equal(t, 1, n, "the earlier session of the browser is gone")

	// A restart (a new handler on the same database) keeps people signed in.
	e.restart()
	require.Equal(t, 200, b.get("/queue").status)
	require.Equal(t, 200, m.get("/plans").status)
}

func TestOIDCForgedState(t *testing.T) {
	t.Parallel()
	e := newOIDCEnv(t, false)
	b := e.browser(t)
	// A callback that did not start in this browser.
	p := b.get("/auth/callback?state=forged&code=x")
	require.Equal(t, http.StatusForbidden, p.status)
	require.Contains(t, p.body, "did not start here")
	// Started here, answered with another state.
	p = b.get("/auth/login?next=%2Fqueue")
	require.Equal(t, http.StatusSeeOther, p.status)
	p = b.get("/auth/callback?state=forged&code=x")
	require.Equal(t, http.StatusForbidden, p.status)
	// The right state is good once: a replayed answer is refused.
	p = e.signInAt(b, "anna", "/queue")
	require.Equal(t, http.StatusSeeOther, p.status)
	require.Equal(t, 200, b.get("/queue").status)
	c := e.browser(t)
	p = c.get("/auth/login?next=%2Fqueue")
	require.Equal(t, http.StatusSeeOther, p.status)
	state, err := url.Parse(p.header.Get("Location"))
	require.NoError(t, err)
	// Another browser with this state but without its cookie.
	d := e.browser(t)
	p = d.get("/auth/callback?code=x&state=" + url.QueryEscape(state.Query().Get("state")))
	require.Equal(t, http.StatusForbidden, p.status)
	require.Equal(t, http.StatusSeeOther, d.get("/queue").status)
}

// The answer is checked against what the browser started with: a nonce or
// PKCE verifier that does not match, or a sign-in left for longer than 10
// minutes, signs nobody in.
func TestOIDCAnswerChecked(t *testing.T) {
	t.Parallel()
	e := newOIDCEnv(t, false)
	for _, c := range []struct {
		name, change, want string
		wait               time.Duration
	}{
		{"nonce", `update oidc_logins set nonce = 'another'`, "could not be verified", 0},
		{"verifier", `update oidc_logins set verifier = repeat('x', 64)`, "did not confirm the sign-in", 0},
		{"expired", `select 1`, "expired", 11 * time.Minute},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := e.browser(t)
			p := b.get("/auth/login?next=%2Fqueue")
			require.Equal(t, http.StatusSeeOther, p.status)
			_, err := e.raw.Exec(context.Background(), c.change)
			require.NoError(t, err)
			e.clock.advance(c.wait)
			p = e.finishAt(b, p.header.Get("Location"), "anna")
			require.Contains(t, []int{http.StatusUnauthorized, http.StatusForbidden}, p.status, p.body)
			require.Contains(t, p.body, c.want)
			require.Equal(t, http.StatusSeeOther, b.get("/queue").status)
		})
	}
}

// A provider out of reach: the server runs, the sign-in says so.
func TestOIDCProviderDown(t *testing.T) {
	t.Parallel()
	e := newOIDCEnv(t, true)
	e.cfg.OIDC.Issuer = "http://127.0.0.1:1"
	e.restart()
	b := e.browser(t)
	p := b.get("/auth/login?next=%2Fqueue")
	require.Equal(t, http.StatusBadGateway, p.status)
	require.Contains(t, p.body, "cannot be reached just now")
	b.signIn(e.clerk) // with WEB_TOKEN_SIGNIN=on a token still works
	require.Equal(t, 200, b.get("/queue").status)
}

func TestOIDCSessionTimeouts(t *testing.T) {
	t.Parallel()
	e := newOIDCEnv(t, false)

	// Idle: used within 8 hours it lives on; 8 hours unused ends it.
	b := e.browser(t)
	require.Equal(t, http.StatusSeeOther, e.signInAt(b, "anna", "/queue").status)
	e.clock.advance(7 * time.Hour)
	require.Equal(t, 200, b.get("/queue").status)
	e.clock.advance(7 * time.Hour)
	require.Equal(t, http.StatusSeeOther, b.get("/queue").status, "12 hours at most")

	c := e.browser(t)
	require.Equal(t, http.StatusSeeOther, e.signInAt(c, "anna", "/queue").status)
	e.clock.advance(8*time.Hour + time.Minute)
	p := c.get("/queue")
	require.Equal(t, http.StatusSeeOther, p.status, "idle for 8 hours")
	require.Contains(t, p.header.Get("Location"), "/signin")
}

func TestOIDCSignOutEverywhere(t *testing.T) {
	t.Parallel()
	e := newOIDCEnv(t, false)
	laptop, phone, other := e.browser(t), e.browser(t), e.browser(t)
	for _, b := range []*browser{laptop, phone} {
		require.Equal(t, http.StatusSeeOther, e.signInAt(b, "anna", "/queue").status)
	}
	require.Equal(t, http.StatusSeeOther, e.signInAt(other, "mikko", "/queue").status)
	p := laptop.get("/queue")
	require.Equal(t, 200, p.status)
	require.Contains(t, p.body, "End all my sessions")
	p = laptop.post("/signout", url.Values{"everywhere": {"1"}})
	require.Equal(t, http.StatusSeeOther, p.status)
	require.Equal(t, http.StatusSeeOther, laptop.get("/queue").status)
	require.Equal(t, http.StatusSeeOther, phone.get("/queue").status, "the other session of the user ended too")
	require.Equal(t, 200, other.get("/queue").status, "another user's session lives on")
}

func TestOIDCWithTokenSignin(t *testing.T) {
	t.Parallel()
	// WEB_TOKEN_SIGNIN=on: both ways.
	e := newOIDCEnv(t, true)
	b := e.browser(t)
	p := b.get("/signin")
	require.Contains(t, p.body, "Sign in with Migri ID")
	require.Contains(t, p.body, `name="token"`)
	b.signIn(e.clerk)
	require.Equal(t, 200, b.get("/queue").status)
	// A token's session survives a restart too, and ends when the token is
	// revoked.
	e.restart()
	require.Equal(t, 200, b.get("/queue").status)
	require.NoError(t, e.db.RevokeToken(context.Background(), e.clerkID))
	require.Equal(t, http.StatusSeeOther, b.get("/queue").status)
}

// TestBrowserOIDC signs a clerk in through the provider's own login page in
// headless Chromium, back to the page asked for, then ends their sessions.
func TestBrowserOIDC(t *testing.T) {
	t.Parallel()
	root, node := browserTools(t)
	e := newOIDCEnv(t, false)
	var res struct {
		TokenForm    int    `json:"tokenForm"`
		Who          string `json:"who"`
		AfterSignout string `json:"afterSignout"`
	}
	runScript(t, root, node, "oidc.mjs", e.srv.URL, 2*time.Minute, &res,
		"IDP_URL="+e.idp.srv.URL, "IDP_USER=anna", "IDP_PASSWORD="+idpPassword)
	require.Equal(t, 0, res.TokenForm, "token sign-in is off with a provider")
	require.Equal(t, "Anna Example · clerk", res.Who)
	require.Equal(t, "/signin", res.AfterSignout)
}

// Providers that send groups only for a scope of their own (Dex: groups)
// refuse every staff user under the default scopes; OIDC_SCOPES asks for it.
func TestOIDCScopes(t *testing.T) {
	t.Parallel()
	e := newOIDCEnv(t, false)
	b := e.browser(t)
	p := e.signInAt(b, "dora", "/queue")
	require.Equal(t, http.StatusForbidden, p.status, "no groups without the groups scope: %s", p.body)

	e.cfg.OIDC.Scopes = staff.ParseScopes("profile email groups")
	e.restart()
	b = e.browser(t)
	p = b.get("/auth/login?next=%2Fqueue")
	require.Equal(t, http.StatusSeeOther, p.status)
	au, err := url.Parse(p.header.Get("Location"))
	require.NoError(t, err)
	require.Equal(t, "openid profile email groups", au.Query().Get("scope"))
	p = e.finishAt(b, p.header.Get("Location"), "dora")
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	require.Equal(t, 200, b.get("/queue").status, "dora is a clerk with the groups scope")
}

func TestParseScopes(t *testing.T) {
	t.Parallel()
	require.Equal(t, staff.DefaultScopes, staff.ParseScopes(""))
	require.Equal(t, []string{"openid", "groups"}, staff.ParseScopes("groups"))
	require.Equal(t, []string{"openid", "profile", "email", "groups"}, staff.ParseScopes("openid,profile email groups groups"))
}
