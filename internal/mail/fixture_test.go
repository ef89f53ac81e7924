package mail

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/calendars"
)

var helsinki = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Helsinki")
	if err != nil {
		panic(err)
	}
	return loc
}()

// The test booking: Monday 4 January 2027, 08:30–10:30 in Helsinki (EET, UTC+2).
var (
	testStart = time.Date(2027, 1, 4, 8, 30, 0, 0, helsinki)
	testEnd   = time.Date(2027, 1, 4, 10, 30, 0, 0, helsinki)
	testNow   = time.Date(2026, 12, 20, 12, 0, 0, 0, time.UTC)
)

const (
	testUID       = "booking-42@interviews.asylum-scheduling"
	testReference = "I-0042" // the feed shows it; a mail must not
	testPortal    = "https://interviews.example/portal/interpreter"
	testConfirm   = "https://interviews.example/portal/assignments/42?answer=confirm"
	testDecline   = "https://interviews.example/portal/assignments/42?answer=decline"
)

func testEvent() calendars.Event {
	return calendars.Event{
		UID: testUID, Sequence: 3, Updated: testNow.Add(-time.Hour),
		Start: testStart, End: testEnd, Status: calendars.StatusConfirmed,
		Language: "ar-IQ", Mode: calendars.ModeOnsite, Office: "Helsinki", Room: "HEL-R02",
		Reference: testReference,
	}
}

func testDetails(role string) Details {
	e := testEvent()
	return Details{Start: e.Start, End: e.End, Location: helsinki, Office: e.Office, Room: e.Room,
		Language: e.Language, Mode: ModeOnsite, Link: testPortal, Role: role}
}

// testMessage is the whole mail for kind, as the outbox worker will build it.
func testMessage(t testing.TB, k Kind, locale string) Message {
	t.Helper()
	method, e := "REQUEST", testEvent()
	if k == Cancelled {
		method, e.Status, e.Sequence = "CANCEL", calendars.StatusCancelled, 4
	}
	cal, err := calendars.RenderInvitation(method, e,
		calendars.Address{Name: "Asylum interview scheduling", Email: "noreply@interviews.example"},
		calendars.Address{Name: "Päivi Ääninen", Email: "paivi@tulkit.example"}, testNow)
	require.NoError(t, err)
	subject, text := Compose(k, locale, testDetails(RoleInterpreter))
	return Message{
		From: "Haastattelut – Intervjuer <noreply@interviews.example>", To: "Päivi Ääninen <paivi@tulkit.example>",
		Subject: subject, Text: text, Calendar: cal, Method: method,
		MessageID: "booking-42.3.interpreter-7@interviews.example", Date: testNow,
	}
}

// parsed is a received mail taken apart with net/mail and mime/multipart.
type parsed struct {
	header      mail.Header
	subject     string
	text        string
	calType     string
	calParams   map[string]string
	calendar    []byte
	contentType string
}

func parseMail(t testing.TB, data []byte) parsed {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	require.NoError(t, err)
	var p parsed
	p.header = msg.Header
	p.subject, err = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	require.NoError(t, err)
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	require.NoError(t, err)
	p.contentType = mediaType
	require.Equal(t, "multipart/alternative", mediaType)
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		body, err := io.ReadAll(part) // quoted-printable is decoded by the reader
		require.NoError(t, err)
		typ, ps, err := mime.ParseMediaType(part.Header.Get("Content-Type"))
		require.NoError(t, err)
		switch typ {
		case "text/plain":
			require.Equal(t, "utf-8", ps["charset"])
			p.text = strings.ReplaceAll(string(body), "\r\n", "\n")
		case "text/calendar":
			require.Equal(t, "base64", part.Header.Get("Content-Transfer-Encoding"))
			p.calType, p.calParams = typ, ps
			p.calendar = decodeBase64(t, body)
		default:
			t.Fatalf("unexpected part %s", typ)
		}
	}
	return p
}
