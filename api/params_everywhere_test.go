package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/resources"
)

// Every GET of the API, walked from the router so that a new endpoint is
// covered too, refuses a query parameter it does not know with a 400 that
// names it. (Calendar feeds, /feeds/{token}.ics, are read by calendar apps
// that may add their own parameters: they are left out.)
func TestEveryGETRefusesUnknownParameters(t *testing.T) {
	t.Parallel()
	e, _, _ := newBookingEnv(t, nil)
	// Path parameters are filled with things that exist in the fixture, so
	// that a handler that looks its subject up first cannot answer 404.
	fill := strings.NewReplacer("/interviewers/{id}", "/interviewers/e1", "/interpreters/{id}", "/interpreters/t1",
		"/interviews/{id}", "/interviews/I-1", "/rooms/{id}", "/rooms/HEL-R1", "/locations/{id}", "/locations/HEL",
		"/parties/{id}", "/parties/c1", "{from}", "HEL", "{to}", "HEL", "{absence}", "1", "{id}", "1", "{name}", "cleanup")
	var paths []string
	require.NoError(t, chi.Walk(e.srv.Router(), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if method == http.MethodGet && strings.HasPrefix(route, "/v1/") {
			paths = append(paths, fill.Replace(route))
		}
		return nil
	}))
	require.Greater(t, len(paths), 20, "the walk found the API's routes")
	for _, p := range paths {
		r := e.do(resources.RoleAdmin, "GET", p+"?zzz=1", nil)
		require.Equal(t, 400, r.Status, "GET %s?zzz=1: %s", p, r.Body)
		var named bool
		for _, f := range r.problem(t).Errors {
			named = named || f.Path == "zzz"
		}
		require.True(t, named, "GET %s?zzz=1 names the parameter: %s", p, r.Body)
	}
}
