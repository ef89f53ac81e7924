package staff

import (
	"net/http"

	"github.com/asylum-scheduling/interviews/web/page"
)

// flags.go is the managers' list of flagged cases and its resolve form.

// flagsPage lists the cases clerks flagged, for managers.
func (h *Handler) flagsPage(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	fs, err := h.store.OpenFlags(r.Context())
	if err != nil {
		return "", err
	}
	c, err := h.clock(r.Context())
	if err != nil {
		return "", err
	}
	for i := range fs {
		fs[i].CreatedAt = localStamp(v.L, fs[i].CreatedAt, c.loc)
	}
	v.Title, v.Nav, v.Data = v.T("flags.title"), "flags", fs
	return "flags", nil
}

// flagResolve marks a flag dealt with.
func (h *Handler) flagResolve(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	id, err := page.PathID(r, "id", "flag")
	if err != nil {
		return "", err
	}
	if err := h.booking.ResolveFlag(r.Context(), id, sessionFrom(r.Context()).Name); err != nil {
		return "", err
	}
	h.seeOther(w, r, "/flags", v.T("flash.resolved"))
	return "", nil
}
