package capacity

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"time"

	"github.com/asylum-scheduling/interviews/solver"
)

// ComparisonFormat is the format name of a Comparison document.
const ComparisonFormat = "capacity-comparison/v1"

// Comparison is the result of Run: one result per run, the baseline first
// (docs/formats.md, "Scenarios").
type Comparison struct {
	Format        string `json:"format"`
	TimeLimitMS   int64  `json:"time_limit_ms"`
	PerRunLimitMS int64  `json:"per_run_limit_ms"`
	// Spread is how far two seeds of the baseline differ: differences
	// within it are noise (RunResult.Effect).
	Spread Spread      `json:"spread"`
	Runs   []RunResult `json:"runs"`
}

// RunResult are the figures of one solved run.
type RunResult struct {
	Name        string `json:"name"`
	Interviews  int    `json:"interviews"`
	Scheduled   int    `json:"scheduled"`
	Unscheduled int    `json:"unscheduled"`
	// UnscheduledPriority is the schedule's medium score; Bound a proven
	// lower bound on it (nil when the bound was not ready in time) and Gap
	// their difference.
	UnscheduledPriority int64  `json:"unscheduled_priority"`
	Bound               *int64 `json:"bound"`
	Gap                 *int64 `json:"gap"`
	// UnscheduledByLanguage and UnscheduledByReason count the unscheduled
	// interviews by language tag and by the solver's reason code.
	UnscheduledByLanguage map[string]int `json:"unscheduled_by_language"`
	UnscheduledByReason   map[string]int `json:"unscheduled_by_reason"`
	// WaitDays: days from each scheduled interview's earliest date to its
	// date.
	WaitDays Waits `json:"wait_days"`
	// Utilisation per resource kind ("interviewers", "rooms",
	// "interpreters") within the horizon.
	Utilisation map[string]Use `json:"utilisation"`
	// InterpreterCost is the objective's cost term as the solver reports it
	// (weight cost × euros); InterpreterEuros the euros themselves.
	InterpreterCost  int64 `json:"interpreter_cost"`
	InterpreterEuros int64 `json:"interpreter_euros"`
	// Score is the schedule's full score.
	Score   solver.Score `json:"score"`
	SolveMS int64        `json:"solve_ms"`
	Note    string       `json:"note,omitempty"`
	// Effect judges a variant against the baseline (nil for the
	// baseline and for a need answer's plans).
	Effect *Effect `json:"effect,omitempty"`
	// Advice is the variant's sentence (from Effect; nil with it).
	Advice *Advice `json:"advice,omitempty"`
	// Description names the variant's changes for the reader to word
	// (Describe; empty for the baseline).
	Description []Advice `json:"description,omitempty"`
	// Schedule is the solved schedule; left out of the JSON.
	Schedule *solver.Schedule `json:"-"`
}

// Waits are the median and 90th percentile of waiting days (nearest-rank
// percentiles; 0 when nothing is scheduled).
type Waits struct {
	Median float64 `json:"median"`
	P90    float64 `json:"p90"`
	Mean   float64 `json:"mean"`
}

// Use is booked minutes against available minutes of one resource kind.
// A room without an availability list counts as open while an interviewer
// of its location is available.
type Use struct {
	BookedMinutes    int64   `json:"booked_minutes"`
	AvailableMinutes int64   `json:"available_minutes"`
	Share            float64 `json:"share"` // booked / available, 0 when none available
}

// measure computes the figures of one run.
func measure(name string, in *solver.Instance, s *solver.Schedule) (*RunResult, error) {
	w, err := horizonOf(in)
	if err != nil {
		return nil, err
	}
	ivs := map[string]*solver.Interview{}
	for i := range in.Interviews {
		ivs[in.Interviews[i].ID] = &in.Interviews[i]
	}
	r := &RunResult{
		Name: name, Interviews: len(in.Interviews), Scheduled: len(s.Assignments), Unscheduled: len(s.Unscheduled),
		UnscheduledPriority: s.Score.Medium, UnscheduledByLanguage: map[string]int{}, UnscheduledByReason: map[string]int{},
		InterpreterCost: s.Score.Components.Cost, Score: s.Score, Schedule: s,
	}
	if s.Stats != nil {
		r.Bound, r.Gap, r.SolveMS, r.Note = s.Stats.Bound, s.Stats.Gap, s.Stats.SolveMS, s.Stats.Note
	}
	for _, u := range s.Unscheduled {
		if iv := ivs[u.Interview]; iv != nil {
			r.UnscheduledByLanguage[iv.Language]++
		}
		r.UnscheduledByReason[u.Reason]++
	}
	r.WaitDays = waits(s, ivs, w)
	r.Utilisation = utilisation(in, s, w)
	rates := map[string]*solver.Rates{}
	for _, t := range in.Interpreters {
		rates[t.ID] = t.CostPerHour
	}
	for _, a := range s.Assignments {
		if a.Interpreter != "" {
			r.InterpreterEuros += int64(rates[a.Interpreter].Rate(a.Mode) * minutes(a) / 60)
		}
	}
	return r, nil
}

func minutes(a solver.Assignment) int {
	s, err1 := solver.ParseInstant(a.Start)
	e, err2 := solver.ParseInstant(a.End)
	if err1 != nil || err2 != nil {
		return 0
	}
	return int(e.Sub(s) / time.Minute)
}

func waits(s *solver.Schedule, ivs map[string]*solver.Interview, w window) Waits {
	var days []float64
	for _, a := range s.Assignments {
		iv := ivs[a.Interview]
		t, err := solver.ParseInstant(a.Start)
		if iv == nil || err != nil {
			continue
		}
		e, err := solver.ParseDate(iv.Earliest)
		if err != nil {
			continue
		}
		days = append(days, float64(solver.DateOf(t, w.loc)-e))
	}
	if len(days) == 0 {
		return Waits{}
	}
	sort.Float64s(days)
	sum := 0.0
	for _, d := range days {
		sum += d
	}
	rank := func(p float64) float64 {
		k := int(math.Ceil(p*float64(len(days)))) - 1
		return days[max(0, min(k, len(days)-1))]
	}
	return Waits{Median: rank(0.5), P90: rank(0.9), Mean: round2(sum / float64(len(days)))}
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

// Resource kinds of Utilisation.
const (
	KindInterviewers = "interviewers"
	KindRooms        = "rooms"
	KindInterpreters = "interpreters"
)

func utilisation(in *solver.Instance, s *solver.Schedule, w window) map[string]Use {
	var ivr, room, tr Use
	byLoc := map[string]int64{}
	for _, p := range in.Interviewers {
		m := w.minutes(p.Availability)
		ivr.AvailableMinutes += m
		byLoc[p.Location] = max(byLoc[p.Location], m)
	}
	for _, r := range in.Rooms {
		if r.Availability == nil {
			room.AvailableMinutes += byLoc[r.Location]
		} else {
			room.AvailableMinutes += w.minutes(r.Availability)
		}
	}
	for _, t := range in.Interpreters {
		tr.AvailableMinutes += w.minutes(t.Availability)
	}
	for _, a := range s.Assignments {
		m := int64(minutes(a))
		ivr.BookedMinutes += m
		room.BookedMinutes += m
		if a.Interpreter != "" {
			tr.BookedMinutes += m
		}
	}
	share := func(u Use) Use {
		if u.AvailableMinutes > 0 {
			u.Share = math.Round(float64(u.BookedMinutes)/float64(u.AvailableMinutes)*10000) / 10000
		}
		return u
	}
	return map[string]Use{KindInterviewers: share(ivr), KindRooms: share(room), KindInterpreters: share(tr)}
}

// CSVHeader is the header row of WriteCSV.
var CSVHeader = []string{"run", "metric", "key", "value"}

// WriteCSV writes every figure of the comparison in long form, one row
// (run, metric, key, value) per number, after a header row: the metric is
// the JSON path of the figure without its last part when it is nested
// ("utilisation.rooms", key "share"), key that last part or a map key, and
// empty for top-level figures; an absent bound or gap is an empty value.
// The comparison's own figures come first with an empty run.
func (c *Comparison) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	// Figures of the whole comparison have an empty run.
	for _, row := range [][]string{
		{"", "time_limit_ms", "", strconv.FormatInt(c.TimeLimitMS, 10)},
		{"", "per_run_limit_ms", "", strconv.FormatInt(c.PerRunLimitMS, 10)},
		{"", "spread", "unscheduled", strconv.Itoa(c.Spread.Unscheduled)},
		{"", "spread", "unscheduled_priority", strconv.FormatInt(c.Spread.UnscheduledPriority, 10)},
		{"", "spread", "soft", strconv.FormatInt(c.Spread.Soft, 10)},
	} {
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	for _, r := range c.Runs {
		for _, row := range r.rows() {
			if err := cw.Write(append([]string{r.Name}, row...)); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// rows returns (metric, key, value) for every number of the result.
func (r *RunResult) rows() [][]string {
	i := func(v int64) string { return strconv.FormatInt(v, 10) }
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	opt := func(v *int64) string {
		if v == nil {
			return ""
		}
		return i(*v)
	}
	rows := [][]string{
		{"interviews", "", i(int64(r.Interviews))},
		{"scheduled", "", i(int64(r.Scheduled))},
		{"unscheduled", "", i(int64(r.Unscheduled))},
		{"unscheduled_priority", "", i(r.UnscheduledPriority)},
		{"bound", "", opt(r.Bound)},
		{"gap", "", opt(r.Gap)},
	}
	for _, k := range sortedInt(r.UnscheduledByLanguage) {
		rows = append(rows, []string{"unscheduled_by_language", k, i(int64(r.UnscheduledByLanguage[k]))})
	}
	for _, k := range sortedInt(r.UnscheduledByReason) {
		rows = append(rows, []string{"unscheduled_by_reason", k, i(int64(r.UnscheduledByReason[k]))})
	}
	rows = append(rows,
		[]string{"wait_days", "median", f(r.WaitDays.Median)},
		[]string{"wait_days", "p90", f(r.WaitDays.P90)},
		[]string{"wait_days", "mean", f(r.WaitDays.Mean)},
	)
	for _, k := range []string{KindInterviewers, KindRooms, KindInterpreters} {
		u := r.Utilisation[k]
		rows = append(rows,
			[]string{"utilisation." + k, "booked_minutes", i(u.BookedMinutes)},
			[]string{"utilisation." + k, "available_minutes", i(u.AvailableMinutes)},
			[]string{"utilisation." + k, "share", f(u.Share)},
		)
	}
	sc := r.Score
	rows = append(rows,
		[]string{"interpreter_cost", "", i(r.InterpreterCost)},
		[]string{"interpreter_euros", "", i(r.InterpreterEuros)},
		[]string{"score", "hard", i(sc.Hard)},
		[]string{"score", "medium", i(sc.Medium)},
		[]string{"score", "soft", i(sc.Soft)},
	)
	for _, c := range []struct {
		k string
		v int64
	}{{"wait", sc.Components.Wait}, {"late", sc.Components.Late}, {"cost", sc.Components.Cost}, {"remote", sc.Components.Remote},
		{"dialect", sc.Components.Dialect}, {"continuity", sc.Components.Continuity}, {"fairness", sc.Components.Fairness}, {"change", sc.Components.Change}} {
		rows = append(rows, []string{"score.components", c.k, i(c.v)})
	}
	rows = append(rows, []string{"solve_ms", "", i(r.SolveMS)})
	if e := r.Effect; e != nil {
		rows = append(rows,
			[]string{"effect", "unscheduled", i(int64(e.Unscheduled))},
			[]string{"effect", "unscheduled_priority", i(e.UnscheduledPriority)},
			[]string{"effect", "soft", i(e.Soft)},
		)
	}
	return rows
}

func sortedInt(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// String is a one-line summary of the run.
func (r *RunResult) String() string {
	return fmt.Sprintf("%s: %d/%d scheduled, unscheduled priority %d", r.Name, r.Scheduled, r.Interviews, r.UnscheduledPriority)
}
