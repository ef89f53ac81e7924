package web

import (
	"fmt"
	"net/http"
	"sort"
	"strings"

	"golang.org/x/text/language"
)

// portalLocales are the languages of the portal, the first the default.
var portalLocales = []string{"fi", "sv", "en"}

// portalText is the portal's wording per locale. Every key must exist in
// every locale (a test checks): a page never shows a key or a blank.
var portalText = map[string]map[string]string{
	"fi": {
		"pat.title": "Viikoittainen saatavuus", "pat.lead": "Tunnit, joina voit ottaa toimeksiantoja, viikonpäivittäin. Tyhjä päivä: et ole käytettävissä. Tallennus korvaa saatavuutesi ensimmäisestä päivästä alkaen.",
		"pat.from": "Ensimmäinen päivä", "pat.until": "Viimeinen päivä", "pat.start": "alkaen", "pat.end": "asti", "pat.save": "Tallenna saatavuus",
		"pat.exceptions": "Poikkeukset", "pat.exc.lead": "Päivä, jonka tunnit poikkeavat (tyhjät tunnit: et ole käytettävissä).", "pat.date": "Päivä",
		"day.0": "maanantai", "day.1": "tiistai", "day.2": "keskiviikko", "day.3": "torstai", "day.4": "perjantai", "day.5": "lauantai", "day.6": "sunnuntai",
		"done.pattern": "Saatavuus tallennettu.",
		"brand":        "Turvapaikkapuhuttelut", "skip": "Siirry sisältöön", "lang": "Kieli", "signout": "Kirjaudu ulos",
		"signin.title": "Kirjaudu", "signin.lead": "Tulkit, avustajat ja edustajat kirjautuvat sähköpostiin lähetettävällä linkillä.",
		"signin.email": "Sähköpostiosoite", "signin.send": "Lähetä kirjautumislinkki",
		"signin.sent": "Jos osoite on rekisterissämme, siihen on lähetetty kirjautumislinkki. Linkki toimii kerran ja 15 minuutin ajan.",
		"signin.link": "Kirjaudu tästä", "signin.link.lead": "Jatka kirjautumista painamalla painiketta.", "signin.go": "Kirjaudu sisään",
		"signin.bad": "Linkki on jo käytetty tai vanhentunut. Pyydä uusi linkki.", "signin.again": "Pyydä uusi linkki",
		"nav.assignments": "Toimeksiannot", "nav.availability": "Saatavuus", "nav.summons": "Kutsut",
		"as.title": "Tulkkaustoimeksiannot", "as.upcoming": "Tulevat", "as.past": "Menneet", "as.none": "Ei toimeksiantoja.",
		"as.when": "Aika", "as.where": "Paikka", "as.language": "Kieli", "as.duration": "Kesto", "as.status": "Tila",
		"as.minutes": "%d min", "as.remote": "etänä", "as.due": "Vastaa viimeistään %s",
		"as.confirm": "Vahvista", "as.decline": "Kieltäydy", "as.reason": "Syy",
		"as.stepaside":       "Vetäydy toimeksiannosta",
		"reason.unavailable": "En ole käytettävissä", "reason.conflict_of_interest": "Esteellisyys (tunnen hakijan)",
		"reason.other": "Muu syy", "reason.stepped_aside": "Vetäydyin paikan päällä", "reason.expired": "Ei vastausta ajoissa",
		"status.requested": "Odottaa vastaustasi", "status.confirmed": "Vahvistettu", "status.declined": "Kieltäydytty",
		"status.expired": "Vanhentunut", "status.cancelled": "Peruttu", "status.completed": "Pidetty", "status.active": "Voimassa",
		"mode.onsite": "paikan päällä", "mode.remote": "etänä", "mode.none": "ei tulkkia",
		"done.confirmed": "Toimeksianto vahvistettu.", "done.declined": "Kieltäytyminen kirjattu. Toimeksianto on poistettu kalenteristasi.",
		"done.absence": "Poissaolo tallennettu.", "done.absence_deleted": "Poissaolo poistettu.", "done.acknowledged": "Kutsu kuitattu.",
		"done.change": "Pyyntö uudesta ajasta lähetetty. Virkailija ottaa yhteyttä.", "done.feed": "Uusi kalenterilinkki luotu.",
		"av.title": "Saatavuus ja poissaolot", "av.lead": "Ajat, joina et voi ottaa toimeksiantoja. Muutokset otetaan huomioon heti.",
		"av.start": "Alkaa", "av.end": "Päättyy", "av.add": "Lisää poissaolo", "av.delete": "Poista", "av.none": "Ei poissaoloja.",
		"feed.title": "Kalenterilinkki", "feed.lead": "Tilaa toimeksiantosi kalenteriohjelmaasi. Uusi linkki korvaa vanhan.",
		"feed.make": "Luo uusi kalenterilinkki", "feed.url": "Kalenterilinkkisi (näytetään vain nyt)",
		"su.title": "Päämiestesi kutsut", "su.none": "Ei kutsuja.", "su.case": "Asia", "su.ack": "Kuittaa",
		"su.acked": "Kuitattu %s", "su.change": "Pyydä uutta aikaa", "su.reason": "Syy", "su.dates": "Päivät, joina et pääse (VVVV-KK-PP)",
		"su.asked": "Uutta aikaa pyydetty: %s", "su.send": "Lähetä pyyntö",
		"err.title": "Virhe", "notfound": "Sivua ei löydy.",
	},
	"sv": {
		"pat.title": "Tillgänglighet per vecka", "pat.lead": "Timmar då du kan ta uppdrag, per veckodag. Tom dag: du är inte tillgänglig. Att spara ersätter din tillgänglighet från första dagen.",
		"pat.from": "Första dag", "pat.until": "Sista dag", "pat.start": "från", "pat.end": "till", "pat.save": "Spara tillgänglighet",
		"pat.exceptions": "Undantag", "pat.exc.lead": "En dag med andra timmar (tomma timmar: inte tillgänglig).", "pat.date": "Dag",
		"day.0": "måndag", "day.1": "tisdag", "day.2": "onsdag", "day.3": "torsdag", "day.4": "fredag", "day.5": "lördag", "day.6": "söndag",
		"done.pattern": "Tillgängligheten är sparad.",
		"brand":        "Asylintervjuer", "skip": "Till innehållet", "lang": "Språk", "signout": "Logga ut",
		"signin.title": "Logga in", "signin.lead": "Tolkar, biträden och företrädare loggar in med en länk som skickas per e-post.",
		"signin.email": "E-postadress", "signin.send": "Skicka inloggningslänk",
		"signin.sent": "Om adressen finns hos oss har en inloggningslänk skickats dit. Länken fungerar en gång i 15 minuter.",
		"signin.link": "Logga in här", "signin.link.lead": "Fortsätt inloggningen med knappen.", "signin.go": "Logga in",
		"signin.bad": "Länken har redan använts eller gått ut. Be om en ny länk.", "signin.again": "Be om en ny länk",
		"nav.assignments": "Uppdrag", "nav.availability": "Tillgänglighet", "nav.summons": "Kallelser",
		"as.title": "Tolkuppdrag", "as.upcoming": "Kommande", "as.past": "Tidigare", "as.none": "Inga uppdrag.",
		"as.when": "Tid", "as.where": "Plats", "as.language": "Språk", "as.duration": "Längd", "as.status": "Status",
		"as.minutes": "%d min", "as.remote": "på distans", "as.due": "Svara senast %s",
		"as.confirm": "Bekräfta", "as.decline": "Tacka nej", "as.reason": "Orsak",
		"as.stepaside":       "Dra dig ur uppdraget",
		"reason.unavailable": "Jag är inte tillgänglig", "reason.conflict_of_interest": "Jäv (jag känner sökanden)",
		"reason.other": "Annan orsak", "reason.stepped_aside": "Drog mig ur på plats", "reason.expired": "Inget svar i tid",
		"status.requested": "Väntar på ditt svar", "status.confirmed": "Bekräftat", "status.declined": "Nej tack",
		"status.expired": "Utgånget", "status.cancelled": "Inställt", "status.completed": "Hållet", "status.active": "Gäller",
		"mode.onsite": "på plats", "mode.remote": "på distans", "mode.none": "ingen tolk",
		"done.confirmed": "Uppdraget är bekräftat.", "done.declined": "Ditt nej är registrerat. Uppdraget är borttaget ur din kalender.",
		"done.absence": "Frånvaron är sparad.", "done.absence_deleted": "Frånvaron är borttagen.", "done.acknowledged": "Kallelsen är kvitterad.",
		"done.change": "Begäran om ny tid är skickad. En handläggare tar kontakt.", "done.feed": "En ny kalenderlänk har skapats.",
		"av.title": "Tillgänglighet och frånvaro", "av.lead": "Tider då du inte kan ta uppdrag. Ändringar gäller genast.",
		"av.start": "Börjar", "av.end": "Slutar", "av.add": "Lägg till frånvaro", "av.delete": "Ta bort", "av.none": "Ingen frånvaro.",
		"feed.title": "Kalenderlänk", "feed.lead": "Prenumerera på dina uppdrag i ditt kalenderprogram. En ny länk ersätter den gamla.",
		"feed.make": "Skapa en ny kalenderlänk", "feed.url": "Din kalenderlänk (visas bara nu)",
		"su.title": "Dina klienters kallelser", "su.none": "Inga kallelser.", "su.case": "Ärende", "su.ack": "Kvittera",
		"su.acked": "Kvitterad %s", "su.change": "Be om en annan tid", "su.reason": "Orsak", "su.dates": "Dagar du inte kan (ÅÅÅÅ-MM-DD)",
		"su.asked": "Ny tid begärd: %s", "su.send": "Skicka begäran",
		"err.title": "Fel", "notfound": "Sidan finns inte.",
	},
	"en": {
		"pat.title": "Weekly availability", "pat.lead": "The hours you can take assignments, per weekday. An empty day: not available. Saving replaces your availability from the first day on.",
		"pat.from": "First day", "pat.until": "Last day", "pat.start": "from", "pat.end": "to", "pat.save": "Save availability",
		"pat.exceptions": "Exceptions", "pat.exc.lead": "A day with other hours (empty hours: not available).", "pat.date": "Day",
		"day.0": "Monday", "day.1": "Tuesday", "day.2": "Wednesday", "day.3": "Thursday", "day.4": "Friday", "day.5": "Saturday", "day.6": "Sunday",
		"done.pattern": "Availability saved.",
		"brand":        "Asylum interviews", "skip": "Skip to the content", "lang": "Language", "signout": "Sign out",
		"signin.title": "Sign in", "signin.lead": "Interpreters, counsels and representatives sign in with a link sent by e-mail.",
		"signin.email": "E-mail address", "signin.send": "Send me a sign-in link",
		"signin.sent": "If we know the address, a sign-in link is on its way to it. The link works once, for 15 minutes.",
		"signin.link": "Sign in here", "signin.link.lead": "Continue signing in with the button.", "signin.go": "Sign in",
		"signin.bad": "This link has been used or has expired. Ask for a new one.", "signin.again": "Ask for a new link",
		"nav.assignments": "Assignments", "nav.availability": "Availability", "nav.summons": "Summons",
		"as.title": "Interpreting assignments", "as.upcoming": "Upcoming", "as.past": "Past", "as.none": "No assignments.",
		"as.when": "When", "as.where": "Where", "as.language": "Language", "as.duration": "Duration", "as.status": "Status",
		"as.minutes": "%d min", "as.remote": "remote", "as.due": "Answer by %s",
		"as.confirm": "Confirm", "as.decline": "Decline", "as.reason": "Reason",
		"as.stepaside":       "Step aside from this assignment",
		"reason.unavailable": "I am not available", "reason.conflict_of_interest": "Conflict of interest (I know the applicant)",
		"reason.other": "Another reason", "reason.stepped_aside": "Stepped aside on the day", "reason.expired": "No answer in time",
		"status.requested": "Waiting for your answer", "status.confirmed": "Confirmed", "status.declined": "Declined",
		"status.expired": "Expired", "status.cancelled": "Cancelled", "status.completed": "Held", "status.active": "Valid",
		"mode.onsite": "on site", "mode.remote": "remote", "mode.none": "no interpreter",
		"done.confirmed": "Assignment confirmed.", "done.declined": "Your answer is recorded. The assignment is removed from your calendar.",
		"done.absence": "Absence saved.", "done.absence_deleted": "Absence removed.", "done.acknowledged": "Summons acknowledged.",
		"done.change": "Your request for another time is sent. A clerk will be in touch.", "done.feed": "A new calendar link is made.",
		"av.title": "Availability and absences", "av.lead": "Times when you cannot take assignments. Changes count at once.",
		"av.start": "Starts", "av.end": "Ends", "av.add": "Add an absence", "av.delete": "Remove", "av.none": "No absences.",
		"feed.title": "Calendar link", "feed.lead": "Subscribe to your assignments in your calendar program. A new link replaces the old one.",
		"feed.make": "Make a new calendar link", "feed.url": "Your calendar link (shown only now)",
		"su.title": "Your clients' summons", "su.none": "No summons.", "su.case": "Case", "su.ack": "Acknowledge",
		"su.acked": "Acknowledged %s", "su.change": "Ask for another time", "su.reason": "Reason", "su.dates": "Days you cannot attend (YYYY-MM-DD)",
		"su.asked": "Another time asked for: %s", "su.send": "Send the request",
		"err.title": "Error", "notfound": "There is no such page.",
	},
}

// tr returns the wording of key in locale, formatted with args.
func tr(locale, key string, args ...any) string {
	s, ok := portalText[locale][key]
	if !ok {
		s = portalText["en"][key]
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

var portalMatcher = language.NewMatcher([]language.Tag{language.Finnish, language.Swedish, language.English})

// portalLocale picks the page's language: a valid ?lang, the cookie the
// switch set, the signed-in person's locale, then the browser's.
func portalLocale(r *http.Request, personal string) string {
	for _, l := range []string{r.URL.Query().Get("lang"), cookieValue(r, portalLangCookie), personal} {
		if valid(l) {
			return l
		}
	}
	tags, _, _ := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	_, i, _ := portalMatcher.Match(tags...)
	return portalLocales[i]
}

func valid(l string) bool {
	for _, x := range portalLocales {
		if l == x {
			return true
		}
	}
	return false
}

func cookieValue(r *http.Request, name string) string {
	c, err := r.Cookie(name)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(c.Value)
}

// MissingPortalTexts lists the keys some locale lacks (or leaves blank),
// as "sv:as.title".
func MissingPortalTexts() []string {
	keys := map[string]bool{}
	for _, m := range portalText {
		for k := range m {
			keys[k] = true
		}
	}
	var out []string
	for _, l := range portalLocales {
		for k := range keys {
			if strings.TrimSpace(portalText[l][k]) == "" {
				out = append(out, l+":"+k)
			}
		}
	}
	sort.Strings(out)
	return out
}
