package capacity

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/asylum-scheduling/interviews/solver"
)

// fit.go is the one answer to "when would this interview first fit, and
// why not sooner?", which the case page (nothing fits) and the shortage
// page (which languages are short) both give: the search covers the
// interview's window from a date through its deadline and FitWeeks weeks
// beyond it, with every booking as it stands and the interview's own latest
// date set aside (the first day it would fit, were the window longer).

// FitWeeks is how many weeks past an interview's deadline the search for
// the first day it would fit goes on.
const FitWeeks = 8

// Interpreter requirements that rule out interpreters who speak the
// language (Fit.Needs).
const (
	NeedGender   = "gender"   // the interview asks for an interpreter of a gender
	NeedSkills   = "skills"   // … with skills
	NeedMode     = "mode"     // … who works in one mode (on site, remote)
	NeedExcluded = "excluded" // some interpreters are excluded from the case
)

// Fit is where one interview stands: the first date with a time that fits,
// and why nothing fits before it.
type Fit struct {
	Interview string
	Language  string
	Exact     bool        // the interview requires the exact dialect
	Deadline  solver.Date // 0: none
	// From and SearchedTo are the dates searched.
	From, SearchedTo solver.Date
	// First is the first date with a time that fits (0: none up to
	// SearchedTo).
	First solver.Date
	// Reason is why nothing fits from From until First (until SearchedTo
	// when nothing fits): a solver reason code (solver.Reason…); "" when
	// a time fits on the first day searched. Only FitOf says it.
	Reason string
	// Speakers are the interpreters of the language (and dialect when
	// required); Qualified those of them who meet the interview's
	// requirements; Needs the requirements that rule some out.
	Speakers, Qualified int
	Needs               []string
}

// Short reports whether no time fits by the deadline (by SearchedTo when
// the interview has none).
func (f *Fit) Short() bool {
	return f.First == 0 || f.Deadline != 0 && f.First > f.Deadline
}

// DaysLate is the number of days from the deadline to the first fit (0
// when it fits by the deadline, or there is none).
func (f *Fit) DaysLate() int {
	if f.First == 0 || f.Deadline == 0 || f.First <= f.Deadline {
		return 0
	}
	return int(f.First - f.Deadline)
}

// FitSearchEnd is the last date a search from the date from covers for iv:
// its deadline (else its latest date, else from), whichever is later than
// from, and FitWeeks weeks more.
func FitSearchEnd(iv *solver.Interview, from solver.Date) solver.Date {
	ref := from
	for _, s := range []string{iv.Deadline, iv.Latest} {
		if d, err := solver.ParseDate(s); err == nil {
			ref = max(ref, d)
			break
		}
	}
	return ref + solver.Date(7*FitWeeks)
}

// Fits answers for each interview of ids (those in the instance) when it
// would first fit from the date from, on the instance in, whose horizon
// should reach FitSearchEnd of each (the search stops at the horizon's
// end). It does not say why (see FitOf): the shortage page asks it for
// every pending interview.
func Fits(in *solver.Instance, from solver.Date, ids []string) (map[string]*Fit, error) {
	open, err := withoutLatest(in)
	if err != nil {
		return nil, err
	}
	p, err := solver.NewPlanner(open)
	if err != nil {
		return nil, err
	}
	hEnd, err := solver.ParseDate(in.Horizon.End)
	if err != nil {
		return nil, err
	}
	s := search{p: p}
	index := make(map[string]int, len(in.Interviews))
	for k := range in.Interviews {
		index[in.Interviews[k].ID] = k
	}
	who := whoMemo{}
	out := map[string]*Fit{}
	for _, id := range ids {
		k, ok := index[id]
		if !ok {
			continue
		}
		f := newFit(in, &in.Interviews[k], from, hEnd, who)
		if f.First, err = s.firstFit(id, f.From, f.SearchedTo); err != nil {
			return nil, err
		}
		out[id] = f
	}
	return out, nil
}

// FitOf is Fits for one interview, with the reason nothing fits before the
// first fit (or at all): the solver's explanation of the interview's window
// cut at the day before the first fit. Nil when the instance lacks it.
func FitOf(in *solver.Instance, from solver.Date, id string) (*Fit, error) {
	fits, err := Fits(in, from, []string{id})
	if err != nil {
		return nil, err
	}
	f := fits[id]
	if f == nil {
		return nil, nil
	}
	last := f.SearchedTo
	if f.First != 0 {
		last = f.First - 1
	}
	if last < f.From {
		return f, nil // fits on the first day
	}
	cut := *in
	cut.Interviews = slices.Clone(in.Interviews)
	for i := range cut.Interviews {
		if iv := &cut.Interviews[i]; iv.ID == id {
			iv.Earliest, iv.Latest = f.From.String(), last.String()
		}
	}
	sg, err := solver.SuggestFor(&cut, solver.SuggestRequest{Interview: id, K: 1})
	if err != nil {
		return nil, err
	}
	f.Reason = sg.Reason
	if f.Reason == "" { // cannot be: the search found nothing before First
		return nil, fmt.Errorf("capacity: %s fits before its first fit %s", id, f.First)
	}
	return f, nil
}

// withoutLatest is a copy of in whose interviews have no latest date.
func withoutLatest(in *solver.Instance) (*solver.Instance, error) {
	if in == nil {
		return nil, fmt.Errorf("capacity: no instance")
	}
	cp := *in
	cp.Interviews = slices.Clone(in.Interviews)
	for i := range cp.Interviews {
		cp.Interviews[i].Latest = ""
	}
	return &cp, nil
}

// newFit is the frame of interview iv's fit: its dates and who may take it
// (counted once per set of interpreter requirements in who).
func newFit(in *solver.Instance, iv *solver.Interview, from, hEnd solver.Date, who whoMemo) *Fit {
	f := &Fit{Interview: iv.ID, Language: iv.Language, Exact: iv.DialectRequired, From: from}
	if e, err := solver.ParseDate(iv.Earliest); err == nil {
		f.From = max(from, e)
	}
	if d, err := solver.ParseDate(iv.Deadline); err == nil {
		f.Deadline = d
	}
	f.SearchedTo = min(FitSearchEnd(iv, from), hEnd)
	if iv.NeedsInterp() {
		f.Speakers, f.Qualified, f.Needs = who.mayTake(in.Interpreters, iv)
	}
	return f
}

// whoMemo keeps whoMayTake's answers by the interpreter requirements they
// depend on: a full month has thousands of interviews but few such sets.
type whoMemo map[string]whoAnswer

type whoAnswer struct {
	speakers, qualified int
	needs               []string
}

// mayTake is whoMayTake, counted once per set of requirements.
func (w whoMemo) mayTake(its []solver.Interpreter, iv *solver.Interview) (speakers, qualified int, needs []string) {
	key := strings.Join([]string{iv.Language, strconv.FormatBool(iv.DialectRequired), iv.InterpreterGender, iv.WantMode(),
		strings.Join(iv.InterpreterSkills, ","), strings.Join(iv.ExcludedInterpreters, ",")}, "\x00")
	a, ok := w[key]
	if !ok {
		a.speakers, a.qualified, a.needs = whoMayTake(its, iv)
		w[key] = a
	}
	return a.speakers, a.qualified, slices.Clone(a.needs)
}

// whoMayTake counts the interpreters of iv's language and those of them
// who meet its requirements, and names the requirements that rule some
// out.
func whoMayTake(its []solver.Interpreter, iv *solver.Interview) (speakers, qualified int, needs []string) {
	ruled := map[string]bool{}
	for _, t := range its {
		if ok, _ := solver.LanguageMatch(t.Languages, iv.Language, iv.DialectRequired); !ok {
			continue
		}
		speakers++
		fails := map[string]bool{
			NeedGender:   iv.InterpreterGender != "" && t.Gender != iv.InterpreterGender,
			NeedSkills:   !containsAll(t.Skills, iv.InterpreterSkills),
			NeedMode:     !worksIn(t.Modes, iv.WantMode()),
			NeedExcluded: slices.Contains(iv.ExcludedInterpreters, t.ID),
		}
		ok := true
		for k, bad := range fails {
			if bad {
				ruled[k], ok = true, false
			}
		}
		if ok {
			qualified++
		}
	}
	for _, k := range []string{NeedGender, NeedSkills, NeedMode, NeedExcluded} {
		if ruled[k] {
			needs = append(needs, k)
		}
	}
	return speakers, qualified, needs
}

func containsAll(have, want []string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}

// worksIn reports whether an interpreter of modes can work as wanted.
func worksIn(modes []string, want string) bool {
	switch want {
	case solver.WantOnsite:
		return slices.Contains(modes, solver.ModeOnsite)
	case solver.WantRemote:
		return slices.Contains(modes, solver.ModeRemote)
	}
	return len(modes) > 0
}

// search asks a planner when an interview first fits.
type search struct {
	p *solver.Planner
}

// firstFit is the first date from from to to on which interview id has an
// option on the planner (0: none).
func (s search) firstFit(id string, from, to solver.Date) (solver.Date, error) {
	if to < from {
		return 0, nil
	}
	d, ok, err := s.p.EarliestFit(id, from.String(), to.String())
	if err != nil || !ok {
		return 0, err
	}
	return d, nil
}
