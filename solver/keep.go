package solver

// keep.go: a booking that breaks is first repaired where it stands. Its
// interview keeps the booked start and location (the applicant's and
// counsel's summons stays valid, so the change costs change_resource, not
// change) and each of the booked room, interviewer, interpreter and mode that
// can stay; only the resource that broke is swapped.

// keepOption returns the cheapest feasible option of unassigned interview i
// at its unpinned booking's start and location that keeps every booked
// resource still free there: the booked room, interviewer and interpreter
// when they can stay, otherwise the plainest free room, the preferred (else
// the plainest) free interviewer and the cheapest free interpreter. The booked
// mode wins ties. ok is false when there is no booking to keep or nothing fits
// at its time and place.
func (st *state) keepOption(i int) (option, bool) {
	m := st.m
	mi := m.ready(m.ivs[i])
	b := mi.booking
	if b == nil || b.b.Pinned || !b.onAxis {
		return option{}, false
	}
	bo := b.opt
	d := int(bo.day)
	li := indexOf(mi.locs, int(bo.loc))
	if d < mi.first || d > mi.lastHard || li < 0 {
		return option{}, false
	}
	s, e := int(bo.start), int(bo.start)+mi.durSlots
	if !st.partiesFree(mi, s, e) {
		return option{}, false
	}
	ivr := st.keepInterviewer(mi, li, int(bo.ivr), d, s, e)
	if ivr < 0 {
		return option{}, false
	}
	modes := []int{modeNone}
	if mi.needInterp {
		modes = []int{modeOnsite, modeRemote}
		if bo.mode == modeRemote {
			modes = []int{modeRemote, modeOnsite}
		}
	}
	best, bestCost := option{}, int64(1<<62)
	for _, md := range modes {
		room := st.keepRoom(mi, li, int(bo.room), md, s, e)
		if room < 0 {
			continue
		}
		o := option{ok: true, day: bo.day, loc: bo.loc, start: bo.start, room: int32(room), ivr: int32(ivr), itp: -1, mode: int8(md)}
		if mi.needInterp {
			t := st.keepInterpreter(i, mi, int(bo.itp), md, int(bo.loc), bo.day, s, e)
			if t < 0 {
				continue
			}
			o.itp = int32(t)
		}
		if !st.feasible(i, o) {
			continue
		}
		if c := st.softDelta(i, o); c < bestCost {
			best, bestCost = o, c
		}
	}
	return best, best.ok
}

// keepRoom is the booked room when it is still free (with video when the
// mode is remote), else the plainest free room of the location that fits;
// -1 when none.
func (st *state) keepRoom(mi *mInterview, li, booked, md, s, e int) int {
	fits := func(r int) bool {
		return (md != modeRemote || st.m.rooms[r].video) && st.free[st.m.rooms[r].gid].allSet(s, e)
	}
	if containsInt(mi.rooms[li], booked) && fits(booked) {
		return booked
	}
	for _, r := range mi.rooms[li] {
		if fits(r) {
			return r
		}
	}
	return -1
}

// keepInterviewer is the booked interviewer when still free, else the
// preferred one when free, else the plainest free one; -1 when none.
func (st *state) keepInterviewer(mi *mInterview, li, booked, d, s, e int) int {
	for _, x := range []int{booked, mi.preferred} {
		if x >= 0 && containsInt(mi.ivrs[li], x) && st.interviewerFree(x, d, s, e) {
			return x
		}
	}
	for _, x := range mi.ivrs[li] {
		if st.interviewerFree(x, d, s, e) {
			return x
		}
	}
	return -1
}

// keepInterpreter is the booked interpreter when it can still work in mode
// md, else the cheapest one who can (cost, dialect, remote and fairness);
// -1 when none.
func (st *state) keepInterpreter(i int, mi *mInterview, booked, md, loc int, day int16, s, e int) int {
	best, bestCost := -1, int64(1<<62)
	for _, c := range mi.interps {
		if !c.ok[md] || !st.interpFree(mi, c.t, md, loc, day, s, e, i) {
			continue
		}
		if c.t == booked {
			return c.t
		}
		if cost := c.cost[md] + st.fairDelta(c.t, mi.durMin); cost < bestCost {
			best, bestCost = c.t, cost
		}
	}
	return best
}

func indexOf(xs []int, x int) int {
	for k, y := range xs {
		if y == x {
			return k
		}
	}
	return -1
}

// keepInPlace holds, during construction, each unpinned booking that cannot
// stay as it is at its start and location with other resources, when that
// is its best insertion now: before other interviews take the slot.
func (st *state) keepInPlace(order []int) {
	for _, i := range order {
		b := st.m.ivs[i].booking
		if b == nil || b.b.Pinned || !b.onAxis || st.asg[i].ok {
			continue
		}
		if o, ok := st.bestInsertion(i); ok && o.start == b.opt.start && o.loc == b.opt.loc {
			st.assign(i, o)
		}
	}
}

// broken reports whether interview i has an unpinned booking on the axis
// that its current assignment does not keep as it stands.
func (st *state) broken(i int) bool {
	b := st.m.ivs[i].booking
	return b != nil && !b.b.Pinned && b.onAxis && !st.asg[i].sameAs(b.opt)
}

// keep is the LNS move for a broken booking: interview j goes back to its
// booking's start and location, swapping only the resources that cannot
// stay. When nothing fits there, the unpinned interviews holding the booked
// room, interviewer or the interpreter to use at that time are removed
// first (repair re-inserts them elsewhere); then, if a daily limit or travel
// still binds, their other sessions of that day.
func (l *lns) keep(j int) {
	st := l.st
	l.removed = l.removed[:0]
	l.old = l.old[:0]
	l.touched = l.touched[:0]
	if st.asg[j].ok {
		l.remove(j)
	} else {
		l.touched = append(l.touched, j)
	}
	o, ok := st.keepOption(j)
	for pass := 0; !ok && pass < 2; pass++ {
		if !l.clearAround(j, pass == 1) {
			return // a pinned booking is in the way; undo restores
		}
		o, ok = st.keepOption(j)
	}
	if ok {
		st.assign(j, o)
	}
}

// clearAround removes the unpinned interviews that use, at the booking's time
// of interview j, its booked room and interviewer and the interpreter it
// would take (the booked one when available, else the cheapest available
// one), or any party of j; sameDay removes every session of that interviewer
// and interpreter on the day. It returns false when a pinned one is in the
// way.
func (l *lns) clearAround(j int, sameDay bool) bool {
	st := l.st
	m := st.m
	mi := m.ivs[j]
	bo := mi.booking.opt
	s, e := int(bo.start), int(bo.start)+mi.durSlots
	itp := int32(-1)
	if mi.needInterp {
		for _, c := range mi.interps {
			if (c.ok[modeOnsite] || c.ok[modeRemote]) && m.interpreters[c.t].avail.allSet(s, e) {
				if itp < 0 || int32(c.t) == bo.itp {
					itp = int32(c.t)
				}
			}
		}
	}
	l.buf = st.assignedOn(int(bo.day), int(bo.day), l.marks(), l.buf)
	for _, k := range l.buf {
		a := st.asg[k]
		if !a.ok || k == j || a.day != bo.day {
			continue
		}
		ks, ke := int(a.start), int(a.start)+m.ivs[k].durSlots
		overlap := ks < e && s < ke
		hit := a.ivr == bo.ivr && (overlap || sameDay) ||
			itp >= 0 && a.itp == itp && (overlap || sameDay) ||
			overlap && (a.room == bo.room || sharesParty(m.ivs[k], mi))
		if !hit {
			continue
		}
		if st.fixed[k] {
			return false
		}
		l.remove(k)
	}
	return true
}

// keepFirst tries the keep move once on each broken booking before the
// search starts (a booking that breaks is repaired in place first), keeping
// each result that is no worse, until over reports that time is up.
func (l *lns) keepFirst(broken []int, hopeless []bool, over func() bool) {
	st := l.st
	for k, j := range append([]int(nil), broken...) {
		if k&15 == 15 && over() {
			break
		}
		before := st.key()
		l.keep(j)
		l.repair(hopeless)
		if before.less(st.key()) {
			l.undo()
		}
	}
	if k := st.key(); k.less(l.bestKey) {
		l.bestKey = k
		copy(l.best, st.asg)
		l.publish()
	}
}
