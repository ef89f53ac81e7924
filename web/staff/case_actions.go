package staff

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/scheduler"
	"github.com/asylum-scheduling/interviews/solver"
	"github.com/asylum-scheduling/interviews/web/page"
)

// case_actions.go handles the case page's forms: book, hold, release a
// hold, flag to the managers.

// conflictOrRefusal renders the case page for a failed change: a conflict
// with fresh alternatives, or a refused change with its message.
func (h *Handler) conflictOrRefusal(w http.ResponseWriter, r *http.Request, v *view, err error) (string, error) {
	var ce *scheduler.ConflictError
	if manualPosted(r) {
		problem, perr := h.manualProblem(r.Context(), v.L, r, err)
		if perr != nil {
			return "", perr
		}
		if problem != "" {
			return h.renderCase(w, r, v, nil, refusal{manual: problem})
		}
	}
	if errors.As(err, &ce) {
		w.Header().Set("X-Outcome", "conflict")
		return h.renderCase(w, r, v, ce, refusal{})
	}
	switch errs.CodeOf(err) {
	case errs.Invalid, errs.Unprocessable, errs.Conflict:
		return h.renderCase(w, r, v, nil, refusal{detail: errs.MessageOf(err)})
	}
	return "", err
}

// caseBook books a suggestion, a held option or an option given by hand
// (start, room, interviewer, interpreter, mode: every rule is checked and a
// broken one named).
func (h *Handler) caseBook(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	id := chi.URLParam(r, "id")
	s := sessionFrom(r.Context())
	req := scheduler.BookRequest{InterviewID: id, Source: scheduler.SourceWeb,
		SuggestionID: r.PostFormValue("suggestion"), Actor: s.Name, Reason: strings.TrimSpace(r.PostFormValue("reason"))}
	if req.SuggestionID == "" {
		a, err := h.explicitOption(r)
		if err != nil {
			return h.conflictOrRefusal(w, r, v, err)
		}
		req.Assignment = a
	}
	res, err := h.booking.BookResult(r.Context(), req)
	if err != nil {
		return h.conflictOrRefusal(w, r, v, err)
	}
	h.seeOther(w, r, "/cases/"+id, v.T("flash.booked", res.Booking.ID))
	return "", nil
}

// caseHold holds the option posted (its fields), checked as the API's
// holds are (scheduler.Service.Hold).
func (h *Handler) caseHold(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	id := chi.URLParam(r, "id")
	if _, err := solver.ParseInstant(r.PostFormValue("start")); err != nil {
		return "", errs.E(errs.Invalid, "%s", v.T("rej.incomplete"))
	}
	_, err := h.booking.Hold(r.Context(), scheduler.HoldRequest{InterviewID: id, Actor: sessionFrom(r.Context()).Name,
		Assignment: &solver.Assignment{Start: r.PostFormValue("start"), Room: r.PostFormValue("room"),
			Interviewer: r.PostFormValue("interviewer"), Interpreter: r.PostFormValue("interpreter"), Mode: r.PostFormValue("mode")}})
	if err != nil {
		return h.conflictOrRefusal(w, r, v, err)
	}
	h.seeOther(w, r, "/cases/"+id, v.T("flash.held", int(h.booking.HoldTTL()/time.Minute)))
	return "", nil
}

// explicitOption reads an option from a form: start as RFC 3339 (a held
// option) or as a local date-time (the manual form), room, interviewer,
// interpreter ("" for none) and mode (derived from the interpreter when
// not given).
func (h *Handler) explicitOption(r *http.Request) (*solver.Assignment, error) {
	c, err := h.clock(r.Context())
	if err != nil {
		return nil, err
	}
	start := strings.TrimSpace(r.PostFormValue("start"))
	if start == "" {
		return nil, errNoStart
	}
	if _, err := solver.ParseInstant(start); err != nil {
		t, err := time.ParseInLocation("2006-01-02T15:04", start, c.loc)
		if err != nil {
			return nil, errBadStart
		}
		start = solver.FormatInstant(t, c.loc)
	}
	a := &solver.Assignment{Start: start, Room: r.PostFormValue("room"), Interviewer: r.PostFormValue("interviewer"),
		Interpreter: r.PostFormValue("interpreter"), Mode: r.PostFormValue("mode")}
	if a.Interpreter == "" {
		a.Mode = solver.ModeNone
	} else if a.Mode == "" || a.Mode == solver.ModeNone {
		a.Mode = solver.ModeOnsite
	}
	return a, nil
}

// caseReleaseHold ends a hold of the case before it runs out.
func (h *Handler) caseReleaseHold(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	id := chi.URLParam(r, "id")
	hold, err := page.PathID(r, "hold", "hold")
	if err != nil {
		return "", err
	}
	if err := h.booking.ReleaseHold(r.Context(), id, hold, sessionFrom(r.Context()).Name); err != nil {
		return "", err
	}
	h.seeOther(w, r, "/cases/"+id, v.T("flash.released"))
	return "", nil
}

// caseFlag flags the case to the managers with a reason.
func (h *Handler) caseFlag(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	id := chi.URLParam(r, "id")
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	if reason == "" || len(reason) > 1000 {
		return h.renderCase(w, r, v, nil, refusal{text: v.T("rej.flagreason")})
	}
	if err := h.booking.FlagInterview(r.Context(), id, reason, sessionFrom(r.Context()).Name); err != nil {
		return "", err
	}
	h.seeOther(w, r, "/cases/"+id, v.T("flash.flagged"))
	return "", nil
}
