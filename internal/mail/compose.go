package mail

import (
	"strings"
	"time"

	"github.com/asylum-scheduling/interviews/internal/i18n"
)

// Kind is what happened to the booking.
type Kind int

// The kinds of change a mail tells about.
const (
	Booked    Kind = iota + 1 // a new booking (iTIP REQUEST)
	Moved                     // the time or place changed (iTIP REQUEST, higher SEQUENCE)
	Cancelled                 // the agency cancelled the booking (iTIP CANCEL)
	// Requested asks an interpreter to take an assignment by Details.AnswerDue,
	// with links to confirm and to decline (iTIP REQUEST, tentative).
	Requested
	// Confirmed tells an interpreter their yes is recorded (iTIP REQUEST,
	// the same event confirmed and accepted).
	Confirmed
	// Released tells an interpreter they no longer have the assignment:
	// they declined or stepped aside, or the time to answer passed
	// (iTIP CANCEL). Not the agency's cancellation.
	Released
	// Reminder reminds of a booking some hours before it (a text without
	// an invitation: the calendar already has the event).
	Reminder
)

// Why an interpreter was released (Details.Released).
const (
	ReleasedDeclined     = "declined"      // they declined the request
	ReleasedSteppedAside = "stepped_aside" // they stepped aside after confirming
	ReleasedExpired      = "expired"       // the time to answer passed
)

// Roles of a recipient.
const (
	RoleInterpreter    = "interpreter"
	RoleCounsel        = "counsel"
	RoleRepresentative = "representative"
)

// Interpretation modes, as in calendars.Event.Mode.
const (
	ModeOnsite = "onsite"
	ModeRemote = "remote"
	ModeNone   = "none"
)

// Details is what a mail may say about the interview. There is deliberately
// no field for the applicant, the case or any reference.
type Details struct {
	Start, End time.Time
	Location   *time.Location // the times are shown in this zone; nil is UTC
	Office     string         // e.g. "Helsinki"; empty when remote
	Room       string         // e.g. "HEL-R02"; empty when remote
	Address    string         // the office's street address, e.g. "Kauppakatu 1, 00100 Helsinki"
	Remote     bool           // the recipient joins remotely
	// MeetingLink is how to join remotely; shown only when Remote (those
	// who come to the office are not sent it).
	MeetingLink string
	Language    string // BCP 47 tag of the interview language, e.g. "ar-IQ"
	Mode        string // ModeOnsite, ModeRemote or ModeNone
	Link        string // URL of the recipient's portal (or of the assignment)
	Role        string // RoleInterpreter, RoleCounsel or RoleRepresentative
	// AnswerDue is when a Requested interpreter must answer; ConfirmLink
	// and DeclineLink open the assignment with the one button.
	AnswerDue                time.Time
	ConfirmLink, DeclineLink string
	// Released is why a Released interpreter was released: ReleasedDeclined,
	// ReleasedSteppedAside or ReleasedExpired.
	Released string
	// Summons is the summons number a counsel's mails name (the portal
	// shows it too), so that a counsel with several clients can tell the
	// summons apart; empty for interpreters. It is no case reference.
	Summons string
}

// Compose returns the subject and text of a mail in locale ("fi", "sv" or
// "en"; any other locale gets English, a tag like "sv-FI" its base language).
// The wording is the catalog's (internal/i18n, domain "mail"). Times are in
// d.Location, written in the language's own style:
// "ma 4.1.2027 klo 8.30", "mån 4 jan. 2027 kl. 08.30", "Mon 4 Jan 2027, 08:30".
func Compose(k Kind, locale string, d Details) (subject, text string) {
	l := i18n.Normalize(locale)
	t := func(key string, args ...any) string { return i18n.Mail.T(l, key, args...) }
	loc := d.Location
	if loc == nil {
		loc = time.UTC
	}
	start, end := d.Start.In(loc), d.End.In(loc)
	subject = t("subject."+k.key()) + ": " + i18n.FormatWhen(l, start)
	if d.Summons != "" {
		subject += " · " + t("label.summons") + " " + d.Summons
	}

	var b strings.Builder
	b.WriteString(intro(l, k, d, loc))
	b.WriteString("\n\n")
	line := func(label, value string) {
		if value != "" {
			b.WriteString(label + ": " + value + "\n")
		}
	}
	line(t("label.summons"), d.Summons)
	line(t("label.when"), i18n.FormatSpan(l, start, end)+" ("+zoneName(loc, start)+")")
	line(t("label.where"), where(l, d))
	line(t("label.language"), i18n.LanguageName(l, d.Language))
	if mode, ok := i18n.Mail.Lookup(l, "mode."+d.Mode); ok {
		line(t("label.mode"), mode)
	}
	if d.Remote {
		line(t("label.meeting"), d.MeetingLink)
	}
	b.WriteString("\n")
	if k == Requested && d.ConfirmLink != "" && d.DeclineLink != "" {
		line(t("link.answer_confirm"), d.ConfirmLink)
		line(t("link.answer_decline"), d.DeclineLink)
		b.WriteString("\n")
	} else if d.Link != "" {
		line(t("link.portal"), d.Link)
		b.WriteString("\n")
	}
	b.WriteString(t("footer."+k.key()) + "\n")
	return subject, b.String()
}

// intro is the mail's first sentence: what it is.
func intro(l string, k Kind, d Details, loc *time.Location) string {
	switch k {
	case Requested:
		return i18n.Mail.T(l, "intro.requested", i18n.FormatWhen(l, d.AnswerDue.In(loc)))
	case Confirmed:
		return i18n.Mail.T(l, "intro.confirmed")
	case Released:
		why := d.Released
		if why != ReleasedSteppedAside && why != ReleasedExpired {
			why = ReleasedDeclined
		}
		return i18n.Mail.T(l, "intro.released."+why)
	}
	return i18n.Mail.T(l, "intro."+k.key(), i18n.Mail.T(l, "role."+roleKey(d.Role)))
}

// key is the kind's part of its catalog keys ("subject.booked").
func (k Kind) key() string {
	switch k {
	case Booked:
		return "booked"
	case Moved:
		return "moved"
	case Requested:
		return "requested"
	case Confirmed:
		return "confirmed"
	case Released:
		return "released"
	case Reminder:
		return "reminder"
	}
	return "cancelled"
}

// roleKey is the catalog's "role." key of a recipient's role.
func roleKey(r string) string {
	switch r {
	case RoleInterpreter, RoleCounsel, RoleRepresentative:
		return r
	}
	return "participant"
}

// where is the place in words: remote, or the office, the room and the
// street address.
func where(l string, d Details) string {
	if d.Remote {
		return i18n.Mail.T(l, "where.remote")
	}
	var parts []string
	if d.Office != "" {
		parts = append(parts, d.Office)
	}
	if d.Room != "" {
		parts = append(parts, i18n.Mail.T(l, "where.room")+" "+d.Room)
	}
	if d.Address != "" {
		parts = append(parts, d.Address)
	}
	return strings.Join(parts, ", ")
}

// Invitation returns the calendar invitation's texts in locale, as the
// mail's text words them: the SUMMARY ("Pyyntö: Turvapaikkapuhuttelu ·
// dari (prs) · etätulkkaus"), the LOCATION (the office, the room and the
// street address, or remote and the meeting link) and the DESCRIPTION
// (what the mail is, and its links).
func Invitation(k Kind, locale string, d Details) (summary, location, description string) {
	l := i18n.Normalize(locale)
	t := func(key string, args ...any) string { return i18n.Mail.T(l, key, args...) }
	loc := d.Location
	if loc == nil {
		loc = time.UTC
	}
	parts := []string{t("ics.title")}
	if name := i18n.LanguageName(l, d.Language); name != "" {
		parts = append(parts, name)
	}
	if mode, ok := i18n.Mail.Lookup(l, "mode."+d.Mode); ok {
		parts = append(parts, mode)
	}
	summary = strings.Join(parts, " · ")
	if prefix, ok := i18n.Mail.Lookup(l, "ics.prefix."+k.key()); ok {
		summary = prefix + ": " + summary
	}
	location = where(l, d)
	if d.Remote && d.MeetingLink != "" {
		location += ": " + d.MeetingLink
	}
	lines := []string{intro(l, k, d, loc)}
	if d.Summons != "" {
		lines = append(lines, t("label.summons")+": "+d.Summons)
	}
	if k == Requested && d.ConfirmLink != "" && d.DeclineLink != "" {
		lines = append(lines, t("link.answer_confirm")+": "+d.ConfirmLink, t("link.answer_decline")+": "+d.DeclineLink)
	} else if d.Link != "" {
		lines = append(lines, t("link.portal")+": "+d.Link)
	}
	if d.Remote && d.MeetingLink != "" {
		lines = append(lines, t("label.meeting")+": "+d.MeetingLink)
	}
	return summary, location, strings.Join(lines, "\n")
}

// zoneName is the zone's IANA name, or its abbreviation when it has none.
func zoneName(loc *time.Location, t time.Time) string {
	if n := loc.String(); n != "" && n != "Local" {
		return n
	}
	abbr, _ := t.Zone()
	return abbr
}
