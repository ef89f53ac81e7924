package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/calendars"
	"github.com/asylum-scheduling/interviews/calendars/calendarstest"
	"github.com/asylum-scheduling/interviews/internal/mail/mailtest"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/scheduler"
	"github.com/asylum-scheduling/interviews/solver"
)

type portalFlowResult struct {
	BookingID        int64             `json:"bookingId"`
	PhoneQueueRows   int               `json:"phoneQueueRows"`
	InviteMethod     string            `json:"inviteMethod"`
	InterpreterLang  string            `json:"interpreterLang"`
	Langs            map[string]string `json:"langs"`
	Declined         string            `json:"declined"`
	LinkAgain        string            `json:"linkAgain"`
	PatternSaved     string            `json:"patternSaved"`
	PatternMonday    string            `json:"patternMonday"`
	PatternTuesday   string            `json:"patternTuesday"`
	PatternLabels    string            `json:"patternLabels"`
	PatternRemoved   []string          `json:"patternRemoved"`
	Participants     string            `json:"participants"`
	ReplacementWhen  string            `json:"replacementWhen"`
	CounselCase      string            `json:"counselCase"`
	SummonsNumber    string            `json:"summonsNumber"`
	Acknowledged     string            `json:"acknowledged"`
	ChangeAsked      string            `json:"changeAsked"`
	ConfirmButtons   int               `json:"confirmButtons"`
	ProposalEcho     string            `json:"proposalEcho"`
	ChangeFormsAfter int               `json:"changeFormsAfter"`
	ConfirmedViaMail string            `json:"confirmedViaMail"`
	AttentionAfter   string            `json:"attentionAfter"`
	LandedAfter      string            `json:"landedAfterSignIn"`
	LandedButtons    int               `json:"landedButtons"`
	A11y             map[string]int    `json:"a11y"`
	Overflow         map[string]int    `json:"overflow"`
}

// mailList serves what the SMTP server received, for the browser script:
// GET ?to=ADDR lists the mails to ADDR.
func mailList(t *testing.T, srv *mailtest.Server) string {
	h := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		type m struct {
			Subject string `json:"subject"`
			Text    string `json:"text"`
			Method  string `json:"method"`
		}
		var out []m
		for _, x := range srv.To(r.URL.Query().Get("to")) {
			out = append(out, m{x.Subject, x.Text, x.Method})
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(append([]m{}, out...))
	}))
	t.Cleanup(h.Close)
	return h.URL
}

// ownReason is the interpreter's own reason for declining in the flow.
const ownReason = "A family matter that day"

// otherBooking waits until the flow's clerk has booked iv, then books, for
// the same interpreter, another interview of another case on another day,
// and returns its booking id: the flow confirms it from the mail's link.
// It runs in a goroutine: it returns its error instead of failing.
func otherBooking(ctx context.Context, e *env, in *solver.Instance, iv solver.Interview, who solver.Interpreter) (int64, error) {
	for {
		x, err := e.db.Interview(ctx, iv.ID)
		if err != nil {
			return 0, err
		}
		if x.Status == "booked" {
			break
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	for _, x := range in.Interviews {
		if x.ID == iv.ID || x.Case == iv.Case {
			continue
		}
		ans, err := e.booking.Suggest(ctx, scheduler.SuggestRequest{InterviewID: x.ID, K: 30})
		if err != nil {
			continue
		}
		for _, o := range ans.Suggestions {
			if o.Interpreter != who.ID {
				continue
			}
			b, err := e.booking.Book(ctx, scheduler.BookRequest{InterviewID: x.ID, SuggestionID: o.ID, Actor: "clerk"})
			if err == nil {
				return b.ID, nil
			}
		}
	}
	return 0, fmt.Errorf("no other interview can be booked with %s", who.ID)
}

// portalCase finds a pending interview whose top suggestion has an
// interpreter with an address, and which has a counsel with an address.
func portalCase(t *testing.T, e *env, in *solver.Instance) (iv solver.Interview, interp solver.Interpreter, counsel solver.Party, top scheduler.Option) {
	byID := map[string]solver.Interpreter{}
	for _, x := range in.Interpreters {
		byID[x.ID] = x
	}
	parties := map[string]solver.Party{}
	for _, p := range in.Parties {
		parties[p.ID] = p
	}
	booked := map[string]bool{}
	for _, b := range in.Bookings {
		booked[b.Interview] = true
	}
	for _, x := range in.Interviews {
		if booked[x.ID] || len(x.Parties) == 0 || parties[x.Parties[0]].Kind != solver.PartyCounsel {
			continue
		}
		ans, err := e.booking.Suggest(context.Background(), scheduler.SuggestRequest{InterviewID: x.ID, K: 20})
		require.NoError(t, err)
		if len(ans.Suggestions) == 0 || ans.Suggestions[0].Interpreter == "" {
			continue
		}
		top := ans.Suggestions[0]
		// Another interpreter could take it at the same time and place.
		other := false
		for _, o := range ans.Suggestions[1:] {
			other = other || (o.Start == top.Start && o.Room == top.Room && o.Interviewer == top.Interviewer &&
				o.Interpreter != "" && o.Interpreter != top.Interpreter)
		}
		if other {
			return x, byID[top.Interpreter], parties[x.Parties[0]], top
		}
	}
	t.Fatal("no pending interview with an interpreter and a counsel")
	return
}

// TestBrowserPortalFlow: a clerk books; the interpreter's mail arrives; the
// interpreter follows the sign-in link on a phone and declines for a
// conflict of interest; the clerk sees the case under "needs attention"
// and books a replacement that keeps the time; the first interpreter gets
// METHOD:CANCEL and the new one METHOD:REQUEST with the same UID; the
// counsel acknowledges and then asks for another time; the feed of each
// interpreter shows the right events. axe (WCAG 2.2 AA) and the 390 px
// width are checked on every portal page.
func TestBrowserPortalFlow(t *testing.T) {
	t.Parallel()
	root, node := browserTools(t)
	in := demoInstance(t)
	e := newEnvWith(t, in)
	iv, first, counsel, top := portalCase(t, e, in)

	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	type booked struct {
		id  int64
		err error
	}
	topStart, err := time.Parse(time.RFC3339, top.Start)
	require.NoError(t, err)
	proposeDate := topStart.AddDate(0, 0, 1).Format(time.DateOnly)
	otherDone := make(chan booked, 1)
	go func() {
		id, err := otherBooking(ctx, e, in, iv, first)
		otherDone <- booked{id, err}
	}()
	var res portalFlowResult
	runScript(t, root, node, "portal.mjs", e.srv.URL, 4*time.Minute, &res,
		"MAIL_URL="+mailList(t, e.smtp), "CLERK_TOKEN="+e.clerk,
		"CASE="+iv.ID, "INTERPRETER_EMAIL="+first.Email, "COUNSEL_EMAIL="+counsel.Email,
		"CHANGE_DATE="+strings.SplitN(top.Start, "T", 2)[0], "PROPOSE_DATE="+proposeDate)
	ob := <-otherDone
	require.NoError(t, ob.err)
	other := ob.id
	t.Logf("portal flow: %+v", res)

	// What the people saw.
	require.Equal(t, 50, res.PhoneQueueRows, "a page of the queue on the phone")
	require.Equal(t, "REQUEST", res.InviteMethod)
	// The request mail's Confirm link, opened without a session, led
	// through sign-in to that assignment and its one button.
	require.Equal(t, fmt.Sprintf("/portal/assignments/%d?answer=confirm", res.BookingID), res.LandedAfter)
	require.Equal(t, 1, res.LandedButtons)
	require.Equal(t, first.Locale, res.InterpreterLang, "the portal speaks the interpreter's language")
	require.Equal(t, "Tolkuppdrag", res.Langs["sv"])
	require.Equal(t, "Interpreting assignments", res.Langs["en"])
	require.Contains(t, res.Declined, "removed from your calendar")
	// The other assignment was confirmed from the mail's link, on the phone.
	require.Equal(t, 1, res.ConfirmButtons, "the mail's Confirm link shows one button")
	require.Equal(t, "Assignment confirmed.", res.ConfirmedViaMail)
	ot, err := e.db.Booking(context.Background(), other)
	require.NoError(t, err)
	require.Equal(t, first.ID, ot.Interpreter)
	as, err := e.db.Assignment(context.Background(), first.ID, other)
	require.NoError(t, err)
	require.Equal(t, resources.InterpreterConfirmed, as.Status)
	// The decline's own words are in the audit trail.
	audit, err := e.booking.Audit(context.Background(), iv.ID, 0)
	require.NoError(t, err)
	own := false
	for _, a := range audit {
		own = own || (a.Action == resources.ActionInterpreterReleased && a.Reason == "other: "+ownReason)
	}
	require.True(t, own, "the interpreter's own reason is not in the audit trail: %+v", audit)
	require.Contains(t, res.LinkAgain, "used or has expired")
	require.Equal(t, "Availability saved.", res.PatternSaved)
	require.Equal(t, "08:00", res.PatternMonday, "the form shows the saved pattern again")
	require.Equal(t, "08:00", res.PatternTuesday, "the form opens with the pattern on file")
	// (The interpreter switched to English above.)
	require.Equal(t, "Tuesday from / Tuesday until", strings.Join(strings.Fields(res.PatternLabels), " "))
	// Emptying Tuesday listed the Tuesdays it removes, and only those.
	require.NotEmpty(t, res.PatternRemoved)
	for _, x := range res.PatternRemoved {
		require.Regexp(t, `^Tue \d+ \w+ \d{4}, 08:00–16:00$`, x)
	}
	got, err := e.db.Interpreter(context.Background(), first.ID)
	require.NoError(t, err)
	for _, x := range got.Availability {
		s, _ := time.Parse(time.RFC3339, x.Start)
		if s.After(time.Now().AddDate(0, 0, 2)) {
			require.Equal(t, time.Monday, s.Weekday(), "availability on %s after the pattern", x.Start)
		}
	}
	require.Contains(t, res.Participants, "declined")
	require.Equal(t, iv.Case, res.CounselCase, "the counsel sees the case reference")
	// The summons number the portal shows is the one the counsel's mails name.
	require.Equal(t, resources.SummonsNumber(res.BookingID), res.SummonsNumber)
	counselMails := e.smtp.Wait(t, counsel.Email, 1, 10*time.Second)
	require.True(t, strings.HasSuffix(counselMails[0].Subject, " "+res.SummonsNumber), counselMails[0].Subject)
	require.NotContains(t, string(counselMails[0].Raw), iv.Case, "a mail to the counsel names the case")
	// The counsel's portal speaks their language.
	require.Equal(t, map[string]string{"fi": "Kutsu kuitattu.", "sv": "Kallelsen är kvitterad.", "en": "Summons acknowledged."}[counsel.Locale],
		res.Acknowledged)
	require.NotEmpty(t, res.ChangeAsked)
	require.Contains(t, res.AttentionAfter, iv.ID)
	require.Contains(t, res.AttentionAfter, "pyysi uutta aikaa")
	// The counsel's proposal: echoed on their page, the form closed, and
	// the clerk sees it in Needs attention, in Finnish.
	pd := topStart.AddDate(0, 0, 1)
	require.Contains(t, res.AttentionAfter, fmt.Sprintf("ehdottaa %s %d.%d.%d iltapäivä",
		[7]string{"su", "ma", "ti", "ke", "to", "pe", "la"}[pd.Weekday()], pd.Day(), int(pd.Month()), pd.Year()))
	require.NotContains(t, res.AttentionAfter, proposeDate, "an ISO date in the Finnish page")
	require.NotEmpty(t, res.ProposalEcho)
	require.Contains(t, res.ProposalEcho, map[string]string{"fi": "iltapäivä", "sv": "eftermiddag", "en": "afternoon"}[counsel.Locale])
	require.Zero(t, res.ChangeFormsAfter, "the form stays open after the request")
	for name, n := range res.Overflow {
		require.LessOrEqual(t, n, 0, name)
	}

	// The replacement kept the time and the room.
	b, err := e.db.Booking(context.Background(), res.BookingID)
	require.NoError(t, err)
	require.Equal(t, top.Start, b.Start)
	require.Equal(t, top.Room, b.Room)
	require.NotEmpty(t, b.Interpreter)
	require.NotEqual(t, first.ID, b.Interpreter)
	var second solver.Interpreter
	for _, x := range in.Interpreters {
		if x.ID == b.Interpreter {
			second = x
		}
	}

	// The mails: REQUEST, sign-in link, CANCEL to the first; REQUEST to the
	// second; the same UID, read by the third-party parsers.
	uid := calendars.BookingUID(res.BookingID)
	firstMails := e.smtp.Wait(t, first.Email, 3, 10*time.Second)
	var methods []string
	for _, m := range firstMails {
		require.NotContains(t, string(m.Raw), iv.Case, "a mail to the interpreter names the case")
		if len(m.Calendar) == 0 || !strings.Contains(m.Text, fmt.Sprintf("/portal/assignments/%d", res.BookingID)) {
			continue // the sign-in link, or the other booking's
		}
		methods = append(methods, m.Method)
		for parser, d := range calendarstest.ParseAll(t, m.Calendar) {
			require.Equal(t, m.Method, d.Method, parser)
			require.Equal(t, uid, d.Events[0].UID, parser)
		}
	}
	require.Equal(t, []string{"REQUEST", "CANCEL"}, methods)
	secondMails := e.smtp.Wait(t, second.Email, 1, 10*time.Second)
	require.Equal(t, "REQUEST", secondMails[0].Method)
	for parser, d := range calendarstest.ParseAll(t, secondMails[0].Calendar) {
		require.Equal(t, uid, d.Events[0].UID, parser)
		require.Equal(t, b.Sequence, d.Events[0].Sequence, parser)
	}
	require.NotEmpty(t, e.smtp.To(counsel.Email))

	// The feeds: the first interpreter's shows the event cancelled, the
	// second's confirmed, with the same UID.
	for _, want := range []struct {
		who    string
		status string
	}{{first.ID, "CANCELLED"}, {second.ID, "CONFIRMED"}} {
		tok, _, err := e.db.CreateFeedToken(context.Background(), resources.FeedInterpreter, want.who, "test")
		require.NoError(t, err)
		resp, err := http.Get(e.srv.URL + "/feeds/" + tok + ".ics")
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.Equal(t, 200, resp.StatusCode)
		for parser, d := range calendarstest.ParseAll(t, body) {
			ev, ok := d.ByUID(t)[uid]
			require.True(t, ok, "%s: %s's feed lacks the event", parser, want.who)
			require.Equal(t, want.status, ev.Status, "%s: %s's feed", parser, want.who)
		}
	}
}
