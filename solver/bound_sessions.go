package solver

import "slices"

// bound_sessions.go: a third capacity of a bin, in "sessions", for days
// whose start times are few and far apart (08:30, 09:00, 12:30, 13:00: a
// room holds two interviews a day however short they are, and an interview
// of five hours takes the whole day), where minutes alone would let a room
// hold four two-hour interviews, or a six-hour and a two-hour one.
//
// The start times of a day (every start slot of any interview's duration)
// are grouped in order into sessions: a new session begins at the first
// start at least dmin after the session's first start, dmin being the
// shortest duration of any interview. Two interviews of one resource never
// start in one session (their starts are less than dmin apart, so they would
// overlap). An interview at start s of duration D also shuts every later
// session all of whose starts lie before s + D (any interview starting there
// would overlap it). The sessions an interview starts in or shuts are its
// own: no two interviews of a valid schedule on one resource share one (an
// interview starting in a session shut by another starts inside it; a
// session shut by two lies inside both). So on each bin the interviews'
// weights, 1 + the sessions shut (at the least over the starts the interview
// may take), add up to at most the sessions in which the bin's resource can
// start anything (capSes). The family knapsack uses this as a third
// dimension.

// daySessions are the sessions of one day: the start slots in order and
// the session of each, and the last start of each session.
type daySessions struct {
	starts []int32
	of     []int   // session of starts[k]
	last   []int32 // per session: its last start
}

// sessions computes the sessions of every day from the durations of the
// items.
func (r *relax) sessions() {
	m := r.m
	durs := map[int]bool{}
	dmin := 0
	for _, it := range r.items {
		durs[it.durSlots] = true
		if dmin == 0 || it.durSlots < dmin {
			dmin = it.durSlots
		}
	}
	r.ses = make([]daySessions, m.nDays)
	if dmin == 0 {
		return
	}
	for d := range m.nDays {
		var all []int32
		for dur := range durs {
			all = append(all, m.startSlots(dur)[d]...)
		}
		slices.Sort(all)
		all = slices.Compact(all)
		ds := daySessions{starts: all, of: make([]int, len(all))}
		first := int32(-1)
		for k, s := range all {
			if first < 0 || int(s-first) >= dmin {
				first = s
				ds.last = append(ds.last, s)
			}
			ds.of[k] = len(ds.last) - 1
			ds.last[len(ds.last)-1] = s
		}
		r.ses[d] = ds
	}
}

// sessionWeight is the least weight of an interview of durSlots on day d
// over the starts it may take (see above); 0 when it has none.
func (r *relax) sessionWeight(d int, starts []int32, durSlots int) int {
	ds := &r.ses[d]
	best := 0
	for _, s := range starts {
		k, ok := slices.BinarySearch(ds.starts, s)
		if !ok {
			return 1 // not a known start: claim the least
		}
		w := 1
		for c := ds.of[k] + 1; c < len(ds.last) && int(ds.last[c]) < int(s)+durSlots; c++ {
			w++
		}
		if best == 0 || w < best {
			best = w
		}
	}
	return best
}

// sessionCap is the number of sessions of bin b's day in which its
// resource can start an interview (its cover holds the start).
func (r *relax) sessionCap(b *bBin) int {
	ds := &r.ses[b.day]
	cov := r.cover[b.gid]
	n, lastSes := 0, -1
	for k, s := range ds.starts {
		if ds.of[k] != lastSes && cov.allSet(int(s), int(s)+1) {
			n++
			lastSes = ds.of[k]
		}
	}
	return n
}
