package portal

import (
	"strings"

	"github.com/asylum-scheduling/interviews/internal/i18n"
)

// tr returns the portal's wording of key in locale, formatted with args:
// the catalog's (internal/i18n, domain "portal").
func tr(locale, key string, args ...any) string { return i18n.Portal.T(locale, key, args...) }

// MissingTexts lists the portal's keys some locale lacks (or leaves
// blank), as "sv:as.title".
func MissingTexts() []string {
	var out []string
	for _, m := range i18n.Missing() {
		if l, key, ok := strings.Cut(m, ":"+string(i18n.Portal)+":"); ok {
			out = append(out, l+":"+key)
		}
	}
	return out
}
