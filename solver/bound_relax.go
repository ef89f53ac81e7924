package solver

import (
	"context"
	"sort"
	"time"
	"unsafe"
)

// The relaxation behind ComputeBound.
//
// Every valid schedule holds the pinned bookings exactly (rule 10). Each other
// interview it holds sits at one option: a day d, a location, a mode, a start
// s, and one room, one interviewer, an interpreter when one is needed and all
// its parties, every one of them free for [s, s+duration) (rules 1–9). That
// option must also be feasible next to the pinned bookings alone, since they
// are part of the schedule. The relaxation keeps, for each interview, its
// "contexts" (day, location, mode) that have at least one such option, and
// for each context and each "demand" (the room, the interviewer, the
// interpreter, each party) the resources that serve that demand in at least
// one of those options.
//
// A "bin" is one resource on one day. Its capacity is:
//   - minutes: the number of minutes of that day that some option of some
//     interview using that resource could occupy (the union "cover" of those
//     options' intervals). In a valid schedule the unpinned interviews using the
//     resource that day occupy pairwise disjoint intervals (rule 6), each of
//     them one of those options (they end by the midnight after the start,
//     rule 1), so their durations sum to at most that many minutes. For an
//     interpreter it is also at most max_minutes_per_day less the pinned
//     minutes of the day (rule 8);
//   - count: for an interviewer, max_interviews_per_day less the pinned
//     interviews of the day (rule 8).
//
// The relaxed problem: choose a set of interviews and give each a context
// and, per demand, a bin of that context's day among the usable ones, so that
// no bin's minutes or count are exceeded (and, where it is checked, the
// interviews of one bin can be laid out without overlap at starts where they
// have an option). Projecting a valid schedule onto it gives a solution of the
// same scheduled priority, so the relaxed maximum bounds the scheduled
// priority from above, and (total − relaxed maximum) bounds the unscheduled
// priority, the medium score, from below. Dropping constraints from the
// relaxed problem (a subset of the demands, a node budget that gives up and
// assumes "feasible") only raises the relaxed maximum, so every bound built
// from it stays valid.

// bFamily is the kind of a demand.
type bFamily int8

const (
	famRoom bFamily = iota
	famInterviewer
	famInterpreter
	famParty
	numFamilies
)

var familyNames = [numFamilies]string{"room", "interviewer", "interpreter", "party"}

// bBin is one resource on one day.
type bBin struct {
	gid    int
	fam    bFamily
	res    int // index in the model's list of that family
	day    int
	capMin int
	capCnt int // -1: no limit on the number of interviews
	capSes int // sessions in which it can start an interview (bound_sessions.go)
}

// bCtx is a day, location and mode in which an interview has an option.
type bCtx struct {
	day, li, md int
	starts      []int32   // start slots with a complete option
	demands     [][]int32 // per demand of the item: the usable bins
}

// bItem is an unpinned interview that has an option next to the pinned
// bookings.
type bItem struct {
	iv       int
	prio     int64
	dur      int // minutes
	durSlots int
	fams     []bFamily // family of each demand
	ctxs     []bCtx
	sesW     int // its least session weight in any bin (bound_sessions.go)
}

// relax is the relaxation of an instance.
type relax struct {
	m        *model
	st0      *state // the pinned bookings only
	items    []bItem
	bins     []bBin
	binIdx   []int32  // gid × days + day → bin, -1 none
	cover    []bitset // per gid
	hopeless []int    // unpinned interviews with no option next to the pinned bookings
	empty    []int    // … and those with no option even in an empty schedule (the trivial bound)
	mark     []int    // per gid: scratch stamp
	stamp    int
	avail    map[availKey]*famAvail // per candidate list and day: who is free at which start
	unions   map[unionKey][]int32   // per candidate list, day and starts: the usable bins
	cut      bool                   // the deadline came before every interview was collected
	ses      []daySessions          // per day (bound_sessions.go)
}

// The scan of a context is shared by the interviews that ask the same of
// their resources: per candidate list (lists are shared by such interviews,
// so the address of the first element names one), family, location, mode,
// day and duration, which of its resources are free at each start is found
// once (famAvail), and the bins usable at a set of starts are collected once
// (unions) and shared, read only, by every context that uses that list at
// those starts. At surge size this is most of the time and memory of the
// relaxation. It gives exactly what scanning every interview would.

// availKey names a candidate list's availability on a day.
type availKey struct {
	list         uintptr
	fam          bFamily
	loc, md, day int
	dur          int
}

// famAvail: per start of the day (by position), the gids of the list free
// then, and the positions with at least one.
type famAvail struct {
	gids [][]int
	mask uint64
}

// unionKey names the usable bins of a list at a set of starts.
type unionKey struct {
	availKey
	mask uint64
}

// maxMemoStarts is the most start times of a day the shared scan handles;
// a day with more is scanned per interview.
const maxMemoStarts = 64

// newRelax builds the relaxation. It stops early (returning ctx.Err()) when
// ctx ends. At the deadline (if not zero) it stops collecting interviews:
// those not reached are left out of the relaxation, which stays valid (a
// valid schedule restricted to the others is a relaxed solution of them,
// and the ones left out lose at least nothing), only weaker; cut says so.
func newRelax(ctx context.Context, m *model, deadline time.Time, now func() time.Time) (*relax, error) {
	m.readyAll()
	r := &relax{m: m, st0: newState(m), avail: map[availKey]*famAvail{}, unions: map[unionKey][]int32{}}
	r.binIdx = make([]int32, m.numResources()*m.nDays)
	for k := range r.binIdx {
		r.binIdx[k] = -1
	}
	r.cover = make([]bitset, m.numResources())
	r.mark = make([]int, m.numResources())
	for i, mi := range m.ivs {
		if mi.booking != nil && mi.booking.b.Pinned {
			r.st0.assign(i, mi.booking.opt)
			r.st0.fixed[i] = true
		}
	}
	// office by office, so that a relaxation cut short holds whole offices,
	// whose rooms and interviewers can then show what they lose
	order := make([]int, len(m.ivs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return firstLoc(m.ivs[order[a]]) < firstLoc(m.ivs[order[b]]) })
	for k, i := range order {
		if r.st0.fixed[i] {
			continue
		}
		if k&63 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if k&63 == 0 && !deadline.IsZero() && !now().Before(deadline) {
			r.cut = true
			break
		}
		it, ok := r.item(i)
		if !ok {
			r.hopeless = append(r.hopeless, i)
			if !m.fitsAlone(i) {
				r.empty = append(r.empty, i)
			}
			continue
		}
		r.items = append(r.items, it)
	}
	r.sessions()
	for k := range r.items {
		it := &r.items[k]
		for ci := range it.ctxs {
			c := &it.ctxs[ci]
			if w := r.sessionWeight(c.day, c.starts, it.durSlots); it.sesW == 0 || w < it.sesW {
				it.sesW = w
			}
		}
	}
	r.capacities()
	return r, nil
}

// firstLoc is the first location of an interview (-1: none).
func firstLoc(mi *mInterview) int {
	if len(mi.locs) == 0 {
		return -1
	}
	return mi.locs[0]
}

// modesOf lists the modes an interview may be held in.
func modesOf(mi *mInterview) []int {
	if !mi.needInterp {
		return []int{modeNone}
	}
	var out []int
	for md := 0; md < 2; md++ {
		if mi.allow[md] {
			out = append(out, md)
		}
	}
	return out
}

// item collects the contexts of interview i; false when it has none.
func (r *relax) item(i int) (bItem, bool) {
	m := r.m
	mi := m.ready(m.ivs[i])
	it := bItem{iv: i, prio: mi.prio, dur: mi.durMin, durSlots: mi.durSlots}
	it.fams = []bFamily{famRoom, famInterviewer}
	if mi.needInterp {
		it.fams = append(it.fams, famInterpreter)
	}
	for range mi.parties {
		it.fams = append(it.fams, famParty)
	}
	starts := m.startSlots(mi.durSlots)
	for d := mi.first; d <= mi.lastHard && d < m.hDays; d++ {
		for li := range mi.locs {
			for _, md := range modesOf(mi) {
				var c bCtx
				var ok bool
				if len(starts[d]) <= maxMemoStarts {
					c, ok = r.sharedCtx(mi, d, li, md, starts[d], len(it.fams))
				} else {
					c, ok = r.scanCtx(i, mi, d, li, md, starts[d], len(it.fams))
				}
				if ok {
					it.ctxs = append(it.ctxs, c)
				}
			}
		}
	}
	return it, len(it.ctxs) > 0
}

// scanCtx finds the starts of interview i on day d at its li-th location in
// mode md that have a complete option next to the pinned bookings, and the
// resources serving each demand in one of them.
func (r *relax) scanCtx(i int, mi *mInterview, d, li, md int, starts []int32, nd int) (bCtx, bool) {
	m, st := r.m, r.st0
	l := mi.locs[li]
	c := bCtx{day: d, li: li, md: md, demands: make([][]int32, nd)}
	r.stamp++
	var rooms, ivrs, itps []int
	for _, s32 := range starts {
		s := int(s32)
		e := s + mi.durSlots
		if !st.partiesFree(mi, s, e) {
			continue
		}
		ivrs = ivrs[:0]
		for _, x := range mi.ivrs[li] {
			if st.interviewerFree(x, d, s, e) {
				ivrs = append(ivrs, m.interviewers[x].gid)
			}
		}
		if len(ivrs) == 0 {
			continue
		}
		rooms = rooms[:0]
		for _, x := range mi.rooms[li] {
			if (md != modeRemote || m.rooms[x].video) && st.free[m.rooms[x].gid].allSet(s, e) {
				rooms = append(rooms, m.rooms[x].gid)
			}
		}
		if len(rooms) == 0 {
			continue
		}
		itps = itps[:0]
		if mi.needInterp {
			for _, ci := range mi.interps {
				if ci.ok[md] && st.interpFree(mi, ci.t, md, l, int16(d), s, e, i) {
					itps = append(itps, m.interpreters[ci.t].gid)
				}
			}
			if len(itps) == 0 {
				continue
			}
		}
		c.starts = append(c.starts, s32)
		r.use(&c, 0, famRoom, rooms, d, s, e)
		r.use(&c, 1, famInterviewer, ivrs, d, s, e)
		k := 2
		if mi.needInterp {
			r.use(&c, k, famInterpreter, itps, d, s, e)
			k++
		}
		for _, p := range mi.parties {
			r.use(&c, k, famParty, []int{m.parties[p].gid}, d, s, e)
			k++
		}
	}
	return c, len(c.starts) > 0
}

// sharedCtx is scanCtx from the shared availability of the candidate
// lists (see famAvail): the same context, found once per list.
func (r *relax) sharedCtx(mi *mInterview, d, li, md int, starts []int32, nd int) (bCtx, bool) {
	m, st := r.m, r.st0
	loc := mi.locs[li]
	dur := mi.durSlots
	var mask uint64
	for k, s32 := range starts {
		if st.partiesFree(mi, int(s32), int(s32)+dur) {
			mask |= 1 << k
		}
	}
	keys := []availKey{
		{listID(mi.rooms[li]), famRoom, loc, md, d, dur},
		{listID(mi.ivrs[li]), famInterviewer, loc, md, d, dur},
	}
	if mi.needInterp {
		keys = append(keys, availKey{listID(mi.interps), famInterpreter, loc, md, d, dur})
	}
	for _, k := range keys {
		mask &= r.famAvailOf(k, mi, li, starts).mask
		if mask == 0 {
			return bCtx{}, false
		}
	}
	c := bCtx{day: d, li: li, md: md, demands: make([][]int32, nd)}
	for k, s32 := range starts {
		if mask&(1<<k) != 0 {
			c.starts = append(c.starts, s32)
		}
	}
	for j, k := range keys {
		c.demands[j] = r.unionOf(k, mask, starts)
	}
	r.stamp++
	for j, p := range mi.parties {
		for _, s32 := range c.starts {
			r.use(&c, len(keys)+j, famParty, []int{m.parties[p].gid}, d, int(s32), int(s32)+dur)
		}
	}
	return c, true
}

// listID names a shared candidate list by the address of its first element
// (0 for an empty list).
func listID[T any](xs []T) uintptr {
	if len(xs) == 0 {
		return 0
	}
	return uintptr(unsafe.Pointer(&xs[0]))
}

// famAvailOf returns which resources of the list in k are free at each
// start next to the pinned bookings; mi is an interview with that list.
func (r *relax) famAvailOf(k availKey, mi *mInterview, li int, starts []int32) *famAvail {
	if a, ok := r.avail[k]; ok {
		return a
	}
	m, st := r.m, r.st0
	a := &famAvail{gids: make([][]int, len(starts))}
	for p, s32 := range starts {
		s, e := int(s32), int(s32)+k.dur
		var gids []int
		switch k.fam {
		case famRoom:
			for _, x := range mi.rooms[li] {
				if (k.md != modeRemote || m.rooms[x].video) && st.free[m.rooms[x].gid].allSet(s, e) {
					gids = append(gids, m.rooms[x].gid)
				}
			}
		case famInterviewer:
			for _, x := range mi.ivrs[li] {
				if st.interviewerFree(x, k.day, s, e) {
					gids = append(gids, m.interviewers[x].gid)
				}
			}
		case famInterpreter:
			for _, ci := range mi.interps {
				// the interview itself is not in the state, so it is
				// nobody's own session (interpFree's last argument)
				if ci.ok[k.md] && st.interpFree(mi, ci.t, k.md, k.loc, int16(k.day), s, e, mi.idx) {
					gids = append(gids, m.interpreters[ci.t].gid)
				}
			}
		}
		if len(gids) > 0 {
			a.gids[p] = gids
			a.mask |= 1 << p
		}
	}
	r.avail[k] = a
	return a
}

// unionOf returns the bins of the list in k usable at the starts in mask,
// and marks their cover.
func (r *relax) unionOf(k availKey, mask uint64, starts []int32) []int32 {
	uk := unionKey{k, mask}
	if u, ok := r.unions[uk]; ok {
		return u
	}
	a := r.avail[k]
	c := bCtx{demands: make([][]int32, 1)}
	r.stamp++
	for p, s32 := range starts {
		if mask&(1<<p) != 0 {
			r.use(&c, 0, k.fam, a.gids[p], k.day, int(s32), int(s32)+k.dur)
		}
	}
	u := c.demands[0]
	if u == nil {
		u = []int32{}
	}
	r.unions[uk] = u
	return u
}

// use records that the resources gids serve demand k of context c at [s, e).
func (r *relax) use(c *bCtx, k int, fam bFamily, gids []int, d, s, e int) {
	for _, g := range gids {
		if r.cover[g] == nil {
			r.cover[g] = newBitset(r.m.nSlots)
		}
		r.cover[g].setRange(s, e)
		if r.mark[g] == r.stamp {
			continue
		}
		r.mark[g] = r.stamp
		c.demands[k] = append(c.demands[k], r.bin(g, fam, d))
	}
}

// bin returns the bin of resource gid on day d, creating it.
func (r *relax) bin(gid int, fam bFamily, d int) int32 {
	key := gid*r.m.nDays + d
	if b := r.binIdx[key]; b >= 0 {
		return b
	}
	b := int32(len(r.bins))
	r.binIdx[key] = b
	r.bins = append(r.bins, bBin{gid: gid, fam: fam, res: r.m.familyIndex(fam, gid), day: d, capCnt: -1})
	return b
}

// familyIndex turns a global resource id into the index in its family.
func (m *model) familyIndex(fam bFamily, gid int) int {
	switch fam {
	case famRoom:
		return gid
	case famInterviewer:
		return gid - len(m.rooms)
	case famInterpreter:
		return gid - len(m.rooms) - len(m.interviewers)
	}
	return gid - len(m.rooms) - len(m.interviewers) - len(m.interpreters)
}

// capacities sets every bin's minutes and count (see the comment at the top).
func (r *relax) capacities() {
	m := r.m
	for k := range r.bins {
		b := &r.bins[k]
		b.capMin = r.cover[b.gid].count(m.dayStart[b.day], m.dayStart[b.day+1]) * m.unit
		b.capSes = r.sessionCap(b)
		switch b.fam {
		case famInterpreter:
			if t := m.interpreters[b.res]; t.maxDayMin >= 0 {
				b.capMin = min(b.capMin, t.maxDayMin-int(r.st0.itDay[b.res][b.day]))
			}
		case famInterviewer:
			if e := m.interviewers[b.res]; e.maxDay >= 0 {
				b.capCnt = e.maxDay - int(r.st0.ivDay[b.res][b.day])
			}
		}
	}
}

// binStarts returns the starts at which item it may sit in bin b: those of
// its contexts on the bin's day at which the bin's resource is free next to
// the pinned bookings (a superset of the starts of its options there).
func (r *relax) binStarts(it *bItem, b int32) []int32 {
	bn := &r.bins[b]
	free := r.st0.free[bn.gid]
	var out []int32
	seen := map[int32]bool{}
	for ci := range it.ctxs {
		c := &it.ctxs[ci]
		if c.day != bn.day {
			continue
		}
		for _, s := range c.starts {
			if !seen[s] && free.allSet(int(s), int(s)+it.durSlots) {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}
