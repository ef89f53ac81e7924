package staff

import (
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/internal/i18n"
	"github.com/asylum-scheduling/interviews/solver"
	"github.com/asylum-scheduling/interviews/web/page"
	websession "github.com/asylum-scheduling/interviews/web/session"
)

// staffLocale picks a staff page's language: a valid ?lang, the cookie the
// switch set (shared with the portal), then the browser's Accept-Language
// matched as the portal does. A request without any Accept-Language (a
// script, a test client) gets English.
func staffLocale(r *http.Request) string {
	if r.Header.Get("Accept-Language") == "" {
		for _, l := range []string{r.URL.Query().Get("lang"), websession.CookieValue(r, websession.LangCookie)} {
			if i18n.Valid(l) {
				return l
			}
		}
		return "en"
	}
	return page.Locale(r, "")
}

// staffT returns the wording of key in locale, formatted with args: the
// catalog's (internal/i18n, domain "staff"). A key missing from the catalog
// shows as "!key!", which the tests look for.
func staffT(locale, key string, args ...any) string { return i18n.Staff.T(locale, key, args...) }

// staffHTML is staffT for a wording whose arguments may be markup (a name
// with its id from who): the wording and every plain argument are escaped,
// a template.HTML argument is kept as it is. Without it html/template
// escapes the whole string and the markup shows as text.
func staffHTML(locale, key string, args ...any) template.HTML {
	s, ok := i18n.Staff.Lookup(locale, key)
	if !ok {
		if s, ok = i18n.Staff.Lookup("en", key); !ok {
			return template.HTML(template.HTMLEscapeString("!" + key + "!"))
		}
	}
	safe := make([]any, len(args))
	for i, a := range args {
		switch a := a.(type) {
		case template.HTML:
			safe[i] = a
		case string:
			safe[i] = template.HTMLEscapeString(a)
		case fmt.Stringer:
			safe[i] = template.HTMLEscapeString(a.String())
		default: // numbers: nothing to escape, and %d keeps working
			safe[i] = a
		}
	}
	s = template.HTMLEscapeString(s)
	if len(safe) == 0 || !strings.Contains(s, "%") {
		return template.HTML(s)
	}
	return template.HTML(fmt.Sprintf(s, safe...))
}

// T is the page's wording of key (see staffT).
func (v *view) T(key string, args ...any) string { return staffT(v.L, key, args...) }

// Langs are the languages the switch offers.
func (v *view) Langs() []string { return i18n.Locales }

// staffLang switches the staff pages' language (the cookie the portal uses
// too) and goes back to the page it came from, a page of this site only.
func (h *Handler) staffLang(w http.ResponseWriter, r *http.Request) {
	l := chi.URLParam(r, "lang")
	if !i18n.Valid(l) {
		h.fail(w, r, errs.E(errs.NotFound, "there is no such page"))
		return
	}
	websession.SetCookie(w, websession.LangCookie, l, 365*24*3600)
	http.Redirect(w, r, langNext(r.URL.Query().Get("next")), http.StatusSeeOther)
}

// langNext is next when it is a path of this site, else the queue.
func langNext(next string) string {
	if p, ok := page.LocalPath(next); ok {
		return p
	}
	return "/queue"
}

// localFuncs are the template functions whose wording depends on the
// page's language.
func localFuncs(l string) template.FuncMap {
	return template.FuncMap{
		"T":        func(key string, args ...any) string { return staffT(l, key, args...) },
		"TH":       func(key string, args ...any) template.HTML { return staffHTML(l, key, args...) },
		"lang":     func(tag string) string { return i18n.LanguageName(l, tag) },
		"langOnly": func(tag string) string { return i18n.LanguageOnly(l, tag) },
		"money":    func(euros int) string { return i18n.Money(l, euros) },
		"when":     func(start, end string, loc *time.Location) string { return when(l, start, end, loc) },
		"date":     func(s string) string { return dateOfString(l, s) },
		"mode":     func(m string) string { return modeWord(l, m) },
		"reason":   func(c string) string { return reasonWord(l, c) },
		"dayLabel": func(d solver.Date) string { return dayLabel(l, d) },
		"answer":   func(s string) string { return answerWord(l, s) },
		"status":   func(s string) string { return codeWord(l, "status.", s) },
		"word":     func(prefix, code string) string { return codeWord(l, prefix, code) },
	}
}

// MissingTexts lists the keys some locale lacks (or leaves blank), as
// "sv:queue.title".
func MissingTexts() []string {
	var out []string
	for _, m := range i18n.Missing() {
		if l, key, ok := strings.Cut(m, ":"+string(i18n.Staff)+":"); ok {
			out = append(out, l+":"+key)
		}
	}
	return out
}

// codeWord is the catalog's wording of prefix+code, or the code itself
// with its underscores as spaces when the catalog has none.
func codeWord(l, prefix, code string) string {
	if w, ok := i18n.Staff.Lookup(l, prefix+code); ok {
		return w
	}
	return strings.ReplaceAll(code, "_", " ")
}
