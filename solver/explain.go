package solver

import (
	"fmt"
	"strings"
)

// explainer finds why an interview has no option in a state.
type explainer struct {
	m     *model
	st    *state
	empty *state // nothing booked: what is feasible "on its own"
	// untried: interviews construction never reached before the time
	// limit; whether they fit is not known, and not asked after the limit.
	untried map[int]bool
}

func newExplainer(m *model, st *state) *explainer {
	return &explainer{m: m, st: st}
}

func (ex *explainer) emptyState() *state {
	if ex.empty == nil {
		ex.empty = newState(ex.m)
	}
	return ex.empty
}

func (m *model) placeNames(mi *mInterview) string {
	names := make([]string, len(mi.locs))
	for k, l := range mi.locs {
		names[k] = m.in.Locations[l].Name
	}
	return joinOr(names)
}

func joinOr(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " or " + xs[len(xs)-1]
}

func hours(min int) string {
	if min%60 == 0 {
		if min == 60 {
			return "1-hour"
		}
		return fmt.Sprintf("%d-hour", min/60)
	}
	return fmt.Sprintf("%d-minute", min)
}

// window describes the interview's window of start dates.
func (m *model) window(mi *mInterview) string {
	if mi.first == mi.lastHard {
		return "on " + (m.day0 + Date(mi.first)).String()
	}
	return fmt.Sprintf("between %s and %s", (m.day0 + Date(mi.first)).String(), (m.day0 + Date(mi.lastHard)).String())
}

// explain returns the reason code and a sentence for an interview that has
// no option in ex.st. It asks, in order: does the window allow a start at
// all; is anyone qualified registered; was it tried before the time
// limit; does it fit an empty schedule (then
// it is capacity); which kind of resource is never available when the
// others are.
func (ex *explainer) explain(i int) (string, string) {
	m := ex.m
	mi := m.ready(m.ivs[i])
	starts := m.startSlots(mi.durSlots)
	if code, why := m.explainWindow(mi, starts); code != "" {
		return code, why
	}
	if code, why := m.explainQualified(mi); code != "" {
		return code, why
	}
	if ex.untried[i] {
		return ReasonCapacity, "not tried: the time limit ran out before the solver reached this interview"
	}
	if m.fitsAlone(i) {
		return ReasonCapacity, fmt.Sprintf("every option %s is taken by other interviews", m.window(mi))
	}
	return m.explainUnavailable(ex.emptyState(), i, mi, starts)
}

// explainWindow: no start date or time is possible in the window.
func (m *model) explainWindow(mi *mInterview, starts [][]int32) (string, string) {
	iv := mi.iv
	for d := mi.first; d <= mi.lastHard && d < m.nDays; d++ {
		if len(starts[d]) > 0 {
			return "", ""
		}
	}
	hs, he := m.day0, m.day0+Date(m.hDays-1)
	switch {
	case mi.earliest > he:
		return ReasonWindowClosed, fmt.Sprintf("the earliest date %s is after the planning horizon, which ends %s", iv.Earliest, he)
	case iv.Latest != "" && mustDate(iv.Latest) < hs:
		return ReasonWindowClosed, fmt.Sprintf("the latest date %s is before the planning horizon, which starts %s", iv.Latest, hs)
	case mi.first > mi.lastHard:
		return ReasonWindowClosed, fmt.Sprintf("no start date is left between the earliest date %s and the latest %s", iv.Earliest, iv.Latest)
	}
	return ReasonWindowClosed, fmt.Sprintf("no allowed start time leaves room for a %s interview before midnight %s", hours(mi.durMin), m.window(mi))
}

// explainQualified: no interpreter of the language, room, interviewer or
// interpreter that may take the case is registered at all.
func (m *model) explainQualified(mi *mInterview) (string, string) {
	iv := mi.iv
	lang, places := langName(iv.Language), m.placeNames(mi)
	if mi.needInterp && !mi.langAny {
		if iv.DialectRequired {
			return ReasonNoInterpreterLanguage, fmt.Sprintf("no interpreter for %s with the required dialect is registered", lang)
		}
		return ReasonNoInterpreterLanguage, fmt.Sprintf("no %s interpreter is registered", lang)
	}
	anyRoom, anyVideo := false, false
	for li := range mi.locs {
		for _, r := range mi.rooms[li] {
			anyRoom = true
			anyVideo = anyVideo || m.rooms[r].video
		}
	}
	if !anyRoom {
		if len(iv.RoomFeatures) > 0 {
			return ReasonNoRoom, fmt.Sprintf("no room at %s has all of: %s", places, strings.Join(iv.RoomFeatures, ", "))
		}
		return ReasonNoRoom, fmt.Sprintf("there is no room at %s", places)
	}
	if mi.needInterp && !mi.allow[modeOnsite] && !anyVideo {
		return ReasonNoRoom, fmt.Sprintf("remote interpretation needs a video room, and %s has none that fits", places)
	}
	anyIvr := false
	for li := range mi.locs {
		anyIvr = anyIvr || len(mi.ivrs[li]) > 0
	}
	if !anyIvr {
		var need []string
		if len(iv.InterviewerSkills) > 0 {
			need = append(need, "trained in "+strings.Join(iv.InterviewerSkills, " and "))
		}
		if iv.InterviewerGender != "" {
			need = append(need, "of gender "+iv.InterviewerGender)
		}
		if !mi.needInterp {
			need = append(need, "speaking "+lang)
		}
		return ReasonNoInterviewer, fmt.Sprintf("no interviewer at %s %s", places, whoNeeded(need))
	}
	if mi.needInterp && len(mi.interps) == 0 {
		var need []string
		if iv.InterpreterGender != "" {
			need = append(need, "of gender "+iv.InterpreterGender)
		}
		if len(iv.InterpreterSkills) > 0 {
			need = append(need, "trained in "+strings.Join(iv.InterpreterSkills, " and "))
		}
		if iv.WantMode() == WantOnsite || iv.WantMode() == WantRemote {
			need = append(need, "working "+iv.WantMode())
		}
		if len(iv.ExcludedInterpreters) > 0 {
			need = append(need, "not excluded from the case")
		}
		return ReasonNoInterpreterAvailable, fmt.Sprintf("%s interpreters are registered, but none %s", lang, whoNeeded(need))
	}
	return "", ""
}

func whoNeeded(need []string) string {
	if len(need) == 0 {
		return "who may take the case"
	}
	return strings.Join(need, ", ")
}

// explainUnavailable names the kind of resource that is never available,
// in an empty schedule, when the others are: rooms, then interviewers,
// then interpreters, then the parties.
func (m *model) explainUnavailable(empty *state, i int, mi *mInterview, starts [][]int32) (string, string) {
	lang, places := langName(mi.iv.Language), m.placeNames(mi)
	type cand struct{ d, s, li int }
	var cands []cand
	for d := mi.first; d <= mi.lastHard; d++ {
		for _, s := range starts[d] {
			for li := range mi.locs {
				cands = append(cands, cand{d, int(s), li})
			}
		}
	}
	filter := func(keep func(c cand) bool) {
		out := cands[:0]
		for _, c := range cands {
			if keep(c) {
				out = append(out, c)
			}
		}
		cands = out
	}
	roomOpen := func(c cand, md int) bool {
		for _, r := range mi.rooms[c.li] {
			if (md != modeRemote || m.rooms[r].video) && empty.free[m.rooms[r].gid].allSet(c.s, c.s+mi.durSlots) {
				return true
			}
		}
		return false
	}
	filter(func(c cand) bool { return roomOpen(c, modeOnsite) })
	if len(cands) == 0 {
		return ReasonNoRoom, fmt.Sprintf("no fitting room at %s is open %s", places, m.window(mi))
	}
	filter(func(c cand) bool {
		for _, e := range mi.ivrs[c.li] {
			if empty.interviewerFree(e, c.d, c.s, c.s+mi.durSlots) {
				return true
			}
		}
		return false
	})
	if len(cands) == 0 {
		return ReasonNoInterviewer, fmt.Sprintf("no qualified interviewer at %s is available when a room is open %s", places, m.window(mi))
	}
	if mi.needInterp {
		filter(func(c cand) bool {
			for _, ci := range mi.interps {
				for md := 0; md < 2; md++ {
					if ci.ok[md] && roomOpen(c, md) && empty.interpFree(mi, ci.t, md, mi.locs[c.li], int16(c.d), c.s, c.s+mi.durSlots, i) {
						return true
					}
				}
			}
			return false
		})
		if len(cands) == 0 {
			where := "at " + places + " or remotely"
			if !mi.allow[modeRemote] {
				where = "on site at " + places
			} else if !mi.allow[modeOnsite] {
				where = "remotely"
			}
			return ReasonNoInterpreterAvailable, fmt.Sprintf("no %s interpreter is available %s %s, at a time when an interviewer and a room are free", lang, where, m.window(mi))
		}
	}
	// name the parties who are never free when everyone else is
	var who []string
	for _, p := range mi.parties {
		free := false
		for _, c := range cands {
			free = free || empty.free[m.parties[p].gid].allSet(c.s, c.s+mi.durSlots)
		}
		if !free {
			who = append(who, m.parties[p].p.Kind+" "+m.parties[p].p.ID)
		}
	}
	if len(who) == 0 {
		who = []string{"the counsel and representative"}
	}
	return ReasonPartyUnavailable, fmt.Sprintf("%s is not available when an interviewer, an interpreter and a room are free %s", joinAnd(who), m.window(mi))
}

func joinAnd(xs []string) string {
	if len(xs) <= 1 {
		return strings.Join(xs, "")
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

func mustDate(s string) Date {
	d, _ := ParseDate(s)
	return d
}
