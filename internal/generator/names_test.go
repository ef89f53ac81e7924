package generator

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Every generated person has a name, a unique address under example.org and
// a locale; every room a name unique at its location.
func TestGeneratedPeopleHaveNamesAndAddresses(t *testing.T) {
	t.Parallel()
	for _, size := range []string{"S", "M", "L"} {
		in, err := Generate(size, 3)
		require.NoError(t, err)
		emails := map[string]bool{}
		check := func(id, name, email, locale string) {
			require.NotEmpty(t, name, id)
			require.True(t, strings.HasSuffix(email, "@example.org"), "%s: %s", id, email)
			require.False(t, emails[email], "%s: %s is used twice", id, email)
			emails[email] = true
			require.Contains(t, []string{"fi", "sv", "en"}, locale, id)
		}
		for _, e := range in.Interviewers {
			check(e.ID, e.Name, e.Email, e.Locale)
		}
		for _, x := range in.Interpreters {
			check(x.ID, x.Name, x.Email, x.Locale)
		}
		for _, p := range in.Parties {
			check(p.ID, p.Name, p.Email, p.Locale)
		}
		rooms := map[string]bool{}
		for _, r := range in.Rooms {
			require.NotEmpty(t, r.Name, r.ID)
			require.False(t, rooms[r.Location+"/"+r.Name], "room name %s repeats at %s", r.Name, r.Location)
			rooms[r.Location+"/"+r.Name] = true
		}
	}
}
