package mail

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"
	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/calendars/calendarstest"
)

func decodeBase64(t testing.TB, body []byte) []byte {
	t.Helper()
	out, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(string(body), "\r\n", ""))
	require.NoError(t, err)
	return out
}

// checkLines: every line ends in CRLF and none is longer than 78 octets
// (RFC 5322 §2.1.1's SHOULD; 998 is the MUST).
func checkLines(t testing.TB, data []byte) {
	t.Helper()
	require.True(t, bytes.HasSuffix(data, []byte("\r\n")))
	for _, l := range strings.Split(strings.TrimSuffix(string(data), "\r\n"), "\r\n") {
		require.NotContains(t, l, "\n", "bare LF")
		require.NotContains(t, l, "\r", "bare CR")
		require.LessOrEqual(t, len(l), 78, "line %q", l)
	}
}

func TestMessageBytes(t *testing.T) {
	t.Parallel()
	m := testMessage(t, Booked, "fi")
	data, err := m.Bytes()
	require.NoError(t, err)
	checkLines(t, data)
	again, err := m.Bytes()
	require.NoError(t, err)
	require.Equal(t, data, again, "the same message gives the same bytes")

	p := parseMail(t, data)
	require.Equal(t, "1.0", p.header.Get("MIME-Version"))
	require.Equal(t, "<booking-42.3.interpreter-7@interviews.example>", p.header.Get("Message-ID"))
	date, err := p.header.Date()
	require.NoError(t, err)
	require.True(t, date.Equal(testNow))
	from, err := p.header.AddressList("From")
	require.NoError(t, err)
	require.Equal(t, "Haastattelut – Intervjuer", from[0].Name)
	require.Equal(t, "noreply@interviews.example", from[0].Address)
	to, err := p.header.AddressList("To")
	require.NoError(t, err)
	require.Equal(t, "Päivi Ääninen", to[0].Name)
	require.Equal(t, "Turvapaikkapuhuttelu varattu: ma 4.1.2027 klo 8.30", p.subject)
	require.Contains(t, string(data), "\r\nSubject: Turvapaikkapuhuttelu varattu: ma 4.1.2027 klo 8.30\r\n", "an ASCII subject stays as it is")
	require.Equal(t, m.Text, p.text)
	require.Equal(t, "REQUEST", p.calParams["method"])
	require.Equal(t, "utf-8", p.calParams["charset"])
	require.Equal(t, m.Calendar, p.calendar)
}

func TestMessageCalendarReadsBack(t *testing.T) {
	t.Parallel()
	for _, k := range []Kind{Booked, Cancelled} {
		m := testMessage(t, k, "en")
		data, err := m.Bytes()
		require.NoError(t, err)
		p := parseMail(t, data)
		checkCalendar(t, p, m.Method, map[Kind]int{Booked: 3, Cancelled: 4}[k])
	}
}

// checkCalendar reads the calendar part with go-ical and the calendarstest parsers.
func checkCalendar(t testing.TB, p parsed, method string, sequence int) {
	t.Helper()
	require.Equal(t, method, p.calParams["method"])
	cal, err := ical.NewDecoder(bytes.NewReader(p.calendar)).Decode()
	require.NoError(t, err)
	require.Equal(t, method, cal.Props.Get(ical.PropMethod).Value)
	ev := cal.Events()
	require.Len(t, ev, 1)
	uid, err := ev[0].Props.Text(ical.PropUID)
	require.NoError(t, err)
	require.Equal(t, testUID, uid)
	require.Equal(t, "mailto:paivi@tulkit.example", ev[0].Props.Get(ical.PropAttendee).Value)
	for parser, d := range calendarstest.ParseAll(t, p.calendar) {
		require.Equal(t, method, d.Method, parser)
		require.Len(t, d.Events, 1, parser)
		require.Equal(t, testUID, d.Events[0].UID, parser)
		require.Equal(t, sequence, d.Events[0].Sequence, parser)
		require.Equal(t, "2027-01-04T06:30:00Z", d.Events[0].Start, parser)
		require.Equal(t, "2027-01-04T08:30:00Z", d.Events[0].End, parser)
	}
}

func TestMessageRefusesHeaderInjection(t *testing.T) {
	t.Parallel()
	cases := map[string]func(*Message){
		"To with CRLF":         func(m *Message) { m.To = "a@b.example\r\nBcc: eve@evil.example" },
		"To with LF":           func(m *Message) { m.To = "a@b.example\nBcc: eve@evil.example" },
		"From with CR":         func(m *Message) { m.From = "Eve\r <a@b.example>" },
		"Subject with CRLF":    func(m *Message) { m.Subject = "Hello\r\nBcc: eve@evil.example" },
		"Subject with LF":      func(m *Message) { m.Subject = "Hello\nX-Evil: 1" },
		"Message-ID with CRLF": func(m *Message) { m.MessageID = "a@b\r\nBcc: eve@evil.example" },
		"Message-ID brackets":  func(m *Message) { m.MessageID = "<a@b>" },
		"no Date":              func(m *Message) { m.Date = time.Time{} },
		"calendar, no method":  func(m *Message) { m.Method = "" },
		"To not an address":    func(m *Message) { m.To = "not an address" },
	}
	for name, edit := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			m := testMessage(t, Booked, "en")
			edit(&m)
			data, err := m.Bytes()
			require.Error(t, err)
			require.Nil(t, data)
			require.True(t, Permanent(err), "an invalid message is a permanent error: %v", err)
		})
	}
}

func TestMessageLongSubjectIsFolded(t *testing.T) {
	t.Parallel()
	m := testMessage(t, Booked, "sv")
	m.Subject = strings.Repeat("Asylintervju inställd på grund av förändrade omständigheter ", 4)
	data, err := m.Bytes()
	require.NoError(t, err)
	checkLines(t, data)
	require.Contains(t, string(data), "\r\nSubject:\r\n =?utf-8?q?Asylintervju_inst=C3=A4lld", "a non-ASCII subject is Q-encoded")
	p := parseMail(t, data)
	require.Equal(t, m.Subject, p.subject)
}

func TestMessageHasNoReference(t *testing.T) {
	t.Parallel()
	// The event behind every mail has Reference "I-0042"; Details has no field
	// for it. Neither the raw mail nor any decoded part may contain it.
	for _, locale := range []string{"fi", "sv", "en"} {
		for _, k := range []Kind{Booked, Moved, Cancelled} {
			data, err := testMessage(t, k, locale).Bytes()
			require.NoError(t, err)
			p := parseMail(t, data)
			for _, s := range []string{string(data), p.text, p.subject, string(p.calendar)} {
				require.NotContains(t, s, testReference)
				require.NotContains(t, strings.ToLower(s), "reference")
			}
		}
	}
}
