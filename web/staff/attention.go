package staff

import (
	"net/http"

	"github.com/asylum-scheduling/interviews/resources"
)

// attentionRow is one booking that needs a clerk.
type attentionRow struct {
	resources.Attention
	When string
}

// attention lists the bookings that need a clerk, the soonest first: the
// interpreter declined, did not answer in time or stepped aside, or a party
// asked for another time.
func (h *Handler) attention(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	c, err := h.clock(r.Context())
	if err != nil {
		return "", err
	}
	as, err := h.store.NeedsAttention(r.Context(), h.now())
	if err != nil {
		return "", err
	}
	rows := make([]attentionRow, len(as))
	for i, a := range as {
		rows[i] = attentionRow{Attention: a, When: when(v.L, a.Start, "", c.loc)}
	}
	v.Title, v.Nav, v.Data = v.T("att.title"), "attention", rows
	return "attention", nil
}
