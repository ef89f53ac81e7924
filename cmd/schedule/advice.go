package main

import (
	"fmt"
	"io"

	"github.com/asylum-scheduling/interviews/capacity"
	"github.com/asylum-scheduling/interviews/capacity/advice"
	"github.com/asylum-scheduling/interviews/solver"
)

// newWording words capacity's sentences in locale l from the service's
// catalog, as the scenario pages do (capacity/advice): offices by the
// instance's names, the scenario's variants (sc may be nil) by their
// description in l.
func newWording(l string, in *solver.Instance, sc *capacity.Scenario) advice.Wording {
	w := advice.Wording{L: l, Offices: map[string]string{}}
	for _, loc := range in.Locations {
		if loc.Name != "" {
			w.Offices[loc.ID] = loc.Name
		}
	}
	w.Variants = w.VariantNames(sc)
	return w
}

// printAdvice writes the sentences, one a line.
func printAdvice(out io.Writer, w advice.Wording, as []capacity.Advice) {
	for _, a := range as {
		fmt.Fprintln(out, w.Text(a))
	}
}
