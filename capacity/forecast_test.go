package capacity

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/generator"
	"github.com/asylum-scheduling/interviews/solver"
)

var (
	fcMOnce sync.Once
	fcMInst *solver.Instance
	fcMErr  error
)

// forecastBaseM is the generated M instance (a normal national week), seed 1.
func forecastBaseM(t *testing.T) *solver.Instance {
	t.Helper()
	fcMOnce.Do(func() { fcMInst, fcMErr = generator.Generate("M", 1) })
	require.NoError(t, fcMErr)
	return fcMInst
}

// quickForecast are options with a small move budget per week. (Each week's solve
// waits for the solver's bound up to the time limit, so the limit is short;
// TestForecastDeterministic needs a limit the search never reaches.)
func quickForecast(weeks int) ForecastOptions {
	return ForecastOptions{Weeks: weeks, Iterations: 60, TimeLimitPerWeek: time.Second, Seed: 7}
}

func historyIntake(k int) Intake {
	return Intake{Format: IntakeFormat, FromHistory: &FromHistory{Weeks: k}}
}

func explicitIntake(arrivals ...IntakeWeek) Intake {
	return Intake{Format: IntakeFormat, Weeks: arrivals}
}

func runForecast(t *testing.T, base *solver.Instance, in Intake, opt ForecastOptions) *ForecastResult {
	t.Helper()
	var calls []int
	res, err := Forecast(context.Background(), base, in, opt, func(week, weeks int) {
		require.Equal(t, opt.Weeks, weeks)
		calls = append(calls, week)
	})
	require.NoError(t, err)
	require.Len(t, res.Week, opt.Weeks)
	require.Len(t, calls, opt.Weeks, "progress is reported once a week")
	return res
}

// weekLang returns the row of language l in week w (0-based).
func weekLang(t *testing.T, res *ForecastResult, w int, l string) WeekLanguage {
	t.Helper()
	for _, wl := range res.Week[w].Langs {
		if wl.Language == l {
			return wl
		}
	}
	t.Fatalf("week %d has no language %q", w+1, l)
	return WeekLanguage{}
}

func forecastSummary(t *testing.T, res *ForecastResult, l string) LanguageSummary {
	t.Helper()
	for _, s := range res.Languages {
		if s.Language == l {
			return s
		}
	}
	t.Fatalf("no summary of language %q", l)
	return LanguageSummary{}
}

// TestForecastDeterministic: the same seed gives the same forecast (timing
// aside); another seed draws other new cases.
func TestForecastDeterministic(t *testing.T) {
	t.Parallel()
	base := forecastBaseM(t)
	strip := func(r *ForecastResult) *ForecastResult {
		for i := range r.Week {
			r.Week[i].SolveMS = 0
		}
		return r
	}
	opt := quickForecast(2)
	opt.TimeLimitPerWeek = 3 * time.Second // 60 moves on M take milliseconds
	a := strip(runForecast(t, base, historyIntake(1), opt))
	b := strip(runForecast(t, base, historyIntake(1), opt))
	require.Equal(t, a, b)
	require.Positive(t, a.Week[0].Scheduled)
	require.Positive(t, a.Week[1].Arrivals)

	opt.Seed = 8
	c := strip(runForecast(t, base, historyIntake(1), opt))
	require.NotEqual(t, a.Week, c.Week, "another seed draws other shapes and plans")
}

// TestForecastConservation: in every week and language, the backlog at
// the end is the backlog at the start plus the arrivals less the scheduled;
// each week starts with the backlog the week before ended with; the weeks'
// totals are their languages' sums.
func TestForecastConservation(t *testing.T) {
	t.Parallel()
	base := forecastBaseM(t)
	monday := "2027-01-04"
	cases := []struct {
		name   string
		intake Intake
		opt    func(*ForecastOptions)
	}{
		{"from history", historyIntake(1), nil},
		{"explicit surge", explicitIntake(
			IntakeWeek{Week: monday, Arrivals: map[string]int{"ar": 30, "so": 25, "fa": 10}},
			IntakeWeek{Week: "2027-01-18", Arrivals: map[string]int{"ar": 60, "ku": 5}},
		), nil},
		{"empty start without aging", historyIntake(1), func(o *ForecastOptions) { o.EmptyStart, o.NoAging = true, true }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			opt := quickForecast(4)
			if tc.opt != nil {
				tc.opt(&opt)
			}
			res := runForecast(t, base, tc.intake, opt)
			prev := map[string]int{}
			for w, wk := range res.Week {
				var start, arr, sch, end int
				for _, wl := range wk.Langs {
					require.Equal(t, wl.BacklogStart+wl.Arrivals-wl.Scheduled, wl.BacklogEnd, "week %d %s", w+1, wl.Language)
					if w > 0 {
						require.Equal(t, prev[wl.Language], wl.BacklogStart, "week %d %s starts where the week before ended", w+1, wl.Language)
					}
					prev[wl.Language] = wl.BacklogEnd
					unsched := 0
					for _, n := range wl.Unscheduled {
						unsched += n
					}
					require.Equal(t, wl.BacklogEnd, unsched, "week %d %s: the backlog by reason", w+1, wl.Language)
					start, arr, sch, end = start+wl.BacklogStart, arr+wl.Arrivals, sch+wl.Scheduled, end+wl.BacklogEnd
				}
				require.Equal(t, []int{start, arr, sch, end}, []int{wk.BacklogStart, wk.Arrivals, wk.Scheduled, wk.BacklogEnd}, "week %d totals", w+1)
			}
			if opt.EmptyStart {
				require.Zero(t, res.OpeningBacklog)
			} else {
				require.Equal(t, len(base.Interviews), res.OpeningBacklog)
			}
		})
	}
}

// TestForecastZeroIntake: with no new cases the backlog never grows.
func TestForecastZeroIntake(t *testing.T) {
	t.Parallel()
	res := runForecast(t, forecastBaseM(t), explicitIntake(IntakeWeek{Week: "2027-01-04", Arrivals: map[string]int{}}), quickForecast(4))
	require.Equal(t, 120, res.Week[0].BacklogStart)
	for w, wk := range res.Week {
		require.Zero(t, wk.Arrivals)
		for _, wl := range wk.Langs {
			require.LessOrEqual(t, wl.BacklogEnd, wl.BacklogStart, "week %d %s", w+1, wl.Language)
		}
	}
	require.Less(t, res.Week[3].BacklogEnd, res.Week[0].BacklogStart, "the opening backlog is worked off")
	// The comparable figure: the backlog's own priority never rises when
	// nothing arrives (the aged medium may).
	for w := 1; w < len(res.Week); w++ {
		require.LessOrEqual(t, res.Week[w].UnscheduledPriority, res.Week[w-1].UnscheduledPriority, "week %d", w+1)
		require.GreaterOrEqual(t, res.Week[w].UnscheduledPriority, int64(res.Week[w].BacklogEnd), "every case weighs 1 at least")
	}
	for _, s := range res.Languages {
		require.Equal(t, GrowthNever, s.Growth, s.Language)
		require.Nil(t, s.StopsGrowingAfter)
	}
}

// TestForecastFarAboveCapacity: ten times more Somali cases a week than the
// Somali interpreters could hold: the backlog grows every week and is
// reported as still growing.
func TestForecastFarAboveCapacity(t *testing.T) {
	t.Parallel()
	base := forecastBaseM(t)
	probe := runForecast(t, base, explicitIntake(IntakeWeek{Week: "2027-01-04", Arrivals: map[string]int{"so": 1}}), ForecastOptions{Weeks: 1, Iterations: 1, TimeLimitPerWeek: time.Second, EmptyStart: true})
	capSo := weekLang(t, probe, 0, "so").Capacity
	require.Positive(t, capSo)
	var weeks []IntakeWeek
	for w := range 4 {
		weeks = append(weeks, IntakeWeek{Week: (forecastDate(t, "2027-01-04") + solver.Date(7*w)).String(), Arrivals: map[string]int{"so": 10 * capSo}})
	}
	opt := quickForecast(4)
	opt.EmptyStart = true
	res := runForecast(t, base, explicitIntake(weeks...), opt)
	last := 0
	for w := range res.Week {
		wl := weekLang(t, res, w, "so")
		require.Equal(t, 10*capSo, wl.Arrivals)
		require.LessOrEqual(t, wl.Scheduled, wl.Capacity, "week %d: the capacity count bounds what is held", w+1)
		require.Greater(t, wl.BacklogEnd, last, "week %d", w+1)
		last = wl.BacklogEnd
	}
	s := forecastSummary(t, res, "so")
	require.Equal(t, GrowthGrowing, s.Growth)
	require.Equal(t, 4, s.PeakWeek)
	require.Nil(t, s.StopsGrowingAfter)
}

// TestForecastRisesLate: on M, a wave of Somali cases in the first week
// (four times what the Somali interpreters could hold), none for two
// weeks while the backlog is worked down, then a quarter more than they
// could hold every week: the backlog rises late, below its first peak,
// and the label says still growing, with its rate — not "stopped" after
// the first peak. The comparable priority follows the backlog.
func TestForecastRisesLate(t *testing.T) {
	t.Parallel()
	base := forecastBaseM(t)
	probe := runForecast(t, base, explicitIntake(IntakeWeek{Week: "2027-01-04", Arrivals: map[string]int{"so": 1}}), ForecastOptions{Weeks: 1, Iterations: 1, TimeLimitPerWeek: time.Second, EmptyStart: true})
	capSo := weekLang(t, probe, 0, "so").Capacity
	require.Positive(t, capSo)
	monday := func(w int) string { return (forecastDate(t, "2027-01-04") + solver.Date(7*w)).String() }
	weeks := []IntakeWeek{{Week: monday(0), Arrivals: map[string]int{"so": 4 * capSo}}}
	for w := 3; w < 7; w++ {
		weeks = append(weeks, IntakeWeek{Week: monday(w), Arrivals: map[string]int{"so": capSo * 5 / 4}})
	}
	res := runForecast(t, base, explicitIntake(weeks...), quickForecast(7))
	levels := []int{weekLang(t, res, 0, "so").BacklogStart}
	for w := range res.Week {
		levels = append(levels, weekLang(t, res, w, "so").BacklogEnd)
	}
	require.Greater(t, levels[7], levels[3], "the backlog rises late: %v", levels)
	require.Less(t, levels[7], levels[1], "below its first peak: %v", levels)
	s := forecastSummary(t, res, "so")
	require.Equal(t, 1, s.PeakWeek)
	require.Equal(t, GrowthGrowing, s.Growth, "levels %v", levels)
	require.Nil(t, s.StopsGrowingAfter)
	require.NotNil(t, s.GrowthPerWeek)
	require.Positive(t, *s.GrowthPerWeek)
	for w, wk := range res.Week {
		require.GreaterOrEqual(t, wk.UnscheduledPriority, int64(wk.BacklogEnd), "week %d", w+1)
	}
	t.Logf("so levels %v, rate %.2f, trend %.2f", levels, *s.GrowthPerWeek, s.TrendPerWeek)
}

func forecastDate(t *testing.T, s string) solver.Date {
	t.Helper()
	d, err := solver.ParseDate(s)
	require.NoError(t, err)
	return d
}

// TestForecastGrowth: where a backlog stops growing, on made-up levels.
func TestForecastGrowth(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		levels []int // opening, then each week's end
		growth string
		peak   int
		after  int // 0: none
		trend  float64
		rate   float64 // still growing: the rate since the last fall
	}{
		{"flat", []int{5, 5, 5}, GrowthNever, 0, 0, 0, 0},
		{"falls", []int{5, 4, 0}, GrowthNever, 0, 0, -4, 0},
		{"rises every week", []int{0, 3, 6, 9}, GrowthGrowing, 3, 0, 3, 3},
		{"plateau", []int{0, 3, 6, 6, 6}, GrowthStopped, 2, 2, 0, 0},
		{"peak then falls", []int{2, 8, 7, 3}, GrowthStopped, 1, 1, -4, 0},
		{"wobbles below the peak", []int{0, 5, 9, 8, 9, 7}, GrowthStopped, 2, 2, -0.5, 0},
		{"new high at the end", []int{0, 5, 9, 8, 10}, GrowthGrowing, 4, 0, 2, 2},
		{"one week", []int{4, 6}, GrowthGrowing, 1, 0, 2, 2},
		// The opening is the peak, but after a dip the backlog rises for
		// the rest of the horizon: still growing, not "never grew".
		{"rises late below the opening", []int{40, 20, 22, 25, 27, 30, 33, 35}, GrowthGrowing, 0, 0, 2.7, 2.57},
		// Peaked early, then rises slowly again below the peak: still
		// growing, not "stopped".
		{"slow rise below the peak", []int{0, 10, 12, 10, 10, 11, 11, 12}, GrowthGrowing, 2, 0, 0.6, 0.6},
		{"wobble within the tolerance", []int{0, 6, 9, 10, 9, 10, 9}, GrowthStopped, 3, 2, 0, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := &ForecastResult{}
			for w := 1; w < len(tc.levels); w++ {
				res.Week = append(res.Week, ForecastWeek{Week: w, Start: (forecastDate(t, "2027-01-04") + solver.Date(7*(w-1))).String(),
					Langs: []WeekLanguage{{Language: "ti", BacklogStart: tc.levels[w-1], BacklogEnd: tc.levels[w]}}})
			}
			s := fcSummarize(res, []string{"ti"})[0]
			require.Equal(t, tc.growth, s.Growth)
			require.Equal(t, tc.peak, s.PeakWeek)
			require.InDelta(t, tc.trend, s.TrendPerWeek, 1e-9)
			if tc.growth == GrowthGrowing {
				require.NotNil(t, s.GrowthPerWeek)
				require.InDelta(t, tc.rate, *s.GrowthPerWeek, 1e-9)
			} else {
				require.Nil(t, s.GrowthPerWeek)
			}
			if tc.after == 0 {
				require.Nil(t, s.StopsGrowingAfter)
				return
			}
			require.Equal(t, tc.after, *s.StopsGrowingAfter)
			require.Equal(t, res.Week[tc.after-1].Start, *s.StopsGrowingDate)
		})
	}
}

// TestForecastIntakeProblems: a bad intake is refused with every problem named.
func TestForecastIntakeProblems(t *testing.T) {
	t.Parallel()
	base := forecastBaseM(t)
	cases := []struct {
		name   string
		intake Intake
		want   []string
	}{
		{"format", Intake{Format: "x", FromHistory: &FromHistory{Weeks: 1}}, []string{`format: must be "capacity-intake/v1"`}},
		{"neither", Intake{Format: IntakeFormat}, []string{"either weeks or from_history"}},
		{"both", Intake{Format: IntakeFormat, FromHistory: &FromHistory{Weeks: 1}, Weeks: []IntakeWeek{{Week: "2027-01-04"}}}, []string{"either weeks or from_history"}},
		{"history weeks", historyIntake(0), []string{"from_history.weeks: must be at least 1"}},
		{"not a Monday", explicitIntake(IntakeWeek{Week: "2027-01-05"}), []string{"weeks[0].week: 2027-01-05 is not a Monday"}},
		{"not a date", explicitIntake(IntakeWeek{Week: "next week"}), []string{"weeks[0].week:"}},
		{"before the start", explicitIntake(IntakeWeek{Week: "2026-12-28"}), []string{"before the forecast's first week 2027-01-04"}},
		{"twice", explicitIntake(IntakeWeek{Week: "2027-01-04"}, IntakeWeek{Week: "2027-01-04"}), []string{"weeks[1].week: 2027-01-04 is listed twice"}},
		{"negative", explicitIntake(IntakeWeek{Week: "2027-01-04", Arrivals: map[string]int{"ar": -1}}), []string{"weeks[0].arrivals.ar: must not be negative"}},
		{"shape", Intake{Format: IntakeFormat, FromHistory: &FromHistory{Weeks: 1}, Shapes: map[string]IntakeShape{"ar": {DurationMinutes: 100, Locations: []string{"TKU"}, InterpreterMode: "video"}}},
			[]string{"shapes.ar.duration_minutes", `unknown location "TKU"`, `"video" is not onsite`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Forecast(context.Background(), base, tc.intake, quickForecast(2), nil)
			require.Error(t, err)
			for _, w := range tc.want {
				require.Contains(t, err.Error(), w)
			}
		})
	}
	_, err := Forecast(context.Background(), base, historyIntake(1), ForecastOptions{Weeks: 0}, nil)
	require.ErrorContains(t, err, "weeks must be between 1 and 52")
	_, err = ParseIntake(strings.NewReader(`{"format": "capacity-intake/v1", "from_history": {"weeks": 2}, "typo": 1}`))
	require.ErrorContains(t, err, "typo")
	in, err := ParseIntake(strings.NewReader(`{"format": "capacity-intake/v1", "weeks": [{"week": "2027-01-11", "arrivals": {"ar": 3}}]}`))
	require.NoError(t, err)
	require.Equal(t, 3, in.Weeks[0].Arrivals["ar"])
}

// TestForecastIntakeShapes: explicit arrivals arrive in their week, with the
// shape overrides, and history gives the base week's counts every week.
func TestForecastIntakeShapes(t *testing.T) {
	t.Parallel()
	base := forecastBaseM(t)
	cal, err := newFcCalendar(base)
	require.NoError(t, err)
	in := explicitIntake(IntakeWeek{Week: "2027-01-11", Arrivals: map[string]int{"ti": 4}}, IntakeWeek{Week: "2027-03-01", Arrivals: map[string]int{"ti": 4}})
	in.Shapes = map[string]IntakeShape{"ti": {DurationMinutes: 120, Priority: 3, Locations: []string{"OUL"}}}
	w, err := resolveIntake(base, in, cal.monday0, 3)
	require.NoError(t, err)
	require.Equal(t, []map[string]int{{}, {"ti": 4}, {}}, w.arrivals)
	require.Len(t, w.notes, 1, "the week after the end is left out, and said so")

	sh := newFcShapes(base, in.Shapes, 1)
	iv := sh.newCase("F02-00001", "ti", forecastDate(t, "2027-01-11"))
	require.Equal(t, 120, iv.DurationMinutes)
	require.Equal(t, 3, iv.Prio())
	require.Equal(t, []string{"OUL"}, iv.Locations)
	require.Equal(t, "2027-01-11", iv.Earliest)

	count := map[string]int{}
	for _, iv := range base.Interviews {
		count[iv.Language]++
	}
	h, err := resolveIntake(base, historyIntake(1), cal.monday0, 2)
	require.NoError(t, err)
	require.Equal(t, count, h.arrivals[0])
	require.Equal(t, count, h.arrivals[1])
	h2, err := resolveIntake(base, historyIntake(2), cal.monday0, 2)
	require.NoError(t, err)
	require.Equal(t, count["ar"], h2.arrivals[0]["ar"]+h2.arrivals[1]["ar"], "half a week's count each week, the fractions carried")
}

// TestForecastCalendar: week w has the base week's availability moved by
// whole weeks of local time, 08:00 staying 08:00 across the change to
// summer time (Helsinki, 28 March 2027).
func TestForecastCalendar(t *testing.T) {
	t.Parallel()
	base := &solver.Instance{Timezone: "Europe/Helsinki", Horizon: solver.DateRange{Start: "2027-03-15", End: "2027-03-26"}}
	cal, err := newFcCalendar(base)
	require.NoError(t, err)
	require.Equal(t, 2, cal.weeks)
	avail := []solver.Interval{
		{Start: "2027-03-15T08:00:00+02:00", End: "2027-03-15T16:00:00+02:00"}, // base week 0
		{Start: "2027-03-24T12:30:00+02:00", End: "2027-03-24T16:30:00+02:00"}, // base week 1
	}
	require.Equal(t, avail[:1], cal.shift(avail, 0))
	require.Equal(t, avail[1:], cal.shift(avail, 1))
	require.Equal(t, []solver.Interval{{Start: "2027-03-29T08:00:00+03:00", End: "2027-03-29T16:00:00+03:00"}}, cal.shift(avail, 2))
	require.Equal(t, []solver.Interval{{Start: "2027-04-07T12:30:00+03:00", End: "2027-04-07T16:30:00+03:00"}}, cal.shift(avail, 3))
	require.Nil(t, cal.shift(nil, 3), "always available stays so")
	require.Equal(t, []solver.Interval{}, cal.shift([]solver.Interval{}, 3), "never available stays so")
}

// TestForecastPinnedBookings: the base's pinned bookings are held in their
// week, outside the backlog; unpinned ones are dropped and their interviews
// open, and the notes say so.
func TestForecastPinnedBookings(t *testing.T) {
	t.Parallel()
	base := *forecastBaseM(t)
	ff, err := solver.FirstFit(&base)
	require.NoError(t, err)
	require.Greater(t, len(ff.Assignments), 12)
	base.Bookings = nil
	for k, a := range ff.Assignments[:12] {
		base.Bookings = append(base.Bookings, solver.Booking{Interview: a.Interview, Start: a.Start, Room: a.Room,
			Interviewer: a.Interviewer, Interpreter: a.Interpreter, Mode: a.Mode, Pinned: k < 10})
	}
	res := runForecast(t, &base, historyIntake(1), quickForecast(2))
	require.Equal(t, 10, res.Week[0].Pinned)
	require.Zero(t, res.Week[1].Pinned)
	require.Equal(t, len(base.Interviews)-10, res.OpeningBacklog)
	require.Contains(t, strings.Join(res.Notes, "\n"), "2 unpinned bookings of the base are dropped")
}

// TestForecastAging: an interview planned k weeks after its arrival week has its
// priority raised by k, at most 1000; without aging it keeps its own.
func TestForecastAging(t *testing.T) {
	t.Parallel()
	p999 := 999
	s := &fcSim{opt: ForecastOptions{}, backlog: []fcPending{
		{iv: solver.Interview{ID: "a"}, week: 0},
		{iv: solver.Interview{ID: "b", Priority: &p999}, week: 1},
		{iv: solver.Interview{ID: "c"}, week: 3},
	}}
	prios := func(ivs []solver.Interview) []int {
		var out []int
		for _, iv := range ivs {
			out = append(out, iv.Prio())
		}
		return out
	}
	require.Equal(t, []int{4, 1000, 1}, prios(s.plannedInterviews(3)))
	require.Equal(t, 999, p999, "the backlog's own priority is not changed")
	s.opt.NoAging = true
	require.Equal(t, []int{1, 999, 1}, prios(s.plannedInterviews(3)))
}
