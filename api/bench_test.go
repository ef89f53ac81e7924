package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/generator"
	"github.com/asylum-scheduling/interviews/internal/pgtest"
	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/resources"
)

// BenchmarkList1000 measures list endpoints answering 1,000 rows through the
// real router, auth and database (XL data: 3,200 interviews, ~740
// interpreters).
func BenchmarkList1000(b *testing.B) {
	ctx := context.Background()
	raw := pgtest.Open(b)
	db := postgres.New(raw, nil)
	in, err := generator.Generate("XL", 1)
	require.NoError(b, err)
	_, err = db.Import(ctx, in)
	require.NoError(b, err)
	tok, _, err := db.CreateToken(ctx, "bench", resources.RoleClerk)
	require.NoError(b, err)
	srv := newTestServer(db, nil, nil)
	for _, path := range []string{"/v1/interviews?limit=1000", "/v1/interpreters?limit=1000"} {
		want := 1000
		if path == "/v1/interpreters?limit=1000" {
			want = len(in.Interpreters)
		}
		// warm: the page is served from the list cache while nothing changes;
		// after-change: a change just committed, so the page is read and
		// encoded again (the first request after every change);
		// cold: as after-change, on a server just started, so no
		// availability list is cached either.
		for _, mode := range []string{"warm", "after-change", "cold"} {
			b.Run(path[4:]+"/"+mode, func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					if mode != "warm" {
						b.StopTimer()
						_, err := raw.Exec(ctx, `update locations set name = name`)
						require.NoError(b, err)
						if mode == "cold" {
							srv = newTestServer(postgres.New(raw, nil), nil, nil)
						}
						b.StartTimer()
					}
					req := httptest.NewRequest(http.MethodGet, path, nil)
					req.Header.Set("Authorization", "Bearer "+tok)
					rec := httptest.NewRecorder()
					srv.ServeHTTP(rec, req)
					if rec.Code != 200 {
						b.Fatalf("%d %s", rec.Code, rec.Body)
					}
					if i == 0 {
						var page struct{ Items []json.RawMessage }
						require.NoError(b, json.Unmarshal(rec.Body.Bytes(), &page))
						require.Len(b, page.Items, min(want, 1000))
					}
				}
			})
		}
	}
}
