package resources_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

func TestCursorRoundTrip(t *testing.T) {
	for _, k := range []string{"a", "HEL-R1", "ünïcode/ids?&", "12345"} {
		got, err := resources.DecodeCursor(resources.EncodeCursor(k))
		require.NoError(t, err)
		require.Equal(t, k, got)
	}
	_, err := resources.DecodeCursor("bm90LWEtY3Vyc29y") // base64 of something else
	require.Equal(t, errs.Invalid, errs.CodeOf(err))
	got, err := resources.DecodeCursor("")
	require.NoError(t, err)
	require.Equal(t, "", got)
}

func TestRoles(t *testing.T) {
	require.Less(t, resources.RoleClerk.Rank(), resources.RoleManager.Rank())
	require.Less(t, resources.RoleManager.Rank(), resources.RoleAdmin.Rank())
	require.Zero(t, resources.Role("root").Rank())
	_, err := resources.ParseRole("root")
	require.Equal(t, errs.Invalid, errs.CodeOf(err))
	r, err := resources.ParseRole("manager")
	require.NoError(t, err)
	require.Equal(t, resources.RoleManager, r)
}

func TestEntityValidationUsesSolverPaths(t *testing.T) {
	s := resources.Settings{Timezone: "Europe/Helsinki", Horizon: &solver.DateRange{Start: "2026-12-07", End: "2026-12-18"}}
	refs := resources.Refs{Locations: []string{"HEL"}, Interpreters: []string{"t1"}}
	iv := &resources.Interview{Status: resources.StatusPending, Interview: solver.Interview{
		ID: "I-1", Case: "C", Language: "ar", DurationMinutes: 20, Earliest: "2026-12-07",
		Locations: []string{"HEL"}, ExcludedInterpreters: []string{"t1", "t9"}}}
	err := iv.Validate(s, refs)
	require.Equal(t, errs.Invalid, errs.CodeOf(err))
	fields := errs.FieldsOf(err)
	require.Len(t, fields, 2, "%v", fields)
	require.Equal(t, "duration_minutes", fields[0].Path)
	require.Equal(t, "excluded_interpreters[1]", fields[1].Path)
	require.Equal(t, `unknown interpreter "t9"`, fields[1].Message)

	iv.DurationMinutes, iv.ExcludedInterpreters = 60, []string{"t1"}
	require.NoError(t, iv.Validate(s, refs))
	iv.Status = "lost"
	require.Equal(t, "status", errs.FieldsOf(iv.Validate(s, refs))[0].Path)

	// An entity being replaced does not clash with its own stored id.
	loc := &resources.Location{Location: solver.Location{ID: "HEL", Name: "Helsinki"}}
	require.NoError(t, loc.Validate(s, refs))
}

func TestInstanceErrorKeepsEveryProblem(t *testing.T) {
	err := solver.Validate(&solver.Instance{Format: "nope"})
	ie := resources.InstanceError(err)
	require.Equal(t, errs.Invalid, errs.CodeOf(ie))
	var ve *solver.ValidationError
	require.ErrorAs(t, err, &ve)
	require.Len(t, errs.FieldsOf(ie), len(ve.Problems))
	require.Equal(t, "format", errs.FieldsOf(ie)[0].Path)
}

// The settings' weights accept the graded change's change_resource and
// are checked like an instance's.
func TestSettingsWeights(t *testing.T) {
	for _, tt := range []struct {
		weights map[string]int
		path    string // "" when valid
	}{
		{map[string]int{"change": 500, "change_resource": 100}, ""},
		{map[string]int{"change_resource": 0}, ""},
		{map[string]int{"change_resource": -1}, "weights.change_resource"},
		{map[string]int{"change_resources": 100}, "weights.change_resources"},
	} {
		s := resources.Settings{Timezone: "Europe/Helsinki", Horizon: &solver.DateRange{Start: "2026-12-07", End: "2026-12-18"}, Weights: tt.weights}
		err := s.Validate()
		if tt.path == "" {
			require.NoError(t, err, "%v", tt.weights)
			continue
		}
		require.Equal(t, errs.Invalid, errs.CodeOf(err), "%v", tt.weights)
		require.Equal(t, tt.path, errs.FieldsOf(err)[0].Path)
	}
}
