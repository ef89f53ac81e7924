package portal

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/web/page"
)

func (h *Handler) summons(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	ss, err := h.svc.Summons(r.Context(), v.Person)
	if err != nil {
		return "", err
	}
	v.Title, v.Nav, v.Data = tr(v.L, "su.title"), "summons", ss
	return "summons", nil
}

func (h *Handler) oneSummons(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	id, err := page.PathID(r, "id", "summons")
	if err != nil {
		return "", err
	}
	ss, err := h.svc.Summons(r.Context(), v.Person)
	if err != nil {
		return "", err
	}
	i := slices.IndexFunc(ss, func(s resources.Summons) bool { return s.Booking == id })
	if i < 0 {
		return "", errs.E(errs.NotFound, "summons %d not found", id)
	}
	v.Title, v.Nav, v.Data = tr(v.L, "su.title"), "summons", ss[i:i+1]
	return "summons", nil
}

func (h *Handler) acknowledge(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	id, err := page.PathID(r, "id", "summons")
	if err != nil {
		return "", err
	}
	if err := h.svc.Acknowledge(r.Context(), v.Person, id); err != nil {
		return "", err
	}
	return done(w, r, "/portal/summons", "acknowledged")
}

func (h *Handler) change(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	id, err := page.PathID(r, "id", "summons")
	if err != nil {
		return "", err
	}
	if err := r.ParseForm(); err != nil {
		return "", errs.E(errs.Invalid, "the form could not be read")
	}
	var dates []string
	for _, d := range r.PostForm["date"] {
		dates = append(dates, strings.FieldsFunc(d, func(c rune) bool { return c == ',' || c == ' ' })...)
	}
	var proposals []resources.TimeProposal
	parts := r.PostForm["prop_part"]
	for i, d := range r.PostForm["prop_date"] {
		if d = strings.TrimSpace(d); d != "" && i < len(parts) {
			proposals = append(proposals, resources.TimeProposal{Date: d, Part: parts[i]})
		}
	}
	if err := h.svc.ProposeOtherTime(r.Context(), v.Person, id, r.PostFormValue("reason"), dates, proposals); err != nil {
		return "", err
	}
	// Back to that summons: the request is echoed and the form closed.
	return done(w, r, "/portal/summons/"+strconv.FormatInt(id, 10), "change")
}
