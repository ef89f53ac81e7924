package capacity

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/solver"
)

// scheduledOf counts the scheduled interviews of language lang (by
// primary subtag).
func scheduledOf(in *solver.Instance, s *solver.Schedule, lang string) int {
	langOf := map[string]string{}
	for _, iv := range in.Interviews {
		langOf[iv.ID] = iv.Language
	}
	n := 0
	for _, a := range s.Assignments {
		if ok, _ := solver.LanguageMatch([]string{lang}, langOf[a.Interview], false); ok {
			n++
		}
	}
	return n
}

// scarcest returns the language with the most unscheduled interviews in the
// run (the first by tag among equals).
func scarcest(r RunResult) string {
	best, n := "", 0
	for _, k := range sortedInt(r.UnscheduledByLanguage) {
		if r.UnscheduledByLanguage[k] > n {
			best, n = k, r.UnscheduledByLanguage[k]
		}
	}
	return best
}

func TestRunMoreInterpretersOfAScarceLanguage(t *testing.T) {
	t.Parallel()
	base := generated(t, "S", 1)
	before := clone(base)
	// The baseline's first unscheduled language: no interpreter speaks it.
	// (Among the interviews left out because no interpreter speaks their
	// language, not those a short search on a busy machine left out.)
	first, err := Run(context.Background(), base, one("probe", Change{Notice: &Notice{ShiftDays: ptr(0)}}), RunOptions{TimeLimit: 3 * time.Second}, nil)
	require.NoError(t, err)
	langOf := map[string]string{}
	for _, iv := range base.Interviews {
		langOf[iv.ID] = iv.Language
	}
	noInterpreter := map[string]int{}
	for _, u := range first.Runs[0].Schedule.Unscheduled {
		if u.Reason == solver.ReasonNoInterpreterLanguage {
			noInterpreter[langOf[u.Interview]]++
		}
	}
	lang := scarcest(RunResult{UnscheduledByLanguage: noInterpreter})
	require.NotEmpty(t, lang, "the S instance has interviews of a language no interpreter speaks")

	sc := Scenario{Format: ScenarioFormat, Variants: []Variant{
		{Name: "two more " + lang, Changes: []Change{{AddInterpreters: &AddInterpreters{Language: lang, Count: 2}}}},
		{Name: "rooms and saturday", Changes: []Change{
			{AddRooms: &AddRooms{Location: "HEL", Count: 1}},
			{ExtraSessions: &ExtraSessions{Pattern: Pattern{Weekdays: []string{"sat"}, Hours: &Hours{Start: "08:00", End: "13:00"}}}},
		}},
	}}
	var mu sync.Mutex
	var seen []Progress
	c, err := Run(context.Background(), base, sc, RunOptions{TimeLimit: 6 * time.Second}, func(p Progress) {
		mu.Lock()
		seen = append(seen, p)
		mu.Unlock()
	})
	require.NoError(t, err)
	require.Equal(t, before, base, "the base instance must not change")
	require.Len(t, c.Runs, 3)
	require.Equal(t, []string{BaselineName, "two more " + lang, "rooms and saturday"}, []string{c.Runs[0].Name, c.Runs[1].Name, c.Runs[2].Name})

	variant, err := Apply(base, &sc, 0)
	require.NoError(t, err)
	got, was := scheduledOf(variant, c.Runs[1].Schedule, lang), scheduledOf(base, c.Runs[0].Schedule, lang)
	require.GreaterOrEqual(t, got, was)
	require.Greater(t, got, was, "two interpreters of %s schedule an interview no interpreter could serve", lang)
	require.Less(t, c.Runs[1].UnscheduledByLanguage[lang], c.Runs[0].UnscheduledByLanguage[lang])
	for _, r := range c.Runs {
		require.Equal(t, r.Interviews, r.Scheduled+r.Unscheduled, r.Name)
		if r.Bound != nil {
			require.LessOrEqual(t, *r.Bound, r.UnscheduledPriority, "%s: a bound above the schedule's own score is no bound", r.Name)
			require.Equal(t, r.UnscheduledPriority-*r.Bound, *r.Gap)
		}
		sum := 0
		for _, n := range r.UnscheduledByReason {
			sum += n
		}
		require.Equal(t, r.Unscheduled, sum, r.Name)
		require.LessOrEqual(t, r.WaitDays.Median, r.WaitDays.P90)
		for k, u := range r.Utilisation {
			require.Positive(t, u.AvailableMinutes, k)
			require.InDelta(t, float64(u.BookedMinutes)/float64(u.AvailableMinutes), u.Share, 0.0001, k)
		}
	}
	// The Saturday variant has more interviewer minutes available.
	require.Greater(t, c.Runs[2].Utilisation[KindInterviewers].AvailableMinutes, c.Runs[0].Utilisation[KindInterviewers].AvailableMinutes)

	// Progress: every run is reported done, and the overall fraction ends at 1.
	done := map[int]bool{}
	for _, p := range seen {
		if p.Phase == PhaseDone {
			done[p.Run] = true
		}
	}
	require.Len(t, done, 4, "the baseline, its repeat and two variants")
	require.InDelta(t, 1.0, seen[len(seen)-1].Fraction, 1e-9)
}

func TestRunKeepsTheBudget(t *testing.T) {
	t.Parallel()
	base := generated(t, "M", 2)
	sc := Scenario{Format: ScenarioFormat, Variants: []Variant{
		{Name: "a", Changes: []Change{{AddRooms: &AddRooms{Location: "HEL", Count: 1}}}},
		{Name: "b", Changes: []Change{{AddInterviewers: &AddInterviewers{Location: "HEL", Count: 1}}}},
		{Name: "c", Changes: []Change{{RemoteShare: &RemoteShare{Interviews: ptr(0.5)}}}},
	}}
	const budget = 6 * time.Second
	t0 := time.Now()
	c, err := Run(context.Background(), base, sc, RunOptions{TimeLimit: budget, Parallel: 2}, nil)
	require.NoError(t, err)
	elapsed := time.Since(t0)
	// Three rounds of two runs (the baseline, its repeat with another
	// seed, three variants); each run is promised its limit plus the
	// solver's margin, and the rounds fit in the budget.
	require.LessOrEqual(t, c.PerRunLimitMS, PerRunLimit(budget, 5, 2).Milliseconds())
	// Preparing the variants counts too (on a busy machine a good part of
	// a second): the runs get at least three quarters of their share.
	require.Greater(t, c.PerRunLimitMS, PerRunLimit(budget, 5, 2).Milliseconds()*3/4)
	require.LessOrEqual(t, 3*(PerRunLimit(budget, 5, 2)+solver.Margin(PerRunLimit(budget, 5, 2))), budget)
	require.Less(t, elapsed, budget+2*time.Second, "a busy machine may add a little, not a round")
}

func TestPerRunLimit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		total       time.Duration
		n, parallel int
	}{
		{20 * time.Second, 3, 1}, {20 * time.Second, 3, 2}, {90 * time.Second, 6, 2}, {5 * time.Second, 6, 1}, {time.Minute, 1, 4},
	}
	for _, tc := range tests {
		l := PerRunLimit(tc.total, tc.n, tc.parallel)
		rounds := (tc.n + tc.parallel - 1) / tc.parallel
		if tc.total/time.Duration(rounds) > 2*time.Second {
			require.LessOrEqual(t, time.Duration(rounds)*(l+solver.Margin(l)), tc.total, "%v", tc)
		}
		require.Positive(t, l)
	}
}

// flatten lists the numbers of a JSON value as (metric, key) → value the
// way WriteCSV names them.
func flatten(prefix []string, v any, out map[[2]string]string) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			flatten(append(append([]string{}, prefix...), k), e, out)
		}
	case json.Number:
		out[csvName(prefix)] = x.String()
	case nil:
		out[csvName(prefix)] = ""
	}
}

func csvName(path []string) [2]string {
	if len(path) == 1 {
		return [2]string{path[0], ""}
	}
	return [2]string{strings.Join(path[:len(path)-1], "."), path[len(path)-1]}
}

func TestWriteCSVHasEveryNumber(t *testing.T) {
	t.Parallel()
	base := generated(t, "S", 3)
	c, err := Run(context.Background(), base, one("more rooms", Change{AddRooms: &AddRooms{Location: "HEL", Count: 2}}), RunOptions{TimeLimit: 3 * time.Second}, nil)
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, c.WriteCSV(&buf))
	rows, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	require.Equal(t, CSVHeader, rows[0])
	got := map[string]map[[2]string]string{}
	for _, r := range rows[1:] {
		if got[r[0]] == nil {
			got[r[0]] = map[[2]string]string{}
		}
		_, dup := got[r[0]][[2]string{r[1], r[2]}]
		require.False(t, dup, "row %v twice", r)
		got[r[0]][[2]string{r[1], r[2]}] = r[3]
	}

	data, err := json.Marshal(c)
	require.NoError(t, err)
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc map[string]any
	require.NoError(t, dec.Decode(&doc))
	want := map[string]map[[2]string]string{"": {}}
	for k, v := range doc {
		if k != "runs" && k != "format" {
			flatten([]string{k}, v, want[""])
		}
	}
	for _, r := range doc["runs"].([]any) {
		run := r.(map[string]any)
		name := run["name"].(string)
		want[name] = map[[2]string]string{}
		for k, v := range run {
			if k != "name" && k != "note" && k != "advice" { // the sentence is no figure
				flatten([]string{k}, v, want[name])
			}
		}
	}
	require.Len(t, want, 3)
	for run, figs := range want {
		keys := make([]string, 0, len(figs))
		for k := range figs {
			keys = append(keys, fmt.Sprint(k))
		}
		sort.Strings(keys)
		require.Equal(t, figs, got[run], "run %q: every number of the JSON is in the CSV, and nothing else (%v)", run, keys)
	}
	require.Contains(t, got[BaselineName], [2]string{"unscheduled_priority", ""})
	require.Contains(t, got["more rooms"], [2]string{"utilisation.rooms", "share"})
}
