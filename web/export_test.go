package web

import "github.com/asylum-scheduling/interviews/internal/i18n"

// StaffText is the staff pages' catalog, for the tests: locale → key →
// wording (a plural's forms under "key#one", "key#other").
var StaffText = map[string]map[string]string{
	"fi": i18n.Staff.Texts("fi"), "sv": i18n.Staff.Texts("sv"), "en": i18n.Staff.Texts("en"),
}
