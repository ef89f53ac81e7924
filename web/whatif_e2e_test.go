package web_test

import (
	"context"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestBrowserWhatifInFinnishAndSwedish: in headless Chromium a manager
// runs a scenario of two more Moroccan Arabic (ar-MA) interpreters from the
// form in Finnish and in Swedish, and reads it and a stored scenario whose
// variant changes nothing, on a desktop and on a 390 px phone
// (web/e2e/whatif.mjs): the variants are named in the page's language with
// their dialect, the stored one says what still blocks it, money is
// formatted the language's way, axe finds nothing serious, nothing
// scrolls sideways.
func TestBrowserWhatifInFinnishAndSwedish(t *testing.T) {
	t.Parallel()
	root, node := browserTools(t)
	e := newEnv(t)
	ctx := context.Background()
	langs, err := e.db.PendingLanguages(ctx)
	require.NoError(t, err)
	const dialect = "ar-MA"
	require.Contains(t, langs, dialect, "the demo has pending interviews that require Moroccan Arabic")
	storedPath := "/scenarios/" + strconv.FormatInt(whatifRun(t, e), 10)

	type seen struct {
		Names, Advice, Cost []string
		List                string
	}
	var res struct {
		Pages map[string]struct{ Ran, Stored seen }
		A11y  map[string]int
	}
	runScript(t, root, node, "whatif.mjs", e.srv.URL, 4*time.Minute, &res,
		"MANAGER_TOKEN="+e.manager, "DIALECT="+dialect, "STORED_PATH="+storedPath)
	require.Len(t, res.A11y, 14, "every page looked at: %v", res.A11y)

	// Money as the language writes it: groups of three with no-break
	// spaces, a space before the euro sign; never "15421 €".
	moneyRE := regexp.MustCompile(`^\d{1,3}(\x{a0}\d{3})* €( \([+\x{2212}]\d{1,3}(\x{a0}\d{3})* €\))?$`)
	cases := []struct {
		lang, ran, stored, blocks, own string
	}{
		{"fi", "+2 tulkkia, arabia (Marokko), ti–to, Helsinki", "+2 tulkkia, arabia (Marokko), ti–to, Helsinki",
			" ei auta: huoneet (Helsinki) ovat täynnä päivinä", "Summer (+1 huone, Helsinki)"},
		{"sv", "+2 tolkar, arabiska (Marocko), tis–tors, Helsinki", "+2 tolkar, arabiska (Marocko), tis–tors, Helsinki",
			" hjälper inte: rum i Helsinki är fullbokade de dagar", "Summer (+1 rum, Helsinki)"},
	}
	for _, kind := range []string{"desktop", "phone"} {
		for _, c := range cases {
			p, ok := res.Pages[kind+"-"+c.lang]
			require.True(t, ok, "%s %s", kind, c.lang)
			what := kind + " " + c.lang
			// The run from the form: the baseline and the variant (after the
			// figures' heading), named in the page's language from its change,
			// its sentence naming it so.
			require.Len(t, p.Ran.Names, 3, what)
			require.Equal(t, c.ran, p.Ran.Names[2], what)
			require.Len(t, p.Ran.Advice, 1, what)
			// Which sentence depends on what the solver found in its time
			// (fewer waits, nothing gained, rooms full); each names the
			// variant first, followed by a space or a colon.
			rest, named := strings.CutPrefix(p.Ran.Advice[0], c.ran)
			require.True(t, named && (strings.HasPrefix(rest, " ") || strings.HasPrefix(rest, ":")) && len(rest) > 2,
				"%s: %q", what, p.Ran.Advice[0])
			require.Contains(t, p.Ran.List, c.ran, what)
			// The stored scenario: its old English name gives way to the
			// description; the variant that changes nothing says what blocks.
			require.Equal(t, []string{c.stored, c.own}, p.Stored.Names[2:], what)
			require.True(t, strings.HasPrefix(p.Stored.Advice[0], c.stored+c.blocks), "%s: %q", what, p.Stored.Advice[0])
			require.Len(t, p.Ran.Cost, 2, what)
			require.Len(t, p.Stored.Cost, 3, what)
			for _, s := range [][]string{p.Ran.Cost, p.Stored.Cost} {
				for _, cell := range s {
					require.Regexp(t, moneyRE, cell, what)
				}
			}
			require.Equal(t, "15\u00a0421 €", p.Stored.Cost[0], what)
			require.Equal(t, "16\u00a0621 € (+1\u00a0200 €)", p.Stored.Cost[2], what)
			for _, text := range append(slices.Concat(p.Ran.Names, p.Ran.Advice, p.Stored.Names, p.Stored.Advice), p.Ran.List) {
				require.NotContains(t, text, "Arabic", "%s: English left in %q", what, text)
				require.NotContains(t, text, "interpreters", "%s: English left in %q", what, text)
			}
		}
	}
}
