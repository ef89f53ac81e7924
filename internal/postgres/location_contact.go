package postgres

// location_contact.go keeps what the mails say of an office beyond its
// name: the street address, and the meeting link of remote participation
// (sent only to those who join remotely), which a booking may override
// with its own.

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"unicode"

	"github.com/jackc/pgx/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
)

// SetLocationContact sets an office's street address and meeting link
// (empty: none). The link must be an https URL; neither may carry control
// characters.
func (db *DB) SetLocationContact(ctx context.Context, id, address, meetingURL string) error {
	address, meetingURL, err := checkContact(address, meetingURL)
	if err != nil {
		return err
	}
	tag, err := db.pool.Exec(ctx, `update locations set street_address = $2, meeting_url = $3, version = version + 1,
		updated_at = now() where id = $1`, id, address, meetingURL)
	if err != nil {
		return Translate(err)
	}
	if tag.RowsAffected() == 0 {
		return errs.E(errs.NotFound, "location %q not found", id)
	}
	return nil
}

// checkContact checks and trims a street address (one line of at most 300
// characters) and a meeting link (an https URL of at most 500; empty:
// none): the rule of SetLocationContact and PutLocation.
func checkContact(address, meetingURL string) (string, string, error) {
	address, meetingURL = strings.TrimSpace(address), strings.TrimSpace(meetingURL)
	if strings.ContainsFunc(address, unicode.IsControl) || len(address) > 300 {
		return "", "", errs.Field("address", "one line of at most 300 characters")
	}
	if strings.ContainsFunc(meetingURL, unicode.IsControl) || len(meetingURL) > 500 {
		return "", "", errs.Field("meeting_url", "a link of at most 500 characters")
	}
	if meetingURL != "" {
		if u, err := url.Parse(meetingURL); err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil {
			return "", "", errs.Field("meeting_url", "must be an https link")
		}
	}
	return address, meetingURL, nil
}

// SetBookingMeetingURL sets a booking's own meeting link (empty: the
// office's), checked as an office's is; the booking's mails not yet sent
// carry it. A booking that is not active is a conflict.
func (db *DB) SetBookingMeetingURL(ctx context.Context, booking int64, meetingURL string) error {
	_, meetingURL, err := checkContact("", meetingURL)
	if err != nil {
		return err
	}
	var status string
	err = db.pool.QueryRow(ctx, `with b as (select id, status from bookings where id = $1 for update),
			u as (update bookings set meeting_url = $2 from b where bookings.id = b.id and b.status = 'active')
		select status from b`, booking, meetingURL).Scan(&status)
	if errors.Is(err, pgx.ErrNoRows) {
		return errs.E(errs.NotFound, "booking %d not found", booking)
	}
	if err != nil {
		return Translate(err)
	}
	if status != "active" {
		return errs.E(errs.Conflict, "booking %d is %s: its meeting link stays", booking, status)
	}
	return nil
}

// BookingMeetingURL returns a booking's own meeting link ("" when it has
// none: the office's is sent).
func (db *DB) BookingMeetingURL(ctx context.Context, booking int64) (string, error) {
	var link string
	err := db.pool.QueryRow(ctx, `select meeting_url from bookings where id = $1`, booking).Scan(&link)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", errs.E(errs.NotFound, "booking %d not found", booking)
	}
	return link, Translate(err)
}
