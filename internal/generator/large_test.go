package generator

import (
	"bytes"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/solver"
)

// TestLargeSizes checks XXL (the 2015 peak month) and DE (a month of a
// federal agency with 40 offices): valid, deterministic, of the documented
// size, tight like XL, and with many languages; DE with travel times between
// its offices and interpreters serving offices near home.
func TestLargeSizes(t *testing.T) {
	type rng struct{ lo, hi int }
	for _, c := range []struct {
		size                                          string
		locations                                     int
		interviews, interpreters, rooms, interviewers rng
		tags                                          int
		timezone                                      string
	}{
		{"XXL", 4, rng{12500, 13100}, rng{2600, 3200}, rng{330, 390}, rng{370, 430}, 60, "Europe/Helsinki"},
		{"DE", 40, rng{59500, 60500}, rng{9500, 10500}, rng{1550, 1800}, rng{1700, 2000}, 100, "Europe/Berlin"},
	} {
		t.Run(c.size, func(t *testing.T) {
			t.Parallel()
			in := generate(t, c.size, 1)
			require.NoError(t, solver.Validate(in))
			require.Equal(t, c.timezone, in.Timezone)
			require.Len(t, in.Locations, c.locations)
			for _, g := range []struct {
				what string
				n    int
				r    rng
			}{
				{"interviews", len(in.Interviews), c.interviews},
				{"interpreters", len(in.Interpreters), c.interpreters},
				{"rooms", len(in.Rooms), c.rooms},
				{"interviewers", len(in.Interviewers), c.interviewers},
			} {
				if g.n < g.r.lo || g.n > g.r.hi {
					t.Errorf("%d %s, want %d..%d", g.n, g.what, g.r.lo, g.r.hi)
				}
			}
			tags := map[string]bool{}
			for _, iv := range in.Interviews {
				tags[iv.Language] = true
			}
			if len(tags) < c.tags {
				t.Errorf("%d interview languages, want at least %d", len(tags), c.tags)
			}
			r, e := sessions(in)
			t.Logf("load %.3f, %d tags", float64(len(in.Interviews))/float64(min(r, e)), len(tags))
			if load := float64(len(in.Interviews)) / float64(min(r, e)); load < 0.9 || load > 1.0 {
				t.Errorf("%d interviews for %d room and %d interviewer slots (load %.2f), want 0.90-1.00 like XL", len(in.Interviews), r, e, load)
			}
			if c.size == "XXL" {
				for _, p := range ownChecks(in) {
					t.Error(p)
				}
				if !bytes.Equal(encode(t, in), encode(t, generate(t, c.size, 1))) {
					t.Error("two calls with seed 1 differ")
				}
				return
			}
			checkTravel(t, in)
		})
	}
}

// checkTravel: travel times are plausible drives, every office has one, and
// interpreters serve their home office and at most one office within reach.
func checkTravel(t *testing.T, in *solver.Instance) {
	t.Helper()
	reach := map[[2]string]int{}
	has := map[string]bool{}
	for _, tr := range in.TravelMinutes {
		if tr.Minutes < 20 || tr.Minutes > deMaxTravel {
			t.Errorf("travel %s-%s %d minutes", tr.From, tr.To, tr.Minutes)
		}
		reach[[2]string{tr.From, tr.To}], reach[[2]string{tr.To, tr.From}] = tr.Minutes, tr.Minutes
		has[tr.From], has[tr.To] = true, true
	}
	for _, l := range in.Locations {
		if !has[l.ID] {
			t.Errorf("office %s has no travel time to any other", l.ID)
		}
	}
	for _, tr := range in.Interpreters {
		if len(tr.Locations) == 2 && reach[[2]string{tr.Locations[0], tr.Locations[1]}] == 0 {
			t.Errorf("interpreter %s serves %v, out of reach of each other", tr.ID, tr.Locations)
		}
	}
	if !slices.Contains(LargeSizes, "DE") || !slices.Contains(LargeSizes, "XXL") {
		t.Errorf("LargeSizes %v", LargeSizes)
	}
}
