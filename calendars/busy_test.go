package calendars

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/teambition/rrule-go"
)

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func iv(start, end string) Interval { return Interval{ts(start), ts(end)} }

// ics wraps lines (LF-separated, for readability) into a VCALENDAR with CRLF endings.
func ics(body string) []byte {
	lines := []string{"BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN"}
	for _, l := range strings.Split(strings.TrimSpace(body), "\n") {
		lines = append(lines, strings.TrimLeft(l, "\t"))
	}
	lines = append(lines, "END:VCALENDAR")
	return []byte(strings.Join(lines, "\r\n") + "\r\n")
}

func sameIntervals(a, b []Interval) bool {
	return slices.EqualFunc(a, b, func(x, y Interval) bool { return x.Start.Equal(y.Start) && x.End.Equal(y.End) })
}

func fmtIntervals(ivs []Interval) string {
	var b strings.Builder
	for _, iv := range ivs {
		b.WriteString("\n  " + iv.Start.UTC().Format(time.RFC3339) + " – " + iv.End.UTC().Format(time.RFC3339))
	}
	if len(ivs) == 0 {
		b.WriteString(" (none)")
	}
	return b.String()
}

// The brief's fixture: a weekly busy event with an EXDATE and a moved
// occurrence, a New York event and an all-day event, over four weeks.
func TestBusyFixture(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "busy.ics"))
	if err != nil {
		t.Fatal(err)
	}
	from := time.Date(2027, 3, 8, 0, 0, 0, 0, helsinki) // Monday
	to := from.AddDate(0, 0, 28)                        // Monday 2027-04-05 00:00, after the DST change
	got, err := Busy(data, from, to, helsinki)
	if err != nil {
		t.Fatal(err)
	}
	want := []Interval{
		iv("2027-03-08T07:00:00Z", "2027-03-08T09:00:00Z"), // Mon 09:00–11:00 EET
		// Mon 15th: EXDATE.
		iv("2027-03-17T14:00:00Z", "2027-03-17T15:00:00Z"), // 10:00–11:00 in New York (EDT since the 14th)
		// Mon 22nd moved by RECURRENCE-ID to Tue 23rd 14:00–16:00 EET.
		iv("2027-03-23T12:00:00Z", "2027-03-23T14:00:00Z"),
		iv("2027-03-25T22:00:00Z", "2027-03-26T22:00:00Z"), // all day on Friday the 26th, Helsinki
		iv("2027-03-29T06:00:00Z", "2027-03-29T08:00:00Z"), // Mon 09:00–11:00 EEST
	}
	if !sameIntervals(got, want) {
		t.Errorf("Busy =%s\nwant%s", fmtIntervals(got), fmtIntervals(want))
	}
}

func TestBusy(t *testing.T) {
	from, to := ts("2027-03-01T00:00:00Z"), ts("2027-04-01T00:00:00Z")
	newYork := mustLoadLocation("America/New_York")
	outlookZone := `BEGIN:VTIMEZONE
		TZID:FLE Standard Time
		BEGIN:STANDARD
		DTSTART:16010101T040000
		TZOFFSETFROM:+0300
		TZOFFSETTO:+0200
		RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10
		END:STANDARD
		BEGIN:DAYLIGHT
		DTSTART:16010101T030000
		TZOFFSETFROM:+0200
		TZOFFSETTO:+0300
		RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3
		END:DAYLIGHT
		END:VTIMEZONE`
	tests := []struct {
		name string
		doc  []byte
		loc  *time.Location
		want []Interval
	}{
		{"floating time in the given location", ics(`BEGIN:VEVENT
			UID:a
			DTSTART:20270310T120000
			DTEND:20270310T130000
			END:VEVENT`), helsinki,
			[]Interval{iv("2027-03-10T10:00:00Z", "2027-03-10T11:00:00Z")}},
		{"floating time in another location", ics(`BEGIN:VEVENT
			UID:a
			DTSTART:20270310T120000
			DTEND:20270310T130000
			END:VEVENT`), newYork,
			[]Interval{iv("2027-03-10T17:00:00Z", "2027-03-10T18:00:00Z")}},
		{"nil location means UTC", ics(`BEGIN:VEVENT
			UID:a
			DTSTART:20270310T120000
			DTEND:20270310T130000
			END:VEVENT`), nil,
			[]Interval{iv("2027-03-10T12:00:00Z", "2027-03-10T13:00:00Z")}},
		{"DURATION in days is nominal across the DST change", ics(`BEGIN:VEVENT
			UID:a
			DTSTART;TZID=Europe/Helsinki:20270327T120000
			DURATION:P1D
			END:VEVENT`), helsinki,
			[]Interval{iv("2027-03-27T10:00:00Z", "2027-03-28T09:00:00Z")}},
		{"DURATION in hours is exact across the DST change", ics(`BEGIN:VEVENT
			UID:a
			DTSTART;TZID=Europe/Helsinki:20270328T020000
			DURATION:PT3H
			END:VEVENT`), helsinki,
			[]Interval{iv("2027-03-28T00:00:00Z", "2027-03-28T03:00:00Z")}},
		{"daily COUNT", ics(`BEGIN:VEVENT
			UID:a
			DTSTART:20270305T080000Z
			DTEND:20270305T090000Z
			RRULE:FREQ=DAILY;COUNT=3
			END:VEVENT`), helsinki,
			[]Interval{iv("2027-03-05T08:00:00Z", "2027-03-05T09:00:00Z"), iv("2027-03-06T08:00:00Z", "2027-03-06T09:00:00Z"), iv("2027-03-07T08:00:00Z", "2027-03-07T09:00:00Z")}},
		{"UTC UNTIL is inclusive for a TZID'd series", ics(`BEGIN:VEVENT
			UID:a
			DTSTART;TZID=Europe/Helsinki:20270308T090000
			DTEND;TZID=Europe/Helsinki:20270308T100000
			RRULE:FREQ=DAILY;UNTIL=20270310T070000Z
			END:VEVENT`), helsinki,
			[]Interval{iv("2027-03-08T07:00:00Z", "2027-03-08T08:00:00Z"), iv("2027-03-09T07:00:00Z", "2027-03-09T08:00:00Z"), iv("2027-03-10T07:00:00Z", "2027-03-10T08:00:00Z")}},
		{"DATE UNTIL of a DATE-TIME series covers the whole day", ics(`BEGIN:VEVENT
			UID:a
			DTSTART;TZID=Europe/Helsinki:20270308T090000
			DTEND;TZID=Europe/Helsinki:20270308T100000
			RRULE:FREQ=DAILY;UNTIL=20270309
			END:VEVENT`), helsinki,
			[]Interval{iv("2027-03-08T07:00:00Z", "2027-03-08T08:00:00Z"), iv("2027-03-09T07:00:00Z", "2027-03-09T08:00:00Z")}},
		{"weekly series keeps its local time across the DST change", ics(`BEGIN:VEVENT
			UID:a
			DTSTART;TZID=Europe/Helsinki:20270320T083000
			DTEND;TZID=Europe/Helsinki:20270320T093000
			RRULE:FREQ=WEEKLY;COUNT=2
			END:VEVENT`), helsinki,
			[]Interval{iv("2027-03-20T06:30:00Z", "2027-03-20T07:30:00Z"), iv("2027-03-27T06:30:00Z", "2027-03-27T07:30:00Z")}},
		{"RDATE list and EXDATE", ics(`BEGIN:VEVENT
			UID:a
			DTSTART:20270302T100000Z
			DTEND:20270302T110000Z
			RDATE:20270304T100000Z,20270306T100000Z
			EXDATE:20270304T100000Z
			END:VEVENT`), helsinki,
			[]Interval{iv("2027-03-02T10:00:00Z", "2027-03-02T11:00:00Z"), iv("2027-03-06T10:00:00Z", "2027-03-06T11:00:00Z")}},
		{"RDATE periods", ics(`BEGIN:VEVENT
			UID:a
			DTSTART:20270302T100000Z
			DTEND:20270302T110000Z
			RDATE;VALUE=PERIOD:20270309T100000Z/20270309T120000Z,20270310T100000Z/PT30M
			END:VEVENT`), helsinki,
			[]Interval{iv("2027-03-02T10:00:00Z", "2027-03-02T11:00:00Z"), iv("2027-03-09T10:00:00Z", "2027-03-09T12:00:00Z"), iv("2027-03-10T10:00:00Z", "2027-03-10T10:30:00Z")}},
		{"EXDATE in UTC removes an occurrence of a TZID'd series", ics(`BEGIN:VEVENT
			UID:a
			DTSTART;TZID=Europe/Helsinki:20270308T090000
			DTEND;TZID=Europe/Helsinki:20270308T100000
			RRULE:FREQ=WEEKLY;COUNT=3
			EXDATE:20270315T070000Z
			END:VEVENT`), helsinki,
			[]Interval{iv("2027-03-08T07:00:00Z", "2027-03-08T08:00:00Z"), iv("2027-03-22T07:00:00Z", "2027-03-22T08:00:00Z")}},
		{"DATE EXDATE removes that day's occurrence", ics(`BEGIN:VEVENT
			UID:a
			DTSTART;TZID=Europe/Helsinki:20270308T090000
			DTEND;TZID=Europe/Helsinki:20270308T100000
			RRULE:FREQ=DAILY;COUNT=3
			EXDATE;VALUE=DATE:20270309
			END:VEVENT`), helsinki,
			[]Interval{iv("2027-03-08T07:00:00Z", "2027-03-08T08:00:00Z"), iv("2027-03-10T07:00:00Z", "2027-03-10T08:00:00Z")}},
		{"a cancelled override removes its occurrence", ics(`BEGIN:VEVENT
			UID:s
			DTSTART:20270301T100000Z
			DTEND:20270301T110000Z
			RRULE:FREQ=WEEKLY;COUNT=3
			END:VEVENT
			BEGIN:VEVENT
			UID:s
			RECURRENCE-ID:20270308T100000Z
			DTSTART:20270308T100000Z
			DTEND:20270308T110000Z
			STATUS:CANCELLED
			END:VEVENT`), helsinki,
			[]Interval{iv("2027-03-01T10:00:00Z", "2027-03-01T11:00:00Z"), iv("2027-03-15T10:00:00Z", "2027-03-15T11:00:00Z")}},
		{"a transparent override frees its occurrence", ics(`BEGIN:VEVENT
			UID:s
			DTSTART:20270301T100000Z
			DTEND:20270301T110000Z
			RRULE:FREQ=WEEKLY;COUNT=2
			END:VEVENT
			BEGIN:VEVENT
			UID:s
			RECURRENCE-ID:20270308T100000Z
			DTSTART:20270308T100000Z
			DTEND:20270308T110000Z
			TRANSP:TRANSPARENT
			END:VEVENT`), helsinki,
			[]Interval{iv("2027-03-01T10:00:00Z", "2027-03-01T11:00:00Z")}},
		{"an override moves an occurrence from after the window into it", ics(`BEGIN:VEVENT
			UID:s
			DTSTART:20270405T100000Z
			DTEND:20270405T110000Z
			RRULE:FREQ=WEEKLY;COUNT=2
			END:VEVENT
			BEGIN:VEVENT
			UID:s
			RECURRENCE-ID:20270405T100000Z
			DTSTART:20270330T100000Z
			DTEND:20270330T110000Z
			END:VEVENT`), helsinki,
			[]Interval{iv("2027-03-30T10:00:00Z", "2027-03-30T11:00:00Z")}},
		{"an override of another series does not touch this one", ics(`BEGIN:VEVENT
			UID:s
			DTSTART:20270301T100000Z
			DTEND:20270301T110000Z
			END:VEVENT
			BEGIN:VEVENT
			UID:other
			RECURRENCE-ID:20270301T100000Z
			DTSTART:20270302T100000Z
			DTEND:20270302T110000Z
			END:VEVENT`), helsinki,
			[]Interval{iv("2027-03-01T10:00:00Z", "2027-03-01T11:00:00Z"), iv("2027-03-02T10:00:00Z", "2027-03-02T11:00:00Z")}},
		{"multi-day all-day event", ics(`BEGIN:VEVENT
			UID:a
			DTSTART;VALUE=DATE:20270310
			DTEND;VALUE=DATE:20270312
			END:VEVENT`), helsinki,
			[]Interval{iv("2027-03-09T22:00:00Z", "2027-03-11T22:00:00Z")}},
		{"all-day event without DTEND is one day", ics(`BEGIN:VEVENT
			UID:a
			DTSTART;VALUE=DATE:20270310
			END:VEVENT`), newYork,
			[]Interval{iv("2027-03-10T05:00:00Z", "2027-03-11T05:00:00Z")}},
		{"weekly all-day event on the DST day is 23 hours", ics(`BEGIN:VEVENT
			UID:a
			DTSTART;VALUE=DATE:20270321
			DTEND;VALUE=DATE:20270322
			RRULE:FREQ=WEEKLY;COUNT=2
			END:VEVENT`), helsinki,
			[]Interval{iv("2027-03-20T22:00:00Z", "2027-03-21T22:00:00Z"), iv("2027-03-27T22:00:00Z", "2027-03-28T21:00:00Z")}},
		{"DATE-TIME without DTEND takes no time", ics(`BEGIN:VEVENT
			UID:a
			DTSTART:20270310T120000Z
			END:VEVENT`), helsinki, nil},
		{"vendor-prefixed IANA TZID", ics(`BEGIN:VEVENT
			UID:a
			DTSTART;TZID=/freeassociation.sourceforge.net/Tzfile/Europe/Helsinki:20270310T120000
			DTEND;TZID=/freeassociation.sourceforge.net/Tzfile/Europe/Helsinki:20270310T130000
			END:VEVENT`), time.UTC,
			[]Interval{iv("2027-03-10T10:00:00Z", "2027-03-10T11:00:00Z")}},
		{"Outlook VTIMEZONE, either side of the DST change", ics(outlookZone + `
			BEGIN:VEVENT
			UID:a
			DTSTART;TZID="FLE Standard Time":20270322T120000
			DTEND;TZID="FLE Standard Time":20270322T130000
			RRULE:FREQ=WEEKLY;COUNT=2
			END:VEVENT`), time.UTC,
			[]Interval{iv("2027-03-22T10:00:00Z", "2027-03-22T11:00:00Z"), iv("2027-03-29T09:00:00Z", "2027-03-29T10:00:00Z")}},
		{"VTIMEZONE with a fixed offset and an unknown name", ics(`BEGIN:VTIMEZONE
			TZID:Custom India
			BEGIN:STANDARD
			DTSTART:19700101T000000
			TZOFFSETFROM:+0530
			TZOFFSETTO:+0530
			END:STANDARD
			END:VTIMEZONE
			BEGIN:VEVENT
			UID:a
			DTSTART;TZID=Custom India:20270310T120000
			DTEND;TZID=Custom India:20270310T130000
			END:VEVENT`), time.UTC,
			[]Interval{iv("2027-03-10T06:30:00Z", "2027-03-10T07:30:00Z")}},
		{"overlapping and touching events merge", ics(`BEGIN:VEVENT
			UID:a
			DTSTART:20270310T100000Z
			DTEND:20270310T120000Z
			END:VEVENT
			BEGIN:VEVENT
			UID:b
			DTSTART:20270310T110000Z
			DTEND:20270310T130000Z
			END:VEVENT
			BEGIN:VEVENT
			UID:c
			DTSTART:20270310T130000Z
			DTEND:20270310T140000Z
			END:VEVENT
			BEGIN:VEVENT
			UID:d
			DTSTART:20270310T150000Z
			DTEND:20270310T160000Z
			END:VEVENT`), helsinki,
			[]Interval{iv("2027-03-10T10:00:00Z", "2027-03-10T14:00:00Z"), iv("2027-03-10T15:00:00Z", "2027-03-10T16:00:00Z")}},
		{"clipped to the window", ics(`BEGIN:VEVENT
			UID:a
			DTSTART:20270228T220000Z
			DTEND:20270301T020000Z
			END:VEVENT
			BEGIN:VEVENT
			UID:b
			DTSTART:20270331T230000Z
			DTEND:20270401T010000Z
			END:VEVENT`), helsinki,
			[]Interval{iv("2027-03-01T00:00:00Z", "2027-03-01T02:00:00Z"), iv("2027-03-31T23:00:00Z", "2027-04-01T00:00:00Z")}},
		{"tentative, lower-case names, and a transparent one", ics(`begin:vevent
			uid:a
			dtstart;tzid=Europe/Helsinki:20270310T120000
			dtend;tzid=Europe/Helsinki:20270310T130000
			status:tentative
			end:vevent
			BEGIN:VEVENT
			UID:b
			DTSTART:20270311T120000Z
			DTEND:20270311T130000Z
			TRANSP:transparent
			END:VEVENT`), helsinki,
			[]Interval{iv("2027-03-10T10:00:00Z", "2027-03-10T11:00:00Z")}},
		{"a series started long ago", ics(`BEGIN:VEVENT
			UID:a
			DTSTART:19900101T080000Z
			DTEND:19900101T083000Z
			RRULE:FREQ=DAILY;BYMONTHDAY=15
			END:VEVENT`), helsinki,
			[]Interval{iv("2027-03-15T08:00:00Z", "2027-03-15T08:30:00Z")}},
		// BYHOUR limits an HOURLY rule (RFC 5545 §3.3.10): from 22:00 in
		// 5-hour steps the first hours in {2, 7, 12} come 100 and 105 hours
		// later. python-dateutil agrees; ical.js 2.2.1 expands it on the next day.
		{"HOURLY with INTERVAL and BYHOUR", ics(`BEGIN:VEVENT
			UID:a
			DTSTART:20270320T220000Z
			DTEND:20270320T221500Z
			RRULE:FREQ=HOURLY;INTERVAL=5;BYHOUR=2,7,12;COUNT=2
			END:VEVENT`), helsinki,
			[]Interval{iv("2027-03-20T22:00:00Z", "2027-03-20T22:15:00Z"), iv("2027-03-25T02:00:00Z", "2027-03-25T02:15:00Z"), iv("2027-03-25T07:00:00Z", "2027-03-25T07:15:00Z")}},
		{"two RRULEs", ics(`BEGIN:VEVENT
			UID:a
			DTSTART:20270301T080000Z
			DTEND:20270301T090000Z
			RRULE:FREQ=WEEKLY;COUNT=2
			RRULE:FREQ=DAILY;COUNT=2
			END:VEVENT`), helsinki,
			[]Interval{iv("2027-03-01T08:00:00Z", "2027-03-01T09:00:00Z"), iv("2027-03-02T08:00:00Z", "2027-03-02T09:00:00Z"), iv("2027-03-08T08:00:00Z", "2027-03-08T09:00:00Z")}},
		{"alarms and to-dos are ignored", ics(`BEGIN:VTODO
			UID:t
			DTSTART:20270310T100000Z
			DUE:20270310T120000Z
			END:VTODO
			BEGIN:VEVENT
			UID:a
			DTSTART:20270310T100000Z
			DTEND:20270310T110000Z
			BEGIN:VALARM
			ACTION:DISPLAY
			TRIGGER:-PT15M
			END:VALARM
			END:VEVENT`), helsinki,
			[]Interval{iv("2027-03-10T10:00:00Z", "2027-03-10T11:00:00Z")}},
		{"LF line endings, tab-folded lines and a byte order mark", []byte("\xEF\xBB\xBFBEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:a\nDTSTART;TZID=Europe/\n\tHelsinki:20270310T120000\nDTEND;TZID=Europe/Helsinki:2027031\n 0T130000\nEND:VEVENT\nEND:VCALENDAR\n"), time.UTC,
			[]Interval{iv("2027-03-10T10:00:00Z", "2027-03-10T11:00:00Z")}},
		{"two calendars in one stream", append(ics(`BEGIN:VEVENT
			UID:a
			DTSTART:20270310T100000Z
			DTEND:20270310T110000Z
			END:VEVENT`), ics(`BEGIN:VEVENT
			UID:b
			DTSTART:20270311T100000Z
			DTEND:20270311T110000Z
			END:VEVENT`)...), helsinki,
			[]Interval{iv("2027-03-10T10:00:00Z", "2027-03-10T11:00:00Z"), iv("2027-03-11T10:00:00Z", "2027-03-11T11:00:00Z")}},
		{"an empty calendar", ics(``), helsinki, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Busy(tt.doc, from, to, tt.loc)
			if err != nil {
				t.Fatalf("Busy: %v\n%s", err, tt.doc)
			}
			if !sameIntervals(got, tt.want) {
				t.Errorf("Busy =%s\nwant%s", fmtIntervals(got), fmtIntervals(tt.want))
			}
		})
	}
}

func TestBusyErrors(t *testing.T) {
	from, to := ts("2027-03-01T00:00:00Z"), ts("2027-04-01T00:00:00Z")
	event := func(lines string) []byte { return ics("BEGIN:VEVENT\nUID:a\n" + lines + "\nEND:VEVENT") }
	// In event(...) BEGIN:VEVENT is line 4, UID line 5, and the given lines start at line 6.
	tests := []struct {
		name string
		doc  []byte
		want string
	}{
		{"empty document", nil, "line 1: no VCALENDAR"},
		{"not a calendar", []byte("<html>\r\n<body>Sign in</body>\r\n"), "line 1: malformed content line"},
		{"another component at the top", []byte("BEGIN:VCARD\r\nEND:VCARD\r\n"), "line 1: expected BEGIN:VCALENDAR, got BEGIN:VCARD"},
		{"never closed", []byte("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a\r\n"), "line 4: BEGIN:VEVENT on line 3 is never closed"},
		{"END mismatch", []byte("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nEND:VTODO\r\nEND:VCALENDAR\r\n"), "line 4: END:VTODO does not match BEGIN:VEVENT on line 2"},
		{"missing colon", event("DTSTART;TZID=Europe/Helsinki"), "line 6: malformed DTSTART property: missing ':'"},
		{"stray quote in a parameter", event(`DTSTART;TZID=Eur"ope:20270301T100000`), "line 6: malformed TZID parameter of DTSTART: stray double quote"},
		{"unterminated quote", event(`DTSTART;TZID="Europe/Helsinki:20270301T100000`), "line 6: malformed TZID parameter of DTSTART: unterminated quoted value"},
		{"continuation first", []byte(" BEGIN:VCALENDAR\r\n"), "line 1: continuation line with nothing to continue"},
		{"no DTSTART", event("SUMMARY:x"), "line 4: VEVENT has no DTSTART"},
		{"bad DTSTART", event("DTSTART:2027-03-01"), `line 6: DTSTART "2027-03-01" is not a DATE-TIME like 20270327T083000`},
		{"bad date", event("DTSTART;VALUE=DATE:20270230"), `line 6: DTSTART "20270230" is not a DATE like 20270327`},
		{"unknown TZID", event("DTSTART;TZID=Mars/Olympus_Mons:20270301T100000\nDTEND:20270301T110000Z"), `line 6: unknown time zone "Mars/Olympus_Mons"`},
		{"DTEND before DTSTART", event("DTSTART:20270301T100000Z\nDTEND:20270301T090000Z"), "line 7: DTEND is before DTSTART"},
		{"DTEND and DURATION", event("DTSTART:20270301T100000Z\nDTEND:20270301T110000Z\nDURATION:PT1H"), "line 8: VEVENT has both DTEND and DURATION"},
		{"mixed DATE and DATE-TIME", event("DTSTART;VALUE=DATE:20270301\nDTEND:20270301T110000Z"), "line 7: DTEND is a DATE-TIME but DTSTART is a DATE"},
		{"bad duration", event("DTSTART:20270301T100000Z\nDURATION:1 hour"), `line 7: DURATION "1 hour" is not a duration`},
		{"huge duration", event("DTSTART:20270301T100000Z\nDURATION:PT9999999H"), `line 7: DURATION "PT9999999H" is not a duration`},
		{"negative duration", event("DTSTART:20270301T100000Z\nDURATION:-PT1H"), `line 7: DURATION "-PT1H" is negative`},
		{"bad RRULE", event("DTSTART:20270301T100000Z\nDTEND:20270301T110000Z\nRRULE:FREQ=FORTNIGHTLY"), "line 8: RRULE \"FREQ=FORTNIGHTLY\": undefined frequency"},
		{"RRULE out of range", event("DTSTART:20270301T100000Z\nDTEND:20270301T110000Z\nRRULE:FREQ=MONTHLY;BYMONTHDAY=40"), "line 8: RRULE \"FREQ=MONTHLY;BYMONTHDAY=40\": bymonthday must be between 1 and 31"},
		{"BYEASTER is not iCalendar", event("DTSTART:20270301T100000Z\nDTEND:20270301T110000Z\nRRULE:FREQ=YEARLY;BYEASTER=500"), "line 8: RRULE \"FREQ=YEARLY;BYEASTER=500\": BYEASTER is not part of an iCalendar RRULE"},
		{"zero INTERVAL", event("DTSTART:20270301T100000Z\nDTEND:20270301T110000Z\nRRULE:FREQ=DAILY;INTERVAL=0"), "INTERVAL must be between 1 and 10000"},
		{"too dense to expand", event("DTSTART:19700101T000000Z\nDTEND:19700101T000001Z\nRRULE:FREQ=SECONDLY"), "line 8: RRULE \"FREQ=SECONDLY\": FREQ=SECONDLY from 1970-01-01 would take"},
		{"too many times a day", event("DTSTART:20270301T000000Z\nDTEND:20270301T000001Z\nRRULE:FREQ=DAILY;BYHOUR=1,2,3,4,5,6,7,8,9,10,11;BYMINUTE=1,2,3,4,5,6,7,8,9,10"), "more than 100 times a day"},
		{"too long a BY list", event("DTSTART:20270301T000000Z\nDTEND:20270301T000001Z\nRRULE:FREQ=YEARLY;BYYEARDAY=" + numbers(1, 40) + ";BYSETPOS=1"), "BYYEARDAY has more than 32 values"},
		{"too many live rules", ics(strings.Repeat("BEGIN:VEVENT\nUID:r\nDTSTART:20270301T000000Z\nDTEND:20270301T000001Z\nRRULE:FREQ=WEEKLY\nEND:VEVENT\n", maxDocRules+1)), "more than 1000 recurrence rules running in the window"},
		{"bad EXDATE", event("DTSTART:20270301T100000Z\nDTEND:20270301T110000Z\nRRULE:FREQ=DAILY\nEXDATE:tomorrow"), `line 9: EXDATE "tomorrow" is not a DATE like 20270327`},
		{"bad RDATE period", event("DTSTART:20270301T100000Z\nDTEND:20270301T110000Z\nRDATE;VALUE=PERIOD:20270302T100000Z/20270302T090000Z"), "line 8: RDATE period \"20270302T100000Z/20270302T090000Z\" must end with a DATE-TIME after its start"},
		{"bad RECURRENCE-ID", event("RECURRENCE-ID:soon\nDTSTART:20270301T100000Z"), `line 6: RECURRENCE-ID "soon" is not a DATE-TIME`},
		{"VTIMEZONE without offsets", ics("BEGIN:VTIMEZONE\nTZID:X\nBEGIN:STANDARD\nDTSTART:19700101T000000\nEND:STANDARD\nEND:VTIMEZONE\nBEGIN:VEVENT\nUID:a\nDTSTART;TZID=X:20270301T100000\nEND:VEVENT"), "line 6: STANDARD in VTIMEZONE has no TZOFFSETFROM"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Busy(tt.doc, from, to, helsinki)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v\nwant one containing %q\ndocument:\n%s", err, tt.want, tt.doc)
			}
			if got != nil {
				t.Errorf("got intervals %v with an error; a failed import must yield none", got)
			}
		})
	}
	t.Run("window ends before it starts", func(t *testing.T) {
		if _, err := Busy(ics(""), to, from, helsinki); err == nil {
			t.Fatal("no error for an inverted window")
		}
	})
}

func numbers(from, to int) string {
	var p []string
	for i := from; i <= to; i++ {
		p = append(p, strconv.Itoa(i))
	}
	return strings.Join(p, ",")
}

// TestBusyRulesThatNeverMatch: rules that rrule-go would loop on forever
// (a BYHOUR the INTERVAL never reaches) or walk to year 9999 for (no match
// after the window) must come back at once with just their DTSTART.
func TestBusyRulesThatNeverMatch(t *testing.T) {
	from, to := ts("2027-03-01T00:00:00Z"), ts("2027-04-01T00:00:00Z")
	first := []Interval{iv("2027-03-02T00:00:00Z", "2027-03-02T00:30:00Z")}
	tests := []struct {
		rule string
		want []Interval
	}{
		{"FREQ=HOURLY;INTERVAL=6;BYHOUR=3", first},
		{"FREQ=MINUTELY;INTERVAL=2;BYMINUTE=1", first},
		{"FREQ=SECONDLY;INTERVAL=10;BYSECOND=5", first},
		{"FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", first},
		{"FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30", first},
		{"FREQ=WEEKLY;BYDAY=MO;BYSETPOS=2", first},
		{"FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=31", first},
		{"FREQ=DAILY;UNTIL=20270201T000000Z", first}, // ended before the window (DTSTART still counts)
		// Reachable after all: 00:00 + 6h steps hits 18:00.
		{"FREQ=HOURLY;INTERVAL=6;BYHOUR=18;COUNT=2", []Interval{iv("2027-03-02T00:00:00Z", "2027-03-02T00:30:00Z"), iv("2027-03-02T18:00:00Z", "2027-03-02T18:30:00Z"), iv("2027-03-03T18:00:00Z", "2027-03-03T18:30:00Z")}},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			doc := ics("BEGIN:VEVENT\nUID:a\nDTSTART:20270302T000000Z\nDURATION:PT30M\nRRULE:" + tt.rule + "\nEND:VEVENT")
			type result struct {
				ivs []Interval
				err error
			}
			done := make(chan result, 1)
			start := time.Now()
			go func() {
				ivs, err := Busy(doc, from, to, time.UTC)
				done <- result{ivs, err}
			}()
			select {
			case r := <-done:
				if r.err != nil {
					t.Fatal(r.err)
				}
				if !sameIntervals(r.ivs, tt.want) {
					t.Errorf("Busy =%s\nwant%s", fmtIntervals(r.ivs), fmtIntervals(tt.want))
				}
				if d := time.Since(start); d > 2*time.Second {
					t.Errorf("took %s", d)
				}
			case <-time.After(20 * time.Second):
				t.Fatal("Busy did not return within 20s")
			}
		})
	}
}

// TestExpandRRuleMatchesAPlainWalk checks the two shortcuts of expandRRule
// (starting the walk a whole number of intervals later, and the 400-year
// frame shift) against rrule-go walking from DTSTART in the real years.
func TestExpandRRuleMatchesAPlainWalk(t *testing.T) {
	keepFrom, capWall := ts("2027-02-20T00:00:00Z"), ts("2027-05-01T00:00:00Z")
	tests := []struct {
		start string
		rule  string
	}{
		{"2019-01-07T09:00:00Z", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;WKST=SU"},
		{"2019-01-07T09:00:00Z", "FREQ=WEEKLY;INTERVAL=3"},
		{"2020-02-29T08:30:00Z", "FREQ=DAILY;INTERVAL=3"},
		{"2020-02-29T08:30:00Z", "FREQ=DAILY;INTERVAL=7;BYMONTH=3,4"},
		{"2000-01-28T12:00:00Z", "FREQ=MONTHLY;BYDAY=-1FR"},
		{"2026-01-31T12:00:00Z", "FREQ=MONTHLY;BYMONTHDAY=31"},
		{"1971-03-01T00:00:00Z", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1;BYDAY=MO"},
		{"1996-02-29T00:00:00Z", "FREQ=YEARLY;BYYEARDAY=60"}, // Feb 29 in leap years, Mar 1 otherwise
		{"1980-03-06T10:00:00Z", "FREQ=YEARLY;BYWEEKNO=10,12;BYDAY=TH"},
		{"2026-12-31T23:00:00Z", "FREQ=HOURLY;INTERVAL=5;BYHOUR=9,14"},
		{"2027-02-01T00:00:00Z", "FREQ=MINUTELY;INTERVAL=997;BYHOUR=7"},
		{"2021-06-01T06:00:00Z", "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=6,18;BYSETPOS=-1"},
		{"2015-03-10T09:00:00Z", "FREQ=WEEKLY;BYDAY=TU;UNTIL=20270317T090000Z"},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			start := ts(tt.start)
			got, err := expandRRule(tt.rule, start, false, func(u time.Time) time.Time { return u }, keepFrom, capWall, newBudget(), 1)
			if err != nil {
				t.Fatal(err)
			}
			opt, err := rrule.StrToROption(tt.rule)
			if err != nil {
				t.Fatal(err)
			}
			opt.Dtstart = start
			if opt.Until.IsZero() || opt.Until.After(capWall) {
				opt.Until = capWall
			}
			r, err := rrule.NewRRule(*opt)
			if err != nil {
				t.Fatal(err)
			}
			var want []time.Time
			for _, o := range r.All() {
				if !o.Before(keepFrom) {
					want = append(want, o)
				}
			}
			if len(want) == 0 {
				t.Fatal("fixture: the rule should have occurrences in the window")
			}
			if !slices.EqualFunc(got, want, time.Time.Equal) {
				t.Errorf("expandRRule = %v\nplain walk  = %v", got, want)
			}
		})
	}
}

// busySeeds are documents for FuzzBusy's corpus.
func busySeeds() [][]byte {
	seeds := [][]byte{
		ics(`BEGIN:VEVENT
			UID:s
			DTSTART;TZID=Europe/Helsinki:20270301T090000
			DTEND;TZID=Europe/Helsinki:20270301T110000
			RRULE:FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20270501T000000Z
			EXDATE;TZID=Europe/Helsinki:20270315T090000
			RDATE;VALUE=PERIOD:20270309T100000Z/PT1H
			END:VEVENT
			BEGIN:VEVENT
			UID:s
			RECURRENCE-ID;TZID=Europe/Helsinki:20270322T090000
			DTSTART;TZID=Europe/Helsinki:20270323T140000
			DURATION:PT2H
			END:VEVENT`),
		ics(`BEGIN:VTIMEZONE
			TZID:FLE Standard Time
			BEGIN:STANDARD
			DTSTART:16010101T040000
			TZOFFSETFROM:+0300
			TZOFFSETTO:+0200
			RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10
			END:STANDARD
			BEGIN:DAYLIGHT
			DTSTART:16010101T030000
			TZOFFSETFROM:+0200
			TZOFFSETTO:+0300
			RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3
			END:DAYLIGHT
			END:VTIMEZONE
			BEGIN:VEVENT
			UID:a
			DTSTART;TZID="FLE Standard Time":20270322T120000
			DTEND;TZID="FLE Standard Time":20270322T130000
			RRULE:FREQ=MONTHLY;BYDAY=-1FR;BYSETPOS=1
			END:VEVENT`),
		ics(`BEGIN:VEVENT
			UID:d
			DTSTART;VALUE=DATE:20270310
			DTEND;VALUE=DATE:20270312
			RRULE:FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=10;COUNT=5
			EXDATE;VALUE=DATE:20280310
			END:VEVENT`),
	}
	if data, err := os.ReadFile(filepath.Join("testdata", "busy.ics")); err == nil {
		seeds = append(seeds, data)
	}
	return seeds
}

func FuzzBusy(f *testing.F) {
	for _, s := range busySeeds() {
		f.Add(s)
	}
	from, to := ts("2027-03-01T00:00:00Z"), ts("2027-04-01T00:00:00Z")
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := Busy(data, from, to, helsinki)
		if err != nil {
			if got != nil {
				t.Fatalf("intervals with an error: %v", err)
			}
			if !strings.Contains(err.Error(), "line ") {
				t.Fatalf("error without a line number: %v", err)
			}
			return
		}
		for i, iv := range got {
			if !iv.End.After(iv.Start) {
				t.Fatalf("interval %d is empty or inverted: %v", i, iv)
			}
			if iv.Start.Before(from) || iv.End.After(to) {
				t.Fatalf("interval %d %v is outside the window", i, iv)
			}
			if i > 0 && !iv.Start.After(got[i-1].End) {
				t.Fatalf("intervals %d and %d overlap or touch: not merged", i-1, i)
			}
		}
	})
}
