package solver

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
)

// Suggestion is one way to hold an interview, with the change of the score
// it causes against the current bookings and why it is a good one.
type Suggestion struct {
	Rank int `json:"rank"`
	Assignment
	// Delta is the score after taking this option minus the score now:
	// medium falls by the interview's priority when it was unbooked.
	Delta       Score  `json:"delta"`
	Explanation string `json:"explanation"`
	// Why is Explanation as codes, for pages that word it in their own
	// language.
	Why []Why `json:"why"`
}

// Why is one reason an option is a good one (or what it costs), as a code
// with its number: "days_after_first" with N 2 is "2 days after the
// earliest date with a free slot".
type Why struct {
	// Code is one of the Why* constants.
	Code string `json:"code"`
	// N is the number the code speaks of: days for the day codes, cost
	// units for the cost codes.
	N int64 `json:"n,omitempty"`
	// Cheapest is the cheapest option's cost, with WhyCost.
	Cheapest int64 `json:"cheapest,omitempty"`
	// Language is the language or dialect tag the dialect codes speak of.
	Language string `json:"language,omitempty"`
}

// The codes of Why.
const (
	WhyEarliestAllowed = "earliest_allowed" // on the earliest date allowed
	WhyFirstFree       = "first_free"       // on the earliest date with a free slot
	WhyDaysAfterFirst  = "days_after_first" // N days after the earliest date with a free slot
	WhyBeforeDeadline  = "before_deadline"
	WhyPastDeadline    = "past_deadline" // N days past the deadline
	WhyOnsite          = "onsite"
	WhyRemote          = "remote"
	WhyRemotePreferOn  = "remote_prefer_onsite" // remote although on site is preferred
	WhyDialectMissed   = "dialect_missed"       // speaks the language but not the dialect Language
	WhyDialect         = "dialect"              // speaks the dialect Language
	WhyCheapest        = "cheapest"             // the cheapest interpreter option, cost N
	WhyCost            = "cost"                 // interpreter cost N, cheapest Cheapest
	WhyPreferred       = "preferred_interviewer"
	WhyNotPreferred    = "not_preferred_interviewer"
	WhyCurrent         = "current_booking"
)

// Suggestions answers Suggest. When Options is empty, Reason and Detail say
// why, and EarliestPossible, when set, is the first date on which the
// interview would become feasible if the horizon (and its latest date) were
// longer.
type Suggestions struct {
	Interview        string       `json:"interview"`
	Options          []Suggestion `json:"options"`
	Reason           string       `json:"reason,omitempty"`
	Detail           string       `json:"detail,omitempty"`
	EarliestPossible string       `json:"earliest_possible,omitempty"`
}

// SuggestRequest asks for options for one interview.
type SuggestRequest struct {
	Interview string
	K         int    // number of options (default 5)
	From, To  string // optional local dates narrowing the window
}

// Suggest returns the k best feasible options for one interview given the
// current bookings of the instance (all of them stay as they are; the
// interview's own booking, if any, may move), ranked by the score change
// they cause. Options differ meaningfully: first one per day and pair of
// interviewer and interpreter; then, if fewer than k, others with the same
// people at another time of the day or in another mode. Never two with the
// same people and mode at overlapping times (another room or a shift of half
// an hour is no real alternative), so fewer than k may come back.
func Suggest(in *Instance, interviewID string, k int) (*Suggestions, error) {
	return SuggestFor(in, SuggestRequest{Interview: interviewID, K: k})
}

// SuggestFor is Suggest with a date window.
func SuggestFor(in *Instance, req SuggestRequest) (*Suggestions, error) {
	p, err := NewPlanner(in)
	if err != nil {
		return nil, err
	}
	return p.Suggest(req)
}

// Planner answers many questions about one instance, which it validates and
// compiles once. It is safe for concurrent use; the instance must not change
// while the planner is in use.
type Planner struct {
	in *Instance
	m  *model

	// open is the state with every booking in place, built once: the
	// state EarliestFit searches for an interview without a booking of
	// its own (visit only reads it, so concurrent calls may share it).
	openOnce sync.Once
	open     *state
}

// NewPlanner validates and compiles an instance.
func NewPlanner(in *Instance) (*Planner, error) {
	if err := Validate(in); err != nil {
		return nil, err
	}
	m, err := compile(in, 0)
	if err != nil {
		return nil, err
	}
	return &Planner{in: in, m: m}, nil
}

// Suggest is SuggestFor on the planner's instance: it reads the request's
// window, scores every feasible option against the bookings as they stand,
// keeps k that differ meaningfully, and says why when there is none.
func (p *Planner) Suggest(req SuggestRequest) (*Suggestions, error) {
	m := p.m
	i, ok := m.ivIdx[req.Interview]
	if !ok {
		return nil, &ValidationError{doc: "request", Problems: []Problem{{"interview", fmt.Sprintf("unknown interview %q", req.Interview)}}}
	}
	k := req.K
	if k <= 0 {
		k = 5
	}
	firstDay, lastDay, err := m.suggestWindow(req)
	if err != nil {
		return nil, err
	}
	st := bookedState(m, i)
	out := &Suggestions{Interview: req.Interview, Options: []Suggestion{}}
	mi := m.ivs[i]
	cands := st.suggestCandidates(i, firstDay, lastDay)
	chosen := chooseSuggestions(mi, cands, k)
	earliestDay, cheapest := int16(1<<14), int64(1<<62)
	for _, c := range cands {
		earliestDay = min(earliestDay, c.o.day)
		cheapest = min(cheapest, m.parts(mi, c.o).Cost)
	}
	for r, c := range chosen {
		out.Options = append(out.Options, Suggestion{
			Rank:       r + 1,
			Assignment: m.assignment(mi, c.o),
			Delta:      c.delta,
		})
		o := &out.Options[len(out.Options)-1]
		o.Explanation, o.Why = m.explainOption(mi, c.o, earliestDay, cheapest)
	}
	if len(out.Options) > 0 {
		return out, nil
	}
	out.Reason, out.Detail = newExplainer(m, st).explain(i)
	if firstDay > mi.first || lastDay < mi.lastHard {
		out.Detail += fmt.Sprintf(" (only dates %s to %s were searched)", (m.day0 + Date(max(firstDay, mi.first))).String(), (m.day0 + Date(min(lastDay, mi.lastHard))).String())
	}
	if d, ok := earliestPossible(p.in, i); ok {
		out.EarliestPossible = d.String()
	}
	return out, nil
}

// EarliestFit is the first local date from from through to (either may be
// "": the horizon's start or end) on which interview has a feasible
// option, with every booking as it stands and its own set aside, within
// its window as Suggest sees it; false when there is none. It stops at the
// first option, so it costs far less than Suggest.
func (p *Planner) EarliestFit(interview, from, to string) (Date, bool, error) {
	m := p.m
	i, ok := m.ivIdx[interview]
	if !ok {
		return 0, false, &ValidationError{doc: "request", Problems: []Problem{{"interview", fmt.Sprintf("unknown interview %q", interview)}}}
	}
	firstDay, lastDay, err := m.suggestWindow(SuggestRequest{From: from, To: to})
	if err != nil {
		return 0, false, err
	}
	var found option
	p.stateWithout(i).visit(i, min(lastDay, m.ivs[i].lastHard), false, nil, func(o option, _ int64) bool {
		if int(o.day) < firstDay {
			return true
		}
		found = o
		return false
	})
	if !found.ok {
		return 0, false, nil
	}
	return m.day0 + Date(found.day), true, nil
}

// stateWithout is the state with every booking in place but interview i's
// own: a fresh one for a booked interview, else the shared open state (a
// shortage page asks this of thousands of pending interviews; building a
// state each time made that page take seconds on a full month).
func (p *Planner) stateWithout(i int) *state {
	if b := p.m.ivs[i].booking; b != nil && b.onAxis {
		return bookedState(p.m, i)
	}
	p.openOnce.Do(func() { p.open = bookedState(p.m, -1) })
	return p.open
}

// suggestWindow returns the axis days a request narrows the search to
// (the whole axis by default), or the problems of its dates.
func (m *model) suggestWindow(req SuggestRequest) (firstDay, lastDay int, err error) {
	firstDay, lastDay = 0, m.nDays-1
	var probs []Problem
	if req.From != "" {
		d, err := ParseDate(req.From)
		if err != nil {
			probs = append(probs, Problem{"from", err.Error()})
		}
		firstDay = int(d - m.day0)
	}
	if req.To != "" {
		d, err := ParseDate(req.To)
		if err != nil {
			probs = append(probs, Problem{"to", err.Error()})
		}
		lastDay = int(d - m.day0)
	}
	if req.From != "" && req.To != "" && lastDay < firstDay {
		probs = append(probs, Problem{"to", fmt.Sprintf("%s is before from %s", req.To, req.From)})
	}
	if len(probs) > 0 {
		return 0, 0, &ValidationError{doc: "request", Problems: probs}
	}
	return firstDay, lastDay, nil
}

// suggestCand is a feasible option with the change of the score it causes.
type suggestCand struct {
	o     option
	delta Score
}

// suggestCandidates scores every feasible option of interview i within the
// days against the score now (with its own booking, when that still holds),
// best first.
func (st *state) suggestCandidates(i, firstDay, lastDay int) []suggestCand {
	mi := st.m.ivs[i]
	before := st.score()
	if b := mi.booking; b != nil && b.onAxis && !b.b.Pinned && st.feasible(i, b.opt) {
		st.assign(i, b.opt)
		before = st.score()
		st.unassign(i)
	}
	var cands []suggestCand
	st.visit(i, min(lastDay, mi.lastHard), true, nil, func(o option, _ int64) bool {
		if int(o.day) < firstDay {
			return true
		}
		st.assign(i, o)
		after := st.score()
		st.unassign(i)
		cands = append(cands, suggestCand{o, diffScore(after, before)})
		return true
	})
	sortSuggestions(cands)
	return cands
}

// sortSuggestions orders by medium, then soft change, then start.
func sortSuggestions(cands []suggestCand) {
	sort.SliceStable(cands, func(a, b int) bool {
		x, y := cands[a], cands[b]
		if x.delta.Medium != y.delta.Medium {
			return x.delta.Medium < y.delta.Medium
		}
		if x.delta.Soft != y.delta.Soft {
			return x.delta.Soft < y.delta.Soft
		}
		return x.o.start < y.o.start
	})
}

// chooseSuggestions picks up to k of the ranked candidates that differ
// meaningfully: first one per day and pair of people, then, if fewer than
// k, others of the same people at another time of the day or in another
// mode; never the same people and mode at overlapping times.
func chooseSuggestions(mi *mInterview, cands []suggestCand, k int) []suggestCand {
	var chosen []suggestCand
	similar := func(a, b option, strict bool) bool {
		if strict { // another day or other people
			return a.day == b.day && a.ivr == b.ivr && a.itp == b.itp
		}
		// the same people in the same mode at overlapping times of one day
		return a.day == b.day && a.ivr == b.ivr && a.itp == b.itp && a.mode == b.mode && absInt(int(a.start-b.start)) < mi.durSlots
	}
	for _, strict := range []bool{true, false} {
		for _, c := range cands {
			if len(chosen) >= k {
				break
			}
			dup := false
			for _, x := range chosen {
				dup = dup || similar(c.o, x.o, strict) || c.o.sameAs(x.o)
			}
			if !dup {
				chosen = append(chosen, c)
			}
		}
	}
	sortSuggestions(chosen)
	return chosen
}

// bookedState returns a state holding every booking of the instance as it
// stands, except interview skip's own.
func bookedState(m *model, skip int) *state {
	st := newState(m)
	for j, mj := range m.ivs {
		if j == skip || mj.booking == nil || !mj.booking.onAxis {
			continue
		}
		st.assign(j, mj.booking.opt)
		st.fixed[j] = true
	}
	return st
}

func diffScore(a, b Score) Score {
	c := Components{
		Wait:       a.Components.Wait - b.Components.Wait,
		Late:       a.Components.Late - b.Components.Late,
		Cost:       a.Components.Cost - b.Components.Cost,
		Remote:     a.Components.Remote - b.Components.Remote,
		Dialect:    a.Components.Dialect - b.Components.Dialect,
		Continuity: a.Components.Continuity - b.Components.Continuity,
		Fairness:   a.Components.Fairness - b.Components.Fairness,
		Change:     a.Components.Change - b.Components.Change,
	}
	return Score{Hard: a.Hard - b.Hard, Medium: a.Medium - b.Medium, Soft: a.Soft - b.Soft, Components: c}
}

// explainOption says in a few words why an option is a good one, in
// English and as codes.
func (m *model) explainOption(mi *mInterview, o option, earliestDay int16, cheapest int64) (string, []Why) {
	why := m.whyOption(mi, o, earliestDay, cheapest)
	words := make([]string, len(why))
	for i, w := range why {
		words[i] = w.English()
	}
	start := m.timeOf(int(o.start)).In(m.loc)
	return fmt.Sprintf("%s at %s: %s", start.Format("Mon 2 Jan 15:04"), m.in.Locations[o.loc].Name, strings.Join(words, "; ")), why
}

// whyOption lists the reasons explainOption words.
func (m *model) whyOption(mi *mInterview, o option, earliestDay int16, cheapest int64) []Why {
	var why []Why
	date := m.day0 + Date(o.day)
	switch {
	case date == mi.earliest:
		why = append(why, Why{Code: WhyEarliestAllowed})
	case o.day == earliestDay:
		why = append(why, Why{Code: WhyFirstFree})
	default:
		why = append(why, Why{Code: WhyDaysAfterFirst, N: int64(o.day - earliestDay)})
	}
	if mi.hasDead {
		if date > mi.deadline {
			why = append(why, Why{Code: WhyPastDeadline, N: int64(date - mi.deadline)})
		} else {
			why = append(why, Why{Code: WhyBeforeDeadline})
		}
	}
	switch o.mode {
	case modeOnsite:
		why = append(why, Why{Code: WhyOnsite})
	case modeRemote:
		if mi.preferOn {
			why = append(why, Why{Code: WhyRemotePreferOn})
		} else {
			why = append(why, Why{Code: WhyRemote})
		}
	}
	if o.itp >= 0 {
		p := m.parts(mi, o)
		if p.Dialect > 0 {
			why = append(why, Why{Code: WhyDialectMissed, Language: mi.iv.Language})
		} else if strings.Contains(mi.iv.Language, "-") {
			why = append(why, Why{Code: WhyDialect, Language: mi.iv.Language})
		}
		if p.Cost == cheapest {
			why = append(why, Why{Code: WhyCheapest, N: p.Cost})
		} else {
			why = append(why, Why{Code: WhyCost, N: p.Cost, Cheapest: cheapest})
		}
	}
	if mi.preferred >= 0 {
		if int(o.ivr) == mi.preferred {
			why = append(why, Why{Code: WhyPreferred})
		} else {
			why = append(why, Why{Code: WhyNotPreferred})
		}
	}
	if b := mi.booking; b != nil && b.onAxis && o.sameAs(b.opt) {
		why = append(why, Why{Code: WhyCurrent})
	}
	return why
}

// English words the reason as the API's explanation does.
func (w Why) English() string {
	switch w.Code {
	case WhyEarliestAllowed:
		return "on the earliest date allowed"
	case WhyFirstFree:
		return "on the earliest date with a free slot"
	case WhyDaysAfterFirst:
		return fmt.Sprintf("%d day(s) after the earliest date with a free slot", w.N)
	case WhyBeforeDeadline:
		return "before the deadline"
	case WhyPastDeadline:
		return fmt.Sprintf("%d day(s) past the deadline", w.N)
	case WhyOnsite:
		return "interpreter on site"
	case WhyRemote:
		return "remote interpretation by video"
	case WhyRemotePreferOn:
		return "remote interpretation although on site is preferred"
	case WhyDialectMissed:
		return "interpreter speaks " + primarySubtag(w.Language) + " but not the " + w.Language + " dialect"
	case WhyDialect:
		return "interpreter speaks the " + w.Language + " dialect"
	case WhyCheapest:
		return fmt.Sprintf("cheapest interpreter option (%d)", w.N)
	case WhyCost:
		return fmt.Sprintf("interpreter cost %d (cheapest %d)", w.N, w.Cheapest)
	case WhyPreferred:
		return "with the preferred interviewer"
	case WhyNotPreferred:
		return "not the preferred interviewer"
	case WhyCurrent:
		return "the current booking"
	}
	return w.Code
}

// earliestPossible finds the first date on which interview i would have a
// feasible option, given the current bookings, if the horizon and the
// interview's latest date were extended up to the last instant anyone is
// available (at most a year).
func earliestPossible(in *Instance, i int) (Date, bool) {
	hEnd, err := ParseDate(in.Horizon.End)
	if err != nil {
		return 0, false
	}
	var lastEnd time.Time
	scan := func(ivs []Interval) {
		for _, iv := range ivs {
			if e, err := ParseInstant(iv.End); err == nil && e.After(lastEnd) {
				lastEnd = e
			}
		}
	}
	for _, e := range in.Interviewers {
		scan(e.Availability)
	}
	for _, t := range in.Interpreters {
		scan(t.Availability)
	}
	loc, err := time.LoadLocation(in.Timezone)
	if err != nil || lastEnd.IsZero() {
		return 0, false
	}
	ext := int(DateOf(lastEnd, loc) - hEnd)
	if ext <= 0 {
		ext = 0
	}
	ext = min(ext, 366)
	m, err := compile(in, ext)
	if err != nil {
		return 0, false
	}
	st := bookedState(m, i)
	var found option
	st.visit(i, m.nDays-1, false, nil, func(o option, _ int64) bool {
		found = o
		return false
	})
	if !found.ok {
		return 0, false
	}
	return m.day0 + Date(found.day), true
}
