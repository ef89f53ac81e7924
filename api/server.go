// Package api is the HTTP API of the service (/v1), its health and metrics
// endpoints and its OpenAPI document.
package api

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/asylum-scheduling/interviews/internal/clientaddr"
	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/internal/metrics"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/scheduler"
	"github.com/asylum-scheduling/interviews/solver"
)

// OpenAPI is the API's OpenAPI 3.0 document, served at /openapi.yaml.
//
//go:embed openapi.yaml
var OpenAPI []byte

// Limits of request bodies and durations.
const (
	MaxBody         = 1 << 20  // an entity
	MaxInstanceBody = 64 << 20 // a whole instance
	RequestTimeout  = 30 * time.Second
	ImportTimeout   = 2 * time.Minute
	// ReadyTimeout bounds /readyz on its own: a load balancer's probe must
	// learn of a frozen database in seconds, not after the request limit.
	ReadyTimeout     = 2 * time.Second
	defaultListLimit = resources.DefaultLimit
)

// Server serves the API.
type Server struct {
	db      Store              // reads only
	records *scheduler.Records // changes to the records (api/server.go)
	log     *slog.Logger
	now     func() time.Time
	metrics *httpMetrics
	router  chi.Router
	booking *scheduler.Service   // booking workflow (api/booking.go)
	planner *scheduler.Planner   // plans (api/plans.go)
	jobs    *scheduler.Jobs      // scheduled jobs, listed with their runs; nil: runs only
	feeds   *FeedService         // calendar feeds (api/feeds.go)
	lists   *listCache           // rendered list pages (api/listcache.go)
	portal  *scheduler.Portal    // the portal of interpreters and counsels (api/me.go)
	access  *scheduler.AccessLog // reads of personal data (api/access_log.go); nil: not recorded
	// retention previews and lists the retention's runs (api/retention.go);
	// nil: those routes are not mounted.
	retention *scheduler.Retention

	requestTimeout time.Duration      // limit of an ordinary request
	observer       *metrics.Metrics   // feed answers are counted here
	metricsHere    bool               // serve /metrics
	proxies        clientaddr.Proxies // whose X-Forwarded-* headers are believed
}

// Deps is what the API serves with; cmd/interviewd builds them. All but
// Jobs are required.
type Deps struct {
	Store   Store              // reads; a *postgres.DB
	Records *scheduler.Records // changes to the records, tokens and feeds
	Booking *scheduler.Service // share it with the pages, so that suggestion ids work in both
	Planner *scheduler.Planner // runs plans; share it with the pages
	Jobs    *scheduler.Jobs    // optional: GET /v1/jobs lists these jobs with their runs
	Feeds   *FeedService
	Portal  *scheduler.Portal // sign-in links, sessions and /v1/me
	// Access records the staff's reads of personal data (issue 26);
	// cmd/interviewd always passes it. Nil: reads are not recorded.
	Access *scheduler.AccessLog
	// Retention: GET /v1/retention/preview and /v1/retention/runs (admin);
	// cmd/interviewd always passes it. Nil: not mounted.
	Retention *scheduler.Retention
	Metrics   *metrics.Metrics // the registry /metrics serves; the services report to it
	// MetricsElsewhere: /metrics is served on its own address (-metrics-addr),
	// not by this handler.
	MetricsElsewhere bool
	Log              *slog.Logger     // nil: discard
	Now              func() time.Time // nil: time.Now
	// RequestTimeout limits each request but instance import and export
	// (ImportTimeout); 0: RequestTimeout.
	RequestTimeout time.Duration
	// Proxies are the trusted proxies (TRUSTED_PROXIES) whose
	// X-Forwarded-For and X-Forwarded-Proto tell the client's address and
	// scheme; the zero value trusts none.
	Proxies clientaddr.Proxies
}

// New returns a server on its dependencies. A missing required one is a
// programming error: it panics at once rather than fail a request later.
func New(d Deps) *Server {
	if d.Store == nil || d.Records == nil || d.Booking == nil || d.Planner == nil || d.Feeds == nil || d.Metrics == nil || d.Portal == nil {
		panic("api.New: Store, Records, Booking, Planner, Feeds, Metrics and Portal are required")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.New(slog.NewJSONHandler(io.Discard, nil))
	}
	if d.RequestTimeout <= 0 {
		d.RequestTimeout = RequestTimeout
	}
	s := &Server{requestTimeout: d.RequestTimeout, db: d.Store, records: d.Records, log: d.Log, now: d.Now, booking: d.Booking, planner: d.Planner, jobs: d.Jobs, feeds: d.Feeds, portal: d.Portal, access: d.Access, retention: d.Retention,
		metrics: newMetrics(d.Metrics.Registry, d.Store.PoolStats), observer: d.Metrics, metricsHere: !d.MetricsElsewhere, lists: newListCache(32 << 20),
		proxies: d.Proxies}
	s.metrics.registry.MustRegister(&bgCollector{s})
	s.router = s.routes()
	return s
}

// Router returns the router, for walking its routes.
func (s *Server) Router() chi.Router { return s.router }

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.router.ServeHTTP(w, r) }

func (s *Server) routes() chi.Router {
	r := chi.NewRouter()
	// HEAD is answered wherever GET is (the GET handler, no body).
	r.Use(s.observe, RejectBadText, decodedPath, headAsGet, markSource(scheduler.SourceAPI))
	s.mountErrors(r)
	s.mountOperations(r)
	s.mountFeeds(r) // GET|HEAD /feeds/{token}.ics, no bearer token (api/feeds.go)
	r.Route("/v1", func(r chi.Router) {
		// The deadline comes first: authentication needs the database too.
		r.Use(private, s.deadline)
		r.Group(s.mountPortal) // sign-in links, portal sessions, /v1/me (api/me.go)
		r.Group(func(r chi.Router) {
			r.Use(s.authenticate, s.recordReads, limitBody(MaxBody))
			s.mountAttention(r) // needs attention, participants, mails (api/me.go)
			s.mountEntities(r)
			s.mountSettings(r)
			s.mountPlans(r)     // plans, jobs, outbox, absence impact (api/plans.go)
			s.mountScenarios(r) // what-if scenarios (api/scenarios.go)
			s.mountBooking(r)   // suggestions, holds, bookings, audit (api/booking.go)
			s.mountFeedAdmin(r) // feed tokens, busy calendars (api/feeds.go)
			s.mountTokens(r)
			s.mountAccessLog(r)  // the access log (api/access_log.go)
			s.mountReports(r)    // the automation report (api/reports.go)
			s.mountPeopleData(r) // a person's data: export and erasure (api/people_data.go)
			s.mountRetention(r)  // the retention's preview and runs (api/retention.go)
		})
		r.Group(func(r chi.Router) {
			r.Use(s.authenticate, s.recordReads, limitBody(MaxInstanceBody))
			r.With(require(resources.RoleClerk)).Get("/instance", s.h(s.exportInstance))
			r.With(require(resources.RoleManager)).Post("/instance", s.h(s.importInstance))
		})
	})
	return r
}

// headAsGet routes HEAD as GET, so that HEAD is answered wherever GET
// is, by the GET handler (net/http sends no body for HEAD). chi's GetHead
// misses the paths of a mounted router's own root ("/portal/"), where
// its look-ahead matches the mount's stub.
func headAsGet(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rctx := chi.RouteContext(r.Context()); rctx != nil && r.Method == http.MethodHead {
			rctx.RouteMethod = http.MethodGet
		}
		next.ServeHTTP(w, r)
	})
}

// deadline gives each /v1 request its time limit: the import limit for
// whole instances, the request limit otherwise.
func (s *Server) deadline(next http.Handler) http.Handler {
	ordinary, long := timeout(s.requestTimeout)(next), timeout(ImportTimeout)(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/instance" {
			long.ServeHTTP(w, r)
			return
		}
		ordinary.ServeHTTP(w, r)
	})
}

// mountErrors answers unknown paths and methods with problems.
func (s *Server) mountErrors(r chi.Router) {
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, r, s.log, errs.E(errs.NotFound, "no such endpoint"))
	})
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", s.allowed(r.URL.Path))
		w.Header().Set("Content-Type", "application/problem+json")
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.WriteHeader(http.StatusMethodNotAllowed)
		json.NewEncoder(w).Encode(Problem{Type: ProblemType + string(errs.Invalid), Title: http.StatusText(http.StatusMethodNotAllowed),
			Status: http.StatusMethodNotAllowed, Detail: "this endpoint does not answer " + r.Method, Code: errs.Invalid})
	})
}

// MetricsHandler serves the registry in Prometheus' text format.
func (s *Server) MetricsHandler() http.Handler {
	return promhttp.HandlerFor(s.metrics.registry, promhttp.HandlerOpts{})
}

// allowed lists the methods the router answers at path, for Allow.
func (s *Server) allowed(path string) string {
	var out []string
	for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		if s.router.Match(chi.NewRouteContext(), m, path) || m == http.MethodHead && s.router.Match(chi.NewRouteContext(), http.MethodGet, path) {
			out = append(out, m)
		}
	}
	return strings.Join(out, ", ")
}

// mountOperations mounts health, readiness, metrics and the OpenAPI document.
func (s *Server) mountOperations(r chi.Router) {
	r.Get("/healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	r.With(timeout(ReadyTimeout)).Get("/readyz", func(w http.ResponseWriter, r *http.Request) {
		if err := s.db.Ready(r.Context()); err != nil {
			s.log.WarnContext(r.Context(), "not ready", "request_id", requestID(r.Context()), "error", err.Error())
			w.Header().Set("Retry-After", strconv.Itoa(errs.RetryAfter))
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "reason": "the database is not reachable or not migrated (see the server log)"})
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	})
	if s.metricsHere {
		r.Method(http.MethodGet, "/metrics", s.MetricsHandler())
	}
	r.Get("/openapi.yaml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/yaml")
		w.Write(OpenAPI)
	})
}

// mountEntities mounts the CRUD routes of locations, rooms, people and
// interview requests: a flat table.
func (s *Server) mountEntities(r chi.Router) {
	mount(r, s, entity[resources.Location]{
		path: "/locations", what: "location", write: resources.RoleManager,
		fresh: func() *resources.Location { return &resources.Location{Active: true} },
		id:    func(x *resources.Location) *string { return &x.ID },
		ver:   func(x *resources.Location) int64 { return x.Version },
		get:   s.db.Location, list: s.db.Locations, put: s.records.PutLocation, del: s.records.DeleteLocation,
	})
	mount(r, s, entity[resources.Room]{
		path: "/rooms", what: "room", write: resources.RoleManager,
		fresh: func() *resources.Room { return &resources.Room{Active: true} },
		id:    func(x *resources.Room) *string { return &x.ID },
		ver:   func(x *resources.Room) int64 { return x.Version },
		get:   s.db.Room, list: s.db.Rooms, put: s.records.PutRoom, del: s.records.DeleteRoom,
	})
	mount(r, s, entity[resources.Interviewer]{
		path: "/interviewers", what: "interviewer", write: resources.RoleManager,
		fresh: func() *resources.Interviewer { return &resources.Interviewer{Active: true} },
		id:    func(x *resources.Interviewer) *string { return &x.ID },
		ver:   func(x *resources.Interviewer) int64 { return x.Version },
		get:   s.db.Interviewer, list: s.db.Interviewers, put: s.records.PutInterviewer, del: s.records.DeleteInterviewer,
	})
	mount(r, s, entity[resources.Interpreter]{
		path: "/interpreters", what: "interpreter", write: resources.RoleManager,
		fresh: func() *resources.Interpreter { return &resources.Interpreter{Active: true} },
		id:    func(x *resources.Interpreter) *string { return &x.ID },
		ver:   func(x *resources.Interpreter) int64 { return x.Version },
		get:   s.db.Interpreter, list: s.db.Interpreters, put: s.records.PutInterpreter, del: s.records.DeleteInterpreter,
	})
	mount(r, s, entity[resources.Party]{
		path: "/parties", what: "party", write: resources.RoleManager,
		fresh: func() *resources.Party { return &resources.Party{Active: true} },
		id:    func(x *resources.Party) *string { return &x.ID },
		ver:   func(x *resources.Party) int64 { return x.Version },
		get:   s.db.Party, list: s.db.Parties, put: s.records.PutParty, del: s.records.DeleteParty,
	})
	mount(r, s, entity[resources.Interview]{
		path: "/interviews", what: "interview", write: resources.RoleClerk,
		fresh: func() *resources.Interview { return &resources.Interview{Status: resources.StatusPending} },
		id:    func(x *resources.Interview) *string { return &x.ID },
		ver:   func(x *resources.Interview) int64 { return x.Version },
		get:   s.db.Interview, list: s.db.Interviews, put: s.records.PutInterview, del: s.records.DeleteInterview,
	})
}

// mountSettings mounts bookings' lists, settings, travel times and absences.
func (s *Server) mountSettings(r chi.Router) {
	r.With(require(resources.RoleClerk)).Get("/bookings", s.h(s.listBookings))
	r.With(require(resources.RoleClerk)).Get("/bookings/{id}", s.h(s.getBooking))
	r.With(require(resources.RoleClerk)).Patch("/bookings/{id}", s.h(s.patchBooking)) // the meeting link (api/meeting.go)
	r.With(require(resources.RoleClerk)).Get("/settings", s.h(func(w http.ResponseWriter, r *http.Request) error {
		if err := onlyParams(r); err != nil {
			return err
		}
		st, err := s.db.Settings(r.Context())
		if err != nil {
			return err
		}
		setETag(w, st.Version)
		writeJSON(w, http.StatusOK, st)
		return nil
	}))
	r.With(require(resources.RoleManager)).Put("/settings", s.h(s.putSettings))
	r.With(require(resources.RoleClerk)).Get("/travel-times", s.h(func(w http.ResponseWriter, r *http.Request) error {
		if err := onlyParams(r); err != nil {
			return err
		}
		ts, err := s.db.TravelTimes(r.Context())
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, map[string]any{"items": ts})
		return nil
	}))
	r.With(require(resources.RoleManager)).Put("/travel-times/{from}/{to}", s.h(s.putTravelTime))
	r.With(require(resources.RoleManager)).Delete("/travel-times/{from}/{to}", s.h(func(w http.ResponseWriter, r *http.Request) error {
		if err := s.records.DeleteTravelTime(r.Context(), chi.URLParam(r, "from"), chi.URLParam(r, "to")); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}))
	for _, owner := range []resources.AbsenceOwner{resources.AbsenceOfInterviewer, resources.AbsenceOfInterpreter} {
		s.mountAbsences(r, owner)
	}
}

// mountTokens mounts the API tokens (admin).
func (s *Server) mountTokens(r chi.Router) {
	r.Group(func(r chi.Router) {
		r.Use(require(resources.RoleAdmin))
		r.Get("/tokens", s.h(s.listTokens))
		r.Post("/tokens", s.h(s.createToken))
		r.Delete("/tokens/{id}", s.h(s.revokeToken))
	})
}

// h adapts a handler that returns an error.
func (s *Server) h(f func(http.ResponseWriter, *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := f(w, r); err != nil {
			writeProblem(w, r, s.log, err)
		}
	}
}

// entity describes the CRUD endpoints of one kind of entity.
type entity[T any] struct {
	path, what string
	write      resources.Role
	fresh      func() *T // a value with the defaults of a new one
	id         func(*T) *string
	ver        func(*T) int64
	get        func(ctxt, string) (*T, error)
	list       func(ctxt, resources.ListParams) (resources.Page[T], error)
	put        func(ctxt, *T, *int64) (*T, error)
	del        func(ctxt, string, *int64) error
}

func mount[T any](r chi.Router, s *Server, e entity[T]) {
	r.With(require(resources.RoleClerk)).Get(e.path, s.h(e.listHandler(s)))
	r.With(require(resources.RoleClerk)).Get(e.path+"/{id}", s.h(e.getHandler()))
	r.With(require(e.write)).Post(e.path, s.h(e.createHandler()))
	r.With(require(e.write)).Put(e.path+"/{id}", s.h(e.replaceHandler()))
	r.With(require(e.write)).Delete(e.path+"/{id}", s.h(e.deleteHandler()))
}

// listHandler serves a page of the list, from the cache of rendered pages
// while the database's state versions stand.
func (e entity[T]) listHandler(s *Server) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		p, err := listParams(r)
		if err != nil {
			return err
		}
		key := r.URL.Path + "?" + r.URL.RawQuery
		v, st, verr := s.db.StateVersions(r.Context())
		ver := [2]int64{v, st}
		if verr == nil {
			if body, ok := s.lists.get(key, ver); ok {
				writeRaw(w, body)
				return nil
			}
		}
		page, err := e.list(r.Context(), p)
		if err != nil {
			return err
		}
		body, err := json.Marshal(page)
		if err != nil {
			return err
		}
		body = append(body, '\n')
		if verr == nil {
			s.lists.put(key, ver, body)
		}
		writeRaw(w, body)
		return nil
	}
}

func (e entity[T]) getHandler() func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := onlyParams(r); err != nil {
			return err
		}
		x, err := e.get(r.Context(), chi.URLParam(r, "id"))
		if err != nil {
			return err
		}
		setETag(w, e.ver(x))
		writeJSON(w, http.StatusOK, x)
		return nil
	}
}

func (e entity[T]) createHandler() func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		x := e.fresh()
		if err := decode(r, x); err != nil {
			return err
		}
		out, err := e.put(r.Context(), x, nil)
		if err != nil {
			return err
		}
		setETag(w, e.ver(out))
		w.Header().Set("Location", "/v1"+e.path+"/"+*e.id(out))
		writeJSON(w, http.StatusCreated, out)
		return nil
	}
}

// replaceHandler replaces an entity at the version of If-Match, else of the
// body, else the current one.
func (e entity[T]) replaceHandler() func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id := chi.URLParam(r, "id")
		x := e.fresh()
		if err := decode(r, x); err != nil {
			return err
		}
		if *e.id(x) == "" {
			*e.id(x) = id
		} else if *e.id(x) != id {
			return errs.Field("id", "the id in the body differs from the one in the path")
		}
		version, err := ifMatch(r)
		if err != nil {
			return err
		}
		if version == nil && e.ver(x) > 0 {
			v := e.ver(x)
			version = &v
		}
		if version == nil {
			cur, err := e.get(r.Context(), id)
			if err != nil {
				return err
			}
			v := e.ver(cur)
			version = &v
		}
		out, err := e.put(r.Context(), x, version)
		if err != nil {
			return err
		}
		setETag(w, e.ver(out))
		writeJSON(w, http.StatusOK, out)
		return nil
	}
}

func (e entity[T]) deleteHandler() func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		version, err := ifMatch(r)
		if err != nil {
			return err
		}
		if err := e.del(r.Context(), chi.URLParam(r, "id"), version); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}

func setETag(w http.ResponseWriter, version int64) {
	w.Header().Set("ETag", `"`+strconv.FormatInt(version, 10)+`"`)
}

// ifMatch reads an If-Match header holding one ETag of this API ("3" or
// W/"3"); nil when absent or "*".
func ifMatch(r *http.Request) (*int64, error) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	if h == "" || h == "*" {
		return nil, nil
	}
	h = strings.TrimPrefix(h, "W/")
	v, err := strconv.ParseInt(strings.Trim(h, `"`), 10, 64)
	if err != nil || !strings.HasPrefix(h, `"`) {
		return nil, errs.E(errs.PreconditionFailed, "If-Match must be an ETag this server gave out, such as \"3\"")
	}
	return &v, nil
}

func listParams(r *http.Request) (resources.ListParams, error) {
	q := r.URL.Query()
	p := resources.ListParams{Cursor: q.Get("cursor"), Filters: map[string]string{}}
	if err := checkQuery(q); err != nil {
		return p, err
	}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 {
			return p, errs.Field("limit", "limit must be a whole number of at least 1")
		}
		p.Limit = n
	}
	for k, v := range q {
		if k == "cursor" || k == "limit" {
			continue
		}
		p.Filters[k] = v[0]
	}
	return p, nil
}

// decode reads a JSON body into v: unknown fields and wrong types are
// errors with their paths, as for instance files.
func decode(r *http.Request, v any) error {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return errs.E(errs.Invalid, "the body cannot be read: %v", err)
	}
	if err := checkText(body); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		var te *json.UnmarshalTypeError
		var se *json.SyntaxError
		switch {
		case errors.As(err, &mbe):
			return err
		case errors.As(err, &te):
			field := fieldPath(te.Field)
			return errs.Field(field, fmt.Sprintf("must be %s, not %s", jsonType(te.Type.Kind().String()), te.Value))
		case errors.As(err, &se):
			return errs.E(errs.Invalid, "the body is not valid JSON (at byte %d): %v", se.Offset, se)
		case errors.Is(err, io.EOF):
			return errs.E(errs.Invalid, "the body is empty: a JSON object is expected")
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return errs.Field(name, "unknown field "+strconv.Quote(name))
		}
		return errs.E(errs.Invalid, "the body cannot be read: %v", err)
	}
	if dec.More() {
		return errs.E(errs.Invalid, "unexpected data after the JSON object")
	}
	return nil
}

// fieldPath drops the names of embedded Go structs ("Room.features" is
// "features") from a decoder's field path.
func fieldPath(f string) string {
	var parts []string
	for _, p := range strings.Split(f, ".") {
		if p != "" && p[0] >= 'A' && p[0] <= 'Z' {
			continue
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, ".")
}

func jsonType(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice", "array":
		return "a list"
	case "struct", "map", "ptr":
		return "an object"
	}
	return "a number"
}

func (s *Server) listBookings(w http.ResponseWriter, r *http.Request) error {
	p, err := listParams(r)
	if err != nil {
		return err
	}
	page, err := s.db.Bookings(r.Context(), p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

func (s *Server) getBooking(w http.ResponseWriter, r *http.Request) error {
	if err := onlyParams(r); err != nil {
		return err
	}
	id, err := bookingID(r)
	if err != nil {
		return err
	}
	b, err := s.db.Booking(r.Context(), id)
	if err != nil {
		return err
	}
	setETag(w, b.Version)
	writeJSON(w, http.StatusOK, b)
	return nil
}

func (s *Server) exportInstance(w http.ResponseWriter, r *http.Request) error {
	if err := onlyParams(r, "from", "to"); err != nil {
		return err
	}
	q := r.URL.Query()
	in, err := s.db.Export(r.Context(), q.Get("from"), q.Get("to"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, in)
	return nil
}

func (s *Server) importInstance(w http.ResponseWriter, r *http.Request) error {
	in, err := solver.ParseInstance(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return resources.InstanceError(err)
	}
	sum, err := s.records.Import(r.Context(), in, actor(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sum)
	return nil
}

func (s *Server) putSettings(w http.ResponseWriter, r *http.Request) error {
	var st resources.Settings
	if err := decode(r, &st); err != nil {
		return err
	}
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	if version == nil && st.Version > 0 {
		version = &st.Version
	}
	out, err := s.records.PutSettings(r.Context(), st, version)
	if err != nil {
		return err
	}
	setETag(w, out.Version)
	writeJSON(w, http.StatusOK, out)
	return nil
}

type travelRequest struct {
	Minutes *int `json:"minutes"`
}

func (s *Server) putTravelTime(w http.ResponseWriter, r *http.Request) error {
	var req travelRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if req.Minutes == nil {
		return errs.Field("minutes", "is required")
	}
	if *req.Minutes < 0 || *req.Minutes > 1440 {
		return errs.Field("minutes", fmt.Sprintf("must be between 0 and 1440, not %d", *req.Minutes))
	}
	t, err := s.records.PutTravelTime(r.Context(), solver.Travel{From: chi.URLParam(r, "from"), To: chi.URLParam(r, "to"), Minutes: *req.Minutes})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, t)
	return nil
}

// mountAbsences mounts the absences of owner's kind of person
// (/interviewers/{id}/absences, /interpreters/{id}/absences).
func (s *Server) mountAbsences(r chi.Router, owner resources.AbsenceOwner) {
	base := "/" + owner.String() + "s/{id}/absences"
	r.With(require(resources.RoleClerk)).Get(base, s.h(func(w http.ResponseWriter, r *http.Request) error {
		if err := onlyParams(r); err != nil {
			return err
		}
		as, err := s.db.Absences(r.Context(), owner, chi.URLParam(r, "id"))
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, map[string]any{"items": as})
		return nil
	}))
	r.With(require(resources.RoleManager)).Post(base, s.h(func(w http.ResponseWriter, r *http.Request) error {
		var a resources.Absence
		if err := decode(r, &a); err != nil {
			return err
		}
		// Recorded, and the bookings it breaks flagged, by the scheduler.
		out, err := s.planner.AddAbsence(r.Context(), owner, chi.URLParam(r, "id"), a, actor(r))
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusCreated, out)
		return nil
	}))
	r.With(require(resources.RoleManager)).Delete(base+"/{absence}", s.h(func(w http.ResponseWriter, r *http.Request) error {
		n, err := pathID(r, "absence", "absence")
		if err != nil {
			return err
		}
		if err := s.planner.DeleteAbsence(r.Context(), owner, chi.URLParam(r, "id"), n); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}))
}

type tokenRequest struct {
	Name string         `json:"name"`
	Role resources.Role `json:"role"`
}

type tokenCreated struct {
	resources.Token
	Secret string `json:"token"`
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request) error {
	var req tokenRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	secret, t, err := s.records.CreateToken(r.Context(), req.Name, req.Role)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, tokenCreated{Token: *t, Secret: secret})
	return nil
}

func (s *Server) listTokens(w http.ResponseWriter, r *http.Request) error {
	if err := onlyParams(r); err != nil {
		return err
	}
	ts, err := s.db.Tokens(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": ts})
	return nil
}

func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "token")
	if err != nil {
		return err
	}
	if err := s.records.RevokeToken(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
