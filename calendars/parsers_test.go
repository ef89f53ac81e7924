package calendars

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/asylum-scheduling/interviews/calendars/calendarstest"
)

// Real third-party parsers, run on every feed the tests render:
// Python's icalendar and Mozilla's ical.js (package calendarstest).
// scripts/ensure-calendar-parsers.sh installs both; without them these tests
// fail (they never skip).

// parseAll parses body with every parser and checks the calendar-level properties.
func parseAll(t *testing.T, body []byte, calName string) map[string]calendarstest.Dump {
	t.Helper()
	out := calendarstest.ParseAll(t, body)
	for name, d := range out {
		if d.CalendarName != calName || d.Name != calName {
			t.Errorf("%s: X-WR-CALNAME %q, NAME %q, want %q", name, d.CalendarName, d.Name, calName)
		}
		if d.Version != "2.0" || d.Method != "PUBLISH" || d.RefreshInterval != "PT1H" || d.PublishedTTL != "PT1H" {
			t.Errorf("%s: VERSION %q METHOD %q REFRESH-INTERVAL %q X-PUBLISHED-TTL %q", name, d.Version, d.Method, d.RefreshInterval, d.PublishedTTL)
		}
	}
	return out
}

func TestThirdPartyParsersReadTheFeed(t *testing.T) {
	f := sampleFeed()
	body := mustRender(t, f, testNow)
	// What each parser must see, worked out by hand (not from the renderer).
	want := map[string]calendarstest.Event{
		"booking-101@interviews.example": {Sequence: 1, Status: "CONFIRMED", DTStamp: "2027-03-18T09:00:00Z",
			Start: "2027-03-27T06:30:00Z", End: "2027-03-27T08:30:00Z", // 08:30 EET (UTC+2)
			Summary: "Asylum interview · Arabic (ar-IQ) · on site", Location: "Helsinki, room HEL-R02",
			Description: "Reference: IV-7Q2K", Transp: "OPAQUE"},
		"booking-102@interviews.example": {Sequence: 1, Status: "CONFIRMED", DTStamp: "2027-03-18T09:00:00Z",
			Start: "2027-03-29T05:30:00Z", End: "2027-03-29T07:30:00Z", // 08:30 EEST (UTC+3), after the change
			Summary: "Asylum interview · Arabic (ar-IQ) · remote interpretation", Location: "Helsinki, room HEL-R02",
			Description: "Reference: IV-8P3M\nHow to join (remote interpretation): https://meet.example/j/4821 · PIN 5521 — join ten minutes early; phone backup +358 9 123 4567",
			Transp:      "OPAQUE"},
		"booking-103@interviews.example": {Sequence: 1, Status: "CONFIRMED", DTStamp: "2027-03-18T09:00:00Z",
			Start: "2027-04-02T10:00:00Z", End: "2027-04-02T12:00:00Z",
			Summary: "Asylum interview · Persian (fa-AF) · no interpreter", Location: "Turku, room TKU-3",
			Description: "Reference: IV-2D9X", Transp: "OPAQUE"},
		"booking-104@interviews.example": {Sequence: 3, Status: "CANCELLED", DTStamp: "2027-03-18T09:00:00Z",
			Start: "2027-03-30T09:00:00Z", End: "2027-03-30T11:00:00Z",
			Summary: "Cancelled: Asylum interview · Arabic (ar-IQ) · on site", Location: "Helsinki, room HEL-R02",
			Description: "Reference: IV-5K1R", Transp: "TRANSPARENT"},
		"booking-108@interviews.example": {Sequence: 1, Status: "TENTATIVE", DTStamp: "2027-03-18T09:00:00Z",
			Start: "2027-04-07T07:00:00Z", End: "2027-04-07T09:00:00Z",
			Summary: "Asylum interview · Somali (so) · on site", Location: "Helsinki, room HEL-R02",
			Description: "Reference: IV-HOLD", Transp: "OPAQUE"},
	}
	for parser, d := range parseAll(t, body, f.Name) {
		got := d.ByUID(t)
		if len(d.Events) != len(want) {
			t.Errorf("%s: %d events, want %d", parser, len(d.Events), len(want))
		}
		for uid, w := range want {
			g, ok := got[uid]
			if !ok {
				t.Errorf("%s: event %s missing", parser, uid)
				continue
			}
			w.UID = uid
			if g != w {
				t.Errorf("%s: event %s\n got %+v\nwant %+v", parser, uid, g, w)
			}
		}
	}
}

func TestThirdPartyParsersSeeAReschedule(t *testing.T) {
	f := sampleFeed()
	before := mustRender(t, f, testNow)
	// Reschedule booking 101 to the next day, an hour later; the workflow bumps SEQUENCE.
	f.Events[0].Start = at(helsinki, 2027, 3, 28, 9, 30) // now EEST
	f.Events[0].End = at(helsinki, 2027, 3, 28, 11, 30)
	f.Events[0].Sequence++
	f.Events[0].Updated = testNow.Add(-time.Minute)
	after := mustRender(t, f, testNow)
	if bytes.Equal(before, after) {
		t.Fatal("reschedule did not change the feed")
	}
	uid := "booking-101@interviews.example"
	v1, v2 := parseAll(t, before, f.Name), parseAll(t, after, f.Name)
	for parser := range v1 {
		a, b := v1[parser].ByUID(t)[uid], v2[parser].ByUID(t)[uid]
		if a.UID != uid || b.UID != uid {
			t.Fatalf("%s: UID not stable: %q then %q", parser, a.UID, b.UID)
		}
		if b.Sequence <= a.Sequence {
			t.Errorf("%s: SEQUENCE %d then %d, want it to rise", parser, a.Sequence, b.Sequence)
		}
		if a.Start != "2027-03-27T06:30:00Z" || b.Start != "2027-03-28T06:30:00Z" || b.End != "2027-03-28T08:30:00Z" {
			t.Errorf("%s: start %s → %s (end %s), want 06:30Z on the 27th → 06:30Z on the 28th (09:30 EEST)", parser, a.Start, b.Start, b.End)
		}
		if b.DTStamp != "2027-03-20T08:59:00Z" || a.DTStamp >= b.DTStamp {
			t.Errorf("%s: DTSTAMP %s → %s, want it to follow the change", parser, a.DTStamp, b.DTStamp)
		}
		if len(v2[parser].Events) != len(v1[parser].Events) {
			t.Errorf("%s: %d events after the reschedule, %d before", parser, len(v2[parser].Events), len(v1[parser].Events))
		}
	}
}

func TestThirdPartyParsersCancelledThenGone(t *testing.T) {
	f := sampleFeed()
	uid := "booking-104@interviews.example"
	cancelledAt := f.Events[3].Updated
	if f.Events[3].UID != uid || f.Events[3].Status != StatusCancelled {
		t.Fatal("fixture: event 3 should be the cancelled booking 104")
	}
	for _, tt := range []struct {
		now     time.Time
		present bool
	}{
		{cancelledAt.Add(time.Hour), true},
		{cancelledAt.Add(CancelledKeep - time.Second), true},
		{cancelledAt.Add(CancelledKeep), false},
		{cancelledAt.Add(CancelledKeep + 24*time.Hour), false},
	} {
		body := mustRender(t, f, tt.now)
		for parser, d := range parseAll(t, body, f.Name) {
			e, ok := d.ByUID(t)[uid]
			if ok != tt.present {
				t.Errorf("%s at %s: present = %v, want %v", parser, tt.now.Format(time.RFC3339), ok, tt.present)
			}
			if ok && e.Status != "CANCELLED" {
				t.Errorf("%s: STATUS %q, want CANCELLED", parser, e.Status)
			}
			if _, ok := d.ByUID(t)["booking-101@interviews.example"]; !ok {
				t.Errorf("%s at %s: a confirmed booking vanished too", parser, tt.now.Format(time.RFC3339))
			}
		}
	}
}

func TestThirdPartyParsersReadAnEmptyFeed(t *testing.T) {
	body := mustRender(t, Feed{Name: "Room HEL-R02"}, testNow)
	if strings.Contains(string(body), "VEVENT") {
		t.Fatalf("empty feed has an event:\n%s", body)
	}
	for parser, d := range parseAll(t, body, "Room HEL-R02") {
		if len(d.Events) != 0 {
			t.Errorf("%s: %d events in an empty feed", parser, len(d.Events))
		}
	}
	// A feed whose every event is out of the window is just as valid.
	f := sampleFeed()
	far := testNow.Add(2 * 365 * 24 * time.Hour)
	for parser, d := range parseAll(t, mustRender(t, f, far), f.Name) {
		if len(d.Events) != 0 {
			t.Errorf("%s: %d events two years later", parser, len(d.Events))
		}
	}
}

func TestThirdPartyParsersReadFoldedMultiByteText(t *testing.T) {
	f := sampleFeed()
	f.Events[1].JoinInfo = strings.Repeat("Liity · присоединиться · انضم — ", 8)
	f.Events[1].Office = strings.Repeat("ℝ", 40) + "; Päijät-Häme, Lahti"
	body := mustRender(t, f, testNow)
	uid := f.Events[1].UID
	for parser, d := range parseAll(t, body, f.Name) {
		e := d.ByUID(t)[uid]
		if want := f.Events[1].Description(); e.Description != want {
			t.Errorf("%s: DESCRIPTION\n got %q\nwant %q", parser, e.Description, want)
		}
		if want := f.Events[1].Location(); e.Location != want {
			t.Errorf("%s: LOCATION\n got %q\nwant %q", parser, e.Location, want)
		}
		if !slices.ContainsFunc(d.Events, func(e calendarstest.Event) bool { return e.UID == "booking-108@interviews.example" }) {
			t.Errorf("%s: lost the event after the long one", parser)
		}
	}
}

// TestThirdPartyParsersCatchBrokenFeeds shows that the checks above can fail:
// the parsers reject a truncated feed, and a line folded without its leading
// space is either rejected or read as a different description.
func TestThirdPartyParsersCatchBrokenFeeds(t *testing.T) {
	body := mustRender(t, sampleFeed(), testNow)
	truncated := body[:bytes.LastIndex(body, []byte("END:VCALENDAR"))]
	i := bytes.Index(body, []byte("\r\n //meet.example"))
	if i < 0 {
		t.Fatal("fixture: expected the join link of booking 102 to be folded")
	}
	badFold := slices.Concat(body[:i+2], body[i+3:])
	want := sampleFeed().Events[1].Description()
	for _, p := range calendarstest.Require(t) {
		if _, err := p.Parse(truncated); err == nil {
			t.Errorf("%s accepted a feed without END:VCALENDAR", p.Name)
		}
		d, err := p.Parse(badFold)
		if err != nil {
			continue
		}
		for _, e := range d.Events {
			if e.UID == "booking-102@interviews.example" && e.Description == want {
				t.Errorf("%s read a broken fold as if it were right", p.Name)
			}
		}
	}
}

// TestBusyAgreesWithICALJS expands testdata/recurrences.ics (weekly with
// EXDATEs, a moved and a cancelled occurrence, a monthly rule in an Outlook
// VTIMEZONE, a New York series with DURATION, an hourly rule across the DST
// change) with Busy and with ical.js's own recurrence expansion.
func TestBusyAgreesWithICALJS(t *testing.T) {
	calendarstest.Require(t)
	data, err := os.ReadFile(filepath.Join("testdata", "recurrences.ics"))
	if err != nil {
		t.Fatal(err)
	}
	from, to := ts("2027-03-01T00:00:00Z"), ts("2027-05-01T00:00:00Z")
	got, err := Busy(data, from, to, helsinki)
	if err != nil {
		t.Fatal(err)
	}

	root, err := calendarstest.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	script, _ := filepath.Abs(filepath.Join("testdata", "icaljs_expand.mjs"))
	cmd := exec.Command("node", script)
	cmd.Env = append(os.Environ(), "ICALJS_DIR="+filepath.Join(root, ".cache", "icaljs"),
		"FROM="+from.Format(time.RFC3339), "TO="+to.Format(time.RFC3339))
	cmd.Stdin = bytes.NewReader(data)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("ical.js: %v\n%s", err, stderr.String())
	}
	var pairs [][2]string
	if err := json.Unmarshal(out, &pairs); err != nil {
		t.Fatalf("ical.js printed %q: %v", out, err)
	}
	var theirs []Interval
	for _, p := range pairs {
		theirs = append(theirs, iv(p[0], p[1]))
	}
	want := mergeIntervals(theirs, from, to)
	if len(want) < 30 {
		t.Fatalf("fixture: ical.js found only %d intervals", len(want))
	}
	if !sameIntervals(got, want) {
		t.Errorf("Busy =%s\nical.js =%s", fmtIntervals(got), fmtIntervals(want))
	}
}
