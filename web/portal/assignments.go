package portal

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/web/page"
)

// assignmentsData splits an interpreter's assignments into upcoming and past.
type assignmentsData struct {
	Upcoming, Past []resources.Assignment
	Reasons        []string
	FeedURL        string
	// Answer is the one answer a mail's link asks for ("confirm",
	// "decline"): the page shows that button alone. Opening the page
	// changes nothing, so mail scanners that follow links do no harm.
	Answer string
}

func (h *Handler) assignments(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	as, err := h.svc.Assignments(r.Context(), v.Person)
	if err != nil {
		return "", err
	}
	d := assignmentsData{Reasons: []string{resources.DeclineUnavailable, resources.DeclineConflictOfInterest, resources.DeclineOther}}
	now := h.now()
	for _, a := range as {
		if end, err := time.Parse(time.RFC3339, a.End); err == nil && end.Before(now) {
			d.Past = append(d.Past, a)
		} else {
			d.Upcoming = append(d.Upcoming, a)
		}
	}
	slices.Reverse(d.Past)
	v.Title, v.Nav, v.Data = tr(v.L, "as.title"), "assignments", d
	return "assignments", nil
}

func (h *Handler) assignment(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	id, err := page.PathID(r, "id", "assignment")
	if err != nil {
		return "", err
	}
	a, err := h.svc.Assignment(r.Context(), v.Person, id)
	if err != nil {
		return "", err
	}
	v.Title, v.Nav = tr(v.L, "as.title"), "assignments"
	d := assignmentsData{Upcoming: []resources.Assignment{*a},
		Reasons: []string{resources.DeclineUnavailable, resources.DeclineConflictOfInterest, resources.DeclineOther}}
	if ans := r.URL.Query().Get("answer"); ans == "confirm" || ans == "decline" {
		d.Answer = ans
	}
	v.Data = d
	return "assignments", nil
}

func (h *Handler) confirm(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	id, err := page.PathID(r, "id", "assignment")
	if err != nil {
		return "", err
	}
	if err := h.svc.Confirm(r.Context(), v.Person, id); err != nil {
		return "", err
	}
	return done(w, r, "/portal/assignments", "confirmed")
}

func (h *Handler) decline(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	id, err := page.PathID(r, "id", "assignment")
	if err != nil {
		return "", err
	}
	reason, note := r.PostFormValue("reason"), strings.TrimSpace(r.PostFormValue("note"))
	if reason == resources.DeclineOther && note == "" {
		return "", errs.Field("note", tr(v.L, "as.note_needed"))
	}
	if err := h.svc.DeclineSaying(r.Context(), v.Person, id, reason, note); err != nil {
		return "", err
	}
	return done(w, r, "/portal/assignments", "declined")
}
