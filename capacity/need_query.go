package capacity

import (
	"fmt"
	"slices"
	"strings"

	"github.com/asylum-scheduling/interviews/solver"
)

// boostPriority is the priority the target interviews get in the solves of
// Need, so that the solver places them before the others (the largest
// priority an instance may give).
const boostPriority = 1000

// needQuery is a checked NeedQuery against its base instance.
type needQuery struct {
	query  NeedQuery
	base   *solver.Instance
	target map[string]bool
	// unreachable were targets that no count helps (findTargets,
	// dropHopeless), with their reasons.
	unreachable []UnreachableCase
	by          solver.Date
	limit       bool // by is before the horizon's end: last dates change
	max         int
}

// prepareNeed checks the query and finds its target interviews.
func prepareNeed(base *solver.Instance, q NeedQuery) (*needQuery, error) {
	w, err := horizonOf(base)
	if err != nil {
		return nil, err
	}
	p := &problems{}
	a := &applier{in: clone(base), w: w, p: p, tag: "need"}
	nq := &needQuery{query: q, base: base, by: w.end, max: q.MaxCount}
	if q.Language == "" && q.Location == "" {
		p.add("language", "give a language or a location (or both) to say which interviews must be scheduled")
	}
	if q.Language != "" {
		a.language(q.Language, "language")
	}
	if q.Location != "" {
		a.location(q.Location, "location")
	}
	nq.checkBy(w, p)
	if nq.max == 0 {
		nq.max = DefaultMaxCount
	} else if nq.max < 1 || nq.max > 500 {
		p.add("max_count", "must be between 1 and 500, not %d", nq.max)
	}
	nq.checkTemplate(a)
	if len(p.list) == 0 {
		nq.findTargets(w, p)
	}
	if len(p.list) == 0 && q.Kind == NeedInterpreters && (q.Interpreters == nil || q.Interpreters.Language == "" && q.Interpreters.Dialects == nil) {
		nq.query.Interpreters.Dialects = nq.dialects()
	}
	if err := p.err("need query"); err != nil {
		return nil, err
	}
	return nq, nil
}

func (nq *needQuery) checkBy(w window, p *problems) {
	q := nq.query
	switch {
	case q.By != "" && q.WithinWeeks != 0:
		p.add("within_weeks", "give by or within_weeks, not both")
	case q.By != "":
		d, err := solver.ParseDate(q.By)
		if err != nil {
			p.add("by", "%v", err)
			return
		}
		if d < w.first {
			p.add("by", "%s is before the horizon's start %s", q.By, w.first)
			return
		}
		nq.by = min(d, w.end)
	case q.WithinWeeks < 0:
		p.add("within_weeks", "must be at least 1, not %d", q.WithinWeeks)
	case q.WithinWeeks > 0:
		nq.by = min(w.first+solver.Date(7*q.WithinWeeks-1), w.end)
	}
	nq.limit = nq.by < w.end
}

// checkTemplate checks the added unit (with count 1) and fills in its
// defaults from the query.
func (nq *needQuery) checkTemplate(a *applier) {
	q := &nq.query
	others := map[string]bool{NeedInterpreters: q.Interpreters != nil, NeedInterviewers: q.Interviewers != nil, NeedRooms: q.Rooms != nil}
	for kind, set := range others {
		if set && kind != q.Kind {
			a.p.add(kind, "is given but kind is %q", q.Kind)
		}
	}
	switch q.Kind {
	case NeedInterpreters:
		t := AddInterpreters{Language: q.Language}
		if q.Interpreters != nil {
			t = *q.Interpreters
			if t.Language == "" {
				t.Language = q.Language
			}
		}
		t.Count = 1
		q.Interpreters = &t
		a.addInterpreters(&t, NeedInterpreters)
	case NeedInterviewers:
		t := AddInterviewers{Location: q.Location}
		if q.Interviewers != nil {
			t = *q.Interviewers
			if t.Location == "" {
				t.Location = q.Location
			}
		}
		t.Count = 1
		q.Interviewers = &t
		a.addInterviewers(&t, NeedInterviewers)
	case NeedRooms:
		t := AddRooms{Location: q.Location}
		if q.Rooms != nil {
			t = *q.Rooms
			if t.Location == "" {
				t.Location = q.Location
			}
		}
		t.Count = 1
		q.Rooms = &t
		a.addRooms(&t, NeedRooms)
	default:
		a.p.add("kind", "must be interpreters, interviewers or rooms, not %q", q.Kind)
	}
}

// findTargets lists the target interviews: of the language and the
// location, without a pinned booking.
func (nq *needQuery) findTargets(w window, p *problems) {
	pin := pinned(nq.base)
	nq.target = map[string]bool{}
	for _, iv := range nq.base.Interviews {
		if pin[iv.ID] {
			continue
		}
		if nq.query.Language != "" && !languageOf(nq.query.Language, iv.Language) {
			continue
		}
		if nq.query.Location != "" && !slices.Contains(iv.Locations, nq.query.Location) {
			continue
		}
		if e, err := solver.ParseDate(iv.Earliest); err == nil && e > nq.by {
			// It may not start by then: no capacity helps.
			nq.unreachable = append(nq.unreachable, UnreachableCase{Interview: iv.ID, Reason: solver.ReasonWindowClosed,
				Detail: fmt.Sprintf("the earliest date %s is after %s", iv.Earliest, nq.by)})
			continue
		}
		nq.target[iv.ID] = true
	}
	if len(nq.target) == 0 && len(nq.unreachable) == 0 {
		p.add("", "no interview without a pinned booking matches the language and location")
	}
}

// dialects are the target interviews' tags other than the query's
// language, sorted: the default added interpreter speaks them all.
func (nq *needQuery) dialects() []string {
	var out []string
	for _, iv := range nq.base.Interviews {
		if nq.target[iv.ID] && !strings.EqualFold(iv.Language, nq.query.Interpreters.Language) && !slices.Contains(out, iv.Language) {
			out = append(out, iv.Language)
		}
	}
	slices.Sort(out)
	return out
}

// change is the added capacity of count k (k ≥ 1).
func (nq *needQuery) change(k int) Change {
	q := nq.query
	switch q.Kind {
	case NeedInterpreters:
		t := *q.Interpreters
		t.Count = k
		return Change{AddInterpreters: &t}
	case NeedInterviewers:
		t := *q.Interviewers
		t.Count = k
		return Change{AddInterviewers: &t}
	default:
		t := *q.Rooms
		t.Count = k
		return Change{AddRooms: &t}
	}
}

// variant is the scenario variant adding k units.
func (nq *needQuery) variant(k int) Variant {
	if k == 0 {
		return Variant{Name: "no change", Changes: []Change{}}
	}
	kind := nq.query.Kind
	if k == 1 {
		kind = strings.TrimSuffix(kind, "s")
	}
	return Variant{Name: fmt.Sprintf("%d more %s", k, kind), Changes: []Change{nq.change(k)}}
}

// variantInstance is the base with k units added and the targets' last
// date at most by.
func (nq *needQuery) variantInstance(k int) *solver.Instance {
	var in *solver.Instance
	if k == 0 {
		in = clone(nq.base)
	} else {
		p := &problems{}
		in = applyVariant(nq.base, nq.variant(k), 0, p)
		if len(p.list) > 0 {
			// The template was checked with count 1; more of it cannot
			// fail but for the count's limit, which max_count keeps.
			panic("capacity: need variant does not apply: " + p.list[0].String())
		}
	}
	if nq.limit {
		for i := range in.Interviews {
			iv := &in.Interviews[i]
			if !nq.target[iv.ID] {
				continue
			}
			if l, err := solver.ParseDate(iv.Latest); err != nil || l > nq.by {
				iv.Latest = nq.by.String()
			}
			if d, err := solver.ParseDate(iv.Deadline); err == nil && d > nq.by {
				iv.Deadline = nq.by.String()
			}
		}
	}
	return in
}

// relaxed keeps of in only the target interviews and those with a pinned
// booking. Every schedule of in, without the other interviews, is a
// schedule of the relaxed instance, and the pinned ones are held in each:
// so a bound above 0 on it proves that every schedule of in leaves a
// target interview out.
func (nq *needQuery) relaxed(in *solver.Instance) *solver.Instance {
	return nq.keepOnly(in, func(id string) bool { return nq.target[id] })
}

// keepOnly keeps of in the interviews keep accepts and those with a pinned
// booking, and their bookings.
func (nq *needQuery) keepOnly(in *solver.Instance, accept func(id string) bool) *solver.Instance {
	out := *in
	pin := pinned(in)
	keep := func(id string) bool { return accept(id) || pin[id] }
	out.Interviews = slices.DeleteFunc(slices.Clone(in.Interviews), func(iv solver.Interview) bool { return !keep(iv.ID) })
	out.Bookings = slices.DeleteFunc(slices.Clone(in.Bookings), func(b solver.Booking) bool { return !keep(b.Interview) })
	return &out
}

// boosted gives the target interviews the largest priority.
func (nq *needQuery) boosted(in *solver.Instance) *solver.Instance {
	out := *in
	out.Interviews = slices.Clone(in.Interviews)
	for i := range out.Interviews {
		if nq.target[out.Interviews[i].ID] {
			out.Interviews[i].Priority = new(int)
			*out.Interviews[i].Priority = boostPriority
		}
	}
	return &out
}

// measure is the run result of an evaluated count, scored on its own
// instance (not the boosted one the solver saw).
func (nq *needQuery) measure(e *evaluated) (*RunResult, error) {
	rep, err := solver.Check(e.in, e.s)
	if err != nil {
		return nil, err
	}
	s := *e.s
	s.Score = rep.Score
	if e.s.Stats != nil {
		st := *e.s.Stats
		st.Bound, st.Gap = nil, nil // they were of the boosted instance
		s.Stats = &st
	}
	return measure(nq.variant(e.step.Count).Name, e.in, &s)
}

// explainUnreachable gives the interviews left out of the target without
// a reason (dropHopeless) the solver's reason why they fit nowhere on in
// (the instance with the most units added) next to the pinned bookings.
func (nq *needQuery) explainUnreachable(in *solver.Instance) {
	left := map[string]bool{}
	for _, u := range nq.unreachable {
		if u.Reason == "" {
			left[u.Interview] = true
		}
	}
	if len(left) == 0 {
		return
	}
	p, err := solver.NewPlanner(nq.keepOnly(in, func(id string) bool { return nq.target[id] || left[id] }))
	for i := range nq.unreachable {
		u := &nq.unreachable[i]
		if !left[u.Interview] {
			continue
		}
		u.Reason = solver.ReasonCapacity // when the planner cannot say
		if err != nil {
			continue
		}
		sg, serr := p.Suggest(solver.SuggestRequest{Interview: u.Interview, K: 1})
		if serr == nil && sg.Reason != "" {
			u.Reason, u.Detail = sg.Reason, sg.Detail
		}
	}
}

// reprioritise is the answer's re-prioritisation: the baseline leaves
// held target interviews out, the plan r holds them all with no unit
// added; what it leaves out of the others beyond the baseline (net: their
// number and priority) moves later.
func (nq *needQuery) reprioritise(base, r *RunResult, held int) *Reprioritise {
	others := func(s *solver.Schedule) (map[string]bool, int64) {
		out, prio := map[string]bool{}, int64(0)
		for _, u := range s.Unscheduled {
			if !nq.target[u.Interview] {
				out[u.Interview] = true
			}
		}
		for i := range nq.base.Interviews {
			if out[nq.base.Interviews[i].ID] {
				prio += int64(nq.base.Interviews[i].Prio())
			}
		}
		return out, prio
	}
	bo, bp := others(base.Schedule)
	ro, rp := others(r.Schedule)
	return &Reprioritise{Held: held, Others: max(0, len(ro)-len(bo)), OthersPriority: max(0, rp-bp)}
}

// languageOf reports whether an interview in language lang is one of query:
// the same tag (case-insensitively), or of its dialects when query is a
// primary language tag ("ar" takes "ar-SY", "ar-SY" takes only "ar-SY").
func languageOf(query, lang string) bool {
	if strings.EqualFold(query, lang) {
		return true
	}
	primary, _, _ := strings.Cut(lang, "-")
	return !strings.Contains(query, "-") && strings.EqualFold(query, primary)
}
