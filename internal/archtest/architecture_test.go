package archtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const module = "github.com/asylum-scheduling/interviews"

// mayImport are the arrows of ARCHITECTURE.md ("Who may import whom"): for
// each package of ours (a layer and the packages below its folder, as
// web/... for web), the packages of ours it may import. A layer's packages
// may import each other too.
var mayImport = map[string][]string{
	"solver":                  {},
	"capacity":                {"solver"},
	"capacity/advice":         {"capacity", "internal/i18n", "solver"},
	"resources":               {"capacity", "internal/errs", "solver"},
	"migrations":              {},
	"calendars":               {"internal/errs"},
	"calendars/calendarstest": {},
	"internal/postgres":       {"calendars", "capacity", "internal/errs", "migrations", "resources", "solver"},
	"scheduler": {"calendars", "capacity", "internal/errs", "internal/mail", "internal/postgres", "internal/ratelimit",
		"resources", "solver"},
	"calendars/importer": {"calendars", "internal/errs", "internal/postgres", "resources", "scheduler"},
	// api holds a read-only Store of its own: no internal/postgres.
	"api": {"calendars", "internal/clientaddr", "internal/errs", "internal/httprec", "internal/metrics", "internal/ratelimit",
		"resources", "scheduler", "solver"},
	"web": {"calendars", "capacity", "capacity/advice", "internal/clientaddr", "internal/errs", "internal/httprec", "internal/i18n", "internal/postgres",
		"internal/ratelimit", "resources", "scheduler", "solver"},
	"cmd/interviewd": {"api", "calendars", "calendars/importer", "capacity", "internal/errs", "internal/generator",
		"internal/clientaddr", "internal/mail", "internal/metrics", "internal/pgcluster", "internal/postgres", "resources",
		"scheduler", "solver", "web"},
	"cmd/schedule":           {"capacity", "capacity/advice", "internal/generator", "internal/i18n", "internal/instancecmp", "solver"},
	"internal/errs":          {},
	"internal/generator":     {"solver"},
	"internal/instancecmp":   {"solver"},
	"internal/mail":          {"internal/i18n"},
	"internal/i18n":          {},
	"internal/mail/mailtest": {},
	"internal/metrics":       {},
	"internal/httprec":       {},
	"internal/ratelimit":     {},
	"internal/clientaddr":    {},
	"internal/testclock":     {},
	"internal/pgcluster":     {},
	"internal/pgtest":        {"internal/pgcluster", "migrations"},
	"internal/archtest":      {},
}

// outside are the rules on modules from outside: which of ours may import
// a module (by import path prefix).
var outside = []struct {
	prefix string
	only   []string // the packages of ours that may import it
}{
	{"github.com/jackc/pgx", []string{"internal/postgres", "internal/pgcluster", "internal/pgtest", "migrations"}},
	{"github.com/jackc/tern", []string{"migrations"}},
	{"github.com/stretchr/testify", []string{"internal/mail/mailtest", "calendars/calendarstest"}},
}

// solverMay are the only modules from outside solver imports (it does no
// I/O and imports nothing of ours).
var solverMay = []string{"golang.org/x/text/"}

type pkg struct {
	ImportPath string
	Imports    []string // the package's own imports: its tests may import more
}

// TestArchitecture checks every package's imports against the arrows of
// ARCHITECTURE.md: a new import that the document does not allow fails it
// (change the document, and the map above, or the code).
func TestArchitecture(t *testing.T) {
	t.Parallel()
	for _, p := range ourPackages(t) {
		rel := strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")
		layer, ok := layerOf(rel)
		require.True(t, ok, "%s is not in ARCHITECTURE.md: add it there and to mayImport", rel)
		for _, imp := range p.Imports {
			if theirs, ok := strings.CutPrefix(imp, module+"/"); ok {
				il, _ := layerOf(theirs)
				allowed := il == layer || slices.Contains(mayImport[layer], theirs) || slices.Contains(mayImport[layer], il)
				require.True(t, allowed, "%s imports %s: ARCHITECTURE.md has no such arrow", rel, theirs)
				continue
			}
			if !strings.Contains(strings.Split(imp, "/")[0], ".") {
				continue // the standard library
			}
			for _, o := range outside {
				if strings.HasPrefix(imp, o.prefix) {
					require.Contains(t, o.only, layer, "%s imports %s: only %v may", rel, imp, o.only)
				}
			}
			if layer == "solver" {
				require.True(t, slices.ContainsFunc(solverMay, func(m string) bool { return strings.HasPrefix(imp, m) }),
					"solver imports %s: it imports nothing but the standard library and %v", imp, solverMay)
			}
		}
	}
}

// layerOf is the entry of mayImport a package belongs to: its own, or that
// of the nearest folder above it that has one.
func layerOf(rel string) (string, bool) {
	for p := rel; p != "." && p != "/" && p != ""; p = filepath.Dir(p) {
		if _, ok := mayImport[p]; ok {
			return p, true
		}
	}
	return "", false
}

// ourPackages lists the module's packages with go list.
func ourPackages(t *testing.T) []pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-json=ImportPath,Imports", module+"/...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "go list: %s", stderr.String())
	var ps []pkg
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else {
			require.NoError(t, err)
		}
		ps = append(ps, p)
	}
	require.Greater(t, len(ps), 20, "go list found the module's packages")
	return ps
}
