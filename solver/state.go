package solver

import "math/bits"

// state is a (partial) schedule on a model, with occupancy bitsets, daily
// counters and the score kept up to date incrementally.
type state struct {
	m     *model
	free  []bitset  // per resource gid: available and not busy
	ivDay [][]int16 // interviewer → day → interviews
	itDay [][]int32 // interpreter → day → minutes
	itMin []int64   // interpreter → total minutes (fairness)
	itSes [][]int32 // interpreter → interviews assigned (for travel)
	asg   []option  // per interview
	fixed []bool    // pinned: never moved
	onDay [][]int32 // axis day → interviews assigned on it, in no order
	dayAt []int32   // interview → its position in onDay of its day

	medium int64
	comp   Components // all but Fairness, which comes from sumSq
	sumSq  int64
	nAsg   int
}

func newState(m *model) *state {
	st := &state{m: m}
	st.free = make([]bitset, m.numResources())
	for _, r := range m.rooms {
		st.free[r.gid] = r.avail.clone()
	}
	for _, r := range m.interviewers {
		st.free[r.gid] = r.avail.clone()
	}
	for _, r := range m.interpreters {
		st.free[r.gid] = r.avail.clone()
	}
	for _, r := range m.parties {
		st.free[r.gid] = r.avail.clone()
	}
	st.ivDay = make([][]int16, len(m.interviewers))
	for i := range st.ivDay {
		st.ivDay[i] = make([]int16, m.nDays)
	}
	st.itDay = make([][]int32, len(m.interpreters))
	for i := range st.itDay {
		st.itDay[i] = make([]int32, m.nDays)
	}
	st.itMin = make([]int64, len(m.interpreters))
	st.itSes = make([][]int32, len(m.interpreters))
	st.asg = make([]option, len(m.ivs))
	st.fixed = make([]bool, len(m.ivs))
	st.onDay = make([][]int32, m.nDays)
	st.dayAt = make([]int32, len(m.ivs))
	for _, mi := range m.ivs {
		st.medium += mi.prio
		if mi.booking != nil && !mi.booking.b.Pinned {
			st.comp.Change += m.w.Change
		}
	}
	return st
}

func (st *state) clone() *state {
	c := *st
	c.free = make([]bitset, len(st.free))
	for i, b := range st.free {
		c.free[i] = b.clone()
	}
	c.ivDay = make([][]int16, len(st.ivDay))
	for i, d := range st.ivDay {
		c.ivDay[i] = append([]int16(nil), d...)
	}
	c.itDay = make([][]int32, len(st.itDay))
	for i, d := range st.itDay {
		c.itDay[i] = append([]int32(nil), d...)
	}
	c.itMin = append([]int64(nil), st.itMin...)
	c.itSes = make([][]int32, len(st.itSes))
	for i, s := range st.itSes {
		c.itSes[i] = append([]int32(nil), s...)
	}
	c.asg = append([]option(nil), st.asg...)
	c.fixed = append([]bool(nil), st.fixed...)
	c.onDay = make([][]int32, len(st.onDay))
	for d, l := range st.onDay {
		c.onDay[d] = append([]int32(nil), l...)
	}
	c.dayAt = append([]int32(nil), st.dayAt...)
	return &c
}

// score returns the current score.
func (st *state) score() Score {
	c := st.comp
	c.Fairness = st.m.w.Fairness * st.sumSq / 3600
	return Score{Medium: st.medium, Soft: c.Sum(), Components: c}
}

// key is the score as a comparable pair (medium, soft).
type key struct{ medium, soft int64 }

func (k key) less(o key) bool {
	if k.medium != o.medium {
		return k.medium < o.medium
	}
	return k.soft < o.soft
}

func (st *state) key() key {
	return key{st.medium, st.comp.Sum() + st.m.w.Fairness*st.sumSq/3600}
}

// parts returns the per-interview soft terms of holding mi at o (no
// fairness, no change).
func (m *model) parts(mi *mInterview, o option) Components {
	var c Components
	date := m.day0 + Date(o.day)
	c.Wait = mi.prio * m.w.WaitPerDay * int64(date-mi.earliest)
	if mi.hasDead && date > mi.deadline {
		c.Late = mi.prio * m.w.LatePerDay * int64(date-mi.deadline)
	}
	if o.itp >= 0 {
		t := m.interpreters[o.itp]
		c.Cost = m.w.Cost * (t.rate[o.mode] * int64(mi.durMin) / 60)
		if ok, exact := t.speaks(mi.lang, mi.prim, mi.iv.DialectRequired); ok && !exact {
			c.Dialect = m.w.Dialect
		}
	}
	if mi.preferOn && o.mode == modeRemote {
		c.Remote = m.w.Remote
	}
	if mi.preferred >= 0 && int(o.ivr) != mi.preferred {
		c.Continuity = m.w.NotPreferred
	}
	return c
}

// changeCost is the change term of interview mi held at o (o.ok false:
// unscheduled): nothing for its booking as it stands (or a pinned one);
// change_resource at the booking's start and location with other people, room
// or mode (the summons stands); change otherwise (dropped, another time or
// place).
func (m *model) changeCost(mi *mInterview, o option) int64 {
	b := mi.booking
	if b == nil || b.b.Pinned {
		return 0
	}
	switch {
	case !o.ok || !b.onAxis:
		return m.w.Change
	case o.sameAs(b.opt):
		return 0
	case o.start == b.opt.start && o.loc == b.opt.loc:
		return m.w.ChangeResource
	}
	return m.w.Change
}

func addComp(a *Components, b Components, sign int64) {
	a.Wait += sign * b.Wait
	a.Late += sign * b.Late
	a.Cost += sign * b.Cost
	a.Remote += sign * b.Remote
	a.Dialect += sign * b.Dialect
	a.Continuity += sign * b.Continuity
	a.Change += sign * b.Change
}

// assign holds interview i at o. The caller has checked feasibility.
func (st *state) assign(i int, o option) {
	m := st.m
	mi := m.ivs[i]
	s, e := int(o.start), int(o.start)+mi.durSlots
	st.free[m.rooms[o.room].gid].clearRange(s, e)
	st.free[m.interviewers[o.ivr].gid].clearRange(s, e)
	st.ivDay[o.ivr][o.day]++
	if o.itp >= 0 {
		st.free[m.interpreters[o.itp].gid].clearRange(s, e)
		st.itDay[o.itp][o.day] += int32(mi.durMin)
		old := st.itMin[o.itp]
		st.itMin[o.itp] = old + int64(mi.durMin)
		st.sumSq += st.itMin[o.itp]*st.itMin[o.itp] - old*old
		st.itSes[o.itp] = append(st.itSes[o.itp], int32(i))
	}
	for _, p := range mi.parties {
		st.free[m.parties[p].gid].clearRange(s, e)
	}
	st.asg[i] = o
	st.dayAt[i] = int32(len(st.onDay[o.day]))
	st.onDay[o.day] = append(st.onDay[o.day], int32(i))
	st.medium -= mi.prio
	st.nAsg++
	addComp(&st.comp, m.parts(mi, o), 1)
	st.comp.Change += m.changeCost(mi, o) - m.changeCost(mi, option{})
}

// unassign frees interview i.
func (st *state) unassign(i int) {
	m := st.m
	mi := m.ivs[i]
	o := st.asg[i]
	s, e := int(o.start), int(o.start)+mi.durSlots
	st.free[m.rooms[o.room].gid].setRange(s, e)
	st.free[m.interviewers[o.ivr].gid].setRange(s, e)
	st.ivDay[o.ivr][o.day]--
	if o.itp >= 0 {
		st.free[m.interpreters[o.itp].gid].setRange(s, e)
		st.itDay[o.itp][o.day] -= int32(mi.durMin)
		old := st.itMin[o.itp]
		st.itMin[o.itp] = old - int64(mi.durMin)
		st.sumSq += st.itMin[o.itp]*st.itMin[o.itp] - old*old
		ses := st.itSes[o.itp]
		for k, x := range ses {
			if int(x) == i {
				ses[k] = ses[len(ses)-1]
				st.itSes[o.itp] = ses[:len(ses)-1]
				break
			}
		}
	}
	for _, p := range mi.parties {
		st.free[m.parties[p].gid].setRange(s, e)
	}
	st.asg[i] = option{}
	day := st.onDay[o.day]
	last := day[len(day)-1]
	day[st.dayAt[i]] = last
	st.dayAt[last] = st.dayAt[i]
	st.onDay[o.day] = day[:len(day)-1]
	st.medium += mi.prio
	st.nAsg--
	addComp(&st.comp, m.parts(mi, o), -1)
	st.comp.Change += m.changeCost(mi, option{}) - m.changeCost(mi, o)
}

// assignedOn returns the interviews assigned on axis days [from, to], in
// increasing order, appended to buf[:0]: a copy, so the caller may
// unassign them while it walks. mark is a scratch set of interviews, empty
// on entry and on return: marking and collecting costs less than sorting.
func (st *state) assignedOn(from, to int, mark bitset, buf []int) []int {
	buf = buf[:0]
	lo, hi := len(mark), -1
	for d := max(from, 0); d <= to && d < len(st.onDay); d++ {
		for _, j := range st.onDay[d] {
			w := int(j) >> 6
			mark[w] |= 1 << (uint(j) & 63)
			lo, hi = min(lo, w), max(hi, w)
		}
	}
	for w := lo; w <= hi; w++ {
		for x := mark[w]; x != 0; x &= x - 1 {
			buf = append(buf, w<<6+bits.TrailingZeros64(x))
		}
		mark[w] = 0
	}
	return buf
}

// travelOK reports whether interpreter t can hold an on-site session at
// location loc in slots [s, e) of day d, given its other on-site sessions
// that day (rule 7).
func (st *state) travelOK(t int, d int16, loc int, s, e int, self int) bool {
	m := st.m
	for _, j := range st.itSes[t] {
		if int(j) == self {
			continue
		}
		o := st.asg[j]
		if !o.ok || o.day != d || o.mode != modeOnsite || int(o.loc) == loc {
			continue
		}
		tr := m.travel[loc][o.loc]
		if tr < 0 {
			return false
		}
		js, je := int(o.start), int(o.start)+m.ivs[j].durSlots
		// gap in minutes between the two sessions
		if je <= s {
			if (s-je)*m.unit < tr {
				return false
			}
		} else if e <= js {
			if (js-e)*m.unit < tr {
				return false
			}
		} else {
			return false
		}
	}
	return true
}

// fairDelta is the change of the fairness term when interpreter t gets dur
// more minutes.
func (st *state) fairDelta(t int, dur int) int64 {
	w := st.m.w.Fairness
	if w == 0 {
		return 0
	}
	old := st.itMin[t]
	nw := old + int64(dur)
	s2 := st.sumSq + nw*nw - old*old
	return w*s2/3600 - w*st.sumSq/3600
}

// feasible reports whether interview i can be held at o in the current state
// (every hard rule, assuming i is not assigned).
func (st *state) feasible(i int, o option) bool {
	m := st.m
	mi := m.ready(m.ivs[i])
	d := int(o.day)
	if d < mi.first || d > mi.last || int(o.room) < 0 || int(o.ivr) < 0 {
		return false
	}
	starts := m.startSlots(mi.durSlots)[d]
	onGrain := false
	for _, s := range starts {
		onGrain = onGrain || s == o.start
	}
	if !onGrain {
		return false
	}
	li := -1
	for k, l := range mi.locs {
		if l == int(o.loc) {
			li = k
		}
	}
	if li < 0 || !containsInt(mi.rooms[li], int(o.room)) || !containsInt(mi.ivrs[li], int(o.ivr)) {
		return false
	}
	s, e := int(o.start), int(o.start)+mi.durSlots
	if o.mode == modeRemote && !m.rooms[o.room].video {
		return false
	}
	if !st.free[m.rooms[o.room].gid].allSet(s, e) || !st.interviewerFree(int(o.ivr), d, s, e) || !st.partiesFree(mi, s, e) {
		return false
	}
	if !mi.needInterp {
		return o.itp < 0 && o.mode == modeNone
	}
	if o.itp < 0 || o.mode == modeNone {
		return false
	}
	for _, c := range mi.interps {
		if c.t == int(o.itp) {
			return c.ok[o.mode] && st.interpFree(mi, c.t, int(o.mode), int(o.loc), o.day, s, e, i)
		}
	}
	return false
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func (st *state) interviewerFree(e, d, s, end int) bool {
	me := st.m.interviewers[e]
	if me.maxDay >= 0 && int(st.ivDay[e][d]) >= me.maxDay {
		return false
	}
	return st.free[me.gid].allSet(s, end)
}

func (st *state) partiesFree(mi *mInterview, s, e int) bool {
	for _, p := range mi.parties {
		if !st.free[st.m.parties[p].gid].allSet(s, e) {
			return false
		}
	}
	return true
}

func (st *state) interpFree(mi *mInterview, t, mode, loc int, d int16, s, e int, self int) bool {
	mt := st.m.interpreters[t]
	if mode == modeOnsite && !mt.onsiteAt[loc] {
		return false
	}
	if mt.maxDayMin >= 0 && int(st.itDay[t][d])+mi.durMin > mt.maxDayMin {
		return false
	}
	if !st.free[mt.gid].allSet(s, e) {
		return false
	}
	return mode != modeOnsite || st.travelOK(t, d, loc, s, e, self)
}
