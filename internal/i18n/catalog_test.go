package i18n

import (
	"go/scanner"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// sources are the folders whose code and templates use the catalog.
var sources = []string{"../../web", "../../internal/mail", "../../capacity/advice"}

// Every key is in every language, not blank, with all its plural forms.
func TestCatalogIsComplete(t *testing.T) {
	t.Parallel()
	require.Empty(t, Missing())
	for _, d := range Domains {
		require.NotEmpty(t, d.Keys(), d)
	}
}

// Missing sees each way a language can fall short.
func TestMissingFindsGaps(t *testing.T) {
	t.Parallel()
	c := map[string]map[Domain]map[string]entry{}
	for _, l := range Locales {
		c[l] = map[Domain]map[string]entry{Staff: {
			"a":    {text: "A " + l},
			"n":    {plural: map[string]string{"one": "one " + l, "other": "other " + l}},
			"gone": {text: "here"},
		}}
	}
	delete(c["sv"][Staff], "gone")
	c["fi"][Staff]["a"] = entry{text: "  "}
	c["en"][Staff]["n"] = entry{plural: map[string]string{"one": "a day"}}
	c["sv"][Staff]["n"] = entry{text: "not plural"}
	require.Equal(t, []string{"en:staff:n", "fi:staff:a", "sv:staff:gone", "sv:staff:n"}, missing(c))
}

// TestSourcesNameEveryUser keeps sources whole: every package of the module
// that uses a catalog lies under one of them, or its keys would count as
// unused (capacity/advice once fell outside).
func TestSourcesNameEveryUser(t *testing.T) {
	t.Parallel()
	uses := regexp.MustCompile(`\bi18n\.(Staff|Portal|Mail)\b`)
	err := filepath.WalkDir("../..", func(p string, e fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case e.IsDir() && (strings.HasPrefix(e.Name(), ".") || e.Name() == "node_modules") && p != "../..":
			return filepath.SkipDir
		case e.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go"):
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil || !uses.Match(b) {
			return err
		}
		for _, root := range sources {
			if strings.HasPrefix(p, root+"/") {
				return nil
			}
		}
		t.Errorf("%s uses the catalog but lies under none of the sources %v", p, sources)
		return nil
	})
	require.NoError(t, err)
}

// sourceFiles are the Go sources (tests left out: a key only a test uses
// is unused) and templates under the sources.
func sourceFiles(t *testing.T) (goFiles, templates []string) {
	t.Helper()
	for _, root := range sources {
		err := filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
			switch {
			case err != nil:
				return err
			case strings.HasSuffix(p, "_test.go"):
			case strings.HasSuffix(p, ".go"):
				goFiles = append(goFiles, p)
			case strings.HasSuffix(p, ".html"):
				templates = append(templates, p)
			}
			return nil
		})
		require.NoError(t, err)
	}
	require.NotEmpty(t, goFiles)
	require.NotEmpty(t, templates)
	return goFiles, templates
}

var (
	templateActionRE = regexp.MustCompile(`(?s){{.*?}}`)
	templateStringRE = regexp.MustCompile(`"([^"\\]*)"`)
)

// literals are the string literals of the sources: every Go string literal
// and every quoted string in a template's action; a format ("day.%d") adds
// its part before the first verb when that ends in ".", as a prefix.
func literals(t *testing.T) map[string]bool {
	t.Helper()
	goFiles, templates := sourceFiles(t)
	out := map[string]bool{}
	for _, p := range goFiles {
		src, err := os.ReadFile(p)
		require.NoError(t, err)
		var s scanner.Scanner
		fset := token.NewFileSet()
		s.Init(fset.AddFile(p, -1, len(src)), src, nil, 0)
		for {
			_, tok, lit := s.Scan()
			if tok == token.EOF {
				break
			}
			if tok == token.STRING {
				v, err := strconv.Unquote(lit)
				require.NoError(t, err, p)
				out[v] = true
			}
		}
	}
	for _, p := range templates {
		src, err := os.ReadFile(p)
		require.NoError(t, err)
		for _, action := range templateActionRE.FindAllString(string(src), -1) {
			for _, m := range templateStringRE.FindAllStringSubmatch(action, -1) {
				out[m[1]] = true
			}
		}
	}
	for lit := range out {
		if before, _, ok := strings.Cut(lit, "%"); ok && strings.HasSuffix(before, ".") {
			out[before] = true
		}
	}
	return out
}

// used: the sources name key, or a prefix of it ending in "." that code
// completes ("mail.kind."+kind).
func used(key string, lits map[string]bool) bool {
	if lits[key] {
		return true
	}
	for i := len(key) - 1; i > 0; i-- {
		if key[i] == '.' && lits[key[:i+1]] {
			return true
		}
	}
	return false
}

// No key lies unused: every key is named in the code or a template, or is
// one of a family the code completes from a named prefix.
func TestNoUnusedKeys(t *testing.T) {
	t.Parallel()
	lits := literals(t)
	var unused []string
	for _, d := range Domains {
		for _, k := range d.Keys() {
			if !used(k, lits) {
				unused = append(unused, string(d)+":"+k)
			}
		}
	}
	require.Empty(t, unused, "keys no code or template uses: delete them from every locales/*.json")
}

// keyUseREs find the keys code and templates look up by name: T "key",
// staffT(l, "key"), v.T("key"), tr(l, "key"), i18n.Mail.T(l, "key"),
// N(l, "key", …).
var keyUseREs = []*regexp.Regexp{
	regexp.MustCompile(`\bT "([a-z][a-z0-9_.]*)"`),
	regexp.MustCompile(`\b(?:T|N|t|tr|staffT)\((?:[A-Za-z_.]+, )?"([a-z][a-z0-9_.]*)"`),
}

// Every key the code or a template looks up by name is in the catalog.
func TestUsedKeysExist(t *testing.T) {
	t.Parallel()
	goFiles, templates := sourceFiles(t)
	found, absent := 0, map[string]bool{}
	for _, p := range append(goFiles, templates...) {
		src, err := os.ReadFile(p)
		require.NoError(t, err)
		for _, re := range keyUseREs {
			for _, m := range re.FindAllStringSubmatch(string(src), -1) {
				found++
				if strings.HasSuffix(m[1], ".") {
					continue // a prefix the code completes
				}
				if !Staff.Has(m[1]) && !Portal.Has(m[1]) && !Mail.Has(m[1]) {
					absent[filepath.Base(p)+": "+m[1]] = true
				}
			}
		}
	}
	require.Greater(t, found, 500, "the scan finds the lookups")
	var list []string
	for k := range absent {
		list = append(list, k)
	}
	sort.Strings(list)
	require.Empty(t, list, "keys used but in no locales/*.json")
}

func TestLookupAndFallback(t *testing.T) {
	t.Parallel()
	cases := []struct {
		locale, key string
		args        []any
		want        string
	}{
		{"fi", "queue.title", nil, "Jono"},
		{"sv-FI", "queue.title", nil, "Kö"},
		{"de", "queue.title", nil, "Queue"},
		{"not a tag!", "queue.title", nil, "Queue"},
		{"en", "queue.pending", []any{3}, "3 pending"},
		{"fi", "no.such.key", nil, "!no.such.key!"},
	}
	for _, c := range cases {
		require.Equal(t, c.want, Staff.T(c.locale, c.key, c.args...), "%s %s", c.locale, c.key)
	}
	_, ok := Staff.Lookup("fi", "to.days.later")
	require.False(t, ok, "a plural is no plain text")
	require.Equal(t, "!queue.title!", Staff.N("fi", "queue.title", 2), "N only for plurals")
}

func TestPlurals(t *testing.T) {
	t.Parallel()
	cases := []struct {
		locale string
		n      int
		want   string
	}{
		{"en", 1, "a day later"}, {"en", 2, "two days later"}, {"en", 0, "zero days later"},
		{"fi", 1, "päivän myöhemmin"}, {"fi", 3, "3 päivää myöhemmin"},
		{"sv", 1, "en dag senare"}, {"sv", 12, "12 dagar senare"},
	}
	for _, c := range cases {
		require.Equal(t, c.want, Staff.N(c.locale, "to.days.later", c.n, CountWord(c.locale, c.n)), "%s %d", c.locale, c.n)
	}
	require.Equal(t, "a day earlier", Staff.N("en", "to.days.earlier", -1))
	require.Equal(t, "other", PluralForm("fi", 21))
}

func TestFormats(t *testing.T) {
	t.Parallel()
	helsinki, err := time.LoadLocation("Europe/Helsinki")
	require.NoError(t, err)
	start := time.Date(2027, 1, 4, 8, 30, 0, 0, helsinki)
	end := time.Date(2027, 1, 4, 11, 30, 0, 0, helsinki)
	cases := []struct {
		locale                                   string
		date, clock, when, span, day, long, lang string
		number, money, negMoney                  string
	}{
		{"fi", "ma 4.1.2027", "8.30", "ma 4.1.2027 klo 8.30", "ma 4.1.2027 klo 8.30–11.30", "ma 4.1.", "ma 4.1.2027", "arabia (ar-IQ)",
			"12\u00a0345", "12\u00a0345 €", "\u22125 €"},
		{"sv", "mån 4 jan. 2027", "08.30", "mån 4 jan. 2027 kl. 08.30", "mån 4 jan. 2027 kl. 08.30–11.30", "mån 4 jan.", "mån 4 jan. 2027", "arabiska (ar-IQ)",
			"12\u00a0345", "12\u00a0345 €", "\u22125 €"},
		{"en", "Mon 4 Jan 2027", "08:30", "Mon 4 Jan 2027, 08:30", "Mon 4 Jan 2027, 08:30–11:30", "Mon 4 Jan", "Monday 4 January 2027", "Arabic (ar-IQ)",
			"12,345", "€12,345", "-€5"},
	}
	for _, c := range cases {
		require.Equal(t, c.date, FormatDate(c.locale, start), c.locale)
		require.Equal(t, c.clock, FormatClock(c.locale, start), c.locale)
		require.Equal(t, c.when, FormatWhen(c.locale, start), c.locale)
		require.Equal(t, c.span, FormatSpan(c.locale, start, end), c.locale)
		require.Equal(t, c.day, DayLabel(c.locale, start), c.locale)
		require.Equal(t, c.long, LongDate(c.locale, start), c.locale)
		require.Equal(t, c.lang, LanguageName(c.locale, "ar-IQ"), c.locale)
		require.Equal(t, c.number, Number(c.locale, 12345), c.locale)
		require.Equal(t, c.money, Money(c.locale, 12345), c.locale)
		require.Equal(t, c.negMoney, Money(c.locale, -5), c.locale)
	}
	require.Equal(t, "kurmandži", LanguageOnly("fi", "kmr"))
	for _, c := range []struct{ locale, tag, want string }{
		{"fi", "ar-MA", "arabia (Marokko)"}, {"sv", "ar-MA", "arabiska (Marocko)"}, {"en", "ar-MA", "Arabic (Morocco)"},
		{"fi", "ar", "arabia"}, {"en", "prs-AF", "Dari (Afghanistan)"}, {"en", "xx-YY", "xx-YY"},
	} {
		require.Equal(t, c.want, DialectName(c.locale, c.tag), "%s %s", c.locale, c.tag)
	}
	require.Equal(t, "xx-YY", LanguageName("en", "xx-YY"))
	require.Equal(t, "", LanguageName("en", ""))
}
