package mail

import (
	"time"

	"github.com/asylum-scheduling/interviews/internal/i18n"
)

// ComposeSignin writes the mail with a sign-in link, in the locale: whom it
// is for, the link and until when it works. Nothing else.
func ComposeSignin(locale, name, link string, expires time.Time, loc *time.Location) (subject, text string) {
	if loc == nil {
		loc = time.UTC
	}
	l := i18n.Normalize(locale)
	until := i18n.FormatWhen(l, expires.In(loc))
	return i18n.Mail.T(l, "signin.subject"), i18n.Mail.T(l, "signin.text", name, link, until)
}
