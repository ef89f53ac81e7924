package scheduler

// reminders.go is the reminder job: at the hours before an interview the
// settings name (default 72 and 24), the interpreter who has confirmed and
// every counsel or representative get one reminder mail each. The job
// only writes outbox rows (postgres.QueueReminders); the mailer sends
// them. The outbox's unique key keeps each reminder once, whichever
// replica runs the job and however often, and a reminder of a booking
// cancelled meanwhile is dropped, never sent.

import (
	"context"
	"fmt"
	"time"

	"github.com/asylum-scheduling/interviews/internal/postgres"
)

// JobReminders is the name of the job that queues reminder mails.
const JobReminders = "reminders"

// QueueReminders queues the reminders due at now under the settings'
// hours and returns how many it queued.
func QueueReminders(ctx context.Context, db *postgres.DB, now time.Time) (int64, error) {
	st, err := db.Settings(ctx)
	if err != nil {
		return 0, err
	}
	return db.QueueReminders(ctx, now, st.Rules().Reminders())
}

// RemindersJob queues the due reminders, every few minutes by its spec.
func RemindersJob(db *postgres.DB, now func() time.Time, spec string) Job {
	if now == nil {
		now = time.Now
	}
	return Job{Name: JobReminders, Spec: spec, Run: func(ctx context.Context) (string, error) {
		n, err := QueueReminders(ctx, db, now())
		return fmt.Sprintf("%d reminder mails queued", n), err
	}}
}
