package scheduler

import (
	"context"
	"time"
)

// Observer hears what the workflow did, for an operator's metrics. Its
// methods are called after the fact, must be cheap, and safe for
// concurrent use. Labels are bounded: actions, sources, plan kinds and
// outcomes, job names; never ids.
type Observer interface {
	// Changed: a booking was made, moved or cancelled (action), by a clerk
	// through the API or the pages, or by a plan accept (source).
	Changed(action, source string)
	// Suggested: suggestions for one interview took d.
	Suggested(d time.Duration)
	// PlanEnded: a plan of kind ended with outcome (done, failed,
	// cancelled) after solving for d.
	PlanEnded(kind, outcome string, d time.Duration)
	// JobRan: a scheduled job's run ended with outcome at at.
	JobRan(job, outcome string, at time.Time)
	// JobAdded: a job was scheduled on this server (its counts start at
	// zero, so a job that never runs shows).
	JobAdded(job string)
	// MailDelivered: the mailer handed a mail over or gave up on it, with
	// outcome MailSent, MailRetry (a transient error: tried again later),
	// MailFailed (a permanent error, or too many attempts) or MailUnknown
	// (left in sending by a stopped worker).
	MailDelivered(outcome string)
}

// Outcomes of a mail's delivery, for MailDelivered.
const (
	MailSent    = "sent"
	MailRetry   = "retry"
	MailFailed  = "failed"
	MailUnknown = "unknown"
)

// Sources of booking changes.
const (
	SourceAPI  = "api"  // a clerk's client through the API
	SourceWeb  = "web"  // a clerk on the pages
	SourcePlan = "plan" // a manager accepting a plan
)

// ServiceOption configures a Service or Jobs.
type ServiceOption func(*options)

type options struct{ obs Observer }

// WithObserver makes o hear what the Service (and its plans) or the Jobs
// do.
func WithObserver(o Observer) ServiceOption { return func(x *options) { x.obs = o } }

func applyOptions(opts []ServiceOption) options {
	o := options{obs: nopObserver{}}
	for _, f := range opts {
		f(&o)
	}
	if o.obs == nil {
		o.obs = nopObserver{}
	}
	return o
}

type nopObserver struct{}

func (nopObserver) Changed(string, string)                  {}
func (nopObserver) Suggested(time.Duration)                 {}
func (nopObserver) PlanEnded(string, string, time.Duration) {}
func (nopObserver) JobRan(string, string, time.Time)        {}
func (nopObserver) JobAdded(string)                         {}
func (nopObserver) MailDelivered(string)                    {}

type sourceKey struct{}

// WithSource marks ctx as a request that came through source (SourceAPI
// or SourceWeb): the routers set it, so that what a service counts is
// counted under the route it came by.
func WithSource(ctx context.Context, source string) context.Context {
	return context.WithValue(ctx, sourceKey{}, source)
}

// sourceOf is the source ctx was marked with, SourceAPI when none.
func sourceOf(ctx context.Context) string {
	s, _ := ctx.Value(sourceKey{}).(string)
	return source(s)
}

// source is req's source, SourceAPI when unset.
func source(s string) string {
	switch s {
	case SourceWeb, SourcePlan:
		return s
	}
	return SourceAPI
}
