package solver

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// candidates.go: the static candidate lists of an interview come from
// indexes instead of scans of every resource. Interpreters are indexed by
// the primary subtags they speak, rooms and interviewers by location, and
// interviews that ask the same of their resources (most of them) share one
// list: at surge size that is the difference between a few hundred lists and
// one list of hundreds of interpreters per interview.

// candIndex holds the indexes and the shared lists; safe for concurrent use.
type candIndex struct {
	speakers     map[string][]int // primary subtag → interpreters speaking it
	roomsAt      [][]int          // location → rooms
	interviewers [][]int          // location → interviewers

	mu      sync.Mutex
	interps map[string]*interpList
	rooms   map[string][]int
	ivrs    map[string][]int
}

// interpList is a shared interpreter candidate list.
type interpList struct {
	cands   []candInterp
	langAny bool // some interpreter speaks the language at all

	// the candidates who may work remotely, and those who may work on site
	// at a location: in the order of cands, so that a walk over them meets
	// the same interpreters as a walk over cands that skips the others
	remote []candInterp
	onsite map[int][]candInterp
}

// modeLists returns the candidates of l for remote work, and for on-site
// work at each of locs.
func (m *model) modeLists(l *interpList, locs []int) (remote []candInterp, onsite [][]candInterp) {
	ix := m.cix
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if l.remote == nil {
		l.remote = []candInterp{}
		for _, c := range l.cands {
			if c.ok[modeRemote] {
				l.remote = append(l.remote, c)
			}
		}
		l.onsite = map[int][]candInterp{}
	}
	for _, loc := range locs {
		list, ok := l.onsite[loc]
		if !ok {
			list = []candInterp{}
			for _, c := range l.cands {
				if c.ok[modeOnsite] && m.interpreters[c.t].onsiteAt[loc] {
					list = append(list, c)
				}
			}
			l.onsite[loc] = list
		}
		onsite = append(onsite, list)
	}
	return l.remote, onsite
}

// buildCandIndex indexes the compiled resources of m.
func (m *model) buildCandIndex() {
	ix := &candIndex{speakers: map[string][]int{}, interps: map[string]*interpList{}, rooms: map[string][]int{}, ivrs: map[string][]int{}}
	for ti, t := range m.interpreters {
		seen := map[string]bool{}
		for _, p := range t.prims {
			if !seen[p] {
				seen[p] = true
				ix.speakers[p] = append(ix.speakers[p], ti)
			}
		}
	}
	ix.roomsAt = make([][]int, len(m.in.Locations))
	for ri, r := range m.rooms {
		ix.roomsAt[r.loc] = append(ix.roomsAt[r.loc], ri)
	}
	ix.interviewers = make([][]int, len(m.in.Locations))
	for ei, e := range m.interviewers {
		ix.interviewers[e.loc] = append(ix.interviewers[e.loc], ei)
	}
	m.cix = ix
}

func sortedKey(xs []string) string {
	c := slices.Clone(xs)
	slices.Sort(c)
	return strings.Join(c, ",")
}

// roomCands returns the rooms at location li with the features of mi,
// plainest first.
func (m *model) roomCands(mi *mInterview, li int) []int {
	ix := m.cix
	key := fmt.Sprint(li, "|", sortedKey(mi.iv.RoomFeatures))
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if rs, ok := ix.rooms[key]; ok {
		return rs
	}
	var rs []int
	for _, ri := range ix.roomsAt[li] {
		if hasAll(m.rooms[ri].r.Features, mi.iv.RoomFeatures) {
			rs = append(rs, ri)
		}
	}
	slices.SortStableFunc(rs, func(a, b int) int { return m.rooms[a].nFeats - m.rooms[b].nFeats })
	ix.rooms[key] = rs
	return rs
}

// interviewerCands returns the interviewers at location li who qualify for
// mi, plainest first.
func (m *model) interviewerCands(mi *mInterview, li int) []int {
	ix := m.cix
	iv := mi.iv
	key := fmt.Sprint(li, "|", sortedKey(iv.InterviewerSkills), "|", iv.InterviewerGender, "|", sortedKey(iv.ExcludedInterviewers), "|", iv.NeedsInterp())
	if !iv.NeedsInterp() {
		key += fmt.Sprint("|", mi.lang, "|", iv.DialectRequired)
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if es, ok := ix.ivrs[key]; ok {
		return es
	}
	var es []int
	for _, ei := range ix.interviewers[li] {
		if m.interviewerFits(mi, m.interviewers[ei]) {
			es = append(es, ei)
		}
	}
	slices.SortStableFunc(es, func(a, b int) int { return m.interviewers[a].rank - m.interviewers[b].rank })
	ix.ivrs[key] = es
	return es
}

// interpCands returns the interpreters who may work on mi, as far as static
// properties go, cheapest first, and whether anyone speaks its language.
func (m *model) interpCands(mi *mInterview) *interpList {
	ix := m.cix
	iv := mi.iv
	key := fmt.Sprint(mi.lang, "|", iv.DialectRequired, "|", sortedKey(iv.InterpreterSkills), "|", iv.InterpreterGender, "|",
		sortedKey(iv.ExcludedInterpreters), "|", mi.allow, "|", mi.preferOn, "|", mi.durMin)
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if l, ok := ix.interps[key]; ok {
		return l
	}
	l := &interpList{}
	for _, ti := range ix.speakers[mi.prim] {
		t := m.interpreters[ti]
		ok, exact := t.speaks(mi.lang, mi.prim, iv.DialectRequired)
		if !ok {
			continue
		}
		l.langAny = true
		if !m.interpreterFits(mi, t) {
			continue
		}
		c := candInterp{t: ti, exact: exact}
		c.ok = [2]bool{t.onsite && mi.allow[0], t.remote && mi.allow[1]}
		if !c.ok[0] && !c.ok[1] {
			continue
		}
		for md := 0; md < 2; md++ {
			c.cost[md] = m.w.Cost * (t.rate[md] * int64(mi.durMin) / 60)
			if !exact {
				c.cost[md] += m.w.Dialect
			}
		}
		if mi.preferOn {
			c.cost[modeRemote] += m.w.Remote
		}
		l.cands = append(l.cands, c)
	}
	// cheapest first; ties in the order of the instance (speakers are in
	// that order), as a stable sort would leave them, but faster
	slices.SortFunc(l.cands, func(a, b candInterp) int {
		if c := cmp.Compare(minCost(a), minCost(b)); c != 0 {
			return c
		}
		return cmp.Compare(a.t, b.t)
	})
	ix.interps[key] = l
	return l
}
