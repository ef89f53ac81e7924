package solver

import (
	"context"
	"fmt"
	"sort"
	"time"
)

// Bound is a proven lower bound on the medium score (the unscheduled
// priority): no valid schedule of the instance leaves less priority
// unscheduled. See docs/solver.md ("Lower bound") and bound_relax.go for the
// relaxation and why it is valid.
type Bound struct {
	// Medium is the bound.
	Medium int64 `json:"medium"`
	// Trivial is the priority of the interviews that fit nowhere even alone
	// in an empty schedule; Alone adds those that fit nowhere next to the
	// pinned bookings. Trivial ≤ Alone ≤ Medium.
	Trivial int64 `json:"trivial"`
	Alone   int64 `json:"alone"`
	// Total is the priority of all interviews.
	Total int64 `json:"total"`
	// Relaxation names the relaxation that gave the bound: "combined" (all
	// resources together, each interview on one day) or one family alone
	// ("room", "interviewer", "interpreter", "party"); "alone" when no
	// relaxation adds to Alone.
	Relaxation string `json:"relaxation"`
	// Exact is true when that relaxation was solved to optimality (no search
	// budget or time limit cut it short): the bound cannot be raised without
	// a stronger relaxation.
	Exact bool `json:"exact"`
	// Binding says which resources limit the schedule, largest loss first.
	Binding []Binding `json:"binding"`
	// Components is the number of independent parts the relaxation split
	// into; Nodes the search nodes spent; MS the time taken.
	Components int   `json:"components"`
	Nodes      int64 `json:"nodes"`
	MS         int64 `json:"ms"`
}

// Binding is one limit the bound found: a set of interviews and the resources
// they compete for, and the priority among them that no schedule can hold.
type Binding struct {
	// Kind is "alone" (interviews with no option at all), "room",
	// "interviewer", "interpreter", "party" or "combined".
	Kind string `json:"kind"`
	// Resources are the ids of the resources in question (at most 10).
	Resources []string `json:"resources,omitempty"`
	// From and To are the first and last day of the bins in question.
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	// Interviews are the interviews in question (at most 20 listed) and
	// Count their number.
	Interviews []string `json:"interviews"`
	Count      int      `json:"count"`
	// Lost is the priority among them that cannot be scheduled.
	Lost int64 `json:"lost"`
	// Text says it in words.
	Text string `json:"text"`
}

// BoundOptions steer ComputeBound.
type BoundOptions struct {
	// TimeLimit bounds the search (0: 10 s). When it runs out the bound is
	// still valid, only weaker.
	TimeLimit time.Duration
	// Start is the instant the time limit counts from (default: the
	// call), so that a caller can count its own reading of the instance.
	Start time.Time
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Search budgets: components with at most smallComponent interviews are
// solved by branch and bound with up to exactNodes nodes; larger ones are
// packed whole with up to packNodes nodes, and bounded by capacity when that
// fails.
const (
	smallComponent = 40
	exactNodes     = 400_000
	packNodes      = 2_000_000
)

// ComputeBound returns a lower bound on the medium score of every valid
// schedule of a valid instance.
func ComputeBound(ctx context.Context, in *Instance, opt BoundOptions) (*Bound, error) {
	if opt.Start.IsZero() {
		now := opt.Now
		if now == nil {
			now = time.Now
		}
		opt.Start = now() // validation and compilation count too
	}
	if err := Validate(in); err != nil {
		return nil, err
	}
	m, err := compile(in, 0)
	if err != nil {
		return nil, err
	}
	return m.bound(ctx, opt)
}

// bound computes the bound on a compiled model.
func (m *model) bound(ctx context.Context, opt BoundOptions) (*Bound, error) {
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	t0 := opt.Start
	if t0.IsZero() {
		t0 = now()
	}
	limit := opt.TimeLimit
	if limit <= 0 {
		limit = 10 * time.Second
	}
	// the searches end at nine tenths of the limit; naming the bindings
	// has the rest
	end := t0.Add(limit)
	if d, ok := ctx.Deadline(); ok && d.Before(end) {
		end = d
	}
	deadline := end.Add(-end.Sub(t0) / 10)
	// building the relaxation may use most of the time; the interviews it
	// has not reached by then are left out (see newRelax)
	r, err := newRelax(ctx, m, t0.Add(limit*4/5), now)
	if err != nil {
		return nil, err
	}
	b := &Bound{}
	for _, mi := range m.ivs {
		b.Total += mi.prio
	}
	for _, i := range r.empty {
		b.Trivial += m.ivs[i].prio
	}
	for _, i := range r.hopeless {
		b.Alone += m.ivs[i].prio
	}
	bud := &budget{deadline: deadline, now: now, ctx: ctx}
	best := r.solveAll(allFamilies, bud)
	b.Components = len(best.parts)
	if best.lost() > 0 || !best.exact {
		for f := bFamily(0); f < numFamilies && !bud.expired(); f++ {
			if res := r.solveAll(1<<f, bud); res.lost() > best.lost() {
				best = res
			}
		}
	}
	b.Medium = b.Alone + best.lost()
	b.Relaxation, b.Exact = best.name, best.exact && !r.cut
	if best.lost() == 0 {
		b.Relaxation = "alone"
	}
	b.Binding = r.bindings(best, &budget{deadline: end, now: now, ctx: ctx})
	b.Nodes = bud.nodes
	b.MS = now().Sub(t0).Milliseconds()
	return b, nil
}

// relaxResult is the relaxed maximum of one relaxation, by component.
type relaxResult struct {
	name  string
	mask  famMask
	ub    int64 // upper bound on the scheduled priority of the items
	total int64 // priority of the items
	exact bool
	parts []part
}

func (rr relaxResult) lost() int64 { return rr.total - rr.ub }

// part is one component: its items and their relaxed maximum.
type part struct {
	items []int
	total int64
	ub    int64
	exact bool
	cores []core // when the bound comes from cores
}

// solveAll solves the relaxation keeping the families in mask, component by
// component: components share no bin, so the relaxed maximum is the sum of
// theirs.
func (r *relax) solveAll(mask famMask, bud *budget) relaxResult {
	res := relaxResult{name: maskName(mask), mask: mask, exact: true}
	for _, comp := range r.components(mask) {
		pt := part{items: comp}
		for _, x := range comp {
			pt.total += r.items[x].prio
		}
		if bud.expired() {
			// out of time: the component is taken to hold everything,
			// which only raises the relaxed maximum
			pt.ub = pt.total
			res.total += pt.total
			res.ub += pt.ub
			res.exact = false
			continue
		}
		r.solvePart(&pt, mask, bud)
		res.total += pt.total
		res.ub += pt.ub
		res.exact = res.exact && pt.exact
		res.parts = append(res.parts, pt)
	}
	return res
}

func maskName(mask famMask) string {
	if mask == allFamilies {
		return "combined"
	}
	for f := bFamily(0); f < numFamilies; f++ {
		if mask == 1<<f {
			return familyNames[f]
		}
	}
	return "mixed"
}

// solvePart bounds the relaxed maximum of one component: directly, and when
// that is not exact, also through its cores.
func (r *relax) solvePart(pt *part, mask famMask, bud *budget) {
	pt.ub, pt.exact = r.solveDirect(pt.items, mask, bud)
	if pt.exact {
		return
	}
	cores, ub := r.cores(pt.items, mask, bud)
	if ub < pt.ub {
		pt.ub, pt.cores = ub, cores
	}
}

// solveDirect bounds the relaxed maximum of items by branch and bound (few
// items) or by packing them all (many), falling back to the capacity
// knapsack.
//
// The knapsack comes first: when it shows that a large component cannot be
// held whole, packing it would only confirm that (at the cost of its node
// budget and of projecting every item).
func (r *relax) solveDirect(items []int, mask famMask, bud *budget) (int64, bool) {
	var total int64
	plain := make([]subItem, len(items)) // the knapsack reads the items only
	for k, x := range items {
		plain[k].it = &r.items[x]
		total += r.items[x].prio
	}
	ks := r.knapsack(plain, mask)
	if len(items) > smallComponent && ks < total {
		return ks, false
	}
	subs := r.project(items, mask)
	p := newPacker(r, subs, bud)
	if len(subs) <= smallComponent {
		bud.allow(exactNodes)
		if ub, exact := p.maxWeight(); exact || ub < total {
			return min(ub, ks), exact
		}
		return ks, false
	}
	bud.allow(packNodes)
	p.arrange = false
	all := make([]int, len(subs))
	for k := range all {
		all[k] = k
	}
	if p.packAll(all) == packYes {
		return total, true
	}
	return ks, false
}

// A core of a component, for one family F, is the set I_B of its items
// whose F-resources all lie in a set B (the F-resources of one of its
// items, at most maxCoreResources of them). Restricting a relaxed solution
// to I_B gives a relaxed solution of I_B alone, so the relaxed maximum of the
// component is at most the sum, over cores with pairwise disjoint items, of
// their relaxed maxima, plus the priority of the items in no chosen core.
// Cores catch what the whole component is too large to show: the few
// child-friendly rooms of an office, the interpreters of one rare language.
const maxCoreResources = 16

// core is a core with its bound.
type core struct {
	fam   bFamily
	items []int
	total int64
	ub    int64
}

// cores bounds the relaxed maximum of a component by its cores and returns
// the cores chosen (those that lose priority, disjoint, largest loss first).
func (r *relax) cores(comp []int, mask famMask, bud *budget) ([]core, int64) {
	var found []core
	for f := bFamily(0); f < numFamilies; f++ {
		if !mask.has(f) {
			continue
		}
		res := make([]map[int]bool, len(comp))
		keys := map[string]int{} // resource set → an item that has it
		for k, x := range comp {
			if k&255 == 0 && bud.expired() {
				break // the items not reached belong to no core: valid
			}
			res[k] = r.resourcesOf(&r.items[x], f)
			if len(res[k]) == 0 || len(res[k]) > maxCoreResources {
				continue
			}
			keys[setKey(res[k])] = k
		}
		for _, k := range sortedValues(keys) {
			if bud.expired() {
				break
			}
			var items []int
			var total int64
			for j, x := range comp {
				if len(res[j]) > 0 && subset(res[j], res[k]) {
					items = append(items, x)
					total += r.items[x].prio
				}
			}
			if len(items) == len(comp) {
				continue
			}
			if ub, _ := r.solveDirect(items, mask, bud); ub < total {
				found = append(found, core{fam: f, items: items, total: total, ub: ub})
			}
		}
	}
	sort.SliceStable(found, func(a, b int) bool { return found[a].total-found[a].ub > found[b].total-found[b].ub })
	taken := map[int]bool{}
	var chosen []core
	var ub int64
	for _, c := range found {
		clash := false
		for _, x := range c.items {
			clash = clash || taken[x]
		}
		if clash {
			continue
		}
		for _, x := range c.items {
			taken[x] = true
		}
		chosen = append(chosen, c)
		ub += c.ub
	}
	for _, x := range comp {
		if !taken[x] {
			ub += r.items[x].prio
		}
	}
	return chosen, ub
}

// resourcesOf is the set of resources (global ids) of family f that item
// it can use in any context.
func (r *relax) resourcesOf(it *bItem, f bFamily) map[int]bool {
	out := map[int]bool{}
	for ci := range it.ctxs {
		for j, g := range it.fams {
			if g != f {
				continue
			}
			for _, b := range it.ctxs[ci].demands[j] {
				out[r.bins[b].gid] = true
			}
		}
	}
	return out
}

func setKey(s map[int]bool) string {
	ks := make([]int, 0, len(s))
	for k := range s {
		ks = append(ks, k)
	}
	sort.Ints(ks)
	return fmt.Sprint(ks)
}

func subset(a, b map[int]bool) bool {
	if len(a) > len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

// sortedValues returns the map's values in the order of its keys.
func sortedValues(m map[string]int) []int {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]int, len(keys))
	for i, k := range keys {
		out[i] = m[k]
	}
	return out
}

// components splits the items into groups that share no bin of the kept
// families. Items with no demand of those families are left out: they take
// nothing from any bin, so the relaxation always holds them.
func (r *relax) components(mask famMask) [][]int {
	parent := make([]int, len(r.items))
	for k := range parent {
		parent[k] = k
	}
	find := func(x int) int {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	owner := make([]int, len(r.bins)) // bin → an item using it, -1 none
	for b := range owner {
		owner[b] = -1
	}
	// contexts share their lists of bins (bound_relax.go): a list seen
	// before is already one component, so an item using it joins that
	seen := map[*int32]bool{}
	kept := make([]bool, len(r.items))
	for x := range r.items {
		it := &r.items[x]
		for ci := range it.ctxs {
			for j, f := range it.fams {
				if !mask.has(f) {
					continue
				}
				kept[x] = true
				bins := it.ctxs[ci].demands[j]
				if len(bins) == 0 {
					continue
				}
				if seen[&bins[0]] {
					parent[find(x)] = find(owner[bins[0]])
					continue
				}
				seen[&bins[0]] = true
				for _, b := range bins {
					if o := owner[b]; o >= 0 {
						parent[find(x)] = find(o)
					} else {
						owner[b] = x
					}
				}
			}
		}
	}
	groups := map[int][]int{}
	var roots []int
	for x := range r.items {
		if !kept[x] {
			continue
		}
		root := find(x)
		if _, ok := groups[root]; !ok {
			roots = append(roots, root)
		}
		groups[root] = append(groups[root], x)
	}
	out := make([][]int, 0, len(roots))
	for _, root := range roots {
		out = append(out, groups[root])
	}
	return out
}

// startBound computes the bound of a solve alongside its search, until the
// search ends (end; 10 s when the solve has no time limit), and returns the
// step that puts it into the schedule's statistics as bound and gap (medium
// − bound). It starts once construction is done, so that construction,
// which decides whether the solve has a schedule in time at all, has the
// cores to itself; beside two search workers on two cores it takes a third
// of the machine, not half. A bound cut short is still valid, only weaker.
// The step waits for the bound only until the solve's
// deadline (t0 + the time limit): the time limit is a promise, so a bound
// not ready by then is left out, and its computation stopped; a bound
// computed by then is never dropped. A search bounded by moves alone waits
// for it; construction alone takes it only if it is ready.
func (m *model) startBound(ctx context.Context, opt Options, now func() time.Time, t0, end time.Time) func(*Schedule) {
	bctx, cancel := context.WithCancel(ctx)
	done := make(chan *Bound, 1)
	bo := BoundOptions{Now: now}
	if opt.TimeLimit > 0 {
		bo.TimeLimit = max(end.Sub(now()), time.Millisecond)
	}
	go func() {
		b, err := m.bound(bctx, bo)
		if err != nil {
			b = nil
		}
		done <- b
	}()
	return func(s *Schedule) {
		defer cancel()
		var b *Bound
		switch {
		case opt.TimeLimit > 0:
			b = awaitBound(done, t0.Add(opt.TimeLimit).Sub(now()))
		case opt.Iterations > 0:
			b = <-done // no time promised: a search bounded by moves waits for it
		default:
			b = awaitBound(done, 0) // construction only: the bound if it is ready
		}
		if b == nil || s.Stats == nil {
			return
		}
		gap := s.Score.Medium - b.Medium
		s.Stats.Bound, s.Stats.Gap, s.Stats.Binding = &b.Medium, &gap, b.Binding
	}
}

// awaitBound returns the bound from done if it is there within wait, and
// nil otherwise. A bound already there is always taken, even when the wait
// is over (a select between a ready bound and a due timer would pick one at
// random and could drop a bound computed in time).
func awaitBound(done <-chan *Bound, wait time.Duration) *Bound {
	select {
	case b := <-done:
		return b
	default:
	}
	if wait <= 0 {
		return nil
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case b := <-done:
		return b
	case <-timer.C:
		select { // it may have arrived as the timer fired
		case b := <-done:
			return b
		default:
			return nil
		}
	}
}
