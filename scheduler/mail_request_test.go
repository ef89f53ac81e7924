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
	"github.com/asylum-scheduling/interviews/solver"
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
	iv, party, b := e.bookWithParty(t)
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
	cl := i18n.Normalize(party.Locale)
	number := resources.SummonsNumber(b.ID)
	require.True(t, strings.HasSuffix(sum.Subject, " · "+i18n.Mail.T(cl, "label.summons")+" "+number), sum.Subject)
	require.Contains(t, sum.Text, "\n"+i18n.Mail.T(cl, "label.summons")+": "+number+"\n")
	require.NotContains(t, sum.Text, iv.Case)
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

// remoteOption finds an interview with a party and the first of its
// suggestions where the interpreter joins remotely, and the room that
// option takes.
func (e *portalEnv) remoteOption(t *testing.T) (solver.Interview, solver.Party, scheduler.Option, solver.Room) {
	t.Helper()
	iv, party := e.interviewWithParty(t)
	ans, err := e.svc.Suggest(context.Background(), scheduler.SuggestRequest{InterviewID: iv.ID, K: 30})
	require.NoError(t, err)
	var pick *scheduler.Option
	for i := range ans.Suggestions {
		if ans.Suggestions[i].Mode == "remote" {
			pick = &ans.Suggestions[i]
			break
		}
	}
	require.NotNil(t, pick, "no remote option for %s", iv.ID)
	var room solver.Room
	for _, r := range e.in.Rooms {
		if r.ID == pick.Room {
			room = r
		}
	}
	return iv, party, *pick, room
}

// Each recipient is told their own mode in their own language: with only
// the interpreter remote, the interpreter is told "remote" and gets the
// meeting link (no room, no street address); the counsel gets the office,
// the room and its street address, and no meeting link. SUMMARY, LOCATION
// and DESCRIPTION are in the person's language too.
func TestMailEachToldTheirOwnMode(t *testing.T) {
	t.Parallel()
	e := newPortalEnv(t)
	ctx := context.Background()
	iv, party, pick, r := e.remoteOption(t)
	office, room := r.Location, r.Name
	const address, link = "Kauppakatu 1, 00100 Helsinki", "https://meet.example/r/42"
	require.NoError(t, e.db.SetLocationContact(ctx, office, address, link))
	require.Error(t, e.db.SetLocationContact(ctx, office, address, "http://meet.example/plain"), "an http link")
	b, err := e.svc.Book(ctx, scheduler.BookRequest{InterviewID: iv.ID, SuggestionID: pick.ID, Actor: "clerk-1"})
	require.NoError(t, err)
	e.deliver(t)

	who := e.interpreter(b.Interpreter)
	l := i18n.Normalize(who.Locale)
	im := e.lastTo(t, who.Email, 1)
	require.Contains(t, im.Text, i18n.Mail.T(l, "label.where")+": "+i18n.Mail.T(l, "where.remote")+"\n")
	require.Contains(t, im.Text, i18n.Mail.T(l, "label.meeting")+": "+link+"\n")
	require.NotContains(t, im.Text, address)
	ev := invitation(t, im)
	require.Equal(t, i18n.Mail.T(l, "where.remote")+": "+link, ev.Location)
	require.Equal(t, link, ev.URL, "the invitation's URL is the meeting link")
	require.Contains(t, ev.Description, i18n.Mail.T(l, "label.meeting")+": "+link)
	require.True(t, strings.HasPrefix(ev.Summary, i18n.Mail.T(l, "ics.prefix.requested")+": "+i18n.Mail.T(l, "ics.title")+" · "+
		i18n.LanguageName(l, iv.Language)+" · "), ev.Summary)
	require.Contains(t, ev.Description, "?answer=confirm")

	cl := i18n.Normalize(party.Locale)
	cm := e.lastTo(t, party.Email, 1)
	require.NotContains(t, cm.Text, link)
	require.NotContains(t, cm.Text, i18n.Mail.T(cl, "label.where")+": "+i18n.Mail.T(cl, "where.remote"))
	require.Contains(t, cm.Text, room)
	require.Contains(t, cm.Text, address)
	ev = invitation(t, cm)
	require.Contains(t, ev.Location, room)
	require.True(t, strings.HasSuffix(ev.Location, ", "+address), ev.Location)
	require.NotContains(t, ev.Description, link)
	require.Empty(t, ev.URL, "the counsel, at the office, got the meeting link")
	require.True(t, strings.HasPrefix(ev.Summary, i18n.Mail.T(cl, "ics.title")+" · "), ev.Summary)

	// Declined, the assignment still shows as remote, not the room.
	sess := &resources.PortalSession{Role: resources.PortalInterpreter, PersonID: who.ID}
	require.NoError(t, e.portal.Decline(ctx, sess, b.ID, resources.DeclineUnavailable))
	a, err := e.portal.Assignment(ctx, sess, b.ID)
	require.NoError(t, err)
	require.Equal(t, resources.InterpreterDeclined, a.Status)
	require.True(t, a.Remote, "a declined remote assignment shows a room")
	require.Empty(t, a.Room)
}

// A booking's own meeting link goes, instead of the office's, to the
// interpreter who joins remotely (text, LOCATION, DESCRIPTION and URL),
// and to no one at the office.
func TestMailBookingMeetingLinkOverridesTheOffices(t *testing.T) {
	t.Parallel()
	e := newPortalEnv(t)
	ctx := context.Background()
	iv, party, pick, r := e.remoteOption(t)
	office := r.Location
	const officeLink, ownLink = "https://meet.example/office", "https://meet.example/booking/7"
	require.NoError(t, e.db.SetLocationContact(ctx, office, "Kauppakatu 1", officeLink))
	b, err := e.svc.Book(ctx, scheduler.BookRequest{InterviewID: iv.ID, SuggestionID: pick.ID, Actor: "clerk-1"})
	require.NoError(t, err)
	got, err := e.svc.SetMeetingLink(ctx, b.ID, ownLink)
	require.NoError(t, err)
	require.Equal(t, ownLink, got.MeetingURL)
	_, err = e.svc.SetMeetingLink(ctx, b.ID, "http://meet.example/plain")
	require.Error(t, err, "an http link")
	e.deliver(t)

	who := e.interpreter(b.Interpreter)
	l := i18n.Normalize(who.Locale)
	im := e.lastTo(t, who.Email, 1)
	require.Contains(t, im.Text, i18n.Mail.T(l, "label.meeting")+": "+ownLink+"\n")
	require.NotContains(t, im.Text, officeLink)
	ev := invitation(t, im)
	require.Equal(t, i18n.Mail.T(l, "where.remote")+": "+ownLink, ev.Location)
	require.Contains(t, ev.Description, ownLink)
	require.Equal(t, ownLink, ev.URL)

	cm := e.lastTo(t, party.Email, 1)
	require.NotContains(t, string(cm.Raw), ownLink)
	require.NotContains(t, string(cm.Raw), officeLink)
	require.Empty(t, invitation(t, cm).URL)
}
