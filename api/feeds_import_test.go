package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/calendars/importer"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

// busyICS: a weekly busy event on Mondays 10:00–12:00 in Helsinki (four
// times, across the change to summer time) with one occurrence moved to
// 14:00–16:00, a meeting in New York time, a free (transparent) event, a
// cancelled one, and a busy time over t1's booking of I-1.
const busyICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//Busy//EN\r\n" +
	"BEGIN:VEVENT\r\nUID:weekly@test\r\nDTSTAMP:20270301T000000Z\r\n" +
	"DTSTART;TZID=Europe/Helsinki:20270322T100000\r\nDTEND;TZID=Europe/Helsinki:20270322T120000\r\n" +
	"RRULE:FREQ=WEEKLY;COUNT=4\r\nSUMMARY:Private\r\nEND:VEVENT\r\n" +
	"BEGIN:VEVENT\r\nUID:weekly@test\r\nDTSTAMP:20270301T000000Z\r\nRECURRENCE-ID;TZID=Europe/Helsinki:20270405T100000\r\n" +
	"DTSTART;TZID=Europe/Helsinki:20270405T140000\r\nDTEND;TZID=Europe/Helsinki:20270405T160000\r\nEND:VEVENT\r\n" +
	"BEGIN:VEVENT\r\nUID:ny@test\r\nDTSTAMP:20270301T000000Z\r\n" +
	"DTSTART;TZID=America/New_York:20270324T090000\r\nDTEND;TZID=America/New_York:20270324T100000\r\nEND:VEVENT\r\n" +
	"BEGIN:VEVENT\r\nUID:free@test\r\nDTSTAMP:20270301T000000Z\r\nTRANSP:TRANSPARENT\r\n" +
	"DTSTART:20270323T080000Z\r\nDTEND:20270323T100000Z\r\nEND:VEVENT\r\n" +
	"BEGIN:VEVENT\r\nUID:off@test\r\nDTSTAMP:20270301T000000Z\r\nSTATUS:CANCELLED\r\n" +
	"DTSTART:20270325T080000Z\r\nDTEND:20270325T100000Z\r\nEND:VEVENT\r\n" +
	"BEGIN:VEVENT\r\nUID:clash@test\r\nDTSTAMP:20270301T000000Z\r\n" +
	"DTSTART:20270327T060000Z\r\nDTEND:20270327T070000Z\r\nEND:VEVENT\r\n" +
	"END:VCALENDAR\r\n"

// The busy times busyICS must yield, in UTC.
var busyWant = [][2]string{
	{"2027-03-22T08:00:00Z", "2027-03-22T10:00:00Z"}, // 10:00 EET
	{"2027-03-24T13:00:00Z", "2027-03-24T14:00:00Z"}, // 09:00 EDT
	{"2027-03-27T06:00:00Z", "2027-03-27T07:00:00Z"}, // over I-1's booking
	{"2027-03-29T07:00:00Z", "2027-03-29T09:00:00Z"}, // 10:00 EEST
	{"2027-04-05T11:00:00Z", "2027-04-05T13:00:00Z"}, // moved to 14:00 EEST
	{"2027-04-12T07:00:00Z", "2027-04-12T09:00:00Z"},
}

// icsServer serves a calendar that the test changes, with an ETag.
type icsServer struct {
	mu     sync.Mutex
	body   string
	etag   string
	status int
	hits   map[int]int // by status answered
}

func (s *icsServer) set(body, etag string, status int) {
	s.mu.Lock()
	s.body, s.etag, s.status = body, etag, status
	s.mu.Unlock()
}

func (s *icsServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	status := s.status
	if status == http.StatusOK && s.etag != "" && r.Header.Get("If-None-Match") == s.etag {
		status = http.StatusNotModified
	}
	s.hits[status]++
	if s.etag != "" {
		w.Header().Set("ETag", s.etag)
	}
	w.Header().Set("Content-Type", "text/calendar")
	w.WriteHeader(status)
	if status == http.StatusOK {
		w.Write([]byte(s.body))
	}
}

func (e *env) imported(resourceOf string) [][2]string {
	e.t.Helper()
	rows, err := e.raw.Query(context.Background(), `select lower(a.during), upper(a.during) from absences a
		join interpreters t on t.resource_id = a.resource_id where t.id = $1 and a.reason = 'imported' order by 1`, resourceOf)
	require.NoError(e.t, err)
	defer rows.Close()
	var out [][2]string
	for rows.Next() {
		var s, en time.Time
		require.NoError(e.t, rows.Scan(&s, &en))
		out = append(out, [2]string{s.UTC().Format(time.RFC3339), en.UTC().Format(time.RFC3339)})
	}
	require.NoError(e.t, rows.Err())
	return out
}

type busyStatus struct {
	Items []struct {
		OwnerKind     string  `json:"owner_kind"`
		OwnerID       string  `json:"owner_id"`
		URL           string  `json:"url"`
		BusyIntervals *int    `json:"busy_intervals"`
		LastAttemptAt *string `json:"last_attempt_at"`
		LastSuccessAt *string `json:"last_success_at"`
		LastError     *string `json:"last_error"`
	} `json:"items"`
}

func TestBusyCalendarImport(t *testing.T) {
	t.Parallel()
	e, clk := newFeedEnv(t)
	ctx := context.Background()
	src := &icsServer{hits: map[int]int{}}
	src.set(busyICS, `"v1"`, http.StatusOK)
	ts := httptest.NewServer(src)
	defer ts.Close()

	m := resources.RoleManager
	r := e.do(m, "PUT", "/v1/interpreters/t1/busy-calendar", map[string]string{"url": ts.URL + "/private/secret-token/basic.ics"})
	require.Equal(t, 200, r.Status, "%s", r.Body)
	require.NotContains(t, string(r.Body), "secret-token")
	require.Equal(t, 400, e.do(m, "PUT", "/v1/interpreters/t1/busy-calendar", map[string]string{"url": "ftp://x/y"}).Status)
	require.Equal(t, 404, e.do(m, "PUT", "/v1/interpreters/nobody/busy-calendar", map[string]string{"url": ts.URL}).Status)
	require.Equal(t, 403, e.do(resources.RoleClerk, "PUT", "/v1/interpreters/t1/busy-calendar", map[string]string{"url": ts.URL}).Status)

	// Suggestions for I-9 (only t1, on 2027-03-22) before the import may use 10:00–12:00.
	before := suggestStarts(t, e, "I-9")
	require.NotEmpty(t, before)

	// In production the import refuses loopback addresses.
	prod := importer.New(e.db, nil, clk.Now)
	sum, err := prod.ImportBusyCalendars(ctx, clk.Now())
	require.NoError(t, err)
	require.Equal(t, 1, sum.Failed)
	require.Empty(t, e.imported("t1"))
	var st busyStatus
	st = busyStatus{}
	e.do(m, "GET", "/v1/busy-calendars", nil).json(t, &st)
	require.Len(t, st.Items, 1)
	require.NotNil(t, st.Items[0].LastError)
	require.Contains(t, *st.Items[0].LastError, "not a public internet address")
	require.NotContains(t, *st.Items[0].LastError, "secret-token")
	require.Zero(t, src.hits[http.StatusOK])

	// Tests allow loopback.
	im := importer.New(e.db, nil, clk.Now)
	im.Client = importer.SafeClient(loopbackAllowed(t))
	sum, err = im.ImportBusyCalendars(ctx, clk.Now())
	require.NoError(t, err)
	require.Equal(t, importer.Summary{Calendars: 1, Fetched: 1, Added: len(busyWant), Flagged: 2}, sum)
	require.Equal(t, busyWant, e.imported("t1"))
	st = busyStatus{}
	e.do(m, "GET", "/v1/busy-calendars", nil).json(t, &st)
	require.Equal(t, "interpreter", st.Items[0].OwnerKind)
	require.Equal(t, "t1", st.Items[0].OwnerID)
	require.Equal(t, ts.URL+"/…", st.Items[0].URL)
	require.Nil(t, st.Items[0].LastError)
	require.Equal(t, len(busyWant), *st.Items[0].BusyIntervals)
	firstGood := *st.Items[0].LastSuccessAt
	require.Equal(t, clk.Now().UTC().Format(time.RFC3339), firstGood)

	// The busy times over I-1 and I-2 (10:00 EEST on the 29th) flag their bookings for a repair.
	require.Equal(t, 2, e.count(`select count(*) from booking_flags f join bookings b on b.id = f.booking_id where b.interview_id in ('I-1', 'I-2')`))

	// The imported time takes effect at once: no suggestion for I-9 overlaps 08:00–10:00Z.
	after := suggestStarts(t, e, "I-9")
	require.NotEmpty(t, after)
	busyFrom, busyTo := mustTime(t, busyWant[0][0]), mustTime(t, busyWant[0][1])
	for _, s := range after {
		require.False(t, s[0].Before(busyTo) && s[1].After(busyFrom), "suggestion %s–%s overlaps the imported busy time", s[0], s[1])
	}
	overlapped := false
	for _, s := range before {
		overlapped = overlapped || (s[0].Before(busyTo) && s[1].After(busyFrom))
	}
	require.True(t, overlapped, "fixture: before the import some suggestion used the time that became busy")

	// Unchanged: a conditional GET, 304, nothing written, the same absence ids.
	ids := e.count(`select coalesce(sum(id), 0) from absences where reason = 'imported'`)
	clk.Add(time.Hour)
	sum, err = im.ImportBusyCalendars(ctx, clk.Now())
	require.NoError(t, err)
	require.Equal(t, importer.Summary{Calendars: 1, NotModified: 1}, sum)
	require.Equal(t, 1, src.hits[http.StatusNotModified])
	require.Equal(t, ids, e.count(`select coalesce(sum(id), 0) from absences where reason = 'imported'`))
	st = busyStatus{}
	e.do(m, "GET", "/v1/busy-calendars", nil).json(t, &st)
	lastGood := *st.Items[0].LastSuccessAt // a 304 is a successful check
	require.Equal(t, clk.Now().UTC().Format(time.RFC3339), lastGood)
	require.NotEqual(t, firstGood, lastGood)

	// A broken document keeps the last good import and records the error.
	clk.Add(time.Hour)
	src.set(strings.Replace(busyICS, "END:VCALENDAR", "", 1)+"BEGIN:VEVENT\r\nDTSTART:garbage\r\n", `"v2"`, http.StatusOK)
	sum, err = im.ImportBusyCalendars(ctx, clk.Now())
	require.NoError(t, err)
	require.Equal(t, 1, sum.Failed)
	require.Equal(t, busyWant, e.imported("t1"))
	st = busyStatus{}
	e.do(m, "GET", "/v1/busy-calendars", nil).json(t, &st)
	require.NotNil(t, st.Items[0].LastError)
	require.Equal(t, lastGood, *st.Items[0].LastSuccessAt)
	require.Equal(t, clk.Now().UTC().Format(time.RFC3339), *st.Items[0].LastAttemptAt)

	// So does a server error.
	src.set("", "", http.StatusInternalServerError)
	sum, err = im.ImportBusyCalendars(ctx, clk.Now())
	require.NoError(t, err)
	require.Equal(t, 1, sum.Failed)
	require.Equal(t, busyWant, e.imported("t1"))
	st = busyStatus{}
	e.do(m, "GET", "/v1/busy-calendars", nil).json(t, &st)
	require.Contains(t, *st.Items[0].LastError, "500")

	// A fixed calendar without the weekly event replaces the imported set.
	fixed := busyICS[:strings.Index(busyICS, "BEGIN:VEVENT")] + busyICS[strings.Index(busyICS, "BEGIN:VEVENT\r\nUID:ny@test"):]
	src.set(fixed, `"v3"`, http.StatusOK)
	sum, err = im.ImportBusyCalendars(ctx, clk.Now())
	require.NoError(t, err)
	require.Equal(t, importer.Summary{Calendars: 1, Fetched: 1, Removed: 4}, sum)
	require.Equal(t, [][2]string{busyWant[1], busyWant[2]}, e.imported("t1"))
	st = busyStatus{}
	e.do(m, "GET", "/v1/busy-calendars", nil).json(t, &st)
	require.Nil(t, st.Items[0].LastError)

	// Hand-entered absences are never touched; removing the calendar removes its busy times.
	r = e.do(m, "POST", "/v1/interpreters/t1/absences", map[string]string{"start": "2027-04-01T08:00:00+03:00", "end": "2027-04-01T16:00:00+03:00"})
	require.Equal(t, 201, r.Status, "%s", r.Body)
	require.Equal(t, 204, e.do(m, "DELETE", "/v1/interpreters/t1/busy-calendar", nil).Status)
	require.Empty(t, e.imported("t1"))
	require.Equal(t, 1, e.count(`select count(*) from absences a join interpreters t on t.resource_id = a.resource_id where t.id = 't1'`))
	require.Equal(t, 404, e.do(m, "DELETE", "/v1/interpreters/t1/busy-calendar", nil).Status)
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	require.NoError(t, err)
	return v
}

// suggestStarts asks for suggestions for interview id and returns their spans.
func suggestStarts(t *testing.T, e *env, id string) [][2]time.Time {
	t.Helper()
	r := e.do(resources.RoleClerk, "POST", "/v1/interviews/"+id+"/suggestions", map[string]any{"k": 20})
	require.Equal(t, 200, r.Status, "%s", r.Body)
	var a struct {
		Suggestions []struct {
			Start string `json:"start"`
			End   string `json:"end"`
		} `json:"suggestions"`
	}
	r.json(t, &a)
	var out [][2]time.Time
	for _, s := range a.Suggestions {
		out = append(out, [2]time.Time{mustTime(t, s.Start), mustTime(t, s.End)})
	}
	return out
}

// Imported busy time counts for plans too: a plan made after the import
// never puts the person into it.
func TestImportedBusyTimeAffectsPlans(t *testing.T) {
	t.Parallel()
	e, clk := newFeedEnv(t)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		require.NoError(t, e.deps.Planner.Close(ctx))
	})
	ctx := context.Background()
	m := resources.RoleManager
	// t1 is busy 08:00–12:00 Helsinki time on 22 March, the only day of I-9
	// (which only t1 may interpret).
	const ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//Busy//EN\r\n" +
		"BEGIN:VEVENT\r\nUID:morning@test\r\nDTSTAMP:20270301T000000Z\r\n" +
		"DTSTART:20270322T060000Z\r\nDTEND:20270322T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	busyFrom, busyTo := mustTime(t, "2027-03-22T06:00:00Z"), mustTime(t, "2027-03-22T10:00:00Z")
	src := &icsServer{hits: map[int]int{}}
	src.set(ics, `"v1"`, http.StatusOK)
	ts := httptest.NewServer(src)
	defer ts.Close()
	r := e.do(m, "PUT", "/v1/interpreters/t1/busy-calendar", map[string]string{"url": ts.URL + "/busy.ics"})
	require.Equal(t, 200, r.Status, "%s", r.Body)

	plan := func() []solver.Assignment {
		t.Helper()
		r := e.do(m, "POST", "/v1/plans", map[string]any{"from": "2027-03-22", "to": "2027-03-22", "time_limit": "2s"})
		require.Equal(t, 202, r.Status, "%s", r.Body)
		var p resources.Plan
		r.json(t, &p)
		done := e.waitPlan(p.ID)
		require.Equal(t, "done", done.Status, done.Error)
		require.Contains(t, done.Result.Diff.New, "I-9", "%+v", done.Result)
		return done.Result.Assignments
	}
	overlaps := func(as []solver.Assignment) bool {
		t.Helper()
		hit := false
		for _, a := range as {
			if a.Interpreter != "t1" {
				continue
			}
			s, en := mustTime(t, a.Start), mustTime(t, a.End)
			hit = hit || (s.Before(busyTo) && en.After(busyFrom))
		}
		return hit
	}
	require.True(t, overlaps(plan()), "fixture: before the import the plan uses the time that becomes busy")

	im := importer.New(e.db, nil, clk.Now)
	im.Client = importer.SafeClient(loopbackAllowed(t))
	sum, err := im.ImportBusyCalendars(ctx, clk.Now())
	require.NoError(t, err)
	require.Equal(t, 1, sum.Added, "%+v", sum)
	require.Equal(t, [][2]string{{"2027-03-22T06:00:00Z", "2027-03-22T10:00:00Z"}}, e.imported("t1"))

	require.False(t, overlaps(plan()), "a plan after the import keeps t1 out of the imported busy time")
}

// loopbackAllowed is the import's policy with the operator's allow-list
// admitting loopback, where the tests serve their calendars.
func loopbackAllowed(t *testing.T) importer.Policy {
	l, err := importer.ParseAllowList("127.0.0.0/8, ::1")
	require.NoError(t, err)
	return l.Allows
}
