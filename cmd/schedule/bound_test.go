package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/asylum-scheduling/interviews/solver"
)

// TestBound: schedule bound prints one JSON object with the bound, how it
// was found and what binds, strictly decodable as solver.Bound; it is at
// most the medium of a solve, whose statistics carry the same bound.
func TestBound(t *testing.T) {
	in := generated(t)
	stdout, stderr := mustRun(t, 0, "", "bound", "-in", in, "-time-limit", "5s")
	if stderr != "" {
		t.Errorf("bound printed on standard error: %q", stderr)
	}
	var raw map[string]any
	if err := json.Unmarshal([]byte(stdout), &raw); err != nil {
		t.Fatalf("bound: %v\n%s", err, clip(stdout))
	}
	for _, k := range []string{"medium", "trivial", "alone", "total", "relaxation", "exact", "binding"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("bound's JSON has no %q: %s", k, clip(stdout))
		}
	}
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.DisallowUnknownFields()
	var b solver.Bound
	if err := dec.Decode(&b); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "schedule.json")
	mustRun(t, 0, "", "solve", "-in", in, "-out", out, "-iterations", "200", "-quiet")
	s, err := solver.ParseSchedule(strings.NewReader(readFile(t, out)))
	if err != nil {
		t.Fatal(err)
	}
	if b.Medium > s.Score.Medium {
		t.Errorf("bound %d above the solved medium %d", b.Medium, s.Score.Medium)
	}
	if s.Stats == nil || s.Stats.Bound == nil || *s.Stats.Bound != b.Medium || s.Stats.Gap == nil || *s.Stats.Gap != s.Score.Medium-b.Medium {
		t.Errorf("solve's statistics %+v do not carry bound %d and gap %d", s.Stats, b.Medium, s.Score.Medium-b.Medium)
	}
	// the example's two interviews both fit: the bound is 0, from nothing
	stdout, _ = mustRun(t, 0, readFile(t, exampleInstance), "bound", "-in", "-")
	if err := json.Unmarshal([]byte(stdout), &b); err != nil || b.Medium != 0 || len(b.Binding) != 0 {
		t.Errorf("bound of the example: %v %+v", err, b)
	}
}

func TestBoundUsage(t *testing.T) {
	mustRun(t, exitUsage, "", "bound")
	mustRun(t, exitUsage, "", "bound", "-in", exampleInstance, "-time-limit", "0s")
	mustRun(t, exitBadInput, "", "bound", "-in", filepath.Join(t.TempDir(), "missing.json"))
	mustRun(t, exitBadInput, "{}", "bound", "-in", "-")
}
