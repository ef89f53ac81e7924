package resources

import (
	"time"

	"github.com/asylum-scheduling/interviews/solver"
)

// Plan kinds and statuses.
const (
	PlanBatch   = "batch"
	PlanNightly = "nightly"
	PlanRepair  = "repair"

	PlanRunning  = "running"
	PlanDone     = "done"
	PlanFailed   = "failed"
	PlanAccepted = "accepted"
	// PlanPartlyAccepted: an accept left items that could not be applied
	// (named in the accept result); they may be accepted again.
	PlanPartlyAccepted = "partly_accepted"
	PlanCancelled      = "cancelled"
)

// Plan is a solver run over a window of dates around the current bookings.
type Plan struct {
	ID          int64          `json:"id"`
	Kind        string         `json:"kind"`
	Status      string         `json:"status"`
	CreatedBy   string         `json:"created_by"`
	From        string         `json:"from"`
	To          string         `json:"to"`
	TimeLimit   string         `json:"time_limit"`
	Absence     *int64         `json:"absence,omitempty"`
	CreatedAt   string         `json:"created_at"`
	FinishedAt  *string        `json:"finished_at,omitempty"`
	Progress    *PlanProgress  `json:"progress,omitempty"`
	Summary     *PlanSummary   `json:"summary,omitempty"`
	Result      *PlanResult    `json:"result,omitempty"`
	Error       string         `json:"error,omitempty"`
	AcceptedAt  *string        `json:"accepted_at,omitempty"`
	AcceptedBy  string         `json:"accepted_by,omitempty"`
	Accepted    []AcceptedItem `json:"accepted,omitempty"`
	TimeLimitMS int64          `json:"-"`
}

// PlanProgress is a snapshot of a running plan.
type PlanProgress struct {
	ElapsedMS int64 `json:"elapsed_ms"`
	// Phase is solver.PhaseConstruction, PhaseSearch or PhaseFinishing:
	// during construction Scheduled counts the interviews placed so far.
	Phase      string       `json:"phase,omitempty"`
	Scheduled  int          `json:"scheduled"`
	Total      int          `json:"total"`
	Iterations int64        `json:"iterations"`
	Score      solver.Score `json:"score"`
	// Run and Fraction: a what-if scenario's run being solved and the part
	// of the whole scenario done (0 to 1).
	Run      string  `json:"run,omitempty"`
	Fraction float64 `json:"fraction,omitempty"`
}

// PlanResult is what a finished plan proposes.
type PlanResult struct {
	Score       solver.Score         `json:"score"`
	Assignments []solver.Assignment  `json:"assignments"`
	Unscheduled []solver.Unscheduled `json:"unscheduled"`
	Diff        PlanDiff             `json:"diff"`
	Stats       *solver.Stats        `json:"stats,omitempty"`
}

// PlanDiff compares a plan with the bookings it started from.
type PlanDiff struct {
	New       []string   `json:"new"`       // pending interviews the plan books
	Moved     []PlanMove `json:"moved"`     // booked interviews the plan moves
	Unchanged []string   `json:"unchanged"` // booked interviews the plan keeps
	Dropped   []PlanMove `json:"dropped"`   // booked interviews the plan cannot keep
}

// PlanMove is a booking the plan changes: as it was, and where it goes
// (absent for a dropped one).
type PlanMove struct {
	Interview string             `json:"interview"`
	Booking   int64              `json:"booking"`
	Before    solver.Booking     `json:"before"`
	After     *solver.Assignment `json:"after,omitempty"`
	// Changes say who must be told: "moved" (another start or office: a
	// new summons), "room changed", "interviewer changed", "interpreter
	// changed", "mode changed", or "dropped".
	Changes []string `json:"changes,omitempty"`
}

// What a plan does to a booking (PlanMove.Changes).
const (
	ChangeMoved       = "moved"
	ChangeRoom        = "room changed"
	ChangeInterviewer = "interviewer changed"
	ChangeInterpreter = "interpreter changed"
	ChangeMode        = "mode changed"
	ChangeDropped     = "dropped"
)

// PlanSummary counts a finished plan's result.
type PlanSummary struct {
	Scheduled   int          `json:"scheduled"`
	Unscheduled int          `json:"unscheduled"`
	New         int          `json:"new"`
	Moved       int          `json:"moved"`
	Unchanged   int          `json:"unchanged"`
	Dropped     int          `json:"dropped"`
	Score       solver.Score `json:"score"`
}

// AcceptedItem is the outcome of accepting one interview of a plan.
type AcceptedItem struct {
	Interview string `json:"interview"`
	Outcome   string `json:"outcome"` // booked, rescheduled, unchanged, conflict, failed
	Booking   int64  `json:"booking,omitempty"`
	Message   string `json:"message,omitempty"`
}

// NewPlan is a plan to start.
type NewPlan struct {
	Kind      string
	CreatedBy string
	From, To  string
	TimeLimit time.Duration
	Absence   *int64
}

// AbsenceInfo is an absence with the person it belongs to.
type AbsenceInfo struct {
	ID     int64  `json:"id"`
	Kind   string `json:"kind"` // interviewer or interpreter
	Person string `json:"person"`
	Start  string `json:"start"`
	End    string `json:"end"`
}

// FlaggedBooking is an active booking an absence breaks.
type FlaggedBooking struct {
	Booking
	FlaggedAt string `json:"flagged_at"`
}

// Summarize counts r.
func (r *PlanResult) Summarize() *PlanSummary {
	return &PlanSummary{Scheduled: len(r.Assignments), Unscheduled: len(r.Unscheduled), New: len(r.Diff.New),
		Moved: len(r.Diff.Moved), Unchanged: len(r.Diff.Unchanged), Dropped: len(r.Diff.Dropped), Score: r.Score}
}

// Acceptable reports whether a plan in status may be accepted (again).
func Acceptable(status string) bool {
	return status == PlanDone || status == PlanAccepted || status == PlanPartlyAccepted
}

// Applied reports whether an accepted item took effect (booked, moved or
// left as it was).
func (x AcceptedItem) Applied() bool {
	switch x.Outcome {
	case "booked", "rescheduled", "unchanged":
		return true
	}
	return false
}
