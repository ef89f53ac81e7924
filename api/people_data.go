package api

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
)

// people_data.go serves a person's data on request (issue 26, point 3):
// the export of everything held about an interpreter, interviewer or
// party, and its erasure. Both are the admin's; the export's reads are
// recorded in the access log (kind export, subject "kind:id") by
// recordReads.

// mountPeopleData mounts GET /v1/people/{kind}/{id}/export and POST
// /v1/people/{kind}/{id}/erase (admin).
func (s *Server) mountPeopleData(r chi.Router) {
	r.Group(func(r chi.Router) {
		r.Use(require(resources.RoleAdmin))
		r.Get("/people/{kind}/{id}/export", s.h(s.exportPerson))
		r.Post("/people/{kind}/{id}/erase", s.h(s.erasePerson))
	})
}

// personOf reads the person's kind from the path: interpreter,
// interviewer or party; anything else is not found.
func personOf(r *http.Request) (resources.AbsenceOwner, string, error) {
	kind := chi.URLParam(r, "kind")
	owner, ok := resources.AbsenceOwnerOf(kind)
	if !ok {
		return owner, "", errs.E(errs.NotFound, "no kind of person %q: interpreter, interviewer or party", kind)
	}
	return owner, chi.URLParam(r, "id"), nil
}

// exportPerson answers everything held about the person as one JSON
// document.
func (s *Server) exportPerson(w http.ResponseWriter, r *http.Request) error {
	if err := onlyParams(r); err != nil {
		return err
	}
	owner, id, err := personOf(r)
	if err != nil {
		return err
	}
	data, err := s.records.ExportPerson(r.Context(), owner, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, data)
	return nil
}

// erasureBody is the body of an erasure: why.
type erasureBody struct {
	Reason string `json:"reason"`
}

// erasePerson erases the person's data; 409 still_booked, listing them,
// while they hold future bookings or holds.
func (s *Server) erasePerson(w http.ResponseWriter, r *http.Request) error {
	if err := onlyParams(r); err != nil {
		return err
	}
	owner, id, err := personOf(r)
	if err != nil {
		return err
	}
	var b erasureBody
	if err := decode(r, &b); err != nil {
		return err
	}
	e, err := s.records.ErasePerson(r.Context(), resources.ErasureRequest{Owner: owner, ID: id, Actor: actor(r), Reason: b.Reason})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, e)
	return nil
}
