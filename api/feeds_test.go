package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/api"
	"github.com/asylum-scheduling/interviews/calendars"
	"github.com/asylum-scheduling/interviews/calendars/calendarstest"
	"github.com/asylum-scheduling/interviews/internal/pgtest"
	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/internal/testclock"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

// Planted in the case reference of I-1: a feed must never show it.
const (
	plantedCase = "PLANTED-CASE-7731"
	plantedName = "Amina Haddad"
)

// The response validator reads feeds as opaque text.
func init() {
	openapi3filter.RegisterBodyDecoder(calendars.ContentType[:len("text/calendar")], openapi3filter.FileBodyDecoder)
}

var helsinki = func() *time.Location {
	l, err := time.LoadLocation("Europe/Helsinki")
	if err != nil {
		panic(err)
	}
	return l
}()

// feedFixture: two offices in Europe/Helsinki around the change to summer
// time (Sunday 2027-03-28), interpreters t1 and t2 (Arabic), four bookings
// and one pending interview (I-9, only t1 may interpret it, on 2027-03-22).
func feedFixture(t testing.TB) *solver.Instance {
	t.Helper()
	var days []map[string]string
	for d := time.Date(2027, 3, 15, 0, 0, 0, 0, helsinki); d.Before(time.Date(2027, 4, 17, 0, 0, 0, 0, helsinki)); d = d.AddDate(0, 0, 1) {
		days = append(days, map[string]string{
			"start": time.Date(d.Year(), d.Month(), d.Day(), 8, 0, 0, 0, helsinki).Format(time.RFC3339),
			"end":   time.Date(d.Year(), d.Month(), d.Day(), 16, 0, 0, 0, helsinki).Format(time.RFC3339)})
	}
	iv := func(id, caseRef, lang string, extra map[string]any) map[string]any {
		m := map[string]any{"id": id, "case": caseRef, "language": lang, "duration_minutes": 120,
			"earliest": "2027-03-15", "locations": []string{"HEL", "TKU"}}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	doc := map[string]any{
		"format": "interview-instance/v1", "timezone": "Europe/Helsinki", "grain_minutes": 30,
		"horizon":   map[string]string{"start": "2027-03-22", "end": "2027-04-16"},
		"locations": []map[string]string{{"id": "HEL", "name": "Helsinki"}, {"id": "TKU", "name": "Turku"}},
		"rooms": []map[string]any{
			{"id": "HEL-R1", "location": "HEL"}, {"id": "HEL-R2", "location": "HEL"}, {"id": "TKU-R1", "location": "TKU"},
		},
		"interviewers": []map[string]any{
			{"id": "e1", "location": "HEL", "skills": []string{}, "languages": []string{}, "availability": days},
			{"id": "e2", "location": "HEL", "skills": []string{}, "languages": []string{}, "availability": days},
			{"id": "e3", "location": "TKU", "skills": []string{}, "languages": []string{"fi"}, "availability": days},
		},
		"interpreters": []map[string]any{
			{"id": "t1", "languages": []string{"ar"}, "skills": []string{}, "modes": []string{"onsite", "remote"},
				"locations": []string{"HEL", "TKU"}, "availability": days},
			{"id": "t2", "languages": []string{"ar"}, "skills": []string{}, "modes": []string{"onsite", "remote"},
				"locations": []string{"HEL", "TKU"}, "availability": days},
		},
		"interviews": []map[string]any{
			iv("I-1", plantedCase+" "+plantedName, "ar-IQ", nil),
			iv("I-2", "C-2", "ar-IQ", nil),
			iv("I-3", "C-3", "fi", map[string]any{"needs_interpreter": false}),
			iv("I-4", "C-4", "ar", nil),
			iv("I-9", "C-9", "ar", map[string]any{"earliest": "2027-03-22", "latest": "2027-03-22",
				"locations": []string{"HEL"}, "excluded_interpreters": []string{"t2"}, "interpreter_mode": "onsite"}),
		},
		"bookings": []map[string]any{
			{"interview": "I-1", "start": "2027-03-27T08:30:00+02:00", "room": "HEL-R1", "interviewer": "e1", "interpreter": "t1", "mode": "onsite"},
			{"interview": "I-2", "start": "2027-03-29T08:30:00+03:00", "room": "HEL-R1", "interviewer": "e1", "interpreter": "t1", "mode": "remote"},
			{"interview": "I-3", "start": "2027-04-02T13:00:00+03:00", "room": "TKU-R1", "interviewer": "e3", "mode": "none"},
			{"interview": "I-4", "start": "2027-03-30T10:00:00+03:00", "room": "HEL-R2", "interviewer": "e2", "interpreter": "t2", "mode": "onsite"},
		},
	}
	raw, err := json.Marshal(doc)
	require.NoError(t, err)
	in, err := solver.ParseInstance(bytes.NewReader(raw))
	require.NoError(t, err)
	return in
}

// newFeedEnv is a server on a fresh database with the feed fixture, an
// injected clock at 2027-03-20T09:00Z and no feed rate limits.
func newFeedEnv(t *testing.T) (*env, *testclock.Clock) {
	t.Helper()
	clk := testclock.New(time.Date(2027, 3, 20, 9, 0, 0, 0, time.UTC))
	raw := pgtest.Open(t)
	db := postgres.New(raw, clk.Now)
	e := &env{t: t, db: db, raw: raw, tokens: map[resources.Role]string{}, logs: &bytes.Buffer{}}
	log := slog.New(slog.NewJSONHandler(lockedWriter{e}, nil))
	e.deps = testDeps(db, log, clk.Now)
	e.deps.Feeds = feedLimits(api.RateLimit{}, api.RateLimit{})
	e.srv = api.New(e.deps)
	ctx := context.Background()
	for _, role := range []resources.Role{resources.RoleClerk, resources.RoleManager, resources.RoleAdmin} {
		tok, _, err := db.CreateToken(ctx, "test-"+string(role), role)
		require.NoError(t, err)
		e.tokens[role] = tok
	}
	_, err := db.Import(ctx, feedFixture(t))
	require.NoError(t, err)
	return e, clk
}

type feedCreatedBody struct {
	ID        int64  `json:"id"`
	OwnerKind string `json:"owner_kind"`
	OwnerID   string `json:"owner_id"`
	URL       string `json:"url"`
}

// newFeed creates a feed and returns it with the path of its URL.
func (e *env) newFeed(kind, id string) (feedCreatedBody, string) {
	e.t.Helper()
	r := e.do(resources.RoleManager, "POST", "/v1/feeds", map[string]string{"owner_kind": kind, "owner_id": id})
	require.Equal(e.t, 201, r.Status, "%s", r.Body)
	require.Equal(e.t, "no-store", r.Header.Get("Cache-Control"))
	var f feedCreatedBody
	r.json(e.t, &f)
	u, err := url.Parse(f.URL)
	require.NoError(e.t, err)
	return f, u.Path
}

func (e *env) bookingID(interview string) int64 {
	e.t.Helper()
	var id int64
	require.NoError(e.t, e.raw.QueryRow(context.Background(), `select id from bookings where interview_id = $1`, interview).Scan(&id))
	return id
}

func (e *env) exec(sql string, args ...any) {
	e.t.Helper()
	_, err := e.raw.Exec(context.Background(), sql, args...)
	require.NoError(e.t, err)
}

func uid(id int64) string { return fmt.Sprintf("booking-%d@%s", id, api.FeedUIDDomain) }

// noForbidden checks the whole body for what a feed must never show.
func noForbidden(t *testing.T, body []byte) {
	t.Helper()
	unfolded := strings.ReplaceAll(string(body), "\r\n ", "")
	for _, s := range []string{plantedCase, plantedName, "Amina", "Haddad", "C-2", "C-4", "C-9"} {
		require.NotContains(t, unfolded, s, "the feed shows %q", s)
	}
}

func TestFeedContentReadByRealParsers(t *testing.T) {
	t.Parallel()
	e, clk := newFeedEnv(t)
	_, path := e.newFeed("interpreter", "t1")
	require.Regexp(t, `^/feeds/ivf_[A-Za-z0-9_-]{43}\.ics$`, path)

	r := e.do("", "GET", path, nil)
	require.Equal(t, 200, r.Status, "%s", r.Body)
	require.Equal(t, calendars.ContentType, r.Header.Get("Content-Type"))
	noForbidden(t, r.Body)
	b1, b2 := e.bookingID("I-1"), e.bookingID("I-2")
	want := map[string]calendarstest.Event{
		uid(b1): {Status: "CONFIRMED", Start: "2027-03-27T06:30:00Z", End: "2027-03-27T08:30:00Z", // 08:30 EET
			Summary: "Asylum interview · Arabic (ar-IQ) · on site", Location: "Helsinki, room HEL-R1",
			Description: "Reference: I-1", Transp: "OPAQUE"},
		uid(b2): {Status: "CONFIRMED", Start: "2027-03-29T05:30:00Z", End: "2027-03-29T07:30:00Z", // 08:30 EEST
			Summary: "Asylum interview · Arabic (ar-IQ) · remote interpretation", Location: "Helsinki, room HEL-R1",
			Description: "Reference: I-2\nHow to join (remote interpretation): Video link is sent by the office before the interview; room HEL-R1",
			Transp:      "OPAQUE"},
	}
	for parser, d := range calendarstest.ParseAll(t, r.Body) {
		require.Equal(t, "Asylum interviews · interpreter t1", d.CalendarName, parser)
		require.Equal(t, "PT1H", d.RefreshInterval, parser)
		got := d.ByUID(t)
		require.Len(t, d.Events, len(want), "%s: every booking once, no other", parser)
		for id, w := range want {
			g, ok := got[id]
			require.True(t, ok, "%s: %s missing", parser, id)
			require.Equal(t, 0, g.Sequence, parser)
			g.UID, g.Sequence, g.DTStamp = "", 0, ""
			require.Equal(t, w, g, "%s: %s", parser, id)
		}
	}

	// A hold on t1 is never in the interpreter's feed, but is TENTATIVE in the room's.
	e.exec(`insert into holds (interview_id, actor, start_at, end_at, room_id, interviewer_id, interpreter_id, mode, expires_at, created_at)
		values ('I-9', 'clerk', '2027-03-22T08:00:00Z', '2027-03-22T10:00:00Z', 'HEL-R1', 'e1', 't1', 'onsite', $1, $2)`,
		clk.Now().Add(15*time.Minute), clk.Now())
	r = e.do("", "GET", path, nil)
	require.Equal(t, 200, r.Status)
	require.NotContains(t, string(r.Body), "TENTATIVE")
	require.NotContains(t, string(r.Body), "I-9")
	_, roomPath := e.newFeed("room", "HEL-R1")
	r = e.do("", "GET", roomPath, nil)
	require.Equal(t, 200, r.Status)
	noForbidden(t, r.Body)
	for parser, d := range calendarstest.ParseAll(t, r.Body) {
		require.Len(t, d.Events, 3, parser)
		var tentative int
		for _, ev := range d.Events {
			if ev.Status == "TENTATIVE" {
				tentative++
				require.Equal(t, "2027-03-22T08:00:00Z", ev.Start, parser)
				require.True(t, strings.HasPrefix(ev.UID, "hold-"), parser)
			}
		}
		require.Equal(t, 1, tentative, parser)
	}
	// ... until it expires.
	clk.Add(16 * time.Minute)
	r = e.do("", "GET", roomPath, nil)
	require.NotContains(t, string(r.Body), "TENTATIVE")

	// The office feed has every booking of its rooms; the interviewer's has theirs.
	_, officePath := e.newFeed("office", "HEL")
	r = e.do("", "GET", officePath, nil)
	for parser, d := range calendarstest.ParseAll(t, r.Body) {
		require.Equal(t, "Asylum interviews · office Helsinki", d.CalendarName)
		require.Len(t, d.Events, 3, parser)
		require.Contains(t, d.ByUID(t), uid(e.bookingID("I-4")), parser)
	}
	_, e3Path := e.newFeed("interviewer", "e3")
	r = e.do("", "GET", e3Path, nil)
	for parser, d := range calendarstest.ParseAll(t, r.Body) {
		require.Len(t, d.Events, 1, parser)
		require.Equal(t, "Asylum interview · Finnish (fi) · no interpreter", d.Events[0].Summary, parser)
		require.Equal(t, "Turku, room TKU-R1", d.Events[0].Location, parser)
	}

	// A reschedule through the booking workflow: UID stable, SEQUENCE rises, new times.
	clk.Add(time.Hour)
	r = e.do(resources.RoleClerk, "POST", fmt.Sprintf("/v1/bookings/%d/reschedule", b1),
		map[string]any{"start": "2027-03-28T08:30:00+03:00", "room": "HEL-R1", "interviewer": "e1", "interpreter": "t1",
			"mode": "onsite", "reason": "counsel asked"})
	require.Equal(t, 200, r.Status, "%s", r.Body)
	var moved resources.Booking
	r.json(t, &moved)
	require.Equal(t, b1, moved.ID)
	require.Equal(t, 1, moved.Sequence)
	r = e.do("", "GET", path, nil)
	require.Equal(t, 200, r.Status)
	for parser, d := range calendarstest.ParseAll(t, r.Body) {
		g := d.ByUID(t)[uid(b1)]
		require.Equal(t, uid(b1), g.UID, parser)
		require.Equal(t, 1, g.Sequence, parser)
		require.Equal(t, "2027-03-28T05:30:00Z", g.Start, "%s: 08:30 EEST on the day of the change", parser)
		require.Equal(t, clk.Now().UTC().Format("2006-01-02T15:04:05Z"), g.DTStamp, parser)
		require.Len(t, d.Events, 2, parser)
	}

	// A cancellation through the booking workflow: CANCELLED for 14 days, then gone.
	r = e.do(resources.RoleClerk, "POST", fmt.Sprintf("/v1/bookings/%d/cancel", b2), map[string]any{"reason": "applicant withdrew"})
	require.Equal(t, 200, r.Status, "%s", r.Body)
	cancelledAt := clk.Now()
	check := func(present bool) {
		t.Helper()
		r := e.do("", "GET", path, nil)
		require.Equal(t, 200, r.Status)
		for parser, d := range calendarstest.ParseAll(t, r.Body) {
			g, ok := d.ByUID(t)[uid(b2)]
			require.Equal(t, present, ok, "%s at %s", parser, clk.Now())
			if ok {
				require.Equal(t, "CANCELLED", g.Status, parser)
				require.Equal(t, 1, g.Sequence, parser)
			}
		}
	}
	check(true)
	clk.Add(calendars.CancelledKeep - time.Second - clk.Now().Sub(cancelledAt))
	check(true)
	clk.Add(time.Second)
	check(false)
}

func TestFeedConditionalRequestsRotateRevoke(t *testing.T) {
	t.Parallel()
	e, clk := newFeedEnv(t)
	f, path := e.newFeed("interpreter", "t1")

	r := e.do("", "GET", path, nil)
	require.Equal(t, 200, r.Status)
	etag, lastMod := r.Header.Get("ETag"), r.Header.Get("Last-Modified")
	require.Regexp(t, `^"sha256-[0-9a-f]{32}"$`, etag)
	require.NotEmpty(t, lastMod)
	body := r.Body

	// The same state gives the same bytes; 304 on either validator; HEAD.
	clk.Add(time.Minute)
	r = e.do("", "GET", path, nil)
	require.Equal(t, body, r.Body)
	require.Equal(t, etag, r.Header.Get("ETag"))
	require.Equal(t, lastMod, r.Header.Get("Last-Modified"))
	r = e.do("", "GET", path, nil, "If-None-Match", etag)
	require.Equal(t, 304, r.Status)
	require.Empty(t, r.Body)
	r = e.do("", "GET", path, nil, "If-Modified-Since", lastMod)
	require.Equal(t, 304, r.Status)
	r = e.do("", "HEAD", path, nil)
	require.Equal(t, 200, r.Status)
	require.Empty(t, r.Body)
	require.Equal(t, etag, r.Header.Get("ETag"))

	// A change: 200 with a new ETag and a later Last-Modified.
	clk.Add(time.Minute)
	b1 := e.bookingID("I-1")
	e.exec(`update bookings set end_at = end_at + interval '30 minutes', sequence = sequence + 1, updated_at = $2 where id = $1`, b1, clk.Now())
	r = e.do("", "GET", path, nil, "If-None-Match", etag)
	require.Equal(t, 200, r.Status)
	etag2 := r.Header.Get("ETag")
	require.NotEqual(t, etag, etag2)
	lm2, err := http.ParseTime(r.Header.Get("Last-Modified"))
	require.NoError(t, err)
	require.Equal(t, clk.Now().Truncate(time.Second), lm2)

	// A booking moved to another interpreter leaves the feed without a change
	// of its own events: the feed still reports a later Last-Modified.
	clk.Add(time.Minute)
	e.exec(`update bookings set interpreter_id = 't2' where id = $1`, e.bookingID("I-2"))
	r = e.do("", "GET", path, nil, "If-Modified-Since", lm2.Format(http.TimeFormat))
	require.Equal(t, 200, r.Status)
	require.NotContains(t, string(r.Body), uid(e.bookingID("I-2")))
	lm3, err := http.ParseTime(r.Header.Get("Last-Modified"))
	require.NoError(t, err)
	require.True(t, lm3.After(lm2), "%s after %s", lm3, lm2)

	// Listing shows no token.
	r = e.do(resources.RoleManager, "GET", "/v1/feeds?owner_kind=interpreter&owner_id=t1", nil)
	require.Equal(t, 200, r.Status)
	require.NotContains(t, string(r.Body), strings.TrimSuffix(strings.TrimPrefix(path, "/feeds/"), ".ics"))
	var list struct {
		Items []struct {
			ID         int64   `json:"id"`
			LastUsedAt *string `json:"last_used_at"`
		} `json:"items"`
	}
	r.json(t, &list)
	require.Len(t, list.Items, 1)
	require.NotNil(t, list.Items[0].LastUsedAt)
	require.Equal(t, 403, e.do(resources.RoleClerk, "GET", "/v1/feeds", nil).Status)

	// Unknown tokens, an unknown owner, a bad kind.
	unknown := e.do("", "GET", "/feeds/ivf_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics", nil)
	require.Equal(t, 404, unknown.Status)
	require.Equal(t, 404, e.do("", "GET", "/feeds/nonsense.ics", nil).Status)
	require.Equal(t, 404, e.do(resources.RoleManager, "POST", "/v1/feeds", map[string]string{"owner_kind": "interpreter", "owner_id": "nobody"}).Status)
	require.Equal(t, 400, e.do(resources.RoleManager, "POST", "/v1/feeds", map[string]string{"owner_kind": "applicant", "owner_id": "x"}).Status)

	// Rotate: the old URL is dead at once, the new one works.
	r = e.do(resources.RoleManager, "POST", fmt.Sprintf("/v1/feeds/%d/rotate", f.ID), nil)
	require.Equal(t, 200, r.Status, "%s", r.Body)
	var rotated feedCreatedBody
	r.json(t, &rotated)
	u, err := url.Parse(rotated.URL)
	require.NoError(t, err)
	require.NotEqual(t, path, u.Path)
	old := e.do("", "GET", path, nil)
	require.Equal(t, 404, old.Status)
	require.Equal(t, unknown.Body, old.Body, "a dead token is answered like an unknown one")
	require.Equal(t, 200, e.do("", "GET", u.Path, nil).Status)

	// Revoke: 404.
	require.Equal(t, 204, e.do(resources.RoleManager, "DELETE", fmt.Sprintf("/v1/feeds/%d", f.ID), nil).Status)
	r = e.do("", "GET", u.Path, nil)
	require.Equal(t, 404, r.Status)
	require.Equal(t, unknown.Body, r.Body)
	require.Equal(t, 404, e.do("", "HEAD", u.Path, nil).Status)
	require.Equal(t, 404, e.do(resources.RoleManager, "DELETE", fmt.Sprintf("/v1/feeds/%d", f.ID), nil).Status)

	// The request log names the route, never the token.
	e.mu.Lock()
	logs := e.logs.String()
	e.mu.Unlock()
	require.Contains(t, logs, `"route":"/feeds/{token}.ics"`)
	require.NotContains(t, logs, "ivf_")
}

func TestFeedEmptyAndOwnerGone(t *testing.T) {
	t.Parallel()
	e, _ := newFeedEnv(t)
	_, path := e.newFeed("room", "HEL-R2")
	e.exec(`delete from bookings where room_id = 'HEL-R2'`)
	r := e.do("", "GET", path, nil)
	require.Equal(t, 200, r.Status)
	for parser, d := range calendarstest.ParseAll(t, r.Body) {
		require.Empty(t, d.Events, parser)
	}
	require.Equal(t, 204, e.do(resources.RoleManager, "DELETE", "/v1/rooms/HEL-R2", nil).Status)
	require.Equal(t, 404, e.do("", "GET", path, nil).Status)
}

func TestFeedRateLimit(t *testing.T) {
	t.Parallel()
	e, clk := newFeedEnv(t)
	e.rewire(func(d *api.Deps) { d.Feeds = feedLimits(api.RateLimit{PerSecond: 0.1, Burst: 3}, api.RateLimit{}) })
	_, path := e.newFeed("interpreter", "t1")
	for i := 0; i < 3; i++ {
		require.Equal(t, 200, e.do("", "GET", path, nil).Status)
	}
	r := e.do("", "GET", path, nil)
	require.Equal(t, 429, r.Status)
	require.Equal(t, "10", r.Header.Get("Retry-After"))
	// Unknown tokens are limited as well (each its own bucket).
	bogus := "/feeds/ivf_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB.ics"
	for i := 0; i < 3; i++ {
		require.Equal(t, 404, e.do("", "GET", bogus, nil).Status)
	}
	require.Equal(t, 429, e.do("", "GET", bogus, nil).Status)
	clk.Add(10 * time.Second)
	require.Equal(t, 200, e.do("", "GET", path, nil).Status)
	require.Equal(t, 429, e.do("", "GET", path, nil).Status)

	// Per address: all tokens together.
	e.rewire(func(d *api.Deps) { d.Feeds = feedLimits(api.RateLimit{}, api.RateLimit{PerSecond: 1, Burst: 2}) })
	require.Equal(t, 200, e.do("", "GET", path, nil).Status)
	require.Equal(t, 404, e.do("", "GET", bogus, nil).Status)
	r = e.do("", "GET", path, nil)
	require.Equal(t, 429, r.Status)
	require.Equal(t, "1", r.Header.Get("Retry-After"))
}

func TestFeedConcurrentRequestsAfterAChange(t *testing.T) {
	t.Parallel()
	e, clk := newFeedEnv(t)
	_, path := e.newFeed("interpreter", "t1")
	first := e.do("", "GET", path, nil)
	require.Equal(t, 200, first.Status)
	clk.Add(time.Minute)
	e.exec(`update bookings set sequence = sequence + 1, updated_at = $2 where id = $1`, e.bookingID("I-1"), clk.Now())
	const n = 16
	etags := make([]string, n)
	codes := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rec := httptest.NewRecorder()
			e.srv.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
			codes[i], etags[i] = rec.Code, rec.Header().Get("ETag")
		}()
	}
	wg.Wait()
	for i := range n {
		require.Equal(t, 200, codes[i])
		require.Equal(t, etags[0], etags[i], "every request sees the same body")
	}
	require.NotEqual(t, first.Header.Get("ETag"), etags[0])
	require.Equal(t, etags[0], e.do("", "GET", path, nil).Header.Get("ETag"))
}
