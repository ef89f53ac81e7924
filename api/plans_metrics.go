package api

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// bgCollector exports the state of the background work: the notification
// backlog (read from the database at each scrape) and the plans this server
// runs.
type bgCollector struct{ s *Server }

var (
	outboxUndelivered = prometheus.NewDesc("interviewd_outbox_undelivered", "Notification events not delivered yet, by state (pending: never tried; retrying: failed at least once).", []string{"state"}, nil)
	outboxOldest      = prometheus.NewDesc("interviewd_outbox_oldest_undelivered_seconds", "Age of the oldest undelivered notification event (0 when none).", nil, nil)
	plansRunning      = prometheus.NewDesc("interviewd_plans_running", "Plans this server is running.", nil, nil)
	holdsLive         = prometheus.NewDesc("interviewd_holds_live", "Holds that have not expired (all servers).", nil, nil)
	mailNotSent       = prometheus.NewDesc("interviewd_mail_not_sent", "Mails to interpreters and parties not handed to the SMTP server, by state (pending, sending, failed: refused for good, unknown: a worker stopped while sending).", []string{"state"}, nil)
	mailOldest        = prometheus.NewDesc("interviewd_mail_oldest_waiting_seconds", "Age of the oldest mail waiting to be sent (0 when none).", nil, nil)
)

func (c *bgCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- outboxUndelivered
	ch <- outboxOldest
	ch <- plansRunning
	ch <- holdsLive
	ch <- mailNotSent
	ch <- mailOldest
}

func (c *bgCollector) Collect(ch chan<- prometheus.Metric) {
	ch <- prometheus.MustNewConstMetric(plansRunning, prometheus.GaugeValue, float64(len(c.s.planner.Running())))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	pending, retrying, oldest, err := c.s.db.OutboxBacklog(ctx)
	if err != nil {
		return // the database is away: /readyz says so
	}
	ch <- prometheus.MustNewConstMetric(outboxUndelivered, prometheus.GaugeValue, float64(pending), "pending")
	ch <- prometheus.MustNewConstMetric(outboxUndelivered, prometheus.GaugeValue, float64(retrying), "retrying")
	age := 0.0
	if !oldest.IsZero() {
		age = max(c.s.now().Sub(oldest).Seconds(), 0)
	}
	ch <- prometheus.MustNewConstMetric(outboxOldest, prometheus.GaugeValue, age)
	if n, err := c.s.db.LiveHolds(ctx, c.s.now()); err == nil {
		ch <- prometheus.MustNewConstMetric(holdsLive, prometheus.GaugeValue, float64(n))
	}
	if states, oldest, err := c.s.db.MailBacklog(ctx); err == nil {
		for state, n := range states {
			ch <- prometheus.MustNewConstMetric(mailNotSent, prometheus.GaugeValue, float64(n), state)
		}
		age := 0.0
		if !oldest.IsZero() {
			age = max(c.s.now().Sub(oldest).Seconds(), 0)
		}
		ch <- prometheus.MustNewConstMetric(mailOldest, prometheus.GaugeValue, age)
	}
}
