package api

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/internal/httprec"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/scheduler"
)

// readOf says which personal data a GET route reads: its kind for the
// access log and the path parameter that holds the subject's id ("" for a
// list, or a route of composedSubjects).
type readOf struct{ kind, param string }

// composedSubjects make the subject's id of a route from several of its
// parameters.
var composedSubjects = map[string]func(*chi.Context) string{
	// Everything held about one person: subject "interpreter:t1".
	"/v1/people/{kind}/{id}/export": func(c *chi.Context) string {
		return resources.PersonExportSubject(c.URLParam("kind"), c.URLParam("id"))
	},
}

// personalReads are the staff's GET routes under /v1 that read personal
// data; recordReads logs each answered one. Every other GET route of the
// staff is in impersonalReads: a test walks the router and fails on a
// route in neither, so a new route must be classified.
var personalReads = map[string]readOf{
	"/v1/interviews":                 {resources.AccessInterview, ""},
	"/v1/interviews/{id}":            {resources.AccessInterview, "id"},
	"/v1/interviews/{id}/audit":      {resources.AccessAudit, "id"},
	"/v1/bookings":                   {resources.AccessBooking, ""},
	"/v1/bookings/{id}":              {resources.AccessBooking, "id"},
	"/v1/bookings/{id}/participants": {resources.AccessParticipants, "id"},
	"/v1/bookings/{id}/mails":        {resources.AccessMails, "id"},
	"/v1/bookings/{id}/audit":        {resources.AccessAudit, "id"},
	"/v1/interpreters":               {resources.AccessInterpreter, ""},
	"/v1/interpreters/{id}":          {resources.AccessInterpreter, "id"},
	"/v1/interpreters/{id}/absences": {resources.AccessAbsences, "id"},
	"/v1/interviewers":               {resources.AccessInterviewer, ""},
	"/v1/interviewers/{id}":          {resources.AccessInterviewer, "id"},
	"/v1/interviewers/{id}/absences": {resources.AccessAbsences, "id"},
	"/v1/parties":                    {resources.AccessParty, ""},
	"/v1/parties/{id}":               {resources.AccessParty, "id"},
	"/v1/attention":                  {resources.AccessAttention, ""},
	"/v1/instance":                   {resources.AccessExport, ""},
	"/v1/plans/{id}":                 {resources.AccessBooking, ""}, // the proposed bookings: who, when
	"/v1/people/{kind}/{id}/export":  {resources.AccessExport, ""},  // composedSubjects
}

// impersonalReads are the staff's GET routes that read no one's personal
// data (rooms, settings, plans' summaries, operations), or read the access
// log itself.
var impersonalReads = map[string]bool{
	"/v1/locations": true, "/v1/locations/{id}": true, "/v1/rooms": true, "/v1/rooms/{id}": true,
	"/v1/settings": true, "/v1/travel-times": true, "/v1/tokens": true, "/v1/plans": true,
	"/v1/scenarios": true, "/v1/scenarios/{id}": true, "/v1/scenarios/{id}/csv": true, "/v1/absences/{id}/impact": true,
	"/v1/jobs": true, "/v1/outbox": true, "/v1/feeds": true, "/v1/busy-calendars": true, "/v1/access-log": true,
	"/v1/reports/automation": true,                             // counts and booking ids, no one's name
	"/v1/retention/preview":  true, "/v1/retention/runs": true, // counts and interview ids
}

// recordReads records in the access log each successful GET of personal
// data by a token (personalReads). The route is known once the router has
// matched, so the entry is made after the handler; the write itself
// happens off the request path (scheduler.AccessLog).
func (s *Server) recordReads(next http.Handler) http.Handler {
	if s.access == nil {
		return next
	}
	return httprec.AfterGet(next, func(r *http.Request, status int) {
		t, rctx := TokenFrom(r.Context()), chi.RouteContext(r.Context())
		if t == nil || rctx == nil || status >= 300 {
			return
		}
		pattern := rctx.RoutePattern()
		read, ok := personalReads[pattern]
		if !ok {
			return
		}
		id := ""
		switch {
		case composedSubjects[pattern] != nil:
			id = composedSubjects[pattern](rctx)
		case read.param != "":
			id = rctx.URLParam(read.param)
		}
		who := scheduler.Reader{Kind: "token", ID: strconv.FormatInt(t.ID, 10), Role: t.Role}
		s.access.Record(r.Context(), who, read.kind, id, "GET "+pattern)
	})
}

// requireAuditor lets through auditors and admins: the access log is
// theirs to read.
func (s *Server) requireAuditor(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if t := TokenFrom(r.Context()); t == nil || t.Role != resources.RoleAuditor && t.Role != resources.RoleAdmin {
			writeProblem(w, r, s.log, errs.E(errs.Forbidden, "this needs the auditor or the admin role"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// mountAccessLog mounts GET /v1/access-log (auditor, admin).
func (s *Server) mountAccessLog(r chi.Router) {
	r.With(s.requireAuditor).Get("/access-log", s.h(s.listAccess))
}

// listAccess serves a page of the access log, newest first.
func (s *Server) listAccess(w http.ResponseWriter, r *http.Request) error {
	if err := onlyParams(r, "subject_kind", "subject_id", "actor", "from", "to", "cursor", "limit"); err != nil {
		return err
	}
	q := r.URL.Query()
	aq := resources.AccessQuery{SubjectKind: q.Get("subject_kind"), SubjectID: q.Get("subject_id"), Actor: q.Get("actor"),
		From: q.Get("from"), To: q.Get("to"), Cursor: q.Get("cursor")}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 {
			return errs.Field("limit", "limit must be a whole number of at least 1")
		}
		aq.Limit = n
	}
	page, err := s.db.AccessLog(r.Context(), aq)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}
