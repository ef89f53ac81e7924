package scheduler

import (
	"runtime/debug"

	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

// automation.go records how each booking came about (issue 26): the
// origin a change carries to the store (postgres.Change.Origin).

// SolverVersion is the build of the solver that checks placements: the
// commit the binary was built from ("devel" without version control
// information), with "+dirty" for a modified tree.
var SolverVersion = buildRevision()

func buildRevision() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	rev, dirty := "", false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "devel"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "+dirty"
	}
	return rev
}

// originOf is how a booking or move came about: what the caller says
// (a plan, an automatic request), else a suggestion taken (its rank), else
// a placement by hand with the clerk's reason. The checker adds the
// objectives a placement by hand worsens.
func originOf(given *resources.BookingOrigin, fromSuggestion bool, rank int, reason string) *resources.BookingOrigin {
	var o resources.BookingOrigin
	switch {
	case given != nil:
		o = *given
	case fromSuggestion:
		o = resources.BookingOrigin{Kind: resources.OriginSuggestion, Rank: rank}
	default:
		o = resources.BookingOrigin{Kind: resources.OriginHand, Reason: reason}
	}
	o.SolverVersion = SolverVersion
	return &o
}

// worsened names the soft objectives whose terms grow from before to
// after.
func worsened(before, after solver.Components) []string {
	var out []string
	for _, c := range []struct {
		name string
		b, a int64
	}{{"wait", before.Wait, after.Wait}, {"late", before.Late, after.Late}, {"cost", before.Cost, after.Cost},
		{"remote", before.Remote, after.Remote}, {"dialect", before.Dialect, after.Dialect},
		{"continuity", before.Continuity, after.Continuity}, {"fairness", before.Fairness, after.Fairness}} {
		if c.a > c.b {
			out = append(out, c.name)
		}
	}
	return out
}
