package i18n

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
	"golang.org/x/text/message"
)

// The staff pages, the portal and the mails write dates, times, numbers,
// money and language names alike, so that a person reads one style in all.
// Every function takes a locale as Normalize does.

var (
	fiWeekdays = [7]string{"su", "ma", "ti", "ke", "to", "pe", "la"}
	svWeekdays = [7]string{"sön", "mån", "tis", "ons", "tors", "fre", "lör"}
	svMonths   = [12]string{"jan.", "feb.", "mars", "apr.", "maj", "juni", "juli", "aug.", "sep.", "okt.", "nov.", "dec."}
)

// FormatDate writes a day: "ma 4.1.2027", "mån 4 jan. 2027", "Mon 4 Jan 2027".
func FormatDate(locale string, t time.Time) string {
	switch Normalize(locale) {
	case "fi":
		return fiWeekdays[t.Weekday()] + " " + t.Format("2.1.2006")
	case "sv":
		return fmt.Sprintf("%s %d %s %d", svWeekdays[t.Weekday()], t.Day(), svMonths[t.Month()-1], t.Year())
	}
	return t.Format("Mon 2 Jan 2006")
}

// FormatClock writes a time of day: "8.30", "08.30", "08:30".
func FormatClock(locale string, t time.Time) string {
	switch Normalize(locale) {
	case "fi":
		return fmt.Sprintf("%d.%02d", t.Hour(), t.Minute())
	case "sv":
		return t.Format("15.04")
	}
	return t.Format("15:04")
}

// FormatWhen writes a moment: "ma 4.1.2027 klo 8.30",
// "mån 4 jan. 2027 kl. 08.30", "Mon 4 Jan 2027, 08:30".
func FormatWhen(locale string, t time.Time) string {
	return FormatDate(locale, t) + clockSep(locale) + FormatClock(locale, t)
}

// FormatSpan writes a start and an end (in one zone): "ma 4.1.2027 klo
// 8.30–11.30" on one day, two moments with " – " between across days.
func FormatSpan(locale string, start, end time.Time) string {
	if !sameDay(start, end) {
		return FormatWhen(locale, start) + " – " + FormatWhen(locale, end)
	}
	return FormatWhen(locale, start) + "–" + FormatClock(locale, end)
}

// clockSep is what stands between a day and its time of day.
func clockSep(locale string) string {
	switch Normalize(locale) {
	case "fi":
		return " klo "
	case "sv":
		return " kl. "
	}
	return ", "
}

// sameDay: end is on start's calendar day (both in the same zone).
func sameDay(start, end time.Time) bool {
	y1, m1, d1 := start.Date()
	y2, m2, d2 := end.Date()
	return y1 == y2 && m1 == m2 && d1 == d2
}

// DayLabel is a day without its year, for a week's columns: "ma 4.1.",
// "mån 4 jan.", "Mon 4 Jan".
func DayLabel(locale string, t time.Time) string {
	switch Normalize(locale) {
	case "fi":
		return fiWeekdays[t.Weekday()] + " " + t.Format("2.1.")
	case "sv":
		full := FormatDate(locale, t)
		return full[:strings.LastIndex(full, " ")]
	}
	return t.Format("Mon 2 Jan")
}

// LongDate is "Monday 4 January 2027" in English, the date of FormatDate
// in the others.
func LongDate(locale string, t time.Time) string {
	if Normalize(locale) == "en" {
		return t.Format("Monday 2 January 2006")
	}
	return FormatDate(locale, t)
}

// tag is the language.Tag of a locale.
func tag(locale string) language.Tag {
	switch Normalize(locale) {
	case "fi":
		return language.Finnish
	case "sv":
		return language.Swedish
	}
	return language.English
}

// Number writes a whole number with the language's grouping: "1 234"
// (with no-break spaces) in Finnish and Swedish, "1,234" in English.
func Number(locale string, n int) string {
	return message.NewPrinter(tag(locale)).Sprintf("%d", n)
}

// Money writes an amount of whole euros: "12 €" in Finnish and Swedish,
// "€12" in English.
func Money(locale string, euros int) string {
	if Normalize(locale) == "en" {
		if euros < 0 {
			return "-€" + Number(locale, -euros)
		}
		return "€" + Number(locale, euros)
	}
	return Number(locale, euros) + " €"
}

// CountWord writes a small count in words in English ("three"), digits
// otherwise and in the other languages.
func CountWord(locale string, n int) string {
	if Normalize(locale) != "en" {
		return strconv.Itoa(n)
	}
	words := []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"}
	if n >= 0 && n < len(words) {
		return words[n]
	}
	return strconv.Itoa(n)
}

// LanguageName is an interview language's name with its tag: "arabia
// (ar-IQ)", "Arabic (ar-IQ)"; the tag alone when CLDR has no name.
func LanguageName(locale, langTag string) string {
	if langTag == "" {
		return ""
	}
	t, err := language.Parse(langTag)
	if err != nil {
		return langTag
	}
	base, _ := t.Base()
	in := tag(locale)
	name := display.Languages(in).Name(base)
	if n, ok := extraLanguageNames[base.String()]; ok {
		name = n[in.String()]
	}
	if name == "" {
		return t.String()
	}
	return name + " (" + t.String() + ")"
}

// LanguageOnly is LanguageName without the tag ("arabia"), for places that
// show the tag apart.
func LanguageOnly(locale, langTag string) string {
	n := LanguageName(locale, langTag)
	if i := strings.LastIndex(n, " ("); i > 0 {
		return n[:i]
	}
	return n
}

// DialectName is a language's name with its dialect's region in words, no
// tag: "arabia (Marokko)", "Arabic (Morocco)" for ar-MA; the language
// alone ("arabia") when the tag names no region.
func DialectName(locale, langTag string) string {
	name := LanguageOnly(locale, langTag)
	t, err := language.Parse(langTag)
	if err != nil {
		return name
	}
	r, conf := t.Region()
	if conf != language.Exact {
		return name
	}
	if rn := display.Regions(tag(locale)).Name(r); rn != "" {
		return name + " (" + rn + ")"
	}
	return name
}

// extraLanguageNames are names CLDR lacks or gives too vaguely (Kurmanji
// and Sorani are both "Kurdish" there), by base language and locale.
var extraLanguageNames = map[string]map[string]string{
	"prs": {"fi": "dari", "sv": "dari", "en": "Dari"},
	"kmr": {"fi": "kurmandži", "sv": "kurmanji", "en": "Kurmanji"},
	"ckb": {"fi": "sorani", "sv": "sorani", "en": "Sorani"},
}
