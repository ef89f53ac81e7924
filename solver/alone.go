package solver

import (
	"sync"
	"sync/atomic"
)

// alone.go: whether an interview has an option in an empty schedule (no
// booking held, not even the pinned ones). It decides the reason of an
// unscheduled interview (capacity or not) and which interviews the search
// never retries, so it is asked for thousands of interviews at surge size;
// the answer is static, so the model remembers it, and it is found by first
// fit, which stops at the first option (best insertion would walk every day
// whose wait cost is below the cheapest option found).

// aloneMemo remembers fitsAlone per interview; safe for concurrent use.
type aloneMemo struct {
	once  sync.Once
	empty *state         // read only once built
	known []atomic.Int32 // 0 not asked yet, 1 fits, 2 does not
}

// fitsAlone reports whether interview i has a feasible option in an empty
// schedule.
func (m *model) fitsAlone(i int) bool {
	a := &m.alone
	a.once.Do(func() {
		a.empty = newState(m)
		a.known = make([]atomic.Int32, len(m.ivs))
	})
	switch a.known[i].Load() {
	case 1:
		return true
	case 2:
		return false
	}
	_, ok := a.empty.firstFit(i) // reads the state only
	v := int32(2)
	if ok {
		v = 1
	}
	a.known[i].Store(v)
	return ok
}
