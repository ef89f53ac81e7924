package api_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/resources"
)

// TestBadTextAndNumbersAreClientErrors: NUL characters, bytes that are not
// UTF-8 and numbers too large for their column are the client's mistake: 400
// problem+json with the code invalid, never 500.
func TestBadTextAndNumbersAreClientErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	m := resources.RoleManager
	require.Equal(t, 201, e.do(m, "POST", "/v1/locations", map[string]any{"id": "HEL", "name": "Helsinki"}).Status)
	require.Equal(t, 201, e.do(m, "POST", "/v1/locations", map[string]any{"id": "OUL", "name": "Oulu"}).Status)
	cases := []struct {
		name, method, path string
		body               any
	}{
		{"NUL in path", "GET", "/v1/rooms/a%00b", nil},
		{"NUL in query", "GET", "/v1/interviews?language=%00", nil},
		{"not UTF-8 in query", "GET", "/v1/interviews?language=%ff", nil},
		{"malformed query", "GET", "/v1/interviews?language=%zz", nil},
		{"NUL in body", "POST", "/v1/locations", map[string]any{"id": "X\u0000Y", "name": "n"}},
		{"NUL in name", "POST", "/v1/locations", map[string]any{"id": "LPR", "name": "Lappeen\u0000ranta"}},
		{"travel too long", "PUT", "/v1/travel-times/HEL/OUL", map[string]any{"minutes": 3000000000}},
	}
	for _, c := range cases {
		r := e.do(m, c.method, c.path, c.body)
		require.Equal(t, 400, r.Status, "%s: %s", c.name, r.Body)
		require.Equal(t, "invalid", string(r.problem(t).Code), c.name)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	require.NotContains(t, e.logs.String(), `"status":500`)
}
