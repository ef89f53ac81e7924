package api_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	mrand "math/rand"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
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

// raceDuration and raceClients: 64 clients for 20 s, as issue 4 asks.
const (
	raceDuration = 20 * time.Second
	raceClients  = 64
	raceMaxOps   = 100000
)

// TestRaceManyClerksOneScarceInterpreter: 64 clients ask for suggestions
// (some with holds), book them with idempotency keys (some replayed) and
// cancel bookings, over real HTTP on loopback, for 20 s, all for interviews
// that need the one Tigrinya interpreter. Every answer is 201/200 or 409,
// never 500; afterwards no resource is in two active bookings at once, every
// booking keeps every hard rule (the reference checker on the exported
// state), and no hold or idempotency key is left half-done.
func TestRaceManyClerksOneScarceInterpreter(t *testing.T) {
	t.Parallel()
	in := bookingFixture(t)
	for i := 1; i <= 24; i++ {
		in.Interviews = append(in.Interviews, solver.Interview{ID: fmt.Sprintf("R-%02d", i), Case: "CR", Language: "ti",
			DurationMinutes: 120, Earliest: "2026-12-07", Locations: []string{"HEL", "TKU"}, InterpreterMode: "any"})
	}
	ctx := context.Background()
	pool := pgtest.OpenMax(t, 16)
	clk := testclock.New(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	db := postgres.New(pool, clk.Now)
	e := &env{t: t, db: db, raw: pool, tokens: map[resources.Role]string{}, logs: &bytes.Buffer{}}
	e.deps = testDeps(db, slog.New(slog.NewJSONHandler(lockedWriter{e}, nil)), clk.Now)
	e.srv = api.New(e.deps)
	_, err := db.Import(ctx, in)
	require.NoError(t, err)
	tokens := make([]string, 8)
	for i := range tokens {
		tokens[i], _, err = db.CreateToken(ctx, fmt.Sprintf("desk-%d", i), resources.RoleClerk)
		require.NoError(t, err)
	}
	var ids []string
	for _, iv := range in.Interviews {
		if iv.Language == "ti" {
			ids = append(ids, iv.ID)
		}
	}

	srv := httptest.NewServer(e.srv)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: raceClients}, Timeout: time.Minute}

	type answer struct {
		status int
		body   []byte
	}
	call := func(token, method, path string, body any, key string) answer {
		var rd io.Reader
		if body != nil {
			raw, _ := json.Marshal(body)
			rd = bytes.NewReader(raw)
		}
		req, _ := http.NewRequest(method, srv.URL+path, rd)
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		if key != "" {
			req.Header.Set("Idempotency-Key", key)
		}
		resp, err := client.Do(req)
		if err != nil {
			return answer{status: -1, body: []byte(err.Error())}
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return answer{resp.StatusCode, b}
	}

	var (
		ops       atomic.Int64
		mu        sync.Mutex
		counts    = map[string]int{}
		bad       []string
		keys201   = map[string]int64{} // idempotency key → booking id
		conflicts atomic.Int64
		taken     atomic.Int64 // conflicts naming a resource
	)
	note := func(what string, a answer, ok ...int) {
		mu.Lock()
		defer mu.Unlock()
		counts[fmt.Sprintf("%s %d", what, a.status)]++
		for _, s := range ok {
			if a.status == s {
				return
			}
		}
		if len(bad) < 20 {
			bad = append(bad, fmt.Sprintf("%s: %d %s", what, a.status, a.body))
		}
	}
	deadline := time.Now().Add(raceDuration)
	var wg sync.WaitGroup
	for c := 0; c < raceClients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			rng := mrand.New(mrand.NewSource(int64(c)))
			token := tokens[c%len(tokens)]
			for time.Now().Before(deadline) && ops.Add(1) <= raceMaxOps {
				if rng.Intn(12) == 0 {
					// Cancel someone's booking, to keep the contention going.
					a := call(token, "GET", "/v1/bookings?status=active&limit=1000", nil, "")
					note("list", a, 200)
					var page resources.Page[resources.Booking]
					if json.Unmarshal(a.body, &page) != nil || len(page.Items) == 0 {
						continue
					}
					b := page.Items[rng.Intn(len(page.Items))]
					a = call(token, "POST", fmt.Sprintf("/v1/bookings/%d/cancel", b.ID), map[string]string{"reason": "race"}, "")
					note("cancel", a, 200, 409)
					continue
				}
				iv := ids[rng.Intn(len(ids))]
				hold := rng.Intn(4) == 0
				a := call(token, "POST", "/v1/interviews/"+iv+"/suggestions", map[string]any{"k": 3, "hold": hold}, "")
				note("suggest", a, 200, 409)
				if a.status != 200 {
					continue
				}
				var sg suggestAnswer
				if err := json.Unmarshal(a.body, &sg); err != nil || len(sg.Suggestions) == 0 {
					continue
				}
				pick := sg.Suggestions[rng.Intn(len(sg.Suggestions))].ID
				if sg.HeldSuggestion != "" && rng.Intn(2) == 0 {
					pick = sg.HeldSuggestion
				}
				var kb [8]byte
				rand.Read(kb[:])
				key := hex.EncodeToString(kb[:])
				body := map[string]any{"suggestion_id": pick}
				a = call(token, "POST", "/v1/interviews/"+iv+"/booking", body, key)
				note("book", a, 201, 409)
				if a.status == 409 {
					conflicts.Add(1)
					// A resource taken comes with fresh alternatives; an
					// interview booked meanwhile says so.
					var p bookingProblem
					switch {
					case json.Unmarshal(a.body, &p) != nil:
						note("409 not a problem", a)
					case p.Resource != "":
						taken.Add(1)
						if p.Alternatives == nil {
							note("409 without alternatives", a)
						}
					case !strings.Contains(p.Detail, "booked already"):
						note("409 naming nothing", a)
					}
				}
				if a.status == 201 {
					var b resources.Booking
					json.Unmarshal(a.body, &b)
					mu.Lock()
					keys201[key] = b.ID
					mu.Unlock()
					if rng.Intn(3) == 0 { // a client retrying after a lost answer
						r := call(token, "POST", "/v1/interviews/"+iv+"/booking", body, key)
						note("replay", r, 201)
						var again resources.Booking
						json.Unmarshal(r.body, &again)
						if again.ID != b.ID {
							note("replay with another booking", r)
						}
					}
				}
			}
		}(c)
	}
	wg.Wait()
	t.Logf("operations %d; answers %v", ops.Load(), counts)
	require.Empty(t, bad, "every answer 2xx or 409")
	require.Positive(t, counts["book 201"])
	require.Positive(t, conflicts.Load(), "the clients did compete")
	require.Positive(t, taken.Load(), "for the same resources")

	// No resource in two active bookings at once.
	require.Zero(t, e.count(`select count(*) from occupancy a join occupancy b on a.resource_id = b.resource_id and a.id < b.id
		where a.active and b.active and a.during && b.during`))
	require.Zero(t, e.count(`select count(*) from bookings a join bookings b on a.id < b.id
		where a.status = 'active' and b.status = 'active' and tstzrange(a.start_at, a.end_at) && tstzrange(b.start_at, b.end_at)
		and (a.room_id = b.room_id or a.interviewer_id = b.interviewer_id or a.interpreter_id = b.interpreter_id)`))
	// Bookings and interview states agree; every active booking has its occupancy.
	require.Zero(t, e.count(`select count(*) from interviews i where (i.status = 'booked') <>
		exists (select 1 from bookings b where b.interview_id = i.id and b.status = 'active')`))
	require.Zero(t, e.count(`select count(*) from bookings b where b.status = 'active' and
		(select count(*) from occupancy o where o.booking_id = b.id and o.active) <> 3`))
	require.Zero(t, e.count(`select count(*) from occupancy o join bookings b on b.id = o.booking_id where b.status <> 'active' and o.active`))

	// Every hard rule holds: the reference checker on the exported state.
	exported, err := db.Export(ctx, "", "")
	require.NoError(t, err)
	require.NotEmpty(t, exported.Bookings)
	sched := scheduleOf(t, exported)
	rep, err := solver.Check(exported, sched)
	require.NoError(t, err)
	require.Empty(t, rep.Violations)

	// Holds: none for a booked interview; none live past its expiry; none left once expired.
	require.Zero(t, e.count(`select count(*) from holds h join interviews i on i.id = h.interview_id where i.status <> 'pending'`))
	require.Zero(t, e.count(`select count(*) from holds where expires_at > $1`, clk.Now().Add(10*time.Minute)))
	clk.Add(11 * time.Minute)
	_, _, err = e.deps.Booking.ClearExpired(ctx)
	require.NoError(t, err)
	require.Zero(t, e.count(`select count(*) from holds`))
	require.Zero(t, e.count(`select count(*) from occupancy where hold_id is not null or (booking_id is null and active)`))
	// Idempotency keys: exactly one per booking answered 201, each with its answer.
	require.Zero(t, e.count(`select count(*) from idempotency_keys where response is null or status is null`))
	require.Equal(t, len(keys201), e.count(`select count(*) from idempotency_keys`))
	var stored []string
	rows, _ := pool.Query(ctx, `select key from idempotency_keys order by key`)
	for rows.Next() {
		var k string
		rows.Scan(&k)
		stored = append(stored, k)
	}
	require.NoError(t, rows.Err())
	var want []string
	for k := range keys201 {
		want = append(want, k)
	}
	sort.Strings(want)
	require.Equal(t, want, stored)
	// The audit trail has one entry per change answered.
	require.Equal(t, counts["book 201"]+counts["cancel 200"], e.count(`select count(*) from audit_log where action in ('booked', 'cancelled')`))
}

// scheduleOf makes the schedule of an instance's bookings.
func scheduleOf(t testing.TB, in *solver.Instance) *solver.Schedule {
	t.Helper()
	loc, err := time.LoadLocation(in.Timezone)
	require.NoError(t, err)
	dur := map[string]int{}
	for _, iv := range in.Interviews {
		dur[iv.ID] = iv.DurationMinutes
	}
	roomLoc := map[string]string{}
	for _, r := range in.Rooms {
		roomLoc[r.ID] = r.Location
	}
	s := &solver.Schedule{Format: solver.ScheduleFormat, Unscheduled: []solver.Unscheduled{}}
	booked := map[string]bool{}
	for _, b := range in.Bookings {
		start, err := solver.ParseInstant(b.Start)
		require.NoError(t, err)
		s.Assignments = append(s.Assignments, solver.Assignment{Interview: b.Interview, Start: b.Start,
			End: solver.FormatInstant(start.Add(time.Duration(dur[b.Interview])*time.Minute), loc), Location: roomLoc[b.Room],
			Room: b.Room, Interviewer: b.Interviewer, Interpreter: b.Interpreter, Mode: b.Mode})
		booked[b.Interview] = true
	}
	for _, iv := range in.Interviews {
		if !booked[iv.ID] {
			s.Unscheduled = append(s.Unscheduled, solver.Unscheduled{Interview: iv.ID, Reason: solver.ReasonCapacity})
		}
	}
	return s
}
