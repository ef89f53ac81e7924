package capacity

import (
	"slices"
	"sort"

	"github.com/asylum-scheduling/interviews/solver"
)

// Verdicts of an Effect: what a variant did against the baseline.
const (
	// EffectBetter and EffectWorse: the variant's plan differs from the
	// baseline's by more than the search's own noise.
	EffectBetter = "better"
	EffectWorse  = "worse"
	// EffectNone: the same interviews left out, the same priority and the
	// same soft score.
	EffectNone = "no_change"
	// EffectNoise: the plans differ, but within the search's noise (the
	// spread of two seeds of the baseline), or in a direction the changes
	// cannot cause (added capacity never makes the best plan worse).
	EffectNoise = "noise"
)

// Why a difference is noise (Effect.Noise).
const (
	NoiseWithinSpread = "within_spread"
	NoiseCannotWorsen = "cannot_worsen"
)

// Spread is how far two solves of the unchanged baseline with different
// seeds differ: the search's own noise, against which a variant's
// differences are judged (absolute differences).
type Spread struct {
	Unscheduled         int   `json:"unscheduled"`
	UnscheduledPriority int64 `json:"unscheduled_priority"`
	Soft                int64 `json:"soft"`
}

// Effect compares a variant's run with the baseline's: the differences
// (variant − baseline), the verdict, and, when the variant changed nothing
// or only within noise, what still binds.
type Effect struct {
	Verdict             string `json:"verdict"`
	Noise               string `json:"noise,omitempty"`
	Unscheduled         int    `json:"unscheduled"`
	UnscheduledPriority int64  `json:"unscheduled_priority"`
	Soft                int64  `json:"soft"`
	// StillBinding says what still keeps interviews out when the verdict
	// is no_change or noise, or when the variant leaves out as many
	// interviews of the same priority and only the cost or wait differs
	// (empty otherwise).
	StillBinding []Limit `json:"still_binding"`
}

// Sources of a Limit.
const (
	// LimitReason: interviews the plan leaves out, by the solver's reason
	// code (solver.Reason…).
	LimitReason = "reason"
	// LimitBound: a binding of the proven bound (solver.Binding): its kind
	// ("alone", "room", "interviewer", "interpreter", "party", "combined")
	// and resources.
	LimitBound = "bound"
)

// Limit is one thing that keeps interviews out.
type Limit struct {
	Source string `json:"source"`
	// Code is the reason code (source reason) or the binding's kind
	// (source bound).
	Code      string   `json:"code"`
	Resources []string `json:"resources,omitempty"`
	// Interviews are the first five interviews in question (by id) and
	// Count their number.
	Interviews []string `json:"interviews"`
	Count      int      `json:"count"`
	// Locations are the offices (location ids) of the binding's rooms and
	// interviewers (source bound; empty for other kinds), and From and To
	// the first and last day of what binds.
	Locations []string `json:"locations,omitempty"`
	From      string   `json:"from,omitempty"`
	To        string   `json:"to,omitempty"`
	// Detail is the solver's explanation of the first of them, in English.
	Detail string `json:"detail,omitempty"`
}

// maxLimitInterviews is the number of interviews a Limit lists.
const maxLimitInterviews = 5

// reasonLimits groups the unscheduled interviews (those keep accepts; all
// when keep is nil) by reason code, the largest group first (by code among
// equals).
func reasonLimits(s *solver.Schedule, keep func(id string) bool) []Limit {
	by := map[string]*Limit{}
	for _, u := range s.Unscheduled {
		if keep != nil && !keep(u.Interview) {
			continue
		}
		l := by[u.Reason]
		if l == nil {
			l = &Limit{Source: LimitReason, Code: u.Reason, Detail: u.Detail}
			by[u.Reason] = l
		}
		l.Count++
		l.Interviews = append(l.Interviews, u.Interview)
	}
	out := make([]Limit, 0, len(by))
	for _, l := range by {
		slices.Sort(l.Interviews)
		l.Interviews = l.Interviews[:min(len(l.Interviews), maxLimitInterviews)]
		out = append(out, *l)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Code < out[j].Code
	})
	return out
}

// boundLimits are the bound's bindings as limits, in the bound's order,
// with the offices of their rooms and interviewers in in.
func boundLimits(bs []solver.Binding, in *solver.Instance) []Limit {
	out := make([]Limit, 0, len(bs))
	for _, b := range bs {
		ivs := slices.Clone(b.Interviews)
		slices.Sort(ivs)
		out = append(out, Limit{Source: LimitBound, Code: b.Kind, Resources: b.Resources,
			Interviews: ivs[:min(len(ivs), maxLimitInterviews)], Count: b.Count, Detail: b.Text,
			Locations: locationsOf(in, b.Resources), From: b.From, To: b.To})
	}
	return out
}

// locationsOf are the locations of the rooms and interviewers among ids,
// in the instance's order of locations.
func locationsOf(in *solver.Instance, ids []string) []string {
	if in == nil {
		return nil
	}
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	at := map[string]bool{}
	for _, r := range in.Rooms {
		if want[r.ID] {
			at[r.Location] = true
		}
	}
	for _, e := range in.Interviewers {
		if want[e.ID] {
			at[e.Location] = true
		}
	}
	var out []string
	for _, l := range in.Locations {
		if at[l.ID] {
			out = append(out, l.ID)
		}
	}
	return out
}

// spreadOf is the spread of two solves of the same instance.
func spreadOf(a, b *RunResult) Spread {
	return Spread{
		Unscheduled:         abs(a.Unscheduled - b.Unscheduled),
		UnscheduledPriority: abs(a.UnscheduledPriority - b.UnscheduledPriority),
		Soft:                abs(a.Score.Soft - b.Score.Soft),
	}
}

func abs[T int | int64](x T) T {
	if x < 0 {
		return -x
	}
	return x
}

// effectOf judges a variant's run r (of instance in) against the
// baseline's: the priority left out decides first, the soft score second
// (the solver's order). A difference within the spread is noise, and so is
// a worse plan from a variant that only adds (relaxes), which cannot make
// the best plan worse. What still binds is the bound's bindings first (when
// the solve had its bound), then the reasons of the interviews left out;
// also when only the soft score differs: a cheaper plan of the same
// interviews still leaves the same ones out, for a reason worth naming.
func effectOf(base, r *RunResult, in *solver.Instance, sp Spread, relaxes bool) *Effect {
	e := &Effect{
		Unscheduled:         r.Unscheduled - base.Unscheduled,
		UnscheduledPriority: r.UnscheduledPriority - base.UnscheduledPriority,
		Soft:                r.Score.Soft - base.Score.Soft,
		StillBinding:        []Limit{},
	}
	judge := func(d, spread int64) {
		switch {
		case abs(d) <= spread:
			e.Verdict, e.Noise = EffectNoise, NoiseWithinSpread
		case relaxes && d > 0:
			e.Verdict, e.Noise = EffectNoise, NoiseCannotWorsen
		case d < 0:
			e.Verdict = EffectBetter
		default:
			e.Verdict = EffectWorse
		}
	}
	switch {
	case e.UnscheduledPriority == 0 && e.Unscheduled == 0 && e.Soft == 0:
		e.Verdict = EffectNone
	case e.UnscheduledPriority != 0:
		judge(e.UnscheduledPriority, sp.UnscheduledPriority)
	default:
		judge(e.Soft, sp.Soft)
	}
	sameOut := e.Unscheduled == 0 && e.UnscheduledPriority == 0
	if (sameOut || e.Verdict == EffectNoise) && r.Schedule != nil {
		if st := r.Schedule.Stats; st != nil && len(r.Schedule.Unscheduled) > 0 {
			e.StillBinding = append(e.StillBinding, boundLimits(st.Binding, in)...)
		}
		e.StillBinding = append(e.StillBinding, reasonLimits(r.Schedule, nil)...)
	}
	return e
}

// relaxes reports whether every change of the variant only adds capacity
// or time (never removes or tightens), so that its best plan is at least
// as good as the baseline's.
func relaxes(v Variant) bool {
	for _, c := range v.Changes {
		if c.AddInterpreters == nil && c.AddInterviewers == nil && c.AddRooms == nil && c.ExtraSessions == nil && c.RemoteShare == nil {
			return false
		}
	}
	return true
}
