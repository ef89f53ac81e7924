package resources

import (
	"slices"
	"strconv"
	"time"
)

// Audit actions of the people outside the agency (issue 11).
const (
	ActionInterpreterConfirmed = "interpreter_confirmed"
	// ActionInterpreterReleased: a declined, expired or stepped-aside
	// request freed the interpreter; the reason says which.
	ActionInterpreterReleased = "interpreter_released"
	ActionSummonsAcknowledged = "summons_acknowledged"
	ActionChangeRequested     = "change_requested"
)

// Interpreter part statuses of a booking.
const (
	InterpreterRequested = "requested"
	InterpreterConfirmed = "confirmed"
	InterpreterDeclined  = "declined"
	InterpreterExpired   = "expired"
)

// Decline reasons. StepAside is a decline of a confirmed assignment on the
// day ("at the interview I recognised the applicant").
const (
	DeclineUnavailable        = "unavailable"
	DeclineConflictOfInterest = "conflict_of_interest"
	DeclineOther              = "other"
	DeclineStepAside          = "stepped_aside"
)

// ValidDeclineReason reports whether r is a reason an interpreter may give.
func ValidDeclineReason(r string) bool {
	switch r {
	case DeclineUnavailable, DeclineConflictOfInterest, DeclineOther, DeclineStepAside:
		return true
	}
	return false
}

// Portal roles: people outside the agency who sign in with a link sent by
// e-mail. A representative signs in as a counsel (the same portal).
const (
	PortalInterpreter = "interpreter"
	PortalCounsel     = "counsel"
)

// Confirmation are the rules of an interpreter's answer: within
// AnswerWithinHours of the request, and never later than
// AnswerBeforeStartHours before the interview (for requests made later
// than that: two hours, or the start). With AutoRequestNext the system asks
// the next-best interpreter at the same time and place by itself after a
// decline or expiry, and asks a clerk only when nobody is left.
type Confirmation struct {
	AnswerWithinHours      int  `json:"answer_within_hours"`
	AnswerBeforeStartHours int  `json:"answer_before_start_hours"`
	AutoRequestNext        bool `json:"auto_request_next"`
	// ReminderHours are when the interpreter and the counsels get a
	// reminder, in hours before the start; none given: DefaultReminderHours.
	ReminderHours []int `json:"reminder_hours,omitempty"`
}

// DefaultReminderHours are the reminders when the settings name none: 72
// and 24 hours before the start.
var DefaultReminderHours = []int{72, 24}

// Reminders are the hours before the start at which reminders go out,
// the largest first, each between 1 and 720 and once (others are left
// out); DefaultReminderHours when none are set.
func (c Confirmation) Reminders() []int {
	var out []int
	for _, h := range c.ReminderHours {
		if h >= 1 && h <= 720 && !slices.Contains(out, h) {
			out = append(out, h)
		}
	}
	if len(out) == 0 {
		out = slices.Clone(DefaultReminderHours)
	}
	slices.Sort(out)
	slices.Reverse(out)
	return out
}

// PortalPerson is someone who may sign in to the portal.
type PortalPerson struct {
	Role   string
	ID     string
	Name   string
	Email  string
	Locale string
}

// PortalSession is a signed-in person outside the agency.
type PortalSession struct {
	Role      string
	PersonID  string
	Name      string
	Locale    string
	CSRF      string
	ExpiresAt time.Time
}

// Assignment is one interview as its interpreter sees it: when, where (or
// remote), which language, how long and whether they answered; nothing of
// the applicant or the case.
type Assignment struct {
	Booking         int64   `json:"booking"`
	Start           string  `json:"start"`
	End             string  `json:"end"`
	DurationMinutes int     `json:"duration_minutes"`
	Office          string  `json:"office"`         // office name
	Room            string  `json:"room,omitempty"` // room name; empty when remote
	Remote          bool    `json:"remote"`
	Mode            string  `json:"mode"`
	Language        string  `json:"language"`
	Status          string  `json:"status"` // requested, confirmed, declined, expired, cancelled
	AnswerDue       *string `json:"answer_due,omitempty"`
	Reason          string  `json:"reason,omitempty"` // why it was released
	Sequence        int     `json:"sequence"`
}

// Summons is one interview of a counsel's or representative's client, with
// the case reference (shown only behind sign-in) and their answer.
type Summons struct {
	Booking        int64   `json:"booking"`
	Interview      string  `json:"interview"`
	Case           string  `json:"case"`
	Start          string  `json:"start"`
	End            string  `json:"end"`
	Office         string  `json:"office"`
	Room           string  `json:"room"`
	Language       string  `json:"language"`
	Status         string  `json:"status"` // active, cancelled, completed
	Sequence       int     `json:"sequence"`
	Acknowledged   bool    `json:"acknowledged"`
	AcknowledgedAt *string `json:"acknowledged_at,omitempty"`
	ChangeAsked    bool    `json:"change_asked"`
	ChangeReason   string  `json:"change_reason,omitempty"`
	// Proposals are the other times the party proposed with the request.
	Proposals []TimeProposal `json:"proposals,omitempty"`
}

// TimeProposal is another time a party proposes: a local date and a part
// of that day.
type TimeProposal struct {
	Date string `json:"date"` // YYYY-MM-DD
	Part string `json:"part"` // PartMorning, PartAfternoon or PartDay
}

// Parts of a day a party may propose.
const (
	PartMorning   = "morning"
	PartAfternoon = "afternoon"
	PartDay       = "day"
)

// MaxProposals is how many other times a party may propose at once.
const MaxProposals = 3

// SummonsNumber is the number a counsel's mails and portal give a summons
// (the booking's id): it tells one summons from another and says nothing
// of the case or the applicant.
func SummonsNumber(booking int64) string { return strconv.FormatInt(booking, 10) }

// Number is the summons number (SummonsNumber).
func (s Summons) Number() string { return SummonsNumber(s.Booking) }

// Attention is a booked interview that needs a clerk: its interpreter
// declined, did not answer in time or stepped aside, or a party asked for
// another time.
type Attention struct {
	Interview string `json:"interview"`
	Booking   int64  `json:"booking"`
	Start     string `json:"start"`
	Office    string `json:"office"`
	Language  string `json:"language"`
	Reason    string `json:"reason"`           // declined, expired, stepped_aside, change_requested, no_longer_available
	Detail    string `json:"detail,omitempty"` // the reason the party gave for another time
	// Proposals are the other times the parties who asked propose.
	Proposals []TimeProposal `json:"proposals,omitempty"`
}

// Participant is one person of a booking with their answer, for the case page.
type Participant struct {
	Role   string `json:"role"` // interpreter, counsel, representative
	ID     string `json:"id"`
	Name   string `json:"name"`
	Status string `json:"status"`
	Detail string `json:"detail,omitempty"`
}

// Mail is one message to a person, waiting in or done with the mail outbox.
type Mail struct {
	ID            int64       `json:"id"`
	Booking       int64       `json:"booking"`
	Sequence      int         `json:"sequence"`
	RecipientKind string      `json:"recipient_kind"`
	RecipientID   string      `json:"recipient_id"`
	Email         string      `json:"-"`
	Locale        string      `json:"locale"`
	Kind          string      `json:"kind"`   // booked, moved, cancelled, released, signin
	Method        string      `json:"method"` // REQUEST, CANCEL, "" for sign-in links
	State         string      `json:"state"`  // pending, sending, sent, failed, unknown
	Attempts      int         `json:"attempts"`
	CreatedAt     string      `json:"created_at"`
	SentAt        *string     `json:"sent_at,omitempty"`
	LastError     string      `json:"last_error,omitempty"`
	Payload       MailPayload `json:"-"`
}

// MailPayload is what a booking mail says: time, place or remote, language
// and mode. It has no field for the case or the applicant on purpose.
type MailPayload struct {
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
	Office   string    `json:"office"`
	Room     string    `json:"room"`
	Mode     string    `json:"mode"`
	Language string    `json:"language"`
	Name     string    `json:"name"` // the recipient's own name
	Link     string    `json:"link,omitempty"`
	// Read when the mail is claimed, never stored: an interpreter's answer
	// to the booking ("requested", "confirmed"; "" for others or when the
	// booking is no longer theirs), when a request is due, and why they
	// were released (the booking's release reason).
	Answer    string    `json:"-"`
	AnswerDue time.Time `json:"-"`
	Released  string    `json:"-"`
	// The office's street address and meeting link, read when claimed.
	Address     string `json:"-"`
	MeetingLink string `json:"-"`
}

// WeeklyPattern is an interpreter's availability as they enter it: hours
// per weekday (Monday first; empty: not available that day) from From to
// Until (local dates), with dated exceptions (other hours, or none).
type WeeklyPattern struct {
	Days       [7]DayHours `json:"days"`
	From       string      `json:"from"`
	Until      string      `json:"until"`
	Exceptions []Exception `json:"exceptions,omitempty"`
}

// DayHours are the hours of one day, "08:00" to "16:00"; both empty: none.
type DayHours struct {
	Start string `json:"start,omitempty"`
	End   string `json:"end,omitempty"`
}

// Exception gives one local date other hours, or none (Start and End empty).
type Exception struct {
	Date string `json:"date"`
	DayHours
}
