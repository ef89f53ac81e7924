package api

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/asylum-scheduling/interviews/resources"
)

// mountReports mounts the managers' reports: GET /v1/reports/automation.
func (s *Server) mountReports(r chi.Router) {
	r.With(require(resources.RoleManager)).Get("/reports/automation", s.h(s.automationReport))
}

// automationReport says how the automation was used between two dates
// (issue 26): bookings by how they came about, the first suggestion's
// share, hand placements against the objectives, automatic requests,
// expiries and plans.
func (s *Server) automationReport(w http.ResponseWriter, r *http.Request) error {
	if err := onlyParams(r, "from", "to"); err != nil {
		return err
	}
	q := r.URL.Query()
	rep, err := s.db.AutomationReport(r.Context(), q.Get("from"), q.Get("to"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}
