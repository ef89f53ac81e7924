package api

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/scheduler"
)

// mountPlans mounts plans, jobs, the outbox and absence impact (manager).
func (s *Server) mountPlans(r chi.Router) {
	r.Group(func(r chi.Router) {
		r.Use(require(resources.RoleManager))
		r.Post("/plans", s.h(s.startPlan))
		r.Get("/plans", s.h(s.listPlans))
		r.Get("/plans/{id}", s.h(s.getPlan))
		r.Post("/plans/{id}/accept", s.h(s.acceptPlan))
		r.Post("/plans/{id}/cancel", s.h(s.cancelPlan))
		r.Get("/jobs", s.h(s.listJobs))
		r.Post("/jobs/{name}/run", s.h(s.runJob))
		r.Get("/outbox", s.h(s.listOutbox))
		r.Get("/absences/{id}/impact", s.h(s.absenceImpact))
		r.Post("/absences/{id}/repair", s.h(s.absenceRepair))
	})
}

func actor(r *http.Request) string {
	if t := TokenFrom(r.Context()); t != nil {
		return t.Name
	}
	return "unknown"
}

func planID(r *http.Request) (int64, error) { return pathID(r, "id", "plan") }

// parseTimeLimit reads a request's time_limit ("30s", "2m"); def when absent.
func parseTimeLimit(v *string, def time.Duration) (time.Duration, error) {
	if v == nil {
		return def, nil
	}
	d, err := time.ParseDuration(*v)
	if err != nil {
		return 0, errs.Field("time_limit", "time_limit must be a duration such as \"30s\" or \"2m\"")
	}
	return d, nil
}

type planRequest struct {
	From      string  `json:"from"`
	To        string  `json:"to"`
	TimeLimit *string `json:"time_limit"`
}

func (s *Server) startPlan(w http.ResponseWriter, r *http.Request) error {
	var req planRequest
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
	if len(probs) > 0 {
		return errs.WithFields("from and to are required", probs)
	}
	d, err := parseTimeLimit(req.TimeLimit, scheduler.DefaultPlanTimeLimit)
	if err != nil {
		return err
	}
	plan, err := s.planner.Start(r.Context(), scheduler.PlanRequest{From: req.From, To: req.To, TimeLimit: d, Actor: actor(r)})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/v1/plans/"+strconv.FormatInt(plan.ID, 10))
	writeJSON(w, http.StatusAccepted, plan)
	return nil
}

func (s *Server) listPlans(w http.ResponseWriter, r *http.Request) error {
	p, err := listParams(r)
	if err != nil {
		return err
	}
	page, err := s.db.Plans(r.Context(), p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

func (s *Server) getPlan(w http.ResponseWriter, r *http.Request) error {
	if err := onlyParams(r); err != nil {
		return err
	}
	id, err := planID(r)
	if err != nil {
		return err
	}
	plan, err := s.db.Plan(r.Context(), id, true)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, plan)
	return nil
}

type acceptRequest struct {
	Items []string `json:"items"`
}

type acceptResponse struct {
	Plan  *resources.Plan          `json:"plan"`
	Items []resources.AcceptedItem `json:"items"`
}

func (s *Server) acceptPlan(w http.ResponseWriter, r *http.Request) error {
	id, err := planID(r)
	if err != nil {
		return err
	}
	var req acceptRequest
	if r.ContentLength != 0 {
		if err := decode(r, &req); err != nil && !(r.ContentLength < 0 && errs.MessageOf(err) == emptyBody) {
			return err
		}
	}
	plan, items, err := s.planner.Accept(r.Context(), id, req.Items, actor(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, acceptResponse{Plan: plan, Items: items})
	return nil
}

const emptyBody = "the body is empty: a JSON object is expected"

func (s *Server) cancelPlan(w http.ResponseWriter, r *http.Request) error {
	id, err := planID(r)
	if err != nil {
		return err
	}
	plan, err := s.planner.Cancel(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, plan)
	return nil
}

type jobsResponse struct {
	Jobs       []scheduler.JobInfo `json:"jobs"`
	Items      []resources.JobRun  `json:"items"`
	NextCursor string              `json:"next_cursor,omitempty"`
}

func (s *Server) listJobs(w http.ResponseWriter, r *http.Request) error {
	p, err := listParams(r)
	if err != nil {
		return err
	}
	page, err := s.db.JobRuns(r.Context(), p)
	if err != nil {
		return err
	}
	out := jobsResponse{Jobs: []scheduler.JobInfo{}, Items: page.Items, NextCursor: page.NextCursor}
	if s.jobs != nil {
		out.Jobs = s.jobs.List()
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

type jobTriggered struct {
	Job  string `json:"job"`
	Slot string `json:"slot"`
}

func (s *Server) runJob(w http.ResponseWriter, r *http.Request) error {
	j := s.jobs
	name := chi.URLParam(r, "name")
	if j == nil {
		return errs.E(errs.NotFound, "job %q not found: this server runs no jobs", name)
	}
	slot, err := j.Trigger(name)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/v1/jobs?job="+url.QueryEscape(name))
	writeJSON(w, http.StatusAccepted, jobTriggered{Job: name, Slot: slot.UTC().Format(time.RFC3339Nano)})
	return nil
}

type outboxResponse struct {
	Counts     map[string]int64        `json:"counts"`
	Items      []resources.OutboxEvent `json:"items"`
	NextCursor string                  `json:"next_cursor,omitempty"`
}

func (s *Server) listOutbox(w http.ResponseWriter, r *http.Request) error {
	p, err := listParams(r)
	if err != nil {
		return err
	}
	page, err := s.db.OutboxEvents(r.Context(), p)
	if err != nil {
		return err
	}
	counts, err := s.db.OutboxCounts(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, outboxResponse{Counts: counts, Items: page.Items, NextCursor: page.NextCursor})
	return nil
}

func absenceID(r *http.Request) (int64, error) { return pathID(r, "id", "absence") }

func (s *Server) absenceImpact(w http.ResponseWriter, r *http.Request) error {
	if err := onlyParams(r); err != nil {
		return err
	}
	id, err := absenceID(r)
	if err != nil {
		return err
	}
	im, err := s.planner.AbsenceImpact(r.Context(), id, actor(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, im)
	return nil
}

type repairRequest struct {
	To        string  `json:"to"`
	TimeLimit *string `json:"time_limit"`
}

func (s *Server) absenceRepair(w http.ResponseWriter, r *http.Request) error {
	id, err := absenceID(r)
	if err != nil {
		return err
	}
	var req repairRequest
	if r.ContentLength != 0 {
		if err := decode(r, &req); err != nil && !(r.ContentLength < 0 && errs.MessageOf(err) == emptyBody) {
			return err
		}
	}
	d, err := parseTimeLimit(req.TimeLimit, scheduler.DefaultPlanTimeLimit)
	if err != nil {
		return err
	}
	plan, err := s.planner.Repair(r.Context(), id, actor(r), d, req.To)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/v1/plans/"+strconv.FormatInt(plan.ID, 10))
	writeJSON(w, http.StatusAccepted, plan)
	return nil
}
