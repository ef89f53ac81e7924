package solver

import (
	"fmt"
	"strings"
)

// failmemo.go: during construction a state only gains bookings, so an
// interview that found no option finds none later either, and neither does
// any interview that asks the same of its resources in a window within its
// own: the same candidate lists (shared by the interviews that ask the same,
// named by their first elements' addresses), duration and parties. At surge
// size most of construction's time went into best insertion of interviews
// that cannot be placed, each walking every day, start, office and
// interviewer; with the memo the second and later of a kind cost a lookup.
// It is valid only while nothing is removed, so construction uses it and
// the search does not.

// failMemo remembers, per requirement signature, the windows (first and
// last day) in which an interview found no option.
type failMemo struct {
	windows map[string][][2]int
}

func newFailMemo() *failMemo { return &failMemo{windows: map[string][][2]int{}} }

// signature names what interview mi asks of its resources, its window
// aside.
func signature(mi *mInterview) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d|%t|%x|", mi.durSlots, mi.needInterp, listID(mi.interps))
	for li, loc := range mi.locs {
		fmt.Fprintf(&b, "%d:%x:%x,", loc, listID(mi.rooms[li]), listID(mi.ivrs[li]))
	}
	b.WriteByte('|')
	for _, p := range mi.parties {
		fmt.Fprintf(&b, "%d,", p)
	}
	return b.String()
}

// failed reports whether an interview like mi already found no option in a
// window that contains mi's.
func (f *failMemo) failed(mi *mInterview) bool {
	if f == nil {
		return false
	}
	for _, w := range f.windows[signature(mi)] {
		if w[0] <= mi.first && mi.lastHard <= w[1] {
			return true
		}
	}
	return false
}

// fail records that mi found no option.
func (f *failMemo) fail(mi *mInterview) {
	if f == nil {
		return
	}
	k := signature(mi)
	f.windows[k] = append(f.windows[k], [2]int{mi.first, mi.lastHard})
}
