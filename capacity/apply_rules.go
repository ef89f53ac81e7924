package capacity

import (
	"math"
	"slices"
	"sort"
	"time"

	"github.com/asylum-scheduling/interviews/solver"
)

// pickRemoval returns the ids to remove: the listed ones, or count of the
// matching people with the least available time (the last by id among
// equals).
func (a *applier) pickRemoval(c *RemovePeople, path string, ids []string, avail [][]solver.Interval, match func(int) bool, what string) map[string]bool {
	out := map[string]bool{}
	if len(c.IDs) > 0 {
		if c.Count != 0 || c.Language != "" || c.Location != "" {
			a.p.add(path, "must give either ids or count (with language or location), not both")
			return nil
		}
		for i, id := range c.IDs {
			if !slices.Contains(ids, id) {
				a.p.add(idx(join(path, "ids"), i), "%q is not an %s of the instance", id, what)
			}
			out[id] = true
		}
		return out
	}
	if !a.count(c.Count, path) {
		return nil
	}
	var cands []int
	for i := range ids {
		if match(i) {
			cands = append(cands, i)
		}
	}
	if len(cands) < c.Count {
		a.p.add(join(path, "count"), "is %d but only %d %ss match", c.Count, len(cands), what)
		return nil
	}
	mins := make([]int64, len(ids))
	for _, i := range cands {
		mins[i] = a.w.minutes(avail[i])
	}
	sort.SliceStable(cands, func(x, y int) bool {
		i, j := cands[x], cands[y]
		if mins[i] != mins[j] {
			return mins[i] < mins[j]
		}
		return ids[i] > ids[j]
	})
	for _, i := range cands[:c.Count] {
		out[ids[i]] = true
	}
	return out
}

func (a *applier) removeInterpreters(c *RemovePeople, path string) {
	if c.Location != "" {
		a.p.add(join(path, "location"), "interpreters are removed by language, not location")
		return
	}
	if len(c.IDs) == 0 && !a.language(c.Language, join(path, "language")) {
		return
	}
	list := a.in.Interpreters
	ids, avail := make([]string, len(list)), make([][]solver.Interval, len(list))
	for i, t := range list {
		ids[i], avail[i] = t.ID, t.Availability
	}
	gone := a.pickRemoval(c, path, ids, avail, func(i int) bool {
		ok, _ := solver.LanguageMatch(list[i].Languages, c.Language, false)
		return ok
	}, "interpreter")
	if gone == nil {
		return
	}
	a.in.Interpreters = slices.DeleteFunc(a.in.Interpreters, func(t solver.Interpreter) bool { return gone[t.ID] })
	a.in.Bookings = slices.DeleteFunc(a.in.Bookings, func(b solver.Booking) bool { return gone[b.Interpreter] })
	for i := range a.in.Interviews {
		iv := &a.in.Interviews[i]
		iv.ExcludedInterpreters = slices.DeleteFunc(iv.ExcludedInterpreters, func(id string) bool { return gone[id] })
	}
}

func (a *applier) removeInterviewers(c *RemovePeople, path string) {
	if c.Language != "" {
		a.p.add(join(path, "language"), "interviewers are removed by location, not language")
		return
	}
	if len(c.IDs) == 0 && !a.location(c.Location, join(path, "location")) {
		return
	}
	list := a.in.Interviewers
	ids, avail := make([]string, len(list)), make([][]solver.Interval, len(list))
	for i, t := range list {
		ids[i], avail[i] = t.ID, t.Availability
	}
	gone := a.pickRemoval(c, path, ids, avail, func(i int) bool { return list[i].Location == c.Location }, "interviewer")
	if gone == nil {
		return
	}
	a.in.Interviewers = slices.DeleteFunc(a.in.Interviewers, func(t solver.Interviewer) bool { return gone[t.ID] })
	a.in.Bookings = slices.DeleteFunc(a.in.Bookings, func(b solver.Booking) bool { return gone[b.Interviewer] })
	for i := range a.in.Interviews {
		iv := &a.in.Interviews[i]
		iv.ExcludedInterviewers = slices.DeleteFunc(iv.ExcludedInterviewers, func(id string) bool { return gone[id] })
		if gone[iv.PreferredInterviewer] {
			iv.PreferredInterviewer = ""
		}
	}
}

var sessionResources = []string{"interviewers", "rooms", "interpreters", "parties"}

func (a *applier) extraSessions(c *ExtraSessions, path string) {
	n := len(a.p.list)
	for i, s := range c.StartTimes {
		if _, err := solver.ParseClock(s); err != nil {
			a.p.add(idx(join(path, "start_times"), i), "%v", err)
		}
	}
	if c.Pattern.Hours == nil {
		a.p.add(join(path, "pattern.hours"), "must give the hours of the extra sessions")
	}
	checkPattern(&c.Pattern, join(path, "pattern"), a.p)
	a.locations(c.Locations, join(path, "locations"))
	for i, r := range c.Resources {
		if !slices.Contains(sessionResources, r) {
			a.p.add(idx(join(path, "resources"), i), "%q is not one of interviewers, rooms, interpreters, parties", r)
		}
	}
	if len(a.p.list) > n {
		return
	}
	if a.in.StartTimes != nil {
		for _, s := range c.StartTimes {
			if !slices.Contains(a.in.StartTimes, s) {
				a.in.StartTimes = append(a.in.StartTimes, s)
			}
		}
		slices.Sort(a.in.StartTimes)
	}
	res := c.Resources
	if len(res) == 0 {
		res = sessionResources[:3]
	}
	locs := c.Locations
	if len(locs) == 0 {
		locs = a.in.LocationsIDs()
	}
	extra := a.sessionIntervals(&c.Pattern)
	add := func(av []solver.Interval) []solver.Interval {
		if av == nil { // always open already
			return nil
		}
		return append(av, extra...)
	}
	for _, r := range res {
		switch r {
		case "interviewers":
			for i := range a.in.Interviewers {
				if t := &a.in.Interviewers[i]; slices.Contains(locs, t.Location) {
					t.Availability = append(t.Availability, extra...)
				}
			}
		case "rooms":
			for i := range a.in.Rooms {
				if t := &a.in.Rooms[i]; slices.Contains(locs, t.Location) {
					t.Availability = add(t.Availability)
				}
			}
		case "interpreters":
			for i := range a.in.Interpreters {
				t := &a.in.Interpreters[i]
				if slices.Contains(t.Modes, solver.ModeRemote) || overlaps(t.Locations, locs) {
					t.Availability = append(t.Availability, extra...)
				}
			}
		case "parties":
			for i := range a.in.Parties {
				a.in.Parties[i].Availability = add(a.in.Parties[i].Availability)
			}
		}
	}
}

// sessionIntervals are the pattern's intervals in the horizon extended to
// the Sunday of its last week, so that Saturday sessions after a horizon
// ending on a Friday count; the horizon is extended to the last day used.
func (a *applier) sessionIntervals(p *Pattern) []solver.Interval {
	w := a.w
	for w.end.Midnight(w.loc).Weekday() != time.Sunday {
		w.end++
	}
	out := w.intervals(p)
	last := a.w.end
	for _, iv := range out {
		if t, err := solver.ParseInstant(iv.Start); err == nil {
			last = max(last, solver.DateOf(t, w.loc))
		}
	}
	if last > a.w.end {
		a.w.end = last
		a.in.Horizon.End = last.String()
	}
	return out
}

func overlaps(a, b []string) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

func (a *applier) share(v *float64, path string) bool {
	if v != nil && (math.IsNaN(*v) || *v < 0 || *v > 1) {
		a.p.add(path, "must be a share between 0 and 1, not %v", *v)
		return false
	}
	return true
}

// inLanguages reports whether lang is one of langs (all when empty).
func inLanguages(langs []string, lang string) bool {
	if len(langs) == 0 {
		return true
	}
	ok, _ := solver.LanguageMatch(langs, lang, false)
	return ok
}

func (a *applier) remoteShare(c *RemoteShare, path string) {
	ok := a.share(c.Interviews, join(path, "interviews"))
	ok = a.share(c.Interpreters, join(path, "interpreters")) && ok
	for i, l := range c.Languages {
		ok = a.language(l, idx(join(path, "languages"), i)) && ok
	}
	ok = a.locations(c.Locations, join(path, "locations")) && ok
	if c.Interviews == nil && c.Interpreters == nil {
		a.p.add(path, "must give interviews or interpreters (a share between 0 and 1)")
		ok = false
	}
	if !ok {
		return
	}
	if c.Interviews != nil {
		var sel []*solver.Interview
		for i := range a.in.Interviews {
			iv := &a.in.Interviews[i]
			if iv.NeedsInterp() && inLanguages(c.Languages, iv.Language) && (len(c.Locations) == 0 || overlaps(iv.Locations, c.Locations)) {
				sel = append(sel, iv)
			}
		}
		allowed := 0
		for _, iv := range sel {
			if iv.WantMode() != solver.WantOnsite {
				allowed++
			}
		}
		need := int(math.Ceil(*c.Interviews * float64(len(sel))))
		for _, iv := range sel {
			if allowed >= need {
				break
			}
			if iv.WantMode() == solver.WantOnsite {
				iv.InterpreterMode = solver.WantPreferOnsite
				allowed++
			}
		}
	}
	if c.Interpreters != nil {
		var sel []*solver.Interpreter
		for i := range a.in.Interpreters {
			t := &a.in.Interpreters[i]
			if (len(c.Languages) == 0 || overlapsLang(t.Languages, c.Languages)) && (len(c.Locations) == 0 || overlaps(t.Locations, c.Locations)) {
				sel = append(sel, t)
			}
		}
		remote := 0
		for _, t := range sel {
			if slices.Contains(t.Modes, solver.ModeRemote) {
				remote++
			}
		}
		need := int(math.Ceil(*c.Interpreters * float64(len(sel))))
		for _, t := range sel {
			if remote >= need {
				break
			}
			if !slices.Contains(t.Modes, solver.ModeRemote) {
				t.Modes = append(t.Modes, solver.ModeRemote)
				remote++
			}
		}
	}
}

func overlapsLang(have, want []string) bool {
	for _, w := range want {
		if ok, _ := solver.LanguageMatch(have, w, false); ok {
			return true
		}
	}
	return false
}

// pinned returns the interviews with a pinned booking.
func pinned(in *solver.Instance) map[string]bool {
	out := map[string]bool{}
	for _, b := range in.Bookings {
		if b.Pinned {
			out[b.Interview] = true
		}
	}
	return out
}

func (a *applier) notice(c *Notice, path string) {
	ok := true
	if c.MinDays == nil && c.ShiftDays == nil {
		a.p.add(path, "must give min_days or shift_days")
		ok = false
	}
	if c.MinDays != nil && (*c.MinDays < 0 || *c.MinDays > 365) {
		a.p.add(join(path, "min_days"), "must be between 0 and 365, not %d", *c.MinDays)
		ok = false
	}
	if c.ShiftDays != nil && (*c.ShiftDays < -365 || *c.ShiftDays > 365) {
		a.p.add(join(path, "shift_days"), "must be between -365 and 365, not %d", *c.ShiftDays)
		ok = false
	}
	for i, l := range c.Languages {
		ok = a.language(l, idx(join(path, "languages"), i)) && ok
	}
	if !ok {
		return
	}
	pin := pinned(a.in)
	for i := range a.in.Interviews {
		iv := &a.in.Interviews[i]
		if pin[iv.ID] || !inLanguages(c.Languages, iv.Language) {
			continue
		}
		e, err := solver.ParseDate(iv.Earliest)
		if err != nil {
			continue
		}
		if c.ShiftDays != nil {
			e = max(e+solver.Date(*c.ShiftDays), a.w.first)
		}
		if c.MinDays != nil {
			e = max(e, a.w.first+solver.Date(*c.MinDays))
		}
		iv.Earliest = e.String()
		// A later earliest date must not pass the hard last date: the
		// interview keeps its window of at least one day.
		if l, err := solver.ParseDate(iv.Latest); err == nil && l < e {
			iv.Latest = e.String()
		}
		if d, err := solver.ParseDate(iv.Deadline); err == nil && d < e {
			iv.Deadline = e.String()
		}
	}
}

func (a *applier) deadline(c *DeadlineRule, path string) {
	ok := true
	if c.DeadlineDays == nil && c.LatestDays == nil {
		a.p.add(path, "must give deadline_days or latest_days")
		ok = false
	}
	for _, f := range []struct {
		v    *int
		name string
	}{{c.DeadlineDays, "deadline_days"}, {c.LatestDays, "latest_days"}} {
		if f.v != nil && (*f.v < 0 || *f.v > 730) {
			a.p.add(join(path, f.name), "must be between 0 and 730, not %d", *f.v)
			ok = false
		}
	}
	for i, l := range c.Languages {
		ok = a.language(l, idx(join(path, "languages"), i)) && ok
	}
	if !ok {
		return
	}
	pin := pinned(a.in)
	for i := range a.in.Interviews {
		iv := &a.in.Interviews[i]
		if pin[iv.ID] || !inLanguages(c.Languages, iv.Language) {
			continue
		}
		e, err := solver.ParseDate(iv.Earliest)
		if err != nil {
			continue
		}
		if c.DeadlineDays != nil {
			iv.Deadline = (e + solver.Date(*c.DeadlineDays)).String()
		}
		if c.LatestDays != nil {
			iv.Latest = (e + solver.Date(*c.LatestDays)).String()
		}
	}
}
