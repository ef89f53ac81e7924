package api_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/resources"
)

// Ids keep to their alphabet (letters, digits, '.', '_', '-'; 1–64
// characters) wherever they are made; escaped path ids are decoded; text
// that is not UTF-8 or is too long is a 400 naming the field, and nothing is
// stored.
func TestIdsAndTextAreBounded(t *testing.T) {
	t.Parallel()
	e, _, _ := newBookingEnv(t, nil)
	m := resources.RoleManager
	field := func(r resp, want string) {
		t.Helper()
		require.Equal(t, 400, r.Status, "%s", r.Body)
		p := r.problem(t)
		var paths []string
		for _, f := range p.Errors {
			paths = append(paths, f.Path)
		}
		require.Contains(t, paths, want, "%s", r.Body)
	}
	for _, id := range []string{"a/b", "a b", `x"<>()`, "ä", strings.Repeat("x", 65)} {
		field(e.do(m, "POST", "/v1/locations", map[string]any{"id": id, "name": "Somewhere"}), "id")
	}
	field(e.do(m, "POST", "/v1/locations", map[string]any{"id": strings.Repeat("x", 900_000), "name": "Somewhere"}), "id")
	require.Equal(t, 0, e.count(`select count(*) from locations where name = 'Somewhere'`))

	// Invalid UTF-8 inside the JSON: refused, not replaced and stored.
	r := e.do(m, "POST", "/v1/locations", []byte("{\"id\":\"\xff\xfe\",\"name\":\"x\"}"))
	require.Equal(t, 400, r.Status, "%s", r.Body)
	require.Contains(t, r.problem(t).Detail, "UTF-8")
	// A long name names its field.
	field(e.do(m, "POST", "/v1/locations", map[string]any{"id": "LONG", "name": strings.Repeat("n", 5000)}), "name")
	field(e.do(resources.RoleAdmin, "POST", "/v1/tokens", map[string]any{"name": strings.Repeat("t", 101), "role": "clerk"}), "name")

	// Escaped ids in paths are the same ids.
	require.Equal(t, 200, e.do(m, "GET", "/v1/locations/HEL", nil).Status)
	require.Equal(t, 200, e.do(m, "GET", "/v1/locations/%48EL", nil).Status)
	require.Equal(t, 200, e.do(m, "GET", "/v1/rooms/HEL%2DR1", nil).Status)

	// Instance import keeps the same alphabet.
	in := bookingFixture(t)
	in.Rooms[0].ID = "HEL R1"
	r = e.do(m, "POST", "/v1/instance", in)
	require.Equal(t, 400, r.Status, "%s", r.Body)
	require.Contains(t, string(r.Body), "rooms[0].id")
}
