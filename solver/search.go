package solver

// dayBase is the wait and late cost of starting interview mi on axis day d.
func (m *model) dayBase(mi *mInterview, d int) int64 {
	date := m.day0 + Date(d)
	c := mi.prio * m.w.WaitPerDay * int64(date-mi.earliest)
	if mi.hasDead && date > mi.deadline {
		c += mi.prio * m.w.LatePerDay * int64(date-mi.deadline)
	}
	return c
}

// visitFunc receives a feasible option and the change of the soft score it
// causes; it returns false to stop the enumeration.
type visitFunc func(o option, soft int64) bool

// visit enumerates the feasible options of interview i in the current state,
// day by day. For each start, location and mode it picks the plainest free
// room and the preferred (else the plainest) free interviewer; with
// allInterps it yields one option per feasible interpreter, otherwise only the
// cheapest one. Before each day, keepGoing(dayBase) may stop the enumeration
// (days are visited in order, so their base cost never falls). lastDay limits
// the days (inclusive).
func (st *state) visit(i int, lastDay int, allInterps bool, keepGoing func(base int64) bool, f visitFunc) {
	m := st.m
	mi := m.ready(m.ivs[i])
	starts := m.startSlots(mi.durSlots)
	for d := mi.first; d <= lastDay && d < m.nDays; d++ {
		base := m.dayBase(mi, d)
		if keepGoing != nil && !keepGoing(base) {
			return
		}
		day := int16(d)
		for _, s32 := range starts[d] {
			s := int(s32)
			e := s + mi.durSlots
			if !st.partiesFree(mi, s, e) {
				continue
			}
			for li, loc := range mi.locs {
				// interviewer: the preferred one if free, else the plainest free one
				ivr, cont := -1, int64(0)
				if mi.preferred >= 0 && containsInt(mi.ivrs[li], mi.preferred) && st.interviewerFree(mi.preferred, d, s, e) {
					ivr = mi.preferred
				} else {
					for _, e2 := range mi.ivrs[li] {
						if st.interviewerFree(e2, d, s, e) {
							ivr = e2
							break
						}
					}
					if mi.preferred >= 0 {
						cont = m.w.NotPreferred
					}
				}
				if ivr < 0 {
					continue
				}
				plain, video := -1, -1
				for _, r := range mi.rooms[li] {
					if st.free[m.rooms[r].gid].allSet(s, e) {
						if plain < 0 {
							plain = r
						}
						if m.rooms[r].video {
							video = r
							break
						}
					}
				}
				if plain < 0 {
					continue
				}
				o := option{ok: true, day: day, loc: int16(loc), start: int32(s), ivr: int32(ivr), itp: -1}
				if !mi.needInterp {
					o.mode, o.room = modeNone, int32(plain)
					if !f(o, base+cont+m.changeCost(mi, o)) {
						return
					}
					continue
				}
				for md := 0; md < 2; md++ {
					room := plain
					if md == modeRemote {
						room = video
					}
					if room < 0 {
						continue
					}
					o.mode, o.room = int8(md), int32(room)
					bestT, bestC := -1, int64(1<<62)
					cands := mi.remoteInterps
					if md == modeOnsite {
						cands = mi.onsiteInterps[li]
					}
					for _, c := range cands {
						if !c.ok[md] {
							continue
						}
						if !allInterps && c.cost[md] >= bestC {
							if minCost(c) >= bestC {
								break
							}
							continue
						}
						if !st.interpFree(mi, c.t, md, loc, day, s, e, i) {
							continue
						}
						cost := c.cost[md] + st.fairDelta(c.t, mi.durMin)
						if allInterps {
							o.itp = int32(c.t)
							if !f(o, base+cont+cost+m.changeCost(mi, o)) {
								return
							}
							continue
						}
						if cost < bestC {
							bestT, bestC = c.t, cost
						}
					}
					if !allInterps && bestT >= 0 {
						o.itp = int32(bestT)
						if !f(o, base+cont+bestC+m.changeCost(mi, o)) {
							return
						}
					}
				}
			}
		}
	}
}

// softDelta is the change of the soft score caused by holding i at o, when i
// is unassigned and o is feasible.
func (st *state) softDelta(i int, o option) int64 {
	m := st.m
	mi := m.ivs[i]
	p := m.parts(mi, o)
	d := p.Sum() + m.changeCost(mi, o) - m.changeCost(mi, option{})
	if o.itp >= 0 {
		d += st.fairDelta(int(o.itp), mi.durMin)
	}
	return d
}

// bestInsertion returns the cheapest feasible option for unassigned
// interview i, or ok=false when there is none.
func (st *state) bestInsertion(i int) (option, bool) {
	m := st.m
	mi := m.ivs[i]
	best, bestCost := option{}, int64(1<<62)
	if b := mi.booking; b != nil && b.onAxis && !b.b.Pinned && st.feasible(i, b.opt) {
		best, bestCost = b.opt, st.softDelta(i, b.opt)+m.changeCost(mi, option{})
	} else if o, ok := st.keepOption(i); ok {
		// at the booking's start and location, keeping what can stay: it
		// wins ties against the same price with other people
		best, bestCost = o, st.softDelta(i, o)+m.changeCost(mi, option{})
	}
	st.visit(i, mi.lastHard, false, func(base int64) bool { return base < bestCost }, func(o option, c int64) bool {
		if c < bestCost {
			best, bestCost = o, c
		}
		return true
	})
	return best, best.ok
}

// firstFit returns the first feasible option of interview i in the order of
// days, start times, locations and modes.
func (st *state) firstFit(i int) (option, bool) {
	var got option
	st.visit(i, st.m.ivs[i].lastHard, false, nil, func(o option, _ int64) bool {
		got = o
		return false
	})
	return got, got.ok
}
