// Package scheduler is the booking workflow of the service: suggestions on
// the current database state, holds, conflict-safe booking, rescheduling and
// cancelling, with an audit trail and an outbox of events written in the same
// transaction as each change.
package scheduler

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

// Service runs the booking workflow on a database.
type Service struct {
	db  *postgres.DB
	now func() time.Time
	log *slog.Logger
	// key signs suggestion ids (HMAC-SHA256), so that a suggestion can be
	// booked exactly as offered without storing it. Replicas that must
	// accept each other's ids share one (the server keeps it in the
	// database); New makes a random one when given none.
	key []byte
	// holdTTL is how long a hold lasts (default 10 minutes).
	holdTTL time.Duration

	obs Observer

	mu      sync.Mutex // guards cache
	cache   *plannerCache
	buildMu sync.Mutex // one shared-cache build at a time
}

// New returns a service on db that signs suggestion ids with key (nil: a
// random key, valid in this process only). log nil: discard; now nil:
// time.Now.
func New(db *postgres.DB, key []byte, log *slog.Logger, now func() time.Time, opts ...ServiceOption) *Service {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.NewJSONHandler(io.Discard, nil))
	}
	if len(key) == 0 {
		key = randomKey()
	}
	return &Service{db: db, now: now, log: log, key: key, holdTTL: DefaultHoldTTL, obs: applyOptions(opts).obs}
}

// DefaultHoldTTL is the life of a hold unless the service says otherwise.
const DefaultHoldTTL = 10 * time.Minute

// BookRequest books one interview: either SuggestionID (from a suggestion answer) or an explicit Assignment.
type BookRequest struct {
	InterviewID    string
	SuggestionID   string
	Assignment     *solver.Assignment // explicit: Start, Room, Interviewer, Interpreter, Mode (End/Location derived)
	Actor          string             // token name, for the audit trail
	Reason         string
	IdempotencyKey string // optional
	Pinned         bool
	Source         string // SourceAPI (default), SourceWeb or SourcePlan: for the metrics
	// Origin is how the booking came about when the caller knows better
	// than the request shows (a plan, an automatic request); nil: a
	// suggestion taken, or by hand (scheduler/automation.go).
	Origin *resources.BookingOrigin
}

// ConflictError says that a resource the booking needs is taken (by a
// booking or a live hold of someone else), with fresh alternatives.
type ConflictError struct {
	Resource     string
	Message      string
	Alternatives []solver.Suggestion
	// AlternativeIDs are the suggestion ids of Alternatives, in order: each
	// books its alternative.
	AlternativeIDs []string
}

func (e *ConflictError) Error() string { return "conflict: " + e.Message }

// Unwrap makes the error carry the conflict code for errs.CodeOf.
func (e *ConflictError) Unwrap() error { return &errs.Error{Code: errs.Conflict, Message: e.Message} }

// Book re-checks every hard rule inside one transaction under row locks and writes booking, occupancy, audit and outbox rows.
// Errors: errs conflict (*ConflictError carrying Resource and Alternatives []solver.Suggestion), invalid/unprocessable (rule broken, which one), not_found.
func (s *Service) Book(ctx context.Context, req BookRequest) (*resources.Booking, error) {
	return s.book(ctx, req)
}
