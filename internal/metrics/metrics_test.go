package metrics_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/metrics"
)

// series gathers family name as label value → value (one label, or none).
func series(t *testing.T, m *metrics.Metrics, name string) map[string]float64 {
	t.Helper()
	fams, err := m.Registry.Gather()
	require.NoError(t, err)
	out := map[string]float64{}
	for _, f := range fams {
		if f.GetName() != name {
			continue
		}
		for _, s := range f.Metric {
			key := ""
			for _, l := range s.Label {
				key = l.GetValue()
			}
			switch {
			case s.Counter != nil:
				out[key] = s.Counter.GetValue()
			case s.Gauge != nil:
				out[key] = s.Gauge.GetValue()
			}
		}
	}
	return out
}

// Feed answers fall into bounded classes; only a successful job run sets
// its last success.
func TestBoundedLabelsAndLastSuccess(t *testing.T) {
	m := metrics.New()
	for _, s := range []int{200, 304, 404, 429, 503, 418, 500, 200} {
		m.FeedAnswered(s)
	}
	require.Equal(t, map[string]float64{"200": 2, "304": 1, "404": 1, "429": 1, "503": 1, "other": 2},
		series(t, m, "interviewd_feed_requests_total"))

	at := time.Unix(1_800_000_000, 0)
	m.JobRan("clear-expired-holds", "failed", at)
	m.JobRan("clear-expired-holds", "skipped", at)
	require.Empty(t, series(t, m, "interviewd_job_last_success_timestamp_seconds"), "no success yet")
	m.JobRan("clear-expired-holds", "ok", at)
	require.Equal(t, map[string]float64{"clear-expired-holds": 1.8e9}, series(t, m, "interviewd_job_last_success_timestamp_seconds"))
	require.Equal(t, map[string]float64{"ok": 1, "failed": 1, "skipped": 1}, series(t, m, "interviewd_job_runs_total"))
}

// A job's run counts exist from the moment it is added, at zero, so one
// that never runs shows; mails count by outcome from zero too.
func TestJobsAndMailsCountFromZero(t *testing.T) {
	m := metrics.New()
	require.Equal(t, map[string]float64{"sent": 0, "retry": 0, "failed": 0, "unknown": 0}, series(t, m, "interviewd_mails_total"))
	m.JobAdded("expire-requests")
	require.Equal(t, map[string]float64{"ok": 0, "failed": 0, "skipped": 0}, series(t, m, "interviewd_job_runs_total"))
	m.MailDelivered("retry")
	m.MailDelivered("sent")
	require.Equal(t, map[string]float64{"sent": 1, "retry": 1, "failed": 0, "unknown": 0}, series(t, m, "interviewd_mails_total"))
}
