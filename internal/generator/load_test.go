package generator

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/solver"
)

// TestGenerateLoad: a load factor cuts every size's rooms and interviewers
// to the demand over the load, like a real surge: the same interviews in
// number, long ones among them, offices short of different resources,
// languages with few interpreters; valid and deterministic per seed.
func TestGenerateLoad(t *testing.T) {
	for _, c := range []struct {
		size string
		load float64
		tol  float64 // relative: small sizes have few rooms to round
	}{
		{"S", 1.8, 0.15}, {"M", 1.8, 0.15}, {"L", 1.8, 0.08}, {"XL", 1.8, 0.05}, {"XL", 1.6, 0.05}, {"XL", 1.2, 0.05}, {"XXL", 1.8, 0.05},
	} {
		t.Run(c.size, func(t *testing.T) {
			t.Parallel()
			in, err := GenerateLoad(c.size, 1, c.load)
			require.NoError(t, err)
			require.NoError(t, solver.Validate(in))
			plain := generate(t, c.size, 1)
			require.Len(t, in.Interviews, len(plain.Interviews), "the demand stays the size's")
			require.InDelta(t, c.load, Load(in), c.load*c.tol, "load")
			if c.load >= 1.5 {
				require.Less(t, len(in.Rooms), len(plain.Rooms))
				require.Less(t, len(in.Interviewers), len(plain.Interviewers))
			}

			long, byLen := 0, map[int]int{}
			for _, iv := range in.Interviews {
				byLen[iv.DurationMinutes]++
				if iv.DurationMinutes > 240 {
					long++
				}
			}
			require.Contains(t, byLen, 120)
			require.Contains(t, byLen, 360)
			if len(in.Interviews) >= 500 {
				require.InDelta(t, 0.30, float64(long)/float64(len(in.Interviews)), 0.04, "interviews over 4 h")
			}
			if c.size == "XL" || c.size == "XXL" {
				requireUnevenOffices(t, in)
				requireScarceLanguages(t, in, plain)
			}
			again, err := GenerateLoad(c.size, 1, c.load)
			require.NoError(t, err)
			require.Equal(t, encode(t, in), encode(t, again), "deterministic per seed")
			other, err := GenerateLoad(c.size, 2, c.load)
			require.NoError(t, err)
			require.False(t, bytes.Equal(encode(t, in), encode(t, other)), "seeds differ")
		})
	}
}

// requireUnevenOffices: rooms bind at one office and interviewers at
// another (sessions per interview each office can hold).
func requireUnevenOffices(t *testing.T, in *solver.Instance) {
	t.Helper()
	demand := map[string]float64{}
	for _, iv := range in.Interviews {
		demand[iv.Locations[0]]++
	}
	rooms, ivrs := map[string]float64{}, map[string]float64{}
	for _, r := range in.Rooms {
		rooms[r.Location]++
	}
	for _, e := range in.Interviewers {
		ivrs[e.Location]++
	}
	overall := float64(len(in.Interviewers)) / float64(len(in.Rooms))
	roomShort, ivrShort := false, false
	for loc := range demand {
		ratio := ivrs[loc] / rooms[loc] / overall // interviewers per room, relative
		roomShort = roomShort || ratio > 1.2
		ivrShort = ivrShort || ratio < 0.83
	}
	require.True(t, roomShort, "an office short of rooms")
	require.True(t, ivrShort, "an office short of interviewers")
}

// requireScarceLanguages: some languages keep about a third of their
// interpreters, the others about all.
func requireScarceLanguages(t *testing.T, in, plain *solver.Instance) {
	t.Helper()
	count := func(x *solver.Instance) map[string]int {
		out := map[string]int{}
		for _, it := range x.Interpreters {
			out[primary(it.Languages[0])]++
		}
		return out
	}
	got, was := count(in), count(plain)
	scarce := 0
	for p, n := range was {
		if n >= 20 && float64(got[p]) < 0.5*float64(n) {
			scarce++
		}
	}
	require.GreaterOrEqual(t, scarce, 2, "languages with few interpreters: %v vs %v", got, was)
}

func TestGenerateLoadRefuses(t *testing.T) {
	for _, load := range []float64{-1, 0.1, 7} {
		_, err := GenerateLoad("M", 1, load)
		require.Error(t, err, "load %v", load)
	}
	_, err := GenerateLoad("XXXL", 1, 1.8)
	require.Error(t, err)
	a, err := GenerateLoad("M", 1, 0)
	require.NoError(t, err)
	require.Equal(t, encode(t, generate(t, "M", 1)), encode(t, a), "load 0 is the size as staffed")
}
