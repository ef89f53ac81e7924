package solver

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"testing"
	"time"
)

// TestSearchStateStaysConsistent runs the search in short bursts and checks
// after each that the incrementally kept state (occupancy, daily counters,
// score) equals one rebuilt from its assignments, each of them feasible.
func TestSearchStateStaysConsistent(t *testing.T) {
	for _, file := range []string{"../testdata/instances/M-1.json", "../testdata/instances/S-1.json"} {
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		in, err := ParseInstance(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		m, err := compile(in, 0)
		if err != nil {
			t.Fatal(err)
		}
		st := construct(m, false)
		l := &lns{st: st, rng: rand.New(rand.NewPCG(3, 4)), shared: &bestSoFar{iters: make([]int64, 1)}}
		for burst := 0; burst < 15; burst++ {
			best := l.run(context.Background(), 150, time.Time{}, time.Now)
			for name, s := range map[string]*state{"current": l.st, "best": best} {
				assertRebuilds(t, fmt.Sprintf("%s burst %d: %s", file, burst, name), s)
			}
		}
	}
}

// assertRebuilds checks that state s equals one rebuilt from its
// assignments (occupancy, daily counters, score), each of them feasible.
func assertRebuilds(t *testing.T, what string, s *state) {
	t.Helper()
	re := newState(s.m)
	for i, o := range s.asg {
		if !o.ok {
			continue
		}
		if !re.feasible(i, o) {
			t.Fatalf("%s: holds interview %d at an infeasible option %+v", what, i, o)
		}
		re.assign(i, o)
	}
	if re.key() != s.key() || re.score() != s.score() {
		t.Fatalf("%s: score %+v, rebuilt %+v", what, s.score(), re.score())
	}
	if !reflect.DeepEqual(re.free, s.free) || !reflect.DeepEqual(re.ivDay, s.ivDay) || !reflect.DeepEqual(re.itDay, s.itDay) || !reflect.DeepEqual(re.itMin, s.itMin) {
		t.Fatalf("%s: occupancy or counters differ from a rebuild", what)
	}
}
