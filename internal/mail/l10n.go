package mail

import (
	"strings"
	"time"
)

// The portal pages write dates, times and language names as the mails do,
// so that a person reads one style in both.

// FormatWhen writes a moment in the locale's style: "ma 4.1.2027 klo 8.30",
// "mån 4 jan. 2027 kl. 08.30", "Mon 4 Jan 2027, 08:30".
func FormatWhen(locale string, t time.Time) string { return wordsFor(locale).when(t) }

// FormatSpan writes a start and end in the locale's style.
func FormatSpan(locale string, start, end time.Time) string { return wordsFor(locale).span(start, end) }

// LanguageName is an interview language's name in the locale, with its tag:
// "arabia (ar-IQ)".
func LanguageName(locale, tag string) string { return languageName(wordsFor(locale).tag, tag) }

// FormatDate writes a day in the locale's style: "ma 4.1.2027",
// "mån 4 jan. 2027", "Mon 4 Jan 2027".
func FormatDate(locale string, t time.Time) string {
	switch wordsFor(locale) {
	case &finnish:
		return fiWeekdays[t.Weekday()] + " " + t.Format("2.1.2006")
	case &swedish:
		return svDate(t)
	}
	return t.Format("Mon 2 Jan 2006")
}

// FormatClock writes a time of day in the locale's style: "8.30", "08.30",
// "08:30".
func FormatClock(locale string, t time.Time) string {
	switch wordsFor(locale) {
	case &finnish:
		return fiClock(t)
	case &swedish:
		return t.Format("15.04")
	}
	return t.Format("15:04")
}

// LanguageOnly is the name of an interview language's base language in the
// locale, without the tag ("arabia"): for pages that show the tag apart.
func LanguageOnly(locale, tag string) string {
	n := LanguageName(locale, tag)
	if i := strings.LastIndex(n, " ("); i > 0 {
		return n[:i]
	}
	return n
}
