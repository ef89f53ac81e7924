package capacity

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"
)

// BenchmarkNeedM asks what it takes on M data with the default budget
// (90 s): the language with the most interviews has lost all its
// interpreters; how many weekday-morning interpreters bring every one of its
// interviews back? It reports the seconds taken (the target is at most
// 120 s), the counts tried and the answer.
func BenchmarkNeedM(b *testing.B) {
	base, lang := withoutInterpretersOf(b, generated(b, "M", 1))
	q := NeedQuery{Language: lang, Kind: NeedInterpreters, Interpreters: &AddInterpreters{Pattern: morningPattern}}
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		a, err := Need(context.Background(), base, q, NeedOptions{})
		if err != nil {
			b.Fatal(err)
		}
		s := time.Since(t0).Seconds()
		if s > 120 {
			b.Fatalf("Need took %.1f s, more than 2 minutes", s)
		}
		b.ReportMetric(s, "s/answer")
		b.ReportMetric(float64(len(a.Steps)), "steps")
		if a.Count != nil {
			b.ReportMetric(float64(*a.Count), "count")
		}
		js, _ := json.Marshal(a.Steps)
		b.Logf("%s: %d targets, reached %v, below %s, complete %v, steps %s", lang, a.Targets, a.Reached, a.Below, a.Complete, js)
	}
}

// BenchmarkScenarioL runs the baseline and two variants on L data with a
// total budget of 20 s; the call must return within the budget plus 5 s.
func BenchmarkScenarioL(b *testing.B) {
	base := generated(b, "L", 1)
	sc := Scenario{Format: ScenarioFormat, Variants: []Variant{
		{Name: "two rooms in Helsinki", Changes: []Change{{AddRooms: &AddRooms{Location: "HEL", Count: 2}}}},
		{Name: "more interviewers", Changes: []Change{{AddInterviewers: &AddInterviewers{Location: "HEL", Count: 2}}, {AddInterviewers: &AddInterviewers{Location: "OUL", Count: 1}}}},
	}}
	const budget = 20 * time.Second
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		c, err := Run(context.Background(), base, sc, RunOptions{TimeLimit: budget}, nil)
		if err != nil {
			b.Fatal(err)
		}
		el := time.Since(t0)
		if el > budget+5*time.Second {
			b.Fatalf("Run took %v, more than the budget %v + 5 s", el, budget)
		}
		b.ReportMetric(el.Seconds(), "s/comparison")
		for _, r := range c.Runs {
			bound := "not ready"
			if r.Bound != nil {
				bound = fmt.Sprint(*r.Bound)
			}
			b.Logf("%s (bound %s)", r.String(), bound)
		}
	}
}
