package capacity

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/asylum-scheduling/interviews/solver"
)

// NeedFormat is the format name of a NeedAnswer document.
const NeedFormat = "capacity-need/v1"

// Kinds of capacity Need adds.
const (
	NeedInterpreters = "interpreters"
	NeedInterviewers = "interviewers"
	NeedRooms        = "rooms"
)

// DefaultNeedTimeLimit is the total budget of Need when NeedOptions gives
// none, on an instance of up to 1,250 interviews (NeedBudget scales it
// with larger ones); DefaultMaxCount the largest count it tries.
const (
	DefaultNeedTimeLimit = 90 * time.Second
	DefaultMaxCount      = 32
)

// NeedQuery asks "what would it take": the smallest count of added capacity
// of one kind with which every target interview is scheduled (by By).
//
// The target interviews are those of Language (a tag matches its dialects:
// "ar" takes "ar-SY" too) and, when Location is given, those that may be held
// at Location; at least one of the two must be given.
type NeedQuery struct {
	Language string `json:"language,omitempty"`
	Location string `json:"location,omitempty"`
	// By is the date by which the target interviews are held (their hard
	// last date becomes at most By); WithinWeeks sets it to the last day of
	// the N-th week of the horizon. Neither: within the horizon.
	By          string `json:"by,omitempty"`
	WithinWeeks int    `json:"within_weeks,omitempty"`
	// Kind is "interpreters", "interviewers" or "rooms"; the matching
	// template describes one added unit (its count is ignored). A missing
	// template is the defaults; a missing language of an interpreter is
	// the query's, and then (unless dialects are given) the interpreter
	// also speaks every other tag of the target interviews, so that "ar"
	// adds interpreters of "ar-SY" too; a missing location of an
	// interviewer or room is the query's.
	Kind         string           `json:"kind"`
	Interpreters *AddInterpreters `json:"interpreters,omitempty"`
	Interviewers *AddInterviewers `json:"interviewers,omitempty"`
	Rooms        *AddRooms        `json:"rooms,omitempty"`
	// MaxCount is the largest count tried (default DefaultMaxCount, at
	// most 500).
	MaxCount int `json:"max_count,omitempty"`
}

// NeedOptions steer Need.
type NeedOptions struct {
	// TimeLimit is the total budget (default NeedBudget's, which grows
	// with the instance); Need returns within it plus a small margin, with
	// Complete false when it ran out before the search closed.
	TimeLimit time.Duration
	// PerRunLimit is the time limit of one solve (default TimeLimit / 12,
	// at least 1 s, or NeedBudget's when the budget is the default);
	// BoundLimit of one bound (default PerRunLimit / 2).
	PerRunLimit time.Duration
	BoundLimit  time.Duration
	// Workers of each solve (default 1); Seed of every solve.
	Workers int
	Seed    int64
	// Progress, when set, is called after every count tried.
	Progress func(NeedStep)
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Verdicts on a count.
const (
	// VerdictReached: the solver's schedule holds every target interview.
	VerdictReached = "reached"
	// VerdictProvenInsufficient: the bound proves that no schedule holds
	// them all with this count.
	VerdictProvenInsufficient = "proven_insufficient"
	// VerdictNotReached: the solver's best effort left some unscheduled,
	// but the bound does not prove that every schedule must (not proven).
	VerdictNotReached = "not_reached"
)

// NeedStep is one count tried.
type NeedStep struct {
	Count   int    `json:"count"`
	Verdict string `json:"verdict"`
	// Unscheduled is the number of target interviews the solver's schedule
	// leaves out (absent when the bound made solving needless).
	Unscheduled *int `json:"unscheduled,omitempty"`
	// Bound is a proven lower bound on the target priority left
	// unscheduled (absent when it was not needed); above 0 is a proof.
	Bound *int64 `json:"bound,omitempty"`
	// StillBinding, on a count that does not reach the target, says what
	// still keeps target interviews out: the bound's bindings and the
	// reason codes of the target interviews the solve left out.
	StillBinding []Limit `json:"still_binding,omitempty"`
	SolveMS      int64   `json:"solve_ms"`
	BoundMS      int64   `json:"bound_ms"`
}

// UnreachableCase is a target interview that no count of the query's kind
// helps, and why: the solver's reason code (solver.Reason…) and its
// explanation in English.
type UnreachableCase struct {
	Interview string `json:"interview"`
	Reason    string `json:"reason"`
	Detail    string `json:"detail,omitempty"`
}

// Reprioritise says that no added capacity is needed: giving the target
// interviews priority holds them all (the plan of count 0, Run), while the
// normal plan (Baseline) leaves Held of them out. Others is how many more
// of the other interviews that plan leaves out than the baseline, and
// OthersPriority how much more of their priority: what moves later in
// exchange (0 when nothing does).
type Reprioritise struct {
	Held           int   `json:"held"`
	Others         int   `json:"others"`
	OthersPriority int64 `json:"others_priority"`
}

// NeedAnswer is the answer of Need.
type NeedAnswer struct {
	Format string `json:"format"`
	// Advice says what to do first (re-prioritise, nothing to add, add
	// Count units, not reachable and what binds), then one sentence per
	// unreachable case with its reason.
	Advice []Advice  `json:"advice"`
	Query  NeedQuery `json:"query"`
	// Targets is the number of target interviews and By the date they
	// must be held by (the horizon's end when the query gives none).
	// Unreachable are the interviews of the query left out of the target
	// because they fit nowhere even alone with max_count units added (a
	// missing dialect, a counsel never available, a date past By): no
	// count of this kind helps them.
	Targets     int               `json:"targets"`
	Unreachable []UnreachableCase `json:"unreachable"`
	By          string            `json:"by"`
	// Baseline is the normal plan of the unchanged instance (the
	// priorities as they are), with its bound and gap, and BaselineLeftOut
	// the number of target interviews it leaves out.
	Baseline        *RunResult `json:"baseline"`
	BaselineLeftOut int        `json:"baseline_left_out"`
	// Reached tells whether a count up to MaxCount reaches the target;
	// Count is the smallest one found (nil when none).
	Reached bool `json:"reached"`
	Count   *int `json:"count"`
	// Variant is the scenario variant adding Count units and Run its
	// solved result, which holds every target interview (the targets
	// first), with a bound and gap computed on the variant's instance.
	Variant *Variant   `json:"variant"`
	Run     *RunResult `json:"run"`
	// Reprioritise is set when Count is 0 and the baseline leaves target
	// interviews out: giving them priority is enough, no hire is needed.
	Reprioritise *Reprioritise `json:"reprioritise,omitempty"`
	// Below is the verdict on Count−1 (on MaxCount when not reached):
	// "proven_insufficient" or "not_reached" (not proven); empty when
	// Count is 0.
	Below string `json:"below"`
	// Binding, when Below is proven, are the limits the bound found with
	// that count, among the target interviews (solver.Binding, as in
	// `schedule bound`): what else stands in the way.
	Binding []solver.Binding `json:"binding,omitempty"`
	// Complete is false when the budget ran out before the search closed:
	// Count is then the smallest count found to reach the target, and
	// smaller counts may not have been tried.
	Complete bool       `json:"complete"`
	Steps    []NeedStep `json:"steps"`
	MS       int64      `json:"ms"`
	// TimeLimitMS and PerRunLimitMS are the budget the answer had and
	// each count's solve limit. NeededTimeLimitMS, when the search did not
	// close (Complete false, or no count reached nor proven short), is the
	// budget to ask again with: the whole search at this share per count
	// when the budget ran out, twice the budget when every count was tried
	// undecided; an Advice "need.budget" says it.
	TimeLimitMS       int64 `json:"time_limit_ms"`
	PerRunLimitMS     int64 `json:"per_run_limit_ms"`
	NeededTimeLimitMS int64 `json:"needed_time_limit_ms,omitempty"`
}

// Need finds the smallest count of added capacity of the query's kind with
// which every target interview is scheduled, by exponential search up
// (0, 1, 2, 4, …, MaxCount) and bisection. A count is proven insufficient
// when the solver's bound on the target interviews alone shows that no
// schedule holds them all; otherwise a count the solver does not reach is
// "not reached" (not proven). See docs/capacity.md.
func Need(ctx context.Context, base *solver.Instance, q NeedQuery, opt NeedOptions) (*NeedAnswer, error) {
	if err := solver.Validate(base); err != nil {
		return nil, err
	}
	nq, err := prepareNeed(base, q)
	if err != nil {
		return nil, err
	}
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	s := newNeedSearch(ctx, nq, opt, now)
	s.dropHopeless()
	nq.explainUnreachable(nq.variantInstance(nq.max))
	if len(nq.target) > 0 {
		s.solveBaseline()
		s.search()
	}
	return s.answer()
}

// needSearch is one Need call under way.
type needSearch struct {
	ctx      context.Context
	q        *needQuery
	opt      NeedOptions
	now      func() time.Time
	t0       time.Time
	deadline time.Time
	per      time.Duration
	boundLim time.Duration
	steps    map[int]*evaluated
	order    []int
	out      bool // the budget ran out
	// baseline is the normal plan of the base instance (nil when the
	// budget or the solver gave none).
	baseline *solver.Schedule
}

// evaluated is a count tried, with its solved run when solved.
type evaluated struct {
	step  NeedStep
	bound *solver.Bound
	in    *solver.Instance
	s     *solver.Schedule
}

func newNeedSearch(ctx context.Context, q *needQuery, opt NeedOptions, now func() time.Time) *needSearch {
	total, per := opt.TimeLimit, opt.PerRunLimit
	if total <= 0 {
		var p time.Duration
		total, p = NeedBudget(q.base, q.max)
		if per <= 0 {
			per = p
		}
	}
	if per <= 0 {
		per = max(total/12, time.Second)
	}
	bl := opt.BoundLimit
	if bl <= 0 {
		bl = per / 2
	}
	t0 := now()
	return &needSearch{
		ctx: ctx, q: q, opt: opt, now: now, t0: t0, deadline: t0.Add(total),
		per: per, boundLim: bl, steps: map[int]*evaluated{},
	}
}

// dropHopeless leaves out of the target the interviews that fit nowhere
// even alone with MaxCount units added (the bound lists them): no count
// of this kind helps them, and the question is about the others.
func (s *needSearch) dropHopeless() {
	in := s.q.variantInstance(s.q.max)
	// At most a quarter of the budget, in up to five rounds.
	limit := max(min(s.boundLim, s.deadline.Sub(s.now())/20), 50*time.Millisecond)
	for range 5 {
		b, err := solver.ComputeBound(s.ctx, s.q.relaxed(in), solver.BoundOptions{TimeLimit: limit, Now: s.opt.Now})
		if err != nil || len(b.Binding) == 0 || b.Binding[0].Kind != "alone" {
			return
		}
		for _, id := range b.Binding[0].Interviews {
			if s.q.target[id] {
				delete(s.q.target, id)
				s.q.unreachable = append(s.q.unreachable, UnreachableCase{Interview: id})
			}
		}
		if b.Binding[0].Count <= len(b.Binding[0].Interviews) {
			return
		}
	}
}

// solveBaseline solves the base instance as it is (no added capacity, the
// priorities unchanged) with the per-run limit: the normal plan the answer
// is compared with. Its statistics carry the solver's bound and gap.
func (s *needSearch) solveBaseline() {
	per := min(s.per, (s.deadline.Sub(s.now())-time.Second)/4)
	if per < 200*time.Millisecond || s.ctx.Err() != nil {
		return
	}
	sched, err := solver.Solve(s.ctx, s.q.base, solver.Options{
		TimeLimit: per, Seed: s.opt.Seed, Workers: max(1, s.opt.Workers), Now: s.opt.Now,
	})
	if err == nil {
		s.baseline = sched
	}
}

// search runs the exponential search up, then the bisection.
func (s *needSearch) search() {
	lo, hi := -1, -1 // largest count known insufficient, smallest reached
	for k := 0; ; k = max(1, 2*k) {
		k = min(k, s.q.max)
		if !s.eval(k) {
			return
		}
		if s.steps[k].step.Verdict == VerdictReached {
			hi = k
			break
		}
		lo = k
		if k == s.q.max {
			return
		}
	}
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if !s.eval(mid) {
			return
		}
		if s.steps[mid].step.Verdict == VerdictReached {
			hi = mid
		} else {
			lo = mid
		}
	}
}

// eval tries count k; false when the budget or the context ran out first.
func (s *needSearch) eval(k int) bool {
	left := s.deadline.Sub(s.now())
	margin := func(d time.Duration) time.Duration { return d + solver.Margin(d) }
	per, bl := s.per, s.boundLim
	if margin(per)+bl > left {
		// Shrink this step to what is left; give up below half a second.
		per = (left - time.Second) * 2 / 3
		bl = per / 2
	}
	if per < 500*time.Millisecond || s.ctx.Err() != nil {
		s.out = true
		return false
	}
	e := &evaluated{step: NeedStep{Count: k}}
	e.in = s.q.variantInstance(k)
	s.proveShort(e, bl)
	if e.step.Verdict == "" {
		s.solve(e, per)
	}
	if e.step.Verdict != VerdictReached {
		e.step.StillBinding = s.stillBinding(e)
	}
	s.steps[k] = e
	s.order = append(s.order, k)
	if s.opt.Progress != nil {
		s.opt.Progress(e.step)
	}
	return true
}

// proveShort computes the bound on the target interviews alone; above 0
// proves the count insufficient.
func (s *needSearch) proveShort(e *evaluated, limit time.Duration) {
	t := s.now()
	b, err := solver.ComputeBound(s.ctx, s.q.relaxed(e.in), solver.BoundOptions{TimeLimit: limit, Now: s.opt.Now})
	e.step.BoundMS = s.now().Sub(t).Milliseconds()
	if err != nil {
		return // no proof; the solve decides
	}
	e.step.Bound, e.bound = &b.Medium, b
	if b.Medium > 0 {
		e.step.Verdict = VerdictProvenInsufficient
	}
}

// stillBinding says what keeps the count from the target: the bound's
// bindings, then the reason codes of the target interviews the solve left
// out.
func (s *needSearch) stillBinding(e *evaluated) []Limit {
	out := []Limit{}
	if e.bound != nil {
		out = append(out, boundLimits(e.bound.Binding, e.in)...)
	}
	if e.s != nil {
		out = append(out, reasonLimits(e.s, func(id string) bool { return s.q.target[id] })...)
	}
	return out
}

// solve runs the solver on the count's instance with the targets first.
func (s *needSearch) solve(e *evaluated, limit time.Duration) {
	t := s.now()
	sched, err := solver.Solve(s.ctx, s.q.boosted(e.in), solver.Options{
		TimeLimit: limit, Seed: s.opt.Seed, Workers: max(1, s.opt.Workers), Now: s.opt.Now,
	})
	e.step.SolveMS = s.now().Sub(t).Milliseconds()
	if err != nil {
		e.step.Verdict = VerdictNotReached
		return
	}
	n := 0
	for _, u := range sched.Unscheduled {
		if s.q.target[u.Interview] {
			n++
		}
	}
	e.step.Unscheduled = &n
	e.s = sched
	if n == 0 {
		e.step.Verdict = VerdictReached
	} else {
		e.step.Verdict = VerdictNotReached
	}
}

// boundRun computes the bound of the answer's plan on its own instance
// (the priorities as they are), within the bound limit and what is left of
// the budget, and sets its bound and gap.
func (s *needSearch) boundRun(r *RunResult, in *solver.Instance) {
	limit := min(s.boundLim, s.deadline.Sub(s.now()))
	if limit < 100*time.Millisecond || s.ctx.Err() != nil {
		return
	}
	b, err := solver.ComputeBound(s.ctx, in, solver.BoundOptions{TimeLimit: limit, Now: s.opt.Now})
	if err != nil {
		return
	}
	gap := r.UnscheduledPriority - b.Medium
	r.Bound, r.Gap = &b.Medium, &gap
}

// answer puts the steps together.
func (s *needSearch) answer() (*NeedAnswer, error) {
	a := &NeedAnswer{Format: NeedFormat, Query: s.q.query, Targets: len(s.q.target), By: s.q.by.String(), Steps: []NeedStep{},
		Unreachable: append([]UnreachableCase{}, s.q.unreachable...), TimeLimitMS: s.deadline.Sub(s.t0).Milliseconds(), PerRunLimitMS: s.per.Milliseconds()}
	slices.SortFunc(a.Unreachable, func(x, y UnreachableCase) int { return strings.Compare(x.Interview, y.Interview) })
	a.Query.MaxCount = s.q.max // the default filled in
	if s.baseline != nil {
		r, err := measure(BaselineName, s.q.base, s.baseline)
		if err != nil {
			return nil, err
		}
		a.Baseline = r
		for _, u := range s.baseline.Unscheduled {
			if s.q.target[u.Interview] {
				a.BaselineLeftOut++
			}
		}
	}
	if len(s.q.target) == 0 {
		a.Below = VerdictProvenInsufficient
		a.Complete = true
		a.MS = s.now().Sub(s.t0).Milliseconds()
		a.advise()
		return a, nil
	}
	for _, k := range s.order {
		a.Steps = append(a.Steps, s.steps[k].step)
	}
	best := -1
	for k, e := range s.steps {
		if e.step.Verdict == VerdictReached && (best < 0 || k < best) {
			best = k
		}
	}
	below := best - 1
	if best < 0 {
		below = s.q.max
	} else {
		a.Reached, a.Count = true, &best
		v := s.q.variant(best)
		a.Variant = &v
		r, err := s.q.measure(s.steps[best])
		if err != nil {
			return nil, err
		}
		a.Run = r
		s.boundRun(r, s.steps[best].in)
		if best == 0 && a.Baseline != nil && a.BaselineLeftOut > 0 {
			a.Reprioritise = s.q.reprioritise(a.Baseline, r, a.BaselineLeftOut)
		}
	}
	if e, ok := s.steps[below]; ok {
		a.Below = e.step.Verdict
		if e.step.Verdict == VerdictProvenInsufficient {
			a.Binding = e.bound.Binding
		}
	} else if best > 0 || best < 0 {
		// Not tried (the budget ran out): a smaller count proven
		// insufficient proves nothing about this one.
		a.Below = VerdictNotReached
	}
	a.Complete = !s.out && (best <= 0 || s.steps[best-1] != nil)
	a.MS = s.now().Sub(s.t0).Milliseconds()
	a.advise()
	s.budgetAdvice(a)
	return a, nil
}
