package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/pgcluster"
)

// ownServer is `interviewd serve` on its own cluster under a data folder,
// run in this process through Main.
type ownServer struct {
	base   string
	out    *syncBuffer
	errb   *syncBuffer
	cancel context.CancelFunc
	done   chan error
}

var listeningRe = regexp.MustCompile(`listening on (http://\S+)`)

func startOwn(t *testing.T, data string, args ...string) *ownServer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &ownServer{out: &syncBuffer{}, errb: &syncBuffer{}, cancel: cancel, done: make(chan error, 1)}
	argv := append([]string{"serve", "-addr", "127.0.0.1:0", "-data", data, "-nightly-plan", "off"}, args...)
	go func() { s.done <- Main(ctx, argv, noEnv, s.out, s.errb) }()
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("stdout:\n%s\nstderr:\n%s", s.out.String(), s.errb.String())
		}
		s.stop(t)
	})
	waitFor(t, "the server to listen", 2*time.Minute, func() bool {
		select {
		case err := <-s.done:
			s.done <- err
			t.Fatalf("serve returned early: %v\n%s", err, s.errb.String())
		default:
		}
		return listeningRe.MatchString(s.out.String())
	})
	s.base = listeningRe.FindStringSubmatch(s.out.String())[1]
	return s
}

// stop shuts the server down (as SIGTERM would) and waits for it.
func (s *ownServer) stop(t *testing.T) {
	if s.cancel == nil {
		return
	}
	s.cancel()
	s.cancel = nil
	select {
	case err := <-s.done:
		require.NoError(t, err)
	case <-time.After(time.Minute):
		t.Fatal("serve did not return after cancel")
	}
}

func (s *ownServer) get(t *testing.T, token, path string) []byte {
	t.Helper()
	req, err := http.NewRequest("GET", s.base+path, nil)
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, 200, resp.StatusCode, "GET %s: %s", path, b)
	return b
}

func (s *ownServer) post(t *testing.T, token, path, body string) []byte {
	t.Helper()
	req, err := http.NewRequest("POST", s.base+path, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Less(t, resp.StatusCode, 300, "POST %s: %s", path, b)
	return b
}

func mainToken(t *testing.T, data, role string) string {
	t.Helper()
	var out, errb syncBuffer
	require.NoError(t, Main(context.Background(), []string{"token", "create", "-role", role, "-name", "test-" + role, "-data", data}, noEnv, &out, &errb), errb.String())
	return strings.TrimSpace(out.String())
}

// TestBackupAndRestore backs up a served database and restores it into a
// fresh data folder: the new server serves the same bookings, audit trail
// and calendar feeds, and the old tokens work.
func TestBackupAndRestore(t *testing.T) {
	first := t.TempDir()
	s := startOwn(t, first, "-demo")
	admin := mainToken(t, first, "admin")
	bookings := s.get(t, admin, "/v1/bookings?limit=1000")
	var page struct {
		Items []struct {
			Interview   string `json:"interview"`
			Interpreter string `json:"interpreter"`
		} `json:"items"`
	}
	require.NoError(t, json.Unmarshal(bookings, &page))
	require.NotEmpty(t, page.Items)
	var owner string
	for _, b := range page.Items {
		if b.Interpreter != "" {
			owner = b.Interpreter
			break
		}
	}
	require.NotEmpty(t, owner)
	audit := s.get(t, admin, "/v1/interviews/"+page.Items[0].Interview+"/audit")
	var feed struct {
		URL string `json:"url"`
	}
	require.NoError(t, json.Unmarshal(s.post(t, admin, "/v1/feeds", `{"owner_kind":"interpreter","owner_id":"`+owner+`"}`), &feed))
	feedPath := strings.TrimPrefix(feed.URL, s.base)
	require.True(t, strings.HasPrefix(feedPath, "/feeds/"), feed.URL)
	ics := s.get(t, "", feedPath)
	require.Contains(t, string(ics), "BEGIN:VEVENT")

	file := filepath.Join(t.TempDir(), "interviews.backup")
	var errb syncBuffer
	require.NoError(t, Main(context.Background(), []string{"backup", "-data", first, "-out", file}, noEnv, io.Discard, &errb), errb.String())
	fi, err := os.Stat(file)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "the backup holds personal data")
	s.stop(t)

	second := t.TempDir()
	require.NoError(t, Main(context.Background(), []string{"restore", "-data", second, "-in", file}, noEnv, io.Discard, &errb), errb.String())
	r := startOwn(t, second)
	require.JSONEq(t, string(bookings), string(r.get(t, admin, "/v1/bookings?limit=1000")), "the same bookings")
	require.JSONEq(t, string(audit), string(r.get(t, admin, "/v1/interviews/"+page.Items[0].Interview+"/audit")), "the same audit trail")
	require.Equal(t, normaliseFeed(ics), normaliseFeed(r.get(t, "", feedPath)), "the same feed at the same link")

	// Restoring over data is refused, and loses nothing.
	err = Main(context.Background(), []string{"restore", "-data", second, "-in", file}, noEnv, io.Discard, &errb)
	require.ErrorContains(t, err, "fresh database")
	require.JSONEq(t, string(bookings), string(r.get(t, admin, "/v1/bookings?limit=1000")))
}

// normaliseFeed drops the stamp of when the feed was rendered.
func normaliseFeed(b []byte) string {
	return regexp.MustCompile(`(?m)^DTSTAMP:.*\r?\n`).ReplaceAllString(string(bytes.ReplaceAll(b, []byte("\r\n "), nil)), "")
}

// TestAdoptedClusterStopsWithItsServer: a server killed with -9 leaves its
// PostgreSQL running; the next server adopts it and stops it on shutdown.
// Two servers on one data folder are refused; token create never makes a
// second database in a folder that has none.
func TestAdoptedClusterStopsWithItsServer(t *testing.T) {
	data := t.TempDir()
	t.Cleanup(func() { // whatever happens, no PostgreSQL outlives the test
		if c, err := pgcluster.New(filepath.Join(data, "postgres"), pgcluster.Options{}); err == nil {
			c.Own()
			c.Stop(context.Background())
		}
	})
	// A server in another process on its own cluster (no DATABASE_URL).
	c := startChild(t, "", childDataEnv+"="+data)
	pid := filepath.Join(data, "postgres", "postmaster.pid")
	_, err := os.Stat(pid)
	require.NoError(t, err)

	// A second server on the same folder is refused while the first runs.
	var errb syncBuffer
	err = Main(context.Background(), []string{"serve", "-addr", "127.0.0.1:0", "-data", data}, noEnv, io.Discard, &errb)
	require.ErrorContains(t, err, "another interviewd serves the data folder")

	// token create on a folder without a database refuses, naming it.
	empty := t.TempDir()
	err = Main(context.Background(), []string{"token", "create", "-role", "clerk", "-name", "x", "-data", empty}, noEnv, io.Discard, &errb)
	require.ErrorContains(t, err, "no database in "+filepath.Join(empty, "postgres"))
	_, err = os.Stat(filepath.Join(empty, "postgres", "PG_VERSION"))
	require.True(t, os.IsNotExist(err), "no cluster made")

	c.kill(t)
	_, err = os.Stat(pid)
	require.NoError(t, err, "the orphaned PostgreSQL runs on")

	a := startOwn(t, data, "-metrics-addr", "127.0.0.1:0")
	require.Contains(t, a.errb.String(), "adopting the own PostgreSQL")
	// Metrics on their own address, not on the public one.
	m := regexp.MustCompile(`metrics on (http://\S+)`).FindStringSubmatch(a.out.String())
	require.NotNil(t, m, a.out.String())
	resp, err := http.Get(m[1])
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode)
	require.Contains(t, string(body), "interviewd_db_pool_max_conns")
	resp, err = http.Get(a.base + "/metrics")
	require.NoError(t, err)
	resp.Body.Close()
	require.NotEqual(t, 200, resp.StatusCode, "the public address serves no metrics")
	a.stop(t)
	_, err = os.Stat(pid)
	require.True(t, os.IsNotExist(err), "the adopting server stopped PostgreSQL on shutdown")
}
