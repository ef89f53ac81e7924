package solver

import (
	"context"
	"sort"
	"time"
)

// Solving the relaxation (see bound_relax.go) on a set of items, keeping only
// the demands of some families. Every answer here is an upper bound on the
// relaxed maximum of scheduled priority: exact when the search finished, and
// otherwise something larger (a budget that runs out answers "feasible", or
// falls back to a knapsack on the families' total capacity).

// verdict of a packing search.
type verdict int8

const (
	packNo verdict = iota
	packYes
	packUnknown // the budget ran out: treated as feasible
)

// budget counts search nodes against a node limit (set per search) and a
// deadline (for the whole bound).
type budget struct {
	nodes, limit int64
	deadline     time.Time
	now          func() time.Time
	ctx          context.Context // nil: none
	late         bool
}

// expired reports whether the deadline has passed (or the context ended),
// reading the clock: for the steps between searches.
func (b *budget) expired() bool {
	if !b.late && (b.ctx != nil && b.ctx.Err() != nil || !b.deadline.IsZero() && !b.now().Before(b.deadline)) {
		b.late = true
	}
	return b.late
}

// spend counts a node; false once the node limit or the deadline is passed.
func (b *budget) spend() bool {
	if b.late || b.nodes >= b.limit {
		return false
	}
	b.nodes++
	if b.nodes&1023 == 0 {
		b.expired()
	}
	return !b.late
}

// allow sets the node limit of the next search to n more nodes.
func (b *budget) allow(n int64) { b.limit = b.nodes + n }

// subItem is an item with its contexts projected onto the kept families
// (identical projections merged).
type subItem struct {
	it   *bItem
	ctxs [][][]int32 // per context: per kept demand: usable bins
}

// packer searches assignments of items to bins.
type packer struct {
	r       *relax
	subs    []subItem
	useMin  []int
	useCnt  []int
	held    map[int32][]int // bin → sub items in it (for the layout check)
	choice  [][]int32       // per sub item: the bins it holds
	starts  map[[2]int32][]int32
	bud     *budget
	arrange bool
}

// famMask selects families; bit f keeps family f.
type famMask uint8

const allFamilies famMask = 1<<numFamilies - 1

func (f famMask) has(x bFamily) bool { return f&(1<<x) != 0 }

// project builds the sub items of items for the families in mask.
func (r *relax) project(items []int, mask famMask) []subItem {
	subs := make([]subItem, len(items))
	for k, x := range items {
		it := &r.items[x]
		subs[k].it = it
		seen := map[string]bool{}
		for ci := range it.ctxs {
			var proj [][]int32
			key := []byte{}
			for j, f := range it.fams {
				if !mask.has(f) {
					continue
				}
				bins := it.ctxs[ci].demands[j]
				proj = append(proj, bins)
				for _, b := range bins {
					key = append(key, byte(b), byte(b>>8), byte(b>>16), byte(b>>24))
				}
				key = append(key, 0xff, 0xff, 0xff, 0xfe)
			}
			if seen[string(key)] {
				continue
			}
			seen[string(key)] = true
			subs[k].ctxs = append(subs[k].ctxs, proj)
		}
	}
	return subs
}

func newPacker(r *relax, subs []subItem, bud *budget) *packer {
	return &packer{r: r, subs: subs, useMin: make([]int, len(r.bins)), useCnt: make([]int, len(r.bins)),
		held: map[int32][]int{}, choice: make([][]int32, len(subs)), starts: map[[2]int32][]int32{}, bud: bud, arrange: true}
}

// maxLayout is the most interviews in one bin whose layout is checked.
const maxLayout = 8

// fits reports whether sub item x can also go into bin b.
func (p *packer) fits(x int, b int32) bool {
	bn := &p.r.bins[b]
	it := p.subs[x].it
	if p.useMin[b]+it.dur > bn.capMin || (bn.capCnt >= 0 && p.useCnt[b]+1 > bn.capCnt) {
		return false
	}
	if !p.arrange || len(p.held[b]) == 0 || len(p.held[b]) >= maxLayout {
		return true
	}
	return p.layout(append(append([]int(nil), p.held[b]...), x), b) != packNo
}

// layout reports whether the sub items xs can share bin b without overlap,
// each at one of its starts there.
func (p *packer) layout(xs []int, b int32) verdict {
	type job struct {
		starts []int32
		dur    int
	}
	jobs := make([]job, len(xs))
	for k, x := range xs {
		key := [2]int32{int32(x), b}
		st, ok := p.starts[key]
		if !ok {
			st = p.r.binStarts(p.subs[x].it, b)
			p.starts[key] = st
		}
		jobs[k] = job{st, p.subs[x].it.durSlots}
	}
	sort.Slice(jobs, func(a, c int) bool { return len(jobs[a].starts) < len(jobs[c].starts) })
	at := make([]int32, len(jobs))
	var rec func(k int) verdict
	rec = func(k int) verdict {
		if k == len(jobs) {
			return packYes
		}
		for _, s := range jobs[k].starts {
			if !p.bud.spend() {
				return packUnknown
			}
			e := s + int32(jobs[k].dur)
			clash := false
			for j := 0; j < k && !clash; j++ {
				clash = s < at[j]+int32(jobs[j].dur) && at[j] < e
			}
			if clash {
				continue
			}
			at[k] = s
			if v := rec(k + 1); v != packNo {
				return v
			}
		}
		return packNo
	}
	return rec(0)
}

func (p *packer) add(x int, b int32) {
	p.useMin[b] += p.subs[x].it.dur
	p.useCnt[b]++
	p.held[b] = append(p.held[b], x)
	p.choice[x] = append(p.choice[x], b)
}

func (p *packer) remove(x int, b int32) {
	p.useMin[b] -= p.subs[x].it.dur
	p.useCnt[b]--
	h := p.held[b]
	for k, y := range h {
		if y == x {
			h[k] = h[len(h)-1]
			p.held[b] = h[:len(h)-1]
			break
		}
	}
	p.choice[x] = p.choice[x][:len(p.choice[x])-1]
}

// unplace takes sub item x out of its bins.
func (p *packer) unplace(x int) {
	for len(p.choice[x]) > 0 {
		p.remove(x, p.choice[x][len(p.choice[x])-1])
	}
}

// place tries to put the sub items order[k:] into bins next to what is
// placed; on packYes they stay placed, otherwise nothing changes.
func (p *packer) place(order []int, k int) verdict {
	if k == len(order) {
		return packYes
	}
	x := order[k]
	for _, c := range p.subs[x].ctxs {
		if v := p.placeDemand(order, k, c, 0); v != packNo {
			return v
		}
	}
	return packNo
}

func (p *packer) placeDemand(order []int, k int, c [][]int32, j int) verdict {
	if !p.bud.spend() {
		return packUnknown
	}
	if j == len(c) {
		return p.place(order, k+1)
	}
	x := order[k]
	for _, b := range c[j] {
		if !p.fits(x, b) {
			continue
		}
		p.add(x, b)
		v := p.placeDemand(order, k, c, j+1)
		if v == packYes {
			return v
		}
		p.remove(x, b)
		if v == packUnknown {
			return v
		}
	}
	return packNo
}

// byScarcity orders sub items with the fewest contexts first.
func (p *packer) byScarcity(xs []int) []int {
	out := append([]int(nil), xs...)
	sort.SliceStable(out, func(a, b int) bool { return len(p.subs[out[a]].ctxs) < len(p.subs[out[b]].ctxs) })
	return out
}

// packAll places all of xs from scratch.
func (p *packer) packAll(xs []int) verdict {
	for x := range p.subs {
		p.unplace(x)
	}
	return p.place(p.byScarcity(xs), 0)
}

// maxWeight is branch and bound over the sub items: the largest priority of
// a subset that packs, or an upper bound on it when the budget runs out (then
// exact is false). A subset that cannot pack has no superset that packs, so
// an item that does not fit next to the chosen ones is only ever left out.
func (p *packer) maxWeight() (ub int64, exact bool) {
	n := len(p.subs)
	order := make([]int, n)
	var rem int64
	for k := range order {
		order[k] = k
		rem += p.subs[k].it.prio
	}
	sort.SliceStable(order, func(a, b int) bool { return p.subs[order[a]].it.prio > p.subs[order[b]].it.prio })
	var best int64
	exact = true
	var chosen []int
	valid := true // the placed bins are a packing of chosen
	var rec func(k int, cur, rem int64) int64
	rec = func(k int, cur, rem int64) int64 {
		if cur+rem <= best {
			return cur + rem
		}
		if k == n {
			best = cur
			return cur
		}
		if !p.bud.spend() {
			exact = false
			return cur + rem
		}
		x := order[k]
		pr := p.subs[x].it.prio
		up := int64(-1)
		snap, parentValid := p.snapshot(chosen), valid
		v := packNo
		if valid {
			v = p.place([]int{x}, 0)
		}
		if v != packYes {
			v = p.packAll(append(append([]int(nil), chosen...), x))
		}
		if v != packNo {
			if v == packUnknown {
				exact = false
			}
			valid = v == packYes
			chosen = append(chosen, x)
			up = rec(k+1, cur+pr, rem-pr)
			chosen = chosen[:len(chosen)-1]
		}
		valid = parentValid
		p.restore(snap, valid)
		up = max(up, rec(k+1, cur, rem-pr))
		return up
	}
	ub = rec(0, 0, rem)
	return max(ub, best), exact
}

// snapshot copies the bins held by the chosen sub items.
func (p *packer) snapshot(chosen []int) [][2]int32 {
	var out [][2]int32
	for _, x := range chosen {
		for _, b := range p.choice[x] {
			out = append(out, [2]int32{int32(x), b})
		}
	}
	return out
}

// restore empties every bin and puts the snapshot back (when it was a
// packing).
func (p *packer) restore(snap [][2]int32, valid bool) {
	for x := range p.subs {
		p.unplace(x)
	}
	if !valid {
		return
	}
	for _, e := range snap {
		p.add(int(e[0]), e[1])
	}
}

// knapsack bounds the relaxed maximum of sub items by the total capacity of
// each kept family's bins they can use: the scheduled items' demands of a
// family take their minutes (and, for interviewers, their count) from those
// bins. It is the fractional knapsack's value, rounded down, for the tightest
// family.
func (r *relax) knapsack(subs []subItem, mask famMask) int64 {
	var total int64
	for _, s := range subs {
		total += s.it.prio
	}
	best := total
	for f := bFamily(0); f < numFamilies; f++ {
		if !mask.has(f) {
			continue
		}
		best = min(best, r.familyKnapsack(subs, f))
	}
	return best
}

func (r *relax) familyKnapsack(subs []subItem, f bFamily) int64 {
	type use struct {
		prio          int64
		min, cnt, ses int
	}
	var free int64
	var uses []use
	capMin, capCnt, capSes, counted := 0, 0, 0, true
	seen := make([]bool, len(r.bins))
	seenList := map[*int32]bool{} // contexts share lists of bins: count each once
	for _, s := range subs {
		k := 0
		for _, g := range s.it.fams {
			if g == f {
				k++
			}
		}
		if k == 0 {
			free += s.it.prio
			continue
		}
		uses = append(uses, use{s.it.prio, k * s.it.dur, k, k * s.it.sesW})
		for ci := range s.it.ctxs {
			for j, g := range s.it.fams {
				if g != f {
					continue
				}
				bins := s.it.ctxs[ci].demands[j]
				if len(bins) == 0 || seenList[&bins[0]] {
					continue
				}
				seenList[&bins[0]] = true
				for _, b := range bins {
					if !seen[b] {
						seen[b] = true
						capMin += r.bins[b].capMin
						if r.bins[b].capCnt < 0 {
							counted = false
						}
						capCnt += r.bins[b].capCnt
						capSes += r.bins[b].capSes
					}
				}
			}
		}
	}
	frac := func(size func(u use) int, capacity int) int64 {
		sort.SliceStable(uses, func(a, b int) bool {
			return uses[a].prio*int64(size(uses[b])) > uses[b].prio*int64(size(uses[a]))
		})
		var v int64
		left := int64(capacity)
		for _, u := range uses {
			sz := int64(size(u))
			if sz <= left {
				v += u.prio
				left -= sz
				continue
			}
			v += u.prio * left / sz
			break
		}
		return v
	}
	ub := frac(func(u use) int { return u.min }, capMin)
	if counted {
		ub = min(ub, frac(func(u use) int { return u.cnt }, capCnt))
	}
	ub = min(ub, frac(func(u use) int { return u.ses }, capSes))
	return free + ub
}
