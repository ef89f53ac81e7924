package main

import (
	"context"
	"io"
	"time"

	"github.com/asylum-scheduling/interviews/solver"
)

// cmdBound prints the lower bound on the unscheduled priority as one JSON
// object (docs/formats.md, "The bound").
func cmdBound(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	start := time.Now()
	fs := newFlags("bound", stderr)
	inPath := fs.String("in", "", "instance file (- for standard input)")
	limit := fs.Duration("time-limit", 10*time.Second, "time for the whole command, reading the instance included; the bound stays valid, only weaker, when it runs out")
	if err := parse(fs, args, "in"); err != nil {
		return err
	}
	if *limit <= 0 {
		return usageError{"-time-limit must be positive"}
	}
	in, err := readInstance(*inPath, stdin)
	if err != nil {
		return err
	}
	b, err := solver.ComputeBound(ctx, in, solver.BoundOptions{TimeLimit: *limit, Start: start})
	if err != nil {
		return inputError{err}
	}
	return writeJSON("-", stdout, b)
}
