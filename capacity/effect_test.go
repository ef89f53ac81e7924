package capacity

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/solver"
)

func limitCodes(ls []Limit) map[string][]string {
	out := map[string][]string{}
	for _, l := range ls {
		out[l.Code] = append(out[l.Code], l.Interviews...)
	}
	return out
}

// TestRunSaysWhyNothingChanged: on S seed 2 the Dari (prs) interviews the
// baseline leaves out need a male interpreter, so two more Dari
// interpreters of no stated gender change nothing, and the comparison
// names what still binds; two Sango interpreters (nobody speaks it)
// schedule its interview, an effect beyond the noise.
func TestRunSaysWhyNothingChanged(t *testing.T) {
	t.Parallel()
	base := generated(t, "S", 2)
	sc := Scenario{Format: ScenarioFormat, Variants: []Variant{
		{Name: "two prs", Changes: []Change{{AddInterpreters: &AddInterpreters{Language: "prs", Count: 2, Genders: []string{"f"}}}}},
		{Name: "two sg", Changes: []Change{{AddInterpreters: &AddInterpreters{Language: "sg", Count: 2}}}},
	}}
	c, err := Run(context.Background(), base, sc, RunOptions{TimeLimit: 6 * time.Second}, nil)
	require.NoError(t, err)
	require.Len(t, c.Runs, 3)
	require.Nil(t, c.Runs[0].Effect, "the baseline is not judged against itself")
	b, prs, sg := c.Runs[0], c.Runs[1], c.Runs[2]
	require.Positive(t, b.UnscheduledByReason[solver.ReasonNoInterpreterAvailable])

	// The new interpreters are women: the Dari interview that needs a man
	// stays out for want of an interpreter, whatever else the run found.
	require.NotNil(t, prs.Effect)
	require.Zero(t, prs.Effect.Unscheduled, "%+v", prs.Effect)
	require.Zero(t, prs.Effect.UnscheduledPriority, "%+v", prs.Effect)
	reasonOf := map[string]string{}
	for _, u := range prs.Schedule.Unscheduled {
		reasonOf[u.Interview] = u.Reason
	}
	require.Equal(t, solver.ReasonNoInterpreterAvailable, reasonOf["I-0002"], "the Dari interview that needs a male interpreter")
	if prs.Effect.Verdict == EffectBetter {
		// The same interviews at a lower cost or wait: the run started from
		// another construction (a busy machine cuts it short) and found a
		// cheaper plan, which the women may make possible. Nothing binds
		// anew to report then; the advice says what it found.
		require.Negative(t, prs.Effect.Soft)
		require.Equal(t, &Advice{Code: "run.better_soft", Args: []Arg{{Name: "variant", Value: "two prs"}}}, prs.Advice)
	} else {
		requireStillBinding(t, prs)
	}

	require.NotNil(t, sg.Effect)
	require.Equal(t, EffectBetter, sg.Effect.Verdict, "%+v (spread %+v)", sg.Effect, c.Spread)
	require.Equal(t, &Advice{Code: "run.better", N: -sg.Effect.Unscheduled, Args: []Arg{{Name: "variant", Value: "two sg"},
		{Name: "placed", Value: strconv.Itoa(-sg.Effect.Unscheduled)}, {Name: "priority", Value: strconv.FormatInt(-sg.Effect.UnscheduledPriority, 10)}}}, sg.Advice)
	require.Negative(t, sg.Effect.UnscheduledPriority)
	require.Empty(t, sg.Effect.StillBinding)
	require.Greater(t, abs(sg.Effect.UnscheduledPriority), c.Spread.UnscheduledPriority)

	data, err := json.Marshal(c)
	require.NoError(t, err)
	require.Contains(t, string(data), `"spread":{"unscheduled":`)
}

// requireStillBinding: a variant that changed nothing (or nothing beyond
// the noise) names what still keeps its interviews out, every one of them
// under one reason, and its advice names the first.
func requireStillBinding(t *testing.T, prs RunResult) {
	t.Helper()
	require.Contains(t, []string{EffectNone, EffectNoise}, prs.Effect.Verdict, "%+v", prs.Effect)
	binds := limitCodes(prs.Effect.StillBinding)
	require.Contains(t, binds, solver.ReasonNoInterpreterAvailable, "%+v", prs.Effect.StillBinding)
	require.Contains(t, binds[solver.ReasonNoInterpreterAvailable], "I-0002", "the Dari interview that needs a male interpreter")
	sum, reasons := 0, []Limit{}
	for _, l := range prs.Effect.StillBinding {
		if l.Source == LimitReason {
			sum += l.Count
			reasons = append(reasons, l)
		}
	}
	require.Equal(t, prs.Unscheduled, sum, "every interview left out is under one reason")
	require.NotEmpty(t, reasons)

	require.NotNil(t, prs.Advice)
	require.Contains(t, []string{"run.no_change", "run.noise"}, prs.Advice.Code)
	require.Nil(t, fullResource(prs.Effect.StillBinding), "no resource is full: the interviews fit nowhere")
	first := prs.Effect.StillBinding[0]
	want := Arg{Name: "binding", Value: first.Code, Kind: ArgReason}
	if first.Source == LimitBound {
		want = Arg{Name: "binding", Value: "bind." + first.Code, Kind: ArgWord}
	}
	require.Equal(t, []Arg{{Name: "variant", Value: "two prs"}, want, {Name: "count", Value: strconv.Itoa(first.Count)}}, prs.Advice.Args)
	require.Equal(t, first.Count, prs.Advice.N)
}

// TestEffectOf: the verdicts on the figures of generated runs, changed
// by hand around a measured spread.
func TestEffectOf(t *testing.T) {
	t.Parallel()
	base := &RunResult{Unscheduled: 5, UnscheduledPriority: 8, Score: solver.Score{Medium: 8, Soft: 1000}}
	sp := Spread{Unscheduled: 1, UnscheduledPriority: 1, Soft: 30}
	run := func(u int, p, soft int64) *RunResult {
		return &RunResult{Unscheduled: u, UnscheduledPriority: p, Score: solver.Score{Medium: p, Soft: soft}, Schedule: &solver.Schedule{
			Unscheduled: []solver.Unscheduled{{Interview: "I-1", Reason: solver.ReasonNoRoom}}}}
	}
	tests := []struct {
		name    string
		r       *RunResult
		relaxes bool
		verdict string
		noise   string
	}{
		{"the same", run(5, 8, 1000), true, EffectNone, ""},
		{"one priority better, within the spread", run(4, 7, 1000), true, EffectNoise, NoiseWithinSpread},
		{"three priority better", run(3, 5, 1200), true, EffectBetter, ""},
		{"cost up with capacity added", run(5, 8, 1100), true, EffectNoise, NoiseCannotWorsen},
		{"priority up with capacity added", run(6, 10, 1000), true, EffectNoise, NoiseCannotWorsen},
		{"priority up with capacity removed", run(6, 10, 1000), false, EffectWorse, ""},
		{"cost within the spread", run(5, 8, 1020), false, EffectNoise, NoiseWithinSpread},
		{"cost down beyond the spread", run(5, 8, 900), true, EffectBetter, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := effectOf(base, tc.r, nil, sp, tc.relaxes)
			require.Equal(t, tc.verdict, e.Verdict)
			require.Equal(t, tc.noise, e.Noise)
			if tc.verdict == EffectNone || tc.verdict == EffectNoise {
				require.Equal(t, []Limit{{Source: LimitReason, Code: solver.ReasonNoRoom, Interviews: []string{"I-1"}, Count: 1}}, e.StillBinding)
			} else {
				require.Empty(t, e.StillBinding)
			}
		})
	}
	require.True(t, relaxes(Variant{Changes: []Change{{AddRooms: &AddRooms{}}, {ExtraSessions: &ExtraSessions{}}}}))
	require.False(t, relaxes(Variant{Changes: []Change{{AddRooms: &AddRooms{}}, {RemoveInterpreters: &RemovePeople{}}}}))
}

// TestRunSaysWhatStillBlocks: with one room at Helsinki, two more
// interpreters change nothing, and the comparison says why from the
// bound: the rooms at Helsinki are full on the days of the horizon.
func TestRunSaysWhatStillBlocks(t *testing.T) {
	t.Parallel()
	base := generated(t, "S", 1)
	require.Len(t, base.Locations, 1)
	base.Rooms = base.Rooms[:1]
	office := base.Rooms[0].Location
	v := Variant{Name: "more", Changes: []Change{{AddInterpreters: &AddInterpreters{Language: base.Interviews[0].Language, Count: 2}}}}
	c, err := Run(context.Background(), base, Scenario{Format: ScenarioFormat, Variants: []Variant{v}}, RunOptions{TimeLimit: 6 * time.Second}, nil)
	require.NoError(t, err)
	r := c.Runs[1]
	require.Contains(t, []string{EffectNone, EffectNoise}, r.Effect.Verdict, "%+v", r.Effect)
	l := fullResource(r.Effect.StillBinding)
	require.NotNil(t, l, "%+v", r.Effect.StillBinding)
	require.Equal(t, "room", l.Code)
	require.Equal(t, []string{office}, l.Locations)
	require.Equal(t, base.Horizon.Start, l.From)
	require.Equal(t, base.Horizon.End, l.To)
	require.Positive(t, l.Count)
	code := "run.no_change.bound_at"
	if r.Effect.Verdict == EffectNoise {
		code = "run.noise.bound_at"
	}
	require.Equal(t, &Advice{Code: code, N: l.Count, Args: []Arg{{Name: "variant", Value: "more"},
		{Name: "binding", Value: "bind.room", Kind: ArgWord}, {Name: "offices", Value: office, Kind: ArgOffices},
		{Name: "from", Value: l.From, Kind: ArgDate}, {Name: "to", Value: l.To, Kind: ArgDate},
		{Name: "count", Value: strconv.Itoa(l.Count)}}}, r.Advice)
	require.Equal(t, Describe(v), r.Description)
}

// TestDescribe: a variant's description from its changes, the dialect
// kept, the days in week order, the offices and a single mode named.
func TestDescribe(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		c    Change
		want []Advice
	}{
		{"dialect", Change{AddInterpreters: &AddInterpreters{Language: "ar", Dialects: []string{"ar-MA"}, Count: 2}},
			[]Advice{{Code: "var.add_interpreters", N: 2, Args: []Arg{{Name: "count", Value: "2"}, {Name: "language", Value: "ar-MA", Kind: ArgDialects}}}}},
		{"tag with region, days, office, mode", Change{AddInterpreters: &AddInterpreters{Language: "ar-MA", Count: 1, Modes: []string{"remote"},
			Locations: []string{"OUL"}, Pattern: &Pattern{Weekdays: []string{"thu", "tue", "wed"}}}},
			[]Advice{{Code: "var.add_interpreters", N: 1, Args: []Arg{{Name: "count", Value: "1"}, {Name: "language", Value: "ar-MA", Kind: ArgDialects}}},
				{Code: "var.q.days", Args: []Arg{{Name: "days", Value: "tue,wed,thu", Kind: ArgDays}}},
				{Code: "var.q.at", Args: []Arg{{Name: "offices", Value: "OUL", Kind: ArgOffices}}},
				{Code: "var.q.modes", Args: []Arg{{Name: "modes", Value: "mode.remote", Kind: ArgWords}}}}},
		{"rooms every day", Change{AddRooms: &AddRooms{Location: "HEL", Count: 3, Pattern: &Pattern{Weekdays: Weekdays}}},
			[]Advice{{Code: "var.add_rooms", N: 3, Args: []Arg{{Name: "count", Value: "3"}}},
				{Code: "var.q.at", Args: []Arg{{Name: "offices", Value: "HEL", Kind: ArgOffices}}}}},
		{"interviewers, days, office", Change{AddInterviewers: &AddInterviewers{Location: "TRE", Count: 2, Pattern: &Pattern{Weekdays: []string{"fri", "mon"}}}},
			[]Advice{{Code: "var.add_interviewers", N: 2, Args: []Arg{{Name: "count", Value: "2"}}},
				{Code: "var.q.days", Args: []Arg{{Name: "days", Value: "mon,fri", Kind: ArgDays}}},
				{Code: "var.q.at", Args: []Arg{{Name: "offices", Value: "TRE", Kind: ArgOffices}}}}},
		{"remove by id", Change{RemoveInterviewers: &RemovePeople{IDs: []string{"E1", "E2"}}},
			[]Advice{{Code: "var.remove_interviewers", N: 2, Args: []Arg{{Name: "count", Value: "2"}}}}},
		{"notice", Change{Notice: &Notice{MinDays: ptr(3)}}, []Advice{{Code: "var.notice", Args: []Arg{}}}},
		{"evening sessions", Change{ExtraSessions: &ExtraSessions{StartTimes: []string{"16:30", "18:00"}, Pattern: Pattern{Weekdays: []string{"thu", "tue"}}}},
			[]Advice{{Code: "var.extra_sessions", N: 2, Args: []Arg{{Name: "times", Value: "16:30,18:00", Kind: ArgClocks}}},
				{Code: "var.q.days", Args: []Arg{{Name: "days", Value: "tue,thu", Kind: ArgDays}}}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := Describe(Variant{Name: "x", Changes: []Change{tc.c}})
			require.Equal(t, tc.want, got)
			require.True(t, got[0].IsChange())
			for _, a := range got[1:] {
				require.False(t, a.IsChange(), a.Code)
			}
		})
	}
	require.Equal(t, [][]string{{"mon", "tue", "wed"}, {"fri"}}, DayRuns([]string{"mon", "tue", "wed", "fri"}))
}
