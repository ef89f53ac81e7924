package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/asylum-scheduling/interviews/capacity"
	"github.com/asylum-scheduling/interviews/capacity/advice"
	"github.com/asylum-scheduling/interviews/internal/i18n"
	"github.com/asylum-scheduling/interviews/solver"
)

// cmdWhatif compares capacity scenarios (-scenario: the Comparison as JSON,
// and as CSV with -csv) or answers what it would take (-need: the
// NeedAnswer as JSON); docs/formats.md "Scenarios", docs/capacity.md. The
// answer's sentences (what to do) go to standard error first, in -lang,
// and so does the progress; both name each variant from its changes in
// -lang (its own name first), the offices by the instance's names.
func cmdWhatif(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("whatif", stderr)
	inPath := fs.String("in", "", "instance file (- for standard input)")
	scPath := fs.String("scenario", "", "capacity-scenario/v1 file: compare the baseline and its variants")
	needPath := fs.String("need", "", "need query file: the smallest added capacity that schedules every interview asked for")
	limit := fs.Duration("time-limit", 0, "total time of all runs (default 60s with -scenario; with -need 90s, more on instances of over 1,250 interviews)")
	csvPath := fs.String("csv", "", "also write the comparison as CSV to this file (- for standard output instead of the JSON)")
	seed := fs.Int64("seed", 1, "random seed of every run")
	quiet := fs.Bool("quiet", false, "no progress and no sentences on standard error")
	lang := fs.String("lang", "en", "language of the sentences: fi, sv or en")
	if err := parse(fs, args, "in"); err != nil {
		return err
	}
	if !i18n.Valid(*lang) {
		return usageError{"-lang must be fi, sv or en"}
	}
	if (*scPath == "") == (*needPath == "") {
		return usageError{"give one of -scenario and -need"}
	}
	if *limit < 0 {
		return usageError{"-time-limit must not be negative"}
	}
	if *csvPath != "" && *scPath == "" {
		return usageError{"-csv goes with -scenario"}
	}
	if *inPath == "-" && (*scPath == "-" || *needPath == "-") {
		return usageError{"only one file can be standard input"}
	}
	in, err := readInstance(*inPath, stdin)
	if err != nil {
		return err
	}
	if *needPath != "" {
		return whatifNeed(ctx, in, *needPath, needOpts{limit: *limit, seed: *seed, quiet: *quiet, lang: *lang}, stdin, stdout, stderr)
	}
	data, err := readAll(*scPath, stdin)
	if err != nil {
		return err
	}
	sc, err := capacity.ParseScenario(data)
	if err != nil {
		return inputError{fmt.Errorf("%s: %w", name(*scPath), err)}
	}
	opt := capacity.RunOptions{TimeLimit: *limit, Seed: *seed}
	words := newWording(*lang, in, sc)
	var progress func(capacity.Progress)
	if !*quiet {
		progress = func(p capacity.Progress) { printRunProgress(stderr, words, p) }
	}
	c, err := capacity.Run(ctx, in, *sc, opt, progress)
	if err != nil {
		return inputError{err}
	}
	if !*quiet {
		for _, r := range c.Runs {
			if r.Advice != nil {
				printAdvice(stderr, words, []capacity.Advice{*r.Advice})
			}
		}
	}
	if *csvPath == "-" {
		return c.WriteCSV(stdout)
	}
	if *csvPath != "" {
		if err := writeCSV(*csvPath, c); err != nil {
			return err
		}
	}
	return writeJSON("-", stdout, c)
}

// needOpts are the flags of whatif -need.
type needOpts struct {
	limit time.Duration
	seed  int64
	quiet bool
	lang  string
}

func whatifNeed(ctx context.Context, in *solver.Instance, path string, o needOpts, stdin io.Reader, stdout, stderr io.Writer) error {
	data, err := readAll(path, stdin)
	if err != nil {
		return err
	}
	q, err := capacity.ParseNeedQuery(data)
	if err != nil {
		return inputError{fmt.Errorf("%s: %w", name(path), err)}
	}
	opt := capacity.NeedOptions{TimeLimit: o.limit, Seed: o.seed}
	if !o.quiet {
		opt.Progress = func(st capacity.NeedStep) {
			fmt.Fprintf(stderr, "count %d: %s (solve %d ms, bound %d ms)\n", st.Count, st.Verdict, st.SolveMS, st.BoundMS)
		}
	}
	a, err := capacity.Need(ctx, in, *q, opt)
	if err != nil {
		return inputError{err}
	}
	if !o.quiet {
		printAdvice(stderr, newWording(o.lang, in, nil), a.Advice)
	}
	return writeJSON("-", stdout, a)
}

// printRunProgress writes a line when a run starts and when it is done,
// the variant named in the sentences' language.
func printRunProgress(w io.Writer, words advice.Wording, p capacity.Progress) {
	switch {
	case p.Phase == capacity.PhaseSolving && p.RunFraction == 0:
		fmt.Fprintf(w, "run %d (%s): solving\n", p.Run, words.Name(p.Name))
	case p.Phase == capacity.PhaseDone:
		fmt.Fprintf(w, "run %d (%s): done, %.0f %% of all runs\n", p.Run, words.Name(p.Name), 100*p.Fraction)
	}
}

func readAll(path string, stdin io.Reader) ([]byte, error) {
	r, err := open(path, stdin)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, inputError{err}
	}
	return data, nil
}

// writeCSV writes the comparison's CSV to a file, atomically.
func writeCSV(path string, c *capacity.Comparison) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return inputError{err}
	}
	if err := c.WriteCSV(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return inputError{err}
	}
	return os.Rename(tmp, path)
}
