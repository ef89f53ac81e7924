// Package calendars renders the iCalendar feeds that interpreters, interviewers
// and rooms subscribe to, and reads outside busy calendars into busy intervals
// (issue 5). It is pure: no database, no clock of its own (callers pass now),
// and its only I/O (ServeFeed, Fetch) goes through the arguments it is given.
//
// Privacy: an Event carries only an opaque interview reference, the language,
// the place and the time. There is deliberately no field for an applicant's
// name, nationality or case number, so a feed cannot leak them.
package calendars

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/emersion/go-ical"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// Feed window and lifetimes (issue 5 §2).
const (
	// WindowBack is how far back a feed reaches: events that ended longer ago are left out.
	WindowBack = 30 * 24 * time.Hour
	// WindowAhead is how far ahead a feed reaches: events that start later are left out.
	WindowAhead = 180 * 24 * time.Hour
	// CancelledKeep is how long a cancelled event stays in a feed (as STATUS:CANCELLED)
	// after its last change, so that clients see the cancellation before it disappears.
	CancelledKeep = 14 * 24 * time.Hour
)

// ProductID is the feed's PRODID.
const ProductID = "-//Asylum Scheduling//Interview Calendars 1.0//EN"

// Event statuses.
const (
	StatusConfirmed = "CONFIRMED"
	StatusTentative = "TENTATIVE"
	StatusCancelled = "CANCELLED"
)

// Interpretation modes.
const (
	ModeOnsite = "onsite" // the interpreter comes to the office
	ModeRemote = "remote" // the interpreter joins remotely
	ModeNone   = "none"   // no interpreter needed
)

// Event is one booking as it appears in a feed. It has no field for the
// applicant's identity on purpose (see the package comment).
type Event struct {
	UID      string    // stable for the booking's life, e.g. "booking-123@interviews.example"
	Sequence int       // rises on every change
	Updated  time.Time // last change: DTSTAMP and LAST-MODIFIED
	Start    time.Time
	End      time.Time
	Status   string // StatusConfirmed, StatusTentative or StatusCancelled
	Language string // BCP 47 tag, e.g. "ar-IQ"
	Mode     string // ModeOnsite, ModeRemote or ModeNone
	Office   string // office name, e.g. "Helsinki"
	Room     string // room name, e.g. "HEL-R02"
	// Reference is the opaque interview reference, never the case number.
	Reference string
	// JoinInfo tells a remote interpreter how to join; only shown when Mode is ModeRemote.
	JoinInfo string
}

// Feed is one owner's calendar: an interpreter, an interviewer, a room or an office.
type Feed struct {
	Name   string // calendar name shown by clients (NAME, X-WR-CALNAME)
	Events []Event
}

// Render encodes the feed as an RFC 5545 calendar. now only decides which
// events are in the window (see WindowBack, WindowAhead, CancelledKeep); the
// same events in the same window always yield the same bytes, whatever their
// order in f.Events. Every event is validated, in the window or not.
//
// Lines end in CRLF and are folded at 75 octets, never inside a UTF-8 sequence.
// An empty feed is still a valid calendar.
func Render(f Feed, now time.Time) ([]byte, error) {
	seen := make(map[string]bool, len(f.Events))
	var shown []Event
	for i := range f.Events {
		e := &f.Events[i]
		if err := e.validate(); err != nil {
			return nil, err
		}
		if seen[e.UID] {
			return nil, fmt.Errorf("calendars: event %q appears twice in feed %q", e.UID, f.Name)
		}
		seen[e.UID] = true
		if e.inWindow(now) {
			shown = append(shown, *e)
		}
	}
	slices.SortFunc(shown, func(a, b Event) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return strings.Compare(a.UID, b.UID)
	})

	var raw bytes.Buffer
	raw.Grow(256 + 640*len(shown))
	raw.WriteString("BEGIN:VCALENDAR\r\n")
	writeProp(&raw, ical.PropProductID, "", textValue(ProductID))
	writeProp(&raw, ical.PropVersion, "", "2.0")
	writeProp(&raw, ical.PropCalendarScale, "", "GREGORIAN")
	writeProp(&raw, ical.PropMethod, "", "PUBLISH")
	writeProp(&raw, ical.PropName, "", textValue(f.Name))
	writeProp(&raw, "X-WR-CALNAME", "", textValue(f.Name))
	writeProp(&raw, ical.PropRefreshInterval, ";VALUE=DURATION", "PT1H")
	writeProp(&raw, "X-PUBLISHED-TTL", "", "PT1H")
	// go-ical refuses to encode a VCALENDAR without components, so the calendar's
	// own lines are written above and go-ical encodes each VEVENT on its own.
	enc := ical.NewEncoder(&raw)
	labels := map[string]string{} // language tag → "Arabic (ar-IQ)", looked up once per render
	for i := range shown {
		if err := enc.Encode(&ical.Calendar{Component: shown[i].component(labels)}); err != nil {
			return nil, fmt.Errorf("calendars: event %q: %w", shown[i].UID, err)
		}
	}
	raw.WriteString("END:VCALENDAR\r\n")
	return fold(raw.Bytes()), nil
}

// LastModified is the last time at or before now at which the rendered feed
// changed: the latest Updated, or the latest moment an event entered or left
// the window or a cancelled event dropped out, whichever is later. Pass the
// same events as to Render, including those that have recently left the window
// (for example every booking that ended in the last 60 days), so that their
// leaving counts as a change. Zero when nothing ever changed before now.
func LastModified(f Feed, now time.Time) time.Time {
	var last time.Time
	seen := func(t time.Time) {
		if !t.After(now) && t.After(last) {
			last = t
		}
	}
	for _, e := range f.Events {
		if e.Updated.After(now) {
			seen(now) // a change stamped in the future has happened by now
		} else {
			seen(e.Updated)
		}
		seen(e.Start.Add(-WindowAhead)) // entered the window
		seen(e.End.Add(WindowBack))     // left the window
		if e.Status == StatusCancelled {
			seen(e.Updated.Add(CancelledKeep)) // dropped out
		}
	}
	return last.Truncate(time.Second)
}

func (e *Event) inWindow(now time.Time) bool {
	if !e.End.After(now.Add(-WindowBack)) || !e.Start.Before(now.Add(WindowAhead)) {
		return false
	}
	if e.Status == StatusCancelled && !now.Before(e.Updated.Add(CancelledKeep)) {
		return false
	}
	return true
}

func (e *Event) validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("calendars: event %q: %s", e.UID, fmt.Sprintf(format, args...))
	}
	switch {
	case strings.TrimSpace(e.UID) == "":
		return bad("empty UID")
	case strings.IndexFunc(e.UID, unicode.IsControl) >= 0 || !utf8.ValidString(e.UID):
		return bad("UID has control characters or invalid UTF-8")
	case e.Sequence < 0:
		return bad("negative SEQUENCE %d", e.Sequence)
	case e.Updated.IsZero():
		return bad("no Updated time (DTSTAMP must come from the last change, not from now)")
	case e.Start.IsZero() || e.End.IsZero():
		return bad("no start or end")
	case !e.End.After(e.Start):
		return bad("end %s is not after start %s", e.End.Format(time.RFC3339), e.Start.Format(time.RFC3339))
	}
	switch e.Status {
	case StatusConfirmed, StatusTentative, StatusCancelled:
	default:
		return bad("status %q is not CONFIRMED, TENTATIVE or CANCELLED", e.Status)
	}
	switch e.Mode {
	case ModeOnsite, ModeRemote, ModeNone:
	default:
		return bad("mode %q is not onsite, remote or none", e.Mode)
	}
	if e.Language != "" {
		if _, err := language.Parse(e.Language); err != nil {
			return bad("language %q is not a BCP 47 tag: %v", e.Language, err)
		}
	}
	return nil
}

// component builds the VEVENT. go-ical sorts the properties by name, which
// keeps the output deterministic.
func (e *Event) component(labels map[string]string) *ical.Component {
	c := &ical.Component{Name: ical.CompEvent, Props: make(ical.Props, 12)}
	set := func(name, value string) { c.Props[name] = []ical.Prop{{Name: name, Value: value}} }
	set(ical.PropUID, textValue(e.UID))
	set(ical.PropSequence, strconv.Itoa(e.Sequence))
	set(ical.PropDateTimeStamp, utcValue(e.Updated))
	set(ical.PropLastModified, utcValue(e.Updated))
	set(ical.PropDateTimeStart, utcValue(e.Start))
	set(ical.PropDateTimeEnd, utcValue(e.End))
	set(ical.PropStatus, e.Status)
	label, ok := labels[e.Language]
	if !ok && e.Language != "" {
		label = languageLabel(e.Language)
		labels[e.Language] = label
	}
	set(ical.PropSummary, textValue(e.summary(label)))
	if loc := e.Location(); loc != "" {
		set(ical.PropLocation, textValue(loc))
	}
	set(ical.PropDescription, textValue(e.Description()))
	transp := "OPAQUE"
	if e.Status == StatusCancelled {
		transp = "TRANSPARENT" // a cancelled interview blocks nobody's time
	}
	set(ical.PropTransparency, transp)
	return c
}

// Summary is the event's title: "Asylum interview · Arabic (ar-IQ) · on site".
// Cancelled events are prefixed "Cancelled: ", because several clients show a
// STATUS:CANCELLED event of a subscribed calendar like any other.
func (e *Event) Summary() string {
	label := ""
	if e.Language != "" {
		label = languageLabel(e.Language)
	}
	return e.summary(label)
}

func (e *Event) summary(languageLabel string) string {
	parts := []string{"Asylum interview"}
	if languageLabel != "" {
		parts = append(parts, languageLabel)
	}
	switch e.Mode {
	case ModeOnsite:
		parts = append(parts, "on site")
	case ModeRemote:
		parts = append(parts, "remote interpretation")
	case ModeNone:
		parts = append(parts, "no interpreter")
	}
	s := strings.Join(parts, " · ")
	if e.Status == StatusCancelled {
		s = "Cancelled: " + s
	}
	return clean(s)
}

// Location is "Helsinki, room HEL-R02" (or whichever of the two is known).
func (e *Event) Location() string {
	office, room := clean(e.Office), clean(e.Room)
	switch {
	case office != "" && room != "":
		return office + ", room " + room
	case room != "":
		return "room " + room
	default:
		return office
	}
}

// Description holds the opaque reference and, for remote interpretation, how to join.
func (e *Event) Description() string {
	var b strings.Builder
	b.WriteString("Reference: ")
	b.WriteString(clean(e.Reference))
	if j := clean(e.JoinInfo); e.Mode == ModeRemote && j != "" {
		b.WriteString("\nHow to join (remote interpretation): ")
		b.WriteString(j)
	}
	return b.String()
}

// languageLabel is "Arabic (ar-IQ)": the English name of the base language and
// the canonical tag.
func languageLabel(tag string) string {
	t, err := language.Parse(tag)
	if err != nil {
		return clean(tag)
	}
	base, _ := t.Base()
	name := display.English.Languages().Name(base)
	if name == "" {
		return t.String()
	}
	return name + " (" + t.String() + ")"
}

// clean drops what an iCalendar TEXT value cannot carry: invalid UTF-8 and
// control characters other than line feeds (CRLF and lone CR become LF).
func clean(s string) string {
	if isPlain(s) {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
}

// isPlain: printable ASCII, nothing to clean.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// textValue escapes a TEXT value (RFC 5545 §3.3.11) after cleaning it:
// backslash, semicolon and comma get a backslash, a line feed becomes \n.
func textValue(s string) string {
	s = clean(s)
	if !strings.ContainsAny(s, "\\;,\n") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\', ';', ',':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// utcValue is a UTC DATE-TIME value, e.g. 20270327T063000Z.
func utcValue(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

func writeProp(b *bytes.Buffer, name, params, value string) {
	b.WriteString(name)
	b.WriteString(params)
	b.WriteByte(':')
	b.WriteString(value)
	b.WriteString("\r\n")
}

// maxLine is the longest a content line may be, in octets, without its CRLF (RFC 5545 §3.1).
const maxLine = 75

// fold folds every CRLF-terminated line longer than maxLine octets: CRLF and a
// space go in front of the octet that would be the 76th, moved back so that a
// UTF-8 sequence is never split.
func fold(raw []byte) []byte {
	out := make([]byte, 0, len(raw)+len(raw)/maxLine*3+3)
	for len(raw) > 0 {
		i := bytes.Index(raw, []byte("\r\n"))
		if i < 0 {
			i = len(raw)
		}
		line := raw[:i]
		room := maxLine
		for len(line) > room {
			cut := room
			for cut > room-utf8.UTFMax && !utf8.RuneStart(line[cut]) {
				cut--
			}
			out = append(out, line[:cut]...)
			out = append(out, "\r\n "...)
			line = line[cut:]
			room = maxLine - 1 // the leading space counts
		}
		out = append(out, line...)
		out = append(out, "\r\n"...)
		raw = raw[min(i+2, len(raw)):]
	}
	return out
}
