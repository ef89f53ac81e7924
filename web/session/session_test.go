package session_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/internal/pgtest"
	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/web/session"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// kind is one kind of session as its store keeps it: create one at t0
// that expires at exp; ask whether it is alive at now (which marks it
// seen by the store's own rule).
type kind struct {
	name   string
	create func(ctx context.Context, db *postgres.DB, hash []byte, t0, exp time.Time, idle time.Duration) error
	alive  func(ctx context.Context, db *postgres.DB, hash []byte, now time.Time, idle time.Duration) (bool, error)
}

var kinds = []kind{
	{
		name: "staff",
		create: func(ctx context.Context, db *postgres.DB, hash []byte, t0, exp time.Time, idle time.Duration) error {
			return db.CreateStaffSession(ctx, hash, postgres.StaffSession{Kind: postgres.StaffByToken, Subject: "1", Name: "clerk",
				Role: resources.RoleClerk, CSRF: session.NewSecret(), Expires: exp}, t0, idle)
		},
		alive: func(ctx context.Context, db *postgres.DB, hash []byte, now time.Time, idle time.Duration) (bool, error) {
			_, err := db.StaffSessionByHash(ctx, hash, now, idle)
			return aliveOf(err)
		},
	},
	{
		name: "portal",
		create: func(ctx context.Context, db *postgres.DB, hash []byte, t0, exp time.Time, idle time.Duration) error {
			return db.CreatePortalSession(ctx, hash, resources.PortalSession{Role: resources.PortalInterpreter, PersonID: "IT-1",
				CSRF: session.NewSecret(), ExpiresAt: exp}, t0)
		},
		alive: func(ctx context.Context, db *postgres.DB, hash []byte, now time.Time, idle time.Duration) (bool, error) {
			_, err := db.PortalSession(ctx, hash, now, idle)
			return aliveOf(err)
		},
	},
}

func aliveOf(err error) (bool, error) {
	if errs.CodeOf(err) == errs.Unauthorized {
		return false, nil
	}
	return err == nil, err
}

// Staff and portal sessions live and end by the same rules (Live, Touch):
// each store, asked at the same moments, answers as the rules say.
func TestStoresFollowTheRules(t *testing.T) {
	t.Parallel()
	const idle, max = time.Hour, 3 * time.Hour
	t0 := time.Date(2027, 1, 4, 8, 0, 0, 0, time.UTC)
	cases := []struct {
		name  string
		steps []time.Duration // moments after t0 the session is used
	}{
		{"used a minute on, it lives on past the idle time", []time.Duration{session.TouchEvery, idle + 30*time.Second}},
		{"used under a minute on, it is not marked seen", []time.Duration{session.TouchEvery - time.Second, idle + 30*time.Second}},
		{"just before the idle time", []time.Duration{idle - time.Second}},
		{"exactly the idle time unused", []time.Duration{idle}},
		{"used often, up to its expiry", []time.Duration{50 * time.Minute, 100 * time.Minute, 150 * time.Minute, max - time.Second, max}},
	}
	db := postgres.New(pgtest.Open(t), time.Now)
	ctx := context.Background()
	for _, c := range cases {
		// What the rules say, step by step.
		var want []bool
		seen := t0
		for _, d := range c.steps {
			now := t0.Add(d)
			live := session.Live(t0.Add(max), seen, now, idle)
			if live && session.Touch(seen, now) {
				seen = now
			}
			want = append(want, live)
		}
		for _, k := range kinds {
			hash := session.Hash(session.NewSecret())
			require.NoError(t, k.create(ctx, db, hash, t0, t0.Add(max), idle))
			var got []bool
			for _, d := range c.steps {
				live, err := k.alive(ctx, db, hash, t0.Add(d), idle)
				require.NoError(t, err)
				got = append(got, live)
			}
			require.Equal(t, want, got, "%s: %s", k.name, c.name)
		}
	}
}

func TestCheckToken(t *testing.T) {
	t.Parallel()
	cases := []struct {
		form, want string
		ok         bool
	}{
		{"abc", "abc", true},
		{"abd", "abc", false},
		{"", "abc", false},
		{"", "", false},
		{"abc", "", false},
	}
	for _, c := range cases {
		r := httptest.NewRequest(http.MethodPost, "/x", strings.NewReader(url.Values{session.CSRFField: {c.form}}.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		err := session.CheckToken(r, c.want)
		if c.ok {
			require.NoError(t, err, "%+v", c)
			continue
		}
		require.Equal(t, errs.Forbidden, errs.CodeOf(err), "%+v", c)
	}
}

// A post from another site, or from an opaque origin, is refused before
// the handler; the same site's post, and any GET, reach it.
func TestSameOrigin(t *testing.T) {
	t.Parallel()
	var denied error
	h := session.SameOrigin(func(w http.ResponseWriter, r *http.Request, err error) {
		denied = err
		w.WriteHeader(http.StatusForbidden)
	})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	cases := []struct {
		method  string
		headers map[string]string
		status  int
	}{
		{http.MethodPost, map[string]string{"Origin": "https://evil.example"}, http.StatusForbidden},
		{http.MethodPost, map[string]string{"Origin": "null"}, http.StatusForbidden},
		{http.MethodPost, map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
		{http.MethodPost, map[string]string{"Sec-Fetch-Site": "same-site", "Origin": "https://other.pages.example"}, http.StatusForbidden},
		{http.MethodPost, map[string]string{"Origin": "https://pages.example"}, http.StatusNoContent},
		{http.MethodPost, map[string]string{"Sec-Fetch-Site": "same-origin"}, http.StatusNoContent},
		{http.MethodPost, nil, http.StatusNoContent}, // not a browser
		{http.MethodGet, map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusNoContent},
	}
	for _, c := range cases {
		denied = nil
		r := httptest.NewRequest(c.method, "https://pages.example/x", nil)
		for k, v := range c.headers {
			r.Header.Set(k, v)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		require.Equal(t, c.status, w.Code, "%+v", c)
		if c.status == http.StatusForbidden {
			require.Equal(t, session.ErrOrigin, denied)
		}
	}
}
