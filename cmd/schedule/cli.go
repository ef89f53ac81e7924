package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/asylum-scheduling/interviews/internal/generator"
	"github.com/asylum-scheduling/interviews/solver"
)

// Exit codes.
const (
	exitOK       = 0
	exitBadInput = 1 // bad input, or an invalid schedule for `check`
	exitUsage    = 2
	exitInternal = 3
)

const usage = `usage: schedule <command> [flags]

commands:
  solve     -in INSTANCE.json -out SCHEDULE.json [-time-limit 10s] [-seed N] [-workers N] [-iterations N] [-quiet] [-first-fit]
  check     -in INSTANCE.json -schedule SCHEDULE.json
  suggest   -in INSTANCE.json -interview ID [-k 5] [-from DATE] [-to DATE]
  generate  -size S|M|L|XL|XXL|DE [-seed N] [-load 1.8] [-out INSTANCE.json]
  bound     -in INSTANCE.json [-time-limit 10s]
  forecast  -in INSTANCE.json -intake INTAKE.json -weeks N [-time-limit-per-week 2s] [-csv FILE]
  whatif    -in INSTANCE.json -scenario SCENARIO.json [-time-limit 60s] [-csv FILE] [-seed N] [-quiet]
  whatif    -in INSTANCE.json -need QUERY.json [-time-limit 90s] [-seed N] [-quiet]

Use - for standard input or output. Run 'schedule <command> -h' for a command's flags.
`

// usageError is wrong usage of the command line: exit 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// inputError is bad input: exit 1.
type inputError struct{ err error }

func (e inputError) Error() string { return e.err.Error() }

// Main runs the command line and returns the exit code. It never panics.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "schedule: internal error: %v (please report it with the input)\n", r)
			code = exitInternal
		}
	}()
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	var err error
	switch args[0] {
	case "solve":
		err = cmdSolve(ctx, args[1:], stdin, stdout, stderr)
	case "check":
		var valid bool
		valid, err = cmdCheck(args[1:], stdin, stdout, stderr)
		if err == nil && !valid {
			return exitBadInput
		}
	case "suggest":
		err = cmdSuggest(args[1:], stdin, stdout, stderr)
	case "generate":
		err = cmdGenerate(args[1:], stdout, stderr)
	case "bound":
		err = cmdBound(ctx, args[1:], stdin, stdout, stderr)
	case "forecast":
		err = cmdForecast(ctx, args[1:], stdin, stdout, stderr)
	case "whatif":
		err = cmdWhatif(ctx, args[1:], stdin, stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	default:
		fmt.Fprintf(stderr, "schedule: unknown command %q\n%s", args[0], usage)
		return exitUsage
	}
	var ue usageError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "schedule %s: %v\n", args[0], err)
		return exitUsage
	default:
		fmt.Fprintf(stderr, "schedule %s: %v\n", args[0], err)
		return exitBadInput
	}
}

func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("schedule "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parse parses flags and turns flag errors into usage errors.
func parse(fs *flag.FlagSet, args []string, required ...string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	for _, name := range required {
		if fs.Lookup(name).Value.String() == "" {
			return usageError{fmt.Sprintf("-%s is required", name)}
		}
	}
	return nil
}

func open(path string, stdin io.Reader) (io.ReadCloser, error) {
	if path == "-" {
		return io.NopCloser(stdin), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, inputError{err}
	}
	return f, nil
}

func readInstance(path string, stdin io.Reader) (*solver.Instance, error) {
	r, err := open(path, stdin)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	in, err := solver.ParseInstance(r)
	if err != nil {
		return nil, inputError{fmt.Errorf("%s: %w", name(path), err)}
	}
	return in, nil
}

func name(path string) string {
	if path == "-" {
		return "standard input"
	}
	return path
}

// writeJSON writes v, indented, to path ("-": stdout), atomically for files.
func writeJSON(path string, stdout io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	if path == "-" || path == "" {
		_, err = stdout.Write(b)
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return inputError{err}
	}
	return os.Rename(tmp, path)
}

func cmdSolve(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	start := time.Now() // the time limit counts reading the instance too
	fs := newFlags("solve", stderr)
	inPath := fs.String("in", "", "instance file (- for standard input)")
	outPath := fs.String("out", "", "schedule file (- for standard output)")
	limit := fs.Duration("time-limit", 10*time.Second, "time for the whole solve, reading the instance included")
	seed := fs.Int64("seed", 1, "random seed")
	workers := fs.Int("workers", 1, "parallel searches (cores)")
	iters := fs.Int64("iterations", 0, "stop after this many moves per worker (0: time limit only)")
	quiet := fs.Bool("quiet", false, "no progress on standard error")
	firstFit := fs.Bool("first-fit", false, "only the first-fit greedy baseline, in priority order")
	if err := parse(fs, args, "in", "out"); err != nil {
		return err
	}
	if *workers < 1 || *limit < 0 || *iters < 0 {
		return usageError{"-workers must be at least 1, -time-limit and -iterations not negative"}
	}
	in, err := readInstance(*inPath, stdin)
	if err != nil {
		return err
	}
	var s *solver.Schedule
	if *firstFit {
		s, err = solver.FirstFit(in)
	} else {
		opt := solver.Options{TimeLimit: *limit, Start: start, Seed: *seed, Workers: *workers, Iterations: *iters}
		if !*quiet {
			opt.Progress = func(p solver.Progress) { printProgress(stderr, p) }
		}
		s, err = solver.Solve(ctx, in, opt)
	}
	if err != nil {
		return inputError{err}
	}
	if !*quiet && s.Stats != nil && s.Stats.Note != "" {
		fmt.Fprintf(stderr, "note: %s\n", s.Stats.Note)
	}
	if !*quiet {
		fmt.Fprintf(stderr, "done: %d scheduled, %d unscheduled, score hard %d medium %d soft %d\n",
			len(s.Assignments), len(s.Unscheduled), s.Score.Hard, s.Score.Medium, s.Score.Soft)
	}
	return writeJSON(*outPath, stdout, s)
}

// printProgress writes one progress line: during construction the
// interviews placed so far, afterwards the best schedule of the search.
func printProgress(w io.Writer, p solver.Progress) {
	if p.Phase == solver.PhaseConstruction {
		fmt.Fprintf(w, "%6.1fs  construction: placed %d/%d\n", p.Elapsed.Seconds(), p.Scheduled, p.Total)
		return
	}
	fmt.Fprintf(w, "%6.1fs  scheduled %d/%d  unscheduled priority %d  soft %d  iterations %d\n",
		p.Elapsed.Seconds(), p.Scheduled, p.Total, p.Best.Medium, p.Best.Soft, p.Iterations)
}

func cmdCheck(args []string, stdin io.Reader, stdout, stderr io.Writer) (bool, error) {
	fs := newFlags("check", stderr)
	inPath := fs.String("in", "", "instance file (- for standard input)")
	schedPath := fs.String("schedule", "", "schedule file (- for standard input)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if err := parse(fs, args, "in", "schedule"); err != nil {
		return false, err
	}
	if *inPath == "-" && *schedPath == "-" {
		return false, usageError{"only one of -in and -schedule can be standard input"}
	}
	in, err := readInstance(*inPath, stdin)
	if err != nil {
		return false, err
	}
	r, err := open(*schedPath, stdin)
	if err != nil {
		return false, err
	}
	defer r.Close()
	s, err := solver.ParseSchedule(r)
	if err != nil {
		return false, inputError{fmt.Errorf("%s: %w", name(*schedPath), err)}
	}
	rep, err := solver.Check(in, s)
	if err != nil {
		return false, inputError{err}
	}
	if *asJSON {
		return rep.Score.Hard == 0, writeJSON("-", stdout, rep)
	}
	for _, v := range rep.Violations {
		fmt.Fprintf(stdout, "rule %d: %s\n", v.Rule, v.Message)
	}
	c := rep.Score.Components
	verdict := "valid"
	if rep.Score.Hard > 0 {
		verdict = "INVALID"
	}
	fmt.Fprintf(stdout, "%s: hard %d, medium %d, soft %d (wait %d, late %d, cost %d, remote %d, dialect %d, continuity %d, fairness %d, change %d)\n",
		verdict, rep.Score.Hard, rep.Score.Medium, rep.Score.Soft, c.Wait, c.Late, c.Cost, c.Remote, c.Dialect, c.Continuity, c.Fairness, c.Change)
	return rep.Score.Hard == 0, nil
}

func cmdSuggest(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("suggest", stderr)
	inPath := fs.String("in", "", "instance file (- for standard input)")
	id := fs.String("interview", "", "interview id")
	k := fs.Int("k", 5, "number of options")
	from := fs.String("from", "", "first date to consider (YYYY-MM-DD)")
	to := fs.String("to", "", "last date to consider (YYYY-MM-DD)")
	if err := parse(fs, args, "in", "interview"); err != nil {
		return err
	}
	if *k < 1 {
		return usageError{"-k must be at least 1"}
	}
	in, err := readInstance(*inPath, stdin)
	if err != nil {
		return err
	}
	sg, err := solver.SuggestFor(in, solver.SuggestRequest{Interview: *id, K: *k, From: *from, To: *to})
	if err != nil {
		return inputError{err}
	}
	return writeJSON("-", stdout, sg)
}

func cmdGenerate(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("generate", stderr)
	size := fs.String("size", "", "S, M, L, XL, XXL or DE")
	seed := fs.Int64("seed", 1, "random seed")
	load := fs.Float64("load", 0, "a capacity-bound month: demand over room and interviewer capacity (e.g. 1.8); 0 as staffed")
	outPath := fs.String("out", "-", "instance file (- for standard output)")
	if err := parse(fs, args, "size"); err != nil {
		return err
	}
	if *load != 0 && (*load < 0.5 || *load > 5) {
		return usageError{fmt.Sprintf("-load must be 0 or between 0.5 and 5, not %v", *load)}
	}
	all := append(append([]string(nil), generator.Sizes...), generator.LargeSizes...)
	ok := false
	for _, s := range all {
		ok = ok || strings.EqualFold(s, *size)
	}
	if !ok {
		return usageError{fmt.Sprintf("-size must be one of %s, not %q", strings.Join(all, ", "), *size)}
	}
	in, err := generator.GenerateLoad(strings.ToUpper(*size), *seed, *load)
	if err != nil {
		return err
	}
	return writeJSON(*outPath, stdout, in)
}
