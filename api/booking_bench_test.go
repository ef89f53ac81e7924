package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/api"
	"github.com/asylum-scheduling/interviews/internal/generator"
	"github.com/asylum-scheduling/interviews/internal/pgtest"
	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/scheduler"
	"github.com/asylum-scheduling/interviews/solver"
)

// demoData is the demo data of `interviewd serve -demo` at size: the
// generated instance with every third assignment of a greedy plan booked.
// It returns the instance and the greedy plan's assignments of the
// interviews left pending.
func demoData(t testing.TB, size string) (*solver.Instance, []solver.Assignment) {
	t.Helper()
	in, err := generator.Generate(size, 1)
	require.NoError(t, err)
	fit, err := solver.FirstFit(in)
	require.NoError(t, err)
	var rest []solver.Assignment
	for i, a := range fit.Assignments {
		if i%3 == 0 {
			in.Bookings = append(in.Bookings, solver.Booking{Interview: a.Interview, Start: a.Start, Room: a.Room,
				Interviewer: a.Interviewer, Interpreter: a.Interpreter, Mode: a.Mode})
		} else {
			rest = append(rest, a)
		}
	}
	return in, rest
}

type benchServer struct {
	db    *postgres.DB
	raw   *pgtest.Raw
	srv   *api.Server
	token string
}

func newBenchServer(t testing.TB, in *solver.Instance) *benchServer {
	t.Helper()
	ctx := context.Background()
	raw := pgtest.Open(t)
	db := postgres.New(raw, nil)
	_, err := db.Import(ctx, in)
	require.NoError(t, err)
	tok, _, err := db.CreateToken(ctx, "bench", resources.RoleClerk)
	require.NoError(t, err)
	// Wired with the access log, as cmd/interviewd wires it.
	deps := testDeps(db, nil, nil)
	deps.Access = scheduler.NewAccessLog(db, nil, nil)
	actx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); deps.Access.Run(actx) }()
	t.Cleanup(func() { stop(); <-done })
	return &benchServer{db: db, raw: raw, srv: api.New(deps), token: tok}
}

func (s *benchServer) post(t testing.TB, path, body string) (int, []byte) {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+s.token)
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	s.srv.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes()
}

func pendingIDs(in *solver.Instance) []string {
	booked := map[string]bool{}
	for _, b := range in.Bookings {
		booked[b.Interview] = true
	}
	var ids []string
	for _, iv := range in.Interviews {
		if !booked[iv.ID] {
			ids = append(ids, iv.ID)
		}
	}
	return ids
}

func percentile(ds []time.Duration, p float64) time.Duration {
	s := append([]time.Duration{}, ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[int(p*float64(len(s)-1))]
}

// Suggestions work end to end (router, auth, database, solver) on the M demo
// data, repeatedly. The target, a median under 30 ms once the state is
// compiled, is BenchmarkSuggestions' p50-ms; here only a generous guard that
// a busy 2-core CI machine keeps.
func TestSuggestionsAreInteractiveOnDemoData(t *testing.T) {
	t.Parallel()
	in, _ := demoData(t, "M")
	s := newBenchServer(t, in)
	ids := pendingIDs(in)
	code, body := s.post(t, "/v1/interviews/"+ids[0]+"/suggestions", `{"k": 5}`)
	require.Equal(t, 200, code, "%s", body)
	var ds []time.Duration
	options := 0
	for i := 0; i < 60; i++ {
		start := time.Now()
		code, body := s.post(t, "/v1/interviews/"+ids[i%len(ids)]+"/suggestions", `{"k": 5}`)
		ds = append(ds, time.Since(start))
		require.Equal(t, 200, code, "%s", body)
		var a suggestAnswer
		require.NoError(t, json.Unmarshal(body, &a))
		options += len(a.Suggestions)
	}
	require.Positive(t, options)
	t.Logf("suggestions on M: median %v, p95 %v", percentile(ds, 0.5), percentile(ds, 0.95))
	require.Less(t, percentile(ds, 0.5), 500*time.Millisecond)
}

// BenchmarkSuggestions: POST /v1/interviews/{id}/suggestions through the
// router on demo data: warm (state compiled), after a booking (bookings and
// holds read again, compiled again) and after a resource change (the whole
// state exported again, compiled again).
func BenchmarkSuggestions(b *testing.B) {
	for _, size := range []string{"M", "L"} {
		in, _ := demoData(b, size)
		s := newBenchServer(b, in)
		ids := pendingIDs(in)
		for _, kind := range []string{"warm", "after-booking", "after-resource-change"} {
			b.Run(size+"/"+kind, func(b *testing.B) {
				var ds []time.Duration
				for i := 0; i < b.N; i++ {
					if kind != "warm" {
						// What a booking or a resource change does to the state version.
						b.StopTimer()
						sql := `update state_version set version = version + 1`
						if kind == "after-resource-change" {
							sql = `update state_version set version = version + 1, static_version = static_version + 1`
						}
						_, err := s.raw.Exec(context.Background(), sql)
						require.NoError(b, err)
						b.StartTimer()
					}
					start := time.Now()
					code, body := s.post(b, "/v1/interviews/"+ids[i%len(ids)]+"/suggestions", `{"k": 5}`)
					ds = append(ds, time.Since(start))
					if code != 200 {
						b.Fatalf("%d %s", code, body)
					}
				}
				b.ReportMetric(float64(percentile(ds, 0.5).Microseconds())/1000, "p50-ms")
				b.ReportMetric(float64(percentile(ds, 0.95).Microseconds())/1000, "p95-ms")
			})
		}
	}
}

// BenchmarkBooking: POST /v1/interviews/{id}/booking with explicit
// assignments of a greedy plan (every rule checked in the transaction),
// one after another; the state is loaded again when all are booked.
func BenchmarkBooking(b *testing.B) {
	for _, size := range []string{"M", "L"} {
		b.Run(size, func(b *testing.B) {
			in, rest := demoData(b, size)
			s := newBenchServer(b, in)
			next := 0
			b.ResetTimer() // the import of the data is not the booking
			for i := 0; i < b.N; i++ {
				next = s.bookNext(b, in, rest, next)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "bookings/s")
		})
	}
	// Eight clerks at once, each booking other interviews of the same plan:
	// they share offices and people, so they queue on the row locks.
	b.Run("L/8-clients", func(b *testing.B) {
		in, rest := demoData(b, "L")
		s := newBenchServer(b, in)
		b.SetParallelism(4) // 2 cores × 4 = 8 goroutines
		var next atomic.Int64
		b.ResetTimer()
		var wrapped atomic.Bool
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				i := int(next.Add(1) - 1)
				if i >= len(rest) {
					wrapped.Store(true)
					continue // all booked: counted, not sent
				}
				a := rest[i]
				code, out := s.post(b, "/v1/interviews/"+a.Interview+"/booking", bookingBody(a))
				if code != 201 {
					b.Errorf("%d %s", code, out)
				}
			}
		})
		n := min(b.N, len(rest))
		b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "bookings/s")
		if wrapped.Load() {
			b.Logf("only %d of %d iterations booked (the plan ran out)", len(rest), b.N)
		}
	})
}

// bookNext books rest[next] explicitly through the router (loading in
// again, untimed, when all are booked) and returns the next index.
func (s *benchServer) bookNext(b *testing.B, in *solver.Instance, rest []solver.Assignment, next int) int {
	if next == len(rest) {
		b.StopTimer()
		_, err := s.db.Import(context.Background(), in)
		require.NoError(b, err)
		next = 0
		b.StartTimer()
	}
	a := rest[next]
	code, out := s.post(b, "/v1/interviews/"+a.Interview+"/booking", bookingBody(a))
	if code != 201 {
		b.Fatalf("%d %s", code, out)
	}
	return next + 1
}

// bookingBody is the explicit booking of a.
func bookingBody(a solver.Assignment) string {
	if a.Mode == "none" {
		return fmt.Sprintf(`{"start": %q, "room": %q, "interviewer": %q, "mode": "none"}`, a.Start, a.Room, a.Interviewer)
	}
	return fmt.Sprintf(`{"start": %q, "room": %q, "interviewer": %q, "interpreter": %q, "mode": %q}`,
		a.Start, a.Room, a.Interviewer, a.Interpreter, a.Mode)
}

// BenchmarkSurgeServer: the server at a surge peak's size (issue 13): the
// XXL month (12,800 interviews) with a third of a greedy plan booked. It
// reports the import through the router, the first suggestion (state read
// and compiled), the median of warm suggestions, and bookings one after
// another.
func BenchmarkSurgeServer(b *testing.B) {
	in, rest := demoData(b, "XXL")
	ctx := context.Background()
	raw := pgtest.Open(b)
	db := postgres.New(raw, nil)
	tok, _, err := db.CreateToken(ctx, "bench", resources.RoleManager)
	require.NoError(b, err)
	s := &benchServer{db: db, raw: raw, srv: newTestServer(db, nil, nil), token: tok}
	body, err := json.Marshal(in)
	require.NoError(b, err)
	// The import, once (it replaces the whole state).
	start := time.Now()
	code, out := s.post(b, "/v1/instance", string(body))
	if code != 200 {
		b.Fatalf("%d %s", code, out)
	}
	imported := time.Since(start)
	ids := pendingIDs(in)
	b.Run("suggestions", func(b *testing.B) {
		b.ReportMetric(imported.Seconds(), "import-s")
		start := time.Now()
		code, out := s.post(b, "/v1/interviews/"+ids[0]+"/suggestions", `{"k": 5}`)
		if code != 200 {
			b.Fatalf("%d %s", code, out)
		}
		first := time.Since(start)
		var ds []time.Duration
		for i := 0; i < b.N; i++ {
			start := time.Now()
			code, out := s.post(b, "/v1/interviews/"+ids[(i+1)%len(ids)]+"/suggestions", `{"k": 5}`)
			ds = append(ds, time.Since(start))
			if code != 200 {
				b.Fatalf("%d %s", code, out)
			}
		}
		b.ReportMetric(first.Seconds(), "first-s")
		b.ReportMetric(float64(percentile(ds, 0.5).Microseconds())/1000, "p50-ms")
	})
	next := 0 // across the runs of the sub-benchmark: booked stays booked
	b.Run("booking", func(b *testing.B) {
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			next = s.bookNext(b, in, rest, next)
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "bookings/s")
	})
}
