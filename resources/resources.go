// Package resources holds the domain types of the service: the resources that
// clerks and managers keep (locations, rooms, interviewers, interpreters,
// parties), the interview requests and their bookings, and the API tokens.
//
// Each type carries the fields of the interview-instance/v1 format (package
// solver) plus what the service keeps about it: an active flag or a status,
// and a version for optimistic concurrency (ETag / If-Match). Validation is
// the solver's own, so that a file and the API report the same problems with
// the same messages.
package resources

import (
	"encoding/base64"
	"strings"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/solver"
)

// Location is a service point (an interview office).
type Location struct {
	solver.Location
	// Address is the office's street address, told in the mails to those
	// who come to the office (one line; empty: none).
	Address string `json:"address,omitempty"`
	// MeetingURL is the office's link for remote participation (https),
	// sent only to those who join remotely (empty: none).
	MeetingURL string `json:"meeting_url,omitempty"`
	Active     bool   `json:"active"`
	Version    int64  `json:"version"`
}

// Room is an interview room. Availability holds its opening hours; none
// means always open.
type Room struct {
	solver.Room
	Active  bool  `json:"active"`
	Version int64 `json:"version"`
}

// Interviewer is a caseworker who interviews at one location.
type Interviewer struct {
	solver.Interviewer
	Active  bool  `json:"active"`
	Version int64 `json:"version"`
}

// Interpreter is an interpreter with languages (BCP 47), modes, the locations
// where they work on site and their rates.
type Interpreter struct {
	solver.Interpreter
	Active  bool  `json:"active"`
	Version int64 `json:"version"`
}

// Party is a counsel or a representative who attends interviews.
type Party struct {
	solver.Party
	Active  bool  `json:"active"`
	Version int64 `json:"version"`
}

// Status of an interview request.
type Status string

// Interview statuses.
const (
	StatusPending   Status = "pending"
	StatusBooked    Status = "booked"
	StatusCompleted Status = "completed"
	StatusCancelled Status = "cancelled"
)

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	switch s {
	case StatusPending, StatusBooked, StatusCompleted, StatusCancelled:
		return true
	}
	return false
}

// Interview is an interview request.
type Interview struct {
	solver.Interview
	Status  Status `json:"status"`
	Version int64  `json:"version"`
}

// Booking is a booked interview: its time, room, interviewer and interpreter.
type Booking struct {
	ID int64 `json:"id"`
	solver.Booking
	End      string `json:"end"`
	Status   string `json:"status"` // active, cancelled, completed
	Sequence int    `json:"sequence"`
	Version  int64  `json:"version"`
	// MeetingURL is the booking's own meeting link, over the office's
	// (read with one booking only; empty: the office's).
	MeetingURL string `json:"meeting_url,omitempty"`
}

// Role of an API token. Each role may do what the ones before it may.
type Role string

// Roles.
const (
	RoleClerk   Role = "clerk"   // reads resources; manages interview requests and bookings
	RoleManager Role = "manager" // also resources, plans, reports
	RoleAdmin   Role = "admin"   // also tokens
	// RoleAuditor reads the access log and nothing else: it stands outside
	// the ranks (Rank 0), so only the routes that name it let it through.
	RoleAuditor Role = "auditor"
)

// ParseRole reads a role name.
func ParseRole(s string) (Role, error) {
	switch r := Role(s); r {
	case RoleClerk, RoleManager, RoleAdmin, RoleAuditor:
		return r, nil
	}
	return "", errs.Field("role", "role must be clerk, manager, admin or auditor, not "+quote(s))
}

// Rank orders roles: clerk 1, manager 2, admin 3; 0 for none and for the
// auditor, who is outside the order.
func (r Role) Rank() int {
	switch r {
	case RoleClerk:
		return 1
	case RoleManager:
		return 2
	case RoleAdmin:
		return 3
	}
	return 0
}

// Token is an API token as stored: its secret is never kept, only a hash.
type Token struct {
	ID         int64   `json:"id"`
	Name       string  `json:"name"`
	Role       Role    `json:"role"`
	CreatedAt  string  `json:"created_at"`
	LastUsedAt *string `json:"last_used_at,omitempty"`
	RevokedAt  *string `json:"revoked_at,omitempty"`
}

// Page is one page of a list, in a stable order. NextCursor, when not empty,
// fetches the next page.
type Page[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor,omitempty"`
}

// DefaultLimit and MaxLimit bound the size of a page.
const (
	DefaultLimit = 100
	MaxLimit     = 1000
)

// ListParams select one page of a list. Filters are per entity (see the
// API documentation); unknown filters are an error.
type ListParams struct {
	Cursor  string
	Limit   int
	Filters map[string]string
}

// EncodeCursor makes an opaque cursor that resumes a list after key.
func EncodeCursor(key string) string {
	return base64.RawURLEncoding.EncodeToString([]byte("k:" + key))
}

// DecodeCursor reads a cursor made by EncodeCursor ("" for the first page).
func DecodeCursor(c string) (string, error) {
	if c == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || !strings.HasPrefix(string(b), "k:") {
		return "", errs.Field("cursor", "cursor is not one this server gave out")
	}
	return string(b[2:]), nil
}

func quote(s string) string { return `"` + s + `"` }
