package resources

// Retention says how long personal data stays: MonthsAfter months after an
// interview took place (its last booking ended) or was cancelled, and as
// long for the audit trail's reasons of entries tied to no interview kept;
// AccessLogMonths months for an entry of the access log. Then the
// retention job erases it (scheduler/retention.go).
type Retention struct {
	MonthsAfter int `json:"months_after"`
	// AccessLogMonths is how long the access log keeps an entry; nil is
	// DefaultAccessLogMonths (the store always fills it in when it reads).
	AccessLogMonths *int `json:"access_log_months,omitempty"`
}

// DefaultRetention applies when the settings give none: 24 months, and
// the access log DefaultAccessLogMonths.
var DefaultRetention = Retention{MonthsAfter: 24}

// DefaultAccessLogMonths is how long the access log keeps an entry unless
// the settings say otherwise: five years (docs/data-protection.md says
// why).
const DefaultAccessLogMonths = 60

// Bounds of Retention.MonthsAfter and Retention.AccessLogMonths.
const (
	MinRetentionMonths = 1
	MaxRetentionMonths = 240
	MinAccessLogMonths = 12
	MaxAccessLogMonths = 240
)

// AccessLogPeriod is the months the access log keeps an entry: the
// setting, or DefaultAccessLogMonths when none is set.
func (r Retention) AccessLogPeriod() int {
	if r.AccessLogMonths == nil {
		return DefaultAccessLogMonths
	}
	return *r.AccessLogMonths
}

// RetentionRule returns the retention rule, the default when none is set.
func (s *Settings) RetentionRule() Retention {
	if s.Retention == nil {
		return DefaultRetention
	}
	return *s.Retention
}

// ActionRetentionErased is the audit action of a retention run (one entry
// for the run, and one per interview it erased).
const ActionRetentionErased = "retention_erased"

// RetentionActor is the actor of the scheduled retention runs.
const RetentionActor = "job:retention"

// RetentionCounts are the rows of each kind a retention run erases (or, in
// a preview, would erase).
type RetentionCounts struct {
	Interviews     int64 `json:"interviews"`      // case references replaced by a pseudonym
	CancelReasons  int64 `json:"cancel_reasons"`  // bookings' cancellation reasons
	OriginReasons  int64 `json:"origin_reasons"`  // hand bookings' reasons (booking_origins)
	FlagReasons    int64 `json:"flag_reasons"`    // reasons of flags to the managers
	PartyAnswers   int64 `json:"party_answers"`   // counsels' reasons and proposed times
	Mails          int64 `json:"mails"`           // mails' addresses, names and errors
	PartyLinks     int64 `json:"party_links"`     // counsels and representatives unlinked from the interviews
	PartyOccupancy int64 `json:"party_occupancy"` // their occupancy rows of the interviews' bookings
	Parties        int64 `json:"parties"`         // parties with nothing kept: name and address erased
	PartyAbsences  int64 `json:"party_absences"`  // those parties' absences (the dates they could not attend)
	SigninLinks    int64 `json:"signin_links"`    // those parties' sign-in links
	PortalSessions int64 `json:"portal_sessions"` // those parties' portal sessions
	AuditReasons   int64 `json:"audit_reasons"`   // the audit trail's reasons of the interviews and their bookings
	AuditDocuments int64 `json:"audit_documents"` // audit entries whose before/after quoted a case reference
	// The audit trail's reasons of entries tied to no interview that keeps
	// its data (none, one gone, or one erased before), older than the cut-off.
	OtherAuditReasons int64 `json:"other_audit_reasons"`
	AccessLog         int64 `json:"access_log"` // access-log entries older than the access log's cut-off, deleted
}

// Total is the sum of the counts.
func (c RetentionCounts) Total() int64 {
	return c.Interviews + c.CancelReasons + c.OriginReasons + c.FlagReasons + c.PartyAnswers + c.Mails +
		c.PartyLinks + c.PartyOccupancy + c.Parties + c.PartyAbsences + c.SigninLinks + c.PortalSessions +
		c.AuditReasons + c.AuditDocuments + c.OtherAuditReasons + c.AccessLog
}

// RetentionPreview is what the next retention run would erase: the
// interviews that took place or were cancelled before Cutoff, the audit
// trail's other reasons written before it, and the access log's entries
// written before AccessLogCutoff.
type RetentionPreview struct {
	Cutoff          string          `json:"cutoff"`
	MonthsAfter     int             `json:"months_after"`
	AccessLogCutoff string          `json:"access_log_cutoff"`
	AccessLogMonths int             `json:"access_log_months"`
	Counts          RetentionCounts `json:"counts"`
	// The interviews affected that took place or were cancelled first and
	// last (ids only; none when nothing is due).
	FirstInterview string `json:"first_interview,omitempty"`
	LastInterview  string `json:"last_interview,omitempty"`
}

// RetentionRun is one run of the retention: when, by whom, and what it
// erased.
type RetentionRun struct {
	ID     int64  `json:"id"`
	At     string `json:"at"`
	Cutoff string `json:"cutoff"`
	// The access log's cut-off (none for runs before migration 024).
	AccessLogCutoff string          `json:"access_log_cutoff,omitempty"`
	Actor           string          `json:"actor"`
	Counts          RetentionCounts `json:"counts"`
	FirstInterview  string          `json:"first_interview,omitempty"`
	LastInterview   string          `json:"last_interview,omitempty"`
}
