package mail

import (
	"fmt"
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// Kind is what happened to the booking.
type Kind int

// The kinds of change a mail tells about.
const (
	Booked    Kind = iota + 1 // a new booking (iTIP REQUEST)
	Moved                     // the time or place changed (iTIP REQUEST, higher SEQUENCE)
	Cancelled                 // the booking was cancelled (iTIP CANCEL)
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
	Remote     bool           // the recipient joins remotely
	Language   string         // BCP 47 tag of the interview language, e.g. "ar-IQ"
	Mode       string         // ModeOnsite, ModeRemote or ModeNone
	Link       string         // URL of the recipient's portal
	Role       string         // RoleInterpreter, RoleCounsel or RoleRepresentative
}

// Compose returns the subject and text of a mail in locale ("fi", "sv" or
// "en"; any other locale gets English, a tag like "sv-FI" its base language).
// Times are in d.Location, written in the language's own style:
// "ma 4.1.2027 klo 8.30", "mån 4 jan. 2027 kl. 08.30", "Mon 4 Jan 2027, 08:30".
func Compose(k Kind, locale string, d Details) (subject, text string) {
	w := wordsFor(locale)
	loc := d.Location
	if loc == nil {
		loc = time.UTC
	}
	start, end := d.Start.In(loc), d.End.In(loc)
	subject = w.subject[k] + ": " + w.when(start)

	var b strings.Builder
	fmt.Fprintf(&b, w.intro[k], w.role(d.Role))
	b.WriteString("\n\n")
	line := func(label, value string) {
		if value != "" {
			b.WriteString(label + ": " + value + "\n")
		}
	}
	line(w.labelWhen, w.span(start, end)+" ("+zoneName(loc, start)+")")
	line(w.labelWhere, w.where(d))
	line(w.labelLanguage, languageName(w.tag, d.Language))
	line(w.labelMode, w.mode[d.Mode])
	if d.Link != "" {
		b.WriteString("\n")
		if d.Role == RoleInterpreter && k != Cancelled {
			b.WriteString(w.confirm + ": " + d.Link + "\n")
		} else {
			b.WriteString(w.portal + ": " + d.Link + "\n")
		}
	}
	b.WriteString("\n" + w.footer[k] + "\n")
	return subject, b.String()
}

// words is one language's wording.
type words struct {
	tag                                             language.Tag
	subject, intro, footer                          map[Kind]string
	labelWhen, labelWhere, labelLanguage, labelMode string
	remote, room, confirm, portal                   string
	roles, mode                                     map[string]string
	when                                            func(time.Time) string
	span                                            func(start, end time.Time) string
}

func wordsFor(locale string) *words {
	tag, err := language.Parse(locale)
	if err != nil {
		return &english
	}
	switch base, _ := tag.Base(); base.String() {
	case "fi":
		return &finnish
	case "sv":
		return &swedish
	}
	return &english
}

func (w *words) role(r string) string {
	if s, ok := w.roles[r]; ok {
		return s
	}
	return w.roles[""]
}

func (w *words) where(d Details) string {
	if d.Remote {
		return w.remote
	}
	switch {
	case d.Office != "" && d.Room != "":
		return d.Office + ", " + w.room + " " + d.Room
	case d.Room != "":
		return w.room + " " + d.Room
	}
	return d.Office
}

// languageName is "arabia (ar-IQ)": the base language's name in the
// recipient's language and the tag.
func languageName(in language.Tag, tag string) string {
	if tag == "" {
		return ""
	}
	t, err := language.Parse(tag)
	if err != nil {
		return tag
	}
	base, _ := t.Base()
	name := display.Languages(in).Name(base)
	if n, ok := extraLanguageNames[base.String()]; ok {
		name = n[in.String()]
	}
	if name == "" {
		return t.String()
	}
	return name + " (" + t.String() + ")"
}

// extraLanguageNames are names CLDR lacks or gives too vaguely (Kurmanji
// and Sorani are both "Kurdish" there), by base language and locale.
var extraLanguageNames = map[string]map[string]string{
	"prs": {"fi": "dari", "sv": "dari", "en": "Dari"},
	"kmr": {"fi": "kurmandži", "sv": "kurmanji", "en": "Kurmanji"},
	"ckb": {"fi": "sorani", "sv": "sorani", "en": "Sorani"},
}

// zoneName is the zone's IANA name, or its abbreviation when it has none.
func zoneName(loc *time.Location, t time.Time) string {
	if n := loc.String(); n != "" && n != "Local" {
		return n
	}
	abbr, _ := t.Zone()
	return abbr
}

// sameDay: end is on start's calendar day (both in the same zone).
func sameDay(start, end time.Time) bool {
	y1, m1, d1 := start.Date()
	y2, m2, d2 := end.Date()
	return y1 == y2 && m1 == m2 && d1 == d2
}

var finnish = words{
	tag: language.Finnish,
	subject: map[Kind]string{
		Booked: "Turvapaikkapuhuttelu varattu", Moved: "Turvapaikkapuhuttelu siirretty", Cancelled: "Turvapaikkapuhuttelu peruttu",
	},
	intro: map[Kind]string{
		Booked:    "Sinulle on varattu turvapaikkapuhuttelu (roolisi: %s).",
		Moved:     "Turvapaikkapuhuttelusi (roolisi: %s) on siirretty. Uudet tiedot:",
		Cancelled: "Turvapaikkapuhuttelusi (roolisi: %s) on peruttu.",
	},
	footer: map[Kind]string{
		Booked:    "Viestin kalenterikutsu lisää tapahtuman kalenteriisi.",
		Moved:     "Viestin kalenterikutsu päivittää tapahtuman kalenterissasi.",
		Cancelled: "Viestin kalenterikutsu poistaa tapahtuman kalenteristasi.",
	},
	labelWhen: "Aika", labelWhere: "Paikka", labelLanguage: "Kieli", labelMode: "Tulkkaus",
	remote: "etäyhteys", room: "huone",
	confirm: "Vahvista tai peru osallistumisesi portaalissa", portal: "Tiedot portaalissa",
	roles: map[string]string{RoleInterpreter: "tulkki", RoleCounsel: "avustaja", RoleRepresentative: "edustaja", "": "osallistuja"},
	mode:  map[string]string{ModeOnsite: "paikan päällä", ModeRemote: "etätulkkaus", ModeNone: "ei tulkkausta"},
	when:  fiWhen,
	span: func(s, e time.Time) string {
		if sameDay(s, e) {
			return fiWeekdays[s.Weekday()] + " " + s.Format("2.1.2006") + " klo " + fiClock(s) + "–" + fiClock(e)
		}
		return fiWhen(s) + " – " + fiWhen(e)
	},
}

var fiWeekdays = [7]string{"su", "ma", "ti", "ke", "to", "pe", "la"}

func fiWhen(t time.Time) string {
	return fiWeekdays[t.Weekday()] + " " + t.Format("2.1.2006") + " klo " + fiClock(t)
}

// fiClock is "8.30": the hour without a leading zero.
func fiClock(t time.Time) string { return fmt.Sprintf("%d.%02d", t.Hour(), t.Minute()) }

var swedish = words{
	tag: language.Swedish,
	subject: map[Kind]string{
		Booked: "Asylintervju bokad", Moved: "Asylintervju flyttad", Cancelled: "Asylintervju inställd",
	},
	intro: map[Kind]string{
		Booked:    "En asylintervju har bokats för dig (din roll: %s).",
		Moved:     "Din asylintervju (din roll: %s) har flyttats. De nya uppgifterna:",
		Cancelled: "Din asylintervju (din roll: %s) har ställts in.",
	},
	footer: map[Kind]string{
		Booked:    "Kalenderinbjudan i meddelandet lägger till händelsen i din kalender.",
		Moved:     "Kalenderinbjudan i meddelandet uppdaterar händelsen i din kalender.",
		Cancelled: "Kalenderinbjudan i meddelandet tar bort händelsen från din kalender.",
	},
	labelWhen: "Tid", labelWhere: "Plats", labelLanguage: "Språk", labelMode: "Tolkning",
	remote: "på distans", room: "rum",
	confirm: "Bekräfta eller avböj i din portal", portal: "Uppgifter i din portal",
	roles: map[string]string{RoleInterpreter: "tolk", RoleCounsel: "biträde", RoleRepresentative: "företrädare", "": "deltagare"},
	mode:  map[string]string{ModeOnsite: "på plats", ModeRemote: "distanstolkning", ModeNone: "ingen tolkning"},
	when:  svWhen,
	span: func(s, e time.Time) string {
		if sameDay(s, e) {
			return svDate(s) + " kl. " + s.Format("15.04") + "–" + e.Format("15.04")
		}
		return svWhen(s) + " – " + svWhen(e)
	},
}

var (
	svWeekdays = [7]string{"sön", "mån", "tis", "ons", "tors", "fre", "lör"}
	svMonths   = [12]string{"jan.", "feb.", "mars", "apr.", "maj", "juni", "juli", "aug.", "sep.", "okt.", "nov.", "dec."}
)

func svWhen(t time.Time) string { return svDate(t) + " kl. " + t.Format("15.04") }

func svDate(t time.Time) string {
	return fmt.Sprintf("%s %d %s %d", svWeekdays[t.Weekday()], t.Day(), svMonths[t.Month()-1], t.Year())
}

var english = words{
	tag: language.English,
	subject: map[Kind]string{
		Booked: "Asylum interview booked", Moved: "Asylum interview moved", Cancelled: "Asylum interview cancelled",
	},
	intro: map[Kind]string{
		Booked:    "An asylum interview has been booked for you (your role: %s).",
		Moved:     "Your asylum interview (your role: %s) has been moved. The new details:",
		Cancelled: "Your asylum interview (your role: %s) has been cancelled.",
	},
	footer: map[Kind]string{
		Booked:    "The calendar invitation in this message adds the event to your calendar.",
		Moved:     "The calendar invitation in this message updates the event in your calendar.",
		Cancelled: "The calendar invitation in this message removes the event from your calendar.",
	},
	labelWhen: "When", labelWhere: "Where", labelLanguage: "Language", labelMode: "Interpretation",
	remote: "remote", room: "room",
	confirm: "Confirm or decline in your portal", portal: "Details in your portal",
	roles: map[string]string{RoleInterpreter: "interpreter", RoleCounsel: "counsel", RoleRepresentative: "representative", "": "participant"},
	mode:  map[string]string{ModeOnsite: "on site", ModeRemote: "remote interpretation", ModeNone: "no interpreter"},
	when:  enWhen,
	span: func(s, e time.Time) string {
		if sameDay(s, e) {
			return s.Format("Mon 2 Jan 2006, 15:04") + "–" + e.Format("15:04")
		}
		return enWhen(s) + " – " + enWhen(e)
	},
}

func enWhen(t time.Time) string { return t.Format("Mon 2 Jan 2006, 15:04") }
