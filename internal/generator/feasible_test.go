package generator

import (
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/asylum-scheduling/interviews/solver"
)

// feasibility is a deliberately naive, independent reading of the hard rules
// of formats.md for one interview placed next to the pinned bookings: it
// enumerates every (date, start, room, interviewer, interpreter, mode) and
// reports whether one satisfies every rule not in skip. The test data are
// checked with it: a rule file's X must have no option, and one once the
// file's rule is dropped.
type feasibility struct {
	in     *solver.Instance
	loc    *time.Location
	rooms  map[string]*solver.Room
	byID   map[string]*solver.Interview
	travel map[[2]string]int
	party  map[string]*solver.Party
	pinned []placed
	merged map[*solver.Interval][]span // merged availability, by the list's first element
}

type span struct{ start, end time.Time }

type placed struct {
	iv          *solver.Interview
	span        span
	date        solver.Date
	location    string
	room        string
	interviewer string
	interpreter string
	mode        string
}

func newFeasibility(t testing.TB, in *solver.Instance) *feasibility {
	t.Helper()
	loc, err := time.LoadLocation(in.Timezone)
	if err != nil {
		t.Fatal(err)
	}
	f := &feasibility{in: in, loc: loc, rooms: map[string]*solver.Room{}, byID: map[string]*solver.Interview{}, travel: map[[2]string]int{},
		party: map[string]*solver.Party{}, merged: map[*solver.Interval][]span{}}
	for i := range in.Parties {
		f.party[in.Parties[i].ID] = &in.Parties[i]
	}
	for i := range in.Rooms {
		f.rooms[in.Rooms[i].ID] = &in.Rooms[i]
	}
	for i := range in.Interviews {
		f.byID[in.Interviews[i].ID] = &in.Interviews[i]
	}
	for _, tr := range in.TravelMinutes {
		f.travel[[2]string{tr.From, tr.To}] = tr.Minutes
		f.travel[[2]string{tr.To, tr.From}] = tr.Minutes
	}
	for _, b := range in.Bookings {
		if !b.Pinned {
			continue
		}
		st, err := solver.ParseInstant(b.Start)
		if err != nil {
			t.Fatal(err)
		}
		iv := f.byID[b.Interview]
		f.pinned = append(f.pinned, placed{
			iv: iv, span: span{st, st.Add(time.Duration(iv.DurationMinutes) * time.Minute)},
			date: solver.DateOf(st, loc), location: f.rooms[b.Room].Location,
			room: b.Room, interviewer: b.Interviewer, interpreter: b.Interpreter, mode: b.Mode,
		})
	}
	return f
}

// covers reports whether x lies inside one interval of the merged list; a nil
// list is always when nilAlways.
func (f *feasibility) covers(list []solver.Interval, nilAlways bool, x span) bool {
	if list == nil {
		return nilAlways
	}
	if len(list) == 0 {
		return false
	}
	merged, ok := f.merged[&list[0]]
	if !ok {
		merged = mergeSpans(list)
		f.merged[&list[0]] = merged
	}
	for _, s := range merged {
		if !s.start.After(x.start) && !x.end.After(s.end) {
			return true
		}
	}
	return false
}

func mergeSpans(list []solver.Interval) []span {
	var ss []span
	for _, iv := range list {
		s, err1 := solver.ParseInstant(iv.Start)
		e, err2 := solver.ParseInstant(iv.End)
		if err1 == nil && err2 == nil && s.Before(e) {
			ss = append(ss, span{s, e})
		}
	}
	sort.Slice(ss, func(i, j int) bool { return ss[i].start.Before(ss[j].start) })
	var merged []span
	for _, s := range ss {
		if n := len(merged); n > 0 && !s.start.After(merged[n-1].end) {
			if s.end.After(merged[n-1].end) {
				merged[n-1].end = s.end
			}
			continue
		}
		merged = append(merged, s)
	}
	return merged
}

func overlaps(a, b span) bool { return a.start.Before(b.end) && b.start.Before(a.end) }

func hasAll(have, want []string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}

// feasible reports whether x has an option that keeps every hard rule not in
// skip, given the pinned bookings (all of them are ignored when 10 is
// skipped: they may then move away).
func (f *feasibility) feasible(x *solver.Interview, skip map[int]bool) bool {
	in := f.in
	grain := in.Grain()
	pinned := f.pinned
	if skip[10] {
		pinned = nil
	}
	var others []placed
	for _, p := range pinned {
		if p.iv.ID != x.ID {
			others = append(others, p)
		}
	}

	var starts []int
	if len(in.StartTimes) > 0 && !skip[1] {
		for _, s := range in.StartTimes {
			m, _ := solver.ParseClock(s)
			starts = append(starts, m)
		}
	} else {
		for m := 0; m < 1440; m += grain {
			starts = append(starts, m)
		}
	}
	hs, _ := solver.ParseDate(in.Horizon.Start)
	he, _ := solver.ParseDate(in.Horizon.End)
	lo, hi := hs, he
	if e, _ := solver.ParseDate(x.Earliest); e > lo {
		lo = e
	}
	if x.Latest != "" {
		if l, _ := solver.ParseDate(x.Latest); l < hi {
			hi = l
		}
	}
	if skip[2] {
		lo, hi = hs-14, he+14
	}
	dur := time.Duration(x.DurationMinutes) * time.Minute
	var interps []*solver.Interpreter
	for ti := range in.Interpreters {
		t := &in.Interpreters[ti]
		if ok, _ := solver.LanguageMatch(t.Languages, x.Language, x.DialectRequired); ok || skip[5] {
			interps = append(interps, t)
		}
	}

	for d := lo; d <= hi; d++ {
		mid := d.Midnight(f.loc)
		next := (d + 1).Midnight(f.loc)
		for _, m := range starts {
			st := mid.Add(time.Duration(m) * time.Minute)
			sp := span{st, st.Add(dur)}
			if !skip[1] && (m%grain != 0 || sp.end.After(next)) {
				continue
			}
			if !f.partiesOK(x, sp, others, skip) {
				continue
			}
			for ri := range in.Rooms {
				r := &in.Rooms[ri]
				if !f.roomOK(x, r, sp, others, skip) {
					continue
				}
				for ei := range in.Interviewers {
					e := &in.Interviewers[ei]
					if !f.interviewerOK(x, e, r, sp, d, others, skip) {
						continue
					}
					if !x.NeedsInterp() {
						return true
					}
					for _, t := range interps {
						for _, mode := range []string{solver.ModeOnsite, solver.ModeRemote} {
							if f.interpreterOK(x, t, mode, r, sp, d, others, skip) {
								return true
							}
						}
					}
				}
			}
		}
	}
	return false
}

func (f *feasibility) partiesOK(x *solver.Interview, sp span, others []placed, skip map[int]bool) bool {
	for _, id := range x.Parties {
		if !skip[9] && !f.covers(f.party[id].Availability, true, sp) {
			return false
		}
		if !skip[6] {
			for _, o := range others {
				if slices.Contains(o.iv.Parties, id) && overlaps(o.span, sp) {
					return false
				}
			}
		}
	}
	return true
}

func (f *feasibility) roomOK(x *solver.Interview, r *solver.Room, sp span, others []placed, skip map[int]bool) bool {
	if !skip[3] && (!slices.Contains(x.Locations, r.Location) || !hasAll(r.Features, x.RoomFeatures) || !f.covers(r.Availability, true, sp)) {
		return false
	}
	if !skip[6] {
		for _, o := range others {
			if o.room == r.ID && overlaps(o.span, sp) {
				return false
			}
		}
	}
	return true
}

func (f *feasibility) interviewerOK(x *solver.Interview, e *solver.Interviewer, r *solver.Room, sp span, d solver.Date, others []placed, skip map[int]bool) bool {
	if !skip[4] {
		if e.Location != r.Location || !hasAll(e.Skills, x.InterviewerSkills) ||
			(x.InterviewerGender != "" && x.InterviewerGender != e.Gender) ||
			slices.Contains(x.ExcludedInterviewers, e.ID) || !f.covers(e.Availability, false, sp) {
			return false
		}
		if !x.NeedsInterp() {
			if ok, _ := solver.LanguageMatch(e.Languages, x.Language, x.DialectRequired); !ok {
				return false
			}
		}
	}
	n := 1
	for _, o := range others {
		if o.interviewer != e.ID {
			continue
		}
		if !skip[6] && overlaps(o.span, sp) {
			return false
		}
		if o.date == d {
			n++
		}
	}
	return skip[8] || e.MaxInterviewsPerDay == nil || n <= *e.MaxInterviewsPerDay
}

func (f *feasibility) interpreterOK(x *solver.Interview, t *solver.Interpreter, mode string, r *solver.Room, sp span, d solver.Date, others []placed, skip map[int]bool) bool {
	if !skip[3] && mode == solver.ModeRemote && !slices.Contains(r.Features, "video") {
		return false
	}
	if !skip[5] {
		if ok, _ := solver.LanguageMatch(t.Languages, x.Language, x.DialectRequired); !ok {
			return false
		}
		want := x.WantMode()
		if !hasAll(t.Skills, x.InterpreterSkills) || (x.InterpreterGender != "" && x.InterpreterGender != t.Gender) ||
			slices.Contains(x.ExcludedInterpreters, t.ID) || !f.covers(t.Availability, false, sp) ||
			!slices.Contains(t.Modes, mode) || (want == solver.WantOnsite && mode != solver.ModeOnsite) ||
			(want == solver.WantRemote && mode != solver.ModeRemote) ||
			(mode == solver.ModeOnsite && !slices.Contains(t.Locations, r.Location)) {
			return false
		}
	}
	minutes := x.DurationMinutes
	for _, o := range others {
		if o.interpreter != t.ID {
			continue
		}
		if !skip[6] && overlaps(o.span, sp) {
			return false
		}
		if o.date != d {
			continue
		}
		minutes += o.iv.DurationMinutes
		if !skip[7] && mode == solver.ModeOnsite && o.mode == solver.ModeOnsite && o.location != r.Location {
			need, ok := f.travel[[2]string{o.location, r.Location}]
			if !ok {
				return false
			}
			gap := sp.start.Sub(o.span.end)
			if sp.start.Before(o.span.start) {
				gap = o.span.start.Sub(sp.end)
			}
			if gap < time.Duration(need)*time.Minute {
				return false
			}
		}
	}
	return skip[8] || t.MaxMinutesPerDay == nil || minutes <= *t.MaxMinutesPerDay
}
