package calendars

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"
	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/calendars/calendarstest"
)

var (
	testOrganizer = Address{Name: "Asylum interview scheduling", Email: "scheduling@interviews.example"}
	testAttendee  = Address{Name: "Päivi Ääninen, tulkki", Email: "paivi.aaninen@tulkit.example"}
)

// invitationBooking is booking 101 of the feed tests, planted secrets and all.
func invitationBooking() booking {
	b := sampleBookings()[0]
	b.InterviewRef = "I-0042"
	return b
}

// decodeInvitation parses body with go-ical and returns the calendar and its one VEVENT.
func decodeInvitation(t *testing.T, body []byte) (*ical.Calendar, *ical.Component) {
	t.Helper()
	cal, err := ical.NewDecoder(bytes.NewReader(body)).Decode()
	require.NoError(t, err, "go-ical decode:\n%s", body)
	events := cal.Events()
	require.Len(t, events, 1)
	return cal, events[0].Component
}

func TestInvitationRequestThenCancel(t *testing.T) {
	t.Parallel()
	b := invitationBooking()
	sent := testNow.Add(-47 * time.Hour)
	request, err := RenderInvitation(MethodRequest, b.event(), testOrganizer, testAttendee, sent)
	require.NoError(t, err)

	// The booking is cancelled later: its sequence rises.
	b.Status, b.Version, b.Changed = StatusCancelled, 2, testNow.Add(-time.Hour)
	cancelled := testNow.Add(-time.Hour + time.Minute)
	cancel, err := RenderInvitation(MethodCancel, b.event(), testOrganizer, testAttendee, cancelled)
	require.NoError(t, err)

	// What a parser must see, worked out by hand: 08:30 EET is 06:30Z.
	uid := "booking-101@interviews.example"
	cases := []struct {
		name, method, status, dtstamp, summary, transp string
		sequence                                       int
		body                                           []byte
	}{
		{"request", "REQUEST", "CONFIRMED", "2027-03-18T10:00:00Z", "Asylum interview · Arabic (ar-IQ) · on site", "OPAQUE", 1, request},
		{"cancel", "CANCEL", "CANCELLED", "2027-03-20T08:01:00Z", "Cancelled: Asylum interview · Arabic (ar-IQ) · on site", "TRANSPARENT", 2, cancel},
	}
	for _, c := range cases {
		for parser, d := range calendarstest.ParseAll(t, c.body) {
			require.Equal(t, "2.0", d.Version, parser)
			require.Equal(t, c.method, d.Method, "%s %s", parser, c.name)
			require.Len(t, d.Events, 1, parser)
			want := calendarstest.Event{UID: uid, Sequence: c.sequence, Status: c.status, DTStamp: c.dtstamp,
				Start: "2027-03-27T06:30:00Z", End: "2027-03-27T08:30:00Z", Summary: c.summary,
				Location: "Helsinki, room HEL-R02", Transp: c.transp, Partstat: "NEEDS-ACTION"}
			require.Equal(t, want, d.Events[0], "%s %s", parser, c.name)
		}

		cal, ev := decodeInvitation(t, c.body)
		require.Equal(t, c.method, cal.Props.Get(ical.PropMethod).Value, c.name)
		require.Equal(t, ProductID, cal.Props.Get(ical.PropProductID).Value)
		gotUID, err := ev.Props.Text(ical.PropUID)
		require.NoError(t, err)
		require.Equal(t, uid, gotUID)
		require.Equal(t, c.status, ev.Props.Get(ical.PropStatus).Value)
		require.Equal(t, c.sequence, mustInt(t, ev.Props.Get(ical.PropSequence)))
		start, err := ev.Props.DateTime(ical.PropDateTimeStart, time.UTC)
		require.NoError(t, err)
		require.True(t, start.Equal(time.Date(2027, 3, 27, 6, 30, 0, 0, time.UTC)), "DTSTART %s", start)
		end, err := ev.Props.DateTime(ical.PropDateTimeEnd, time.UTC)
		require.NoError(t, err)
		require.True(t, end.Equal(time.Date(2027, 3, 27, 8, 30, 0, 0, time.UTC)), "DTEND %s", end)

		org := ev.Props.Get(ical.PropOrganizer)
		require.NotNil(t, org)
		require.Equal(t, "mailto:scheduling@interviews.example", org.Value)
		require.Equal(t, "Asylum interview scheduling", org.Params.Get(ical.ParamCommonName))
		atts := ev.Props.Values(ical.PropAttendee)
		require.Len(t, atts, 1)
		require.Equal(t, "mailto:paivi.aaninen@tulkit.example", atts[0].Value)
		require.Equal(t, "Päivi Ääninen, tulkki", atts[0].Params.Get(ical.ParamCommonName))
		require.Equal(t, "REQ-PARTICIPANT", atts[0].Params.Get(ical.ParamRole))
		require.Equal(t, "NEEDS-ACTION", atts[0].Params.Get(ical.ParamParticipationStatus))
		require.Equal(t, "FALSE", atts[0].Params.Get(ical.ParamRSVP))

		assertNoSecrets(t, c.body)
		assertFolded(t, c.body)
	}
}

func mustInt(t *testing.T, p *ical.Prop) int {
	t.Helper()
	require.NotNil(t, p)
	n, err := p.Int()
	require.NoError(t, err)
	return n
}

// assertNoSecrets: neither the applicant's identity nor any reference, not
// even the opaque interview reference the feed shows, is in an invitation.
func assertNoSecrets(t *testing.T, body []byte) {
	t.Helper()
	flat := unfold(body)
	for _, s := range []string{plantedCase, plantedApplicant, plantedNationality, "I-0042", "Reference"} {
		require.NotContains(t, flat, s)
	}
}

// assertFolded: CRLF line ends and no line longer than 75 octets.
func assertFolded(t *testing.T, body []byte) {
	t.Helper()
	require.True(t, bytes.HasSuffix(body, []byte("\r\n")))
	for _, l := range strings.Split(strings.TrimSuffix(string(body), "\r\n"), "\r\n") {
		require.NotContains(t, l, "\n")
		require.LessOrEqual(t, len(l), maxLine, "line %q", l)
	}
}

// A request is tentative until the attendee answers; the update after
// their yes is confirmed and accepted. The texts in the attendee's
// language replace the English ones, and every parser reads them.
func TestInvitationRequestThenAccepted(t *testing.T) {
	t.Parallel()
	e := invitationBooking().event()
	e.Status = StatusTentative
	fi := Invitation{Method: MethodRequest, Event: e, Organizer: testOrganizer, Attendee: testAttendee, Now: testNow,
		Summary: "Tulkkauspyyntö · arabia (ar-IQ) · paikan päällä", Location: "Helsinki, huone HEL-R02, Kauppakatu 1, 00100 Helsinki",
		Description: "Vastaa viimeistään ke 24.3.2027 klo 9.25:\nVahvista: https://x.example/portal/assignments/101?answer=confirm"}
	accepted := fi
	accepted.Event.Status, accepted.Partstat, accepted.Now = StatusConfirmed, PartstatAccepted, testNow.Add(time.Hour)
	accepted.Summary = "Turvapaikkapuhuttelu · arabia (ar-IQ) · paikan päällä"
	cases := []struct {
		name, status, partstat, dtstamp string
		inv                             Invitation
	}{
		{"request", "TENTATIVE", "NEEDS-ACTION", "2027-03-20T09:00:00Z", fi},
		{"accepted", "CONFIRMED", "ACCEPTED", "2027-03-20T10:00:00Z", accepted},
	}
	for _, c := range cases {
		body, err := c.inv.Render()
		require.NoError(t, err)
		assertFolded(t, body)
		for parser, d := range calendarstest.ParseAll(t, body) {
			require.Equal(t, "REQUEST", d.Method, parser)
			ev := d.Events[0]
			require.Equal(t, c.status, ev.Status, "%s %s", parser, c.name)
			require.Equal(t, c.partstat, ev.Partstat, "%s %s", parser, c.name)
			require.Equal(t, c.dtstamp, ev.DTStamp, "%s %s", parser, c.name)
			require.Equal(t, c.inv.Summary, ev.Summary, "%s %s", parser, c.name)
			require.Equal(t, c.inv.Location, ev.Location, "%s %s", parser, c.name)
			require.Equal(t, c.inv.Description, ev.Description, "%s %s", parser, c.name)
		}
		_, ev := decodeInvitation(t, body)
		require.Equal(t, "FALSE", ev.Props.Get(ical.PropAttendee).Params.Get(ical.ParamRSVP), c.name)
	}
	bad := fi
	bad.Partstat = "TENTATIVE"
	_, err := bad.Render()
	require.ErrorContains(t, err, "PARTSTAT")
}

func TestInvitationRemoteJoinInfoAndLongNames(t *testing.T) {
	t.Parallel()
	b := sampleBookings()[1] // remote, with join information
	att := Address{Name: strings.Repeat("Äyräväinen-Łukasiewicz \"Tulkki\"; ", 4) + "\r\nX-INJECTED:1", Email: "long@tulkit.example"}
	body, err := RenderInvitation(MethodRequest, b.event(), testOrganizer, att, testNow)
	require.NoError(t, err)
	assertFolded(t, body)
	assertNoSecrets(t, body)
	require.NotContains(t, unfold(body), "\r\nX-INJECTED")

	for parser, d := range calendarstest.ParseAll(t, body) {
		require.Equal(t, "REQUEST", d.Method, parser)
		require.Equal(t, "How to join (remote interpretation): "+b.JoinURL, d.Events[0].Description, parser)
	}
	_, ev := decodeInvitation(t, body)
	cn := ev.Props.Get(ical.PropAttendee).Params.Get(ical.ParamCommonName)
	require.True(t, strings.HasPrefix(cn, "Äyräväinen-Łukasiewicz 'Tulkki'; "), "CN %q", cn)
	require.True(t, strings.HasSuffix(cn, "X-INJECTED:1"), "CN %q", cn)
	require.Nil(t, ev.Props.Get("X-INJECTED"))
}

func TestInvitationRefusesWhatIsWrong(t *testing.T) {
	t.Parallel()
	ok := sampleBookings()[0].event()
	cancelled := sampleBookings()[3].event()
	noUID := ok
	noUID.UID = ""
	cases := []struct {
		name      string
		method    string
		e         Event
		org, att  Address
		now       time.Time
		errSubstr string
	}{
		{"unknown method", "PUBLISH", ok, testOrganizer, testAttendee, testNow, "not REQUEST or CANCEL"},
		{"request for a cancelled event", MethodRequest, cancelled, testOrganizer, testAttendee, testNow, "send METHOD:CANCEL"},
		{"invalid event", MethodRequest, noUID, testOrganizer, testAttendee, testNow, "empty UID"},
		{"no now", MethodRequest, ok, testOrganizer, testAttendee, time.Time{}, "no DTSTAMP"},
		{"attendee with CRLF", MethodRequest, ok, testOrganizer, Address{Email: "a@b.example\r\nX-EVIL:1"}, testNow, "attendee e-mail"},
		{"attendee with a name in Email", MethodRequest, ok, testOrganizer, Address{Email: "Eve <eve@b.example>"}, testNow, "attendee e-mail"},
		{"organizer empty", MethodCancel, ok, Address{}, testAttendee, testNow, "organizer e-mail"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, err := RenderInvitation(c.method, c.e, c.org, c.att, c.now)
			require.Error(t, err)
			require.Contains(t, err.Error(), c.errSubstr)
		})
	}
}

// A remote attendee's meeting link is the event's URL, as the parsers read
// it; a link that is not https is refused.
func TestInvitationMeetingURL(t *testing.T) {
	t.Parallel()
	inv := Invitation{Method: MethodRequest, Event: invitationBooking().event(), Organizer: testOrganizer, Attendee: testAttendee,
		Now: testNow, URL: "https://meet.example/r/42?pwd=a,b;c"}
	body, err := inv.Render()
	require.NoError(t, err)
	assertFolded(t, body)
	for parser, d := range calendarstest.ParseAll(t, body) {
		require.Equal(t, inv.URL, d.Events[0].URL, parser)
	}
	for _, bad := range []string{"http://meet.example/r/42", "javascript:alert(1)", "https:///r", "https://meet.example/\r\nX-EVIL:1"} {
		inv.URL = bad
		_, err := inv.Render()
		require.ErrorContains(t, err, "meeting link", bad)
	}
}
