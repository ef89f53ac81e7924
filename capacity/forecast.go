package capacity

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/asylum-scheduling/interviews/solver"
)

// ForecastFormat is the format name of a forecast's result.
const ForecastFormat = "capacity-forecast/v1"

// DefaultTimeLimitPerWeek is the solver's time for each simulated week when
// ForecastOptions leave it out.
const DefaultTimeLimitPerWeek = 2 * time.Second

// MaxForecastWeeks bounds ForecastOptions.Weeks.
const MaxForecastWeeks = 52

// CapacityMethod says how the capacity figures are counted.
const CapacityMethod = "count: per person and day, the whole interviews of the language's mean duration that fit in each " +
	"availability interval, at most the daily limit; summed over the interpreters who speak the language and the " +
	"interviewers who speak it themselves (each person counted for every language it speaks)"

// ForecastOptions tune a forecast.
type ForecastOptions struct {
	// Weeks simulated, 1 to MaxForecastWeeks (4–26 is the intended use).
	Weeks int
	// TimeLimitPerWeek is the solver's time limit for each week's plan
	// (default DefaultTimeLimitPerWeek).
	TimeLimitPerWeek time.Duration
	// Iterations bounds each week's search by a number of moves (0: the
	// time limit only). With one worker and a time limit that is never
	// reached, the forecast is the same on every run for a given seed.
	Iterations int64
	// Seed of the shapes drawn for new cases and of the solver.
	Seed int64
	// Workers of each week's solve (default 1).
	Workers int
	// EmptyStart leaves the base instance's own interviews out: the
	// backlog starts empty, and the base gives only the resources and the
	// shapes of new cases.
	EmptyStart bool
	// NoAging plans with the interviews' own priorities. By default an
	// interview that has waited k whole weeks is planned with priority
	// p + k (at most 1000), so that a rolling plan does not leave the
	// oldest cases behind.
	NoAging bool
}

// ForecastResult is a capacity-forecast/v1 document (docs/formats.md,
// "Forecast").
type ForecastResult struct {
	Format             string            `json:"format"`
	Start              string            `json:"start"`
	Weeks              int               `json:"weeks"`
	BaseWeeks          int               `json:"base_weeks"`
	Seed               int64             `json:"seed"`
	TimeLimitPerWeekMS int64             `json:"time_limit_per_week_ms"`
	Iterations         int64             `json:"iterations,omitempty"`
	Aging              bool              `json:"aging"`
	CapacityMethod     string            `json:"capacity_method"`
	OpeningBacklog     int               `json:"opening_backlog"`
	Notes              []string          `json:"notes,omitempty"`
	Week               []ForecastWeek    `json:"week"`
	Languages          []LanguageSummary `json:"languages"`
}

// ForecastWeek is one simulated week: all languages together, then each.
type ForecastWeek struct {
	Week         int    `json:"week"` // 1 = the first week simulated
	Start        string `json:"start"`
	End          string `json:"end"`
	BacklogStart int    `json:"backlog_start"`
	Arrivals     int    `json:"arrivals"`
	Scheduled    int    `json:"scheduled"`
	BacklogEnd   int    `json:"backlog_end"`
	// Pinned is the number of the base instance's pinned bookings in this
	// week (held as they are; not in the other figures).
	Pinned int `json:"pinned,omitempty"`
	// InterviewerCapacity counts the interviews of the mean duration all
	// interviewers of the week could hold (CapacityMethod).
	InterviewerCapacity int `json:"interviewer_capacity"`
	// Medium is the unscheduled priority of the week's plan, with the
	// aged priorities it was planned with (a case gains a point a week it
	// waits): not comparable across weeks. UnscheduledPriority is the
	// backlog at the week's end weighed by the cases' own priorities
	// (without aging): comparable from week to week.
	Medium              int64          `json:"medium"`
	UnscheduledPriority int64          `json:"unscheduled_priority"`
	SolveMS             int64          `json:"solve_ms"`
	Note                string         `json:"note,omitempty"`
	Langs               []WeekLanguage `json:"languages"`
}

// WeekLanguage are one language's figures in one week. BacklogEnd =
// BacklogStart + Arrivals − Scheduled.
type WeekLanguage struct {
	Language     string `json:"language"`
	BacklogStart int    `json:"backlog_start"`
	Arrivals     int    `json:"arrivals"`
	Scheduled    int    `json:"scheduled"`
	BacklogEnd   int    `json:"backlog_end"`
	// Capacity is the most interviews of the language the week could hold
	// by CapacityMethod (an upper estimate, not the solver's bound).
	Capacity int `json:"capacity"`
	// WaitMedianDays and WaitP90Days are the days from arrival (earliest
	// date) to the start, over the interviews scheduled this week; absent
	// when none was.
	WaitMedianDays *float64 `json:"wait_median_days,omitempty"`
	WaitP90Days    *int     `json:"wait_p90_days,omitempty"`
	// Unscheduled counts the backlog at the week's end by the solver's
	// reason (capacity, no_interpreter_available, …).
	Unscheduled map[string]int `json:"unscheduled,omitempty"`
}

// Growth of a language's backlog over the forecast.
//
// A backlog has stopped growing after a level when it stays flat or falls
// over the rest of the horizon: no later level rises more than the
// tolerance (1 interview, or 2 % of that level when more) above the lowest
// level since, and the least-squares slope of the rest is not above 0.
const (
	GrowthNever   = "never"         // flat or falling from the opening backlog on
	GrowthStopped = "stopped"       // flat or falling after the end of week StopsGrowingAfter
	GrowthGrowing = "still_growing" // rising in the last weeks (GrowthPerWeek)
)

// LanguageSummary is one language over the whole forecast.
type LanguageSummary struct {
	Language         string  `json:"language"`
	OpeningBacklog   int     `json:"opening_backlog"`
	Arrivals         int     `json:"arrivals"`
	Scheduled        int     `json:"scheduled"`
	FinalBacklog     int     `json:"final_backlog"`
	ArrivalsPerWeek  float64 `json:"arrivals_per_week"`
	ScheduledPerWeek float64 `json:"scheduled_per_week"`
	CapacityPerWeek  float64 `json:"capacity_per_week"`
	PeakBacklog      int     `json:"peak_backlog"`
	// PeakWeek is the week at whose end the backlog first reached its
	// peak (0: the opening backlog).
	PeakWeek int    `json:"peak_week"`
	Growth   string `json:"growth"`
	// StopsGrowingAfter is the first week after which the backlog never
	// rises above its level at that week's end (only when Growth is
	// "stopped"); StopsGrowingDate is that week's Monday.
	StopsGrowingAfter *int    `json:"stops_growing_after,omitempty"`
	StopsGrowingDate  *string `json:"stops_growing_date,omitempty"`
	// GrowthPerWeek, when Growth is "still_growing", is the rate of the
	// rise: the least-squares slope of the levels from the last fall (the
	// opening when it never fell; past the flat levels after it) to the
	// end, in interviews per week.
	GrowthPerWeek *float64 `json:"growth_per_week,omitempty"`
	// TrendPerWeek is the least-squares fcSlope of the backlog at the weeks'
	// ends over the second half of the weeks (at least the last two), in
	// interviews per week: near 0 on a plateau that only wobbles.
	TrendPerWeek float64 `json:"trend_per_week"`
}

// Forecast simulates rolling weekly planning on the base instance's
// resources, repeated week after week: each week the intake's new cases
// arrive, the week alone is planned (earlier weeks' bookings lie in the
// past and take none of its time; the base's pinned bookings of the week are
// held), and what is not placed carries over. progress, when set, is called
// after each week with the weeks done and the weeks in all. See
// docs/forecast.md.
func Forecast(ctx context.Context, base *solver.Instance, intake Intake, opt ForecastOptions, progress func(week, weeks int)) (*ForecastResult, error) {
	if opt.Weeks < 1 || opt.Weeks > MaxForecastWeeks {
		return nil, fmt.Errorf("forecast: weeks must be between 1 and %d, not %d", MaxForecastWeeks, opt.Weeks)
	}
	if opt.TimeLimitPerWeek < 0 || opt.Iterations < 0 || opt.Workers < 0 {
		return nil, errors.New("forecast: time limit, iterations and workers must not be negative")
	}
	if opt.TimeLimitPerWeek == 0 {
		opt.TimeLimitPerWeek = DefaultTimeLimitPerWeek
	}
	if err := solver.Validate(base); err != nil {
		return nil, err
	}
	cal, err := newFcCalendar(base)
	if err != nil {
		return nil, fmt.Errorf("forecast: %w", err)
	}
	arrivals, err := resolveIntake(base, intake, cal.monday0, opt.Weeks)
	if err != nil {
		return nil, err
	}
	sim := newFcSim(base, cal, opt, arrivals, intake.Shapes)
	res := &ForecastResult{
		Format: ForecastFormat, Start: cal.monday0.String(), Weeks: opt.Weeks, BaseWeeks: cal.weeks,
		Seed: opt.Seed, TimeLimitPerWeekMS: opt.TimeLimitPerWeek.Milliseconds(), Iterations: opt.Iterations,
		Aging: !opt.NoAging, CapacityMethod: CapacityMethod, OpeningBacklog: len(sim.backlog),
		Notes: append(sim.notes, arrivals.notes...),
	}
	for w := 0; w < opt.Weeks; w++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		row, err := sim.week(ctx, w)
		if err != nil {
			return nil, fmt.Errorf("forecast: week %d (%s): %w", w+1, cal.monday(w), err)
		}
		res.Week = append(res.Week, row)
		if progress != nil {
			progress(w+1, opt.Weeks)
		}
	}
	res.Languages = fcSummarize(res, sim.langs)
	return res, nil
}

// fcPending is an interview in the backlog.
type fcPending struct {
	iv      solver.Interview
	arrived solver.Date // its earliest date: waiting counts from here
	week    int         // the week it arrived in (0 for the opening backlog before)
}

// fcSim is the state of a forecast between weeks.
type fcSim struct {
	base     *solver.Instance
	cal      *fcCalendar
	opt      ForecastOptions
	arrivals *fcWeekly
	shapes   *fcShapes
	langs    []string
	backlog  []fcPending
	pinned   map[int][]solver.Booking // by week
	pinnedIv map[int][]solver.Interview
	capCache map[int]map[string]int // by base week: capacity per language
	ivrCap   map[int]int            // by base week
	meanDur  int
	seq      int
	notes    []string
}

func newFcSim(base *solver.Instance, cal *fcCalendar, opt ForecastOptions, arrivals *fcWeekly, overrides map[string]IntakeShape) *fcSim {
	s := &fcSim{base: base, cal: cal, opt: opt, arrivals: arrivals, pinned: map[int][]solver.Booking{},
		pinnedIv: map[int][]solver.Interview{}, capCache: map[int]map[string]int{}, ivrCap: map[int]int{}}
	s.shapes = newFcShapes(base, overrides, opt.Seed)
	s.meanDur = s.shapes.meanDuration("")
	langs := map[string]bool{}
	for _, a := range arrivals.arrivals {
		for l, n := range a {
			if n > 0 {
				langs[l] = true
			}
		}
	}
	s.openingBacklog(langs)
	s.langs = fcSortedKeys(langs)
	return s
}

// openingBacklog puts the base's interviews into the backlog (unless
// EmptyStart) and its pinned bookings into their weeks.
func (s *fcSim) openingBacklog(langs map[string]bool) {
	byID := map[string]*solver.Interview{}
	for i := range s.base.Interviews {
		byID[s.base.Interviews[i].ID] = &s.base.Interviews[i]
	}
	booked := map[string]bool{}
	outside, unpinned := 0, 0
	for _, b := range s.base.Bookings {
		if !b.Pinned {
			unpinned++
			continue
		}
		booked[b.Interview] = true
		t, err := solver.ParseInstant(b.Start)
		if err != nil {
			continue
		}
		w := int(solver.DateOf(t, s.cal.loc)-s.cal.monday0) / 7
		if w < 0 || w >= s.opt.Weeks {
			outside++
			continue
		}
		s.pinned[w] = append(s.pinned[w], b)
		s.pinnedIv[w] = append(s.pinnedIv[w], *byID[b.Interview])
	}
	if unpinned > 0 {
		s.notes = append(s.notes, fmt.Sprintf("%d unpinned bookings of the base are dropped: their interviews are open", unpinned))
	}
	if outside > 0 {
		s.notes = append(s.notes, fmt.Sprintf("%d pinned bookings of the base lie outside the weeks simulated", outside))
	}
	if s.opt.EmptyStart {
		return
	}
	for _, iv := range s.base.Interviews {
		if booked[iv.ID] {
			continue
		}
		d, _ := solver.ParseDate(iv.Earliest)
		s.backlog = append(s.backlog, fcPending{iv: iv, arrived: d, week: max(0, int(d-s.cal.monday0)/7)})
		langs[iv.Language] = true
	}
}

// week simulates week w: arrivals, the week's plan, the carry-over.
func (s *fcSim) week(ctx context.Context, w int) (ForecastWeek, error) {
	monday := s.cal.monday(w)
	row := ForecastWeek{Week: w + 1, Start: monday.String(), End: (monday + 6).String(), Pinned: len(s.pinned[w])}
	per := map[string]*WeekLanguage{}
	for _, l := range s.langs {
		per[l] = &WeekLanguage{Language: l}
	}
	for _, p := range s.backlog {
		per[p.iv.Language].BacklogStart++
	}
	for _, l := range s.langs {
		for range s.arrivals.arrivals[w][l] {
			s.seq++
			iv := s.shapes.newCase(fmt.Sprintf("F%02d-%05d", w+1, s.seq), l, monday)
			s.backlog = append(s.backlog, fcPending{iv: iv, arrived: monday, week: w})
			per[l].Arrivals++
		}
	}
	in := s.cal.weekInstance(s.base, w, s.plannedInterviews(w), s.pinned[w])
	sched, ms, err := s.solve(ctx, in)
	if err != nil {
		return row, err
	}
	row.SolveMS = ms
	s.carryOver(sched, per)
	s.capacities(w, in, per)
	row.InterviewerCapacity = s.ivrCap[w%s.cal.weeks]
	for _, p := range s.backlog {
		row.UnscheduledPriority += int64(p.iv.Prio())
	}
	if sched != nil {
		row.Medium = sched.Score.Medium
		if sched.Stats != nil {
			row.Note = sched.Stats.Note
		}
	}
	for _, l := range s.langs {
		wl := per[l]
		row.BacklogStart += wl.BacklogStart
		row.Arrivals += wl.Arrivals
		row.Scheduled += wl.Scheduled
		row.BacklogEnd += wl.BacklogEnd
		row.Langs = append(row.Langs, *wl)
	}
	return row, nil
}

// plannedInterviews returns the backlog's interviews, aged unless NoAging,
// and the interviews of the week's pinned bookings.
func (s *fcSim) plannedInterviews(w int) []solver.Interview {
	ivs := make([]solver.Interview, 0, len(s.backlog)+len(s.pinnedIv[w]))
	for _, p := range s.backlog {
		iv := p.iv
		if waited := w - p.week; !s.opt.NoAging && waited > 0 {
			prio := min(iv.Prio()+waited, 1000)
			iv.Priority = &prio
		}
		ivs = append(ivs, iv)
	}
	return append(ivs, s.pinnedIv[w]...)
}

// solve plans the week; nil when there is nothing to plan.
func (s *fcSim) solve(ctx context.Context, in *solver.Instance) (*solver.Schedule, int64, error) {
	if len(in.Interviews) == 0 {
		return nil, 0, nil
	}
	t0 := time.Now()
	sched, err := solver.Solve(ctx, in, solver.Options{TimeLimit: s.opt.TimeLimitPerWeek, Iterations: s.opt.Iterations,
		Seed: s.opt.Seed, Workers: max(s.opt.Workers, 1)})
	return sched, time.Since(t0).Milliseconds(), err
}

// carryOver takes the scheduled interviews out of the backlog, recording
// their waiting time, and counts what stays by reason.
func (s *fcSim) carryOver(sched *solver.Schedule, per map[string]*WeekLanguage) {
	starts := map[string]string{}
	reasons := map[string]string{}
	if sched != nil {
		for _, a := range sched.Assignments {
			starts[a.Interview] = a.Start
		}
		for _, u := range sched.Unscheduled {
			reasons[u.Interview] = u.Reason
		}
	}
	waits := map[string][]int{}
	kept := s.backlog[:0]
	for _, p := range s.backlog {
		wl := per[p.iv.Language]
		if st, ok := starts[p.iv.ID]; ok {
			t, err := solver.ParseInstant(st)
			if err == nil {
				waits[p.iv.Language] = append(waits[p.iv.Language], int(solver.DateOf(t, s.cal.loc)-p.arrived))
			}
			wl.Scheduled++
			continue
		}
		kept = append(kept, p)
		wl.BacklogEnd++
		if wl.Unscheduled == nil {
			wl.Unscheduled = map[string]int{}
		}
		r := reasons[p.iv.ID]
		if r == "" {
			r = "not_planned"
		}
		wl.Unscheduled[r]++
	}
	clear(s.backlog[len(kept):])
	s.backlog = kept
	for l, ws := range waits {
		per[l].WaitMedianDays, per[l].WaitP90Days = fcMedian(ws), fcP90(ws)
	}
}

// capacities fills in the capacity of each language in week w (counted
// once per base week: the pattern repeats).
func (s *fcSim) capacities(w int, in *solver.Instance, per map[string]*WeekLanguage) {
	b := w % s.cal.weeks
	c, ok := s.capCache[b]
	if !ok {
		cnt := fcCounter{cal: s.cal, in: in}
		c = map[string]int{}
		for _, l := range s.langs {
			c[l] = cnt.language(l, s.shapes.meanDuration(l))
		}
		s.capCache[b] = c
		s.ivrCap[b] = cnt.interviewers(s.meanDur)
	}
	for _, l := range s.langs {
		per[l].Capacity = c[l]
	}
}

func fcMedian(xs []int) *float64 {
	if len(xs) == 0 {
		return nil
	}
	ys := slices.Sorted(slices.Values(xs))
	n := len(ys)
	m := float64(ys[n/2])
	if n%2 == 0 {
		m = float64(ys[n/2-1]+ys[n/2]) / 2
	}
	return &m
}

// fcP90 is the nearest-rank 90th percentile.
func fcP90(xs []int) *int {
	if len(xs) == 0 {
		return nil
	}
	ys := slices.Sorted(slices.Values(xs))
	k := (9*len(ys)+9)/10 - 1
	v := ys[k]
	return &v
}

// fcSummarize sums each language over the weeks and finds where its backlog
// stops growing: levels are the opening backlog and each week's end; the
// peak is the first highest level. Flat or falling from the opening on, it
// never grew; flat or falling after some later week, it stopped there;
// otherwise it is still growing, at the rate since its last fall
// (fcStopsGrowing, fcRiseStart).
func fcSummarize(res *ForecastResult, langs []string) []LanguageSummary {
	out := make([]LanguageSummary, 0, len(langs))
	n := float64(len(res.Week))
	for li, l := range langs {
		sm := LanguageSummary{Language: l}
		levels := make([]int, 0, len(res.Week)+1)
		capTotal := 0
		for wi, wk := range res.Week {
			wl := wk.Langs[li]
			if wi == 0 {
				sm.OpeningBacklog = wl.BacklogStart
				levels = append(levels, wl.BacklogStart)
			}
			sm.Arrivals += wl.Arrivals
			sm.Scheduled += wl.Scheduled
			capTotal += wl.Capacity
			levels = append(levels, wl.BacklogEnd)
			sm.FinalBacklog = wl.BacklogEnd
		}
		sm.ArrivalsPerWeek = fcRound2(float64(sm.Arrivals) / n)
		sm.ScheduledPerWeek = fcRound2(float64(sm.Scheduled) / n)
		sm.CapacityPerWeek = fcRound2(float64(capTotal) / n)
		peak := 0
		for k, v := range levels {
			if v > levels[peak] {
				peak = k
			}
		}
		sm.PeakBacklog, sm.PeakWeek = levels[peak], peak
		sm.TrendPerWeek = fcRound2(fcSlope(levels[max(0, min(1+len(res.Week)/2, len(levels)-2)):]))
		switch k := fcStopsGrowing(levels); {
		case k == 0:
			sm.Growth = GrowthNever
		case k < 0:
			sm.Growth = GrowthGrowing
			rate := fcRound2(fcSlope(levels[fcRiseStart(levels):]))
			sm.GrowthPerWeek = &rate
		default:
			sm.Growth = GrowthStopped
			date := res.Week[k-1].Start
			sm.StopsGrowingAfter, sm.StopsGrowingDate = &k, &date
		}
		out = append(out, sm)
	}
	return out
}

// fcStopsGrowing is the first level (0 the opening, k the end of week k,
// before the last) after which the backlog stays flat or falls (see
// GrowthStopped), and -1 when there is none: it is still growing.
func fcStopsGrowing(levels []int) int {
	for k := 0; k < len(levels)-1; k++ {
		tol := max(1, levels[k]/50)
		low, ok := levels[k], true
		for _, v := range levels[k+1:] {
			if v > low+tol {
				ok = false
				break
			}
			low = min(low, v)
		}
		if ok && fcSlope(levels[k:]) <= 0 {
			return k
		}
	}
	return -1
}

// fcRiseStart is where the last rise starts: the level after the last
// fall (0 when it never fell), past the flat levels that follow it.
func fcRiseStart(levels []int) int {
	k := 0
	for i := len(levels) - 1; i > 0; i-- {
		if levels[i] < levels[i-1] {
			k = i
			break
		}
	}
	for k+1 < len(levels)-1 && levels[k+1] == levels[k] {
		k++
	}
	return k
}

// fcSlope is the least-squares slope of ys over 0, 1, … (fcSummarize passes
// the levels from the end of the week before the second half; with fewer
// than four weeks, the last two levels).
func fcSlope(ys []int) float64 {
	n := float64(len(ys))
	if len(ys) < 2 {
		return 0
	}
	var sx, sy, sxx, sxy float64
	for i, y := range ys {
		x := float64(i)
		sx, sy, sxx, sxy = sx+x, sy+float64(y), sxx+x*x, sxy+x*float64(y)
	}
	return (n*sxy - sx*sy) / (n*sxx - sx*sx)
}

func fcRound2(x float64) float64 { return math.Round(x*100) / 100 }
