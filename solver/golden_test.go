package solver_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/asylum-scheduling/interviews/solver"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

func loadInstance(t testing.TB, path string) *solver.Instance {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	in, err := solver.ParseInstance(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return in
}

// golden compares got with the file, or rewrites it with -update.
func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./solver -run %s -update to create it)", err, t.Name())
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs from the golden file:\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// TestRuleInstances solves the hand-made instance of each hard rule, in
// which breaking that rule is the only way to place interview X: X must
// stay unscheduled with the expected reason, in Solve and in Suggest.
func TestRuleInstances(t *testing.T) {
	dir := filepath.Join("..", "testdata", "rules")
	var expected map[string]struct{ Interview, Reason string }
	b, err := os.ReadFile(filepath.Join(dir, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &expected); err != nil {
		t.Fatal(err)
	}
	if len(expected) < 10 {
		t.Fatalf("only %d rule instances", len(expected))
	}
	for file, want := range expected {
		t.Run(strings.TrimSuffix(file, ".json"), func(t *testing.T) {
			in := loadInstance(t, filepath.Join(dir, file))
			s, err := solver.Solve(context.Background(), in, solver.Options{Iterations: 200, Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			assertValid(t, in, s)
			var got *solver.Unscheduled
			for i := range s.Unscheduled {
				if s.Unscheduled[i].Interview == want.Interview {
					got = &s.Unscheduled[i]
				}
			}
			if got == nil {
				t.Fatalf("%s was scheduled", want.Interview)
			}
			if got.Reason != want.Reason {
				t.Errorf("reason %s (%s), want %s", got.Reason, got.Detail, want.Reason)
			}
			sg, err := solver.Suggest(in, want.Interview, 3)
			if err != nil {
				t.Fatal(err)
			}
			if len(sg.Options) != 0 || sg.Reason != want.Reason {
				t.Errorf("suggest: %d options, reason %s, want none and %s", len(sg.Options), sg.Reason, want.Reason)
			}
			s.Stats = nil
			out, _ := json.MarshalIndent(s, "", "  ")
			golden(t, filepath.Join(dir, "golden", strings.TrimSuffix(file, ".json")+".schedule.json"), append(out, '\n'))
		})
	}
}
