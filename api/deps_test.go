package api_test

import (
	"context"
	"log/slog"
	"time"

	"github.com/asylum-scheduling/interviews/api"
	"github.com/asylum-scheduling/interviews/internal/metrics"
	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/scheduler"
)

// testDeps wires the API's dependencies on db as cmd/interviewd does, for
// the tests: a random suggestion key, no scheduled jobs, the default feed
// limits. log nil: discard; now nil: time.Now.
func testDeps(db *postgres.DB, log *slog.Logger, now func() time.Time) api.Deps {
	m := metrics.New()
	booking := scheduler.New(db, nil, log, now, scheduler.WithObserver(m))
	if now == nil {
		now = time.Now
	}
	return api.Deps{Store: db, Records: scheduler.NewRecords(db), Booking: booking, Planner: scheduler.NewPlanner(db, booking, log, now),
		Feeds: api.NewFeedService(api.FeedOptions{}), Metrics: m, Log: log, Now: now, Retention: scheduler.NewRetention(db, now),
		Portal: scheduler.NewPortal(context.Background(), db, booking, log, now, "https://interviews.example", nil)}
}

// newTestServer is api.New on testDeps.
func newTestServer(db *postgres.DB, log *slog.Logger, now func() time.Time) *api.Server {
	return api.New(testDeps(db, log, now))
}

// rewire builds e's server again on its dependencies after change, as a
// server started with other settings would be (same database).
func (e *env) rewire(change func(*api.Deps)) {
	change(&e.deps)
	e.deps.Metrics = metrics.New() // a new server registers its collectors afresh
	e.srv = api.New(e.deps)
}

// feedLimits returns feed options with the given rate limits.
func feedLimits(perToken, perIP api.RateLimit) *api.FeedService {
	return api.NewFeedService(api.FeedOptions{TokenLimit: &perToken, IPLimit: &perIP})
}
