package scheduler_test

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/calendars"
	"github.com/asylum-scheduling/interviews/calendars/calendarstest"
	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/internal/mail"
	"github.com/asylum-scheduling/interviews/internal/mail/mailtest"
	"github.com/asylum-scheduling/interviews/internal/testclock"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/scheduler"
	"github.com/asylum-scheduling/interviews/solver"
)

// portalEnv is a database with the S instance, the booking service, the
// portal, a real SMTP server and the mailer delivering to it.
type portalEnv struct {
	*fixture
	clk    *testclock.Clock
	svc    *scheduler.Service
	portal *scheduler.Portal
	smtp   *mailtest.Server
	mailer *scheduler.Mailer
}

func newPortalEnv(t *testing.T) *portalEnv {
	f := newFixture(t, "S", 0)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	clk := testclock.New(time.Now())
	svc := scheduler.New(f.db, nil, nil, clk.Now)
	srv := mailtest.Start(t)
	sender, err := mail.NewSender(srv.URL(), "booking@migri.example")
	require.NoError(t, err)
	loc, _ := time.LoadLocation("Europe/Helsinki")
	p := scheduler.NewPortal(ctx, f.db, svc, f.logger(), clk.Now, "https://interviews.example", scheduler.SigninMail(sender, "booking@migri.example", loc))
	m := scheduler.NewMailer(f.db, f.logger(), clk.Now, sender, "booking@migri.example", "https://interviews.example")
	return &portalEnv{fixture: f, clk: clk, svc: svc, portal: p, smtp: srv, mailer: m}
}

// interviewWithParty returns an interview of the instance that needs an
// interpreter and has a party, and the party.
func (e *portalEnv) interviewWithParty(t *testing.T) (solver.Interview, solver.Party) {
	for _, iv := range e.in.Interviews {
		if len(iv.Parties) == 0 || (iv.NeedsInterpreter != nil && !*iv.NeedsInterpreter) {
			continue
		}
		ans, err := e.svc.Suggest(context.Background(), scheduler.SuggestRequest{InterviewID: iv.ID, K: 1})
		require.NoError(t, err)
		if len(ans.Suggestions) == 0 {
			continue
		}
		for _, p := range e.in.Parties {
			if p.ID == iv.Parties[0] {
				return iv, p
			}
		}
	}
	t.Fatal("no interview with a party and an interpreter can be booked in S")
	return solver.Interview{}, solver.Party{}
}

// bookWithParty books an interview that has a party and needs an
// interpreter on its first suggestion, as clerk-1, and returns the
// interview, its party and the booking (which has an interpreter).
func (e *portalEnv) bookWithParty(t *testing.T) (solver.Interview, solver.Party, *resources.Booking) {
	t.Helper()
	ctx := context.Background()
	iv, party := e.interviewWithParty(t)
	ans, err := e.svc.Suggest(ctx, scheduler.SuggestRequest{InterviewID: iv.ID, K: 1})
	require.NoError(t, err)
	b, err := e.svc.Book(ctx, scheduler.BookRequest{InterviewID: iv.ID, SuggestionID: ans.Suggestions[0].ID, Actor: "clerk-1"})
	require.NoError(t, err)
	require.NotEmpty(t, b.Interpreter)
	return iv, party, b
}

func (e *portalEnv) interpreter(id string) solver.Interpreter {
	for _, x := range e.in.Interpreters {
		if x.ID == id {
			return x
		}
	}
	return solver.Interpreter{}
}

func (e *portalEnv) deliver(t *testing.T) {
	t.Helper()
	for {
		n, err := e.mailer.Pass(context.Background())
		require.NoError(t, err)
		if n == 0 {
			return
		}
	}
}

var linkRE = regexp.MustCompile(`https://interviews\.example/portal/signin/([A-Za-z0-9_-]+)`)

// signIn asks for a link for addr, reads it from the mail and spends it.
func (e *portalEnv) signIn(t *testing.T, addr string) (string, *resources.PortalSession) {
	t.Helper()
	before := len(e.smtp.To(addr))
	require.NoError(t, e.portal.RequestLink(context.Background(), addr, "192.0.2.1"))
	msgs := e.smtp.Wait(t, addr, before+1, 10*time.Second)
	m := linkRE.FindStringSubmatch(msgs[len(msgs)-1].Text)
	require.NotNil(t, m, "no sign-in link in %q", msgs[len(msgs)-1].Text)
	secret, sess, err := e.portal.SignIn(context.Background(), m[1])
	require.NoError(t, err)
	// A link works once.
	_, _, err = e.portal.SignIn(context.Background(), m[1])
	require.Equal(t, errs.Unauthorized, errs.CodeOf(err))
	return secret, sess
}

// invitation parses a mail's calendar with the third-party parsers and
// returns the one event they all read.
func invitation(t *testing.T, m mailtest.Message) calendarstest.Event {
	t.Helper()
	require.NotEmpty(t, m.Calendar, "the mail has no invitation")
	var ev calendarstest.Event
	for parser, d := range calendarstest.ParseAll(t, m.Calendar) {
		require.Equal(t, m.Method, d.Method, parser)
		require.Len(t, d.Events, 1, parser)
		ev = d.Events[0]
	}
	return ev
}

// The whole workflow below the pages: a booking mails the interpreter and
// the counsel an invitation; the interpreter signs in with a link and
// declines for a conflict of interest; the booking keeps its time and room
// without them, waits in "needs attention", and the interpreter is kept off
// every interview of the case and gets a cancellation; a replacement at the
// same time gets a request with the same UID; the counsel acknowledges and
// then asks for another time, which becomes their unavailability.
func TestPortalWorkflow(t *testing.T) {
	t.Parallel()
	e := newPortalEnv(t)
	ctx := context.Background()
	iv, party := e.interviewWithParty(t)

	ans, err := e.svc.Suggest(ctx, scheduler.SuggestRequest{InterviewID: iv.ID, K: 1})
	require.NoError(t, err)
	b, err := e.svc.Book(ctx, scheduler.BookRequest{InterviewID: iv.ID, SuggestionID: ans.Suggestions[0].ID, Actor: "clerk-1"})
	require.NoError(t, err)
	require.NotEmpty(t, b.Interpreter)
	first := e.interpreter(b.Interpreter)
	require.NotEmpty(t, first.Email)
	e.deliver(t)

	// The interpreter's mail: a request in their locale, with the feed's UID.
	got := e.smtp.Wait(t, first.Email, 1, 5*time.Second)
	require.Equal(t, "REQUEST", got[0].Method)
	ev := invitation(t, got[0])
	require.Equal(t, calendars.BookingUID(b.ID), ev.UID)
	require.Equal(t, b.Sequence, ev.Sequence)
	for _, secret := range []string{iv.Case, iv.ID, party.Name} {
		require.NotContains(t, string(got[0].Raw), secret, "the interpreter's mail names the case, interview or another person")
	}
	require.Contains(t, got[0].Text, "https://interviews.example/portal")
	// Where: the office's name (read when the mail is sent), and the room's
	// name unless the interpreter joins remotely.
	for _, r := range e.in.Rooms {
		if r.ID != b.Room {
			continue
		}
		for _, l := range e.in.Locations {
			if l.ID == r.Location {
				require.Contains(t, got[0].Text, l.Name)
			}
		}
		if b.Mode != "remote" {
			require.Contains(t, got[0].Text, r.Name)
		}
	}
	// The counsel's mail.
	pm := e.smtp.Wait(t, party.Email, 1, 5*time.Second)
	require.Equal(t, "REQUEST", pm[0].Method)
	require.NotContains(t, string(pm[0].Raw), iv.Case)

	// The interpreter signs in and sees the request.
	_, sess := e.signIn(t, first.Email)
	require.Equal(t, resources.PortalInterpreter, sess.Role)
	as, err := e.portal.Assignments(ctx, sess)
	require.NoError(t, err)
	require.Len(t, as, 1)
	require.Equal(t, resources.InterpreterRequested, as[0].Status)
	require.NotNil(t, as[0].AnswerDue)

	// Someone else's booking is not theirs to answer.
	other := &resources.PortalSession{Role: resources.PortalInterpreter, PersonID: e.in.Interpreters[0].ID}
	if other.PersonID == first.ID {
		other.PersonID = e.in.Interpreters[1].ID
	}
	require.Equal(t, errs.NotFound, errs.CodeOf(e.portal.Decline(ctx, other, b.ID, resources.DeclineOther)))
	_, err = e.portal.Assignment(ctx, other, b.ID)
	require.Equal(t, errs.NotFound, errs.CodeOf(err))

	// Declined for a conflict of interest.
	require.NoError(t, e.portal.Decline(ctx, sess, b.ID, resources.DeclineConflictOfInterest))
	after, err := e.db.Booking(ctx, b.ID)
	require.NoError(t, err)
	require.Empty(t, after.Interpreter)
	require.Equal(t, b.Start, after.Start)
	require.Equal(t, b.Room, after.Room)
	require.Greater(t, after.Sequence, b.Sequence)
	for _, x := range e.in.Interviews {
		if x.Case != iv.Case {
			continue
		}
		stored, err := e.db.Interview(ctx, x.ID)
		require.NoError(t, err)
		require.Contains(t, stored.ExcludedInterpreters, first.ID, "interview %s of the same case", x.ID)
	}
	att, err := e.db.NeedsAttention(ctx, e.clk.Now())
	require.NoError(t, err)
	require.Len(t, att, 1)
	require.Equal(t, "declined", att[0].Reason)
	audit, err := e.svc.Audit(ctx, iv.ID, 0)
	require.NoError(t, err)
	require.True(t, slices.ContainsFunc(audit, func(a resources.AuditEntry) bool {
		return a.Action == resources.ActionInterpreterReleased && a.Reason == resources.DeclineConflictOfInterest
	}), "the audit trail records the conflict of interest")

	e.deliver(t)
	got = e.smtp.Wait(t, first.Email, 3, 5*time.Second) // request, sign-in link, cancellation
	cancel := got[len(got)-1]
	require.Equal(t, "CANCEL", cancel.Method)
	ev = invitation(t, cancel)
	require.Equal(t, calendars.BookingUID(b.ID), ev.UID)
	require.Equal(t, "CANCELLED", ev.Status)
	require.Equal(t, after.Sequence, ev.Sequence)

	// The replacement keeps the time and the room.
	ans, err = e.svc.Suggest(ctx, scheduler.SuggestRequest{InterviewID: iv.ID, K: 5})
	require.NoError(t, err)
	require.NotEmpty(t, ans.Suggestions)
	best := ans.Suggestions[0]
	require.Equal(t, b.Start, best.Start, "the first suggestion keeps the time")
	require.Equal(t, b.Room, best.Room)
	require.NotEqual(t, first.ID, best.Interpreter)
	res, err := e.svc.Reschedule(ctx, scheduler.ChangeRequest{BookingID: b.ID, SuggestionID: best.ID, Actor: "clerk-1", Reason: "replacement"})
	require.NoError(t, err)
	second := e.interpreter(res.Booking.Interpreter)
	e.deliver(t)
	got = e.smtp.Wait(t, second.Email, 1, 5*time.Second)
	require.Equal(t, "REQUEST", got[0].Method)
	ev = invitation(t, got[0])
	require.Equal(t, calendars.BookingUID(b.ID), ev.UID)
	require.Equal(t, res.Booking.Sequence, ev.Sequence)
	require.Len(t, e.smtp.To(party.Email), 1, "the counsel hears nothing of a swap at the same time and place")
	att, err = e.db.NeedsAttention(ctx, e.clk.Now())
	require.NoError(t, err)
	require.Empty(t, att)

	// The counsel acknowledges, then asks for another time.
	_, csess := e.signIn(t, party.Email)
	require.Equal(t, resources.PortalCounsel, csess.Role)
	sum, err := e.portal.Summons(ctx, csess)
	require.NoError(t, err)
	require.Len(t, sum, 1)
	require.Equal(t, iv.Case, sum[0].Case, "the counsel sees the case reference behind sign-in")
	require.NoError(t, e.portal.Acknowledge(ctx, csess, b.ID))
	sum, _ = e.portal.Summons(ctx, csess)
	require.True(t, sum[0].Acknowledged)
	day := strings.SplitN(b.Start, "T", 2)[0]
	require.NoError(t, e.portal.AskOtherTime(ctx, csess, b.ID, "in court that day", []string{day}))
	att, err = e.db.NeedsAttention(ctx, e.clk.Now())
	require.NoError(t, err)
	require.Len(t, att, 1)
	require.Equal(t, "change_requested", att[0].Reason)
	ans, err = e.svc.Suggest(ctx, scheduler.SuggestRequest{InterviewID: iv.ID, K: 10})
	require.NoError(t, err)
	for _, o := range ans.Suggestions {
		require.False(t, strings.HasPrefix(o.Start, day), "a suggestion on %s, a day the counsel cannot attend", day)
	}
}

// A request nobody answers expires at its due time and frees the
// interpreter; with the automatic request on, the next-best interpreter at
// the same time and place is asked by itself.
func TestRequestExpiresAndTheNextIsAsked(t *testing.T) {
	t.Parallel()
	e := newPortalEnv(t)
	ctx := context.Background()
	st, err := e.db.Settings(ctx)
	require.NoError(t, err)
	st.Confirmation = &resources.Confirmation{AnswerWithinHours: 1, AnswerBeforeStartHours: 0, AutoRequestNext: true}
	_, err = e.db.PutSettings(ctx, st, nil)
	require.NoError(t, err)
	iv, _, b := e.bookWithParty(t)

	n, err := e.portal.ExpireRequests(ctx)
	require.NoError(t, err)
	require.Zero(t, n, "nothing is due yet")
	e.clk.Add(61 * time.Minute)
	n, err = e.portal.ExpireRequests(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	now, err := e.db.Booking(ctx, b.ID)
	require.NoError(t, err)
	require.Equal(t, b.Start, now.Start)
	if now.Interpreter == "" {
		// Nobody else can make it: a clerk decides.
		att, err := e.db.NeedsAttention(ctx, e.clk.Now())
		require.NoError(t, err)
		require.Len(t, att, 1)
		require.Equal(t, "expired", att[0].Reason)
		return
	}
	require.NotEqual(t, b.Interpreter, now.Interpreter, "the next-best interpreter is asked")
	audit, err := e.svc.Audit(ctx, iv.ID, 0)
	require.NoError(t, err)
	require.True(t, slices.ContainsFunc(audit, func(a resources.AuditEntry) bool {
		return a.Actor == "system" && strings.Contains(a.Reason, "automatic request")
	}))
}

func (f *fixture) logger() *slog.Logger { return slog.New(slog.NewJSONHandler(f.logs, nil)) }

// An interpreter's weekly pattern replaces their availability from its
// first day: a day left off frees them that day (the solver sees it at once,
// and a booking then shows under "needs attention"), hours elsewhere are as
// given, an exception wins over its weekday, and a bad pattern names its
// fields.
func TestWeeklyPatternReplacesAvailability(t *testing.T) {
	t.Parallel()
	e := newPortalEnv(t)
	ctx := context.Background()
	_, _, b := e.bookWithParty(t)
	sess := &resources.PortalSession{Role: resources.PortalInterpreter, PersonID: b.Interpreter}
	start, err := time.Parse(time.RFC3339, b.Start)
	require.NoError(t, err)
	loc, _ := time.LoadLocation("Europe/Helsinki")
	day := start.In(loc)
	weekday := (int(day.Weekday()) + 6) % 7

	// Every weekday 08:00–16:00 but the booking's, which is off; an
	// exception gives the day after it 12:00–13:00 only.
	var pat resources.WeeklyPattern
	for i := range pat.Days {
		if i != weekday {
			pat.Days[i] = resources.DayHours{Start: "08:00", End: "16:00"}
		}
	}
	pat.From = e.clk.Now().In(loc).Format(time.DateOnly)
	pat.Until = day.AddDate(0, 0, 14).Format(time.DateOnly)
	next := day.AddDate(0, 0, 1).Format(time.DateOnly)
	pat.Exceptions = []resources.Exception{{Date: next, DayHours: resources.DayHours{Start: "12:00", End: "13:00"}}}
	require.NoError(t, e.portal.SetPattern(ctx, sess, pat))

	got, err := e.db.Interpreter(ctx, b.Interpreter)
	require.NoError(t, err)
	for _, x := range got.Availability {
		s, _ := time.Parse(time.RFC3339, x.Start)
		require.NotEqual(t, day.Format(time.DateOnly), s.In(loc).Format(time.DateOnly), "the day left off is available")
		if s.In(loc).Format(time.DateOnly) == next {
			require.Equal(t, "12:00", s.In(loc).Format("15:04"), "the exception's hours")
		}
	}
	att, err := e.db.NeedsAttention(ctx, e.clk.Now())
	require.NoError(t, err)
	require.Len(t, att, 1)
	require.Equal(t, "no_longer_available", att[0].Reason)
	back, err := e.portal.Pattern(ctx, sess)
	require.NoError(t, err)
	require.Equal(t, pat, *back, "the form shows the pattern again")

	bad := pat
	bad.Days[0] = resources.DayHours{Start: "16:00", End: "08:00"}
	bad.Until = "2000-01-01"
	err = e.portal.SetPattern(ctx, sess, bad)
	require.Equal(t, errs.Invalid, errs.CodeOf(err))
	var paths []string
	for _, f := range errs.FieldsOf(err) {
		paths = append(paths, f.Path)
	}
	require.ElementsMatch(t, []string{"days[0]", "until", "exceptions[0].date"}, paths)
}

// Sign-in links have budgets: per client (over every sign-in route), per
// address and client, and per address. One client cannot spend another's
// links to an address, and a known address answers as fast as an unknown
// one because nothing is looked up before the answer.
func TestSigninLinkBudgets(t *testing.T) {
	t.Parallel()
	e := newPortalEnv(t)
	addr := e.in.Interpreters[0].Email
	require.NotEmpty(t, addr)
	ctx := context.Background()

	// Client A: three links to the address, then none.
	for range 4 {
		require.NoError(t, e.portal.RequestLink(ctx, addr, "192.0.2.1"))
	}
	// Client B still gets one. The send queue is first in, first out: when
	// a later link to another address has arrived, every earlier request
	// has been handled.
	require.NoError(t, e.portal.RequestLink(ctx, addr, "192.0.2.2"))
	marker := e.in.Interpreters[2].Email
	require.NoError(t, e.portal.RequestLink(ctx, marker, "192.0.2.2"))
	e.smtp.Wait(t, marker, 1, 10*time.Second)
	require.Equal(t, 4, len(e.smtp.To(addr)), "A's fourth request sent nothing; B's did")

	// Client C asks for ten unknown addresses: allowed, then refused with
	// a time to wait, whatever the address.
	for i := range 10 {
		require.NoError(t, e.portal.RequestLink(ctx, fmt.Sprintf("nobody%d@example.org", i), "192.0.2.3"))
	}
	err := e.portal.RequestLink(ctx, addr, "192.0.2.3")
	require.Equal(t, errs.RateLimited, errs.CodeOf(err))
	require.Greater(t, errs.RetryOf(err), 0)

	// Off the request path: with the request's context already ended, the
	// answer is still nil and the link still goes out.
	done, cancel := context.WithCancel(ctx)
	cancel()
	other := e.in.Interpreters[1].Email
	require.NoError(t, e.portal.RequestLink(done, other, "192.0.2.4"))
	msgs := e.smtp.Wait(t, other, 1, 10*time.Second)
	require.Regexp(t, linkRE, msgs[0].Text)
}

// changes records what a service reports, for the metrics' sources.
type changes struct {
	mu  sync.Mutex
	got []string
}

func (c *changes) Changed(action, source string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.got = append(c.got, action+"/"+source)
}
func (*changes) Suggested(time.Duration)                 {}
func (*changes) PlanEnded(string, string, time.Duration) {}
func (*changes) JobRan(string, string, time.Time)        {}
func (*changes) JobAdded(string)                         {}
func (*changes) MailDelivered(string)                    {}

// A decline is counted under the route it came by (the API's requests are
// marked so by its router, the pages' by theirs), not always as the pages'.
func TestDeclineCountedByItsRoute(t *testing.T) {
	t.Parallel()
	e := newPortalEnv(t)
	ctx := context.Background()
	seen := &changes{}
	svc := scheduler.New(e.db, nil, nil, e.clk.Now, scheduler.WithObserver(seen))
	portal := scheduler.NewPortal(ctx, e.db, svc, nil, e.clk.Now, "https://interviews.example", nil)
	var booked []resources.Booking
	for _, iv := range e.in.Interviews {
		if len(booked) == 2 {
			break
		}
		ans, err := svc.Suggest(ctx, scheduler.SuggestRequest{InterviewID: iv.ID, K: 1})
		if err != nil || len(ans.Suggestions) == 0 || ans.Suggestions[0].Interpreter == "" ||
			(len(booked) == 1 && ans.Suggestions[0].Interpreter == booked[0].Interpreter) {
			continue
		}
		b, err := svc.Book(ctx, scheduler.BookRequest{InterviewID: iv.ID, SuggestionID: ans.Suggestions[0].ID, Actor: "clerk-1"})
		require.NoError(t, err)
		booked = append(booked, *b)
	}
	require.Len(t, booked, 2)
	for i, source := range []string{scheduler.SourceAPI, scheduler.SourceWeb} {
		_, sess := e.signIn(t, e.interpreter(booked[i].Interpreter).Email)
		require.NoError(t, portal.Decline(scheduler.WithSource(ctx, source), sess, booked[i].ID, "unavailable"))
	}
	seen.mu.Lock()
	defer seen.mu.Unlock()
	require.Equal(t, []string{"booked/api", "booked/api", "interpreter_released/api", "interpreter_released/web"}, seen.got)
}
