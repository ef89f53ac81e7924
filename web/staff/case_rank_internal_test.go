package staff

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/solver"
)

// The ranking sentences come from the score components in which two
// neighbouring options differ, the weightiest first, with plural forms.
func TestRankReasons(t *testing.T) {
	t.Parallel()
	loc, err := time.LoadLocation("Europe/Helsinki")
	require.NoError(t, err)
	opt := func(rank int, start string, euros int, c solver.Components) optionView {
		return optionView{Rank: rank, Start: start, Euros: euros, Score: c}
	}
	mon, wed := "2030-01-07T09:00:00+02:00", "2030-01-09T09:00:00+02:00"
	for _, tc := range []struct {
		name    string
		l       string
		opts    []optionView
		ranking []string
	}{
		{"continuity outweighs the cost", "en", []optionView{
			opt(1, mon, 70, solver.Components{Cost: 70}),
			opt(2, mon, 61, solver.Components{Cost: 61, Continuity: 150}),
		}, []string{
			"Ranks above #2 although €9 dearer: continuity: the preferred interviewer of the earlier sessions.",
			"Ranks below #1 although €9 cheaper: not the preferred interviewer of the earlier sessions.",
		}},
		{"two days sooner and fairer, in Finnish", "fi", []optionView{
			opt(1, mon, 50, solver.Components{Cost: 50, Fairness: 1}),
			opt(2, wed, 50, solver.Components{Wait: 20, Cost: 50, Fairness: 4}),
		}, []string{
			"Ennen vaihtoehtoa 2: 2 päivää aiemmin, tulkkien työ jakautuu tasaisemmin.",
			"Vaihtoehdon 1 jälkeen: 2 päivää myöhemmin, yksi tulkki saa enemmän työtä.",
		}},
		{"a tie goes to the earlier start, in Swedish", "sv", []optionView{
			opt(1, mon, 50, solver.Components{Cost: 50}),
			opt(2, "2030-01-07T11:00:00+02:00", 50, solver.Components{Cost: 50}),
			opt(3, wed, 80, solver.Components{Wait: 20, Cost: 80, Remote: 300}),
		}, []string{
			"Före alternativ 2: lika bra, men börjar tidigare.",
			"Före alternativ 3: tolk på plats, som önskat, 30 € billigare, 2 dagar tidigare.",
			"Efter alternativ 2: distanstolkning fast tolk på plats önskas, 30 € dyrare, 2 dagar senare.",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rankReasons(tc.l, tc.opts, loc)
			for i, o := range tc.opts {
				require.Equal(t, tc.ranking[i], o.Ranking, "option %d", o.Rank)
			}
		})
	}
}
