package capacity

import (
	"time"

	"github.com/asylum-scheduling/interviews/solver"
)

// Default pattern values (docs/formats.md, "Scenarios").
var (
	defaultWeekdays = []string{"mon", "tue", "wed", "thu", "fri"}
	defaultHours    = Hours{Start: "08:00", End: "16:30"}
)

var weekdayNames = map[string]time.Weekday{
	"mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday, "thu": time.Thursday,
	"fri": time.Friday, "sat": time.Saturday, "sun": time.Sunday,
}

// window is the instance's horizon in its time zone.
type window struct {
	loc        *time.Location
	first, end solver.Date // both inclusive
}

func horizonOf(in *solver.Instance) (window, error) {
	loc, err := time.LoadLocation(in.Timezone)
	if err != nil {
		return window{}, err
	}
	a, err := solver.ParseDate(in.Horizon.Start)
	if err != nil {
		return window{}, err
	}
	b, err := solver.ParseDate(in.Horizon.End)
	if err != nil {
		return window{}, err
	}
	return window{loc: loc, first: a, end: b}, nil
}

// checkPattern reports the problems of a pattern at path.
func checkPattern(p *Pattern, path string, pr *problems) {
	if p == nil {
		return
	}
	if p.Dates != nil {
		a, errA := solver.ParseDate(p.Dates.Start)
		b, errB := solver.ParseDate(p.Dates.End)
		switch {
		case errA != nil:
			pr.add(join(path, "dates.start"), "%v", errA)
		case errB != nil:
			pr.add(join(path, "dates.end"), "%v", errB)
		case b < a:
			pr.add(join(path, "dates.end"), "must not be before dates.start")
		}
	}
	for i, d := range p.Weekdays {
		if _, ok := weekdayNames[d]; !ok {
			pr.add(idx(join(path, "weekdays"), i), "%q is not a weekday (mon, tue, wed, thu, fri, sat, sun)", d)
		}
	}
	if p.Hours != nil {
		a, errA := solver.ParseClock(p.Hours.Start)
		b, errB := solver.ParseClock(p.Hours.End)
		switch {
		case errA != nil:
			pr.add(join(path, "hours.start"), "%v", errA)
		case errB != nil:
			pr.add(join(path, "hours.end"), "%v", errB)
		case b <= a:
			pr.add(join(path, "hours.end"), "must be after hours.start")
		}
	}
}

// intervals returns the pattern's availability within the horizon; p must
// have been checked. A nil pattern is the default one.
func (w window) intervals(p *Pattern) []solver.Interval {
	if p == nil {
		p = &Pattern{}
	}
	first, last := w.first, w.end
	if p.Dates != nil {
		a, _ := solver.ParseDate(p.Dates.Start)
		b, _ := solver.ParseDate(p.Dates.End)
		first, last = max(first, a), min(last, b)
	}
	days := p.Weekdays
	if len(days) == 0 {
		days = defaultWeekdays
	}
	on := map[time.Weekday]bool{}
	for _, d := range days {
		on[weekdayNames[d]] = true
	}
	h := defaultHours
	if p.Hours != nil {
		h = *p.Hours
	}
	from, _ := solver.ParseClock(h.Start)
	to, _ := solver.ParseClock(h.End)
	out := []solver.Interval{}
	for d := first; d <= last; d++ {
		mid := d.Midnight(w.loc)
		if !on[mid.Weekday()] {
			continue
		}
		y, m, dd := mid.Date()
		s := time.Date(y, m, dd, from/60, from%60, 0, 0, w.loc)
		e := time.Date(y, m, dd, to/60, to%60, 0, 0, w.loc)
		out = append(out, solver.Interval{Start: solver.FormatInstant(s, w.loc), End: solver.FormatInstant(e, w.loc)})
	}
	return out
}

// minutes returns the total length of the intervals clipped to the window.
func (w window) minutes(iv []solver.Interval) int64 {
	lo := w.first.Midnight(w.loc)
	hi := (w.end + 1).Midnight(w.loc)
	var total int64
	for _, x := range iv {
		s, err1 := solver.ParseInstant(x.Start)
		e, err2 := solver.ParseInstant(x.End)
		if err1 != nil || err2 != nil {
			continue
		}
		if s.Before(lo) {
			s = lo
		}
		if e.After(hi) {
			e = hi
		}
		if e.After(s) {
			total += int64(e.Sub(s) / time.Minute)
		}
	}
	return total
}
