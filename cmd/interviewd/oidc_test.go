package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	zoidc "github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"

	"github.com/asylum-scheduling/interviews/internal/generator"
	"github.com/asylum-scheduling/interviews/internal/pgtest"
	"github.com/asylum-scheduling/interviews/internal/postgres"
)

// users is a provider's user directory (zitadel's example storage).
type users map[string]*storage.User

func (u users) GetUserByID(id string) *storage.User { return u[id] }
func (u users) GetUserByUsername(name string) *storage.User {
	for _, x := range u {
		if x.Username == name {
			return x
		}
	}
	return nil
}
func (u users) ExampleClientID() string { return storage.ServiceUserID }

// groupsStorage puts the profile and a groups claim in the ID token.
type groupsStorage struct {
	*storage.Storage
	groups map[string][]string // by user id
}

func (s *groupsStorage) SetUserinfoFromRequest(ctx context.Context, ui *zoidc.UserInfo, token op.IDTokenRequest, scopes []string) error {
	if err := s.Storage.SetUserinfoFromRequest(ctx, ui, token, append(scopes, zoidc.ScopeProfile)); err != nil {
		return err
	}
	ui.AppendClaims("groups", s.groups[token.GetSubject()])
	return nil
}

// anyJar keeps cookies by name like a browser on a secure origin (Go's
// cookiejar sends no Secure cookie over plain HTTP, even to 127.0.0.1).
type anyJar struct {
	mu sync.Mutex
	c  map[string]string
}

func (j *anyJar) SetCookies(_ *url.URL, cs []*http.Cookie) {
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, c := range cs {
		if c.MaxAge < 0 || c.Value == "" {
			delete(j.c, c.Name)
		} else {
			j.c[c.Name] = c.Value
		}
	}
}

func (j *anyJar) Cookies(*url.URL) []*http.Cookie {
	j.mu.Lock()
	defer j.mu.Unlock()
	var out []*http.Cookie
	for k, v := range j.c {
		out = append(out, &http.Cookie{Name: k, Value: v})
	}
	return out
}

// TestOIDCSessionSurvivesKill: the server configured from the environment
// signs a manager in at a real OpenID provider (zitadel's op), is killed
// (kill -9) and started again on the same database: the manager is still
// signed in. Neither the client secret nor the ID token is in its logs.
func TestOIDCSessionSurvivesKill(t *testing.T) {
	ctx := context.Background()
	dbURL := pgtest.URL(t)
	db, err := postgres.Open(ctx, dbURL, nil)
	require.NoError(t, err)
	t.Cleanup(db.Close)
	in, err := generator.Generate("S", 1)
	require.NoError(t, err)
	_, err = db.Import(ctx, in)
	require.NoError(t, err)

	// The server's address, fixed so that the provider knows its callback.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	require.NoError(t, ln.Close())
	base := "http://127.0.0.1:" + port
	const secret = "s3cret-of-the-client-Zq8"
	st := &groupsStorage{groups: map[string][]string{"u1": {"migri-managers"}}}
	st.Storage = storage.NewStorageWithClients(users{"u1": {ID: "u1", Username: "maria", Password: "pw-maria",
		FirstName: "Maria", LastName: "Example", PreferredLanguage: language.English}},
		map[string]*storage.Client{"interviews": storage.WebClient("interviews", secret, base+"/auth/callback")})
	var h http.Handler
	idp := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(idp.Close)
	h = exampleop.SetupServer(idp.URL, st, nil, false)

	env := []string{childArgsEnv + "=-addr 127.0.0.1:" + port + " -public-url " + base, "OIDC_ISSUER=" + idp.URL,
		"OIDC_CLIENT_ID=interviews", "OIDC_CLIENT_SECRET=" + secret, "OIDC_ROLE_MAP=migri-clerks=clerk,migri-managers=manager"}
	srv := startChild(t, dbURL, env...)

	c := &http.Client{Jar: &anyJar{c: map[string]string{}}}
	get := func(u string) (*http.Response, string) {
		t.Helper()
		resp, err := c.Get(u)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return resp, string(b)
	}
	// Through the provider's login page, back to the page asked for.
	resp, body := get(srv.base + "/auth/login?next=%2Fplans")
	require.Equal(t, 200, resp.StatusCode, body)
	require.Contains(t, body, `name="password"`)
	id := resp.Request.URL.Query().Get("authRequestID")
	require.NotEmpty(t, id)
	resp, err = c.PostForm(idp.URL+"/login/username", url.Values{"username": {"maria"}, "password": {"pw-maria"}, "id": {id}})
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode, string(b))
	require.Equal(t, "/plans", resp.Request.URL.Path)
	require.Contains(t, string(b), "Maria Example · manager")

	first := srv
	srv.kill(t)
	srv = startChild(t, dbURL, env...)
	resp, body = get(srv.base + "/plans")
	require.Equal(t, "/plans", resp.Request.URL.Path, "still signed in after the restart")
	require.Contains(t, body, "Maria Example · manager")

	logs := first.errb.String() + srv.errb.String()
	require.Contains(t, first.errb.String(), `"msg":"web: signed in","method":"oidc","role":"manager"`)
	require.Contains(t, logs, "staff sign in with OpenID")
	require.NotContains(t, logs, secret)
	require.False(t, strings.Contains(logs, "eyJ"), "a JWT in the logs")
}
