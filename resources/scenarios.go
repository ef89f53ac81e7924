package resources

import "github.com/asylum-scheduling/interviews/capacity"

// PlanScenario is the kind of plan a what-if scenario runs as.
const PlanScenario = "scenario"

// ScenarioRun is a what-if scenario run over a window: the baseline (the
// current bookings and pending interviews) and each variant, solved with the
// same budget. Nothing is booked.
type ScenarioRun struct {
	ID         int64                `json:"id"`
	Status     string               `json:"status"` // running, done, failed, cancelled
	CreatedBy  string               `json:"created_by"`
	From       string               `json:"from"`
	To         string               `json:"to"`
	TimeLimit  string               `json:"time_limit"`
	CreatedAt  string               `json:"created_at"`
	FinishedAt *string              `json:"finished_at,omitempty"`
	Progress   *PlanProgress        `json:"progress,omitempty"`
	Scenario   *capacity.Scenario   `json:"scenario"`
	Comparison *capacity.Comparison `json:"comparison,omitempty"`
	Error      string               `json:"error,omitempty"`
}
