package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/api"
	"github.com/asylum-scheduling/interviews/internal/pgcluster"
)

// faultProbe is one request of the fault test, and what it needs.
type faultProbe struct {
	name   string
	method string
	path   string
	body   string
	token  string // "" for none; "bogus" for a made-up token
	page   bool   // a web page with the signed-in session
}

// answer is what a probe got: status, how long it took, and the headers
// and body the test checks.
type answer struct {
	status  int
	took    time.Duration
	header  http.Header
	body    string
	failure error
}

// TestDatabaseFaults stops and freezes the server's PostgreSQL underneath
// it: with the database stopped, API, feed and page requests answer 503
// (problem+json with code unavailable and Retry-After on the API) within a
// second; with it frozen, every request ends within its limit plus 2 s; after
// either, the same server serves again.
func TestDatabaseFaults(t *testing.T) {
	data := t.TempDir()
	t.Cleanup(func() {
		if c, err := pgcluster.New(filepath.Join(data, "postgres"), pgcluster.Options{}); err == nil {
			c.Thaw()
			c.Own()
			c.Stop(context.Background())
		}
	})
	// The request limit is well above api.ReadyTimeout, so that a /readyz
	// bounded only by the request limit fails the frozen check below.
	const limit = 5 * time.Second
	srv := startChild(t, "", childDataEnv+"="+data, childArgsEnv+"=-demo -request-timeout "+limit.String())
	token := mainToken(t, data, "manager")
	cluster, err := pgcluster.New(filepath.Join(data, "postgres"), pgcluster.Options{})
	require.NoError(t, err)

	// What to ask: a list, a suggestion, a booking, a feed, a page.
	pending := srv.ids(t, token, "/v1/interviews?status=pending&limit=2")
	require.Len(t, pending, 2)
	interp := srv.ids(t, token, "/v1/interpreters?limit=1")
	require.NotEmpty(t, interp)
	code, body := srv.call(t, token, "POST", "/v1/feeds", map[string]string{"owner_kind": "interpreter", "owner_id": interp[0]})
	require.Equal(t, 201, code, "%s", body)
	var feed struct {
		URL string `json:"url"`
	}
	require.NoError(t, json.Unmarshal(body, &feed))
	session := webSignIn(t, srv.base, token)

	probes := []faultProbe{
		{name: "list", method: "GET", path: "/v1/interviews?limit=5", token: token},
		{name: "bogus token", method: "GET", path: "/v1/interviews", token: "bogus"},
		{name: "suggestions", method: "POST", path: "/v1/interviews/" + pending[0] + "/suggestions", body: `{"k":3}`, token: token},
		{name: "booking", method: "POST", path: "/v1/interviews/" + pending[1] + "/booking", body: `{"suggestion_id":"s1.x"}`, token: token},
		{name: "location", method: "POST", path: "/v1/locations", body: `{"id":"NEW","name":"New office","timezone":"Europe/Helsinki"}`, token: token},
		{name: "feed", method: "GET", path: strings.TrimPrefix(feed.URL, srv.base)},
		{name: "queue page", method: "GET", path: "/queue", page: true},
	}
	ask := func(p faultProbe, timeout time.Duration) answer {
		req, err := http.NewRequest(p.method, srv.base+p.path, strings.NewReader(p.body))
		require.NoError(t, err)
		switch p.token {
		case "":
		case "bogus":
			req.Header.Set("Authorization", "Bearer ivt_bogus")
		default:
			req.Header.Set("Authorization", "Bearer "+p.token)
		}
		if p.body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		if p.page {
			req.Header.Set("Cookie", session)
		}
		c := &http.Client{Timeout: timeout, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		t0 := time.Now()
		resp, err := c.Do(req)
		a := answer{took: time.Since(t0), failure: err}
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			a.status, a.header, a.body = resp.StatusCode, resp.Header, string(b)
		}
		return a
	}
	askAll := func(timeout time.Duration) map[string]answer {
		out := map[string]answer{}
		var mu sync.Mutex
		var wg sync.WaitGroup
		for _, p := range probes {
			wg.Add(1)
			go func() {
				defer wg.Done()
				a := ask(p, timeout)
				mu.Lock()
				out[p.name] = a
				mu.Unlock()
			}()
		}
		wg.Wait()
		return out
	}
	checkUnavailable := func(state string, got map[string]answer, within time.Duration) {
		t.Helper()
		for _, p := range probes {
			a := got[p.name]
			require.NoError(t, a.failure, "%s, %s: no answer", state, p.name)
			require.Equal(t, 503, a.status, "%s, %s: %s", state, p.name, a.body)
			require.Less(t, a.took, within, "%s, %s took %s", state, p.name, a.took)
			require.NotEmpty(t, a.header.Get("Retry-After"), "%s, %s: Retry-After", state, p.name)
			if strings.HasPrefix(p.path, "/v1/") {
				require.Equal(t, "application/problem+json", a.header.Get("Content-Type"), "%s, %s", state, p.name)
				require.Contains(t, a.body, `"code":"unavailable"`, "%s, %s", state, p.name)
			}
			if p.page {
				require.Contains(t, a.header.Get("Content-Type"), "text/html", "%s: a readable page", state)
			}
		}
	}
	checkServing := func(state string) {
		t.Helper()
		waitFor(t, "the server to serve again ("+state+")", time.Minute, func() bool {
			return ask(probes[0], 5*time.Second).status == 200
		})
		for _, p := range []faultProbe{probes[0], probes[2], probes[5], probes[6]} {
			a := ask(p, 30*time.Second)
			require.Equal(t, 200, a.status, "%s, %s: %s", state, p.name, a.body)
		}
	}

	// Stopped: refused connections, 503 within a second.
	ctx := context.Background()
	cluster.Own()
	require.NoError(t, cluster.Stop(ctx))
	checkUnavailable("stopped", askAll(10*time.Second), time.Second)
	require.Equal(t, 503, ask(faultProbe{name: "ready", method: "GET", path: "/readyz"}, 5*time.Second).status)
	require.NoError(t, cluster.Start(ctx))
	checkServing("after a stop")

	// Frozen: every request ends within its limit + 2 s.
	require.NoError(t, cluster.Freeze())
	frozen := askAll(limit + 10*time.Second)
	ready := ask(faultProbe{name: "ready", method: "GET", path: "/readyz"}, limit+10*time.Second)
	require.NoError(t, cluster.Thaw())
	require.NoError(t, ready.failure, "frozen, /readyz: no answer")
	require.Equal(t, 503, ready.status, "frozen, /readyz: %s", ready.body)
	require.Less(t, ready.took, api.ReadyTimeout+2*time.Second, "frozen, /readyz keeps its own deadline (%s), not the request limit (%s)", api.ReadyTimeout, limit)
	checkUnavailable("frozen", frozen, limit+2*time.Second)
	checkServing("after a freeze")
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// webSignIn signs in to the pages with token and returns the Cookie header
// of the session.
func webSignIn(t *testing.T, base, token string) string {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(base + "/signin")
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfRe.FindStringSubmatch(string(b))
	require.NotNil(t, m, "sign-in form")
	var cookies []string
	for _, ck := range resp.Cookies() {
		cookies = append(cookies, ck.Name+"="+ck.Value)
	}
	form := url.Values{"csrf": {m[1]}, "token": {token}, "next": {"/queue"}}
	req, _ := http.NewRequest("POST", base+"/signin", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Cookie", strings.Join(cookies, "; "))
	resp, err = c.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	for _, ck := range resp.Cookies() {
		if ck.Value != "" && strings.Contains(ck.Name, "session") {
			return fmt.Sprintf("%s=%s", ck.Name, ck.Value)
		}
	}
	t.Fatal("no session cookie")
	return ""
}
