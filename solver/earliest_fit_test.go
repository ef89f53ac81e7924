package solver_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/solver"
)

// EarliestFit agrees with Suggest: a day has a fit exactly when Suggest
// finds an option on it, and the earliest fit from a day is the first such
// day, against real competition (part of a plan booked).
func TestEarliestFitAgreesWithSuggest(t *testing.T) {
	t.Parallel()
	in, open := bookedInstance(t, "S", 3, 2)
	p, err := solver.NewPlanner(in)
	require.NoError(t, err)
	hs, err := solver.ParseDate(in.Horizon.Start)
	require.NoError(t, err)
	he, err := solver.ParseDate(in.Horizon.End)
	require.NoError(t, err)
	fits, misses := 0, 0
	for k, id := range open {
		if k >= 6 {
			break
		}
		var days []solver.Date // the days Suggest finds an option on
		for d := hs; d <= he; d++ {
			sg, err := p.Suggest(solver.SuggestRequest{Interview: id, K: 1, From: d.String(), To: d.String()})
			require.NoError(t, err)
			if len(sg.Options) > 0 {
				days = append(days, d)
			}
		}
		for from := hs; from <= he; from += 3 {
			got, ok, err := p.EarliestFit(id, from.String(), "")
			require.NoError(t, err)
			want := solver.Date(0)
			for _, d := range days {
				if d >= from {
					want = d
					break
				}
			}
			require.Equal(t, want != 0, ok, "%s from %s", id, from)
			if ok {
				require.Equal(t, want, got, "%s from %s", id, from)
				fits++
			} else {
				misses++
			}
		}
	}
	require.Positive(t, fits)
	t.Logf("%d first fits and %d misses checked", fits, misses)
	_, _, err = p.EarliestFit("nobody", "", "")
	require.Error(t, err)
}
