package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/generator"
	"github.com/asylum-scheduling/interviews/solver"
)

const (
	exampleInstance = "../../testdata/example/instance.json"
	exampleSchedule = "../../testdata/example/schedule.json"
)

// lockedBuffer is a bytes.Buffer safe for the solver's progress goroutine.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// run runs the command line with stdin and returns its exit code and output.
// No output may ever carry a panic trace.
func run(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut lockedBuffer
	code = Main(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	stdout, stderr = out.String(), errOut.String()
	for _, s := range []string{stdout, stderr} {
		if strings.Contains(s, "goroutine") || strings.Contains(s, "panic") || strings.Contains(s, "internal error") {
			t.Fatalf("schedule %q: a panic or internal error:\n%s", args, s)
		}
	}
	return code, stdout, stderr
}

// mustRun runs the command line and fails unless it exits with want.
func mustRun(t *testing.T, want int, stdin string, args ...string) (stdout, stderr string) {
	t.Helper()
	code, stdout, stderr := run(t, stdin, args...)
	if code != want {
		t.Fatalf("schedule %q: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", args, code, want, clip(stdout), stderr)
	}
	return stdout, stderr
}

func clip(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "…"
	}
	return s
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// generated writes the S instance of seed 1 to a temporary file.
func generated(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "S-1.json")
	mustRun(t, 0, "", "generate", "-size", "S", "-seed", "1", "-out", p)
	return p
}

func TestGenerate(t *testing.T) {
	first, _ := mustRun(t, 0, "", "generate", "-size", "S", "-seed", "1")
	in, err := solver.ParseInstance(strings.NewReader(first))
	if err != nil {
		t.Fatalf("generate writes an invalid instance: %v", err)
	}
	if len(in.Interviews) == 0 {
		t.Fatal("no interviews")
	}
	second, _ := mustRun(t, 0, "", "generate", "-size", "s", "-seed", "1")
	if first != second {
		t.Fatal("generate -size S -seed 1 differs between two runs")
	}
	other, _ := mustRun(t, 0, "", "generate", "-size", "S", "-seed", "2")
	if other == first {
		t.Error("seeds 1 and 2 give the same instance")
	}
	p := filepath.Join(t.TempDir(), "in.json")
	if stdout, _ := mustRun(t, 0, "", "generate", "-size", "S", "-seed", "1", "-out", p); stdout != "" {
		t.Errorf("generate -out FILE writes to standard output: %q", clip(stdout))
	}
	if readFile(t, p) != first {
		t.Error("generate -out FILE differs from the standard output")
	}
	full, _ := mustRun(t, 0, "", "generate", "-size", "M", "-seed", "1", "-load", "1.8")
	fin, err := solver.ParseInstance(strings.NewReader(full))
	require.NoError(t, err)
	require.InDelta(t, 1.8, generator.Load(fin), 0.3, "generate -load 1.8")
	mustRun(t, 2, "", "generate", "-size", "M", "-load", "9")
}

func TestSolveThenCheck(t *testing.T) {
	in := generated(t)
	out := filepath.Join(t.TempDir(), "schedule.json")
	stdout, stderr := mustRun(t, 0, "", "solve", "-in", in, "-out", out, "-time-limit", "200ms", "-quiet")
	if stdout != "" || stderr != "" {
		t.Errorf("solve -quiet -out FILE printed:\nstdout: %q\nstderr: %q", clip(stdout), stderr)
	}
	if _, err := solver.ParseSchedule(strings.NewReader(readFile(t, out))); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(out + ".tmp"); !os.IsNotExist(err) {
		t.Errorf("the temporary file %s.tmp is left behind", out)
	}
	stdout, _ = mustRun(t, 0, "", "check", "-in", in, "-schedule", out)
	if !strings.HasPrefix(stdout, "valid") {
		t.Fatalf("check of a solved schedule: %q", stdout)
	}
	// The schedule on standard input.
	stdout, _ = mustRun(t, 0, readFile(t, out), "check", "-in", in, "-schedule", "-")
	if !strings.HasPrefix(stdout, "valid") {
		t.Fatalf("check -schedule -: %q", stdout)
	}
	// -json prints the report.
	stdout, _ = mustRun(t, 0, "", "check", "-in", in, "-schedule", out, "-json")
	var rep solver.Report
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("check -json: %v\n%s", err, clip(stdout))
	}
	if rep.Score.Hard != 0 || len(rep.Violations) != 0 {
		t.Fatalf("check -json of a valid schedule: %+v", rep)
	}
}

func TestSolveStdinStdout(t *testing.T) {
	inText := readFile(t, exampleInstance)
	stdout, stderr := mustRun(t, 0, inText, "solve", "-in", "-", "-out", "-", "-time-limit", "100ms", "-quiet")
	if stderr != "" {
		t.Errorf("solve -quiet wrote to standard error: %q", stderr)
	}
	s, err := solver.ParseSchedule(strings.NewReader(stdout))
	if err != nil {
		t.Fatalf("solve -out - writes no schedule: %v\n%s", err, clip(stdout))
	}
	in, err := solver.ParseInstance(strings.NewReader(inText))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := solver.Check(in, s)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Violations) > 0 {
		t.Fatalf("solve writes an invalid schedule: %+v", rep.Violations)
	}
	if len(s.Assignments)+len(s.Unscheduled) != len(in.Interviews) {
		t.Fatalf("%d assignments + %d unscheduled for %d interviews", len(s.Assignments), len(s.Unscheduled), len(in.Interviews))
	}
	// The first-fit baseline too.
	stdout, _ = mustRun(t, 0, inText, "solve", "-in", "-", "-out", "-", "-first-fit", "-quiet")
	if _, err := solver.ParseSchedule(strings.NewReader(stdout)); err != nil {
		t.Fatalf("solve -first-fit: %v", err)
	}
}

var progressLine = regexp.MustCompile(`(?m)^\s*\d+\.\ds  scheduled \d+/\d+  unscheduled priority \d+  soft -?\d+  iterations \d+$`)

func TestSolveProgress(t *testing.T) {
	in := generated(t)
	dir := t.TempDir()
	// Progress comes about every second; 2.5 s leave room on a busy machine.
	_, stderr := mustRun(t, 0, "", "solve", "-in", in, "-out", filepath.Join(dir, "a.json"), "-time-limit", "2500ms")
	if !progressLine.MatchString(stderr) {
		t.Errorf("no progress line on standard error in 2.5 s:\n%s", stderr)
	}
	if !strings.Contains(stderr, "done: ") {
		t.Errorf("no final line on standard error:\n%s", stderr)
	}
	_, stderr = mustRun(t, 0, "", "solve", "-in", in, "-out", filepath.Join(dir, "b.json"), "-time-limit", "1500ms", "-quiet")
	if stderr != "" {
		t.Errorf("solve -quiet wrote to standard error:\n%s", stderr)
	}
}

func TestCheckPlantedViolation(t *testing.T) {
	dir := t.TempDir()
	sched := readFile(t, exampleSchedule)
	// I-1 (Helsinki only, interviewer e1 of Helsinki) moved to the Turku room.
	old := `"location": "HEL", "room": "HEL-R1"`
	if strings.Count(sched, old) != 1 {
		t.Fatalf("%q is not in the example schedule once", old)
	}
	bad := writeFile(t, dir, "bad.json", strings.Replace(sched, old, `"location": "TKU", "room": "TKU-R1"`, 1))
	stdout, _ := mustRun(t, 1, "", "check", "-in", exampleInstance, "-schedule", bad)
	for _, want := range []string{
		"rule 3: interview I-1: room TKU-R1 is at TKU, not at one of HEL",
		"rule 4: interview I-1: interviewer e1 works at HEL, not at TKU",
		"INVALID: hard ",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("check output lacks %q:\n%s", want, stdout)
		}
	}
	stdout, _ = mustRun(t, 1, "", "check", "-in", exampleInstance, "-schedule", bad, "-json")
	var rep solver.Report
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("check -json: %v\n%s", err, stdout)
	}
	if rep.Score.Hard == 0 || int(rep.Score.Hard) != len(rep.Violations) {
		t.Fatalf("check -json: hard %d with %d violations", rep.Score.Hard, len(rep.Violations))
	}
	// The unchanged example is valid.
	stdout, _ = mustRun(t, 0, "", "check", "-in", exampleInstance, "-schedule", exampleSchedule)
	if !strings.HasPrefix(stdout, "valid: hard 0") {
		t.Fatalf("check of the example: %q", stdout)
	}
}

func TestSuggest(t *testing.T) {
	for _, in := range []string{exampleInstance, generated(t)} {
		ids := []string{"I-1"}
		if in != exampleInstance {
			inst, err := solver.ParseInstance(strings.NewReader(readFile(t, in)))
			if err != nil {
				t.Fatal(err)
			}
			ids = []string{inst.Interviews[0].ID, inst.Interviews[len(inst.Interviews)-1].ID}
		}
		for _, id := range ids {
			stdout, _ := mustRun(t, 0, "", "suggest", "-in", in, "-interview", id, "-k", "3")
			var sg solver.Suggestions
			dec := json.NewDecoder(strings.NewReader(stdout))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&sg); err != nil {
				t.Fatalf("suggest prints no suggestions: %v\n%s", err, clip(stdout))
			}
			if sg.Interview != id {
				t.Errorf("suggestions for %q, want %q", sg.Interview, id)
			}
			if len(sg.Options) > 3 {
				t.Errorf("%d options, want at most 3", len(sg.Options))
			}
			if len(sg.Options) == 0 && sg.Reason == "" {
				t.Errorf("no options and no reason for %s:\n%s", id, stdout)
			}
			for i, o := range sg.Options {
				if o.Rank != i+1 || o.Interview != id {
					t.Errorf("option %d: rank %d interview %q", i, o.Rank, o.Interview)
				}
			}
		}
	}
	// The example's I-1 has options (2026-12-09 with e1 and t1).
	stdout, _ := mustRun(t, 0, readFile(t, exampleInstance), "suggest", "-in", "-", "-interview", "I-1", "-k", "3")
	var sg solver.Suggestions
	if err := json.Unmarshal([]byte(stdout), &sg); err != nil || len(sg.Options) == 0 {
		t.Fatalf("suggest I-1 of the example: %v\n%s", err, stdout)
	}

	_, stderr := mustRun(t, 1, "", "suggest", "-in", exampleInstance, "-interview", "I-404")
	if !strings.Contains(stderr, `unknown interview "I-404"`) {
		t.Errorf("suggest with an unknown interview: %q", stderr)
	}
	_, stderr = mustRun(t, 1, "", "suggest", "-in", exampleInstance, "-interview", "I-1", "-from", "soon")
	if !strings.Contains(stderr, `"soon" is not a date`) {
		t.Errorf("suggest -from soon: %q", stderr)
	}
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	example := readFile(t, exampleInstance)
	missing := filepath.Join(dir, "missing.json")
	notJSON := writeFile(t, dir, "not.json", "{\n  \"format\": \"interview-instance/v1\",\n  oops\n}\n")
	invalid := writeFile(t, dir, "invalid.json", strings.Replace(example, `"language": "ar-IQ"`, `"language": "xx!!"`, 1))
	typo := writeFile(t, dir, "typo.json", strings.Replace(example, `"language": "ar-IQ"`, `"langauge": "ar-IQ"`, 1))
	badSched := writeFile(t, dir, "sched.json", `{"format": "interview-schedule/v1", "assignments": [], "unscheduled": [], "score": {}, "scor": 1}`)

	tests := []struct {
		name  string
		stdin string
		args  []string
		want  []string // on standard error
	}{
		{"solve, no such file", "", []string{"solve", "-in", missing, "-out", "-", "-quiet"}, []string{missing}},
		{"solve, not JSON", "", []string{"solve", "-in", notJSON, "-out", "-", "-quiet"}, []string{notJSON, "not valid JSON at line 3, column 3"}},
		{"solve, invalid instance", "", []string{"solve", "-in", invalid, "-out", "-", "-quiet"}, []string{invalid, `interviews[0].language: "xx!!" is not a BCP 47 language tag`}},
		{"solve, unknown field", "", []string{"solve", "-in", typo, "-out", "-", "-quiet"}, []string{"interviews[0].langauge: unknown field"}},
		{"solve, invalid instance on stdin", strings.Replace(example, `"priority": 2`, `"priority": 0`, 1), []string{"solve", "-in", "-", "-out", "-", "-quiet"}, []string{"standard input", "interviews[0].priority: must be at least 1"}},
		{"solve, empty stdin", "", []string{"solve", "-in", "-", "-out", "-", "-quiet"}, []string{"standard input", "empty"}},
		{"check, no such file", "", []string{"check", "-in", missing, "-schedule", exampleSchedule}, []string{missing}},
		{"check, invalid instance", "", []string{"check", "-in", invalid, "-schedule", exampleSchedule}, []string{"interviews[0].language"}},
		{"check, no such schedule", "", []string{"check", "-in", exampleInstance, "-schedule", missing}, []string{missing}},
		{"check, bad schedule", "", []string{"check", "-in", exampleInstance, "-schedule", badSched}, []string{"invalid schedule: scor: unknown field"}},
		{"suggest, not JSON", "", []string{"suggest", "-in", notJSON, "-interview", "I-1"}, []string{"line 3"}},
		{"suggest, invalid instance", "", []string{"suggest", "-in", invalid, "-interview", "I-1"}, []string{"interviews[0].language"}},
		{"solve, out into a missing directory", example, []string{"solve", "-in", "-", "-out", filepath.Join(dir, "no", "such", "dir.json"), "-quiet", "-time-limit", "50ms"}, []string{"no such file or directory"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr := mustRun(t, 1, tt.stdin, tt.args...)
			if tt.args[0] == "solve" && stdout != "" {
				t.Errorf("solve wrote a schedule for bad input: %q", clip(stdout))
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("standard error lacks %q:\n%s", w, stderr)
				}
			}
			if !strings.HasPrefix(stderr, "schedule "+tt.args[0]+": ") {
				t.Errorf("standard error does not start with %q:\n%s", "schedule "+tt.args[0]+": ", stderr)
			}
		})
	}
}

func TestUsage(t *testing.T) {
	in := exampleInstance
	tests := []struct {
		name string
		args []string
		want string // on standard error
	}{
		{"no command", nil, "usage: schedule"},
		{"unknown command", []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"solve without -in", []string{"solve", "-out", "-"}, "-in is required"},
		{"solve without -out", []string{"solve", "-in", in}, "-out is required"},
		{"solve, unknown flag", []string{"solve", "-in", in, "-out", "-", "-fast"}, "flag provided but not defined: -fast"},
		{"solve, extra argument", []string{"solve", "-in", in, "-out", "-", "extra"}, `unexpected argument "extra"`},
		{"solve -workers 0", []string{"solve", "-in", in, "-out", "-", "-workers", "0"}, "-workers must be at least 1"},
		{"solve -time-limit bad", []string{"solve", "-in", in, "-out", "-", "-time-limit", "soon"}, "invalid value"},
		{"solve -time-limit negative", []string{"solve", "-in", in, "-out", "-", "-time-limit", "-1s"}, "not negative"},
		{"check without -schedule", []string{"check", "-in", in}, "-schedule is required"},
		{"check, both on stdin", []string{"check", "-in", "-", "-schedule", "-"}, "only one of -in and -schedule"},
		{"suggest without -interview", []string{"suggest", "-in", in}, "-interview is required"},
		{"suggest -k 0", []string{"suggest", "-in", in, "-interview", "I-1", "-k", "0"}, "-k must be at least 1"},
		{"generate without -size", []string{"generate"}, "-size is required"},
		{"generate -size Q", []string{"generate", "-size", "Q"}, `-size must be one of S, M, L, XL, XXL, DE, not "Q"`},
		{"generate -seed x", []string{"generate", "-size", "S", "-seed", "x"}, "invalid value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr := mustRun(t, 2, "", tt.args...)
			if stdout != "" {
				t.Errorf("wrong usage wrote to standard output: %q", clip(stdout))
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("standard error lacks %q:\n%s", tt.want, stderr)
			}
		})
	}
	// Help is not an error.
	for _, args := range [][]string{{"help"}, {"-h"}, {"solve", "-h"}} {
		code, stdout, stderr := run(t, "", args...)
		if code != 0 {
			t.Errorf("schedule %q: exit %d, want 0", args, code)
		}
		if !strings.Contains(stdout+stderr, "-in") {
			t.Errorf("schedule %q prints no usage:\n%s%s", args, stdout, stderr)
		}
	}
}

// TestProgressLines: construction reports interviews placed, the search its
// best schedule.
func TestProgressLines(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		p    solver.Progress
		want string
	}{
		{solver.Progress{Elapsed: 1200 * time.Millisecond, Phase: solver.PhaseConstruction, Scheduled: 5120, Total: 12800},
			"   1.2s  construction: placed 5120/12800\n"},
		{solver.Progress{Elapsed: 3 * time.Second, Phase: solver.PhaseSearch, Scheduled: 12500, Total: 12800, Iterations: 42,
			Best: solver.Score{Medium: 310, Soft: 4000000}},
			"   3.0s  scheduled 12500/12800  unscheduled priority 310  soft 4000000  iterations 42\n"},
	} {
		var b bytes.Buffer
		printProgress(&b, c.p)
		if b.String() != c.want {
			t.Errorf("printProgress(%+v) = %q, want %q", c.p, b.String(), c.want)
		}
	}
}
