package web_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/web"
)

// TestStaffWordingFinnishSwedish keeps the agency's terms of the Finnish
// and Swedish review: a hold is an "alustava varaus" / "preliminär
// bokning" (never "pidätys", to detain, or "reservation"), a case is
// reported to a manager (never "liputtaa" / "flagga"), and no two items of
// the navigation start alike (Suunnittelu / Suunnitelmat, Planering /
// Planer were confused).
func TestStaffWordingFinnishSwedish(t *testing.T) {
	t.Parallel()
	banned := map[string]*regexp.Regexp{
		"fi": regexp.MustCompile(`(?i)pidät|pidäty|liput`),
		"sv": regexp.MustCompile(`(?i)reserv|flagg`),
	}
	want := map[string]map[string]string{
		"fi": {"case.hold": "Varaa alustavasti", "case.held": "Alustava varaus tälle puhuttelulle", "case.flag": "Ilmoita esihenkilölle"},
		"sv": {"case.hold": "Boka preliminärt", "case.held": "Preliminär bokning för intervjun", "case.flag": "Meddela en chef"},
	}
	nav := []string{"nav.queue", "nav.attention", "nav.planner", "nav.plans", "nav.flags", "nav.scenarios", "nav.shortages"}
	for _, l := range []string{"fi", "sv"} {
		for k, v := range web.StaffText[l] {
			require.False(t, banned[l].MatchString(v), "%s %s: %q", l, k, v)
		}
		for k, v := range want[l] {
			require.Equal(t, v, web.StaffText[l][k], "%s %s", l, k)
		}
		for i, a := range nav {
			for _, b := range nav[i+1:] {
				x, y := strings.ToLower(web.StaffText[l][a]), strings.ToLower(web.StaffText[l][b])
				n := min(6, len(x), len(y))
				require.NotEqual(t, x[:n], y[:n], "%s: %q and %q start alike", l, x, y)
			}
		}
	}
}
