package capacity

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/solver"
)

func TestNeed(t *testing.T) {
	t.Parallel()
	base := generated(t, "S", 1)
	before := clone(base)
	// The baseline leaves the language out: no interpreter speaks it.
	lang := "ar-SY"
	first, err := Run(context.Background(), base, one("probe", Change{Notice: &Notice{ShiftDays: ptr(0)}}), RunOptions{TimeLimit: 2 * time.Second}, nil)
	require.NoError(t, err)
	require.Positive(t, first.Runs[0].UnscheduledByLanguage[lang], "S seed 1 leaves %s out", lang)

	tests := []struct {
		name        string
		q           NeedQuery
		reached     bool
		count       int
		below       string
		wantSteps   []int
		unreachable int
	}{
		{"interpreters", NeedQuery{Language: lang, Kind: NeedInterpreters}, true, 1, VerdictProvenInsufficient, []int{0, 1}, 0},
		// The interview that needs an ar-SY interpreter fits nowhere with
		// any number of interviewers: it is left out, the others are held.
		{"interviewers cannot help", NeedQuery{Language: lang, Kind: NeedInterviewers, Location: "HEL", MaxCount: 2}, true, 0, "", []int{0}, 1},
		{"remote interpreters by the third day", NeedQuery{Language: lang, By: "2027-01-06", Kind: NeedInterpreters,
			Interpreters: &AddInterpreters{Modes: []string{"remote"}}}, true, 1, VerdictProvenInsufficient, []int{0, 1}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a, err := Need(context.Background(), base, tc.q, NeedOptions{TimeLimit: 20 * time.Second, PerRunLimit: 2 * time.Second})
			require.NoError(t, err)
			require.Equal(t, tc.reached, a.Reached)
			require.True(t, a.Complete)
			require.Equal(t, tc.below, a.Below)
			tried := []int{}
			for _, st := range a.Steps {
				tried = append(tried, st.Count)
				if st.Verdict == VerdictProvenInsufficient {
					require.Positive(t, *st.Bound, "a proof is a bound above 0")
				}
			}
			require.Equal(t, tc.wantSteps, tried)
			require.Len(t, a.Unreachable, tc.unreachable)
			require.Positive(t, a.Targets)
			if !tc.reached {
				require.Nil(t, a.Count)
				require.Nil(t, a.Run)
				return
			}
			require.Equal(t, tc.count, *a.Count)
			require.NotNil(t, a.Run)
			require.Equal(t, len(a.Unreachable), a.Run.UnscheduledByLanguage[lang], "the witness schedule holds every %s interview but the unreachable", lang)
			// The witness is valid for the variant's instance, which the
			// scenario format can reproduce.
			in := base
			if *a.Count > 0 {
				sc := Scenario{Format: ScenarioFormat, Variants: []Variant{*a.Variant}}
				in, err = Apply(base, &sc, 0)
				require.NoError(t, err)
			}
			rep, err := solver.Check(in, a.Run.Schedule)
			require.NoError(t, err)
			if tc.q.By == "" {
				require.Empty(t, rep.Violations)
				require.Equal(t, rep.Score, a.Run.Score)
			}
			require.Equal(t, before, base)
		})
	}
}

func TestNeedByDate(t *testing.T) {
	t.Parallel()
	base := generated(t, "S", 1)
	a, err := Need(context.Background(), base, NeedQuery{Language: "ar-SY", By: "2027-01-06", Kind: NeedInterpreters}, NeedOptions{TimeLimit: 10 * time.Second, PerRunLimit: time.Second})
	require.NoError(t, err)
	require.True(t, a.Reached)
	require.Equal(t, "2027-01-06", a.By)
	for _, as := range a.Run.Schedule.Assignments {
		for _, iv := range base.Interviews {
			if iv.ID == as.Interview && iv.Language == "ar-SY" {
				require.LessOrEqual(t, as.Start[:10], "2027-01-06")
			}
		}
	}
}

func TestNeedInvalid(t *testing.T) {
	t.Parallel()
	base := generated(t, "S", 1)
	tests := []struct {
		name string
		q    NeedQuery
		want string
	}{
		{"nothing asked", NeedQuery{Kind: NeedRooms}, "language: give a language or a location"},
		{"kind", NeedQuery{Language: "so", Kind: "desks"}, `kind: must be interpreters, interviewers or rooms, not "desks"`},
		{"location", NeedQuery{Location: "TKU", Kind: NeedRooms}, `location: "TKU" is not a location of the instance`},
		{"by", NeedQuery{Language: "so", Kind: NeedInterpreters, By: "2026-12-01"}, "by: 2026-12-01 is before the horizon's start 2027-01-04"},
		{"both", NeedQuery{Language: "so", Kind: NeedInterpreters, By: "2027-01-05", WithinWeeks: 1}, "within_weeks: give by or within_weeks, not both"},
		{"template of another kind", NeedQuery{Language: "so", Kind: NeedInterpreters, Rooms: &AddRooms{}}, `rooms: is given but kind is "interpreters"`},
		{"template", NeedQuery{Language: "so", Kind: NeedInterpreters, Interpreters: &AddInterpreters{Modes: []string{"phone"}}}, `interpreters.modes[0]: must be onsite or remote, not "phone"`},
		{"room without location", NeedQuery{Language: "so", Kind: NeedRooms}, "rooms.location: must name a location"},
		{"max count", NeedQuery{Language: "so", Kind: NeedInterpreters, MaxCount: 501}, "max_count: must be between 1 and 500"},
		{"no targets", NeedQuery{Language: "xx", Kind: NeedInterpreters}, "no interview without a pinned booking matches"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Need(context.Background(), base, tc.q, NeedOptions{TimeLimit: time.Second})
			require.Error(t, err)
			require.Contains(t, err.Error(), tc.want)
		})
	}
}

// withoutInterpretersOf is the instance with every interpreter of the
// language (with the most interviews needing one) removed, and that
// language.
func withoutInterpretersOf(t testing.TB, in *solver.Instance) (*solver.Instance, string) {
	t.Helper()
	n := map[string]int{}
	for _, iv := range in.Interviews {
		if iv.NeedsInterp() {
			p, _, _ := strings.Cut(iv.Language, "-")
			n[p]++
		}
	}
	lang := scarcest(RunResult{UnscheduledByLanguage: n})
	sc := one("none of "+lang, Change{RemoveInterpreters: &RemovePeople{Language: lang, Count: countLang(in.Interpreters, lang)}})
	out, err := Apply(in, &sc, 0)
	require.NoError(t, err)
	return out, lang
}

// morningPattern: interpreters who work weekday mornings.
var morningPattern = &Pattern{Hours: &Hours{Start: "08:00", End: "12:30"}}

func TestNeedBisects(t *testing.T) {
	t.Parallel()
	base, lang := withoutInterpretersOf(t, generated(t, "M", 1))
	var seen []NeedStep
	a, err := Need(context.Background(), base, NeedQuery{Language: lang, Kind: NeedInterpreters, Interpreters: &AddInterpreters{Pattern: morningPattern}},
		NeedOptions{TimeLimit: 30 * time.Second, PerRunLimit: time.Second, Progress: func(st NeedStep) { seen = append(seen, st) }})
	require.NoError(t, err)
	require.Equal(t, a.Steps, seen)
	require.True(t, a.Reached, "%+v", a.Steps)
	require.True(t, a.Complete)
	k := *a.Count
	require.GreaterOrEqual(t, k, 3, "two morning interpreter cannot hold the %d %s interviews: %+v", a.Targets, lang, a.Steps)
	byCount := map[int]NeedStep{}
	for _, st := range a.Steps {
		byCount[st.Count] = st
	}
	// The search went up by doubling and closed on k by bisection: k−1
	// was tried and not reached, k reached.
	for c := 0; c < k; c = max(1, 2*c) {
		require.Contains(t, byCount, c)
	}
	require.Equal(t, VerdictReached, byCount[k].Verdict)
	require.Equal(t, a.Below, byCount[k-1].Verdict)
	require.NotEqual(t, VerdictReached, byCount[k-1].Verdict)
	for c, st := range byCount {
		if st.Verdict == VerdictProvenInsufficient {
			require.Less(t, c, k, "a count proven insufficient is below any count that reaches")
			require.Positive(t, *st.Bound)
		}
	}
	require.Zero(t, a.Run.Score.Hard)
	require.Equal(t, []Change{{AddInterpreters: a.Variant.Changes[0].AddInterpreters}}, a.Variant.Changes)
	require.Equal(t, k, a.Variant.Changes[0].AddInterpreters.Count)
	t.Logf("%s: %d targets, count %d, below %s, steps %+v", lang, a.Targets, k, a.Below, a.Steps)
}

// TestNeedWithPinnedBookings: pinned bookings stay in the relaxation the
// proofs use, and hold their resources; the answer is the same as without
// them here (the language needs an interpreter nobody has).
func TestNeedWithPinnedBookings(t *testing.T) {
	t.Parallel()
	base := withBookings(t, generated(t, "S", 1))
	a, err := Need(context.Background(), base, NeedQuery{Language: "ar-SY", Kind: NeedInterpreters}, NeedOptions{TimeLimit: 10 * time.Second, PerRunLimit: time.Second})
	require.NoError(t, err)
	require.True(t, a.Reached)
	require.Equal(t, 1, *a.Count)
	require.Equal(t, VerdictProvenInsufficient, a.Below)
	sc := Scenario{Format: ScenarioFormat, Variants: []Variant{*a.Variant}}
	in, err := Apply(base, &sc, 0)
	require.NoError(t, err)
	rep, err := solver.Check(in, a.Run.Schedule)
	require.NoError(t, err)
	require.Empty(t, rep.Violations, "the witness keeps the pinned bookings")
}

// TestNeedKeepsTheBudget: a question that needs many solves, with too
// little time, returns in time and says it is not complete.
func TestNeedKeepsTheBudget(t *testing.T) {
	t.Parallel()
	base, lang := withoutInterpretersOf(t, generated(t, "M", 1))
	const budget = 4 * time.Second
	t0 := time.Now()
	a, err := Need(context.Background(), base, NeedQuery{Language: lang, Kind: NeedInterpreters, Interpreters: &AddInterpreters{Pattern: morningPattern}},
		NeedOptions{TimeLimit: budget, PerRunLimit: 1500 * time.Millisecond})
	require.NoError(t, err)
	require.Less(t, time.Since(t0), budget+solver.Margin(budget)+time.Second)
	require.False(t, a.Complete, "%+v", a.Steps)
	require.NotEmpty(t, a.Steps)
	// It says how much the question needs, as a number to act on.
	require.Equal(t, budget.Milliseconds(), a.TimeLimitMS)
	require.Equal(t, int64(1500), a.PerRunLimitMS)
	require.Greater(t, a.NeededTimeLimitMS, a.TimeLimitMS)
	last := a.Advice[len(a.Advice)-1]
	require.Equal(t, "need.budget", last.Code)
	require.Equal(t, []Arg{{Name: "seconds_used", Value: "4"}, {Name: "seconds_needed", Value: strconv.FormatInt(a.NeededTimeLimitMS/1000, 10)}}, last.Args)
}

// TestNeedBudget: the default budget grows with the instance and with the
// counts the search may try: a normal week keeps 90 s (7.5 s a count), the
// surge month's 3,200 interviews get 6 ms each a count.
func TestNeedBudget(t *testing.T) {
	t.Parallel()
	tests := []struct {
		size     string
		maxCount int
		total    time.Duration
		per      time.Duration
	}{
		{"S", 0, DefaultNeedTimeLimit, DefaultNeedTimeLimit / 12},
		{"M", 32, DefaultNeedTimeLimit, DefaultNeedTimeLimit / 12},
		{"XL", 32, DefaultNeedTimeLimit * 3200 * 6 / 7500, 3200 * 6 * time.Millisecond},
		// 0, 1, 2, 4, … 512 and back: 20 counts instead of 12.
		{"M", 500, DefaultNeedTimeLimit * 20 / 12, DefaultNeedTimeLimit / 12},
	}
	for _, tc := range tests {
		in := generated(t, tc.size, 1)
		total, per := NeedBudget(in, tc.maxCount)
		require.Equal(t, tc.per, per, "%s max %d", tc.size, tc.maxCount)
		require.Equal(t, tc.total, total, "%s max %d", tc.size, tc.maxCount)
	}
	require.Equal(t, 12, needSteps(32))
	require.Equal(t, 4, needSteps(1))
}

// TestNeedSaysWhy: on S seed 2 each case no count of interpreters helps
// carries the solver's reason; `unreachable` is [] when none is; a count
// proven insufficient names what still binds.
func TestNeedSaysWhy(t *testing.T) {
	t.Parallel()
	base := generated(t, "S", 2)
	tests := []struct {
		lang   string
		reason map[string]string // unreachable interview → reason code
		advice string            // the first sentence's code
	}{
		{"prs", map[string]string{"I-0002": solver.ReasonNoInterpreterAvailable}, "need.held"},
		{"fr", map[string]string{"I-0007": solver.ReasonPartyUnavailable}, "need.held"},
		{"ru", map[string]string{"I-0020": solver.ReasonNoInterviewer}, "need.held"},
		{"sg", map[string]string{}, "need.add.interpreters"},
	}
	for _, tc := range tests {
		t.Run(tc.lang, func(t *testing.T) {
			t.Parallel()
			a, err := Need(context.Background(), base, NeedQuery{Language: tc.lang, Kind: NeedInterpreters, MaxCount: 2},
				NeedOptions{TimeLimit: 10 * time.Second, PerRunLimit: time.Second})
			require.NoError(t, err)
			got := map[string]string{}
			for _, u := range a.Unreachable {
				got[u.Interview] = u.Reason
				require.NotEmpty(t, u.Detail, u.Interview)
			}
			require.Equal(t, tc.reason, got)
			// The sentences: what to do first, then one per unreachable
			// case with its reason.
			require.Len(t, a.Advice, 1+len(a.Unreachable))
			require.Equal(t, tc.advice, a.Advice[0].Code, "%+v", a.Advice[0])
			if tc.advice == "need.held" {
				require.Equal(t, 0, *a.Count)
				require.Zero(t, a.BaselineLeftOut, "the normal plan holds them: nothing to re-prioritise")
				require.Equal(t, a.Targets, a.Advice[0].N)
			} else {
				require.Equal(t, *a.Count, a.Advice[0].N)
			}
			for i, u := range a.Unreachable {
				require.Equal(t, Advice{Code: "need.unreachable", N: 1, Args: []Arg{{Name: "interview", Value: u.Interview},
					{Name: "reason", Value: u.Reason, Kind: ArgReason}}}, a.Advice[1+i])
			}
			data, err := json.Marshal(a)
			require.NoError(t, err)
			if len(tc.reason) == 0 {
				require.Contains(t, string(data), `"unreachable":[]`)
			}
			for _, st := range a.Steps {
				if st.Verdict == VerdictReached {
					require.Empty(t, st.StillBinding)
					continue
				}
				require.NotEmpty(t, st.StillBinding, "count %d: %s", st.Count, st.Verdict)
				if st.Verdict == VerdictProvenInsufficient {
					require.Equal(t, LimitBound, st.StillBinding[0].Source)
				}
			}
		})
	}
}

// TestNeedReprioritise: on M seed 2 with five of Helsinki's eight
// interviewers gone, and every interview but the Turkish ones of
// priority 2 at least, the normal plan leaves Turkish interviews (priority
// 1) out; giving them priority holds them all with no interpreter added:
// the answer is "re-prioritise", with the baseline, the plan, both bounds
// and gaps, and what moves later in exchange.
func TestNeedReprioritise(t *testing.T) {
	t.Parallel()
	sc := one("short of interviewers", Change{RemoveInterviewers: &RemovePeople{Location: "HEL", Count: 5}})
	base, err := Apply(generated(t, "M", 2), &sc, 0)
	require.NoError(t, err)
	for i := range base.Interviews {
		if iv := &base.Interviews[i]; iv.Language == "tr" {
			iv.Priority = ptr(1)
		} else {
			iv.Priority = ptr(max(2, iv.Prio()))
		}
	}
	a, err := Need(context.Background(), base, NeedQuery{Language: "tr", Kind: NeedInterpreters, MaxCount: 2},
		NeedOptions{TimeLimit: 24 * time.Second, PerRunLimit: 3 * time.Second})
	require.NoError(t, err)
	require.True(t, a.Reached)
	require.Equal(t, 0, *a.Count)
	require.NotNil(t, a.Baseline)
	require.NotNil(t, a.Run)
	require.Positive(t, a.BaselineLeftOut, "the normal plan leaves Turkish interviews out")
	require.Equal(t, a.BaselineLeftOut, a.Baseline.UnscheduledByLanguage["tr"])
	require.Zero(t, a.Run.UnscheduledByLanguage["tr"])
	require.NotNil(t, a.Reprioritise)
	require.Equal(t, a.BaselineLeftOut, a.Reprioritise.Held)
	require.Equal(t, Advice{Code: "need.reprioritise", N: a.Targets, Args: []Arg{{Name: "targets", Value: strconv.Itoa(a.Targets)},
		{Name: "language", Value: "tr", Kind: ArgLanguage}, {Name: "others_priority", Value: strconv.FormatInt(a.Reprioritise.OthersPriority, 10)}}}, a.Advice[0])

	// What moves later, recomputed from the two schedules.
	prio := map[string]int64{}
	lang := map[string]string{}
	for i := range base.Interviews {
		prio[base.Interviews[i].ID] = int64(base.Interviews[i].Prio())
		lang[base.Interviews[i].ID] = base.Interviews[i].Language
	}
	others := func(s *solver.Schedule) (map[string]bool, int64) {
		out, p := map[string]bool{}, int64(0)
		for _, u := range s.Unscheduled {
			if lang[u.Interview] != "tr" {
				out[u.Interview] = true
				p += prio[u.Interview]
			}
		}
		return out, p
	}
	bo, bp := others(a.Baseline.Schedule)
	ro, rp := others(a.Run.Schedule)
	require.Equal(t, max(0, len(ro)-len(bo)), a.Reprioritise.Others)
	require.Positive(t, a.Reprioritise.OthersPriority, "Helsinki is full: holding the Turkish interviews moves others later")
	require.Equal(t, max(0, rp-bp), a.Reprioritise.OthersPriority)

	for _, r := range []*RunResult{a.Baseline, a.Run} {
		require.NotNil(t, r.Bound, "%s: the bound", r.Name)
		require.LessOrEqual(t, *r.Bound, r.UnscheduledPriority)
		require.Equal(t, r.UnscheduledPriority-*r.Bound, *r.Gap)
	}
	t.Logf("baseline left out %d, plan: %+v, bounds %d/%d", a.BaselineLeftOut, a.Reprioritise, *a.Baseline.Bound, *a.Run.Bound)
}

// TestNeedAdviceCodes: the first sentence of each kind of answer, on
// answers put together by hand around the cases above.
func TestNeedAdviceCodes(t *testing.T) {
	t.Parallel()
	zero, two := 0, 2
	q := NeedQuery{Language: "tr", Kind: NeedInterpreters, MaxCount: 4, Interpreters: &AddInterpreters{Language: "tr", Genders: []string{"m"}, Modes: []string{"onsite"}, Locations: []string{"HEL"}}}
	base := &RunResult{}
	tests := []struct {
		name string
		a    NeedAnswer
		want Advice
	}{
		{"held", NeedAnswer{Query: q, Targets: 3, Reached: true, Count: &zero, Baseline: base},
			Advice{Code: "need.held", N: 3, Args: []Arg{{Name: "targets", Value: "3"}, {Name: "language", Value: "tr", Kind: ArgLanguage}}}},
		{"no baseline to tell", NeedAnswer{Query: q, Targets: 3, Reached: true, Count: &zero},
			Advice{Code: "need.none", N: 3, Args: []Arg{{Name: "targets", Value: "3"}, {Name: "language", Value: "tr", Kind: ArgLanguage}}}},
		{"re-prioritise", NeedAnswer{Query: q, Targets: 3, Reached: true, Count: &zero, Baseline: base, Reprioritise: &Reprioritise{Held: 2, OthersPriority: 4}},
			Advice{Code: "need.reprioritise", N: 3, Args: []Arg{{Name: "targets", Value: "3"}, {Name: "language", Value: "tr", Kind: ArgLanguage}, {Name: "others_priority", Value: "4"}}}},
		{"add", NeedAnswer{Query: q, Targets: 3, Reached: true, Count: &two, Baseline: base},
			Advice{Code: "need.add.interpreters", N: 2, Args: []Arg{{Name: "count", Value: "2"}, {Name: "unit", Value: "lang:tr,gender.m,mode.onsite,=HEL", Kind: ArgWords}}}},
		{"not reached", NeedAnswer{Query: q, Targets: 3, Steps: []NeedStep{{Count: 4, StillBinding: []Limit{{Source: LimitBound, Code: "interpreter", Count: 3}}}}},
			Advice{Code: "need.unreached", N: 4, Args: []Arg{{Name: "count", Value: "4"}, {Name: "kind", Value: "kind.interpreters", Kind: ArgWord},
				{Name: "binding", Value: "bind.interpreter", Kind: ArgWord}, {Name: "count", Value: "3"}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.a.advise()
			require.Equal(t, tc.want, tc.a.Advice[0])
		})
	}
}
