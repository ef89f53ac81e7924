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
	// Variants describe the scenario's variants for a reader to name in
	// their own language (Described); older scenarios too, from their
	// changes.
	Variants []ScenarioVariant `json:"variants,omitempty"`
}

// ScenarioVariant is how a variant is known: the name it was given (an
// unnamed variant of the pages is known by its English description), and
// its description as sentences with a code and arguments, built from its
// changes (capacity.Describe), which a reader words from the catalog:
// "+2 tulkkia, arabia (Marokko)" for two ar-MA interpreters.
type ScenarioVariant struct {
	Name        string            `json:"name"`
	Description []capacity.Advice `json:"description"`
}

// Described returns the run with its Variants described from the
// scenario's changes.
func (r *ScenarioRun) Described() *ScenarioRun {
	if r == nil || r.Scenario == nil {
		return r
	}
	r.Variants = make([]ScenarioVariant, 0, len(r.Scenario.Variants))
	for _, v := range r.Scenario.Variants {
		d := capacity.Describe(v)
		if d == nil {
			d = []capacity.Advice{}
		}
		r.Variants = append(r.Variants, ScenarioVariant{Name: v.Name, Description: d})
	}
	return r
}
