package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/asylum-scheduling/interviews/capacity"
	"github.com/asylum-scheduling/interviews/capacity/advice"
)

const scenarioS = `{
  "format": "capacity-scenario/v1",
  "variants": [
    {"name": "two sg interpreters", "changes": [
      {"add_interpreters": {"language": "sg", "count": 2, "modes": ["remote"]}}
    ]},
    {"name": "one room more", "changes": [{"add_rooms": {"location": "HEL", "count": 1}}]}
  ]
}`

// TestWhatifScenario: schedule whatif prints the comparison as JSON
// (strictly a capacity.Comparison, the baseline first), writes the same
// figures as CSV, reports progress on standard error and keeps the budget.
func TestWhatifScenario(t *testing.T) {
	in := generated(t)
	dir := t.TempDir()
	sc := writeFile(t, dir, "scenario.json", scenarioS)
	csvPath := filepath.Join(dir, "out.csv")
	t0 := time.Now()
	stdout, stderr := mustRun(t, 0, "", "whatif", "-in", in, "-scenario", sc, "-time-limit", "3s", "-csv", csvPath)
	if el := time.Since(t0); el > 3*time.Second+2*time.Second {
		t.Errorf("whatif took %v with a 3 s budget", el)
	}
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.DisallowUnknownFields()
	var c capacity.Comparison
	if err := dec.Decode(&c); err != nil {
		t.Fatalf("%v\n%s", err, clip(stdout))
	}
	if c.Format != capacity.ComparisonFormat || len(c.Runs) != 3 || c.Runs[0].Name != "baseline" || c.Runs[1].Name != "two sg interpreters" {
		t.Fatalf("comparison: %s", clip(stdout))
	}
	if c.Runs[1].UnscheduledByLanguage["sg"] >= c.Runs[0].UnscheduledByLanguage["sg"] {
		t.Errorf("two sg interpreters leave as many sg interviews out (%d) as the baseline (%d)", c.Runs[1].UnscheduledByLanguage["sg"], c.Runs[0].UnscheduledByLanguage["sg"])
	}
	// The Sango interview is placed. On a busy machine the variant's run may
	// leave another of the same priority out in its time: as many placed,
	// at a lower cost or wait, and the advice says so.
	said := "two sg interpreters (+2 Sango interpreters, remote): 1 more interview placed"
	switch a := c.Runs[1].Advice; {
	case a != nil && a.Code == "run.better_soft" && c.Runs[1].Unscheduled == c.Runs[0].Unscheduled:
		said = "two sg interpreters (+2 Sango interpreters, remote): as many interviews placed, at a lower cost or wait."
	case a == nil || a.Code != "run.better":
		t.Errorf("two sg interpreters: advice %+v", a)
	}
	for _, want := range []string{"run 0 (baseline): solving", "run 2 (one room more (+1 room, Helsinki)): done, ", said} {
		if !strings.Contains(stderr, want) {
			t.Errorf("progress lacks %q:\n%s", want, stderr)
		}
	}
	rows, err := csv.NewReader(strings.NewReader(readFile(t, csvPath))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if err := c.WriteCSV(&again); err != nil {
		t.Fatal(err)
	}
	if again.String() != readFile(t, csvPath) {
		t.Errorf("the CSV file is not the CSV of the printed comparison")
	}
	found := false
	for _, r := range rows {
		found = found || r[0] == "two sg interpreters" && r[1] == "unscheduled_priority"
	}
	if rows[0][0] != "run" || !found {
		t.Errorf("CSV: %v", rows[:3])
	}
	// -csv - prints the CSV instead of the JSON.
	stdout, _ = mustRun(t, 0, "", "whatif", "-in", in, "-scenario", sc, "-time-limit", "2s", "-csv", "-", "-quiet")
	if !strings.HasPrefix(stdout, "run,metric,key,value\n") {
		t.Errorf("-csv -: %s", clip(stdout))
	}
}

// TestWhatifNamesVariantsInTheLanguage: with -lang, the progress and the
// sentences name each variant from its changes in that language, the
// dialect kept ("+2 tulkkia, arabia (Marokko)", never "Arabic"), a name of
// its own first.
func TestWhatifNamesVariantsInTheLanguage(t *testing.T) {
	in := generated(t)
	sc := writeFile(t, t.TempDir(), "scenario.json", `{"format": "capacity-scenario/v1", "variants": [
		{"name": "+2 ar-MA interpreters", "changes": [{"add_interpreters": {"language": "ar", "dialects": ["ar-MA"], "count": 2}}]},
		{"name": "one room more", "changes": [{"add_rooms": {"location": "HEL", "count": 1, "pattern": {"weekdays": ["tue", "wed", "thu"]}}}]}]}`)
	cases := []struct{ lang, dialect, own string }{
		{"fi", "+2 tulkkia, arabia (Marokko)", "one room more (+1 huone, ti–to, Helsinki)"},
		{"sv", "+2 tolkar, arabiska (Marocko)", "one room more (+1 rum, tis–tors, Helsinki)"},
		{"en", "+2 Arabic (Morocco) interpreters", "one room more (+1 room, Tue–Thu, Helsinki)"},
	}
	for _, c := range cases {
		_, stderr := mustRun(t, 0, "", "whatif", "-in", in, "-scenario", sc, "-time-limit", "2s", "-lang", c.lang)
		for _, want := range []string{"run 1 (" + c.dialect + "): solving", "run 2 (" + c.own + "): done, ", "\n" + c.dialect} {
			if !strings.Contains(stderr, want) {
				t.Errorf("-lang %s: no %q in\n%s", c.lang, want, stderr)
			}
		}
		if strings.Contains(stderr, "ar-MA interpreters") {
			t.Errorf("-lang %s: the name as given, not in the language:\n%s", c.lang, stderr)
		}
	}
}

// TestWhatifWordsVariants: a variant's description in each language, the
// clock times and weekdays in the language's format, an own name first.
func TestWhatifWordsVariants(t *testing.T) {
	v := capacity.Variant{Name: "evenings", Changes: []capacity.Change{{ExtraSessions: &capacity.ExtraSessions{
		StartTimes: []string{"16:30", "18:00"}, Pattern: capacity.Pattern{Weekdays: []string{"thu", "tue", "mon", "wed"}}}}}}
	for lang, want := range map[string]string{
		"fi": "evenings (puhutteluja myös klo 16.30, 18.00, ma–to)",
		"sv": "evenings (intervjuer även kl. 16.30, 18.00, mån–tors)",
		"en": "evenings (sessions also at 16:30, 18:00, Mon–Thu)",
	} {
		w := advice.Wording{L: lang}
		if got := w.VariantName(v); got != want {
			t.Errorf("%s: %q, want %q", lang, got, want)
		}
	}
}

// TestWhatifNeed: schedule whatif -need prints the answer: one sg
// interpreter is enough, and none is proven too few.
func TestWhatifNeed(t *testing.T) {
	in := generated(t)
	q := writeFile(t, t.TempDir(), "need.json", `{"language": "sg", "kind": "interpreters", "interpreters": {"modes": ["remote"]}}`)
	stdout, stderr := mustRun(t, 0, "", "whatif", "-in", in, "-need", q, "-time-limit", "10s")
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.DisallowUnknownFields()
	var a capacity.NeedAnswer
	if err := dec.Decode(&a); err != nil {
		t.Fatalf("%v\n%s", err, clip(stdout))
	}
	if !a.Reached || a.Count == nil || *a.Count != 1 || a.Below != capacity.VerdictProvenInsufficient || a.Run == nil {
		t.Errorf("answer: %s", clip(stdout))
	}
	if !strings.Contains(stderr, "count 0: proven_insufficient") {
		t.Errorf("progress: %q", stderr)
	}
	if len(a.Advice) == 0 || a.Advice[0].Code != "need.add.interpreters" || a.Advice[0].N != 1 {
		t.Errorf("advice: %+v", a.Advice)
	}
	// The sentence says what to do, in the language asked for.
	for lang, want := range map[string]string{
		"en": "1 more interpreter: Sango (sg), remote.",
		"fi": "1 tulkki lisää: ",
		"sv": "1 tolk till: ",
	} {
		_, stderr := mustRun(t, 0, "", "whatif", "-in", in, "-need", q, "-time-limit", "4s", "-lang", lang)
		if !strings.Contains(stderr, want) {
			t.Errorf("-lang %s: no %q in\n%s", lang, want, stderr)
		}
	}
}

func TestWhatifUsage(t *testing.T) {
	dir := t.TempDir()
	in := generated(t)
	sc := writeFile(t, dir, "scenario.json", scenarioS)
	mustRun(t, exitUsage, "", "whatif", "-in", in)
	mustRun(t, exitUsage, "", "whatif", "-in", in, "-scenario", sc, "-need", sc)
	mustRun(t, exitUsage, "", "whatif", "-in", in, "-need", sc, "-csv", "x.csv")
	mustRun(t, exitUsage, "", "whatif", "-in", "-", "-scenario", "-")
	mustRun(t, exitUsage, "", "whatif", "-in", in, "-scenario", sc, "-time-limit", "-1s")
	mustRun(t, exitUsage, "", "whatif", "-in", in, "-scenario", sc, "-lang", "de")
	mustRun(t, exitBadInput, "", "whatif", "-in", in, "-scenario", filepath.Join(dir, "missing.json"))
	_, stderr := mustRun(t, exitBadInput, `{"format": "capacity-scenario/v1", "variants": [{"name": "v", "changes": [{"add_rooms": {"location": "HEL", "count": 0}}]}]}`,
		"whatif", "-in", in, "-scenario", "-")
	if !strings.Contains(stderr, `variants[0].changes[0].add_rooms.count: must be between 1 and 500, not 0 (variant "v")`) {
		t.Errorf("stderr: %q", stderr)
	}
	_, stderr = mustRun(t, exitBadInput, `{"language": "sg", "kind": "desks"}`, "whatif", "-in", in, "-need", "-")
	if !strings.Contains(stderr, `kind: must be interpreters, interviewers or rooms, not "desks"`) {
		t.Errorf("stderr: %q", stderr)
	}
}
