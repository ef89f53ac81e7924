package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	zoidc "github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"

	"github.com/asylum-scheduling/interviews/internal/generator"
	"github.com/asylum-scheduling/interviews/internal/pgtest"
	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/scheduler"
	"github.com/asylum-scheduling/interviews/web"
	"github.com/asylum-scheduling/interviews/web/staff"
)

// The provider's users: user name → groups (the password is the same for
// all).
var idpUsers = map[string][]string{
	"anna":  {"staff", "migri-clerks"},
	"mikko": {"migri-clerks", "migri-managers"},
	"olli":  {"staff", "visitors"}, // in no mapped group
	"ulla":  {"migri-admins"},      // given by the userinfo endpoint only
}

// userinfoOnly are the users whose groups the provider leaves out of the ID
// token (as some providers do): the service asks its userinfo endpoint.
var userinfoOnly = map[string]bool{"ulla": true}

const idpPassword = "correct horse battery staple"

// idpUserStore is the provider's user directory.
type idpUserStore map[string]*storage.User

func (u idpUserStore) GetUserByID(id string) *storage.User { return u[id] }
func (u idpUserStore) GetUserByUsername(name string) *storage.User {
	for _, x := range u {
		if x.Username == name {
			return x
		}
	}
	return nil
}
func (u idpUserStore) ExampleClientID() string { return storage.ServiceUserID }

// idpStorage is zitadel's example storage with the users' groups (and
// profile) in the ID token, as an agency's provider is configured to give.
type idpStorage struct {
	*storage.Storage
	users idpUserStore
}

func (s *idpStorage) SetUserinfoFromRequest(ctx context.Context, ui *zoidc.UserInfo, token op.IDTokenRequest, scopes []string) error {
	if err := s.Storage.SetUserinfoFromRequest(ctx, ui, token, append(scopes, zoidc.ScopeProfile)); err != nil {
		return err
	}
	if u := s.users[token.GetSubject()]; u != nil && !userinfoOnly[u.Username] {
		ui.AppendClaims("groups", idpUsers[u.Username])
	}
	return nil
}

func (s *idpStorage) SetUserinfoFromToken(ctx context.Context, ui *zoidc.UserInfo, tokenID, subject, origin string) error {
	if err := s.Storage.SetUserinfoFromToken(ctx, ui, tokenID, subject, origin); err != nil {
		return err
	}
	if u := s.users[ui.Subject]; u != nil {
		ui.AppendClaims("groups", idpUsers[u.Username])
	}
	return nil
}

// idp is a real OpenID provider (zitadel's op package) in the test process.
type idp struct {
	srv *httptest.Server
}

// startIDP starts a provider with one web client whose redirect URL is
// redirect.
func startIDP(t testing.TB, clientID, secret, redirect string) *idp {
	t.Helper()
	users := idpUserStore{}
	for name := range idpUsers {
		users["id-"+name] = &storage.User{ID: "id-" + name, Username: name, Password: idpPassword,
			FirstName: strings.ToUpper(name[:1]) + name[1:], LastName: "Example", Email: name + "@migri.example",
			EmailVerified: true, PreferredLanguage: language.English}
	}
	st := &idpStorage{Storage: storage.NewStorageWithClients(users, map[string]*storage.Client{
		clientID: storage.WebClient(clientID, secret, redirect)}), users: users}
	var h http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	h = exampleop.SetupServer(srv.URL, st, nil, false)
	t.Cleanup(srv.Close)
	return &idp{srv: srv}
}

// testClock is a clock the test moves on.
type testClock struct {
	mu  sync.Mutex
	off time.Duration
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.off)
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	c.off += d
	c.mu.Unlock()
}

// swapHandler lets a test "restart" the pages behind one address.
type swapHandler struct {
	mu sync.Mutex
	h  http.Handler
}

func (s *swapHandler) set(h http.Handler) { s.mu.Lock(); s.h = h; s.mu.Unlock() }
func (s *swapHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	h := s.h
	s.mu.Unlock()
	h.ServeHTTP(w, r)
}

// oidcEnv is the pages with sign-in at a real OpenID provider.
type oidcEnv struct {
	*env
	idp     *idp
	clock   *testClock
	swap    *swapHandler
	cfg     web.Config
	restart func() // a new handler on the same database
}

var roleMap = "migri-clerks=clerk,migri-managers=manager,migri-admins=admin"

func newOIDCEnv(t *testing.T, tokenSignin bool) *oidcEnv { return newOIDCEnvTB(t, tokenSignin) }

// newOIDCEnvTB is newOIDCEnv for tests and benchmarks.
func newOIDCEnvTB(t testing.TB, tokenSignin bool) *oidcEnv {
	t.Helper()
	ctx := context.Background()
	in, err := generator.Generate("S", 1)
	require.NoError(t, err)
	raw := pgtest.Open(t)
	db := postgres.New(raw, time.Now)
	_, err = db.Import(ctx, in)
	require.NoError(t, err)
	booking := scheduler.New(db, nil, nil, nil)
	planner := scheduler.NewPlanner(db, booking, nil, nil)
	sw := &swapHandler{}
	srv := httptest.NewServer(sw)
	t.Cleanup(srv.Close)
	p := startIDP(t, "interviews", "client-secret", srv.URL+"/auth/callback")
	rm, err := staff.ParseRoleMap(roleMap)
	require.NoError(t, err)
	clock := &testClock{}
	e := &oidcEnv{env: &env{srv: srv, db: db, raw: raw}, idp: p, clock: clock, swap: sw}
	e.cfg = web.Config{DB: db, Booking: booking, Plans: planner, Now: clock.now, TokenSignin: tokenSignin,
		OIDC: &web.OIDCConfig{Issuer: p.srv.URL, ClientID: "interviews", ClientSecret: "client-secret",
			RedirectURL: srv.URL + "/auth/callback", RoleMap: rm, Name: "Migri ID"}}
	e.restart = func() { sw.set(web.New(e.cfg)) }
	e.restart()
	var tk *resources.Token
	e.clerk, tk, err = db.CreateToken(ctx, "clerk-a", resources.RoleClerk)
	require.NoError(t, err)
	e.clerkID = tk.ID
	return e
}

// open requests an absolute URL.
func (b *browser) open(method, u string, form url.Values) page {
	b.t.Helper()
	var body *strings.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	} else {
		body = strings.NewReader("")
	}
	req, err := http.NewRequest(method, u, body)
	require.NoError(b.t, err)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return b.do(req)
}

// signInAt goes through the provider's sign-in as user, from /auth/login
// to the redirect back into the pages; it returns the last answer of the
// pages (the callback's).
func (e *oidcEnv) signInAt(b *browser, user, next string) page {
	b.t.Helper()
	p := b.get("/auth/login?next=" + url.QueryEscape(next))
	require.Equal(b.t, http.StatusSeeOther, p.status, p.body)
	loc := p.header.Get("Location")
	require.True(b.t, strings.HasPrefix(loc, e.idp.srv.URL+"/"), loc)
	au, err := url.Parse(loc)
	require.NoError(b.t, err)
	require.Equal(b.t, "S256", au.Query().Get("code_challenge_method"))
	require.NotEmpty(b.t, au.Query().Get("nonce"))
	return e.finishAt(b, loc, user)
}

// finishAt signs user in at the provider, from its authorization URL loc,
// and returns the pages' answer to the redirect back.
func (e *oidcEnv) finishAt(b *browser, loc, user string) page {
	b.t.Helper()
	var p page
	for range 10 {
		p = b.open(http.MethodGet, loc, nil)
		if p.status == http.StatusOK { // the provider's login page
			u, err := url.Parse(loc)
			require.NoError(b.t, err)
			require.Contains(b.t, p.body, "password")
			p = b.open(http.MethodPost, e.idp.srv.URL+"/login/username", url.Values{"username": {user},
				"password": {idpPassword}, "id": {u.Query().Get("authRequestID")}})
		}
		require.Contains(b.t, []int{http.StatusFound, http.StatusSeeOther}, p.status, p.body)
		loc = p.header.Get("Location")
		if strings.HasPrefix(loc, "/") {
			loc = e.idp.srv.URL + loc
		}
		if strings.HasPrefix(loc, e.srv.URL+"/auth/callback") {
			return b.open(http.MethodGet, loc, nil)
		}
	}
	b.t.Fatal("the provider did not send back to the callback")
	return page{}
}

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
	shots := filepath.Join(root, "testout", "screenshots")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join(root, "web", "e2e", "oidc.mjs"))
	cmd.Env = append(os.Environ(), "BASE_URL="+e.srv.URL, "IDP_URL="+e.idp.srv.URL, "IDP_USER=anna",
		"IDP_PASSWORD="+idpPassword, "SHOTS="+shots, "PLAYWRIGHT_DIR="+filepath.Join(root, ".cache", "playwright"))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), "oidc.mjs failed:\n%s\n%s", stderr.String(), stdout.String())
	var res struct {
		TokenForm    int    `json:"tokenForm"`
		Who          string `json:"who"`
		AfterSignout string `json:"afterSignout"`
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	require.NoError(t, json.Unmarshal([]byte(lines[len(lines)-1]), &res), stdout.String())
	require.Equal(t, 0, res.TokenForm, "token sign-in is off with a provider")
	require.Equal(t, "Anna Example · clerk", res.Who)
	require.Equal(t, "/signin", res.AfterSignout)
}
