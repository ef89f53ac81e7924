package calendars

import (
	"bytes"
	"flag"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

var helsinki = mustLoadLocation("Europe/Helsinki")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// testNow is the injected clock of the feed tests: a week before the
// daylight-saving change in Europe/Helsinki (2027-03-28 03:00 → 04:00).
var testNow = time.Date(2027, 3, 20, 9, 0, 0, 0, time.UTC)

// booking is what the booking workflow knows about an interview. Only part of
// it may reach a feed: the applicant's identity must never leave the service.
type booking struct {
	ID            int
	CaseNumber    string // never in a feed
	ApplicantName string // never in a feed
	Nationality   string // never in a feed
	InterviewRef  string // opaque, may be shown
	Language      string
	Mode          string
	Office, Room  string
	Start, End    time.Time
	Version       int
	Changed       time.Time
	Status        string
	JoinURL       string
}

// The planted secrets: a feed must never contain them.
const (
	plantedCase        = "FI-2027-004711"
	plantedApplicant   = "Zaynab Al-Haddad"
	plantedNationality = "Iraqi"
)

// event is the only way a booking becomes an Event.
func (b booking) event() Event {
	return Event{
		UID:       "booking-" + strconv.Itoa(b.ID) + "@interviews.example",
		Sequence:  b.Version,
		Updated:   b.Changed,
		Start:     b.Start,
		End:       b.End,
		Status:    b.Status,
		Language:  b.Language,
		Mode:      b.Mode,
		Office:    b.Office,
		Room:      b.Room,
		Reference: b.InterviewRef,
		JoinInfo:  b.JoinURL,
	}
}

func at(loc *time.Location, y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, loc)
}

// sampleBookings are an interpreter's bookings seen at testNow: two on either
// side of the daylight-saving change, a remote one, one without interpreter,
// a held one, a fresh cancellation, and three that must not be shown.
func sampleBookings() []booking {
	common := booking{CaseNumber: plantedCase, ApplicantName: plantedApplicant, Nationality: plantedNationality,
		Language: "ar-IQ", Mode: ModeOnsite, Office: "Helsinki", Room: "HEL-R02", Status: StatusConfirmed,
		Changed: testNow.Add(-48 * time.Hour), Version: 1}
	mk := func(id int, ref string, start time.Time, edit func(*booking)) booking {
		b := common
		b.ID, b.InterviewRef, b.Start, b.End = id, ref, start, start.Add(2*time.Hour)
		if edit != nil {
			edit(&b)
		}
		return b
	}
	return []booking{
		mk(101, "IV-7Q2K", at(helsinki, 2027, 3, 27, 8, 30), nil), // EET, UTC+2
		mk(102, "IV-8P3M", at(helsinki, 2027, 3, 29, 8, 30), func(b *booking) { // EEST, UTC+3
			b.Mode = ModeRemote
			b.JoinURL = "https://meet.example/j/4821 · PIN 5521 — join ten minutes early; phone backup +358 9 123 4567"
		}),
		mk(103, "IV-2D9X", at(helsinki, 2027, 4, 2, 13, 0), func(b *booking) {
			b.Language, b.Mode, b.Office, b.Room = "fa-AF", ModeNone, "Turku", "TKU-3"
		}),
		mk(104, "IV-5K1R", at(helsinki, 2027, 3, 30, 12, 0), func(b *booking) {
			b.Status, b.Version, b.Changed = StatusCancelled, 3, testNow.Add(-2*24*time.Hour)
		}),
		mk(105, "IV-0OLD", testNow.Add(-40*24*time.Hour), nil), // ended > 30 days ago
		mk(106, "IV-FAR0", testNow.Add(200*24*time.Hour), nil), // starts > 180 days ahead
		mk(107, "IV-GONE", at(helsinki, 2027, 4, 5, 9, 0), func(b *booking) { // cancelled 20 days ago
			b.Status, b.Changed = StatusCancelled, testNow.Add(-20*24*time.Hour)
		}),
		mk(108, "IV-HOLD", at(helsinki, 2027, 4, 7, 10, 0), func(b *booking) {
			b.Status, b.Language = StatusTentative, "so"
		}),
	}
}

func sampleFeed() Feed {
	f := Feed{Name: "Interpreter 5521 · interviews"}
	for _, b := range sampleBookings() {
		f.Events = append(f.Events, b.event())
	}
	return f
}

// shownUIDs are the sample events that must appear at testNow, in feed order.
var shownUIDs = []string{
	"booking-101@interviews.example",
	"booking-102@interviews.example",
	"booking-104@interviews.example",
	"booking-103@interviews.example",
	"booking-108@interviews.example",
}

func mustRender(t testing.TB, f Feed, now time.Time) []byte {
	t.Helper()
	body, err := Render(f, now)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	return body
}

// unfold undoes line folding (RFC 5545 §3.1).
func unfold(body []byte) string {
	return strings.ReplaceAll(string(body), "\r\n ", "")
}

// uidsInBody lists the UIDs in body, in order.
func uidsInBody(body []byte) []string {
	var out []string
	for _, l := range strings.Split(unfold(body), "\r\n") {
		if v, ok := strings.CutPrefix(l, "UID:"); ok {
			out = append(out, v)
		}
	}
	return out
}

func TestRenderCalendarProperties(t *testing.T) {
	body := mustRender(t, sampleFeed(), testNow)
	text := unfold(body)
	if !strings.HasPrefix(text, "BEGIN:VCALENDAR\r\n") || !strings.HasSuffix(text, "END:VCALENDAR\r\n") {
		t.Fatalf("not one VCALENDAR:\n%s", text)
	}
	for _, line := range []string{
		"PRODID:" + ProductID,
		"VERSION:2.0",
		"CALSCALE:GREGORIAN",
		"METHOD:PUBLISH",
		"NAME:Interpreter 5521 · interviews",
		"X-WR-CALNAME:Interpreter 5521 · interviews",
		"REFRESH-INTERVAL;VALUE=DURATION:PT1H",
		"X-PUBLISHED-TTL:PT1H",
		// 2027-03-27 08:30 in Helsinki is UTC+2, 2027-03-29 08:30 is UTC+3.
		"DTSTART:20270327T063000Z",
		"DTEND:20270327T083000Z",
		"DTSTART:20270329T053000Z",
		"DTSTAMP:20270318T090000Z", // from Updated, not from now
		"LAST-MODIFIED:20270318T090000Z",
		"SUMMARY:Asylum interview · Arabic (ar-IQ) · on site",
		"SUMMARY:Asylum interview · Arabic (ar-IQ) · remote interpretation",
		"SUMMARY:Asylum interview · Persian (fa-AF) · no interpreter",
		"SUMMARY:Cancelled: Asylum interview · Arabic (ar-IQ) · on site",
		"LOCATION:Helsinki\\, room HEL-R02",
		"LOCATION:Turku\\, room TKU-3",
		"DESCRIPTION:Reference: IV-7Q2K",
		"STATUS:CANCELLED",
		"STATUS:TENTATIVE",
		"TRANSP:OPAQUE",
		"SEQUENCE:3",
	} {
		if !strings.Contains(text, "\r\n"+line+"\r\n") {
			t.Errorf("feed lacks the line %q", line)
		}
	}
	if got := uidsInBody(body); !slices.Equal(got, shownUIDs) {
		t.Errorf("UIDs in feed order = %q, want %q", got, shownUIDs)
	}
	if n := strings.Count(text, "BEGIN:VEVENT\r\n"); n != len(shownUIDs) {
		t.Errorf("%d VEVENTs, want %d", n, len(shownUIDs))
	}
}

func TestRenderWindow(t *testing.T) {
	day := 24 * time.Hour
	base := Event{UID: "u@x", Updated: testNow.Add(-day), Status: StatusConfirmed, Mode: ModeOnsite, Language: "ar"}
	tests := []struct {
		name       string
		start, end time.Time
		status     string
		updated    time.Time
		want       bool
	}{
		{"upcoming", testNow.Add(day), testNow.Add(day + time.Hour), StatusConfirmed, time.Time{}, true},
		{"ended 29 days ago", testNow.Add(-29*day - time.Hour), testNow.Add(-29 * day), StatusConfirmed, time.Time{}, true},
		{"ended exactly 30 days ago", testNow.Add(-30*day - time.Hour), testNow.Add(-30 * day), StatusConfirmed, time.Time{}, false},
		{"ended 31 days ago", testNow.Add(-31*day - time.Hour), testNow.Add(-31 * day), StatusConfirmed, time.Time{}, false},
		{"starts in 179 days", testNow.Add(179 * day), testNow.Add(179*day + time.Hour), StatusConfirmed, time.Time{}, true},
		{"starts in exactly 180 days", testNow.Add(180 * day), testNow.Add(180*day + time.Hour), StatusConfirmed, time.Time{}, false},
		{"cancelled 13 days ago", testNow.Add(day), testNow.Add(day + time.Hour), StatusCancelled, testNow.Add(-13 * day), true},
		{"cancelled exactly 14 days ago", testNow.Add(day), testNow.Add(day + time.Hour), StatusCancelled, testNow.Add(-14 * day), false},
		{"cancelled 15 days ago", testNow.Add(day), testNow.Add(day + time.Hour), StatusCancelled, testNow.Add(-15 * day), false},
		{"tentative", testNow.Add(day), testNow.Add(day + time.Hour), StatusTentative, time.Time{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := base
			e.Start, e.End, e.Status = tt.start, tt.end, tt.status
			if !tt.updated.IsZero() {
				e.Updated = tt.updated
			}
			got := len(uidsInBody(mustRender(t, Feed{Name: "w", Events: []Event{e}}, testNow))) == 1
			if got != tt.want {
				t.Errorf("shown = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRenderRejectsInvalidEvents(t *testing.T) {
	good := sampleBookings()[0].event()
	tests := []struct {
		name string
		edit func(*Event)
		want string
	}{
		{"empty UID", func(e *Event) { e.UID = " " }, "empty UID"},
		{"UID with newline", func(e *Event) { e.UID = "a\nb" }, "control characters"},
		{"negative sequence", func(e *Event) { e.Sequence = -1 }, "negative SEQUENCE"},
		{"no Updated", func(e *Event) { e.Updated = time.Time{} }, "no Updated"},
		{"end before start", func(e *Event) { e.End = e.Start.Add(-time.Minute) }, "not after start"},
		{"zero length", func(e *Event) { e.End = e.Start }, "not after start"},
		{"bad status", func(e *Event) { e.Status = "DONE" }, "status \"DONE\""},
		{"bad mode", func(e *Event) { e.Mode = "video" }, "mode \"video\""},
		{"bad language", func(e *Event) { e.Language = "not a tag!" }, "BCP 47"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := good
			tt.edit(&e)
			_, err := Render(Feed{Name: "x", Events: []Event{e}}, testNow)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one containing %q", err, tt.want)
			}
		})
	}
	t.Run("duplicate UID", func(t *testing.T) {
		_, err := Render(Feed{Name: "x", Events: []Event{good, good}}, testNow)
		if err == nil || !strings.Contains(err.Error(), "appears twice") {
			t.Fatalf("err = %v, want a duplicate-UID error", err)
		}
	})
}

func TestSummaryLocationDescription(t *testing.T) {
	tests := []struct {
		name                        string
		e                           Event
		summary, location, descript string
	}{
		{"on site", Event{Language: "ar-IQ", Mode: ModeOnsite, Status: StatusConfirmed, Office: "Helsinki", Room: "HEL-R02", Reference: "IV-1"},
			"Asylum interview · Arabic (ar-IQ) · on site", "Helsinki, room HEL-R02", "Reference: IV-1"},
		{"remote", Event{Language: "ti", Mode: ModeRemote, Status: StatusConfirmed, Office: "Oulu", Reference: "IV-2", JoinInfo: "https://meet.example/x"},
			"Asylum interview · Tigrinya (ti) · remote interpretation", "Oulu", "Reference: IV-2\nHow to join (remote interpretation): https://meet.example/x"},
		{"join info hidden when on site", Event{Language: "so", Mode: ModeOnsite, Status: StatusConfirmed, Room: "R1", Reference: "IV-3", JoinInfo: "https://meet.example/x"},
			"Asylum interview · Somali (so) · on site", "room R1", "Reference: IV-3"},
		{"no interpreter, no language", Event{Mode: ModeNone, Status: StatusConfirmed, Reference: "IV-4"},
			"Asylum interview · no interpreter", "", "Reference: IV-4"},
		{"cancelled", Event{Language: "fa-AF", Mode: ModeOnsite, Status: StatusCancelled, Office: "Turku", Room: "T3", Reference: "IV-5"},
			"Cancelled: Asylum interview · Persian (fa-AF) · on site", "Turku, room T3", "Reference: IV-5"},
		{"canonical tag", Event{Language: "AR-iq", Mode: ModeOnsite, Status: StatusConfirmed, Reference: "IV-6\r\nx\x00"},
			"Asylum interview · Arabic (ar-IQ) · on site", "", "Reference: IV-6\nx"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.e.Summary(); got != tt.summary {
				t.Errorf("Summary = %q, want %q", got, tt.summary)
			}
			if got := tt.e.Location(); got != tt.location {
				t.Errorf("Location = %q, want %q", got, tt.location)
			}
			if got := tt.e.Description(); got != tt.descript {
				t.Errorf("Description = %q, want %q", got, tt.descript)
			}
		})
	}
}

// TestEventCannotCarryApplicantData pins Event's fields: adding one (say,
// CaseNumber) must be a deliberate privacy decision that changes this test.
func TestEventCannotCarryApplicantData(t *testing.T) {
	var got []string
	typ := reflect.TypeFor[Event]()
	for i := range typ.NumField() {
		got = append(got, typ.Field(i).Name)
	}
	want := []string{"UID", "Sequence", "Updated", "Start", "End", "Status", "Language", "Mode", "Office", "Room", "Reference", "JoinInfo"}
	if !slices.Equal(got, want) {
		t.Fatalf("Event fields = %q, want exactly %q (no applicant name, nationality or case number)", got, want)
	}
	for _, f := range []string{"Name", "Events"} {
		if _, ok := reflect.TypeFor[Feed]().FieldByName(f); !ok {
			t.Errorf("Feed lacks %s", f)
		}
	}
	if n := reflect.TypeFor[Feed]().NumField(); n != 2 {
		t.Errorf("Feed has %d fields, want 2 (Name, Events)", n)
	}
}

// TestFeedNeverContainsApplicantData scans the whole body, folded and
// unfolded, for the case number, the applicant's name and nationality that
// the caller's bookings carry.
func TestFeedNeverContainsApplicantData(t *testing.T) {
	bookings := sampleBookings()
	// The planted values really are in the caller's data.
	if bookings[0].CaseNumber != plantedCase || bookings[0].ApplicantName != plantedApplicant {
		t.Fatal("fixture lost its planted values")
	}
	for _, now := range []time.Time{testNow, testNow.Add(-60 * 24 * time.Hour), testNow.Add(100 * 24 * time.Hour)} {
		body := mustRender(t, sampleFeed(), now)
		for _, text := range []string{string(body), unfold(body)} {
			lower := strings.ToLower(text)
			for _, secret := range []string{plantedCase, plantedApplicant, plantedNationality, "Zaynab", "Haddad", "004711"} {
				if strings.Contains(lower, strings.ToLower(secret)) {
					t.Errorf("feed at %s contains %q", now.Format(time.DateOnly), secret)
				}
			}
		}
	}
}

func TestRenderIsDeterministic(t *testing.T) {
	f := sampleFeed()
	want := mustRender(t, f, testNow)
	rng := rand.New(rand.NewSource(1))
	for i := range 20 {
		g := Feed{Name: f.Name, Events: slices.Clone(f.Events)}
		rng.Shuffle(len(g.Events), func(i, j int) { g.Events[i], g.Events[j] = g.Events[j], g.Events[i] })
		// A later clock that moves no event in or out of the window changes nothing.
		now := testNow.Add(time.Duration(i) * time.Hour)
		if got := mustRender(t, g, now); !bytes.Equal(got, want) {
			t.Fatalf("shuffle %d at %s: bytes differ", i, now)
		}
	}
	// Same start: ordered by UID.
	a := f.Events[0]
	b := a
	a.UID, b.UID = "z@x", "a@x"
	if got := uidsInBody(mustRender(t, Feed{Name: "x", Events: []Event{a, b}}, testNow)); !slices.Equal(got, []string{"a@x", "z@x"}) {
		t.Errorf("same-start order = %q, want by UID", got)
	}
}

func TestRenderLinesAndFolding(t *testing.T) {
	f := sampleFeed()
	long := strings.Repeat("Päijät-Häme · Lahti — ", 12)
	f.Events[0].Office = long
	f.Events[0].Room = strings.Repeat("ℝ", 80) // three octets each
	body := mustRender(t, f, testNow)
	if bytes.Contains(bytes.ReplaceAll(body, []byte("\r\n"), nil), []byte("\n")) || bytes.Contains(bytes.ReplaceAll(body, []byte("\r\n"), nil), []byte("\r")) {
		t.Fatal("a line ends with a bare LF or CR")
	}
	lines := strings.Split(strings.TrimSuffix(string(body), "\r\n"), "\r\n")
	folded := 0
	for i, l := range lines {
		if len(l) > maxLine {
			t.Errorf("line %d is %d octets: %q", i+1, len(l), l)
		}
		if !utf8.ValidString(l) {
			t.Errorf("line %d splits a UTF-8 sequence: %q", i+1, l)
		}
		if strings.HasPrefix(l, " ") {
			folded++
		}
	}
	if folded < 10 {
		t.Errorf("only %d continuation lines; the long location should have needed more", folded)
	}
	want := "LOCATION:" + textValue(long+", room "+strings.Repeat("ℝ", 80))
	if !strings.Contains(unfold(body), "\r\n"+want+"\r\n") {
		t.Errorf("unfolded body lacks %q", want)
	}
}

func TestFold(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"short", "A:b", []string{"A:b"}},
		{"exactly 75", strings.Repeat("x", 75), []string{strings.Repeat("x", 75)}},
		{"76", strings.Repeat("x", 76), []string{strings.Repeat("x", 75), " x"}},
		{"two folds", strings.Repeat("x", 75+74+1), []string{strings.Repeat("x", 75), " " + strings.Repeat("x", 74), " x"}},
		{"multi-byte at the edge", strings.Repeat("x", 74) + "·y", []string{strings.Repeat("x", 74), " ·y"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(fold([]byte(tt.in + "\r\n")))
			want := strings.Join(tt.want, "\r\n") + "\r\n"
			if got != want {
				t.Errorf("fold = %q, want %q", got, want)
			}
		})
	}
}

func TestLastModified(t *testing.T) {
	day := 24 * time.Hour
	f := sampleFeed()
	if got, want := LastModified(f, testNow), testNow.Add(-2*day); !got.Equal(want) {
		t.Errorf("LastModified = %s, want %s (the latest Updated)", got, want)
	}
	// Booking 104 was cancelled at testNow-2d and drops out 14 days later:
	// that changes the feed, so it is the last modification afterwards.
	drop := testNow.Add(-2*day + CancelledKeep)
	const cancelled = "booking-104@interviews.example"
	if !slices.Contains(uidsInBody(mustRender(t, f, drop.Add(-time.Minute))), cancelled) {
		t.Fatal("fixture: the cancelled booking 104 should still be shown just before it drops out")
	}
	if slices.Contains(uidsInBody(mustRender(t, f, drop.Add(time.Minute))), cancelled) {
		t.Fatal("the cancelled booking 104 is still shown after its keep period")
	}
	if got := LastModified(f, drop.Add(time.Hour)); !got.Equal(drop) {
		t.Errorf("after the cancellation dropped out: LastModified = %s, want %s", got, drop)
	}
	// Booking 101 leaves the window 30 days after it ends.
	leave := f.Events[0].End.Add(WindowBack).UTC()
	if got := LastModified(f, leave.Add(-time.Minute)); !got.Before(leave) {
		t.Errorf("before booking 101 left the window: LastModified = %s, want before %s", got, leave)
	}
	if got := LastModified(f, leave.Add(time.Minute)); !got.Equal(leave) {
		t.Errorf("after booking 101 left the window: LastModified = %s, want %s", got, leave)
	}
	// A change stamped in the future has happened by now, not later.
	g := Feed{Name: "x", Events: []Event{f.Events[0]}}
	g.Events[0].Updated = testNow.Add(time.Hour)
	if got := LastModified(g, testNow); !got.Equal(testNow) {
		t.Errorf("future Updated: LastModified = %s, want now %s", got, testNow)
	}
	if got := LastModified(Feed{}, testNow); !got.IsZero() {
		t.Errorf("empty feed: LastModified = %s, want zero", got)
	}
}

func TestRenderGolden(t *testing.T) {
	body := mustRender(t, sampleFeed(), testNow)
	path := filepath.Join("testdata", "feed.golden.ics")
	if *update {
		if err := os.WriteFile(path, body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./calendars -run TestRenderGolden -update)", err)
	}
	if !bytes.Equal(body, want) {
		t.Errorf("rendered feed differs from %s (rerun with -update if the change is intended):\n%s", path, body)
	}
}

func TestETag(t *testing.T) {
	a, b := ETag([]byte("one")), ETag([]byte("two"))
	if a == b {
		t.Fatal("different bodies, same ETag")
	}
	if a != ETag([]byte("one")) {
		t.Fatal("same body, different ETag")
	}
	if !strings.HasPrefix(a, `"sha256-`) || !strings.HasSuffix(a, `"`) || strings.HasPrefix(a, "W/") || len(a) != len(`"sha256-`)+32+1 {
		t.Errorf("ETag %s is not a strong quoted sha256 tag", a)
	}
}
