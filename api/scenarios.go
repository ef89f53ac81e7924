package api

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/scheduler"
)

// mountScenarios mounts the what-if scenarios (manager).
func (s *Server) mountScenarios(r chi.Router) {
	r.Group(func(r chi.Router) {
		r.Use(require(resources.RoleManager))
		r.Post("/scenarios", s.h(s.startScenario))
		r.Get("/scenarios", s.h(s.listScenarios))
		r.Get("/scenarios/{id}", s.h(s.getScenario))
		r.Get("/scenarios/{id}/csv", s.h(s.scenarioCSV))
		r.Post("/scenarios/{id}/cancel", s.h(s.cancelScenario))
	})
}

// scenarioRequest is POST /v1/scenarios: a window, a total time budget and
// the variants of a capacity-scenario/v1 document.
type scenarioRequest struct {
	From      string          `json:"from"`
	To        string          `json:"to"`
	TimeLimit *string         `json:"time_limit"`
	Format    string          `json:"format,omitempty"`
	Variants  json.RawMessage `json:"variants"`
}

func (s *Server) startScenario(w http.ResponseWriter, r *http.Request) error {
	var req scenarioRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	var probs []errs.FieldError
	if req.From == "" {
		probs = append(probs, errs.FieldError{Path: "from", Message: "is required"})
	}
	if req.To == "" {
		probs = append(probs, errs.FieldError{Path: "to", Message: "is required"})
	}
	if len(req.Variants) == 0 {
		probs = append(probs, errs.FieldError{Path: "variants", Message: "is required"})
	}
	if len(probs) > 0 {
		return errs.WithFields("from, to and variants are required", probs)
	}
	limit, err := parseTimeLimit(req.TimeLimit, scheduler.DefaultScenarioTimeLimit)
	if err != nil {
		return err
	}
	format := req.Format
	if format == "" {
		format = "capacity-scenario/v1"
	}
	doc, err := json.Marshal(map[string]any{"format": format, "variants": req.Variants})
	if err != nil {
		return err
	}
	sc, err := scheduler.ParseScenario(doc)
	if err != nil {
		return err
	}
	run, err := s.planner.StartScenario(r.Context(), scheduler.ScenarioRequest{From: req.From, To: req.To, TimeLimit: limit,
		Scenario: sc, Actor: actor(r)})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/v1/scenarios/"+strconv.FormatInt(run.ID, 10))
	writeJSON(w, http.StatusAccepted, run.Described())
	return nil
}

func (s *Server) listScenarios(w http.ResponseWriter, r *http.Request) error {
	p, err := listParams(r)
	if err != nil {
		return err
	}
	page, err := s.db.Scenarios(r.Context(), p)
	if err != nil {
		return err
	}
	for i := range page.Items {
		page.Items[i].Described()
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

func (s *Server) scenarioOf(r *http.Request) (*resources.ScenarioRun, error) {
	if err := onlyParams(r); err != nil {
		return nil, err
	}
	id, err := pathID(r, "id", "scenario")
	if err != nil {
		return nil, err
	}
	return s.db.Scenario(r.Context(), id)
}

func (s *Server) getScenario(w http.ResponseWriter, r *http.Request) error {
	run, err := s.scenarioOf(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, run.Described())
	return nil
}

// scenarioCSV is every figure of a done scenario's comparison, one per
// line (run, metric, key, value).
func (s *Server) scenarioCSV(w http.ResponseWriter, r *http.Request) error {
	run, err := s.scenarioOf(r)
	if err != nil {
		return err
	}
	if run.Comparison == nil {
		return errs.E(errs.Conflict, "scenario %d is %s: it has no figures yet", run.ID, run.Status)
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="scenario-`+strconv.FormatInt(run.ID, 10)+`.csv"`)
	return run.Comparison.WriteCSV(w)
}

func (s *Server) cancelScenario(w http.ResponseWriter, r *http.Request) error {
	if err := onlyParams(r); err != nil {
		return err
	}
	id, err := pathID(r, "id", "scenario")
	if err != nil {
		return err
	}
	run, err := s.planner.CancelScenario(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, run.Described())
	return nil
}
