package mail

import (
	"fmt"
	"time"
)

// ComposeSignin writes the mail with a sign-in link, in the locale: whom it
// is for, the link and until when it works. Nothing else.
func ComposeSignin(locale, name, link string, expires time.Time, loc *time.Location) (subject, text string) {
	if loc == nil {
		loc = time.UTC
	}
	w := wordsFor(locale)
	until := w.when(expires.In(loc))
	switch w.tag.String() {
	case "fi":
		return "Kirjautumislinkki", fmt.Sprintf("Hei %s,\n\nkirjaudu palveluun tästä linkistä:\n%s\n\n"+
			"Linkki toimii kerran ja vanhenee %s. Jos et pyytänyt linkkiä, voit jättää tämän viestin huomiotta.\n", name, link, until)
	case "sv":
		return "Inloggningslänk", fmt.Sprintf("Hej %s,\n\nlogga in med den här länken:\n%s\n\n"+
			"Länken fungerar en gång och går ut %s. Om du inte bad om länken kan du bortse från meddelandet.\n", name, link, until)
	}
	return "Your sign-in link", fmt.Sprintf("Hello %s,\n\nsign in with this link:\n%s\n\n"+
		"The link works once and expires %s. If you did not ask for it, you can ignore this message.\n", name, link, until)
}
