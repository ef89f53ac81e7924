package resources

import "time"

// Owner kinds of a feed.
const (
	FeedInterpreter = "interpreter"
	FeedInterviewer = "interviewer"
	FeedRoom        = "room"
	FeedOffice      = "office"
)

// FeedToken is a feed subscription as listed: never its token.
type FeedToken struct {
	ID         int64   `json:"id"`
	OwnerKind  string  `json:"owner_kind"`
	OwnerID    string  `json:"owner_id"`
	CreatedBy  string  `json:"created_by"`
	CreatedAt  string  `json:"created_at"`
	RotatedAt  *string `json:"rotated_at,omitempty"`
	LastUsedAt *string `json:"last_used_at,omitempty"`
}

// FeedLookup is a live feed found by its token.
type FeedLookup struct {
	ID        int64
	OwnerKind string
	OwnerID   string
	// BodyETag and ChangedAt: the ETag of the body last served and when the
	// body last changed (zero before the first request).
	BodyETag  string
	ChangedAt time.Time
	// StateVersion is the database's state version (migrations/002): it
	// grows with every change to bookings, holds, interviews, rooms,
	// locations, so a rendered feed may be kept while it stands.
	StateVersion int64
}

// FeedItem is one booking, or one live hold, of a feed's owner.
type FeedItem struct {
	Hold      bool // a live hold (staff feeds only), else a booking
	ID        int64
	Sequence  int
	Updated   time.Time
	Start     time.Time
	End       time.Time
	Status    string // bookings: active, cancelled, completed; holds: held
	Language  string
	Mode      string
	Office    string // location name
	Room      string // room id
	Interview string // interview id: the opaque reference, never the case number
	Expires   time.Time
}

// FeedData is what one owner's feed shows, read in one snapshot.
type FeedData struct {
	StateVersion int64
	OwnerLabel   string // the office's name for offices, else the owner's id
	Items        []FeedItem
}

// FeedWindow bounds the bookings FeedData reads: those that end after From
// and start before To, and cancelled ones changed after CancelledAfter.
type FeedWindow struct{ From, To, CancelledAfter time.Time }

// ImportedReason is the reason of the absences a busy-calendar import writes.
const ImportedReason = "imported"

// BusyCalendar is the import state of one outside calendar, as managers see
// it. The URL is shown without its path and query, which often hold a secret.
type BusyCalendar struct {
	OwnerKind     string  `json:"owner_kind"` // interpreter or interviewer
	OwnerID       string  `json:"owner_id"`
	URL           string  `json:"url"` // scheme and host only
	BusyIntervals *int    `json:"busy_intervals,omitempty"`
	LastAttemptAt *string `json:"last_attempt_at,omitempty"`
	LastSuccessAt *string `json:"last_success_at,omitempty"`
	LastError     *string `json:"last_error,omitempty"`
	CreatedAt     string  `json:"created_at"`
}

// BusySource is what an import needs of one outside calendar.
type BusySource struct {
	ResourceID   int64
	OwnerKind    string
	OwnerID      string
	URL          string
	ETag         string
	LastModified string
	Body         []byte // the last good document (nil before the first success)
}

// BusySpan is one imported busy interval [Start, End).
type BusySpan struct{ Start, End time.Time }

// BusyImportResult says what a stored import changed.
type BusyImportResult struct {
	Stale   bool    // the calendar was removed or its URL changed meanwhile: nothing stored
	Added   []int64 // ids of the new absences
	Removed int
	Kept    int
}
