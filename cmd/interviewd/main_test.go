package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// syncBuffer is a buffer that Main writes to while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func noEnv(string) string { return "" }

func waitFor(t *testing.T, what string, d time.Duration, f func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !f() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestServeEndToEnd(t *testing.T) {
	data := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		done <- Main(ctx, []string{"serve", "-addr", "127.0.0.1:0", "-data", data, "-demo"}, noEnv, &stdout, &stderr)
	}()
	t0 := time.Now()
	step := func(what string) { t.Logf("%6.2fs %s", time.Since(t0).Seconds(), what) }
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("stdout:\n%s\nstderr:\n%s", stdout.String(), stderr.String())
		}
		// Should the test fail half way, still stop the server and its cluster.
		cancel()
		select {
		case <-finished:
		case <-time.After(time.Minute):
		}
	})

	urlRe := regexp.MustCompile(`listening on (http://\S+)`)
	tokRe := regexp.MustCompile(`The admin token is in (\S+) `)
	waitFor(t, "the admin token", 2*time.Minute, func() bool {
		select {
		case err := <-done:
			t.Fatalf("Main returned early: %v\n%s", err, stderr.String())
		default:
		}
		return tokRe.MatchString(stdout.String())
	})
	step("serving")
	base := urlRe.FindStringSubmatch(stdout.String())[1]
	tokenFile := tokRe.FindStringSubmatch(stdout.String())[1]
	require.Equal(t, filepath.Join(data, "admin-token"), tokenFile)
	fi, err := os.Stat(tokenFile)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "the token file is the owner's only")
	raw, err := os.ReadFile(tokenFile)
	require.NoError(t, err)
	token := strings.TrimSpace(string(raw))
	require.True(t, strings.HasPrefix(token, "ivt_"), token)
	require.NotContains(t, stdout.String(), token, "the token is never printed")
	require.Contains(t, stdout.String(), "Open "+base+"/", "the web address comes first")

	waitFor(t, "/readyz", 30*time.Second, func() bool {
		resp, err := http.Get(base + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == 200
	})

	get := func(path, tok string) (int, []byte) {
		req, _ := http.NewRequest("GET", base+path, nil)
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		var b bytes.Buffer
		b.ReadFrom(resp.Body)
		return resp.StatusCode, b.Bytes()
	}
	step("ready")
	code, _ := get("/v1/interviews", "")
	require.Equal(t, 401, code)
	code, body := get("/v1/interviews?limit=5", token)
	require.Equal(t, 200, code, "%s", body)
	var page struct {
		Items      []map[string]any `json:"items"`
		NextCursor string           `json:"next_cursor"`
	}
	require.NoError(t, json.Unmarshal(body, &page))
	require.Len(t, page.Items, 5, "demo data loaded")

	// The demo keeps mails as files: a sign-in link asked for on the
	// portal lands in DATA/mail.
	require.True(t, strings.Index(stdout.String(), "listening on") < strings.Index(stdout.String(), "/portal/"),
		"the web address comes before the portal's")
	code, body = get("/v1/interpreters?limit=1", token)
	require.Equal(t, 200, code)
	var ip struct {
		Items []struct {
			Email string `json:"email"`
		} `json:"items"`
	}
	require.NoError(t, json.Unmarshal(body, &ip))
	require.NotEmpty(t, ip.Items[0].Email, "demo interpreters have addresses")
	req, _ := http.NewRequest("POST", base+"/v1/portal/links", strings.NewReader(`{"email": "`+ip.Items[0].Email+`"}`))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, 202, resp.StatusCode)
	waitFor(t, "the sign-in mail in DATA/mail", 30*time.Second, func() bool {
		files, _ := filepath.Glob(filepath.Join(data, "mail", "*.eml"))
		for _, f := range files {
			if b, err := os.ReadFile(f); err == nil && strings.Contains(string(b), "To: <"+ip.Items[0].Email+">") &&
				strings.Contains(string(b), "/portal/signin/") {
				return true
			}
		}
		return false
	})
	require.NotEmpty(t, page.NextCursor)

	// token create works against the running server's cluster, and leaves it running.
	var tokOut, tokErr syncBuffer
	require.NoError(t, Main(ctx, []string{"token", "create", "-role", "clerk", "-name", "e2e-desk", "-data", data}, noEnv, &tokOut, &tokErr), tokErr.String())
	step("token created")
	clerk := strings.TrimSpace(tokOut.String())
	require.True(t, strings.HasPrefix(clerk, "ivt_"), clerk)
	code, _ = get("/v1/rooms", clerk)
	require.Equal(t, 200, code)
	code, _ = get("/v1/tokens", clerk)
	require.Equal(t, 403, code)

	// Logs are JSON, carry request ids, and no token.
	logs := stderr.String()
	require.Contains(t, logs, `"request_id"`)
	require.Contains(t, logs, `"token_id"`, "request lines name the caller")
	require.NotContains(t, logs, token)
	require.NotContains(t, logs, clerk)

	pid := filepath.Join(data, "postgres", "postmaster.pid")
	_, err = os.Stat(pid)
	require.NoError(t, err, "own PostgreSQL runs")

	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(time.Minute):
		t.Fatal("Main did not return after cancel")
	}
	step("stopped")
	_, err = os.Stat(pid)
	require.True(t, os.IsNotExist(err), "own PostgreSQL stopped")
	_, err = http.Get(base + "/healthz")
	require.Error(t, err, "server closed")

	// A second start finds the data and does not load the demo again.
	ctx2, cancel2 := context.WithCancel(context.Background())
	var out2, err2 syncBuffer
	done2 := make(chan error, 1)
	go func() {
		done2 <- Main(ctx2, []string{"serve", "-addr", "127.0.0.1:0", "-data", data, "-demo"}, noEnv, &out2, &err2)
	}()
	waitFor(t, "second start", 2*time.Minute, func() bool { return tokRe.MatchString(out2.String()) })
	require.Contains(t, err2.String(), "database not empty")
	require.NotContains(t, out2.String(), token)
	again, err := os.ReadFile(tokenFile)
	require.NoError(t, err)
	require.Equal(t, string(raw), string(again), "no new token at a restart")
	step("restarted")
	cancel2()
	require.NoError(t, <-done2)
	step("stopped again")
}

func TestUsageErrors(t *testing.T) {
	var out, errb bytes.Buffer
	require.Error(t, Main(context.Background(), nil, noEnv, &out, &errb))
	require.Error(t, Main(context.Background(), []string{"frobnicate"}, noEnv, &out, &errb))
	require.Error(t, Main(context.Background(), []string{"token", "create", "-role", "root", "-name", "x"}, noEnv, &out, &errb))
	require.Error(t, Main(context.Background(), []string{"token", "create", "-role", "clerk"}, noEnv, &out, &errb))
	require.Contains(t, errb.String(), "usage")
}
