// Package i18n is the one translation catalog of the service: the wording
// of the staff pages, the portal and the mails in Finnish, Swedish and
// English, and beside it the formatting of dates, times, numbers, money and
// language names in each (format.go).
//
// The wordings are data, one file per language (locales/fi.json, sv.json,
// en.json), so translators edit no Go. A file holds one object per domain
// ("staff", "portal", "mail"), each from key to a text, or, for a text
// about a count, to its plural forms {"one": …, "other": …} (the CLDR
// categories the three languages use for whole numbers). Keys starting
// with "_" are comments. Every key is in every language, and every key is
// used somewhere (the package's tests check both).
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"golang.org/x/text/language"
)

// Locales are the service's languages, the first the default of the
// portal.
var Locales = []string{"fi", "sv", "en"}

// Domain is one part of the catalog, named for where its wordings show.
type Domain string

// The catalog's domains.
const (
	Staff  Domain = "staff"  // the staff pages
	Portal Domain = "portal" // the portal of interpreters, counsels and representatives
	Mail   Domain = "mail"   // the mails to people outside the agency
)

// Domains lists the catalog's domains.
var Domains = []Domain{Staff, Portal, Mail}

// entry is one key's wording in one language: a text, or plural forms.
type entry struct {
	text   string
	plural map[string]string // "one", "other"
}

// pluralForms are the plural categories a plural entry must give.
var pluralForms = []string{"one", "other"}

func (e *entry) UnmarshalJSON(b []byte) error {
	if err := json.Unmarshal(b, &e.text); err == nil {
		return nil
	}
	return json.Unmarshal(b, &e.plural)
}

//go:embed locales/*.json
var files embed.FS

// catalog is locale → domain → key → wording, read once from the files.
var catalog = mustLoad()

func mustLoad() map[string]map[Domain]map[string]entry {
	c, err := load()
	if err != nil {
		panic(err)
	}
	return c
}

func load() (map[string]map[Domain]map[string]entry, error) {
	c := map[string]map[Domain]map[string]entry{}
	for _, l := range Locales {
		b, err := files.ReadFile("locales/" + l + ".json")
		if err != nil {
			return nil, err
		}
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(b, &raw); err != nil {
			return nil, fmt.Errorf("locales/%s.json: %w", l, err)
		}
		c[l] = map[Domain]map[string]entry{}
		for name, part := range raw {
			if strings.HasPrefix(name, "_") {
				continue
			}
			var m map[string]entry
			if err := json.Unmarshal(part, &m); err != nil {
				return nil, fmt.Errorf("locales/%s.json, %s: %w", l, name, err)
			}
			c[l][Domain(name)] = m
		}
	}
	return c, nil
}

// Valid reports whether l is one of the service's languages.
func Valid(l string) bool {
	for _, x := range Locales {
		if l == x {
			return true
		}
	}
	return false
}

// Normalize is the service's language for a locale or BCP 47 tag: "sv-FI"
// is "sv"; a tag of another language, or no tag, is "en".
func Normalize(locale string) string {
	if Valid(locale) {
		return locale
	}
	tag, err := language.Parse(locale)
	if err != nil {
		return "en"
	}
	if base, _ := tag.Base(); Valid(base.String()) {
		return base.String()
	}
	return "en"
}

// Lookup is the text of key in locale (normalized), and whether the
// catalog has it. A plural entry is no text: see N.
func (d Domain) Lookup(locale, key string) (string, bool) {
	e, ok := catalog[Normalize(locale)][d][key]
	if !ok || e.plural != nil {
		return "", false
	}
	return e.text, true
}

// Has reports whether the domain has key (in English, hence in all).
func (d Domain) Has(key string) bool {
	_, ok := catalog["en"][d][key]
	return ok
}

// T is the wording of key in locale formatted with args (fmt verbs), the
// English one when locale lacks it. A key the catalog lacks shows as
// "!key!", which the page tests look for.
func (d Domain) T(locale, key string, args ...any) string {
	s, ok := d.Lookup(locale, key)
	if !ok {
		if s, ok = d.Lookup("en", key); !ok {
			return "!" + key + "!"
		}
	}
	return format(s, args)
}

// N is the wording of key for the count n in locale: the plural form the
// language's rule picks for n, formatted with args (a form may leave the
// count out: "a day later").
func (d Domain) N(locale, key string, n int, args ...any) string {
	l := Normalize(locale)
	e, ok := catalog[l][d][key]
	if !ok || e.plural == nil {
		if e, ok = catalog["en"][d][key]; !ok || e.plural == nil {
			return "!" + key + "!"
		}
		l = "en"
	}
	return format(e.plural[PluralForm(l, n)], args)
}

// format fills the verbs of s with args; a text without verbs is kept as
// it is, whatever the args.
func format(s string, args []any) string {
	if len(args) == 0 || !strings.Contains(s, "%") {
		return s
	}
	return fmt.Sprintf(s, args...)
}

// PluralForm is the CLDR plural category of the whole number n in locale:
// Finnish, Swedish and English all say "one" for 1 (and -1) and "other"
// for every other whole number.
func PluralForm(locale string, n int) string {
	switch Normalize(locale) {
	case "fi", "sv", "en":
		if n == 1 || n == -1 {
			return "one"
		}
	}
	return "other"
}

// Keys lists the domain's keys in any language, sorted.
func (d Domain) Keys() []string {
	seen := map[string]bool{}
	for _, l := range Locales {
		for k := range catalog[l][d] {
			seen[k] = true
		}
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Texts is every wording of the domain in locale, by key; a plural entry's
// forms are under "key#one" and "key#other". For tests that look for
// wordings on pages.
func (d Domain) Texts(locale string) map[string]string {
	out := map[string]string{}
	for k, e := range catalog[Normalize(locale)][d] {
		if e.plural == nil {
			out[k] = e.text
			continue
		}
		for f, s := range e.plural {
			out[k+"#"+f] = s
		}
	}
	return out
}

// Missing lists what some language lacks, as "sv:staff:queue.title": a
// key another language has, a blank text, a plural form left out, or a
// plural in one language that is a plain text in another.
func Missing() []string {
	return missing(catalog)
}

func missing(c map[string]map[Domain]map[string]entry) []string {
	var out []string
	for _, d := range Domains {
		keys := map[string]bool{}
		plural := map[string]bool{}
		for _, l := range Locales {
			for k, e := range c[l][d] {
				keys[k] = true
				plural[k] = plural[k] || e.plural != nil
			}
		}
		for _, l := range Locales {
			for k := range keys {
				if !complete(c[l][d][k], plural[k]) {
					out = append(out, l+":"+string(d)+":"+k)
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// complete: e is given, not blank, and plural with every form if the key
// is plural anywhere.
func complete(e entry, plural bool) bool {
	if !plural {
		return e.plural == nil && strings.TrimSpace(e.text) != ""
	}
	for _, f := range pluralForms {
		if strings.TrimSpace(e.plural[f]) == "" {
			return false
		}
	}
	return true
}
