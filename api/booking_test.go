package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/api"
	"github.com/asylum-scheduling/interviews/internal/pgtest"
	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/internal/testclock"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

// bookingFixture is a small office world: one Tigrinya interpreter (t1,
// at most 6 hours a day) for eight interviews, two offices two hours apart,
// and three Finnish interviews that need no interpreter (e1 speaks Finnish,
// at most two interviews a day).
func bookingFixture(t testing.TB) *solver.Instance {
	t.Helper()
	var days []map[string]string
	for _, d := range []string{"07", "08", "09"} {
		days = append(days, map[string]string{"start": "2026-12-" + d + "T08:00:00+02:00", "end": "2026-12-" + d + "T16:00:00+02:00"})
	}
	var ivs []map[string]any
	for i := 1; i <= 8; i++ {
		loc := "HEL"
		if i == 7 {
			loc = "TKU"
		}
		ivs = append(ivs, map[string]any{"id": fmt.Sprintf("I-%d", i), "case": fmt.Sprintf("C-%d", i), "language": "ti",
			"duration_minutes": 120, "earliest": "2026-12-07", "locations": []string{loc}, "interpreter_mode": "onsite"})
	}
	for i := 1; i <= 3; i++ {
		ivs = append(ivs, map[string]any{"id": fmt.Sprintf("F-%d", i), "case": fmt.Sprintf("CF-%d", i), "language": "fi",
			"needs_interpreter": false, "duration_minutes": 60, "earliest": "2026-12-07", "locations": []string{"HEL"}})
	}
	doc := map[string]any{
		"format": "interview-instance/v1", "timezone": "Europe/Helsinki", "grain_minutes": 60,
		"horizon":        map[string]string{"start": "2026-12-07", "end": "2026-12-09"},
		"locations":      []map[string]string{{"id": "HEL", "name": "Helsinki"}, {"id": "TKU", "name": "Turku"}},
		"travel_minutes": []map[string]any{{"from": "HEL", "to": "TKU", "minutes": 120}},
		"rooms": []map[string]any{
			{"id": "HEL-R1", "location": "HEL", "features": []string{"video"}},
			{"id": "HEL-R2", "location": "HEL", "features": []string{"video"}},
			{"id": "TKU-R1", "location": "TKU", "features": []string{"video"}},
		},
		"interviewers": []map[string]any{
			{"id": "e1", "location": "HEL", "skills": []string{}, "languages": []string{"fi"}, "availability": days, "max_interviews_per_day": 2},
			{"id": "e2", "location": "HEL", "skills": []string{}, "languages": []string{}, "availability": days},
			{"id": "e3", "location": "TKU", "skills": []string{}, "languages": []string{}, "availability": days},
		},
		"interpreters": []map[string]any{
			{"id": "t1", "languages": []string{"ti"}, "skills": []string{}, "modes": []string{"onsite", "remote"},
				"locations": []string{"HEL", "TKU"}, "availability": days, "max_minutes_per_day": 360},
		},
		"parties":    []map[string]any{{"id": "c1", "kind": "counsel"}},
		"interviews": ivs,
	}
	raw, err := json.Marshal(doc)
	require.NoError(t, err)
	in, err := solver.ParseInstance(bytes.NewReader(raw))
	require.NoError(t, err)
	return in
}

// newBookingEnv is newEnv with an injected clock, the fixture loaded and a
// second clerk ("clerk-b").
func newBookingEnv(t *testing.T, in *solver.Instance) (*env, *testclock.Clock, string) {
	t.Helper()
	clk := testclock.New(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	raw := pgtest.Open(t)
	db := postgres.New(raw, clk.Now)
	e := &env{t: t, db: db, raw: raw, tokens: map[resources.Role]string{}, logs: &bytes.Buffer{}}
	log := slog.New(slog.NewJSONHandler(lockedWriter{e}, nil))
	e.deps = testDeps(db, log, clk.Now)
	e.srv = api.New(e.deps)
	ctx := context.Background()
	for _, role := range []resources.Role{resources.RoleClerk, resources.RoleManager, resources.RoleAdmin} {
		tok, _, err := db.CreateToken(ctx, "test-"+string(role), role)
		require.NoError(t, err)
		e.tokens[role] = tok
	}
	other, _, err := db.CreateToken(ctx, "clerk-b", resources.RoleClerk)
	require.NoError(t, err)
	if in == nil {
		in = bookingFixture(t)
	}
	_, err = db.Import(ctx, in)
	require.NoError(t, err)
	return e, clk, other
}

type suggestion struct {
	ID          string `json:"id"`
	Rank        int    `json:"rank"`
	Interview   string `json:"interview"`
	Start       string `json:"start"`
	End         string `json:"end"`
	Location    string `json:"location"`
	Room        string `json:"room"`
	Interviewer string `json:"interviewer"`
	Interpreter string `json:"interpreter"`
	Mode        string `json:"mode"`
	Delta       struct {
		Medium     int64            `json:"medium"`
		Soft       int64            `json:"soft"`
		Components map[string]int64 `json:"components"`
	} `json:"delta"`
	Explanation string `json:"explanation"`
}

type suggestAnswer struct {
	Suggestions      []suggestion `json:"suggestions"`
	Reason           string       `json:"reason"`
	Detail           string       `json:"detail"`
	EarliestPossible string       `json:"earliest_possible"`
	Hold             *struct {
		ID        int64  `json:"id"`
		Start     string `json:"start"`
		ExpiresAt string `json:"expires_at"`
	} `json:"hold"`
	HeldSuggestion string `json:"held_suggestion"`
}

type bookingProblem struct {
	api.Problem
	Resource     string             `json:"resource"`
	Alternatives []suggestion       `json:"alternatives"`
	Violations   []solver.Violation `json:"violations"`
}

func (e *env) suggest(id string, body any, hdr ...string) suggestAnswer {
	e.t.Helper()
	r := e.do(resources.RoleClerk, "POST", "/v1/interviews/"+id+"/suggestions", body, hdr...)
	require.Equal(e.t, 200, r.Status, "%s", r.Body)
	var a suggestAnswer
	r.json(e.t, &a)
	return a
}

func explicit(start, room, er, tr, mode string) map[string]any {
	m := map[string]any{"start": start, "room": room, "interviewer": er, "mode": mode}
	if tr != "" {
		m["interpreter"] = tr
	}
	return m
}

func (e *env) count(sql string, args ...any) int {
	e.t.Helper()
	var n int
	require.NoError(e.t, e.raw.QueryRow(context.Background(), sql, args...).Scan(&n))
	return n
}

// A clerk goes from a pending interview to a booked one in three calls:
// list the pending ones, ask for suggestions, book one.
func TestClerkBooksInThreeCalls(t *testing.T) {
	t.Parallel()
	e, _, _ := newBookingEnv(t, nil)
	c := resources.RoleClerk

	var page resources.Page[resources.Interview]
	r := e.do(c, "GET", "/v1/interviews?status=pending&language=ti", nil)
	require.Equal(t, 200, r.Status)
	r.json(t, &page)
	require.Len(t, page.Items, 8)
	iv := page.Items[0].ID

	a := e.suggest(iv, map[string]any{"k": 3})
	require.NotEmpty(t, a.Suggestions)
	require.LessOrEqual(t, len(a.Suggestions), 3)
	best := a.Suggestions[0]
	require.Equal(t, 1, best.Rank)
	require.Equal(t, iv, best.Interview)
	require.Equal(t, "t1", best.Interpreter)
	require.Equal(t, "onsite", best.Mode)
	require.Equal(t, "2026-12-07T08:00:00+02:00", best.Start, "the earliest date and time first")
	require.Equal(t, int64(-1), best.Delta.Medium, "booking it schedules one interview more")
	require.Contains(t, best.Explanation, "earliest date")

	r = e.do(c, "POST", "/v1/interviews/"+iv+"/booking", map[string]any{"suggestion_id": best.ID, "reason": "first hearing"})
	require.Equal(t, 201, r.Status, "%s", r.Body)
	var b resources.Booking
	r.json(t, &b)
	require.Equal(t, iv, b.Interview)
	require.Equal(t, best.Start, b.Start)
	require.Equal(t, best.End, b.End)
	require.Equal(t, best.Room, b.Room)
	require.Equal(t, "active", b.Status)
	require.Equal(t, 0, b.Sequence)
	require.Equal(t, fmt.Sprintf("/v1/bookings/%d", b.ID), r.Header.Get("Location"))

	var got resources.Interview
	e.do(c, "GET", "/v1/interviews/"+iv, nil).json(t, &got)
	require.Equal(t, resources.StatusBooked, got.Status)
	require.Equal(t, 3, e.count(`select count(*) from occupancy where booking_id = $1 and active`, b.ID), "room, interviewer, interpreter")
	require.Equal(t, 1, e.count(`select count(*) from outbox where booking_id = $1 and event = 'booking.created'`, b.ID))
	var payload string
	require.NoError(t, e.raw.QueryRow(context.Background(), `select payload::text from outbox where booking_id = $1`, b.ID).Scan(&payload))
	require.NotContains(t, payload, "C-1", "no case reference leaves in events")

	// The audit trail says who, when, what and why.
	r = e.do(resources.RoleManager, "GET", "/v1/interviews/"+iv+"/audit", nil)
	require.Equal(t, 200, r.Status, "%s", r.Body)
	var trail struct{ Items []resources.AuditEntry }
	r.json(t, &trail)
	require.Len(t, trail.Items, 1)
	require.Equal(t, "booked", trail.Items[0].Action)
	require.Equal(t, "test-clerk", trail.Items[0].Actor)
	require.Equal(t, "first hearing", trail.Items[0].Reason)
	require.Equal(t, "2026-12-01T11:00:00+02:00", trail.Items[0].At, "the injected clock")
	require.Nil(t, trail.Items[0].Before)
	require.Contains(t, string(trail.Items[0].After), best.Start)

	// The same option is gone for the next interview.
	next := e.suggest(page.Items[1].ID, nil)
	require.NotEmpty(t, next.Suggestions)
	require.NotEqual(t, best.Start, next.Suggestions[0].Start)
}

func TestBookingErrorAnswers(t *testing.T) {
	t.Parallel()
	e, _, _ := newBookingEnv(t, nil)
	c, m := resources.RoleClerk, resources.RoleManager

	// 401 and 403.
	require.Equal(t, 401, e.do("", "POST", "/v1/interviews/I-1/suggestions", map[string]any{}).Status)
	require.Equal(t, 401, e.do("", "POST", "/v1/interviews/I-1/booking", map[string]any{"suggestion_id": "x"}).Status)
	r := e.do(c, "GET", "/v1/interviews/I-1/audit", nil)
	require.Equal(t, 403, r.Status)
	require.Equal(t, "forbidden", string(r.problem(t).Code))
	require.Equal(t, 403, e.do(c, "GET", "/v1/bookings/1/audit", nil).Status)
	require.Equal(t, 401, e.do("", "POST", "/v1/bookings/1/cancel", map[string]any{"reason": "x"}).Status)
	require.Equal(t, 401, e.do("", "POST", "/v1/bookings/1/reschedule", map[string]any{"suggestion_id": "x"}).Status)
	require.Equal(t, 401, e.do("", "GET", "/v1/bookings/1/audit", nil).Status)
	require.Equal(t, 400, e.do(c, "POST", "/v1/bookings/abc/cancel", map[string]any{"reason": "x"}).Status, "a malformed id")
	require.Equal(t, 400, e.do(c, "GET", "/v1/bookings/abc", nil).Status, "a malformed id")
	require.Equal(t, 400, e.do(c, "GET", "/v1/bookings/-3", nil).Status, "not a positive id")

	// 404.
	r = e.do(c, "POST", "/v1/interviews/nobody/suggestions", map[string]any{})
	require.Equal(t, 404, r.Status)
	require.Equal(t, "not_found", string(r.problem(t).Code))
	require.Equal(t, 404, e.do(c, "POST", "/v1/interviews/nobody/booking", explicit("2026-12-07T08:00:00+02:00", "HEL-R1", "e2", "t1", "onsite")).Status)
	require.Equal(t, 404, e.do(c, "POST", "/v1/bookings/999/reschedule", explicit("2026-12-07T08:00:00+02:00", "HEL-R1", "e2", "t1", "onsite")).Status)
	require.Equal(t, 404, e.do(c, "POST", "/v1/bookings/999/cancel", map[string]any{"reason": "x"}).Status)
	require.Equal(t, 404, e.do(m, "GET", "/v1/bookings/999/audit", nil).Status)
	require.Equal(t, 404, e.do(m, "GET", "/v1/interviews/nobody/audit", nil).Status)

	// 400: nothing to book, both kinds, a forged id, bad fields.
	for _, body := range []any{
		map[string]any{},
		map[string]any{"suggestion_id": "s1.abc.def"},
		map[string]any{"suggestion_id": "s1.abc.def", "start": "2026-12-07T08:00:00+02:00"},
		map[string]any{"start": "tomorrow", "room": "HEL-R1", "interviewer": "e2", "interpreter": "t1", "mode": "onsite"},
		map[string]any{"start": "2026-12-07T08:00:00+02:00", "room": "HEL-R1", "interviewer": "e2", "mode": "onsite"},
		map[string]any{"start": "2026-12-07T08:00:00+02:00", "room": "NOPE", "interviewer": "e2", "interpreter": "t1", "mode": "onsite"},
		map[string]any{"suggestion_id": "x", "colour": "red"},
	} {
		r := e.do(c, "POST", "/v1/interviews/I-1/booking", body)
		require.Equal(t, 400, r.Status, "%v: %s", body, r.Body)
		require.Equal(t, "invalid", string(r.problem(t).Code))
	}
	require.Equal(t, 400, e.do(c, "POST", "/v1/interviews/I-1/suggestions", map[string]any{"k": 0}).Status)
	r = e.do(c, "POST", "/v1/interviews/I-1/suggestions", map[string]any{"from": "soon"})
	require.Equal(t, 400, r.Status)
	require.Equal(t, "from", r.problem(t).Errors[0].Path)
	require.Equal(t, 400, e.do(c, "POST", "/v1/bookings/1/cancel", map[string]any{"reason": ""}).Status)
	// A suggestion of one interview does not book another.
	a := e.suggest("I-1", nil)
	r = e.do(c, "POST", "/v1/interviews/I-2/booking", map[string]any{"suggestion_id": a.Suggestions[0].ID})
	require.Equal(t, 400, r.Status)
	require.Contains(t, r.problem(t).Detail, "I-1")

	// 422: explicit assignments that break rules, with the rule and why.
	r = e.do(c, "POST", "/v1/interviews/I-1/booking", explicit("2026-12-07T17:00:00+02:00", "HEL-R1", "e2", "t1", "onsite"))
	require.Equal(t, 422, r.Status, "%s", r.Body)
	var p bookingProblem
	r.json(t, &p)
	require.Equal(t, "unprocessable", string(p.Code))
	rules := map[int]bool{}
	for _, v := range p.Violations {
		rules[v.Rule] = true
	}
	require.True(t, rules[4] && rules[5], "interviewer and interpreter not available: %v", p.Violations)
	require.Contains(t, p.Detail, "not available")
	// Rule 3: a Turku room for an interview held in Helsinki.
	r = e.do(c, "POST", "/v1/interviews/I-1/booking", explicit("2026-12-07T08:00:00+02:00", "TKU-R1", "e3", "t1", "onsite"))
	require.Equal(t, 422, r.Status, "%s", r.Body)
	r.json(t, &p)
	require.Equal(t, 3, p.Violations[0].Rule, "%v", p.Violations)
	require.Equal(t, 0, e.count(`select count(*) from bookings`))

	// Rule 7: travel between offices for the interpreter.
	r = e.do(c, "POST", "/v1/interviews/I-1/booking", explicit("2026-12-07T08:00:00+02:00", "HEL-R1", "e2", "t1", "onsite"))
	require.Equal(t, 201, r.Status, "%s", r.Body)
	r = e.do(c, "POST", "/v1/interviews/I-7/booking", explicit("2026-12-07T11:00:00+02:00", "TKU-R1", "e3", "t1", "onsite"))
	require.Equal(t, 422, r.Status, "%s", r.Body)
	r.json(t, &p)
	require.Equal(t, 7, p.Violations[0].Rule, "%v", p.Violations)
	require.Contains(t, p.Detail, "travel needs 120")
	r = e.do(c, "POST", "/v1/interviews/I-7/booking", explicit("2026-12-07T12:00:00+02:00", "TKU-R1", "e3", "t1", "onsite"))
	require.Equal(t, 201, r.Status, "two hours later is fine: %s", r.Body)

	// Rule 8: the interviewer's daily limit.
	for i, start := range []string{"2026-12-08T08:00:00+02:00", "2026-12-08T09:00:00+02:00"} {
		r = e.do(c, "POST", fmt.Sprintf("/v1/interviews/F-%d/booking", i+1), explicit(start, "HEL-R1", "e1", "", "none"))
		require.Equal(t, 201, r.Status, "%s", r.Body)
	}
	r = e.do(c, "POST", "/v1/interviews/F-3/booking", explicit("2026-12-08T10:00:00+02:00", "HEL-R2", "e1", "", "none"))
	require.Equal(t, 422, r.Status, "%s", r.Body)
	r.json(t, &p)
	require.Equal(t, 8, p.Violations[0].Rule)
	require.Contains(t, p.Violations[0].Message, "interviewer e1 has 3 interviews on 2026-12-08, more than 2")

	// 409: the interview is booked already.
	r = e.do(c, "POST", "/v1/interviews/I-1/booking", explicit("2026-12-09T08:00:00+02:00", "HEL-R1", "e2", "t1", "onsite"))
	require.Equal(t, 409, r.Status, "%s", r.Body)
	require.Contains(t, r.problem(t).Detail, "booked already")
}

func TestConflictNamesTheResourceWithAlternatives(t *testing.T) {
	t.Parallel()
	e, _, _ := newBookingEnv(t, nil)
	c := resources.RoleClerk

	// Two clerks got the same suggestion for different interviews.
	a1 := e.suggest("I-1", nil)
	a2 := e.suggest("I-2", nil)
	require.Equal(t, a1.Suggestions[0].Start, a2.Suggestions[0].Start)
	r := e.do(c, "POST", "/v1/interviews/I-1/booking", map[string]any{"suggestion_id": a1.Suggestions[0].ID})
	require.Equal(t, 201, r.Status, "%s", r.Body)
	r = e.do(c, "POST", "/v1/interviews/I-2/booking", map[string]any{"suggestion_id": a2.Suggestions[0].ID})
	require.Equal(t, 409, r.Status, "%s", r.Body)
	var p bookingProblem
	r.json(t, &p)
	require.Equal(t, "conflict", string(p.Code))
	require.Equal(t, "interpreter t1", p.Resource, "the one interpreter is the scarce resource: %s", r.Body)
	require.NotEmpty(t, p.Alternatives)
	for _, alt := range p.Alternatives {
		require.NotEqual(t, a1.Suggestions[0].Start, alt.Start, "fresh alternatives avoid the taken time")
		require.NotEmpty(t, alt.ID)
	}
	// An alternative books.
	r = e.do(c, "POST", "/v1/interviews/I-2/booking", map[string]any{"suggestion_id": p.Alternatives[0].ID})
	require.Equal(t, 201, r.Status, "%s", r.Body)

	// An explicit booking of a taken time is a conflict too (not a broken rule).
	r = e.do(c, "POST", "/v1/interviews/I-3/booking", explicit(a1.Suggestions[0].Start, "HEL-R2", "e2", "t1", "onsite"))
	require.Equal(t, 409, r.Status, "%s", r.Body)
	r.json(t, &p)
	require.Contains(t, []string{"interpreter t1", "interviewer e2"}, p.Resource)
	require.Equal(t, 2, e.count(`select count(*) from bookings where status = 'active'`))
}

func TestIdempotencyKey(t *testing.T) {
	t.Parallel()
	e, _, _ := newBookingEnv(t, nil)
	c := resources.RoleClerk
	a := e.suggest("I-1", nil)
	body := map[string]any{"suggestion_id": a.Suggestions[0].ID}
	r1 := e.do(c, "POST", "/v1/interviews/I-1/booking", body, "Idempotency-Key", "k-123")
	require.Equal(t, 201, r1.Status, "%s", r1.Body)
	require.Empty(t, r1.Header.Get("Idempotent-Replayed"))
	r2 := e.do(c, "POST", "/v1/interviews/I-1/booking", body, "Idempotency-Key", "k-123")
	require.Equal(t, 201, r2.Status, "the same answer again: %s", r2.Body)
	require.Equal(t, "true", r2.Header.Get("Idempotent-Replayed"))
	require.JSONEq(t, string(r1.Body), string(r2.Body))
	require.Equal(t, 1, e.count(`select count(*) from bookings`))
	require.Equal(t, 1, e.count(`select count(*) from audit_log where action <> 'instance_imported'`))

	// The same key with another body.
	r3 := e.do(c, "POST", "/v1/interviews/I-1/booking", map[string]any{"suggestion_id": a.Suggestions[1].ID}, "Idempotency-Key", "k-123")
	require.Equal(t, 422, r3.Status, "%s", r3.Body)
	require.Equal(t, "unprocessable", string(r3.problem(t).Code))
	r3 = e.do(c, "POST", "/v1/interviews/I-2/booking", explicit("2026-12-08T08:00:00+02:00", "HEL-R2", "e2", "t1", "onsite"), "Idempotency-Key", "k-123")
	require.Equal(t, 422, r3.Status, "%s", r3.Body)
	require.Contains(t, r3.problem(t).Detail, "another request")
	require.Equal(t, 1, e.count(`select count(*) from idempotency_keys where response is not null`))

	// A failed request leaves no key behind: a retry after fixing it works.
	r4 := e.do(c, "POST", "/v1/interviews/I-2/booking", body, "Idempotency-Key", "k-456")
	require.Equal(t, 400, r4.Status, "the suggestion is I-1's")
	require.Equal(t, 0, e.count(`select count(*) from idempotency_keys where key = 'k-456'`))
	r4 = e.do(c, "POST", "/v1/interviews/I-2/booking", explicit(a.Suggestions[0].Start, "HEL-R2", "e2", "t1", "onsite"), "Idempotency-Key", "k-456")
	require.Equal(t, 409, r4.Status, "t1 is taken then: %s", r4.Body)
	require.Equal(t, 0, e.count(`select count(*) from idempotency_keys where key = 'k-456'`))
	require.Equal(t, 400, e.do(c, "POST", "/v1/interviews/I-2/booking", body, "Idempotency-Key", "has space").Status)
}

func TestRescheduleCancelAndAudit(t *testing.T) {
	t.Parallel()
	e, _, _ := newBookingEnv(t, nil)
	c, m := resources.RoleClerk, resources.RoleManager
	r := e.do(c, "POST", "/v1/interviews/I-1/booking", explicit("2026-12-07T08:00:00+02:00", "HEL-R1", "e2", "t1", "onsite"))
	require.Equal(t, 201, r.Status, "%s", r.Body)
	var b resources.Booking
	r.json(t, &b)
	path := fmt.Sprintf("/v1/bookings/%d", b.ID)

	// Reschedule to a suggestion: same id, the sequence grows, old time freed.
	a := e.suggest("I-1", map[string]any{"from": "2026-12-08"})
	require.NotEmpty(t, a.Suggestions)
	require.True(t, strings.HasPrefix(a.Suggestions[0].Start, "2026-12-08"), a.Suggestions[0].Start)
	r = e.do(c, "POST", path+"/reschedule", map[string]any{"suggestion_id": a.Suggestions[0].ID, "reason": "counsel asked"})
	require.Equal(t, 200, r.Status, "%s", r.Body)
	var moved resources.Booking
	r.json(t, &moved)
	require.Equal(t, b.ID, moved.ID)
	require.Equal(t, 1, moved.Sequence)
	require.Equal(t, a.Suggestions[0].Start, moved.Start)
	require.Greater(t, moved.Version, b.Version)
	require.Equal(t, 0, e.count(`select count(*) from occupancy where booking_id = $1 and lower(during) = '2026-12-07T08:00:00+02:00'`, b.ID))
	require.Equal(t, 1, e.count(`select count(*) from outbox where booking_id = $1 and event = 'booking.rescheduled'`, b.ID))
	// The old time is free again for another interview.
	r = e.do(c, "POST", "/v1/interviews/I-2/booking", explicit("2026-12-07T08:00:00+02:00", "HEL-R1", "e2", "t1", "onsite"))
	require.Equal(t, 201, r.Status, "%s", r.Body)
	// A reschedule onto a taken time is a conflict.
	r = e.do(c, "POST", path+"/reschedule", explicit("2026-12-07T08:00:00+02:00", "HEL-R2", "e2", "t1", "onsite"))
	require.Equal(t, 409, r.Status, "%s", r.Body)
	// ... and one that breaks a rule is unprocessable.
	r = e.do(c, "POST", path+"/reschedule", explicit("2026-12-08T15:00:00+02:00", "HEL-R2", "e2", "t1", "onsite"))
	require.Equal(t, 422, r.Status, "%s", r.Body)

	// Cancel: the row stays, resources freed, the interview pending again.
	r = e.do(c, "POST", path+"/cancel", map[string]any{"reason": "applicant withdrew"}, "Idempotency-Key", "cancel-1")
	require.Equal(t, 200, r.Status, "%s", r.Body)
	var cancelled resources.Booking
	r.json(t, &cancelled)
	again := e.do(c, "POST", path+"/cancel", map[string]any{"reason": "applicant withdrew"}, "Idempotency-Key", "cancel-1")
	require.Equal(t, 200, again.Status, "a retried cancel gets the same answer: %s", again.Body)
	require.Equal(t, "true", again.Header.Get("Idempotent-Replayed"))
	require.JSONEq(t, string(r.Body), string(again.Body))
	require.Equal(t, "cancelled", cancelled.Status)
	require.Equal(t, 2, cancelled.Sequence)
	require.Equal(t, 0, e.count(`select count(*) from occupancy where booking_id = $1 and active`, b.ID))
	var iv resources.Interview
	e.do(c, "GET", "/v1/interviews/I-1", nil).json(t, &iv)
	require.Equal(t, resources.StatusPending, iv.Status)
	r = e.do(c, "POST", path+"/cancel", map[string]any{"reason": "again"})
	require.Equal(t, 409, r.Status)
	require.Equal(t, 409, e.do(c, "POST", path+"/reschedule", explicit("2026-12-09T08:00:00+02:00", "HEL-R1", "e2", "t1", "onsite")).Status)
	// It can be booked anew.
	r = e.do(c, "POST", "/v1/interviews/I-1/booking", explicit(moved.Start, "HEL-R1", "e2", "t1", "onsite"))
	require.Equal(t, 201, r.Status, "%s", r.Body)

	// The trail of the booking: booked, rescheduled, cancelled, with before and after.
	r = e.do(m, "GET", path+"/audit", nil)
	require.Equal(t, 200, r.Status, "%s", r.Body)
	var trail struct{ Items []resources.AuditEntry }
	r.json(t, &trail)
	var actions []string
	for _, x := range trail.Items {
		actions = append(actions, x.Action)
	}
	require.Equal(t, []string{"booked", "rescheduled", "cancelled"}, actions)
	require.Equal(t, "counsel asked", trail.Items[1].Reason)
	require.Contains(t, string(trail.Items[1].Before), "2026-12-07T08:00:00+02:00")
	require.Contains(t, string(trail.Items[1].After), moved.Start)
	require.Equal(t, "applicant withdrew", trail.Items[2].Reason)
	e.do(m, "GET", "/v1/interviews/I-1/audit", nil).json(t, &trail)
	require.Len(t, trail.Items, 4, "the new booking too")
	require.Equal(t, 3, e.count(`select count(*) from outbox where booking_id = $1`, b.ID))

	// Nothing changes or deletes the trail, not even SQL.
	_, err := e.raw.Exec(context.Background(), `update audit_log set reason = 'forged'`)
	require.Error(t, err)
	_, err = e.raw.Exec(context.Background(), `delete from audit_log`)
	require.Error(t, err)
	_, err = e.raw.Exec(context.Background(), `truncate audit_log`)
	require.Error(t, err)
	require.Equal(t, 5, e.count(`select count(*) from audit_log where action <> 'instance_imported'`))
	require.Equal(t, 1, e.count(`select count(*) from audit_log where action = 'instance_imported'`), "the fixture's import")
}

func TestHoldsBlockOthersUntilTheyExpire(t *testing.T) {
	t.Parallel()
	e, clk, other := newBookingEnv(t, nil)
	c := resources.RoleClerk
	asB := []string{"Authorization", "Bearer " + other}

	a := e.suggest("I-1", map[string]any{"hold": true})
	require.NotNil(t, a.Hold, "%+v", a)
	require.Equal(t, a.Suggestions[0].ID, a.HeldSuggestion)
	require.Equal(t, "2026-12-01T11:10:00+02:00", a.Hold.ExpiresAt, "ten minutes on the injected clock")
	heldStart := a.Suggestions[0].Start
	require.Equal(t, 1, e.count(`select count(*) from holds`))
	require.Equal(t, 3, e.count(`select count(*) from occupancy where hold_id is not null`))

	// Another clerk's suggestions for another interview avoid the held time.
	b := e.suggest("I-2", nil, asB...)
	for _, s := range b.Suggestions {
		require.NotEqual(t, heldStart, s.Start, "held by someone else")
	}
	// ... and booking the held time is a conflict naming the hold.
	r := e.do("", "POST", "/v1/interviews/I-2/booking", explicit(heldStart, "HEL-R2", "e2", "t1", "onsite"), asB...)
	require.Equal(t, 409, r.Status, "%s", r.Body)
	var p bookingProblem
	r.json(t, &p)
	require.Equal(t, "interpreter t1", p.Resource)
	require.Contains(t, p.Detail, "held")

	// Asking again with a hold replaces the caller's own hold.
	a = e.suggest("I-1", map[string]any{"hold": true})
	require.NotNil(t, a.Hold)
	require.Equal(t, heldStart, a.Suggestions[0].Start, "its own hold does not block the interview")
	require.Equal(t, 1, e.count(`select count(*) from holds`))

	// Once expired, the hold blocks nothing, at once (no job needed).
	clk.Add(11 * time.Minute)
	b = e.suggest("I-2", nil, asB...)
	require.Equal(t, heldStart, b.Suggestions[0].Start, "expired holds are ignored by suggestions")
	r = e.do("", "POST", "/v1/interviews/I-2/booking", map[string]any{"suggestion_id": b.Suggestions[0].ID}, asB...)
	require.Equal(t, 201, r.Status, "%s", r.Body)
	require.Equal(t, 0, e.count(`select count(*) from holds`), "the expired hold in the way was deleted")

	// A caller's own live hold becomes the booking.
	a = e.suggest("I-3", map[string]any{"hold": true})
	require.NotNil(t, a.Hold)
	r = e.do(c, "POST", "/v1/interviews/I-3/booking", map[string]any{"suggestion_id": a.HeldSuggestion})
	require.Equal(t, 201, r.Status, "%s", r.Body)
	require.Equal(t, 0, e.count(`select count(*) from holds`))
	require.Equal(t, 0, e.count(`select count(*) from occupancy where hold_id is not null`))

	// Holds are for pending interviews.
	r = e.do(c, "POST", "/v1/interviews/I-3/suggestions", map[string]any{"hold": true})
	require.Equal(t, 409, r.Status, "%s", r.Body)
	var trail struct{ Items []resources.AuditEntry }
	e.do(resources.RoleManager, "GET", "/v1/interviews/I-3/audit", nil).json(t, &trail)
	require.Equal(t, "held", trail.Items[0].Action)
	require.Equal(t, "booked", trail.Items[1].Action)
}

func TestSuggestionsWhenNothingFits(t *testing.T) {
	t.Parallel()
	in := bookingFixture(t)
	// A Somali interview: no interpreter speaks it.
	in.Interviews = append(in.Interviews, solver.Interview{ID: "S-1", Case: "CS-1", Language: "so", DurationMinutes: 60,
		Earliest: "2026-12-07", Locations: []string{"HEL"}})
	// An Arabic interview: the one Arabic interpreter (t2) and the one
	// interviewer free then (e4) work only on 11 December, after the horizon.
	later := []solver.Interval{{Start: "2026-12-11T08:00:00+02:00", End: "2026-12-11T16:00:00+02:00"}}
	in.Interpreters = append(in.Interpreters, solver.Interpreter{ID: "t2", Languages: []string{"ar"}, Skills: []string{},
		Modes: []string{"onsite", "remote"}, Locations: []string{"HEL"}, Availability: later})
	in.Interviewers = append(in.Interviewers, solver.Interviewer{ID: "e4", Location: "HEL", Skills: []string{}, Languages: []string{},
		Availability: later})
	in.Interviews = append(in.Interviews, solver.Interview{ID: "A-1", Case: "CA-1", Language: "ar", DurationMinutes: 60,
		Earliest: "2026-12-07", Locations: []string{"HEL"}})
	// A Finnish interview that may not start before 9 December.
	in.Interviews = append(in.Interviews, solver.Interview{ID: "F-9", Case: "CF-9", Language: "fi", DurationMinutes: 60,
		Earliest: "2026-12-09", Locations: []string{"HEL"}, NeedsInterpreter: new(bool)})
	// Arabic interviews whose window lies wholly after the horizon: one that
	// e4 and t2 can take on 11 December, one that only the Somali-free
	// fixture's people could take, who never work after the horizon.
	in.Interviews = append(in.Interviews, solver.Interview{ID: "A-2", Case: "CA-2", Language: "ar", DurationMinutes: 60,
		Earliest: "2026-12-10", Locations: []string{"HEL"}})
	in.Interviews = append(in.Interviews, solver.Interview{ID: "F-10", Case: "CF-10", Language: "fi", DurationMinutes: 60,
		Earliest: "2026-12-10", Locations: []string{"TKU"}, NeedsInterpreter: new(bool)})
	e, _, _ := newBookingEnv(t, in)
	a := e.suggest("S-1", nil)
	require.Empty(t, a.Suggestions)
	require.Equal(t, "no_interpreter_language", a.Reason)
	require.NotEmpty(t, a.Detail)
	require.Empty(t, a.EarliestPossible, "no date ever works: %+v", a)

	// Nothing in the horizon, but the first date that would work is named.
	a = e.suggest("A-1", nil)
	require.Empty(t, a.Suggestions)
	require.NotEmpty(t, a.Reason)
	require.Equal(t, "2026-12-11", a.EarliestPossible, "%+v", a)
	// A window after the horizon: window_closed, with the first date that
	// works when one exists, and none when no date would work.
	a = e.suggest("A-2", nil)
	require.Empty(t, a.Suggestions)
	require.Equal(t, "window_closed", a.Reason, "%+v", a)
	require.Equal(t, "2026-12-11", a.EarliestPossible, "%+v", a)
	a = e.suggest("F-10", nil)
	require.Equal(t, "window_closed", a.Reason, "%+v", a)
	require.Empty(t, a.EarliestPossible, "nobody works in Turku after the horizon: %+v", a)
	// Nothing in the requested window (to before the first allowed day).
	a = e.suggest("F-9", map[string]any{"to": "2026-12-08"})
	require.Empty(t, a.Suggestions, "%+v", a)
	require.Equal(t, "2026-12-09", a.EarliestPossible, "%+v", a)
	a = e.suggest("F-9", nil)
	require.NotEmpty(t, a.Suggestions)
	require.True(t, strings.HasPrefix(a.Suggestions[0].Start, "2026-12-09"), a.Suggestions[0].Start)

	// A full interpreter: t1 works six hours a day for three days, nine
	// two-hour interviews; the tenth finds nothing.
	c := resources.RoleClerk
	var ids []string
	for i := 1; i <= 8; i++ {
		ids = append(ids, fmt.Sprintf("I-%d", i))
	}
	for i := 1; i <= 2; i++ {
		iv := map[string]any{"id": fmt.Sprintf("X-%d", i), "case": "CX", "language": "ti", "duration_minutes": 120,
			"earliest": "2026-12-07", "locations": []string{"HEL"}, "interpreter_mode": "onsite"}
		require.Equal(t, 201, e.do(c, "POST", "/v1/interviews", iv).Status)
		ids = append(ids, fmt.Sprintf("X-%d", i))
	}
	booked := 0
	for _, id := range ids[:9] {
		s := e.suggest(id, nil)
		require.NotEmpty(t, s.Suggestions, "%s: %+v", id, s)
		r := e.do(c, "POST", "/v1/interviews/"+id+"/booking", map[string]any{"suggestion_id": s.Suggestions[0].ID})
		require.Equal(t, 201, r.Status, "%s", r.Body)
		booked++
	}
	require.Equal(t, 9, booked)
	last := e.suggest(ids[9], nil)
	require.Empty(t, last.Suggestions)
	require.Contains(t, []string{"capacity", "no_interpreter_available"}, last.Reason, "%+v", last)
	require.NotEmpty(t, last.Detail)
	require.Empty(t, last.EarliestPossible, "t1 is full on every date anyone works: %+v", last)
}

// Parties (counsels) are resources too: taken (409) and available (rule 9).
func TestPartiesAreBookedAndChecked(t *testing.T) {
	t.Parallel()
	in := bookingFixture(t)
	in.Interviewers[1].Languages = []string{"fi"} // e2 speaks Finnish too
	in.Parties[0].Availability = []solver.Interval{{Start: "2026-12-07T08:00:00+02:00", End: "2026-12-07T12:00:00+02:00"}}
	for i := range in.Interviews {
		if strings.HasPrefix(in.Interviews[i].ID, "F-") {
			in.Interviews[i].Parties = []string{"c1"}
		}
	}
	e, _, _ := newBookingEnv(t, in)
	c := resources.RoleClerk
	r := e.do(c, "POST", "/v1/interviews/F-1/booking", explicit("2026-12-07T08:00:00+02:00", "HEL-R1", "e1", "", "none"))
	require.Equal(t, 201, r.Status, "%s", r.Body)
	var b resources.Booking
	r.json(t, &b)
	require.Equal(t, 3, e.count(`select count(*) from occupancy where booking_id = $1`, b.ID), "room, interviewer and counsel")

	// The counsel is in F-1 then: the only thing shared is the counsel.
	r = e.do(c, "POST", "/v1/interviews/F-2/booking", explicit("2026-12-07T08:00:00+02:00", "HEL-R2", "e2", "", "none"))
	require.Equal(t, 409, r.Status, "%s", r.Body)
	var p bookingProblem
	r.json(t, &p)
	require.Equal(t, "party c1", p.Resource)
	// ... and is not available in the afternoon.
	r = e.do(c, "POST", "/v1/interviews/F-2/booking", explicit("2026-12-07T13:00:00+02:00", "HEL-R2", "e2", "", "none"))
	require.Equal(t, 422, r.Status, "%s", r.Body)
	r.json(t, &p)
	require.Equal(t, 9, p.Violations[0].Rule, "%v", p.Violations)
	// Suggestions know both.
	a := e.suggest("F-2", nil)
	require.NotEmpty(t, a.Suggestions)
	for _, s := range a.Suggestions {
		require.True(t, s.Start >= "2026-12-07T09:00:00+02:00" && s.End <= "2026-12-07T12:00:00+02:00", "%s–%s", s.Start, s.End)
	}
	r = e.do(c, "POST", "/v1/interviews/F-2/booking", map[string]any{"suggestion_id": a.Suggestions[0].ID})
	require.Equal(t, 201, r.Status, "%s", r.Body)
}

// A reason is text a page shows as it is: one with a right-to-left
// override is refused, and the booking stays as it was.
func TestReasonRefusesBidiOverrides(t *testing.T) {
	t.Parallel()
	e, _, _ := newBookingEnv(t, nil)
	c := resources.RoleClerk
	r := e.do(c, "POST", "/v1/interviews/I-1/booking", explicit("2026-12-07T08:00:00+02:00", "HEL-R1", "e2", "t1", "onsite"))
	require.Equal(t, 201, r.Status, "%s", r.Body)
	var b resources.Booking
	r.json(t, &b)
	r = e.do(c, "POST", fmt.Sprintf("/v1/bookings/%d/cancel", b.ID), map[string]any{"reason": "sairaus \u202eNOITALLECNAC"})
	require.Equal(t, 400, r.Status, "%s", r.Body)
	require.Equal(t, "reason", r.problem(t).Errors[0].Path)
	r = e.do(c, "GET", fmt.Sprintf("/v1/bookings/%d", b.ID), nil)
	require.Equal(t, 200, r.Status)
	require.Contains(t, string(r.Body), `"status":"active"`, "nothing changed")
}
