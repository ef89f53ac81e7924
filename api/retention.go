package api

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/asylum-scheduling/interviews/resources"
)

// mountRetention mounts the retention's preview and runs (admin; issue 26
// point 2). Without a retention service (Deps.Retention) nothing is
// mounted. A run is the job "retention" (POST /v1/jobs/retention/run).
func (s *Server) mountRetention(r chi.Router) {
	if s.retention == nil {
		return
	}
	r.Group(func(r chi.Router) {
		r.Use(require(resources.RoleAdmin))
		r.Get("/retention/preview", s.h(s.retentionPreview))
		r.Get("/retention/runs", s.h(s.retentionRuns))
	})
}

// retentionPreview says what the next retention run would erase: the
// cut-off, the counts per kind and the first and last interview affected.
func (s *Server) retentionPreview(w http.ResponseWriter, r *http.Request) error {
	if err := onlyParams(r); err != nil {
		return err
	}
	p, err := s.retention.Preview(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

// retentionRuns lists the retention runs, newest first.
func (s *Server) retentionRuns(w http.ResponseWriter, r *http.Request) error {
	if err := onlyParams(r, "cursor", "limit"); err != nil {
		return err
	}
	p, err := listParams(r)
	if err != nil {
		return err
	}
	page, err := s.db.RetentionRuns(r.Context(), p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}
