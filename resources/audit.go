package resources

import "encoding/json"

// Audit actions and outbox events.
const (
	ActionBooked      = "booked"
	ActionHeld        = "held"
	ActionRescheduled = "rescheduled"
	ActionCancelled   = "cancelled"

	EventCreated     = "booking.created"
	EventRescheduled = "booking.rescheduled"
	EventCancelled   = "booking.cancelled"
	// EventInterpreterReleased: the interpreter declined, stepped aside or
	// did not answer in time; the booking waits for another.
	EventInterpreterReleased = "booking.interpreter_released"
)

// AuditEntry is one row of the audit trail.
type AuditEntry struct {
	ID        int64           `json:"id"`
	At        string          `json:"at"`
	Actor     string          `json:"actor"`
	Interview string          `json:"interview,omitempty"`
	Booking   *int64          `json:"booking,omitempty"`
	Action    string          `json:"action"`
	Reason    string          `json:"reason"`
	Before    json.RawMessage `json:"before,omitempty"`
	After     json.RawMessage `json:"after,omitempty"`
}

// ImportSummary counts what an import loaded.
type ImportSummary struct {
	Locations    int `json:"locations"`
	Rooms        int `json:"rooms"`
	Interviewers int `json:"interviewers"`
	Interpreters int `json:"interpreters"`
	Parties      int `json:"parties"`
	Interviews   int `json:"interviews"`
	Bookings     int `json:"bookings"`
}

// ImportActor is the audit actor of an import that names none.
const ImportActor = "import"

// ActionInstanceImported is the audit action of an instance import.
const ActionInstanceImported = "instance_imported"
