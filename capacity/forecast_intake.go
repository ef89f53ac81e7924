package capacity

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"

	"github.com/asylum-scheduling/interviews/solver"
)

// IntakeFormat is the format name of an intake forecast document.
const IntakeFormat = "capacity-intake/v1"

// Intake is a capacity-intake/v1 document: the new cases expected per
// language and week, either listed week by week or taken from the base
// instance's history (docs/formats.md, "Forecast").
type Intake struct {
	Format string `json:"format"`
	// Weeks lists the arrivals of given weeks (a Monday each); weeks not
	// listed have none.
	Weeks []IntakeWeek `json:"weeks,omitempty"`
	// FromHistory takes the same arrivals every week: the average weekly
	// arrivals per language over the base instance's last weeks.
	FromHistory *FromHistory `json:"from_history,omitempty"`
	// Shapes overrides, per language, what the new cases are like; fields
	// left out are sampled from the base instance's interviews.
	Shapes map[string]IntakeShape `json:"shapes,omitempty"`
}

// IntakeWeek is the number of new cases per language arriving in the week
// starting on Week (a Monday, YYYY-MM-DD).
type IntakeWeek struct {
	Week     string         `json:"week"`
	Arrivals map[string]int `json:"arrivals"`
}

// FromHistory asks for the average weekly arrivals per language over the
// base instance's last Weeks weeks of earliest dates.
type FromHistory struct {
	Weeks int `json:"weeks"`
}

// IntakeShape fixes what the new cases of one language are like. Zero fields are
// sampled from the base instance.
type IntakeShape struct {
	DurationMinutes int      `json:"duration_minutes,omitempty"`
	Priority        int      `json:"priority,omitempty"`
	Locations       []string `json:"locations,omitempty"`
	InterpreterMode string   `json:"interpreter_mode,omitempty"`
}

// ParseIntake decodes a capacity-intake/v1 document strictly (unknown fields
// are an error). It checks the document alone; Forecast checks it against
// the base instance.
func ParseIntake(r io.Reader) (*Intake, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var in Intake
	if err := dec.Decode(&in); err != nil {
		return nil, fmt.Errorf("intake: %w", err)
	}
	if dec.More() {
		return nil, errors.New("intake: more than one JSON value")
	}
	return &in, nil
}

// fcWeekly is the resolved intake: arrivals[w][language] for each simulated
// week, and notes on what was left out.
type fcWeekly struct {
	arrivals []map[string]int
	notes    []string
}

// resolveIntake checks the intake against the base instance and returns
// the arrivals of each of the weeks simulated weeks starting on monday0.
func resolveIntake(base *solver.Instance, in Intake, monday0 solver.Date, weeks int) (*fcWeekly, error) {
	var probs []string
	add := func(format string, a ...any) { probs = append(probs, fmt.Sprintf(format, a...)) }
	if in.Format != IntakeFormat {
		add("format: must be %q, not %q", IntakeFormat, in.Format)
	}
	if (len(in.Weeks) > 0) == (in.FromHistory != nil) {
		add("give either weeks or from_history, not both or neither")
	}
	checkIntakeShapes(base, in.Shapes, add)
	out := &fcWeekly{arrivals: make([]map[string]int, weeks)}
	for w := range out.arrivals {
		out.arrivals[w] = map[string]int{}
	}
	if in.FromHistory != nil {
		if in.FromHistory.Weeks < 1 {
			add("from_history.weeks: must be at least 1, not %d", in.FromHistory.Weeks)
		} else if len(probs) == 0 {
			intakeFromHistory(base, in.FromHistory.Weeks, out)
		}
	}
	seen := map[solver.Date]bool{}
	for i, wk := range in.Weeks {
		p := fmt.Sprintf("weeks[%d]", i)
		d, err := solver.ParseDate(wk.Week)
		switch {
		case err != nil:
			add("%s.week: %v", p, err)
			continue
		case fcWeekday(d) != 0:
			add("%s.week: %s is not a Monday", p, wk.Week)
			continue
		case d < monday0:
			add("%s.week: %s is before the forecast's first week %s", p, wk.Week, monday0)
			continue
		case seen[d]:
			add("%s.week: %s is listed twice", p, wk.Week)
			continue
		}
		seen[d] = true
		for _, lang := range fcSortedKeys(wk.Arrivals) {
			if n := wk.Arrivals[lang]; n < 0 {
				add("%s.arrivals.%s: must not be negative, not %d", p, lang, n)
			} else if strings.TrimSpace(lang) == "" || solver.IDProblem(lang) != "" {
				add("%s.arrivals: %q is not a language tag", p, lang)
			}
		}
		w := int(d-monday0) / 7
		if w >= weeks {
			out.notes = append(out.notes, fmt.Sprintf("intake week %s is after the last week simulated and is left out", wk.Week))
			continue
		}
		for lang, n := range wk.Arrivals {
			out.arrivals[w][lang] += n
		}
	}
	if len(probs) > 0 {
		return nil, fmt.Errorf("intake: %s", strings.Join(probs, "; "))
	}
	return out, nil
}

// checkIntakeShapes reports shape overrides the base instance cannot hold.
func checkIntakeShapes(base *solver.Instance, shapes map[string]IntakeShape, add func(string, ...any)) {
	locs := map[string]bool{}
	for _, l := range base.Locations {
		locs[l.ID] = true
	}
	for _, lang := range fcSortedKeys(shapes) {
		s := shapes[lang]
		p := "shapes." + lang
		if s.DurationMinutes < 0 || s.DurationMinutes%base.Grain() != 0 {
			add("%s.duration_minutes: must be a positive multiple of %d", p, base.Grain())
		}
		if s.Priority < 0 || s.Priority > 1000 {
			add("%s.priority: must be between 1 and 1000", p)
		}
		for _, l := range s.Locations {
			if !locs[l] {
				add("%s.locations: unknown location %q", p, l)
			}
		}
		switch s.InterpreterMode {
		case "", solver.WantAny, solver.WantOnsite, solver.WantRemote, solver.WantPreferOnsite:
		default:
			add("%s.interpreter_mode: %q is not onsite, remote, prefer_onsite or any", p, s.InterpreterMode)
		}
	}
}

// intakeFromHistory fills every week with the average weekly arrivals per
// language over the k weeks that end with the week of the latest earliest
// date among the base's interviews. Fractions carry over from week to week
// (week w gets ⌊(w+1)·a⌋ − ⌊w·a⌋), so that the average holds over the run.
func intakeFromHistory(base *solver.Instance, k int, out *fcWeekly) {
	last := solver.Date(math.MinInt32)
	for _, iv := range base.Interviews {
		if d, err := solver.ParseDate(iv.Earliest); err == nil && d > last {
			last = d
		}
	}
	if len(base.Interviews) == 0 {
		return
	}
	lastMonday := fcMondayOf(last)
	first := lastMonday - solver.Date(7*(k-1))
	count := map[string]int{}
	for _, iv := range base.Interviews {
		if d, err := solver.ParseDate(iv.Earliest); err == nil && d >= first {
			count[iv.Language]++
		}
	}
	for lang, n := range count {
		avg := float64(n) / float64(k)
		for w := range out.arrivals {
			if a := int(math.Floor(float64(w+1)*avg+1e-9)) - int(math.Floor(float64(w)*avg+1e-9)); a > 0 {
				out.arrivals[w][lang] = a
			}
		}
	}
	out.notes = append(out.notes, fmt.Sprintf("arrivals from history: %d interviews with earliest dates from %s to %s, over %d weeks",
		fcSum(count), first, lastMonday+6, k))
}

func fcSum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func fcSortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// fcWeekday returns 0 for Monday … 6 for Sunday (1970-01-01 was a Thursday).
func fcWeekday(d solver.Date) int { return (int(d)%7 + 7 + 3) % 7 }

// fcMondayOf returns the Monday of d's ISO week.
func fcMondayOf(d solver.Date) solver.Date { return d - solver.Date(fcWeekday(d)) }
