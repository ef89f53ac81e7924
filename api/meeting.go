package api

import (
	"net/http"

	"github.com/asylum-scheduling/interviews/internal/errs"
)

// bookingPatch is what PATCH /v1/bookings/{id} may change: the booking's
// own meeting link ("" gives the office's back).
type bookingPatch struct {
	MeetingURL *string `json:"meeting_url"`
}

// patchBooking sets a booking's own meeting link for remote participation
// and answers with the booking (clerk).
func (s *Server) patchBooking(w http.ResponseWriter, r *http.Request) error {
	id, err := bookingID(r)
	if err != nil {
		return err
	}
	var p bookingPatch
	if err := decode(r, &p); err != nil {
		return err
	}
	if p.MeetingURL == nil {
		return errs.Field("meeting_url", "give meeting_url (\"\" for the office's link)")
	}
	b, err := s.booking.SetMeetingLink(r.Context(), id, *p.MeetingURL)
	if err != nil {
		return err
	}
	setETag(w, b.Version)
	writeJSON(w, http.StatusOK, b)
	return nil
}
