package calendars

import (
	"bytes"
	"fmt"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/emersion/go-ical"
)

// iTIP methods an invitation may carry (RFC 5546 §3.2).
const (
	MethodRequest = "REQUEST" // a booking or a move: create or update the event
	MethodCancel  = "CANCEL"  // a cancellation: remove the event
)

// Address is a calendar user: the organiser or an attendee of an invitation.
type Address struct {
	Name  string // display name, e.g. "Asylum interview scheduling"; may be empty
	Email string // bare addr-spec, e.g. "interpreter@example.org"
}

// Attendee participation statuses (RFC 5545 §3.2.12) an invitation gives.
const (
	PartstatNeedsAction = "NEEDS-ACTION" // asked, not answered
	PartstatAccepted    = "ACCEPTED"     // the attendee has said yes
)

// Invitation is one iTIP message (RFC 5546) to one attendee, for iMIP
// (RFC 6047). Render encodes it.
type Invitation struct {
	Method              string // MethodRequest or MethodCancel
	Event               Event
	Organizer, Attendee Address
	// Partstat is the attendee's PARTSTAT: PartstatNeedsAction (the
	// default) while they have not answered, PartstatAccepted after.
	Partstat string
	// Summary, Location and Description are the texts in the attendee's
	// language. Empty: the feed's English SUMMARY and LOCATION, and a
	// DESCRIPTION that only says how to join a remote interview.
	Summary, Location, Description string
	// URL is the meeting link of an attendee who joins remotely (an https
	// URL; empty: none): the event's URL property.
	URL string
	Now time.Time // DTSTAMP
}

// RenderInvitation encodes one iTIP message with the feed's English texts
// and the attendee's PARTSTAT NEEDS-ACTION (see Invitation.Render).
func RenderInvitation(method string, e Event, organizer, attendee Address, now time.Time) ([]byte, error) {
	return Invitation{Method: method, Event: e, Organizer: organizer, Attendee: attendee, Now: now}.Render()
}

// Render encodes the invitation: a VCALENDAR with METHOD (MethodRequest or
// MethodCancel) and one VEVENT that has the feed's UID and SEQUENCE, so
// that a calendar program updates the very event a feed shows, plus
// ORGANIZER, one ATTENDEE (with PARTSTAT and RSVP=FALSE: answers are given
// through the mail's links, not by a calendar program's reply, which
// nobody reads) and DTSTAMP = Now.
//
// A REQUEST refuses a cancelled event; a CANCEL always says STATUS:CANCELLED.
// Unlike the feed, the invitation leaves out the interview reference: a mail
// carries no reference of any kind. Lines end in CRLF and are folded like
// the feed's.
func (inv Invitation) Render() ([]byte, error) {
	e, method, now := inv.Event, inv.Method, inv.Now
	if err := e.validate(); err != nil {
		return nil, err
	}
	switch method {
	case MethodRequest:
		if e.Status == StatusCancelled {
			return nil, fmt.Errorf("calendars: event %q is cancelled: send METHOD:CANCEL, not REQUEST", e.UID)
		}
	case MethodCancel:
		e.Status = StatusCancelled
	default:
		return nil, fmt.Errorf("calendars: iTIP method %q is not REQUEST or CANCEL", method)
	}
	partstat := inv.Partstat
	switch partstat {
	case "":
		partstat = PartstatNeedsAction
	case PartstatNeedsAction, PartstatAccepted:
	default:
		return nil, fmt.Errorf("calendars: PARTSTAT %q is not NEEDS-ACTION or ACCEPTED", partstat)
	}
	if now.IsZero() {
		return nil, fmt.Errorf("calendars: event %q: no DTSTAMP time", e.UID)
	}
	org, err := calAddress("organizer", inv.Organizer)
	if err != nil {
		return nil, err
	}
	att, err := calAddress("attendee", inv.Attendee)
	if err != nil {
		return nil, err
	}

	c := invitationEvent(&e, now)
	set := func(name, value string) {
		if value = clean(value); value != "" {
			c.Props[name] = []ical.Prop{{Name: name, Value: textValue(value)}}
		}
	}
	set(ical.PropSummary, inv.Summary)
	set(ical.PropLocation, inv.Location)
	set(ical.PropDescription, inv.Description)
	if inv.URL != "" {
		u, err := url.Parse(inv.URL)
		if err != nil || u.Scheme != "https" || u.Host == "" || strings.ContainsFunc(inv.URL, unicode.IsControl) {
			return nil, fmt.Errorf("calendars: event %q: the meeting link is not an https URL", e.UID)
		}
		c.Props[ical.PropURL] = []ical.Prop{{Name: ical.PropURL, Value: u.String()}}
	}
	org.Name = ical.PropOrganizer
	c.Props[ical.PropOrganizer] = []ical.Prop{org}
	att.Name = ical.PropAttendee
	att.Params.Set(ical.ParamRole, "REQ-PARTICIPANT")
	att.Params.Set(ical.ParamParticipationStatus, partstat)
	att.Params.Set(ical.ParamRSVP, "FALSE")
	c.Props[ical.PropAttendee] = []ical.Prop{att}

	var raw bytes.Buffer
	raw.Grow(1024)
	raw.WriteString("BEGIN:VCALENDAR\r\n")
	writeProp(&raw, ical.PropProductID, "", textValue(ProductID))
	writeProp(&raw, ical.PropVersion, "", "2.0")
	writeProp(&raw, ical.PropCalendarScale, "", "GREGORIAN")
	writeProp(&raw, ical.PropMethod, "", method)
	if err := ical.NewEncoder(&raw).Encode(&ical.Calendar{Component: c}); err != nil {
		return nil, fmt.Errorf("calendars: invitation for %q: %w", e.UID, err)
	}
	raw.WriteString("END:VCALENDAR\r\n")
	return fold(raw.Bytes()), nil
}

// invitationEvent is the feed's VEVENT with DTSTAMP = now (when the message is
// made, RFC 5546 §2.1.5) and a DESCRIPTION without the interview reference.
func invitationEvent(e *Event, now time.Time) *ical.Component {
	c := e.component(map[string]string{})
	c.Props[ical.PropDateTimeStamp] = []ical.Prop{{Name: ical.PropDateTimeStamp, Value: utcValue(now)}}
	delete(c.Props, ical.PropDescription)
	if j := clean(e.JoinInfo); e.Mode == ModeRemote && j != "" {
		d := "How to join (remote interpretation): " + j
		c.Props[ical.PropDescription] = []ical.Prop{{Name: ical.PropDescription, Value: textValue(d)}}
	}
	return c
}

// calAddress checks a and returns its property: value mailto:…, parameter CN
// when a has a name.
func calAddress(role string, a Address) (ical.Prop, error) {
	addr, err := mail.ParseAddress(a.Email)
	if err != nil || addr.Address != a.Email || addr.Name != "" || strings.ContainsAny(a.Email, " \t\r\n\"<>") {
		return ical.Prop{}, fmt.Errorf("calendars: %s e-mail %q is not a bare address", role, a.Email)
	}
	p := ical.Prop{Params: ical.Params{}, Value: "mailto:" + a.Email}
	if cn := paramText(a.Name); cn != "" {
		p.Params.Set(ical.ParamCommonName, cn)
	}
	return p, nil
}

// paramText makes s fit a parameter value (RFC 5545 §3.1): no control
// characters and no double quotes (go-ical quotes values with ; : or ,).
func paramText(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '\n', '\t':
			return ' '
		case '"':
			return '\''
		}
		return r
	}, clean(s))
	return strings.TrimSpace(s)
}

// UIDDomain ends every event UID: "booking-123@" + UIDDomain. It is fixed,
// not a host name, so that a UID stays the same whichever address a feed or
// a mail came from.
const UIDDomain = "interviews.asylum-scheduling"

// BookingUID is the UID of a booking's event in feeds and invitations.
func BookingUID(id int64) string { return "booking-" + strconv.FormatInt(id, 10) + "@" + UIDDomain }
