package solver

import "context"

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
}

// relax is the relaxation of an instance.
type relax struct {
	m        *model
	st0      *state // the pinned bookings only
	items    []bItem
	bins     []bBin
	binIdx   map[[2]int]int32 // (gid, day) → bin
	cover    []bitset         // per gid
	hopeless []int            // unpinned interviews with no option next to the pinned bookings
	empty    []int            // … and those with no option even in an empty schedule (the trivial bound)
	mark     []int            // per gid: scratch stamp
	stamp    int
}

// newRelax builds the relaxation. It stops early (returning ctx.Err()) when
// ctx ends.
func newRelax(ctx context.Context, m *model) (*relax, error) {
	m.readyAll()
	r := &relax{m: m, st0: newState(m), binIdx: map[[2]int]int32{}}
	r.cover = make([]bitset, m.numResources())
	r.mark = make([]int, m.numResources())
	for i, mi := range m.ivs {
		if mi.booking != nil && mi.booking.b.Pinned {
			r.st0.assign(i, mi.booking.opt)
			r.st0.fixed[i] = true
		}
	}
	empty := newState(m)
	for i := range m.ivs {
		if r.st0.fixed[i] {
			continue
		}
		if i&63 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		it, ok := r.item(i)
		if !ok {
			r.hopeless = append(r.hopeless, i)
			if _, fits := empty.bestInsertion(i); !fits {
				r.empty = append(r.empty, i)
			}
			continue
		}
		r.items = append(r.items, it)
	}
	r.capacities()
	return r, nil
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
				if c, ok := r.scanCtx(i, mi, d, li, md, starts[d], len(it.fams)); ok {
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
	key := [2]int{gid, d}
	if b, ok := r.binIdx[key]; ok {
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
