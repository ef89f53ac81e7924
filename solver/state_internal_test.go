package solver

import (
	"context"
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
				re := newState(m)
				for i, o := range s.asg {
					if !o.ok {
						continue
					}
					if !re.feasible(i, o) {
						t.Fatalf("%s burst %d: %s state holds interview %d at an infeasible option %+v", file, burst, name, i, o)
					}
					re.assign(i, o)
				}
				if re.key() != s.key() || re.score() != s.score() {
					t.Fatalf("%s burst %d: %s score %+v, rebuilt %+v", file, burst, name, s.score(), re.score())
				}
				if !reflect.DeepEqual(re.free, s.free) || !reflect.DeepEqual(re.ivDay, s.ivDay) || !reflect.DeepEqual(re.itDay, s.itDay) || !reflect.DeepEqual(re.itMin, s.itMin) {
					t.Fatalf("%s burst %d: %s occupancy or counters differ from a rebuild", file, burst, name)
				}
			}
		}
	}
}
