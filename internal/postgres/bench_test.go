package postgres_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/generator"
)

// BenchmarkImportL measures POST /v1/instance's work: validating and storing
// a generated L instance (with a current plan) in one transaction, replacing
// the previous state.
func BenchmarkImportL(b *testing.B) {
	ctx := context.Background()
	db := newDB(b)
	in, err := generator.Generate("L", 1)
	require.NoError(b, err)
	in = withBookings(b, in)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := db.Import(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(in.Interviews)), "interviews")
	b.ReportMetric(float64(len(in.Bookings)), "bookings")
}

// BenchmarkExportL measures GET /v1/instance on an L instance.
func BenchmarkExportL(b *testing.B) {
	ctx := context.Background()
	db := newDB(b)
	in, err := generator.Generate("L", 1)
	require.NoError(b, err)
	_, err = db.Import(ctx, withBookings(b, in))
	require.NoError(b, err)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := db.Export(ctx, "", ""); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkImportXXL is BenchmarkImportL on the surge peak month (12,800
// interviews, about 12,500 of them booked). Target: under 30 s.
func BenchmarkImportXXL(b *testing.B) {
	ctx := context.Background()
	db := newDB(b)
	in, err := generator.Generate("XXL", 1)
	require.NoError(b, err)
	in = withBookings(b, in)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := db.Import(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(in.Interviews)), "interviews")
	b.ReportMetric(float64(len(in.Bookings)), "bookings")
}
