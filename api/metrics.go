package api

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/asylum-scheduling/interviews/resources"
)

type httpMetrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

// newMetrics adds the HTTP and database pool metrics to the registry.
func newMetrics(registry *prometheus.Registry, pool func() resources.PoolStats) *httpMetrics {
	m := &httpMetrics{
		registry: registry,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "interviewd_http_requests_total",
			Help: "HTTP requests by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "interviewd_http_request_duration_seconds",
			Help:    "HTTP request latency by route pattern and method.",
			Buckets: []float64{.001, .0025, .005, .01, .02, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"route", "method"}),
	}
	m.registry.MustRegister(m.requests, m.latency, &poolCollector{stats: pool})
	return m
}

// poolCollector exports the database pool's statistics.
type poolCollector struct{ stats func() resources.PoolStats }

var (
	poolAcquired  = prometheus.NewDesc("interviewd_db_pool_acquired_conns", "Connections in use.", nil, nil)
	poolIdle      = prometheus.NewDesc("interviewd_db_pool_idle_conns", "Idle connections.", nil, nil)
	poolTotal     = prometheus.NewDesc("interviewd_db_pool_total_conns", "Open connections.", nil, nil)
	poolMax       = prometheus.NewDesc("interviewd_db_pool_max_conns", "Most connections the pool opens.", nil, nil)
	poolAcquires  = prometheus.NewDesc("interviewd_db_pool_acquires_total", "Connections acquired.", nil, nil)
	poolWaits     = prometheus.NewDesc("interviewd_db_pool_empty_acquires_total", "Acquires that had to wait for a connection.", nil, nil)
	poolWaitTime  = prometheus.NewDesc("interviewd_db_pool_acquire_wait_seconds_total", "Time spent waiting for connections.", nil, nil)
	poolCancelled = prometheus.NewDesc("interviewd_db_pool_canceled_acquires_total", "Acquires cancelled by their context.", nil, nil)
)

func (c *poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{poolAcquired, poolIdle, poolTotal, poolMax, poolAcquires, poolWaits, poolWaitTime, poolCancelled} {
		ch <- d
	}
}

func (c *poolCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.stats()
	ch <- prometheus.MustNewConstMetric(poolAcquired, prometheus.GaugeValue, float64(s.Acquired))
	ch <- prometheus.MustNewConstMetric(poolIdle, prometheus.GaugeValue, float64(s.Idle))
	ch <- prometheus.MustNewConstMetric(poolTotal, prometheus.GaugeValue, float64(s.Total))
	ch <- prometheus.MustNewConstMetric(poolMax, prometheus.GaugeValue, float64(s.Max))
	ch <- prometheus.MustNewConstMetric(poolAcquires, prometheus.CounterValue, float64(s.Acquires))
	ch <- prometheus.MustNewConstMetric(poolWaits, prometheus.CounterValue, float64(s.EmptyAcquires))
	ch <- prometheus.MustNewConstMetric(poolWaitTime, prometheus.CounterValue, s.AcquireWait.Seconds())
	ch <- prometheus.MustNewConstMetric(poolCancelled, prometheus.CounterValue, float64(s.CanceledAcquires))
}
