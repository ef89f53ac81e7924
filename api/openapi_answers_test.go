package api_test

import (
	"encoding/json"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/api"
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
	// No operation can list a 405 (the method has none): the document
	// describes it in the Error response, and its body is a Problem.
	doc, err := openapi3.NewLoader().LoadFromData(api.OpenAPI)
	require.NoError(t, err)
	require.Contains(t, *doc.Components.Responses["Error"].Value.Description, "405")
	require.Contains(t, *doc.Components.Responses["Error"].Value.Description, "Allow")
	var body any
	require.NoError(t, json.Unmarshal(r.Body, &body))
	require.NoError(t, doc.Components.Schemas["Problem"].Value.VisitJSON(body), "%s", r.Body)

	r = e.do("", "GET", "/openapi.yaml", nil)
	require.Equal(t, 200, r.Status)
}
