package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"time"

	"github.com/asylum-scheduling/interviews/capacity"
)

// cmdForecast simulates rolling weekly planning under an intake forecast and
// prints the capacity-forecast/v1 result as JSON (docs/formats.md,
// "Forecast"; docs/forecast.md).
func cmdForecast(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("forecast", stderr)
	inPath := fs.String("in", "", "instance file: the resources of one or more weeks, and the open interviews (- for standard input)")
	intakePath := fs.String("intake", "", "capacity-intake/v1 file (- for standard input)")
	weeks := fs.Int("weeks", 0, fmt.Sprintf("weeks to simulate, 1 to %d", capacity.MaxForecastWeeks))
	limit := fs.Duration("time-limit-per-week", capacity.DefaultTimeLimitPerWeek, "solver time for each week's plan")
	iters := fs.Int64("iterations", 0, "stop each week's search after this many moves (0: time limit only)")
	seed := fs.Int64("seed", 1, "random seed of the new cases' shapes and of the solver")
	workers := fs.Int("workers", 1, "parallel searches (cores) for each week")
	csvPath := fs.String("csv", "", "also write the figures in long form (week, language, metric, value) to this file")
	emptyStart := fs.Bool("empty-start", false, "leave the instance's own interviews out: the backlog starts empty")
	noAging := fs.Bool("no-aging", false, "plan with the interviews' own priorities (default: +1 per week waited)")
	quiet := fs.Bool("quiet", false, "no progress on standard error")
	if err := parse(fs, args, "in", "intake"); err != nil {
		return err
	}
	switch {
	case *weeks < 1 || *weeks > capacity.MaxForecastWeeks:
		return usageError{fmt.Sprintf("-weeks must be between 1 and %d", capacity.MaxForecastWeeks)}
	case *limit <= 0 || *iters < 0 || *workers < 1:
		return usageError{"-time-limit-per-week must be positive, -iterations not negative, -workers at least 1"}
	case *inPath == "-" && *intakePath == "-":
		return usageError{"only one of -in and -intake can be standard input"}
	case *csvPath == "-":
		return usageError{"-csv needs a file (standard output carries the JSON)"}
	}
	base, err := readInstance(*inPath, stdin)
	if err != nil {
		return err
	}
	intake, err := readIntake(*intakePath, stdin)
	if err != nil {
		return err
	}
	opt := capacity.ForecastOptions{Weeks: *weeks, TimeLimitPerWeek: *limit, Iterations: *iters, Seed: *seed,
		Workers: *workers, EmptyStart: *emptyStart, NoAging: *noAging}
	start := time.Now()
	var progress func(int, int)
	if !*quiet {
		progress = func(w, n int) { fmt.Fprintf(stderr, "%6.1fs  week %d/%d\n", time.Since(start).Seconds(), w, n) }
	}
	res, err := capacity.Forecast(ctx, base, *intake, opt, progress)
	if err != nil {
		return inputError{err}
	}
	if *csvPath != "" {
		if err := writeForecastCSV(*csvPath, res); err != nil {
			return err
		}
	}
	return writeJSON("-", stdout, res)
}

func readIntake(path string, stdin io.Reader) (*capacity.Intake, error) {
	r, err := open(path, stdin)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	in, err := capacity.ParseIntake(r)
	if err != nil {
		return nil, inputError{fmt.Errorf("%s: %w", name(path), err)}
	}
	return in, nil
}

// writeForecastCSV writes the forecast in long form: one row per week,
// language and metric; language "*" holds the week's totals. Timings are
// left out, so that equal forecasts give equal files.
func writeForecastCSV(path string, res *capacity.ForecastResult) error {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"week", "language", "metric", "value"})
	for _, wk := range res.Week {
		row := func(lang, metric string, v string) { _ = w.Write([]string{wk.Start, lang, metric, v}) }
		itoa := strconv.Itoa
		row("*", "backlog_start", itoa(wk.BacklogStart))
		row("*", "arrivals", itoa(wk.Arrivals))
		row("*", "scheduled", itoa(wk.Scheduled))
		row("*", "backlog_end", itoa(wk.BacklogEnd))
		row("*", "interviewer_capacity", itoa(wk.InterviewerCapacity))
		row("*", "medium", strconv.FormatInt(wk.Medium, 10))
		row("*", "unscheduled_priority", strconv.FormatInt(wk.UnscheduledPriority, 10))
		for _, l := range wk.Langs {
			row(l.Language, "backlog_start", itoa(l.BacklogStart))
			row(l.Language, "arrivals", itoa(l.Arrivals))
			row(l.Language, "scheduled", itoa(l.Scheduled))
			row(l.Language, "backlog_end", itoa(l.BacklogEnd))
			row(l.Language, "capacity", itoa(l.Capacity))
			if l.WaitMedianDays != nil {
				row(l.Language, "wait_median_days", strconv.FormatFloat(*l.WaitMedianDays, 'f', -1, 64))
				row(l.Language, "wait_p90_days", itoa(*l.WaitP90Days))
			}
			reasons := make([]string, 0, len(l.Unscheduled))
			for r := range l.Unscheduled {
				reasons = append(reasons, r)
			}
			sort.Strings(reasons)
			for _, r := range reasons {
				row(l.Language, "unscheduled_"+r, itoa(l.Unscheduled[r]))
			}
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		return inputError{err}
	}
	return os.Rename(tmp, path)
}
