package resources

import (
	"encoding/csv"
	"io"
	"sort"
	"strconv"
	"strings"
)

// How a booking came about (BookingOrigin.Kind).
const (
	OriginSuggestion = "suggestion" // a clerk took a ranked suggestion
	OriginPlan       = "plan"       // a manager accepted a plan
	OriginAutomatic  = "automatic"  // the system asked the next-best interpreter by itself
	OriginHand       = "hand"       // a clerk placed it by hand
)

// BookingOrigin is how a booking (or a move of it) came about: the kind,
// the suggestion's rank, the plan, and for a placement by hand the soft
// objectives it worsened (Rules: wait, late, cost, remote, dialect,
// continuity, fairness) and the clerk's reason.
type BookingOrigin struct {
	Kind   string
	Rank   int   // a suggestion's rank (1 is the first); 0 otherwise
	Plan   int64 // the plan accepted; 0 otherwise
	Rules  []string
	Reason string
	// SolverVersion is the build of the solver that checked the placement.
	SolverVersion string
}

// AutomationReport is how the automation was used over a period (issue
// 26): bookings and moves by how they came about, how often the first
// suggestion was taken, hand placements against the objectives with their
// reasons, the automatic requests and their outcomes, the interpreters'
// requests that expired, and the plans' acceptance.
type AutomationReport struct {
	From string `json:"from"`
	To   string `json:"to"`
	// BySource counts bookings and moves: suggestion, plan, automatic, hand.
	BySource map[string]int `json:"by_source"`
	// Suggestions taken, and of them at rank 1; FirstShare is their ratio
	// (0 when none was taken).
	Suggestions     int     `json:"suggestions"`
	FirstSuggestion int     `json:"first_suggestion"`
	FirstShare      float64 `json:"first_share"`
	// AgainstRules are the placements by hand that worsened an objective.
	AgainstRules []HandPlacement `json:"against_rules"`
	// Automatic requests of an interpreter and what became of them, by the
	// booking's interpreter status now (requested, confirmed, declined,
	// expired).
	Automatic         int            `json:"automatic"`
	AutomaticOutcomes map[string]int `json:"automatic_outcomes"`
	// Expired counts the interpreters' requests that went unanswered.
	Expired int `json:"expired"`
	// Plans made in the period, by status (done, accepted, partly_accepted,
	// cancelled, failed, running).
	Plans map[string]int `json:"plans"`
}

// HandPlacement is a booking or move placed by hand against an objective.
type HandPlacement struct {
	Booking int64    `json:"booking"`
	At      string   `json:"at"`
	Action  string   `json:"action"`
	Rules   []string `json:"rules"`
	Reason  string   `json:"reason"`
	Actor   string   `json:"actor"`
}

// WriteCSV writes the report as rows of section, key and value, then the
// placements by hand against an objective (booking, at, action, rules,
// reason, actor). Text that a spreadsheet would take for a formula is
// quoted with a leading apostrophe.
func (r *AutomationReport) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	rows := [][]string{{"section", "key", "value"}, {"period", "from", r.From}, {"period", "to", r.To}}
	for _, k := range sortedKeys(r.BySource) {
		rows = append(rows, []string{"by_source", k, strconv.Itoa(r.BySource[k])})
	}
	rows = append(rows, []string{"suggestions", "taken", strconv.Itoa(r.Suggestions)},
		[]string{"suggestions", "first", strconv.Itoa(r.FirstSuggestion)},
		[]string{"suggestions", "first_share", strconv.FormatFloat(r.FirstShare, 'f', 3, 64)},
		[]string{"automatic", "requests", strconv.Itoa(r.Automatic)})
	for _, k := range sortedKeys(r.AutomaticOutcomes) {
		rows = append(rows, []string{"automatic", k, strconv.Itoa(r.AutomaticOutcomes[k])})
	}
	rows = append(rows, []string{"expired", "requests", strconv.Itoa(r.Expired)})
	for _, k := range sortedKeys(r.Plans) {
		rows = append(rows, []string{"plans", k, strconv.Itoa(r.Plans[k])})
	}
	rows = append(rows, nil, []string{"booking", "at", "action", "rules", "reason", "actor"})
	for _, h := range r.AgainstRules {
		rows = append(rows, []string{strconv.FormatInt(h.Booking, 10), h.At, h.Action, strings.Join(h.Rules, " "), cell(h.Reason), cell(h.Actor)})
	}
	for _, row := range rows {
		if row == nil {
			row = []string{}
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// cell keeps a spreadsheet from reading text as a formula.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func sortedKeys(m map[string]int) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
