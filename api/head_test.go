package api_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/resources"
)

// HEAD is answered wherever GET is (link checkers ask with HEAD): for every
// GET route, HEAD gives GET's status and content type, and no body. Unknown
// paths stay 404 and other methods 405, whose Allow lists HEAD beside GET.
func TestHeadWhereverGet(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	srv := httptest.NewServer(e.srv)
	t.Cleanup(srv.Close)
	param := regexp.MustCompile(`\{[^}]+\}|\*`)
	ask := func(method, path string) (int, string, []byte) {
		t.Helper()
		req, err := http.NewRequest(method, srv.URL+path, nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+e.tokens[resources.RoleManager])
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		require.NoError(t, err)
		return res.StatusCode, res.Header.Get("Content-Type"), body
	}
	var paths []string
	require.NoError(t, chi.Walk(e.srv.Router(), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if method == http.MethodGet {
			paths = append(paths, strings.ReplaceAll(param.ReplaceAllString(route, "x"), "/*/", "/"))
		}
		return nil
	}))
	require.Greater(t, len(paths), 30)
	paths = append(paths, "/v1/no-such-thing")
	for _, p := range paths {
		status, ctype, _ := ask(http.MethodGet, p)
		hstatus, hctype, hbody := ask(http.MethodHead, p)
		require.NotEqual(t, http.StatusMethodNotAllowed, hstatus, "HEAD %s", p)
		require.Equal(t, status, hstatus, "HEAD %s", p)
		require.Equal(t, ctype, hctype, "HEAD %s", p)
		require.Empty(t, hbody, "HEAD %s", p)
	}
	req, err := http.NewRequest(http.MethodDelete, srv.URL+"/healthz", nil)
	require.NoError(t, err)
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusMethodNotAllowed, res.StatusCode)
	require.Contains(t, res.Header.Get("Allow"), "HEAD")
}
