package capacity

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/asylum-scheduling/interviews/solver"
)

// Check reports every problem of the scenario's shape and of its changes
// against base, each at its JSON path and naming the variant. The result
// of every variant is validated as an instance too.
func Check(base *solver.Instance, sc *Scenario) error {
	_, err := applyAll(base, sc)
	return err
}

// Apply returns a copy of base with the changes of variant i applied. base
// is never modified.
func Apply(base *solver.Instance, sc *Scenario, i int) (*solver.Instance, error) {
	if i < 0 || i >= len(sc.Variants) {
		return nil, fmt.Errorf("capacity: no variant %d", i)
	}
	p := &problems{}
	in := applyVariant(base, sc.Variants[i], i, p)
	if err := p.err("scenario"); err != nil {
		return nil, err
	}
	return in, nil
}

// applyAll checks the scenario and returns the instance of every variant.
func applyAll(base *solver.Instance, sc *Scenario) ([]*solver.Instance, error) {
	p := &problems{}
	if sc.Format != ScenarioFormat {
		p.add("format", "must be %q, not %q", ScenarioFormat, sc.Format)
	}
	switch {
	case len(sc.Variants) == 0:
		p.add("variants", "must list at least one variant")
	case len(sc.Variants) > MaxVariants:
		p.add("variants", "must list at most %d variants (each is a solve), not %d", MaxVariants, len(sc.Variants))
	}
	names := map[string]int{}
	for i, v := range sc.Variants {
		path := join(idx("variants", i), "name")
		if strings.TrimSpace(v.Name) == "" {
			p.add(path, "must not be empty")
		} else if strings.EqualFold(v.Name, BaselineName) {
			p.add(path, "%q is the name of the base run", v.Name)
		} else if j, ok := names[v.Name]; ok {
			p.add(path, "%q is the name of variants[%d] too", v.Name, j)
		}
		names[v.Name] = i
	}
	var out []*solver.Instance
	for i, v := range sc.Variants {
		out = append(out, applyVariant(base, v, i, p))
	}
	if err := p.err("scenario"); err != nil {
		return nil, err
	}
	return out, nil
}

// applyVariant applies the changes of variant vi to a deep copy of base.
func applyVariant(base *solver.Instance, v Variant, vi int, p *problems) *solver.Instance {
	in := clone(base)
	if _, err := horizonOf(in); err != nil {
		p.add("", "the base instance is not valid: %v", err)
		return in
	}
	vp := &problems{}
	vpath := idx("variants", vi)
	if len(v.Changes) == 0 {
		vp.add(join(vpath, "changes"), "must list at least one change")
	}
	for ci, c := range v.Changes {
		w, _ := horizonOf(in) // a change may extend the horizon
		a := &applier{in: in, w: w, p: vp, path: idx(join(vpath, "changes"), ci), tag: fmt.Sprintf("wi%d-%d", vi+1, ci+1)}
		a.apply(c)
	}
	if len(vp.list) == 0 {
		if err := solver.Validate(in); err != nil {
			vp.add(vpath, "the changed instance is not valid: %v", err)
		}
	}
	for _, pr := range vp.list {
		p.add(pr.Path, "%s (variant %q)", pr.Message, v.Name)
	}
	return in
}

// clone deep-copies an instance through its JSON form, which is its
// definition.
func clone(in *solver.Instance) *solver.Instance {
	data, err := json.Marshal(in)
	if err != nil {
		panic("capacity: an instance does not marshal: " + err.Error())
	}
	var out solver.Instance
	if err := json.Unmarshal(data, &out); err != nil {
		panic("capacity: an instance does not unmarshal: " + err.Error())
	}
	return &out
}

// applier applies one change at path; tag makes the ids of added resources.
type applier struct {
	in   *solver.Instance
	w    window
	p    *problems
	path string
	tag  string
}

func (a *applier) apply(c Change) {
	kinds := 0
	run := func(set bool, name string, f func(string)) {
		if set {
			kinds++
			if kinds == 1 {
				f(join(a.path, name))
			}
		}
	}
	run(c.AddInterpreters != nil, "add_interpreters", func(p string) { a.addInterpreters(c.AddInterpreters, p) })
	run(c.RemoveInterpreters != nil, "remove_interpreters", func(p string) { a.removeInterpreters(c.RemoveInterpreters, p) })
	run(c.AddInterviewers != nil, "add_interviewers", func(p string) { a.addInterviewers(c.AddInterviewers, p) })
	run(c.RemoveInterviewers != nil, "remove_interviewers", func(p string) { a.removeInterviewers(c.RemoveInterviewers, p) })
	run(c.AddRooms != nil, "add_rooms", func(p string) { a.addRooms(c.AddRooms, p) })
	run(c.ExtraSessions != nil, "extra_sessions", func(p string) { a.extraSessions(c.ExtraSessions, p) })
	run(c.RemoteShare != nil, "remote_share", func(p string) { a.remoteShare(c.RemoteShare, p) })
	run(c.Notice != nil, "notice", func(p string) { a.notice(c.Notice, p) })
	run(c.Deadline != nil, "deadline", func(p string) { a.deadline(c.Deadline, p) })
	switch {
	case kinds == 0:
		a.p.add(a.path, "must hold one change: add_interpreters, remove_interpreters, add_interviewers, remove_interviewers, add_rooms, extra_sessions, remote_share, notice or deadline")
	case kinds > 1:
		a.p.add(a.path, "must hold exactly one change, not %d", kinds)
	}
}

// count checks a count of added or removed things.
func (a *applier) count(n int, path string) bool {
	if n < 1 || n > 500 {
		a.p.add(join(path, "count"), "must be between 1 and 500, not %d", n)
		return false
	}
	return true
}

func (a *applier) location(id, path string) bool {
	if id == "" {
		a.p.add(path, "must name a location")
		return false
	}
	if !slices.Contains(a.in.LocationsIDs(), id) {
		a.p.add(path, "%q is not a location of the instance (%s)", id, strings.Join(a.in.LocationsIDs(), ", "))
		return false
	}
	return true
}

func (a *applier) locations(ids []string, path string) bool {
	ok := true
	for i, id := range ids {
		ok = a.location(id, idx(path, i)) && ok
	}
	return ok
}

func (a *applier) language(tag, path string) bool {
	if tag == "" {
		a.p.add(path, "must name a language (a BCP 47 tag such as ar or ar-IQ)")
		return false
	}
	if msg := solver.IDProblem(tag); msg != "" {
		a.p.add(path, "%q is not a language tag: %s", tag, msg)
		return false
	}
	return true
}

// newID returns an id not used by any resource of the instance.
func (a *applier) newID(prefix string, n int, used map[string]bool) string {
	for k := 0; ; k++ {
		id := fmt.Sprintf("%s-%s-%d", a.tag, prefix, n+1)
		if k > 0 {
			id = fmt.Sprintf("%s.%d", id, k)
		}
		if !used[id] {
			used[id] = true
			return id
		}
	}
}

func (a *applier) usedIDs() map[string]bool {
	used := map[string]bool{}
	for _, r := range a.in.Rooms {
		used[r.ID] = true
	}
	for _, r := range a.in.Interviewers {
		used[r.ID] = true
	}
	for _, r := range a.in.Interpreters {
		used[r.ID] = true
	}
	for _, r := range a.in.Parties {
		used[r.ID] = true
	}
	for _, r := range a.in.Locations {
		used[r.ID] = true
	}
	return used
}

func nth(list []string, i int) string {
	if len(list) == 0 {
		return ""
	}
	return list[i%len(list)]
}

func (a *applier) addInterpreters(c *AddInterpreters, path string) {
	ok := a.count(c.Count, path)
	ok = a.language(c.Language, join(path, "language")) && ok
	for i, l := range c.Dialects {
		ok = a.language(l, idx(join(path, "dialects"), i)) && ok
	}
	for i, m := range c.Modes {
		if m != solver.ModeOnsite && m != solver.ModeRemote {
			a.p.add(idx(join(path, "modes"), i), "must be onsite or remote, not %q", m)
			ok = false
		}
	}
	ok = a.locations(c.Locations, join(path, "locations")) && ok
	ok = a.nonNegative(c.MaxMinutesPerDay, join(path, "max_minutes_per_day")) && ok
	if c.CostPerHour != nil {
		ok = a.nonNegative(c.CostPerHour.Onsite, join(path, "cost_per_hour.onsite")) && ok
		ok = a.nonNegative(c.CostPerHour.Remote, join(path, "cost_per_hour.remote")) && ok
	}
	n := len(a.p.list)
	checkPattern(c.Pattern, join(path, "pattern"), a.p)
	if !ok || len(a.p.list) > n {
		return
	}
	modes := c.Modes
	if len(modes) == 0 {
		modes = []string{solver.ModeOnsite, solver.ModeRemote}
	}
	locs := c.Locations
	if len(locs) == 0 {
		locs = a.in.LocationsIDs()
	}
	rates := c.CostPerHour
	if rates == nil {
		rates = medianRates(a.in.Interpreters, c.Language)
	}
	avail := a.w.intervals(c.Pattern)
	used := a.usedIDs()
	for k := range c.Count {
		a.in.Interpreters = append(a.in.Interpreters, solver.Interpreter{
			ID:               a.newID("t", k, used),
			Languages:        append([]string{c.Language}, c.Dialects...),
			Gender:           nth(c.Genders, k),
			Skills:           nonNil(c.Skills),
			Modes:            slices.Clone(modes),
			Locations:        slices.Clone(locs),
			Availability:     slices.Clone(avail),
			MaxMinutesPerDay: c.MaxMinutesPerDay,
			CostPerHour:      rates,
		})
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return slices.Clone(s)
}

func (a *applier) nonNegative(v *int, path string) bool {
	if v != nil && *v < 0 {
		a.p.add(path, "must not be negative, not %d", *v)
		return false
	}
	return true
}

// medianRates are the median onsite and remote rates of the interpreters of
// language (of all interpreters when none speaks it).
func medianRates(list []solver.Interpreter, language string) *solver.Rates {
	var on, re []int
	pick := func(all bool) {
		for _, t := range list {
			if ok, _ := solver.LanguageMatch(t.Languages, language, false); all || ok {
				on = append(on, t.CostPerHour.Rate(solver.ModeOnsite))
				re = append(re, t.CostPerHour.Rate(solver.ModeRemote))
			}
		}
	}
	pick(false)
	if len(on) == 0 {
		pick(true)
	}
	if len(on) == 0 {
		return nil
	}
	sort.Ints(on)
	sort.Ints(re)
	o, r := on[len(on)/2], re[len(re)/2]
	return &solver.Rates{Onsite: &o, Remote: &r}
}

func (a *applier) addInterviewers(c *AddInterviewers, path string) {
	ok := a.count(c.Count, path)
	ok = a.location(c.Location, join(path, "location")) && ok
	for i, l := range c.Languages {
		ok = a.language(l, idx(join(path, "languages"), i)) && ok
	}
	if c.MaxInterviewsPerDay != nil && *c.MaxInterviewsPerDay < 1 {
		a.p.add(join(path, "max_interviews_per_day"), "must be at least 1, not %d", *c.MaxInterviewsPerDay)
		ok = false
	}
	n := len(a.p.list)
	checkPattern(c.Pattern, join(path, "pattern"), a.p)
	if !ok || len(a.p.list) > n {
		return
	}
	maxPerDay := c.MaxInterviewsPerDay
	if maxPerDay == nil {
		maxPerDay = commonMax(a.in.Interviewers, c.Location)
	}
	avail := a.w.intervals(c.Pattern)
	used := a.usedIDs()
	for k := range c.Count {
		a.in.Interviewers = append(a.in.Interviewers, solver.Interviewer{
			ID:                  a.newID("i", k, used),
			Location:            c.Location,
			Gender:              nth(c.Genders, k),
			Skills:              nonNil(c.Skills),
			Languages:           nonNil(c.Languages),
			Availability:        slices.Clone(avail),
			MaxInterviewsPerDay: maxPerDay,
		})
	}
}

// commonMax is the most common max_interviews_per_day at the location.
func commonMax(list []solver.Interviewer, loc string) *int {
	counts := map[int]int{}
	best, bestN := 0, 0
	for _, iv := range list {
		if iv.Location != loc || iv.MaxInterviewsPerDay == nil {
			continue
		}
		v := *iv.MaxInterviewsPerDay
		counts[v]++
		if counts[v] > bestN || counts[v] == bestN && v < best {
			best, bestN = v, counts[v]
		}
	}
	if bestN == 0 {
		return nil
	}
	return &best
}

func (a *applier) addRooms(c *AddRooms, path string) {
	ok := a.count(c.Count, path)
	ok = a.location(c.Location, join(path, "location")) && ok
	for i, f := range c.Features {
		if !slices.Contains(solver.RoomFeatures, f) {
			a.p.add(idx(join(path, "features"), i), "%q is not a room feature (%s)", f, strings.Join(solver.RoomFeatures, ", "))
			ok = false
		}
	}
	n := len(a.p.list)
	checkPattern(c.Pattern, join(path, "pattern"), a.p)
	if !ok || len(a.p.list) > n {
		return
	}
	var avail []solver.Interval
	if c.Pattern != nil {
		avail = a.w.intervals(c.Pattern)
	}
	used := a.usedIDs()
	for k := range c.Count {
		a.in.Rooms = append(a.in.Rooms, solver.Room{
			ID: a.newID("r", k, used), Location: c.Location, Features: nonNil(c.Features), Availability: slices.Clone(avail),
		})
	}
}
