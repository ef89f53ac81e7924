package scheduler

import (
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"
)

// Each running solve adds its Ps and gives them back when it ends; nested
// reservations add up, and the last release restores GOMAXPROCS. Not
// parallel: other tests' plans reserve Ps too.
func TestReserveProcsAddsAndGivesBack(t *testing.T) {
	before := runtime.GOMAXPROCS(0)
	release := reserveProcs(2)
	require.Equal(t, before+2, runtime.GOMAXPROCS(0))
	release2 := reserveProcs(3)
	require.Equal(t, before+5, runtime.GOMAXPROCS(0))
	release()
	require.Equal(t, before+3, runtime.GOMAXPROCS(0))
	reserveProcs(0)() // nothing reserved, nothing given back
	require.Equal(t, before+3, runtime.GOMAXPROCS(0))
	release2()
	require.Equal(t, before, runtime.GOMAXPROCS(0))
}
