package capacity

import (
	"math/bits"
	"time"

	"github.com/asylum-scheduling/interviews/solver"
)

// needPerInterview is the solve time a count is given per interview of the
// instance when that is more than the default share (DefaultNeedTimeLimit /
// 12, 7.5 s): from 1,250 interviews on the budget grows with the
// instance, 19.2 s a count on a 3,200-interview month.
const needPerInterview = 6 * time.Millisecond

// NeedBudget is the default budget of a need question on in with counts up
// to maxCount: the total and the per-run limit of one count's solve (its
// bound gets half of that). The per-run limit is DefaultNeedTimeLimit / 12
// (7.5 s), or 6 ms per interview of the instance when more; the total is
// DefaultNeedTimeLimit, scaled up by as much, and by the counts the search
// may try beyond the 12 of max_count 32 (doubling up to maxCount, then
// bisecting back).
func NeedBudget(in *solver.Instance, maxCount int) (total, perRun time.Duration) {
	if maxCount <= 0 {
		maxCount = DefaultMaxCount
	}
	base := DefaultNeedTimeLimit / 12
	perRun = max(base, time.Duration(len(in.Interviews))*needPerInterview)
	steps := needSteps(maxCount)
	total = time.Duration(float64(DefaultNeedTimeLimit) * float64(perRun) / float64(base) * float64(max(steps, 12)) / 12)
	return total, perRun
}

// needSteps is the most counts the search tries up to maxCount: 0, 1, 2,
// 4, … maxCount, then the bisection between the last two, and the plan
// that answers (12 for 32).
func needSteps(maxCount int) int {
	l := bits.Len(uint(max(maxCount-1, 1)))
	return 2*l + 2
}

// budgetAdvice is the answer's statement of the budget the question needs
// when it did not close: the search ran out of time, or every count was
// tried and none reached nor was proven short. Needed is the whole search
// at this share per count (the first case), or twice the budget (the
// second: each solve needs more time).
func (s *needSearch) budgetAdvice(a *NeedAnswer) {
	undecided := !a.Reached && a.Below == VerdictNotReached
	if a.Complete && !undecided {
		return
	}
	used := s.deadline.Sub(s.t0)
	needed := 2 * used
	if s.out {
		share := s.per + s.boundLim
		left := max(needSteps(s.q.max)-len(s.order), 1)
		needed = max(needed, used+time.Duration(left)*share)
	}
	sec := int64((needed + time.Second - 1) / time.Second)
	a.NeededTimeLimitMS = sec * 1000
	a.Advice = append(a.Advice, Advice{Code: "need.budget", N: int(sec), Args: []Arg{
		plain("seconds_used", int64(used/time.Second)), plain("seconds_needed", sec)}})
}
