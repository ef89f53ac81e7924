package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/go-chi/chi/v5"
	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/api"
	"github.com/asylum-scheduling/interviews/internal/generator"
	"github.com/asylum-scheduling/interviews/internal/pgtest"
	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

var (
	docOnce   sync.Once
	docRouter routers.Router
	docErr    error
)

func openapiRouter(t testing.TB) routers.Router {
	t.Helper()
	docOnce.Do(func() {
		// YAML bodies are text to a validating proxy, as the document says
		// (a string), not an object decoded from them.
		openapi3filter.RegisterBodyDecoder("application/yaml", func(body io.Reader, _ http.Header, _ *openapi3.SchemaRef, _ openapi3filter.EncodingFn) (any, error) {
			b, err := io.ReadAll(body)
			return string(b), err
		})
		loader := openapi3.NewLoader()
		doc, err := loader.LoadFromData(api.OpenAPI)
		if err != nil {
			docErr = err
			return
		}
		if err := doc.Validate(context.Background()); err != nil {
			docErr = err
			return
		}
		docRouter, docErr = gorillamux.NewRouter(doc)
	})
	require.NoError(t, docErr)
	return docRouter
}

// env is a server on a fresh database with one token per role.
type env struct {
	t      *testing.T
	db     *postgres.DB
	raw    *pgtest.Raw // the test's own SQL
	srv    *api.Server
	deps   api.Deps // what srv serves with (testDeps)
	tokens map[resources.Role]string
	logs   *bytes.Buffer
	mu     sync.Mutex
}

func newEnv(t *testing.T) *env {
	t.Helper()
	raw := pgtest.Open(t)
	db := postgres.New(raw, nil)
	e := &env{t: t, db: db, raw: raw, tokens: map[resources.Role]string{}, logs: &bytes.Buffer{}}
	log := slog.New(slog.NewJSONHandler(lockedWriter{e}, nil))
	e.deps = testDeps(db, log, nil)
	e.srv = api.New(e.deps)
	for _, role := range []resources.Role{resources.RoleClerk, resources.RoleManager, resources.RoleAdmin} {
		tok, _, err := db.CreateToken(context.Background(), "test-"+string(role), role)
		require.NoError(t, err)
		e.tokens[role] = tok
	}
	return e
}

type lockedWriter struct{ e *env }

func (w lockedWriter) Write(p []byte) (int, error) {
	w.e.mu.Lock()
	defer w.e.mu.Unlock()
	return w.e.logs.Write(p)
}

type resp struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r resp) json(t testing.TB, v any) {
	t.Helper()
	require.NoError(t, json.Unmarshal(r.Body, v), "%s", r.Body)
}

func (r resp) problem(t testing.TB) api.Problem {
	t.Helper()
	require.Equal(t, "application/problem+json", r.Header.Get("Content-Type"), "%s", r.Body)
	var p api.Problem
	r.json(t, &p)
	return p
}

// do sends a request through the real router and checks the response
// against the OpenAPI document.
func (e *env) do(role resources.Role, method, path string, body any, hdr ...string) resp {
	t := e.t
	t.Helper()
	var raw []byte
	switch b := body.(type) {
	case nil:
	case []byte:
		raw = b
	case string:
		raw = []byte(b)
	default:
		var err error
		raw, err = json.Marshal(b)
		require.NoError(t, err)
	}
	req := httptest.NewRequest(method, path, bytes.NewReader(raw))
	if raw != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+e.tokens[role])
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	e.srv.ServeHTTP(rec, req)
	out := resp{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
	validateResponse(t, method, path, raw, req.Header, out)
	return out
}

func validateResponse(t testing.TB, method, path string, body []byte, h http.Header, r resp) {
	t.Helper()
	router := openapiRouter(t)
	req := httptest.NewRequest(method, "http://localhost"+path, bytes.NewReader(body))
	req.Header = h.Clone()
	route, params, err := router.FindRoute(req)
	if errors.Is(err, routers.ErrMethodNotAllowed) {
		// Documented (info and the Error response): 405 problem+json with Allow.
		require.Equal(t, http.StatusMethodNotAllowed, r.Status, "%s %s is not documented: %v", method, path, err)
		require.Equal(t, "application/problem+json", r.Header.Get("Content-Type"))
		require.NotEmpty(t, r.Header.Get("Allow"))
		return
	}
	if err != nil {
		require.Equal(t, http.StatusNotFound, r.Status, "%s %s is not documented: %v", method, path, err)
		return
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true}}
	if r.Status < 300 && method != http.MethodGet {
		// The server took it: the document must take it too.
		require.NoError(t, openapi3filter.ValidateRequest(context.Background(), in), "%s %s: request not as documented: %s", method, path, body)
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	rin := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: r.Status, Header: r.Header,
		Options: in.Options}
	rin.SetBodyBytes(r.Body)
	require.NoError(t, openapi3filter.ValidateResponse(context.Background(), rin), "%s %s -> %d %s", method, path, r.Status, r.Body)
}

func TestEveryRouteIsDocumentedAndEveryDocumentedRouteExists(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(api.OpenAPI)
	require.NoError(t, err)
	require.NoError(t, doc.Validate(context.Background()))

	var routes []string
	require.NoError(t, chi.Walk(e.srv.Router(), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		routes = append(routes, method+" "+strings.TrimSuffix(route, "/"))
		return nil
	}))
	var documented []string
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented = append(documented, method+" "+path)
		}
	}
	sort.Strings(routes)
	sort.Strings(documented)
	require.Equal(t, documented, routes)
}

func TestHealthReadyMetricsOpenAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.do("", "GET", "/healthz", nil)
	require.Equal(t, 200, r.Status)
	r = e.do("", "GET", "/readyz", nil)
	require.Equal(t, 200, r.Status, "%s", r.Body)
	r = e.do("", "GET", "/openapi.yaml", nil)
	require.Equal(t, 200, r.Status)
	require.Contains(t, string(r.Body), "openapi: 3.0")

	r = e.do(resources.RoleClerk, "GET", "/v1/rooms", nil, "X-Request-Id", "req-42")
	require.Equal(t, "req-42", r.Header.Get("X-Request-Id"))
	r = e.do(resources.RoleClerk, "GET", "/v1/rooms?location=HEL", nil, "X-Request-Id", "bad id with spaces")
	require.Len(t, r.Header.Get("X-Request-Id"), 16, "a made-up id replaces an unusable one")
	e.mu.Lock()
	logs := e.logs.String()
	e.mu.Unlock()
	require.Contains(t, logs, `"request_id":"req-42"`)
	require.NotContains(t, logs, "location=HEL", "no queries in logs")
	r = e.do("", "GET", "/metrics", nil)
	require.Equal(t, 200, r.Status)
	body := string(r.Body)
	require.Contains(t, body, `interviewd_http_requests_total{method="GET",route="/v1/rooms",status="200"} 2`)
	require.Contains(t, body, `interviewd_http_request_duration_seconds_bucket{method="GET",route="/v1/rooms"`)
	require.Contains(t, body, `interviewd_db_pool_max_conns`)
}

func TestReadyzFailsWhenDatabaseIsGone(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.raw.Close()
	r := e.do("", "GET", "/readyz", nil)
	require.Equal(t, 503, r.Status)
}

func TestAuth(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.do("", "GET", "/v1/rooms", nil)
	require.Equal(t, 401, r.Status)
	p := r.problem(t)
	require.Equal(t, "unauthorized", string(p.Code))
	require.NotEmpty(t, r.Header.Get("WWW-Authenticate"))

	r = e.do("", "GET", "/v1/rooms", nil, "Authorization", "Bearer ivt_not-a-real-token")
	require.Equal(t, 401, r.Status)

	// A clerk reads resources but may not change them; a manager may.
	require.Equal(t, 200, e.do(resources.RoleClerk, "GET", "/v1/locations", nil).Status)
	r = e.do(resources.RoleClerk, "POST", "/v1/locations", map[string]any{"id": "HEL", "name": "Helsinki"})
	require.Equal(t, 403, r.Status)
	require.Equal(t, "forbidden", string(r.problem(t).Code))
	require.Equal(t, 201, e.do(resources.RoleManager, "POST", "/v1/locations", map[string]any{"id": "HEL", "name": "Helsinki"}).Status)

	// Tokens are the admin's.
	require.Equal(t, 403, e.do(resources.RoleManager, "GET", "/v1/tokens", nil).Status)
	r = e.do(resources.RoleAdmin, "POST", "/v1/tokens", map[string]any{"name": "new-desk", "role": "clerk"})
	require.Equal(t, 201, r.Status, "%s", r.Body)
	var created struct {
		ID    int64  `json:"id"`
		Token string `json:"token"`
	}
	r.json(t, &created)
	r = e.do("", "GET", "/v1/interviews", nil, "Authorization", "Bearer "+created.Token)
	require.Equal(t, 200, r.Status)
	r = e.do(resources.RoleAdmin, "GET", "/v1/tokens", nil)
	require.Equal(t, 200, r.Status)
	require.NotContains(t, string(r.Body), created.Token)
	require.Equal(t, 204, e.do(resources.RoleAdmin, "DELETE", "/v1/tokens/"+itoa(created.ID), nil).Status)
	r = e.do("", "GET", "/v1/interviews", nil, "Authorization", "Bearer "+created.Token)
	require.Equal(t, 401, r.Status)

	// Logs carry no token.
	e.mu.Lock()
	logs := e.logs.String()
	e.mu.Unlock()
	for _, tok := range e.tokens {
		require.NotContains(t, logs, tok)
	}
	require.NotContains(t, logs, created.Token)
	require.Contains(t, logs, `"route":"/v1/locations"`)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestRoomCRUDWithETags(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	m := resources.RoleManager
	require.Equal(t, 201, e.do(m, "POST", "/v1/locations", map[string]any{"id": "HEL", "name": "Helsinki"}).Status)

	room := map[string]any{"id": "HEL-R1", "location": "HEL", "features": []string{"video"},
		"availability": []map[string]string{{"start": "2026-12-07T08:00:00+02:00", "end": "2026-12-07T16:00:00+02:00"}}}
	r := e.do(m, "POST", "/v1/rooms", room)
	require.Equal(t, 201, r.Status, "%s", r.Body)
	require.Equal(t, `"1"`, r.Header.Get("ETag"))
	require.Equal(t, "/v1/rooms/HEL-R1", r.Header.Get("Location"))

	r = e.do(resources.RoleClerk, "GET", "/v1/rooms/HEL-R1", nil)
	require.Equal(t, 200, r.Status)
	var got resources.Room
	r.json(t, &got)
	require.Equal(t, "HEL", got.Location)
	require.True(t, got.Active)
	require.Equal(t, []string{"video"}, got.Features)
	require.Len(t, got.Availability, 1)

	require.Equal(t, 409, e.do(m, "POST", "/v1/rooms", room).Status)

	room["features"] = []string{"video", "accessible"}
	r = e.do(m, "PUT", "/v1/rooms/HEL-R1", room, "If-Match", `"1"`)
	require.Equal(t, 200, r.Status, "%s", r.Body)
	require.Equal(t, `"2"`, r.Header.Get("ETag"))

	// A stale write is refused.
	r = e.do(m, "PUT", "/v1/rooms/HEL-R1", room, "If-Match", `"1"`)
	require.Equal(t, 412, r.Status)
	require.Equal(t, "precondition_failed", string(r.problem(t).Code))

	// Deactivate.
	room["active"] = false
	r = e.do(m, "PUT", "/v1/rooms/HEL-R1", room, "If-Match", `"2"`)
	require.Equal(t, 200, r.Status)
	var list resources.Page[resources.Room]
	e.do(resources.RoleClerk, "GET", "/v1/rooms?active=true", nil).json(t, &list)
	require.Empty(t, list.Items)
	e.do(resources.RoleClerk, "GET", "/v1/rooms?location=HEL", nil).json(t, &list)
	require.Len(t, list.Items, 1)

	require.Equal(t, 412, e.do(m, "DELETE", "/v1/rooms/HEL-R1", nil, "If-Match", `"2"`).Status)
	require.Equal(t, 204, e.do(m, "DELETE", "/v1/rooms/HEL-R1", nil, "If-Match", `"3"`).Status)
	require.Equal(t, 404, e.do(resources.RoleClerk, "GET", "/v1/rooms/HEL-R1", nil).Status)
}

func TestValidationErrorsHavePaths(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	m := resources.RoleManager
	require.Equal(t, 201, e.do(m, "POST", "/v1/locations", map[string]any{"id": "HEL", "name": "Helsinki"}).Status)

	r := e.do(m, "POST", "/v1/interpreters", map[string]any{"id": "t1", "languages": []string{"ar", "not a tag"},
		"skills": []string{}, "modes": []string{"onsite", "telepathy"}, "locations": []string{"OUL"}, "availability": []any{}})
	require.Equal(t, 400, r.Status)
	p := r.problem(t)
	require.Equal(t, "invalid", string(p.Code))
	paths := map[string]string{}
	for _, f := range p.Errors {
		paths[f.Path] = f.Message
	}
	require.Contains(t, paths, "languages[1]")
	require.Contains(t, paths, "modes[1]")
	require.Equal(t, `unknown location "OUL"`, paths["locations[0]"])

	r = e.do(m, "POST", "/v1/rooms", map[string]any{"id": "R", "location": "HEL", "features": []string{}, "colour": "red"})
	require.Equal(t, 400, r.Status)
	require.Equal(t, "colour", r.problem(t).Errors[0].Path)

	// A right-to-left override would show the name reversed on every page:
	// an office's, a room's.
	r = e.do(m, "POST", "/v1/locations", map[string]any{"id": "BIDI", "name": "Evil \u202eofficE"})
	require.Equal(t, 400, r.Status, "%s", r.Body)
	require.Equal(t, "name", r.problem(t).Errors[0].Path)
	r = e.do(m, "POST", "/v1/rooms", map[string]any{"id": "R", "location": "HEL", "features": []string{}, "name": "Sali \u202e2 ilaS"})
	require.Equal(t, 400, r.Status)
	require.Equal(t, "name", r.problem(t).Errors[0].Path)

	r = e.do(m, "POST", "/v1/rooms", map[string]any{"id": "R", "location": "HEL", "features": "video"})
	require.Equal(t, 400, r.Status)
	require.Equal(t, "features", r.problem(t).Errors[0].Path)

	r = e.do(m, "POST", "/v1/rooms", `{"id": "R",`)
	require.Equal(t, 400, r.Status)

	r = e.do(resources.RoleClerk, "GET", "/v1/rooms?colour=red", nil)
	require.Equal(t, 400, r.Status)
	require.Equal(t, "colour", r.problem(t).Errors[0].Path)

	big := `{"id": "R", "location": "HEL", "features": [], "x": "` + strings.Repeat("a", api.MaxBody) + `"}`
	r = e.do(m, "POST", "/v1/rooms", big)
	require.Equal(t, 413, r.Status)
	require.Equal(t, "too_large", string(r.problem(t).Code))
}

func TestInterviewRequestsByClerk(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := resources.RoleClerk
	require.Equal(t, 201, e.do(resources.RoleManager, "POST", "/v1/locations", map[string]any{"id": "HEL", "name": "Helsinki"}).Status)
	iv := map[string]any{"id": "I-1", "case": "C-1", "language": "ti", "duration_minutes": 120, "earliest": "2026-12-07",
		"locations": []string{"HEL"}, "interpreter_mode": "prefer_onsite"}
	r := e.do(c, "POST", "/v1/interviews", iv)
	require.Equal(t, 201, r.Status, "%s", r.Body)
	var got resources.Interview
	r.json(t, &got)
	require.Equal(t, resources.StatusPending, got.Status)

	iv["status"] = "cancelled"
	r = e.do(c, "PUT", "/v1/interviews/I-1", iv)
	require.Equal(t, 200, r.Status, "%s", r.Body)
	r.json(t, &got)
	require.Equal(t, resources.StatusCancelled, got.Status)

	iv["id"] = "I-other"
	require.Equal(t, 400, e.do(c, "PUT", "/v1/interviews/I-1", iv).Status)

	var page resources.Page[resources.Interview]
	e.do(c, "GET", "/v1/interviews?status=cancelled&language=ti", nil).json(t, &page)
	require.Len(t, page.Items, 1)
	require.Equal(t, 204, e.do(c, "DELETE", "/v1/interviews/I-1", nil).Status)
}

func TestListPaging(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, id := range []string{"A", "B", "C", "D", "E"} {
		require.Equal(t, 201, e.do(resources.RoleManager, "POST", "/v1/locations", map[string]any{"id": id, "name": id}).Status)
	}
	var ids []string
	url := "/v1/locations?limit=2"
	for i := 0; i < 5; i++ {
		var page resources.Page[resources.Location]
		r := e.do(resources.RoleClerk, "GET", url, nil)
		require.Equal(t, 200, r.Status)
		r.json(t, &page)
		for _, l := range page.Items {
			ids = append(ids, l.ID)
		}
		if page.NextCursor == "" {
			break
		}
		url = "/v1/locations?limit=2&cursor=" + page.NextCursor
	}
	require.Equal(t, []string{"A", "B", "C", "D", "E"}, ids)
}

func TestNotFoundAndTimeoutsAreProblems(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.do(resources.RoleClerk, "GET", "/v1/parties/nobody", nil)
	require.Equal(t, 404, r.Status)
	require.Equal(t, "not_found", string(r.problem(t).Code))
	r = e.do(resources.RoleClerk, "GET", "/v1/bookings/12345", nil)
	require.Equal(t, 404, r.Status)
	r = e.do(resources.RoleClerk, "GET", "/v2/nothing", nil)
	require.Equal(t, 404, r.Status)
	require.Equal(t, "not_found", string(r.problem(t).Code))
	req := httptest.NewRequest("PATCH", "/healthz", nil)
	rec := httptest.NewRecorder()
	e.srv.ServeHTTP(rec, req)
	require.Equal(t, 405, rec.Code)
	require.Equal(t, "application/problem+json", rec.Header().Get("Content-Type"))
}

func TestInstanceImportExportAndOrphanConflict(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	in, err := generator.Generate("S", 11)
	require.NoError(t, err)
	fit, err := solver.FirstFit(in)
	require.NoError(t, err)
	for _, a := range fit.Assignments {
		in.Bookings = append(in.Bookings, solver.Booking{Interview: a.Interview, Start: a.Start, Room: a.Room,
			Interviewer: a.Interviewer, Interpreter: a.Interpreter, Mode: a.Mode, Pinned: true})
	}
	require.NotEmpty(t, in.Bookings)

	// A clerk may export but not import.
	require.Equal(t, 403, e.do(resources.RoleClerk, "POST", "/v1/instance", in).Status)
	r := e.do(resources.RoleManager, "POST", "/v1/instance", in)
	require.Equal(t, 200, r.Status, "%s", r.Body)
	var sum struct{ Interviews, Bookings int }
	r.json(t, &sum)
	require.Equal(t, len(in.Interviews), sum.Interviews)
	require.Equal(t, len(in.Bookings), sum.Bookings)

	r = e.do(resources.RoleClerk, "GET", "/v1/instance", nil)
	require.Equal(t, 200, r.Status)
	out, err := solver.ParseInstance(bytes.NewReader(r.Body))
	require.NoError(t, err)
	require.Len(t, out.Interviews, len(in.Interviews))
	require.Len(t, out.Bookings, len(in.Bookings))

	// A narrower window keeps fewer interviews, and stays valid.
	r = e.do(resources.RoleClerk, "GET", "/v1/instance?from="+in.Horizon.Start+"&to="+in.Horizon.Start, nil)
	require.Equal(t, 200, r.Status)
	_, err = solver.ParseInstance(bytes.NewReader(r.Body))
	require.NoError(t, err)
	require.Equal(t, 400, e.do(resources.RoleClerk, "GET", "/v1/instance?from=tomorrow", nil).Status)

	// An invalid document is refused whole, with the solver's paths.
	bad := map[string]any{}
	require.NoError(t, json.Unmarshal(mustJSON(t, in), &bad))
	bad["interviews"].([]any)[0].(map[string]any)["language"] = "not a tag"
	bad["rooms"].([]any)[0].(map[string]any)["colour"] = "red"
	r = e.do(resources.RoleManager, "POST", "/v1/instance", bad)
	require.Equal(t, 400, r.Status)
	p := r.problem(t)
	require.Equal(t, "invalid", string(p.Code))
	require.Equal(t, "rooms[0].colour", p.Errors[0].Path, "%v", p.Errors)
	delete(bad["rooms"].([]any)[0].(map[string]any), "colour")
	r = e.do(resources.RoleManager, "POST", "/v1/instance", bad)
	require.Equal(t, 400, r.Status)
	require.Equal(t, "interviews[0].language", r.problem(t).Errors[0].Path)
	r = e.do(resources.RoleClerk, "GET", "/v1/instance", nil)
	again, err := solver.ParseInstance(bytes.NewReader(r.Body))
	require.NoError(t, err)
	require.Equal(t, out, again)

	// No delete that would orphan a booking.
	b := in.Bookings[0]
	r = e.do(resources.RoleManager, "DELETE", "/v1/rooms/"+b.Room, nil)
	require.Equal(t, 409, r.Status)
	require.Equal(t, "conflict", string(r.problem(t).Code))
	require.Equal(t, 409, e.do(resources.RoleClerk, "DELETE", "/v1/interviews/"+b.Interview, nil).Status)

	var bookings resources.Page[resources.Booking]
	e.do(resources.RoleClerk, "GET", "/v1/bookings?interview="+b.Interview, nil).json(t, &bookings)
	require.Len(t, bookings.Items, 1)
	require.Equal(t, b.Start, bookings.Items[0].Start)
	e.do(resources.RoleClerk, "GET", "/v1/bookings?from="+in.Horizon.Start+"&to="+in.Horizon.End+"&limit=1000", nil).json(t, &bookings)
	require.Len(t, bookings.Items, len(in.Bookings))
	e.do(resources.RoleClerk, "GET", "/v1/bookings?from="+in.Horizon.End+"T23:59:59Z", nil).json(t, &bookings)
	require.Empty(t, bookings.Items)
	var page1, page2 resources.Page[resources.Booking]
	e.do(resources.RoleClerk, "GET", "/v1/bookings?limit=2", nil).json(t, &page1)
	require.Len(t, page1.Items, 2)
	e.do(resources.RoleClerk, "GET", "/v1/bookings?limit=2&cursor="+page1.NextCursor, nil).json(t, &page2)
	require.Greater(t, page2.Items[0].ID, page1.Items[1].ID)
	require.Equal(t, 400, e.do(resources.RoleClerk, "GET", "/v1/bookings?from=yesterday", nil).Status)
	r = e.do(resources.RoleClerk, "GET", "/v1/bookings/"+itoa(page1.Items[0].ID), nil)
	require.Equal(t, 200, r.Status)
	require.Equal(t, 200, e.do(resources.RoleClerk, "GET", "/v1/settings", nil).Status)
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

func TestSettingsTravelAndAbsences(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	m, c := resources.RoleManager, resources.RoleClerk
	for _, id := range []string{"HEL", "OUL"} {
		require.Equal(t, 201, e.do(m, "POST", "/v1/locations", map[string]any{"id": id, "name": id}).Status)
	}

	// Settings: the solver's paths on bad values; If-Match guarded.
	r := e.do(c, "GET", "/v1/settings", nil)
	require.Equal(t, 200, r.Status)
	etag := r.Header.Get("ETag")
	r = e.do(m, "PUT", "/v1/settings", map[string]any{"timezone": "Mars/Olympus", "horizon": map[string]string{"start": "2026-12-07", "end": "2026-12-01"},
		"start_times": []string{"25:00"}}, "If-Match", etag)
	require.Equal(t, 400, r.Status)
	paths := map[string]bool{}
	for _, f := range r.problem(t).Errors {
		paths[f.Path] = true
	}
	require.True(t, paths["timezone"] && paths["horizon"] && paths["start_times[0]"], "%v", paths)
	good := map[string]any{"timezone": "Europe/Helsinki", "horizon": map[string]string{"start": "2026-12-07", "end": "2026-12-18"}, "grain_minutes": 30}
	r = e.do(m, "PUT", "/v1/settings", good, "If-Match", etag)
	require.Equal(t, 200, r.Status, "%s", r.Body)
	require.Equal(t, 412, e.do(m, "PUT", "/v1/settings", good, "If-Match", etag).Status)
	require.Equal(t, 403, e.do(c, "PUT", "/v1/settings", good).Status)

	// An interview of 45 minutes does not fit a 30-minute grain.
	iv := map[string]any{"id": "I-1", "case": "C-1", "language": "so", "duration_minutes": 45, "earliest": "2026-12-07", "locations": []string{"HEL"}}
	r = e.do(c, "POST", "/v1/interviews", iv)
	require.Equal(t, 400, r.Status)
	require.Equal(t, "duration_minutes", r.problem(t).Errors[0].Path)
	iv["duration_minutes"] = 60
	require.Equal(t, 201, e.do(c, "POST", "/v1/interviews", iv).Status)
	// ... nor may the grain change under it.
	good["grain_minutes"] = 50
	r = e.do(m, "PUT", "/v1/settings", good)
	require.Equal(t, 400, r.Status, "50 does not divide a day")
	good["grain_minutes"] = 120
	r = e.do(m, "PUT", "/v1/settings", good)
	require.Equal(t, 409, r.Status, "%s", r.Body)
	require.Equal(t, "interviews[0].duration_minutes", r.problem(t).Errors[0].Path)

	// Travel times, both ways.
	r = e.do(m, "PUT", "/v1/travel-times/HEL/OUL", map[string]any{"minutes": 360})
	require.Equal(t, 200, r.Status, "%s", r.Body)
	require.Equal(t, 200, e.do(m, "PUT", "/v1/travel-times/OUL/HEL", map[string]any{"minutes": 350}).Status)
	var travel struct{ Items []map[string]any }
	e.do(c, "GET", "/v1/travel-times", nil).json(t, &travel)
	require.Len(t, travel.Items, 1)
	require.EqualValues(t, 350, travel.Items[0]["minutes"])
	r = e.do(m, "PUT", "/v1/travel-times/HEL/TKU", map[string]any{"minutes": 100})
	require.Equal(t, 400, r.Status)
	require.Equal(t, "to", r.problem(t).Errors[0].Path)
	require.Equal(t, 400, e.do(m, "PUT", "/v1/travel-times/HEL/OUL", map[string]any{}).Status)
	require.Equal(t, 204, e.do(m, "DELETE", "/v1/travel-times/HEL/OUL", nil).Status)
	require.Equal(t, 404, e.do(m, "DELETE", "/v1/travel-times/HEL/OUL", nil).Status)

	// Absences cut holes in the exported availability. The day is in the
	// coming January (winter time, +02:00), so it is never more than a year
	// ago.
	day := strconv.Itoa(time.Now().Year()+1) + "-01-11"
	require.Equal(t, 201, e.do(m, "POST", "/v1/interpreters", map[string]any{"id": "t1", "languages": []string{"so"}, "skills": []string{},
		"modes": []string{"remote"}, "locations": []string{},
		"availability": []map[string]string{{"start": day + "T08:00:00+02:00", "end": day + "T16:00:00+02:00"}}}).Status)
	r = e.do(m, "POST", "/v1/interpreters/t1/absences", map[string]string{"start": day + "T10:00:00+02:00", "end": day + "T12:00:00+02:00"})
	require.Equal(t, 201, r.Status, "%s", r.Body)
	var abs resources.Absence
	r.json(t, &abs)
	r = e.do(m, "POST", "/v1/interpreters/t1/absences", map[string]string{"start": day + "T12:00:00+02:00", "end": day + "T10:00:00+02:00"})
	require.Equal(t, 400, r.Status)
	// Bounded: not from long ago, not for ever (a typed year 0001 or 9999).
	r = e.do(m, "POST", "/v1/interpreters/t1/absences", map[string]string{"start": "0001-01-01T10:00:00Z", "end": day + "T12:00:00+02:00"})
	require.Equal(t, 400, r.Status, "%s", r.Body)
	require.Equal(t, "start", r.problem(t).Errors[0].Path)
	r = e.do(m, "POST", "/v1/interpreters/t1/absences", map[string]string{"start": day + "T10:00:00+02:00", "end": "9999-12-31T12:00:00Z"})
	require.Equal(t, 400, r.Status, "%s", r.Body)
	require.Equal(t, "end", r.problem(t).Errors[0].Path)
	require.Equal(t, 404, e.do(m, "POST", "/v1/interpreters/nobody/absences", map[string]string{"start": day + "T10:00:00+02:00", "end": day + "T12:00:00+02:00"}).Status)
	var list struct{ Items []resources.Absence }
	e.do(c, "GET", "/v1/interpreters/t1/absences", nil).json(t, &list)
	require.Len(t, list.Items, 1)

	r = e.do(c, "GET", "/v1/instance", nil)
	require.Equal(t, 200, r.Status, "%s", r.Body)
	in, err := solver.ParseInstance(bytes.NewReader(r.Body))
	require.NoError(t, err)
	require.Equal(t, []solver.Interval{
		{Start: day + "T08:00:00+02:00", End: day + "T10:00:00+02:00"},
		{Start: day + "T12:00:00+02:00", End: day + "T16:00:00+02:00"},
	}, in.Interpreters[0].Availability)

	require.Equal(t, 204, e.do(m, "DELETE", "/v1/interpreters/t1/absences/"+itoa(abs.ID), nil).Status)
	require.Equal(t, 404, e.do(m, "DELETE", "/v1/interpreters/t1/absences/"+itoa(abs.ID), nil).Status)
}

func TestConcurrentWritesOneWins(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	m := resources.RoleManager
	require.Equal(t, 201, e.do(m, "POST", "/v1/locations", map[string]any{"id": "HEL", "name": "Helsinki"}).Status)
	const n = 8
	codes := make(chan int, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			req := httptest.NewRequest("PUT", "/v1/locations/HEL", strings.NewReader(`{"name": "Helsinki `+strconv.Itoa(i)+`"}`))
			req.Header.Set("Authorization", "Bearer "+e.tokens[m])
			req.Header.Set("If-Match", `"1"`)
			rec := httptest.NewRecorder()
			e.srv.ServeHTTP(rec, req)
			codes <- rec.Code
		}(i)
	}
	wg.Wait()
	close(codes)
	count := map[int]int{}
	for c := range codes {
		count[c]++
	}
	require.Equal(t, map[int]int{200: 1, 412: n - 1}, count)
	var loc resources.Location
	e.do(resources.RoleClerk, "GET", "/v1/locations/HEL", nil).json(t, &loc)
	require.Equal(t, int64(2), loc.Version)
}
