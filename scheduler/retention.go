package scheduler

import (
	"context"
	"fmt"
	"time"

	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/resources"
)

// JobRetention is the name of the scheduled retention job.
const JobRetention = "retention"

// DefaultRetentionSpec is when the retention job runs unless configured:
// nightly at 03:30 local time.
const DefaultRetentionSpec = "30 3 * * *"

// Retention erases the personal data of interviews that took place or were
// cancelled longer ago than the settings' retention (settings.retention,
// resources.DefaultRetention): case references, free-text reasons, mail
// addresses, party links, and the names, addresses and sign-ins of parties
// left with nothing else; the audit trail's reasons of other entries as
// old; and the access log's entries older than its own period
// (resources.Retention.AccessLogPeriod). The interviews and bookings stay
// (statistics), and so do the audit trail's entries. The store does the
// work in one transaction (postgres.DB.RunRetention); a preview computes
// the same.
type Retention struct {
	db  *postgres.DB
	now func() time.Time
}

// NewRetention returns the retention on db (now nil: time.Now).
func NewRetention(db *postgres.DB, now func() time.Time) *Retention {
	if now == nil {
		now = time.Now
	}
	return &Retention{db: db, now: now}
}

// RetentionCutoff is the cut-off of a run at now: rule's months before now,
// counted on the calendar of loc (so that 24 months before 03:30 on 7
// December is 03:30 on 7 December two years before, whatever the summer
// time did in between). A day the earlier month lacks is its last day (a
// month before 31 March is 28 or 29 February, not 3 March): the data stays
// the full period, never a day less.
func RetentionCutoff(now time.Time, rule resources.Retention, loc *time.Location) time.Time {
	return monthsBefore(now, rule.MonthsAfter, loc)
}

// AccessLogCutoff is the access log's cut-off of a run at now: the rule's
// AccessLogPeriod months before now, counted as RetentionCutoff counts.
func AccessLogCutoff(now time.Time, rule resources.Retention, loc *time.Location) time.Time {
	return monthsBefore(now, rule.AccessLogPeriod(), loc)
}

// monthsBefore is the instant months calendar months of loc before now
// (see RetentionCutoff).
func monthsBefore(now time.Time, months int, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	t := now.In(loc)
	first := time.Date(t.Year(), t.Month(), 1, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), loc).AddDate(0, -months, 0)
	last := time.Date(first.Year(), first.Month()+1, 0, 0, 0, 0, 0, loc).Day()
	return first.AddDate(0, 0, min(t.Day(), last)-1)
}

// cutoffs reads the settings and returns the cut-offs now, now and the
// rule.
func (r *Retention) cutoffs(ctx context.Context) (postgres.RetentionCutoffs, time.Time, resources.Retention, error) {
	st, err := r.db.Settings(ctx)
	if err != nil {
		return postgres.RetentionCutoffs{}, time.Time{}, resources.Retention{}, err
	}
	loc, err := time.LoadLocation(st.Timezone)
	if err != nil {
		loc = time.UTC
	}
	now := r.now()
	rule := st.RetentionRule()
	return postgres.RetentionCutoffs{Data: RetentionCutoff(now, rule, loc), AccessLog: AccessLogCutoff(now, rule, loc)}, now, rule, nil
}

// Preview says what a run now would erase.
func (r *Retention) Preview(ctx context.Context) (*resources.RetentionPreview, error) {
	cutoffs, _, rule, err := r.cutoffs(ctx)
	if err != nil {
		return nil, err
	}
	counts, first, last, err := r.db.RetentionPreview(ctx, cutoffs)
	if err != nil {
		return nil, err
	}
	return &resources.RetentionPreview{Cutoff: cutoffs.Data.UTC().Format(time.RFC3339), MonthsAfter: rule.MonthsAfter,
		AccessLogCutoff: cutoffs.AccessLog.UTC().Format(time.RFC3339), AccessLogMonths: rule.AccessLogPeriod(),
		Counts: counts, FirstInterview: first, LastInterview: last}, nil
}

// Run erases what has passed the retention now and records the run, with
// actor (a token name, or resources.RetentionActor) in its record and the
// audit trail.
func (r *Retention) Run(ctx context.Context, actor string) (*resources.RetentionRun, error) {
	cutoffs, now, _, err := r.cutoffs(ctx)
	if err != nil {
		return nil, err
	}
	return r.db.RunRetention(ctx, cutoffs, now, actor)
}

// Job is the scheduled retention (spec "": only when asked). Its detail
// names counts and the run, never a case or a person.
func (r *Retention) Job(spec string) Job {
	return Job{Name: JobRetention, Spec: spec, Run: func(ctx context.Context) (string, error) {
		run, err := r.Run(ctx, resources.RetentionActor)
		if err != nil {
			return "", err
		}
		c := run.Counts
		return fmt.Sprintf("retention run %d (cut-off %s): %d interviews, %d parties erased; %d reasons, %d mails, %d party links; "+
			"%d access-log entries deleted", run.ID, run.Cutoff, c.Interviews, c.Parties,
			c.CancelReasons+c.OriginReasons+c.FlagReasons+c.PartyAnswers+c.AuditReasons+c.OtherAuditReasons, c.Mails, c.PartyLinks,
			c.AccessLog), nil
	}}
}
