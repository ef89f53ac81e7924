// Package metrics holds the server's Prometheus registry and what the
// workflow reports to it: booking changes by source, suggestion and plan
// durations, plans and scenarios by outcome, job runs (from zero when a job
// is added), mails by delivery outcome, feed answers. Labels are bounded
// (actions, sources, kinds, outcomes, job names, status classes), never ids.
// It implements scheduler.Observer.
package metrics

import (
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metrics is the registry with the workflow's metrics on it; the API adds
// its HTTP and database collectors.
type Metrics struct {
	Registry *prometheus.Registry

	changes    *prometheus.CounterVec
	suggest    prometheus.Histogram
	solve      *prometheus.HistogramVec
	plans      *prometheus.CounterVec
	jobRuns    *prometheus.CounterVec
	jobSuccess *prometheus.GaugeVec
	feeds      *prometheus.CounterVec
	mails      *prometheus.CounterVec
}

// jobOutcomes are the outcomes of a job run; each starts at zero when the
// job is added.
var jobOutcomes = []string{"ok", "failed", "skipped"}

// mailOutcomes are the outcomes of a mail delivery (scheduler.Mail*).
var mailOutcomes = []string{"sent", "retry", "failed", "unknown"}

// New returns a registry with the Go and process collectors and the
// workflow's metrics.
func New() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		changes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "interviewd_booking_changes_total",
			Help: "Bookings made, moved and cancelled, by action and source (api, web, plan).",
		}, []string{"action", "source"}),
		suggest: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "interviewd_suggestion_duration_seconds",
			Help:    "Time to compute the suggestions for one interview.",
			Buckets: []float64{.001, .0025, .005, .01, .02, .05, .1, .25, .5, 1, 2.5, 5},
		}),
		solve: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "interviewd_plan_duration_seconds",
			Help:    "Time from the start of a plan to its end, by kind (batch, nightly, repair).",
			Buckets: []float64{.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600},
		}, []string{"kind"}),
		plans: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "interviewd_plans_total",
			Help: "Plans and what-if scenarios ended, by kind (batch, nightly, repair, scenario) and outcome (done, failed, cancelled).",
		}, []string{"kind", "outcome"}),
		jobRuns: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "interviewd_job_runs_total",
			Help: "Scheduled job runs on this server, by job and outcome (ok, failed, skipped: another replica ran it).",
		}, []string{"job", "outcome"}),
		jobSuccess: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "interviewd_job_last_success_timestamp_seconds",
			Help: "When each job last ran successfully on this server (Unix time): alert when it grows old.",
		}, []string{"job"}),
		feeds: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "interviewd_feed_requests_total",
			Help: "Calendar feed requests by answer (200, 304, 404, 429, 503, other).",
		}, []string{"answer"}),
		mails: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "interviewd_mails_total",
			Help: "Mails by delivery outcome: sent, retry (a transient error, tried again later), failed (permanent), unknown (a worker stopped while sending).",
		}, []string{"outcome"}),
	}
	for _, o := range mailOutcomes {
		m.mails.WithLabelValues(o)
	}
	m.Registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.changes, m.suggest, m.solve, m.plans, m.jobRuns, m.jobSuccess, m.feeds, m.mails)
	return m
}

// Changed counts a booking change.
func (m *Metrics) Changed(action, source string) { m.changes.WithLabelValues(action, source).Inc() }

// Suggested records a suggestion's duration.
func (m *Metrics) Suggested(d time.Duration) { m.suggest.Observe(d.Seconds()) }

// PlanEnded counts a plan's end and records its duration.
func (m *Metrics) PlanEnded(kind, outcome string, d time.Duration) {
	m.plans.WithLabelValues(kind, outcome).Inc()
	m.solve.WithLabelValues(kind).Observe(d.Seconds())
}

// JobRan counts a job run; a successful one sets the job's last success.
func (m *Metrics) JobRan(job, outcome string, at time.Time) {
	m.jobRuns.WithLabelValues(job, outcome).Inc()
	if outcome == "ok" {
		m.jobSuccess.WithLabelValues(job).Set(float64(at.Unix()))
	}
}

// JobAdded makes a job's run counts exist at zero, so that a job that has
// not run since the server started shows (and can be alerted on).
func (m *Metrics) JobAdded(job string) {
	for _, o := range jobOutcomes {
		m.jobRuns.WithLabelValues(job, o)
	}
}

// MailDelivered counts a mail's delivery outcome.
func (m *Metrics) MailDelivered(outcome string) { m.mails.WithLabelValues(outcome).Inc() }

// FeedAnswered counts a feed request by its status.
func (m *Metrics) FeedAnswered(status int) {
	answer := "other"
	switch status {
	case 200, 304, 404, 429, 503:
		answer = strconv.Itoa(status)
	}
	m.feeds.WithLabelValues(answer).Inc()
}
