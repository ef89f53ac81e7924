package instancecmp

import (
	"reflect"
	"testing"

	"github.com/asylum-scheduling/interviews/solver"
)

func TestCanonicalIgnoresOrderButNotAvailabilityMeaning(t *testing.T) {
	a := &solver.Instance{Format: solver.InstanceFormat,
		Locations: []solver.Location{{ID: "A", Name: "a"}, {ID: "B", Name: "b"}},
		Rooms:     []solver.Room{{ID: "r1", Location: "A", Features: []string{}}}}
	b := &solver.Instance{Format: solver.InstanceFormat,
		Locations: []solver.Location{{ID: "B", Name: "b"}, {ID: "A", Name: "a"}},
		Rooms:     []solver.Room{{ID: "r1", Location: "A"}}}
	ca, _ := Canonical(a)
	cb, _ := Canonical(b)
	if !reflect.DeepEqual(ca, cb) {
		t.Fatalf("order or empty lists should not matter:\n%v\n%v", ca, cb)
	}
	b.Rooms[0].Availability = []solver.Interval{} // never open: not the same as always
	cb, _ = Canonical(b)
	if reflect.DeepEqual(ca, cb) {
		t.Fatal("availability [] (never) must differ from absent (always)")
	}
}
