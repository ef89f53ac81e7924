package web

import (
	"net/http"
	"strings"

	"golang.org/x/text/language"

	"github.com/asylum-scheduling/interviews/internal/i18n"
	websession "github.com/asylum-scheduling/interviews/web/session"
)

// portalLocales are the languages of the portal, the first the default.
var portalLocales = i18n.Locales

// tr returns the portal's wording of key in locale, formatted with args:
// the catalog's (internal/i18n, domain "portal").
func tr(locale, key string, args ...any) string { return i18n.Portal.T(locale, key, args...) }

var portalMatcher = language.NewMatcher([]language.Tag{language.Finnish, language.Swedish, language.English})

// portalLocale picks the page's language: a valid ?lang, the cookie the
// switch set, the signed-in person's locale, then the browser's.
func portalLocale(r *http.Request, personal string) string {
	for _, l := range []string{r.URL.Query().Get("lang"), websession.CookieValue(r, websession.LangCookie), personal} {
		if valid(l) {
			return l
		}
	}
	tags, _, _ := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	_, i, _ := portalMatcher.Match(tags...)
	return portalLocales[i]
}

func valid(l string) bool { return i18n.Valid(l) }

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
	var out []string
	for _, m := range i18n.Missing() {
		if l, key, ok := strings.Cut(m, ":"+string(i18n.Portal)+":"); ok {
			out = append(out, l+":"+key)
		}
	}
	return out
}
