package api_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/resources"
)

// Answers that a validating proxy flagged match the OpenAPI document now
// (e.do validates every answer against it): rooms and parties without
// opening hours (availability null), a method an endpoint does not answer
// (405), and the document itself.
func TestDocumentCoversTheseAnswers(t *testing.T) {
	t.Parallel()
	e, _, _ := newBookingEnv(t, nil)
	c := resources.RoleClerk
	r := e.do(c, "GET", "/v1/rooms/HEL-R1", nil)
	require.Equal(t, 200, r.Status, "%s", r.Body)
	require.Contains(t, string(r.Body), `"availability":null`)
	require.Equal(t, 200, e.do(c, "GET", "/v1/rooms", nil).Status)
	r = e.do(c, "GET", "/v1/parties/c1", nil)
	require.Equal(t, 200, r.Status, "%s", r.Body)
	require.Contains(t, string(r.Body), `"availability":null`)
	require.Equal(t, 200, e.do(c, "GET", "/v1/parties", nil).Status)

	r = e.do(c, "DELETE", "/v1/settings", nil)
	require.Equal(t, 405, r.Status, "%s", r.Body)
	require.Equal(t, "application/problem+json", r.Header.Get("Content-Type"))
	require.NotEmpty(t, r.Header.Get("Allow"), "a 405 says which methods the endpoint answers")

	r = e.do("", "GET", "/openapi.yaml", nil)
	require.Equal(t, 200, r.Status)
}
