package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/scheduler"
	"github.com/asylum-scheduling/interviews/solver"
)

// mountBooking mounts the booking workflow.
func (s *Server) mountBooking(r chi.Router) {
	clerk := r.With(require(resources.RoleClerk))
	clerk.Post("/interviews/{id}/suggestions", s.h(s.suggest))
	clerk.Post("/interviews/{id}/booking", s.h(s.bookInterview))
	clerk.Post("/bookings/{id}/reschedule", s.h(s.rescheduleBooking))
	clerk.Post("/bookings/{id}/cancel", s.h(s.cancelBooking))
	manager := r.With(require(resources.RoleManager))
	manager.Get("/interviews/{id}/audit", s.h(s.interviewAudit))
	manager.Get("/bookings/{id}/audit", s.h(s.bookingAudit))
}

func bookingActor(r *http.Request) string {
	if t := TokenFrom(r.Context()); t != nil {
		return t.Name
	}
	return "unknown"
}

type suggestBody struct {
	K    *int   `json:"k"`
	From string `json:"from"`
	To   string `json:"to"`
	Hold bool   `json:"hold"`
}

// decodeOptional is decode for bodies that may be absent (all defaults).
func decodeOptional(r *http.Request, v any) error {
	if r.ContentLength == 0 && r.Header.Get("Transfer-Encoding") == "" {
		return nil
	}
	err := decode(r, v)
	if err != nil && strings.Contains(errs.MessageOf(err), "the body is empty") {
		return nil
	}
	return err
}

func (s *Server) suggest(w http.ResponseWriter, r *http.Request) error {
	var b suggestBody
	if err := decodeOptional(r, &b); err != nil {
		return err
	}
	k := 5
	if b.K != nil {
		k = *b.K
		if k < 1 || k > scheduler.MaxK {
			return errs.Field("k", "k must be between 1 and "+strconv.Itoa(scheduler.MaxK))
		}
	}
	ans, err := s.booking.Suggest(r.Context(), scheduler.SuggestRequest{InterviewID: chi.URLParam(r, "id"), K: k,
		From: b.From, To: b.To, Hold: b.Hold, Actor: bookingActor(r)})
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, ans)
	return nil
}

// bookBody is a booking, reschedule or cancel request: a suggestion id or an
// explicit assignment.
type bookBody struct {
	SuggestionID string `json:"suggestion_id"`
	Start        string `json:"start"`
	Room         string `json:"room"`
	Interviewer  string `json:"interviewer"`
	Interpreter  string `json:"interpreter"`
	Mode         string `json:"mode"`
	Pinned       *bool  `json:"pinned"`
	Reason       string `json:"reason"`
}

func (b *bookBody) assignment() *solver.Assignment {
	if b.Start == "" && b.Room == "" && b.Interviewer == "" && b.Interpreter == "" && b.Mode == "" {
		return nil
	}
	return &solver.Assignment{Start: b.Start, Room: b.Room, Interviewer: b.Interviewer, Interpreter: b.Interpreter, Mode: b.Mode}
}

func idempotencyKey(r *http.Request) (string, error) {
	k := r.Header.Get("Idempotency-Key")
	if k == "" {
		return "", nil
	}
	if len(k) > 200 {
		return "", errs.Field("Idempotency-Key", "the Idempotency-Key must be at most 200 characters")
	}
	for _, c := range k {
		if c < 0x21 || c > 0x7e {
			return "", errs.Field("Idempotency-Key", "the Idempotency-Key must be printable ASCII without spaces")
		}
	}
	return k, nil
}

func (s *Server) bookInterview(w http.ResponseWriter, r *http.Request) error {
	var b bookBody
	if err := decode(r, &b); err != nil {
		return err
	}
	key, err := idempotencyKey(r)
	if err != nil {
		return err
	}
	pinned := b.Pinned != nil && *b.Pinned
	res, err := s.booking.BookResult(r.Context(), scheduler.BookRequest{InterviewID: chi.URLParam(r, "id"),
		SuggestionID: b.SuggestionID, Assignment: b.assignment(), Actor: bookingActor(r), Reason: b.Reason,
		IdempotencyKey: key, Pinned: pinned})
	if err != nil {
		return s.bookingError(w, r, err)
	}
	writeBooking(w, res, http.StatusCreated)
	return nil
}

func writeBooking(w http.ResponseWriter, res *scheduler.Result, status int) {
	if res.Replayed {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	w.Header().Set("Location", "/v1/bookings/"+strconv.FormatInt(res.Booking.ID, 10))
	setETag(w, res.Booking.Version)
	writeJSON(w, status, res.Booking)
}

func bookingID(r *http.Request) (int64, error) { return pathID(r, "id", "booking") }

func (s *Server) rescheduleBooking(w http.ResponseWriter, r *http.Request) error {
	id, err := bookingID(r)
	if err != nil {
		return err
	}
	var b bookBody
	if err := decode(r, &b); err != nil {
		return err
	}
	key, err := idempotencyKey(r)
	if err != nil {
		return err
	}
	res, err := s.booking.Reschedule(r.Context(), scheduler.ChangeRequest{BookingID: id, SuggestionID: b.SuggestionID,
		Assignment: b.assignment(), Pinned: b.Pinned, Actor: bookingActor(r), Reason: b.Reason, IdempotencyKey: key})
	if err != nil {
		return s.bookingError(w, r, err)
	}
	writeBooking(w, res, http.StatusOK)
	return nil
}

type cancelBody struct {
	Reason string `json:"reason"`
}

func (s *Server) cancelBooking(w http.ResponseWriter, r *http.Request) error {
	id, err := bookingID(r)
	if err != nil {
		return err
	}
	var b cancelBody
	if err := decode(r, &b); err != nil {
		return err
	}
	key, err := idempotencyKey(r)
	if err != nil {
		return err
	}
	res, err := s.booking.Cancel(r.Context(), scheduler.ChangeRequest{BookingID: id, Actor: bookingActor(r), Reason: b.Reason, IdempotencyKey: key})
	if err != nil {
		return err
	}
	writeBooking(w, res, http.StatusOK)
	return nil
}

func (s *Server) interviewAudit(w http.ResponseWriter, r *http.Request) error {
	if err := onlyParams(r); err != nil {
		return err
	}
	items, err := s.booking.Audit(r.Context(), chi.URLParam(r, "id"), 0)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

func (s *Server) bookingAudit(w http.ResponseWriter, r *http.Request) error {
	if err := onlyParams(r); err != nil {
		return err
	}
	id, err := bookingID(r)
	if err != nil {
		return err
	}
	items, err := s.booking.Audit(r.Context(), "", id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

// bookingProblem is a problem document with the booking workflow's members:
// the resource taken and fresh alternatives (409), or the rules broken (422).
type bookingProblem struct {
	Problem
	Resource     string              `json:"resource,omitempty"`
	Alternatives *[]scheduler.Option `json:"alternatives,omitempty"` // present (maybe empty) on conflicts
	Violations   []solver.Violation  `json:"violations,omitempty"`
}

// bookingError writes a conflict or a broken rule with its members, and
// returns other errors for the usual problem document.
func (s *Server) bookingError(w http.ResponseWriter, r *http.Request, err error) error {
	var ce *scheduler.ConflictError
	var re *scheduler.RuleError
	var p bookingProblem
	switch {
	case errors.As(err, &ce):
		p.Problem = problemOf(errs.Conflict, ce.Message)
		p.Resource = ce.Resource
		alts := []scheduler.Option{}
		for i, a := range ce.Alternatives {
			o := scheduler.Option{Suggestion: a}
			if i < len(ce.AlternativeIDs) {
				o.ID = ce.AlternativeIDs[i]
			}
			alts = append(alts, o)
		}
		p.Alternatives = &alts
	case errors.As(err, &re):
		p.Problem = problemOf(errs.Unprocessable, errs.MessageOf(err))
		p.Violations = re.Violations
	default:
		return err
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	json.NewEncoder(w).Encode(p)
	return nil
}

func problemOf(code errs.Code, detail string) Problem {
	status := errs.Status(code)
	return Problem{Type: ProblemType + string(code), Title: http.StatusText(status), Status: status, Detail: detail, Code: code}
}
