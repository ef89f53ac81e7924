package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/api"
	"github.com/asylum-scheduling/interviews/internal/pgtest"
	"github.com/asylum-scheduling/interviews/internal/postgres"
)

// BenchmarkFeed measures GET /feeds/{token}.ics for an interpreter with 200
// bookings in the window, through the real router and database: answered
// with 304 (If-None-Match), with the full body from the per-owner cache, and
// with the full body rendered afresh (the state version bumped before each
// request, outside the timer). Reports requests per second.
func BenchmarkFeed(b *testing.B) {
	ctx := context.Background()
	now := time.Date(2027, 3, 20, 9, 0, 0, 0, time.UTC)
	raw := pgtest.Open(b)
	db := postgres.New(raw, func() time.Time { return now })
	_, err := db.Import(ctx, feedFixture(b))
	require.NoError(b, err)
	// 200 bookings of t1, from 25 days ago to 170 days ahead.
	_, err = raw.Exec(ctx, `insert into interviews (id, case_ref, language, duration_minutes, earliest, status)
		select 'B-' || g, 'CASE-' || g, 'ar-IQ', 120, '2027-01-01', 'booked' from generate_series(1, 200) g`)
	require.NoError(b, err)
	_, err = raw.Exec(ctx, `insert into bookings (interview_id, start_at, end_at, room_id, interviewer_id, interpreter_id, mode, sequence, updated_at)
		select 'B-' || g, $1::timestamptz + (g * interval '23 hours'), $1::timestamptz + (g * interval '23 hours') + interval '2 hours',
			'HEL-R2', 'e2', 't1', case when g % 3 = 0 then 'remote' else 'onsite' end, g % 4, $2
		from generate_series(1, 200) g`, now.Add(-25*24*time.Hour), now.Add(-time.Hour))
	require.NoError(b, err)
	deps := testDeps(db, nil, func() time.Time { return now })
	deps.Feeds = feedLimits(api.RateLimit{}, api.RateLimit{})
	srv := api.New(deps)
	token, _, err := db.CreateFeedToken(ctx, "interpreter", "t1", "bench")
	require.NoError(b, err)
	u, _ := url.Parse("http://localhost/feeds/" + token + ".ics")
	get := func(hdr ...string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, u.String(), nil)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		return rec
	}
	first := get()
	require.Equal(b, 200, first.Code, "%s", first.Body)
	etag := first.Header().Get("ETag")
	b.Logf("feed: %d bytes, %d events", first.Body.Len(), countEvents(first.Body.Bytes()))
	perSec := func(b *testing.B) {
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
	}
	b.Run("304", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if rec := get("If-None-Match", etag); rec.Code != 304 {
				b.Fatalf("%d", rec.Code)
			}
		}
		perSec(b)
	})
	b.Run("304-parallel", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if rec := get("If-None-Match", etag); rec.Code != 304 {
					b.Errorf("%d", rec.Code)
					return
				}
			}
		})
		perSec(b)
	})
	b.Run("200-cached", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if rec := get(); rec.Code != 200 || rec.Body.Len() < 50_000 {
				b.Fatalf("%d, %d bytes", rec.Code, rec.Body.Len())
			}
		}
		perSec(b)
	})
	b.Run("200-cached-parallel", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if rec := get(); rec.Code != 200 {
					b.Errorf("%d", rec.Code)
					return
				}
			}
		})
		perSec(b)
	})
	b.Run("200-rendered", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			if _, err := raw.Exec(ctx, `update state_version set version = version + 1`); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			if rec := get(); rec.Code != 200 {
				b.Fatalf("%d", rec.Code)
			}
		}
		perSec(b)
	})
}

func countEvents(body []byte) int {
	n := 0
	for i := 0; i+12 <= len(body); i++ {
		if string(body[i:i+12]) == "BEGIN:VEVENT" {
			n++
		}
	}
	return n
}
