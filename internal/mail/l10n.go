package mail

import "time"

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
