package page

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"
	"golang.org/x/text/language"

	"github.com/asylum-scheduling/interviews/internal/clientaddr"
	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/internal/i18n"
	"github.com/asylum-scheduling/interviews/web/session"
)

// matcher picks one of i18n.Locales for a browser's Accept-Language.
var matcher = language.NewMatcher([]language.Tag{language.Finnish, language.Swedish, language.English})

// Locale picks a page's language: a valid ?lang, the cookie the language
// switch set, the signed-in person's own (personal; "" for none), then the
// browser's Accept-Language (the first of i18n.Locales when nothing
// matches).
func Locale(r *http.Request, personal string) string {
	for _, l := range []string{r.URL.Query().Get("lang"), session.CookieValue(r, session.LangCookie), personal} {
		if i18n.Valid(l) {
			return l
		}
	}
	tags, _, _ := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	_, i, _ := matcher.Match(tags...)
	return i18n.Locales[i]
}

// PathID reads the numeric id in path parameter param of a page's URL: a
// positive whole number, else the page is not found.
func PathID(r *http.Request, param, what string) (int64, error) {
	n, err := strconv.ParseInt(chi.URLParam(r, param), 10, 64)
	if err != nil || n <= 0 {
		return 0, errs.E(errs.NotFound, "There is no %s %q.", what, chi.URLParam(r, param))
	}
	return n, nil
}

// RouteOf is the request's route pattern, for logs (never the path or
// query: they hold case references).
func RouteOf(r *http.Request) string {
	if rc := chi.RouteContext(r.Context()); rc != nil && rc.RoutePattern() != "" {
		return rc.RoutePattern()
	}
	return "unmatched"
}

// FeedURL is the subscription link of a calendar feed token: under base,
// or (base "") under the request's own scheme (as the trusted proxies tell
// it) and host.
func FeedURL(r *http.Request, proxies clientaddr.Proxies, base, token string) string {
	if base == "" {
		scheme := "http"
		if proxies.HTTPS(r) {
			scheme = "https"
		}
		base = scheme + "://" + r.Host
	}
	return strings.TrimRight(base, "/") + "/feeds/" + token + ".ics"
}

// ServerTiming is the Server-Timing header's value for a page that took
// ms milliseconds ("app;dur=12.3").
func ServerTiming(ms float64) string {
	return "app;dur=" + strconv.FormatFloat(ms, 'f', 1, 64)
}

// LocalPath returns next as a path of this site to redirect to, or false
// when it is not one. Browsers drop tabs and line breaks from a URL and
// read a backslash as a slash, so "/\t/evil.example" or "/\\evil.example"
// would leave the site: control characters are removed first, and what is
// left must parse as a path with no scheme or host that starts with one
// slash. The result is the parsed URL written out again (path, query and
// fragment), never the raw input.
func LocalPath(next string) (string, bool) {
	next = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return -1
		}
		return r
	}, next)
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.Contains(next, "\\") {
		return "", false
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" ||
		!strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") {
		return "", false
	}
	out := u.String()
	if !strings.HasPrefix(out, "/") || strings.HasPrefix(out, "//") {
		return "", false
	}
	return out, true
}
