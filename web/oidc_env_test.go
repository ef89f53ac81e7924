package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
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
	"dora":  {"migri-clerks"},      // given only when the groups scope is asked for (as Dex does)
}

// groupsScopeOnly are the users whose groups the provider sends only for
// the groups scope, in the ID token and nowhere else (as Dex does).
var groupsScopeOnly = map[string]bool{"dora": true}

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
	u := s.users[token.GetSubject()]
	switch {
	case u == nil || userinfoOnly[u.Username]:
	case groupsScopeOnly[u.Username] && !slices.Contains(scopes, "groups"):
	default:
		ui.AppendClaims("groups", idpUsers[u.Username])
	}
	return nil
}

// GetClientByClientID gives the service's client with the groups scope
// allowed, as a provider that knows that scope (Dex) does.
func (s *idpStorage) GetClientByClientID(ctx context.Context, id string) (op.Client, error) {
	c, err := s.Storage.GetClientByClientID(ctx, id)
	if err != nil {
		return nil, err
	}
	return groupsClient{c}, nil
}

// groupsClient is a client that may ask for the groups scope.
type groupsClient struct{ op.Client }

func (c groupsClient) IsScopeAllowed(scope string) bool {
	return scope == "groups" || c.Client.IsScopeAllowed(scope)
}

func (s *idpStorage) SetUserinfoFromToken(ctx context.Context, ui *zoidc.UserInfo, tokenID, subject, origin string) error {
	if err := s.Storage.SetUserinfoFromToken(ctx, ui, tokenID, subject, origin); err != nil {
		return err
	}
	if u := s.users[ui.Subject]; u != nil && !groupsScopeOnly[u.Username] {
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
