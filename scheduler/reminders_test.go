package scheduler_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/i18n"
	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/scheduler"
)

// queueOn runs the reminder job at now n times at once, as n replicas
// would (each run on a connection of its own from the pool), and returns
// what each queued.
func (e *portalEnv) queueOn(t *testing.T, n int, now time.Time) []int64 {
	t.Helper()
	got := make([]int64, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], errs[i] = scheduler.QueueReminders(context.Background(), e.db, now)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	return got
}

func sum(xs []int64) (n int64) {
	for _, x := range xs {
		n += x
	}
	return n
}

// Reminders at 72 and 24 hours: the confirmed interpreter and the counsel
// get one mail per reminder (a text, no invitation), however many replicas
// run the job and however often; the 24-hour reminder of a booking
// cancelled before it went out is never sent.
func TestRemindersOncePerReminderNeverAfterCancel(t *testing.T) {
	t.Parallel()
	e := newPortalEnv(t)
	ctx := context.Background()
	iv, party, b := e.bookWithParty(t)
	who := e.interpreter(b.Interpreter)
	require.NoError(t, e.portal.Confirm(ctx, &resources.PortalSession{Role: resources.PortalInterpreter, PersonID: who.ID}, b.ID))
	e.deliver(t)
	interpBefore, counselBefore := len(e.smtp.To(who.Email)), len(e.smtp.To(party.Email))
	start, err := time.Parse(time.RFC3339, b.Start)
	require.NoError(t, err)
	parties := int64(len(iv.Parties))
	at := func(before time.Duration) time.Time { e.clk.Set(start.Add(-before)); return e.clk.Now() }

	require.Zero(t, sum(e.queueOn(t, 1, at(73*time.Hour))), "nothing before 72 hours")
	require.Equal(t, 1+parties, sum(e.queueOn(t, 3, at(71*time.Hour))), "three replicas at once")
	require.Zero(t, sum(e.queueOn(t, 2, at(70*time.Hour))), "and again later: nothing new")
	e.deliver(t)

	l, cl := i18n.Normalize(who.Locale), i18n.Normalize(party.Locale)
	im := e.lastTo(t, who.Email, interpBefore+1)
	require.True(t, strings.HasPrefix(im.Subject, i18n.Mail.T(l, "subject.reminder")+": "), im.Subject)
	require.Empty(t, im.Calendar, "a reminder carries no invitation")
	require.Contains(t, im.Text, i18n.Mail.T(l, "intro.reminder", i18n.Mail.T(l, "role.interpreter")))
	cm := e.lastTo(t, party.Email, counselBefore+1)
	require.True(t, strings.HasPrefix(cm.Subject, i18n.Mail.T(cl, "subject.reminder")+": "), cm.Subject)
	require.Contains(t, cm.Subject, resources.SummonsNumber(b.ID))
	require.NotContains(t, cm.Text, iv.Case)

	// The 24-hour reminders are queued, then the booking is cancelled
	// before the mailer runs: they are dropped, never sent.
	require.Equal(t, 1+parties, sum(e.queueOn(t, 2, at(23*time.Hour))))
	_, err = e.svc.Cancel(ctx, scheduler.ChangeRequest{BookingID: b.ID, Actor: "clerk-1", Reason: "withdrawn"})
	require.NoError(t, err)
	e.deliver(t)
	require.Zero(t, sum(e.queueOn(t, 1, at(22*time.Hour))))
	ms, err := e.db.Mails(ctx, b.ID)
	require.NoError(t, err)
	kinds := map[string]int{}
	for _, m := range ms {
		if postgres.IsReminder(m.Kind) {
			kinds[m.Kind+" "+m.State]++
		}
	}
	require.Equal(t, map[string]int{"reminder_72h sent": int(1 + parties), "reminder_24h dropped": int(1 + parties)}, kinds)
	// The cancellation reached both; no reminder after it.
	im = e.lastTo(t, who.Email, interpBefore+2)
	require.Equal(t, "CANCEL", im.Method)
	cm = e.lastTo(t, party.Email, counselBefore+2)
	require.Equal(t, "CANCEL", cm.Method)
}

// The settings choose the reminders: with 48 hours alone, nothing at 72
// and one reminder each at 48.
func TestRemindersFollowTheSettings(t *testing.T) {
	t.Parallel()
	e := newPortalEnv(t)
	ctx := context.Background()
	st, err := e.db.Settings(ctx)
	require.NoError(t, err)
	rules := st.Rules()
	rules.ReminderHours = []int{48, 48, 0}
	st.Confirmation = &rules
	_, err = e.db.PutSettings(ctx, st, &st.Version)
	require.NoError(t, err)
	iv, _, b := e.bookWithParty(t)
	start, err := time.Parse(time.RFC3339, b.Start)
	require.NoError(t, err)
	require.Zero(t, sum(e.queueOn(t, 1, start.Add(-71*time.Hour))), "no 72-hour reminder")
	// The interpreter has not confirmed: only the parties are reminded.
	require.Equal(t, int64(len(iv.Parties)), sum(e.queueOn(t, 1, start.Add(-47*time.Hour))))
	ms, err := e.db.Mails(ctx, b.ID)
	require.NoError(t, err)
	for _, m := range ms {
		if postgres.IsReminder(m.Kind) {
			require.Equal(t, "reminder_48h", m.Kind)
			require.Equal(t, "party", m.RecipientKind)
		}
	}
}
