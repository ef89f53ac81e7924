package scheduler_test

// What each booking mail says it is (issue 23 part 1), through the real
// store, the mailer, the in-process SMTP server and the calendar parsers.

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/calendars"
	"github.com/asylum-scheduling/interviews/internal/i18n"
	"github.com/asylum-scheduling/interviews/internal/mail/mailtest"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/scheduler"
)

// lastTo is the newest mail to addr once there are n, its text with LF
// line ends.
func (e *portalEnv) lastTo(t *testing.T, addr string, n int) mailtest.Message {
	t.Helper()
	got := e.smtp.Wait(t, addr, n, 10*time.Second)
	require.Len(t, got, n, "mails to the address")
	m := got[n-1]
	m.Text = strings.ReplaceAll(m.Text, "\r\n", "\n")
	return m
}

// A booking asks its interpreter (tentative, NEEDS-ACTION, answer-by time,
// links to confirm and decline that assignment) and summons the counsel
// (confirmed, a link to that summons); the interpreter's yes brings the
// same event confirmed and accepted, once; stepping aside later brings a
// release worded apart from the agency's cancellation.
func TestMailRequestConfirmAndRelease(t *testing.T) {
	t.Parallel()
	e := newPortalEnv(t)
	ctx := context.Background()
	iv, party := e.interviewWithParty(t)
	ans, err := e.svc.Suggest(ctx, scheduler.SuggestRequest{InterviewID: iv.ID, K: 1})
	require.NoError(t, err)
	b, err := e.svc.Book(ctx, scheduler.BookRequest{InterviewID: iv.ID, SuggestionID: ans.Suggestions[0].ID, Actor: "clerk-1"})
	require.NoError(t, err)
	who := e.interpreter(b.Interpreter)
	e.deliver(t)

	// The request.
	req := e.lastTo(t, who.Email, 1)
	l := i18n.Normalize(who.Locale)
	require.True(t, strings.HasPrefix(req.Subject, i18n.Mail.T(l, "subject.requested")+": "), req.Subject)
	a, err := e.db.Assignment(ctx, who.ID, b.ID)
	require.NoError(t, err)
	require.NotNil(t, a.AnswerDue)
	due, err := time.Parse(time.RFC3339, *a.AnswerDue)
	require.NoError(t, err)
	require.Contains(t, req.Text, i18n.Mail.T(l, "intro.requested", i18n.FormatWhen(l, due)))
	page := fmt.Sprintf("https://interviews.example/portal/assignments/%d", b.ID)
	require.Contains(t, req.Text, i18n.Mail.T(l, "link.answer_confirm")+": "+page+"?answer=confirm\n")
	require.Contains(t, req.Text, i18n.Mail.T(l, "link.answer_decline")+": "+page+"?answer=decline\n")
	ev := invitation(t, req)
	require.Equal(t, "TENTATIVE", ev.Status)
	require.Equal(t, "NEEDS-ACTION", ev.Partstat)

	// The counsel's summons: confirmed, linked to that summons.
	sum := e.lastTo(t, party.Email, 1)
	require.Contains(t, sum.Text, fmt.Sprintf("https://interviews.example/portal/summons/%d\n", b.ID))
	require.Equal(t, "CONFIRMED", invitation(t, sum).Status)

	// The interpreter confirms (twice: one mail).
	sess := &resources.PortalSession{Role: resources.PortalInterpreter, PersonID: who.ID}
	require.NoError(t, e.portal.Confirm(ctx, sess, b.ID))
	require.NoError(t, e.portal.Confirm(ctx, sess, b.ID))
	e.deliver(t)
	ok := e.lastTo(t, who.Email, 2)
	require.Equal(t, "REQUEST", ok.Method)
	require.True(t, strings.HasPrefix(ok.Subject, i18n.Mail.T(l, "subject.confirmed")+": "), ok.Subject)
	require.NotContains(t, ok.Text, "?answer=")
	ev = invitation(t, ok)
	require.Equal(t, calendars.BookingUID(b.ID), ev.UID)
	require.Equal(t, b.Sequence, ev.Sequence)
	require.Equal(t, "CONFIRMED", ev.Status)
	require.Equal(t, "ACCEPTED", ev.Partstat)

	// They step aside: released, not cancelled.
	require.NoError(t, e.portal.Decline(ctx, sess, b.ID, resources.DeclineStepAside))
	e.deliver(t)
	rel := e.lastTo(t, who.Email, 3)
	require.Equal(t, "CANCEL", rel.Method)
	require.True(t, strings.HasPrefix(rel.Subject, i18n.Mail.T(l, "subject.released")+": "), rel.Subject)
	require.False(t, strings.HasPrefix(rel.Subject, i18n.Mail.T(l, "subject.cancelled")), rel.Subject)
	require.True(t, strings.HasPrefix(rel.Text, i18n.Mail.T(l, "intro.released.stepped_aside")), rel.Text)
	require.Equal(t, "CANCELLED", invitation(t, rel).Status)
	require.Len(t, e.smtp.To(who.Email), 3, "no other mail to the interpreter")
}
