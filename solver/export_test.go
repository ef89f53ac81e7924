package solver

import (
	"context"
	"sort"
	"time"
)

// RelaxationUpperBounds returns, for the instance's relaxation (see
// bound_relax.go), upper bounds on the priority that any valid schedule can
// hold among the relaxation's items (the unpinned interviews with an
// option next to the pinned bookings), by name: the knapsack and the
// packer over all items at once, for the combined relaxation and each
// family alone, and the bound's own relaxed maximum. Held gives that
// priority for a schedule. For the property and brute-force tests: a
// relaxation that claims less than a schedule holds is wrong.
func RelaxationUpperBounds(in *Instance) (ubs map[string]int64, held func(*Schedule) int64, err error) {
	if err := Validate(in); err != nil {
		return nil, nil, err
	}
	m, err := compile(in, 0)
	if err != nil {
		return nil, nil, err
	}
	r, err := newRelax(context.Background(), m, time.Time{}, nil)
	if err != nil {
		return nil, nil, err
	}
	all := make([]int, len(r.items))
	isItem := map[string]int64{}
	for k := range all {
		all[k] = k
		mi := m.ivs[r.items[k].iv]
		isItem[mi.iv.ID] = mi.prio
	}
	ubs = map[string]int64{}
	masks := []famMask{allFamilies}
	for f := bFamily(0); f < numFamilies; f++ {
		masks = append(masks, 1<<f)
	}
	for _, mask := range masks {
		name := maskName(mask)
		subs := r.project(all, mask)
		ubs["knapsack/"+name] = r.knapsack(subs, mask)
		for f := bFamily(0); f < numFamilies; f++ {
			if mask.has(f) {
				ubs["knapsack/"+name+"/"+familyNames[f]] = r.familyKnapsack(subs, f)
			}
		}
		bud := &budget{}
		bud.allow(exactNodes)
		ub, _ := newPacker(r, subs, bud).maxWeight()
		ubs["packer/"+name] = ub
		res := r.solveAll(mask, &budget{})
		var all int64
		for _, it := range r.items {
			all += it.prio
		}
		// items with no demand of the families are in no component: held
		ubs["solve/"+name] = all - res.total + res.ub
	}
	held = func(s *Schedule) int64 {
		var h int64
		for _, a := range s.Assignments {
			h += isItem[a.Interview]
		}
		return h
	}
	return ubs, held, nil
}

// BruteForceMaxPriority returns the largest priority a valid schedule of
// the instance can hold, by trying every option of every interview (room,
// interviewer, interpreter, mode, start, location), with pinned bookings
// held; for tiny instances only.
func BruteForceMaxPriority(in *Instance) (int64, error) {
	if err := Validate(in); err != nil {
		return 0, err
	}
	m, err := compile(in, 0)
	if err != nil {
		return 0, err
	}
	m.readyAll()
	st := newState(m)
	var free []int
	var pinned int64
	for i, mi := range m.ivs {
		if mi.booking != nil && mi.booking.b.Pinned {
			st.assign(i, mi.booking.opt)
			pinned += mi.prio
			continue
		}
		free = append(free, i)
	}
	sort.SliceStable(free, func(a, b int) bool { return m.ivs[free[a]].prio > m.ivs[free[b]].prio })
	var rem int64
	for _, i := range free {
		rem += m.ivs[i].prio
	}
	var best int64
	var rec func(k int, cur, rem int64)
	rec = func(k int, cur, rem int64) {
		if cur > best {
			best = cur
		}
		if k == len(free) || cur+rem <= best {
			return
		}
		i := free[k]
		mi := m.ivs[i]
		for _, o := range allOptions(m, mi) {
			if st.feasible(i, o) {
				st.assign(i, o)
				rec(k+1, cur+mi.prio, rem-mi.prio)
				st.unassign(i)
			}
		}
		rec(k+1, cur, rem-mi.prio)
	}
	rec(0, 0, rem)
	return pinned + best, nil
}

// allOptions lists every option of an interview that its static candidates
// allow (feasibility aside).
func allOptions(m *model, mi *mInterview) []option {
	var out []option
	starts := m.startSlots(mi.durSlots)
	for d := mi.first; d <= mi.lastHard && d < m.nDays; d++ {
		for _, s := range starts[d] {
			for li, loc := range mi.locs {
				for _, room := range mi.rooms[li] {
					for _, ivr := range mi.ivrs[li] {
						o := option{ok: true, day: int16(d), loc: int16(loc), start: s, room: int32(room), ivr: int32(ivr), itp: -1, mode: modeNone}
						if !mi.needInterp {
							out = append(out, o)
							continue
						}
						for _, c := range mi.interps {
							for md := 0; md < 2; md++ {
								if c.ok[md] {
									o.itp, o.mode = int32(c.t), int8(md)
									out = append(out, o)
								}
							}
						}
					}
				}
			}
		}
	}
	return out
}
