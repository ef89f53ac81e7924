package resources

import "encoding/json"

// PersonData is everything held about one interpreter, interviewer or
// party (issue 26, a person's data on request): their record, weekly
// pattern, absences and busy calendar, their part of each booking they
// take part in, their answers, the mails sent to them, their feeds,
// portal sessions and sign-in links (never a secret or a hash), and the
// access log's entries about them. It holds no one else's data: no other
// participant of a booking and no applicant's case reference.
type PersonData struct {
	Kind       string `json:"kind"` // interpreter, interviewer or party
	ID         string `json:"id"`
	ExportedAt string `json:"exported_at"`
	// Record is the person's record as GET /v1/interpreters/{id} (or
	// interviewers, parties) answers it, with its availability.
	Record              json.RawMessage `json:"record"`
	AvailabilityPattern *WeeklyPattern  `json:"availability_pattern,omitempty"`
	Absences            []PersonAbsence `json:"absences"`
	BusyCalendar        *PersonCalendar `json:"busy_calendar,omitempty"`
	Bookings            []PersonBooking `json:"bookings"`
	Answers             []PersonAnswer  `json:"answers"`
	Mails               []PersonMail    `json:"mails"`
	Feeds               []PersonFeed    `json:"feeds"`
	Sessions            []PersonSession `json:"sessions"`
	SigninLinks         []PersonSession `json:"signin_links"`
	Erasures            []Erasure       `json:"erasures"`
	AccessLog           []Access        `json:"access_log"`
}

// PersonAbsence is one absence with its reason, as the person's export
// shows it.
type PersonAbsence struct {
	ID     int64  `json:"id"`
	Start  string `json:"start"`
	End    string `json:"end"`
	Reason string `json:"reason,omitempty"`
}

// PersonCalendar is the person's outside busy calendar.
type PersonCalendar struct {
	URL           string  `json:"url"`
	LastSuccessAt *string `json:"last_success_at,omitempty"`
	CreatedAt     string  `json:"created_at"`
}

// PersonBooking is the person's own part of a booking: when, where and in
// which mode, in which role; nothing of the other participants or the
// case.
type PersonBooking struct {
	Booking  int64  `json:"booking"`
	Role     string `json:"role"` // interpreter, interviewer, counsel, representative
	Start    string `json:"start"`
	End      string `json:"end"`
	Office   string `json:"office"`
	Room     string `json:"room"`
	Mode     string `json:"mode"`
	Language string `json:"language"`
	Status   string `json:"status"` // active, cancelled, completed
	// Released is true for an interpreter who was taken off the booking
	// (declined, expired, stepped aside).
	Released bool `json:"released,omitempty"`
}

// PersonAnswer is the person's answer to a booking: an interpreter's
// status and when they answered (and why they were released), a party's
// acknowledgement and request for another time.
type PersonAnswer struct {
	Booking        int64          `json:"booking"`
	Status         string         `json:"status,omitempty"`
	AnsweredAt     *string        `json:"answered_at,omitempty"`
	ReleaseReason  string         `json:"release_reason,omitempty"`
	AcknowledgedAt *string        `json:"acknowledged_at,omitempty"`
	ChangeReason   string         `json:"change_reason,omitempty"`
	ChangeAskedAt  *string        `json:"change_asked_at,omitempty"`
	Proposals      []TimeProposal `json:"proposals,omitempty"`
}

// PersonMail is a mail to the person as the outbox keeps it: the address,
// the kind of message and what it spoke of (time, room, mode), its state
// and times. The text is composed from these when it is sent and is not
// kept.
type PersonMail struct {
	ID        int64   `json:"id"`
	Booking   int64   `json:"booking"`
	Kind      string  `json:"kind"`
	Method    string  `json:"method"`
	Email     string  `json:"email"`
	Locale    string  `json:"locale"`
	Start     string  `json:"start,omitempty"`
	End       string  `json:"end,omitempty"`
	Room      string  `json:"room,omitempty"`
	Mode      string  `json:"mode,omitempty"`
	State     string  `json:"state"`
	Attempts  int     `json:"attempts"`
	CreatedAt string  `json:"created_at"`
	SentAt    *string `json:"sent_at,omitempty"`
}

// PersonFeed is one of the person's calendar feeds: never its secret.
type PersonFeed struct {
	ID         int64   `json:"id"`
	CreatedAt  string  `json:"created_at"`
	RotatedAt  *string `json:"rotated_at,omitempty"`
	RevokedAt  *string `json:"revoked_at,omitempty"`
	LastUsedAt *string `json:"last_used_at,omitempty"`
}

// PersonSession is a portal session or a sign-in link of the person:
// times only, never the hash.
type PersonSession struct {
	CreatedAt  string  `json:"created_at"`
	ExpiresAt  string  `json:"expires_at"`
	LastSeenAt *string `json:"last_seen_at,omitempty"`
	UsedAt     *string `json:"used_at,omitempty"`
}

// ActionPersonErased is the audit action of an erasure.
const ActionPersonErased = "person_erased"

// Erasure is one erasure of a person's data: who did it, when, why, and
// the pseudonym the person's record now bears. The person's id stays as
// the pseudonymous id that past bookings, the audit trail and the access
// log keep pointing at.
type Erasure struct {
	ID        int64  `json:"id"`
	At        string `json:"at"`
	Actor     string `json:"actor"`
	Kind      string `json:"kind"`
	Person    string `json:"person"`
	Pseudonym string `json:"pseudonym"`
	Reason    string `json:"reason"`
	// Name is the name the record bears now ("erased interpreter 3f9a1c2e").
	Name string `json:"name,omitempty"`
	// Removed counts what the erasure deleted or blanked, by kind of data.
	Removed map[string]int64 `json:"removed,omitempty"`
}

// ErasureRequest is an admin's request to erase a person's data.
type ErasureRequest struct {
	Owner  AbsenceOwner
	ID     string
	Actor  string
	Reason string
}

// PersonExportSubject is the access log's subject id of a person's
// export (subject kind AccessExport): "interpreter:t1".
func PersonExportSubject(kind, id string) string { return kind + ":" + id }
