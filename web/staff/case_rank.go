package staff

import (
	"sort"
	"strings"
	"time"

	"github.com/asylum-scheduling/interviews/internal/i18n"
	"github.com/asylum-scheduling/interviews/solver"
)

// case_rank.go says why each suggested option ranks where it does, from
// the score components the solver ranks by (the options' Delta): each
// option against the next one ("ranks above #2 although €9 dearer: a day
// sooner"), the last one against the one before it.

// rankFactor is one score component in which two options differ: how much
// it weighs (score units, for the order) and its words.
type rankFactor struct {
	weight int64
	words  string
}

// rankReasons gives each option of opts (in rank order, each numbered by
// its Rank) its Ranking sentence; a single option needs none.
func rankReasons(l string, opts []optionView, loc *time.Location) {
	if len(opts) < 2 {
		return
	}
	for i := range opts {
		if i+1 < len(opts) {
			opts[i].Ranking = rankAbove(l, opts[i], opts[i+1], loc)
		} else {
			opts[i].Ranking = rankBelow(l, opts[i], opts[i-1], loc)
		}
	}
}

// rankAbove says why x ranks above y: where x is better, and where it is
// worse ("although").
func rankAbove(l string, x, y optionView, loc *time.Location) string {
	better, worse := rankFactors(l, x, y, loc)
	switch {
	case len(better) == 0:
		return staffT(l, "rank.tie", y.Rank)
	case len(worse) == 0:
		return staffT(l, "rank.above", y.Rank, better)
	}
	return staffT(l, "rank.above.although", y.Rank, worse, better)
}

// rankBelow says why x ranks below y: where x is worse, and where it is
// better ("although").
func rankBelow(l string, x, y optionView, loc *time.Location) string {
	better, worse := rankFactors(l, x, y, loc)
	switch {
	case len(worse) == 0:
		return staffT(l, "rank.tie.below", y.Rank)
	case len(better) == 0:
		return staffT(l, "rank.below", y.Rank, worse)
	}
	return staffT(l, "rank.below.although", y.Rank, better, worse)
}

// rankFactors words the score components in which x differs from y, those
// where x is better and those where it is worse, the weightiest first.
func rankFactors(l string, x, y optionView, loc *time.Location) (better, worse string) {
	a, b := x.Score, y.Score
	var good, bad []rankFactor
	add := func(d int64, goodWords, badWords func() string) {
		switch {
		case d > 0:
			good = append(good, rankFactor{d, goodWords()})
		case d < 0:
			bad = append(bad, rankFactor{-d, badWords()})
		}
	}
	days := daysBetween(x.Start, y.Start, loc)
	add(b.Wait+b.Late-a.Wait-a.Late,
		func() string { return dayWords(l, "rank.sooner", days) },
		func() string { return dayWords(l, "rank.later", -days) })
	euros := int64(y.Euros - x.Euros)
	if x.Euros < 0 || y.Euros < 0 || euros == 0 {
		euros = b.Cost - a.Cost
	}
	add(b.Cost-a.Cost,
		func() string { return staffT(l, "rank.cheaper", i18n.Money(l, int(abs64(euros)))) },
		func() string { return staffT(l, "rank.dearer", i18n.Money(l, int(abs64(euros)))) })
	for _, c := range []struct {
		d         int64
		good, bad string
	}{
		{b.Remote - a.Remote, "rank.onsite", "rank.remote"},
		{b.Dialect - a.Dialect, "rank.dialect", "rank.nodialect"},
		{b.Continuity - a.Continuity, "rank.continuity", "rank.nocontinuity"},
		{b.Fairness - a.Fairness, "rank.fair", "rank.unfair"},
		{b.Change - a.Change, "rank.fewerchanges", "rank.morechanges"},
	} {
		add(c.d, func() string { return staffT(l, c.good) }, func() string { return staffT(l, c.bad) })
	}
	return joinFactors(good), joinFactors(bad)
}

// dayWords is a number of days with the catalog's plural forms ("a day
// sooner", "2 päivää aiemmin"); at least one, as the wait differs.
func dayWords(l, key string, days int) string {
	days = max(days, 1)
	return i18n.Staff.N(l, key, days, i18n.CountWord(l, days))
}

// daysBetween is the number of local dates from the start a to the start b.
func daysBetween(a, b string, loc *time.Location) int {
	ta, err1 := solver.ParseInstant(a)
	tb, err2 := solver.ParseInstant(b)
	if err1 != nil || err2 != nil {
		return 0
	}
	return int(solver.DateOf(tb, loc) - solver.DateOf(ta, loc))
}

// joinFactors joins the factors' words, the weightiest first.
func joinFactors(fs []rankFactor) string {
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].weight > fs[j].weight })
	words := make([]string, len(fs))
	for i, f := range fs {
		words[i] = f.words
	}
	return strings.Join(words, ", ")
}

func abs64(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}
