package solver

import "strings"

// primarySubtag returns the lower-cased part of a language tag before the
// first '-', e.g. "ar" for "ar-IQ".
func primarySubtag(tag string) string {
	if i := strings.IndexByte(tag, '-'); i >= 0 {
		tag = tag[:i]
	}
	return strings.ToLower(tag)
}

// LanguageMatch reports whether a person who lists the tags `have` can work
// in language `want`, by the spec's rule: tags compare case-insensitively;
// with exactRequired only the exact tag matches, otherwise a tag with the same
// primary subtag does too. exact tells whether the exact tag is listed (a
// match without it costs `dialect_mismatch` for interpreters).
func LanguageMatch(have []string, want string, exactRequired bool) (ok, exact bool) {
	wantPrimary := primarySubtag(want)
	for _, h := range have {
		if strings.EqualFold(h, want) {
			return true, true
		}
		if !exactRequired && primarySubtag(h) == wantPrimary {
			ok = true
		}
	}
	return ok, false
}
