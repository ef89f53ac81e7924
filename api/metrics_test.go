package api_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/scheduler"
)

// scrape reads /metrics with Prometheus' own text parser: the exposition
// must parse, and every family is returned by name.
func scrape(t *testing.T, e *env) map[string]*dto.MetricFamily {
	t.Helper()
	r := e.do("", "GET", "/metrics", nil)
	require.Equal(t, 200, r.Status)
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(bytes.NewReader(r.Body))
	require.NoError(t, err, "the exposition does not parse")
	return fams
}

// value is the value of the family's series with the labels want.
func value(t *testing.T, fams map[string]*dto.MetricFamily, name string, want map[string]string) float64 {
	t.Helper()
	f := fams[name]
	require.NotNil(t, f, "no family %s", name)
	for _, m := range f.Metric {
		ok := true
		for k, v := range want {
			found := false
			for _, l := range m.Label {
				found = found || (l.GetName() == k && l.GetValue() == v)
			}
			ok = ok && found
		}
		if !ok {
			continue
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue()
		case m.Gauge != nil:
			return m.Gauge.GetValue()
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount())
		}
	}
	t.Fatalf("no series of %s with %v", name, want)
	return 0
}

// The metrics an operator acts on move with what happens: booking changes
// by source, suggestion and plan durations, plans by outcome, job runs and
// their last success, live holds, feed answers; labels carry no ids.
func TestOperatorMetrics(t *testing.T) {
	t.Parallel()
	e, _, _ := newBookingEnv(t, nil)
	c, m := resources.RoleClerk, resources.RoleManager
	at := "2026-12-07T08:00:00+02:00"
	_, err := e.raw.Exec(context.Background(), `update interpreters set email = 't1@example.org' where id = 't1'`)
	require.NoError(t, err)
	r := e.do(c, "POST", "/v1/interviews/I-1/booking", explicit(at, "HEL-R1", "e2", "t1", "onsite"))
	require.Equal(t, 201, r.Status, "%s", r.Body)
	var b resources.Booking
	r.json(t, &b)
	require.Equal(t, 200, e.do(c, "POST", fmt.Sprintf("/v1/bookings/%d/cancel", b.ID), map[string]any{"reason": "test"}).Status)
	e.suggest("I-2", map[string]any{"k": 2, "hold": true})

	_, path := e.newFeed("interpreter", "t1")
	require.Equal(t, 200, e.do("", "GET", path, nil).Status)
	require.Equal(t, 404, e.do("", "GET", "/feeds/ivf_nosuchtoken.ics", nil).Status)

	jobs := scheduler.NewJobs(e.db, nil, nil, scheduler.WithObserver(e.deps.Metrics))
	require.NoError(t, jobs.Add(scheduler.Job{Name: "tidy", Run: func(context.Context) (string, error) { return "done", nil }}))
	require.NoError(t, jobs.Add(scheduler.Job{Name: "never", Run: func(context.Context) (string, error) { return "done", nil }}))
	_, err = jobs.RunNow(context.Background(), "tidy", time.Now())
	require.NoError(t, err)

	r = e.do(m, "POST", "/v1/plans", map[string]any{"from": "2026-12-07", "to": "2026-12-08", "time_limit": "1s"})
	require.Equal(t, 202, r.Status, "%s", r.Body)
	var plan resources.Plan
	r.json(t, &plan)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	require.NoError(t, e.deps.Planner.Wait(ctx, plan.ID))

	fams := scrape(t, e)
	require.Equal(t, 1.0, value(t, fams, "interviewd_booking_changes_total", map[string]string{"action": "booked", "source": "api"}))
	require.Equal(t, 1.0, value(t, fams, "interviewd_booking_changes_total", map[string]string{"action": "cancelled", "source": "api"}))
	require.GreaterOrEqual(t, value(t, fams, "interviewd_suggestion_duration_seconds", nil), 1.0)
	require.Equal(t, 1.0, value(t, fams, "interviewd_plans_total", map[string]string{"kind": "batch", "outcome": "done"}))
	require.Equal(t, 1.0, value(t, fams, "interviewd_plan_duration_seconds", map[string]string{"kind": "batch"}))
	require.Equal(t, 1.0, value(t, fams, "interviewd_job_runs_total", map[string]string{"job": "tidy", "outcome": "ok"}))
	// A job that has not run since the start shows, at zero.
	require.Equal(t, 0.0, value(t, fams, "interviewd_job_runs_total", map[string]string{"job": "never", "outcome": "ok"}))
	require.InDelta(t, float64(time.Now().Unix()), value(t, fams, "interviewd_job_last_success_timestamp_seconds", map[string]string{"job": "tidy"}), 60)
	require.Equal(t, 1.0, value(t, fams, "interviewd_holds_live", nil))
	// No mail server here: the booking's request and the cancellation wait.
	require.Equal(t, 2.0, value(t, fams, "interviewd_mail_not_sent", map[string]string{"state": "pending"}))
	require.Equal(t, 0.0, value(t, fams, "interviewd_mail_not_sent", map[string]string{"state": "failed"}))
	require.GreaterOrEqual(t, value(t, fams, "interviewd_mail_oldest_waiting_seconds", nil), 0.0)
	require.Equal(t, 1.0, value(t, fams, "interviewd_feed_requests_total", map[string]string{"answer": "200"}))
	require.Equal(t, 1.0, value(t, fams, "interviewd_feed_requests_total", map[string]string{"answer": "404"}))
	require.NotNil(t, fams["interviewd_db_pool_max_conns"])
	require.NotNil(t, fams["interviewd_http_requests_total"])

	// Bounded labels: no id, token or path in any label value.
	for name, f := range fams {
		for _, s := range f.Metric {
			for _, l := range s.Label {
				v := l.GetValue()
				leaks := strings.Contains(v, "I-1") || strings.Contains(v, "ivf_") || strings.Contains(v, "HEL-R1")
				require.False(t, leaks, "%s has an id in label %s=%q", name, l.GetName(), v)
			}
		}
	}
}
