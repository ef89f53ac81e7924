package scheduler

import (
	"context"

	"github.com/asylum-scheduling/interviews/resources"
)

// SetMeetingLink gives an active booking its own meeting link for remote
// participation (an https URL; empty: the office's again) and returns the
// booking. Only those who join remotely are sent it, with the booking's
// mails that have not gone out yet (a reminder included).
func (s *Service) SetMeetingLink(ctx context.Context, booking int64, link string) (*resources.Booking, error) {
	if err := s.db.SetBookingMeetingURL(ctx, booking, link); err != nil {
		return nil, err
	}
	return s.db.Booking(ctx, booking)
}
