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
// left with nothing else. The interviews and bookings stay (statistics),
// and so do the audit trail and the access log. The store does the work in
// one transaction (postgres.DB.RunRetention); a preview computes the same.
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
	if loc == nil {
		loc = time.UTC
	}
	t := now.In(loc)
	first := time.Date(t.Year(), t.Month(), 1, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), loc).AddDate(0, -rule.MonthsAfter, 0)
	last := time.Date(first.Year(), first.Month()+1, 0, 0, 0, 0, 0, loc).Day()
	return first.AddDate(0, 0, min(t.Day(), last)-1)
}

// cutoff reads the settings and returns the cut-off now and the rule.
func (r *Retention) cutoff(ctx context.Context) (time.Time, time.Time, resources.Retention, error) {
	st, err := r.db.Settings(ctx)
	if err != nil {
		return time.Time{}, time.Time{}, resources.Retention{}, err
	}
	loc, err := time.LoadLocation(st.Timezone)
	if err != nil {
		loc = time.UTC
	}
	now := r.now()
	rule := st.RetentionRule()
	return RetentionCutoff(now, rule, loc), now, rule, nil
}

// Preview says what a run now would erase.
func (r *Retention) Preview(ctx context.Context) (*resources.RetentionPreview, error) {
	cutoff, _, rule, err := r.cutoff(ctx)
	if err != nil {
		return nil, err
	}
	counts, first, last, err := r.db.RetentionPreview(ctx, cutoff)
	if err != nil {
		return nil, err
	}
	return &resources.RetentionPreview{Cutoff: cutoff.UTC().Format(time.RFC3339), MonthsAfter: rule.MonthsAfter, Counts: counts,
		FirstInterview: first, LastInterview: last}, nil
}

// Run erases what has passed the retention now and records the run, with
// actor (a token name, or resources.RetentionActor) in its record and the
// audit trail.
func (r *Retention) Run(ctx context.Context, actor string) (*resources.RetentionRun, error) {
	cutoff, now, _, err := r.cutoff(ctx)
	if err != nil {
		return nil, err
	}
	return r.db.RunRetention(ctx, cutoff, now, actor)
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
		return fmt.Sprintf("retention run %d (cut-off %s): %d interviews, %d parties erased; %d reasons, %d mails, %d party links",
			run.ID, run.Cutoff, c.Interviews, c.Parties, c.CancelReasons+c.OriginReasons+c.FlagReasons+c.PartyAnswers, c.Mails,
			c.PartyLinks), nil
	}}
}
