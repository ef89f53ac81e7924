package resources

import "time"

// Records of what the staff pages show, read by the store in one go each.

// Office is an active location, by name.
type Office struct{ ID, Name string }

// QueueFilter narrows the queue of pending interviews. Empty fields do not
// filter; Deadline is a date (YYYY-MM-DD), checked by the caller.
type QueueFilter struct {
	Language    string // the language or any of its dialects (case-insensitive)
	Office      string // interviews that may take place there
	Deadline    string // deadline on or before
	MinPriority int    // priority at least (0: any)
}

// QueueEntry is a pending interview in the queue.
type QueueEntry struct {
	ID              string
	Language        string
	DurationMinutes int
	Earliest        string
	Deadline        string // "" when none
	Latest          string // "" when none
	Priority        int
	Offices         []string // where it may take place, in order of preference
	Held            bool     // a live hold is on it
}

// Use is a booking or a live hold in a planner week or a person's days: an
// interview at a time in a room, with its people.
type Use struct {
	Booking     int64 // 0 for a hold
	Interview   string
	Language    string
	Start, End  time.Time
	Room        string
	Location    string
	Interviewer string
	Interpreter string // "" for none
}

// Span is a stretch of time of one owner (an absence, an availability
// window).
type Span struct {
	Owner      string
	Start, End time.Time
}

// OfficeWeek is what the planner shows of one office over some days: its
// rooms, interviewers and interpreters (with the people from elsewhere who
// have bookings there then), their bookings and live holds, absences and
// availability.
type OfficeWeek struct {
	Rooms, Interviewers, Interpreters []string
	Bookings, Holds                   []Use
	Absences, Availability            []Span
}

// PoolStats are the database connection pool's figures, for /metrics.
type PoolStats struct {
	Acquired, Idle, Total, Max int64
	Acquires, EmptyAcquires    int64 // acquires, and those that had to wait
	CanceledAcquires           int64
	AcquireWait                time.Duration // time spent waiting, in all
}

// InterviewFlag is an interview a clerk flagged to the managers because
// nothing fits it.
type InterviewFlag struct {
	ID        int64  `json:"id"`
	Interview string `json:"interview"`
	Language  string `json:"language"`
	Reason    string `json:"reason"`
	Actor     string `json:"actor"`
	CreatedAt string `json:"created_at"`
}
