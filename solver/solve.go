package solver

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// Options steer Solve.
type Options struct {
	// TimeLimit bounds the whole solve, counted from Start: Solve returns
	// a valid schedule within the limit plus a small margin (10 % or 1 s,
	// whichever is larger; docs/solver.md). When construction is not
	// finished in time, the rest is placed first fit, and what is left
	// untried when time runs out stays unscheduled (Stats.Note says so).
	// Zero with Iterations zero: construction only, however long it takes.
	TimeLimit time.Duration
	// Start is the instant the time limit counts from (default: the call),
	// so that a caller can count its own reading of the instance.
	Start time.Time
	// Iterations bounds the improvement phase by a number of moves per
	// worker (0: no bound). With one worker and no time limit the result is
	// the same on every run for a given seed.
	Iterations int64
	// Seed of the random choices.
	Seed int64
	// Workers is the number of parallel searches (default 1). Worker 0
	// runs exactly the one-worker search, so more workers never do worse
	// for the same iteration budget.
	Workers int
	// Progress, when set, is called about every ProgressEvery (default 1 s)
	// from one goroutine while Solve runs, from construction on; never
	// after Solve returns.
	Progress      func(Progress)
	ProgressEvery time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Progress is a snapshot of a running solve.
type Progress struct {
	Elapsed time.Duration // since Options.Start
	// Phase is PhaseConstruction, PhaseSearch or PhaseFinishing.
	Phase string
	// Best is the score of the best schedule so far (during construction:
	// of the partial schedule, with the interviews not yet placed counted
	// as unscheduled).
	Best Score
	// Scheduled is the number of interviews the best schedule holds (during
	// construction: placed so far) of Total.
	Scheduled  int
	Total      int
	Iterations int64
}

// Solve schedules the interviews of a valid instance: it keeps pinned
// bookings, keeps unpinned ones unless moving them pays for the change
// cost, and places as many interviews, as cheaply, as it can. The returned
// schedule never breaks a hard rule; its score is the one Check gives it.
func Solve(ctx context.Context, in *Instance, opt Options) (*Schedule, error) {
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	called := now()
	t0 := opt.Start
	if t0.IsZero() {
		t0 = called
	}
	if err := Validate(in); err != nil {
		return nil, err
	}
	m, err := compile(in, 0)
	if err != nil {
		return nil, err
	}
	workers := max(opt.Workers, 1)
	shared := &bestSoFar{phase: PhaseConstruction, iters: make([]int64, workers)}
	r := newRun(ctx, opt, now, t0, now().Sub(called), shared)
	stop := r.report(opt, len(m.ivs))
	defer stop()
	st, info := r.construct(m, workers)
	// The bound is computed beside the search, until the search ends, and
	// waited for only until the time limit (see startBound).
	finishBound := m.startBound(ctx, opt, now, t0, r.finishBy())
	firstMS := now().Sub(t0).Milliseconds()
	var iters int64
	var s *Schedule
	note := info.note()
	if (opt.TimeLimit > 0 || opt.Iterations > 0) && !r.over() {
		r.phase(PhaseSearch)
		var late string
		s, iters, late, err = r.search(m, st, opt, workers)
		note = joinNotes(note, late)
	} else {
		r.phase(PhaseFinishing)
		s, err = m.schedule(st, info.untried)
	}
	if err != nil {
		return nil, err
	}
	stop()
	s.Stats = &Stats{SolveMS: now().Sub(t0).Milliseconds(), FirstFeasibleMS: firstMS, Iterations: iters, Seed: opt.Seed, Workers: workers, Note: note}
	finishBound(s)
	return s, nil
}

// search improves the constructed state st and returns the best schedule
// found. Beside the search it finishes st's schedule (reasons, rendering,
// self-check): how long that takes sets the reserve the search leaves for
// finishing its own result, and when the search finds nothing better it is
// the result. It is the result too when a busy machine slowed finishing so
// much that the better schedule could not be finished within the limit; the
// note then says so.
func (r *run) search(m *model, st *state, opt Options, workers int) (*Schedule, int64, string, error) {
	var first *Schedule
	var firstErr error
	var took time.Duration
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := r.now()
		first, firstErr = m.schedule(st, nil) // reads st only, as the workers' clones do
		took = r.now().Sub(t)
		r.measured(took)
	}()
	best, iters := improve(r.ctx, st, opt, workers, r)
	<-done
	r.phase(PhaseFinishing)
	r.placed(best)
	if firstErr == nil && !best.key().less(st.key()) {
		return first, iters, "", nil
	}
	if firstErr == nil && !r.finishesInTime(took) {
		r.placed(st)
		return first, iters, "the machine was too busy to finish the search's better schedule within the time limit: the first schedule is returned", nil
	}
	s, err := m.schedule(best, nil)
	return s, iters, "", err
}

// joinNotes joins the non-empty notes of a solve with "; ".
func joinNotes(notes ...string) string {
	var out []string
	for _, n := range notes {
		if n != "" {
			out = append(out, n)
		}
	}
	return strings.Join(out, "; ")
}

// construct builds the first schedule: best insertion, and the first-fit
// baseline too when there is time for it; the better is kept. With two
// workers or more the baseline is built beside best insertion, on another
// core. The info says what the time limit cut short, if anything.
//
// On a month that cannot hold everything (first fit leaves an interview
// over that would fit an empty schedule) best insertion is also built in
// the order of priority density (dense), when there is time, and the best
// of the three is kept.
func (r *run) construct(m *model, workers int) (*state, constructInfo) {
	m.readyAll()
	var ff, dense *state
	var ffInfo, denseInfo constructInfo
	done := make(chan struct{})
	if workers > 1 {
		go func() {
			defer close(done)
			ff, ffInfo = constructIn(m, true, r.quiet())
			if !ffInfo.cut() && capacityBound(m, ff) && !r.over() {
				dense, denseInfo = constructOrdered(m, false, true, r.quiet())
			}
		}()
	}
	started := r.now()
	st, info := constructIn(m, false, r)
	if workers > 1 {
		<-done
	}
	if info.cut() {
		return st, info
	}
	if workers <= 1 {
		spent := r.now().Sub(started)
		if r.limited && !r.now().Add(spent/2).Before(r.finishBy()) {
			return st, constructInfo{} // no time for the first-fit baseline
		}
		ff, ffInfo = constructIn(m, true, r)
		spent = r.now().Sub(started)
		if !ffInfo.cut() && capacityBound(m, ff) && (!r.limited || r.now().Add(spent).Before(r.finishBy())) {
			dense, denseInfo = constructOrdered(m, false, true, r.quiet())
		}
	}
	if !ffInfo.cut() && ff.key().less(st.key()) {
		st = ff
	}
	if dense != nil && !denseInfo.cut() && dense.key().less(st.key()) {
		st = dense
	}
	return st, constructInfo{}
}

// capacityBound reports whether st leaves over, for want of capacity, at
// least one interview in twenty (interviews that would fit an empty
// schedule): the month cannot hold what it could, and holding the most is a
// packing problem. Construction then also tries priority density, and the
// search packs (repair takes equal priorities shortest first, and an
// ejection that removed a longer interview offers its room to others left
// over). A month that holds nearly all it can is solved as before.
func capacityBound(m *model, st *state) bool {
	n := 0
	for i := range m.ivs {
		if !st.asg[i].ok && !st.fixed[i] && m.fitsAlone(i) {
			n++
		}
	}
	return n > 0 && n >= len(m.ivs)/20
}

// FirstFit schedules the interviews greedily in priority order, each at its
// first feasible option: the baseline a clerk working through a list gets.
func FirstFit(in *Instance) (*Schedule, error) {
	if err := Validate(in); err != nil {
		return nil, err
	}
	m, err := compile(in, 0)
	if err != nil {
		return nil, err
	}
	return m.schedule(construct(m, true), nil)
}

// construct is constructIn without a time limit or progress.
func construct(m *model, firstFit bool) *state {
	st, _ := constructIn(m, firstFit, nil)
	return st
}

// constructInfo says what a time limit cut short in a construction.
type constructInfo struct {
	firstFit int   // interviews placed first fit to finish in time
	untried  []int // interviews not tried at all (indices into the model's)
}

func (c constructInfo) cut() bool { return c.firstFit > 0 || len(c.untried) > 0 }

func (c constructInfo) note() string {
	if !c.cut() {
		return ""
	}
	if len(c.untried) > 0 {
		return fmt.Sprintf("the time limit ran out during construction: %d interviews were placed first fit and %d were not tried (they are unscheduled)", c.firstFit, len(c.untried))
	}
	return fmt.Sprintf("the time limit ran out during construction: the last %d interviews were placed first fit", c.firstFit)
}

// constructIn places pinned bookings, then unpinned bookings that still
// hold, then every other interview by best insertion, scarce and important
// ones first (or first fit in priority order, for the baseline). With a
// run, it reports progress, finishes first fit when best insertion would
// not end in time, and stops at the run's last moment; the first-fit
// baseline is abandoned (reported as cut) when it would run into the
// reserve.
func constructIn(m *model, firstFit bool, r *run) (*state, constructInfo) {
	return constructOrdered(m, firstFit, false, r)
}

// constructOrdered is constructIn; with dense, best insertion takes the
// interviews of equal priority shortest first (priority per resource
// minute: when not everything fits, two short interviews hold more than
// one long one), then by scarcity.
func constructOrdered(m *model, firstFit, dense bool, r *run) (*state, constructInfo) {
	m.readyAll()
	st := newState(m)
	for i, mi := range m.ivs {
		if mi.booking != nil && mi.booking.b.Pinned {
			st.assign(i, mi.booking.opt)
			st.fixed[i] = true
		}
	}
	order := make([]int, 0, len(m.ivs))
	for i := range m.ivs {
		if !st.fixed[i] {
			order = append(order, i)
		}
	}
	if firstFit {
		sort.SliceStable(order, func(a, b int) bool { return m.ivs[order[a]].prio > m.ivs[order[b]].prio })
		fails := newFailMemo()
		for k, i := range order {
			if k&15 == 0 && r.over() {
				return st, constructInfo{untried: order[k:]}
			}
			if fails.failed(m.ivs[i]) {
				continue
			}
			if o, ok := st.firstFit(i); ok {
				st.assign(i, o)
			} else {
				fails.fail(m.ivs[i])
			}
		}
		return st, constructInfo{}
	}
	for _, i := range order {
		if b := m.ivs[i].booking; b != nil && b.onAxis && st.feasible(i, b.opt) {
			st.assign(i, b.opt)
		}
	}
	st.keepInPlace(order)
	r.placed(st)
	m.scarcityOrder(order)
	if dense {
		sort.SliceStable(order, func(a, b int) bool {
			x, y := m.ivs[order[a]], m.ivs[order[b]]
			if x.prio != y.prio {
				return x.prio > y.prio
			}
			return x.durMin < y.durMin
		})
	}
	return st, st.insertAll(order, r)
}

// scarcityOrder sorts interviews by priority, then scarcity: fewest
// candidate interpreters (or interviewers) times days first.
func (m *model) scarcityOrder(order []int) {
	flex := make([]int, len(m.ivs))
	for _, i := range order {
		mi := m.ivs[i]
		n := len(mi.interps)
		if !mi.needInterp {
			n = 0
			for _, es := range mi.ivrs {
				n += len(es)
			}
		}
		flex[i] = n * max(mi.lastHard-mi.first+1, 0)
	}
	sort.SliceStable(order, func(a, b int) bool {
		x, y := m.ivs[order[a]], m.ivs[order[b]]
		if x.prio != y.prio {
			return x.prio > y.prio
		}
		return flex[order[a]] < flex[order[b]]
	})
}

// insertAll places the unassigned interviews of order, each at its best
// insertion; with a run, first fit once best insertion would not end in
// time, and none once even that must stop.
func (st *state) insertAll(order []int, r *run) constructInfo {
	var info constructInfo
	started := r.now0()
	hurry := false
	fails := newFailMemo()
	for k, i := range order {
		if k&15 == 0 && r != nil {
			r.placed(st)
			if !hurry && r.hurry(started, k, len(order)-k) {
				hurry = true
			}
			if hurry && r.mustStop() {
				for _, j := range order[k:] {
					if !st.asg[j].ok {
						info.untried = append(info.untried, j)
					}
				}
				break
			}
		}
		if st.asg[i].ok {
			continue
		}
		if fails.failed(st.m.ivs[i]) {
			continue
		}
		var o option
		var ok bool
		if hurry {
			o, ok = st.firstFit(i)
			info.firstFit++
		} else {
			o, ok = st.bestInsertion(i)
		}
		if ok {
			st.assign(i, o)
		} else {
			fails.fail(st.m.ivs[i])
		}
	}
	r.placed(st)
	return info
}

// bestSoFar is shared by the workers.
type bestSoFar struct {
	mu    sync.Mutex
	phase string
	key   key
	score Score
	nAsg  int
	iters []int64
}

// improve runs large-neighbourhood search from st on `workers` goroutines
// until the run's reserve begins (or the iterations are spent) and returns
// the best state found.
func improve(ctx context.Context, st *state, opt Options, workers int, r *run) (*state, int64) {
	shared := r.shared
	shared.mu.Lock()
	shared.key, shared.score, shared.nAsg = st.key(), st.score(), st.nAsg
	shared.mu.Unlock()
	results := make([]*state, workers)
	packing := capacityBound(st.m, st)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			l := &lns{st: st.clone(), rng: rand.New(rand.NewPCG(uint64(opt.Seed), uint64(w)*0x9e3779b97f4a7c15+1)), shared: shared, worker: w, over: r.over, packing: packing}
			results[w] = l.run(ctx, opt.Iterations, time.Time{}, r.now)
		}(w)
	}
	wg.Wait()
	best := results[0]
	for w := 1; w < workers; w++ {
		if results[w].key().less(best.key()) {
			best = results[w]
		}
	}
	var total int64
	shared.mu.Lock()
	for _, n := range shared.iters {
		total += n
	}
	shared.mu.Unlock()
	return best, total
}

// lns is one worker's large-neighbourhood search with late acceptance.
type lns struct {
	st     *state
	rng    *rand.Rand
	shared *bestSoFar
	worker int
	over   func() bool // time is up (nil: the deadline given to run)
	// packing: the month cannot hold what it could (capacityBound)
	packing bool

	best    []option
	bestKey key
	removed []int
	old     []option
	touched []int
	buf     []int            // scratch: interviews to look at
	mark    bitset           // scratch: a set of interviews, kept empty
	byLang  map[string][]int // primary language subtag → movable interviews, increasing
	booked  []int            // movable interviews with an unpinned booking
}

const lahcLength = 400

func (l *lns) run(ctx context.Context, maxIter int64, deadline time.Time, now func() time.Time) *state {
	st := l.st
	m := st.m
	n := len(m.ivs)
	stop := l.over
	if stop == nil {
		stop = func() bool { return ctx.Err() != nil || !deadline.IsZero() && !now().Before(deadline) }
	}
	l.best = append([]option(nil), st.asg...)
	l.bestKey = st.key()
	movable := make([]int, 0, n)
	for i := range m.ivs {
		if !st.fixed[i] {
			movable = append(movable, i)
		}
	}
	// Interviews that have no option even in an empty schedule never need
	// another try.
	hopeless := make([]bool, n)
	for k, i := range movable {
		if k&63 == 0 && stop() {
			return st
		}
		if !st.asg[i].ok && !m.fitsAlone(i) {
			hopeless[i] = true
		}
	}
	if len(movable) == 0 {
		return st
	}
	// the interviews worth an ejection move: unassigned, not hopeless; and
	// those worth a keep move: their booking is not kept as it stands
	l.byLang = map[string][]int{}
	for _, i := range movable {
		l.byLang[m.ivs[i].prim] = append(l.byLang[m.ivs[i].prim], i)
		if b := m.ivs[i].booking; b != nil && !b.b.Pinned {
			l.booked = append(l.booked, i)
		}
	}
	var unassigned, broken []int
	refresh := func() {
		unassigned, broken = unassigned[:0], broken[:0]
		for _, i := range movable {
			if !st.asg[i].ok && !hopeless[i] {
				unassigned = append(unassigned, i)
			}
		}
		for _, i := range l.booked {
			if st.broken(i) {
				broken = append(broken, i)
			}
		}
	}
	refresh()
	if len(broken) > 0 {
		l.keepFirst(broken, hopeless, stop)
		refresh()
	}
	hist := make([]key, lahcLength)
	cur := st.key()
	for k := range hist {
		hist[k] = cur
	}
	var it int64
	for {
		if maxIter > 0 && it >= maxIter {
			break
		}
		if it&15 == 0 {
			if stop() {
				break
			}
			if it&1023 == 0 {
				l.shared.mu.Lock()
				l.shared.iters[l.worker] = it
				l.shared.mu.Unlock()
			}
		}
		it++
		if len(broken) > 0 && l.rng.IntN(8) == 0 {
			l.keep(broken[l.rng.IntN(len(broken))])
		} else if len(unassigned) > 0 && l.rng.IntN(2) == 0 {
			l.eject(unassigned[l.rng.IntN(len(unassigned))], hopeless, unassigned)
		} else {
			if l.packing && len(unassigned) > 0 && l.rng.IntN(4) == 0 {
				l.destroyOfficeDay(unassigned, hopeless)
			} else {
				l.destroy(movable, hopeless)
			}
		}
		l.repair(hopeless)
		nk := st.key()
		v := int(it % lahcLength)
		if !cur.less(nk) || !hist[v].less(nk) {
			changed := nk.medium != cur.medium || len(l.removed) > 0
			cur = nk
			if changed {
				refresh()
			}
			if nk.less(l.bestKey) {
				l.bestKey = nk
				copy(l.best, st.asg)
				l.publish()
			}
		} else {
			l.undo()
		}
		if cur.less(hist[v]) {
			hist[v] = cur
		}
	}
	l.shared.mu.Lock()
	l.shared.iters[l.worker] = it
	l.shared.mu.Unlock()
	// rebuild the best state
	out := newState(m)
	for i, o := range l.best {
		if o.ok {
			out.assign(i, o)
			out.fixed[i] = st.fixed[i]
		}
	}
	return out
}

// marks returns the worker's scratch set of interviews (empty).
func (l *lns) marks() bitset {
	if len(l.mark)*64 < len(l.st.asg) {
		l.mark = newBitset(len(l.st.asg))
	}
	return l.mark
}

func (l *lns) publish() {
	s := l.shared
	s.mu.Lock()
	if l.bestKey.less(s.key) {
		s.key = l.bestKey
		sc := l.st.score()
		s.score, s.nAsg = sc, l.st.nAsg
	}
	s.mu.Unlock()
}

// eject tries to place unassigned interview u at a random option that its
// static resources allow, removing the interviews in the way; repair then
// re-inserts them elsewhere if it can. When a longer interview made way, a
// few others left over (unassigned) at that office, no longer than it, get
// their chance too: one long interview out for two short ones of equal
// priority in is a gain when not everything fits.
func (l *lns) eject(u int, hopeless []bool, unassigned []int) {
	st := l.st
	m := st.m
	mi := m.ready(m.ivs[u])
	l.removed = l.removed[:0]
	l.old = l.old[:0]
	l.touched = l.touched[:0]
	if st.asg[u].ok || mi.lastHard < mi.first {
		return
	}
	d := mi.first + l.rng.IntN(mi.lastHard-mi.first+1)
	starts := m.startSlots(mi.durSlots)[d]
	if len(starts) == 0 {
		return
	}
	s := int(starts[l.rng.IntN(len(starts))])
	e := s + mi.durSlots
	li := l.rng.IntN(len(mi.locs))
	loc := mi.locs[li]
	o := option{ok: true, day: int16(d), loc: int16(loc), start: int32(s), itp: -1, mode: modeNone}
	if mi.needInterp {
		if len(mi.interps) == 0 {
			return
		}
		c := mi.interps[l.rng.IntN(len(mi.interps))]
		md := l.rng.IntN(2)
		if !c.ok[md] {
			md = 1 - md
		}
		if md == modeOnsite && !m.interpreters[c.t].onsiteAt[loc] {
			if !c.ok[modeRemote] {
				return
			}
			md = modeRemote
		}
		if !m.interpreters[c.t].avail.allSet(s, e) {
			return
		}
		o.itp, o.mode = int32(c.t), int8(md)
	}
	pickAvail := func(list []int, ok func(int) bool) int {
		if len(list) == 0 {
			return -1
		}
		k0 := l.rng.IntN(len(list))
		for k := range list {
			x := list[(k0+k)%len(list)]
			if ok(x) {
				return x
			}
		}
		return -1
	}
	room := pickAvail(mi.rooms[li], func(r int) bool {
		return (o.mode != modeRemote || m.rooms[r].video) && m.rooms[r].avail.allSet(s, e)
	})
	ivr := pickAvail(mi.ivrs[li], func(x int) bool { return m.interviewers[x].avail.allSet(s, e) })
	if room < 0 || ivr < 0 {
		return
	}
	o.room, o.ivr = int32(room), int32(ivr)
	for _, p := range mi.parties {
		if !m.parties[p].avail.allSet(s, e) {
			return
		}
	}
	// remove what stands in the way: overlapping users of the same
	// resources, and, when a daily limit or travel binds, the same-day
	// sessions of the interviewer or interpreter
	l.touched = append(l.touched, u)
	for pass := 0; pass < 2 && !st.feasible(u, o); pass++ {
		l.buf = st.assignedOn(d, d, l.marks(), l.buf)
		for _, j := range l.buf {
			a := st.asg[j]
			if !a.ok || j == u || int(a.day) != d {
				continue
			}
			js, je := int(a.start), int(a.start)+m.ivs[j].durSlots
			overlap := js < e && s < je
			hit := a.ivr == o.ivr && (overlap || pass == 1) ||
				o.itp >= 0 && a.itp == o.itp && (overlap || pass == 1) ||
				overlap && (a.room == o.room || sharesParty(m.ivs[j], mi))
			if !hit {
				continue
			}
			if st.fixed[j] {
				return // cannot move a pinned booking; undo restores
			}
			l.remove(j)
		}
	}
	if st.feasible(u, o) {
		st.assign(u, o)
	}
	l.fillAfterEject(u, loc, hopeless, unassigned)
}

// fillAfterEject adds to the touched interviews up to two unassigned ones at
// location loc no longer than the longest interview eject removed, when
// that one was longer than u.
func (l *lns) fillAfterEject(u, loc int, hopeless []bool, unassigned []int) {
	m := l.st.m
	longest := 0
	for _, j := range l.removed {
		longest = max(longest, m.ivs[j].durMin)
	}
	if !l.packing || longest <= m.ivs[u].durMin || len(unassigned) == 0 {
		return
	}
	for tries, added := 0, 0; tries < 16 && added < 2; tries++ {
		j := unassigned[l.rng.IntN(len(unassigned))]
		if j == u || l.st.asg[j].ok || hopeless[j] || m.ivs[j].durMin > longest || !containsInt(m.ivs[j].locs, loc) || containsInt(l.touched, j) {
			continue
		}
		l.touched = append(l.touched, j)
		added++
	}
}

func sharesParty(a, b *mInterview) bool {
	for _, p := range a.parties {
		for _, q := range b.parties {
			if p == q {
				return true
			}
		}
	}
	return false
}

// destroy removes a few related interviews: same day, same language, same
// interpreter or same office as a random seed interview.
func (l *lns) destroy(movable []int, hopeless []bool) {
	st := l.st
	m := st.m
	l.removed = l.removed[:0]
	l.old = l.old[:0]
	l.touched = l.touched[:0]
	seed := movable[l.rng.IntN(len(movable))]
	for tries := 0; tries < 8 && (hopeless[seed] || !st.asg[seed].ok && l.rng.IntN(2) == 0); tries++ {
		seed = movable[l.rng.IntN(len(movable))]
	}
	k := 1 + l.rng.IntN(8)
	if l.rng.IntN(8) == 0 {
		k += l.rng.IntN(24)
	}
	smi := m.ivs[seed]
	so := st.asg[seed]
	kind := l.rng.IntN(4)
	related := func(j int) bool {
		o := st.asg[j]
		if !o.ok || st.fixed[j] {
			return false
		}
		switch kind {
		case 0: // same day (or the seed's window)
			if so.ok {
				return o.day == so.day
			}
			return int(o.day) >= smi.first && int(o.day) <= smi.lastHard
		case 1: // same language
			return primarySubtag(m.ivs[j].iv.Language) == primarySubtag(smi.iv.Language)
		case 2: // same interpreter
			if so.ok && so.itp >= 0 {
				return o.itp == so.itp
			}
			return primarySubtag(m.ivs[j].iv.Language) == primarySubtag(smi.iv.Language)
		default: // same office and close in time
			if so.ok {
				return o.loc == so.loc && absInt(int(o.day)-int(so.day)) <= 2
			}
			return containsInt(smi.locs, int(o.loc))
		}
	}
	cands := l.relatedCands(kind, smi, so, movable)
	if st.asg[seed].ok {
		l.remove(seed)
	} else {
		l.touched = append(l.touched, seed)
	}
	// sample candidates from a random starting point of movable: the
	// first related ones at or after it, in increasing order, wrapping
	n := len(movable)
	startAt := l.rng.IntN(n)
	p, _ := slices.BinarySearch(cands, movable[startAt])
	for c := 0; c < len(cands) && len(l.removed) < k; c++ {
		j := cands[(p+c)%len(cands)]
		if j != seed && related(j) {
			l.remove(j)
		}
	}
	// also offer a few unassigned related interviews their chance
	added := 0
	for c := 0; c < n && added < 3; c++ {
		j := movable[(startAt+c*7)%n]
		if !st.asg[j].ok && !hopeless[j] && j != seed {
			if primarySubtag(m.ivs[j].iv.Language) == primarySubtag(smi.iv.Language) || l.rng.IntN(4) == 0 {
				l.touched = append(l.touched, j)
				added++
			}
		}
	}
}

// destroyOfficeDay is the packing neighbourhood around a resource-day that
// binds: for an interview left over, one day of its window and one of its
// offices, it removes a few of the interviews held there that day, longest
// (then least important) first, and offers the room to it and to up to four
// others left over that could be held there that day and are no longer
// than the longest removed; repair packs them.
func (l *lns) destroyOfficeDay(unassigned []int, hopeless []bool) {
	st := l.st
	m := st.m
	l.removed, l.old, l.touched = l.removed[:0], l.old[:0], l.touched[:0]
	u := unassigned[l.rng.IntN(len(unassigned))]
	mi := m.ready(m.ivs[u])
	l.touched = append(l.touched, u)
	if st.asg[u].ok || mi.lastHard < mi.first {
		return
	}
	d := mi.first + l.rng.IntN(mi.lastHard-mi.first+1)
	loc := mi.locs[l.rng.IntN(len(mi.locs))]
	l.buf = st.assignedOn(d, d, l.marks(), l.buf)
	cands := l.buf[:0]
	for _, j := range l.buf {
		if a := st.asg[j]; a.ok && !st.fixed[j] && int(a.day) == d && int(a.loc) == loc {
			cands = append(cands, j)
		}
	}
	sort.SliceStable(cands, func(a, b int) bool {
		x, y := m.ivs[cands[a]], m.ivs[cands[b]]
		if x.durMin != y.durMin {
			return x.durMin > y.durMin
		}
		return x.prio < y.prio
	})
	longest := mi.durMin
	for _, j := range cands[:min(len(cands), 1+l.rng.IntN(4))] {
		longest = max(longest, m.ivs[j].durMin)
		l.remove(j)
	}
	for tries, added := 0, 0; tries < 24 && added < 4; tries++ {
		j := unassigned[l.rng.IntN(len(unassigned))]
		o := m.ivs[j]
		if j == u || st.asg[j].ok || hopeless[j] || o.durMin > longest || o.first > d || o.lastHard < d || !containsInt(o.locs, loc) || containsInt(l.touched, j) {
			continue
		}
		l.touched = append(l.touched, j)
		added++
	}
}

// relatedCands returns, in increasing order, interviews among which all
// those related to the seed (of kind, held at so) are: the day's, the
// language's, the interpreter's, or the office's days; movable itself when
// no index narrows it.
func (l *lns) relatedCands(kind int, smi *mInterview, so option, movable []int) []int {
	st := l.st
	switch {
	case kind == 0 && so.ok:
		l.buf = st.assignedOn(int(so.day), int(so.day), l.marks(), l.buf)
	case kind == 1 || kind == 2 && !(so.ok && so.itp >= 0):
		return l.byLang[smi.prim]
	case kind == 2:
		l.buf = l.buf[:0]
		for _, j := range st.itSes[so.itp] {
			l.buf = append(l.buf, int(j))
		}
		slices.Sort(l.buf)
	case kind == 3 && so.ok:
		l.buf = st.assignedOn(int(so.day)-2, int(so.day)+2, l.marks(), l.buf)
	default:
		return movable
	}
	return l.buf
}

func absInt(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func (l *lns) remove(j int) {
	l.removed = append(l.removed, j)
	l.old = append(l.old, l.st.asg[j])
	l.touched = append(l.touched, j)
	l.st.unassign(j)
}

// repair re-inserts the touched interviews by best insertion, in random
// order or (every other time) in order of priority, and when packing, of
// equal priority shortest first: when not everything fits, two short
// interviews hold more than one long one.
func (l *lns) repair(hopeless []bool) {
	st := l.st
	m := st.m
	l.rng.Shuffle(len(l.touched), func(a, b int) { l.touched[a], l.touched[b] = l.touched[b], l.touched[a] })
	if l.rng.IntN(2) == 0 {
		sort.SliceStable(l.touched, func(a, b int) bool {
			x, y := m.ivs[l.touched[a]], m.ivs[l.touched[b]]
			if x.prio != y.prio || !l.packing {
				return x.prio > y.prio
			}
			return x.durMin < y.durMin
		})
	}
	for _, i := range l.touched {
		if st.asg[i].ok || hopeless[i] {
			continue
		}
		if o, ok := st.bestInsertion(i); ok {
			st.assign(i, o)
		}
	}
}

// undo restores the state before destroy.
func (l *lns) undo() {
	st := l.st
	for _, i := range l.touched {
		if st.asg[i].ok {
			st.unassign(i)
		}
	}
	for k, i := range l.removed {
		st.assign(i, l.old[k])
	}
}

// schedule turns a state into a schedule document with reasons for the
// unscheduled interviews, and checks it. untried are the interviews a cut
// construction never reached: their reason says so, without the search for
// an option that the time limit no longer allows.
func (m *model) schedule(st *state, untried []int) (*Schedule, error) {
	s := &Schedule{Format: ScheduleFormat, Assignments: []Assignment{}, Unscheduled: []Unscheduled{}}
	type row struct {
		start int32
		a     Assignment
	}
	var rows []row
	var unsched []int
	for i, mi := range m.ivs {
		o := st.asg[i]
		if !o.ok {
			unsched = append(unsched, i)
			continue
		}
		rows = append(rows, row{o.start, m.assignment(mi, o)})
	}
	sort.SliceStable(rows, func(a, b int) bool {
		if rows[a].start != rows[b].start {
			return rows[a].start < rows[b].start
		}
		return rows[a].a.Interview < rows[b].a.Interview
	})
	for _, r := range rows {
		s.Assignments = append(s.Assignments, r.a)
	}
	ex := newExplainer(m, st)
	ex.untried = make(map[int]bool, len(untried))
	for _, i := range untried {
		ex.untried[i] = true
	}
	for _, i := range unsched {
		code, detail := ex.explain(i)
		s.Unscheduled = append(s.Unscheduled, Unscheduled{Interview: m.ivs[i].iv.ID, Reason: code, Detail: detail})
	}
	rep, err := Check(m.in, s)
	if err != nil {
		return nil, err
	}
	if rep.Score.Hard != 0 {
		return nil, fmt.Errorf("internal error: the solver built a schedule with %d hard violations, first: %s", rep.Score.Hard, rep.Violations[0].Message)
	}
	if internal := st.score(); internal != rep.Score {
		return nil, fmt.Errorf("internal error: the solver's score %+v differs from the checked score %+v", internal, rep.Score)
	}
	s.Score = rep.Score
	return s, nil
}

// assignment renders option o of interview mi.
func (m *model) assignment(mi *mInterview, o option) Assignment {
	start := m.timeOf(int(o.start))
	a := Assignment{
		Interview:   mi.iv.ID,
		Start:       FormatInstant(start, m.loc),
		End:         FormatInstant(start.Add(time.Duration(mi.durMin)*time.Minute), m.loc),
		Location:    m.in.Locations[o.loc].ID,
		Room:        m.rooms[o.room].r.ID,
		Interviewer: m.interviewers[o.ivr].e.ID,
		Mode:        modeNames[o.mode],
	}
	if o.itp >= 0 {
		a.Interpreter = m.interpreters[o.itp].t.ID
	}
	return a
}
