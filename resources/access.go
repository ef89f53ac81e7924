package resources

// Access is one read of personal data by a member of staff, as the access
// log keeps it: who, what, when and through which route. It names records
// by their ids, never by a person's name.
type Access struct {
	ID int64 `json:"id"`
	// At is when the read happened (RFC 3339, UTC).
	At string `json:"at"`
	// ActorKind is "token" (an API token, or a page session opened with
	// one: Actor is the token's id) or "oidc" (a page session of the
	// agency's OpenID provider: Actor is the provider's subject).
	ActorKind string `json:"actor_kind"`
	Actor     string `json:"actor"`
	Role      Role   `json:"role"`
	// SubjectKind is what was read (see the Access* kinds); SubjectID its
	// id, "" for a list.
	SubjectKind string `json:"subject_kind"`
	SubjectID   string `json:"subject_id"`
	// Route is the method and route pattern, e.g. "GET /v1/interviews/{id}"
	// or "GET /cases/{id}".
	Route string `json:"route"`
}

// The kinds of personal data whose reads the access log records.
const (
	AccessInterview    = "interview"
	AccessBooking      = "booking"
	AccessParticipants = "participants" // a booking's participant list
	AccessInterpreter  = "interpreter"
	AccessInterviewer  = "interviewer"
	AccessParty        = "party"
	AccessExport       = "export" // the whole instance
	AccessMails        = "mails"  // the mails of a booking
	AccessAudit        = "audit"  // an interview's or booking's audit trail
	AccessAbsences     = "absences"
	AccessAttention    = "attention" // the list of bookings needing attention
)

// AccessQuery selects entries of the access log: each field narrows it
// when not empty; From and To bound At (RFC 3339 or a date, To exclusive).
// The newest come first.
type AccessQuery struct {
	SubjectKind, SubjectID, Actor string
	From, To                      string
	Cursor                        string
	Limit                         int
}
