package solver

import (
	"fmt"
	"sort"
	"strings"
)

// bindings describes the limits behind a bound, largest loss first: the
// interviews with no option at all, then each component of the relaxation
// whose maximum falls short of its total.
//
// Naming the family that binds in a small component takes a search; once
// bud has expired it is skipped (the binding is then named by the
// relaxation that found it).
func (r *relax) bindings(rr relaxResult, bud *budget) []Binding {
	m := r.m
	out := []Binding{}
	if len(r.hopeless) > 0 {
		b := Binding{Kind: "alone", Count: len(r.hopeless)}
		for _, i := range r.hopeless {
			b.Lost += m.ivs[i].prio
			if len(b.Interviews) < 20 {
				b.Interviews = append(b.Interviews, m.ivs[i].iv.ID)
			}
		}
		b.Text = fmt.Sprintf("%d interviews (priority %d) fit nowhere even alone, next to the pinned bookings", b.Count, b.Lost)
		out = append(out, b)
	}
	var parts []Binding
	for _, pt := range rr.parts {
		if pt.ub >= pt.total {
			continue
		}
		if len(pt.cores) > 0 {
			for _, c := range pt.cores {
				parts = append(parts, r.partBinding(part{items: c.items, total: c.total, ub: c.ub}, 1<<c.fam, bud))
			}
			continue
		}
		parts = append(parts, r.partBinding(pt, rr.mask, bud))
	}
	sort.SliceStable(parts, func(a, b int) bool { return parts[a].Lost > parts[b].Lost })
	return append(out, parts...)
}

// partBinding describes one component that loses priority. For the combined
// relaxation it names the first family that loses on its own (interpreters,
// interviewers, rooms, parties), when one does.
func (r *relax) partBinding(pt part, mask famMask, bud *budget) Binding {
	m := r.m
	kind := maskName(mask)
	fam := bFamily(-1)
	for f := bFamily(0); f < numFamilies; f++ {
		if mask == 1<<f {
			fam = f
		}
	}
	if mask == allFamilies && len(pt.items) <= smallComponent && !bud.expired() {
		for _, f := range []bFamily{famInterpreter, famInterviewer, famRoom, famParty} {
			bud := &budget{}
			bud.allow(exactNodes / 4)
			p := newPacker(r, r.project(pt.items, 1<<f), bud)
			if ub, _ := p.maxWeight(); ub < pt.total {
				fam, kind = f, familyNames[f]
				break
			}
		}
	}
	b := Binding{Kind: kind, Count: len(pt.items), Lost: pt.total - pt.ub}
	pressure := make([]int, m.numResources()) // gid → interviews that can use it
	used := make([]int, m.numResources())     // gid → the last item (+1) that counted it
	first, last := m.nDays, -1
	langs, places := []string{}, []string{}
	seenLang, seenPlace := map[string]bool{}, map[string]bool{}
	for k, x := range pt.items {
		if k&255 == 0 && k > 0 && bud.expired() {
			break // out of time: the resources from the items so far
		}
		it := &r.items[x]
		mi := m.ivs[it.iv]
		if len(b.Interviews) < 20 {
			b.Interviews = append(b.Interviews, mi.iv.ID)
		}
		if !seenLang[mi.lang] {
			seenLang[mi.lang] = true
			langs = append(langs, langName(mi.iv.Language))
		}
		for ci := range it.ctxs {
			c := &it.ctxs[ci]
			if name := m.in.Locations[mi.locs[c.li]].Name; !seenPlace[name] {
				seenPlace[name] = true
				places = append(places, name)
			}
			for j, f := range it.fams {
				if (fam >= 0 && f != fam) || !mask.has(f) {
					continue
				}
				for _, bi := range c.demands[j] {
					bn := &r.bins[bi]
					first, last = min(first, bn.day), max(last, bn.day)
					if used[bn.gid] != k+1 {
						used[bn.gid] = k + 1
						pressure[bn.gid]++
					}
				}
			}
		}
	}
	b.Resources = r.topResources(pressure, 10)
	if last >= 0 {
		b.From, b.To = (m.day0 + Date(first)).String(), (m.day0 + Date(last)).String()
	}
	b.Text = bindingText(b, pt.total, fam, langs, places)
	return b
}

// topResources lists the ids of the resources most interviews can use.
func (r *relax) topResources(pressure []int, n int) []string {
	var gids []int
	for g, p := range pressure {
		if p > 0 {
			gids = append(gids, g)
		}
	}
	sort.Slice(gids, func(a, b int) bool {
		if pressure[gids[a]] != pressure[gids[b]] {
			return pressure[gids[a]] > pressure[gids[b]]
		}
		return gids[a] < gids[b]
	})
	var out []string
	for _, g := range gids[:min(n, len(gids))] {
		out = append(out, r.m.resourceID(g))
	}
	return out
}

// resourceID is the id of the resource with global id gid.
func (m *model) resourceID(gid int) string {
	switch {
	case gid < len(m.rooms):
		return m.rooms[gid].r.ID
	case gid < len(m.rooms)+len(m.interviewers):
		return m.interviewers[gid-len(m.rooms)].e.ID
	case gid < len(m.rooms)+len(m.interviewers)+len(m.interpreters):
		return m.interpreters[gid-len(m.rooms)-len(m.interviewers)].t.ID
	}
	return m.parties[gid-len(m.rooms)-len(m.interviewers)-len(m.interpreters)].p.ID
}

// bindingText says a binding in one sentence.
func bindingText(b Binding, total int64, fam bFamily, langs, places []string) string {
	period := "on " + b.From
	if b.From != b.To {
		period = "between " + b.From + " and " + b.To
	}
	who := strings.Join(b.Resources, ", ")
	var limit string
	switch fam {
	case famInterpreter:
		limit = fmt.Sprintf("%s interpreter time %s is the limit (%s)", joinAnd(langs), period, who)
	case famInterviewer:
		limit = fmt.Sprintf("interviewer time at %s %s is the limit (%s)", joinAnd(places), period, who)
	case famRoom:
		limit = fmt.Sprintf("room time at %s %s is the limit (%s)", joinAnd(places), period, who)
	case famParty:
		limit = fmt.Sprintf("the availability of %s %s is the limit", who, period)
	default:
		limit = fmt.Sprintf("rooms, interviewers, interpreters and parties at %s %s cannot be combined for all of them (%s)", joinAnd(places), period, who)
	}
	return fmt.Sprintf("%s: of %d interviews (priority %d) at least priority %d cannot be held", limit, b.Count, total, b.Lost)
}
