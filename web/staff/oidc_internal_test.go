package staff

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/resources"
)

func TestParseRoleMap(t *testing.T) {
	t.Parallel()
	m, err := ParseRoleMap(" migri-clerks=clerk, migri-managers = manager,,migri-admins=admin ")
	require.NoError(t, err)
	require.Equal(t, map[string]resources.Role{"migri-clerks": resources.RoleClerk, "migri-managers": resources.RoleManager,
		"migri-admins": resources.RoleAdmin}, m)
	for _, bad := range []string{"", " , ", "migri-clerks", "=clerk", "staff=boss"} {
		_, err := ParseRoleMap(bad)
		require.Error(t, err, bad)
	}
}

func TestRoleFromClaims(t *testing.T) {
	t.Parallel()
	m := map[string]resources.Role{"c": resources.RoleClerk, "m": resources.RoleManager, "a": resources.RoleAdmin}
	claims := map[string]any{
		"groups":       []any{"x", "m", "c", 7},
		"role":         "a",
		"realm_access": map[string]any{"roles": []any{"c"}},
		"none":         []any{"x", "y"},
	}
	for _, c := range []struct {
		claim string
		want  resources.Role
		ok    bool
	}{
		{"groups", resources.RoleManager, true}, // the highest of several
		{"role", resources.RoleAdmin, true},     // a string
		{"realm_access.roles", resources.RoleClerk, true},
		{"none", "", false},
		{"missing", "", false},
		{"role.deeper", "", false},
	} {
		got, ok := mapRole(claimValues(claims, c.claim), m)
		require.Equal(t, c.ok, ok, c.claim)
		require.Equal(t, c.want, got, c.claim)
	}
}

func TestDisplayName(t *testing.T) {
	t.Parallel()
	require.Equal(t, "Anna Example", displayName(map[string]any{"name": " Anna Example ", "preferred_username": "anna"}, "s"))
	require.Equal(t, "anna", displayName(map[string]any{"name": "", "preferred_username": "anna"}, "s"))
	require.Equal(t, "anna@migri.example", displayName(map[string]any{"email": "anna@migri.example"}, "s"))
	require.Equal(t, "sub-1", displayName(map[string]any{}, "sub-1"))
}
