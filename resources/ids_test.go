package resources_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

// Every entity's id keeps to the solver's alphabet (solver.IDProblem, the
// one rule instance files follow too), reported at "id".
func TestEntityIDsKeepToTheAlphabet(t *testing.T) {
	s := resources.Settings{Timezone: "Europe/Helsinki", Horizon: &solver.DateRange{Start: "2026-12-07", End: "2026-12-18"}}
	refs := resources.Refs{Locations: []string{"HEL"}}
	for _, c := range []struct {
		what     string
		validate func(id string) error
	}{
		{"location", func(id string) error {
			return (&resources.Location{Location: solver.Location{ID: id, Name: "X"}}).Validate(s, refs)
		}},
		{"room", func(id string) error {
			return (&resources.Room{Room: solver.Room{ID: id, Location: "HEL"}}).Validate(s, refs)
		}},
		{"party", func(id string) error {
			return (&resources.Party{Party: solver.Party{ID: id, Kind: "counsel"}}).Validate(s, refs)
		}},
	} {
		require.NoError(t, c.validate("P-C014"), c.what)
		for _, bad := range []string{"a/b", "a b", `"<>()`, strings.Repeat("x", 65)} {
			err := c.validate(bad)
			require.Equal(t, errs.Invalid, errs.CodeOf(err), "%s %q", c.what, bad)
			fields := errs.FieldsOf(err)
			require.NotEmpty(t, fields, "%s %q", c.what, bad)
			require.Equal(t, "id", fields[0].Path, "%s %q: %v", c.what, bad, fields)
			require.Equal(t, "id "+solver.IDProblem(bad), fields[0].Message)
		}
	}
}
