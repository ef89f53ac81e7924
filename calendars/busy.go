package calendars

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-ical"
	"github.com/teambition/rrule-go"
)

// Interval is a half-open span of busy time [Start, End), in UTC.
type Interval struct{ Start, End time.Time }

// Bounds of recurrence expansion, so that a hostile or broken calendar cannot
// make an import spin: a rule is refused when it would take more than
// maxPeriods steps of its frequency, or produce more than maxInstances
// occurrences, to reach the end of the window.
const (
	maxPeriods     = 200_000
	maxInstances   = 200_000
	maxTimesPerDay = 100 // BYHOUR × BYMINUTE × BYSECOND
	maxByValues    = 32  // values in one BYxxx list (rrule-go's BYSETPOS is quadratic)
	maxInterval    = 10_000
	// A whole document gets this many rules (those still running in the
	// window), steps and occurrences, over all its RRULEs.
	maxDocRules     = 1_000
	maxDocPeriods   = 500_000
	maxDocInstances = 1_000_000
)

// budget is what is left of a document's expansion allowance.
type budget struct{ rules, periods, instances int }

func newBudget() *budget {
	return &budget{rules: maxDocRules, periods: maxDocPeriods, instances: maxDocInstances}
}

// cycleYears is the Gregorian cycle: weekdays, leap years and week numbers
// repeat every 400 years.
const cycleYears = 400

// Busy parses an outside iCalendar document and returns the busy intervals in
// [from, to): every VEVENT that is opaque (TRANSP not TRANSPARENT) and not
// cancelled (STATUS not CANCELLED), with
//   - RRULE and RDATE expanded over the window (DTSTART is always the first
//     occurrence), EXDATE honoured;
//   - RECURRENCE-ID overrides replacing their occurrence (moved, or removed
//     when the override is cancelled or transparent);
//   - all-day events (DATE values) as whole local days in loc;
//   - TZID'd times resolved by IANA name (also after a vendor prefix), else by
//     the document's VTIMEZONE; floating times in loc; nil loc means UTC.
//
// The result is merged, sorted and clipped to the window. Errors name the
// line ("line 12: …"); a document with an error yields no intervals at all, so
// that the caller keeps its last good import.
func Busy(data []byte, from, to time.Time, loc *time.Location) ([]Interval, error) {
	if loc == nil {
		loc = time.UTC
	}
	if !to.After(from) {
		return nil, fmt.Errorf("calendars: busy window ends (%s) before it starts (%s)", to.Format(time.RFC3339), from.Format(time.RFC3339))
	}
	cals, err := parseDocument(data)
	if err != nil {
		return nil, fmt.Errorf("calendars: %w", err)
	}
	iana := map[string]*time.Location{}
	left := newBudget()
	var all []Interval
	for _, cal := range cals {
		zs := newZones(cal, loc, to.AddDate(2, 0, 0), iana, left)
		ivs, err := busyIn(cal, zs, from, to)
		if err != nil {
			return nil, fmt.Errorf("calendars: %w", err)
		}
		all = append(all, ivs...)
	}
	return mergeIntervals(all, from, to), nil
}

// dt is a DTSTART-like value: a wall-clock reading and the zone it is read in.
type dt struct {
	wall time.Time // clock fields, in time.UTC
	date bool      // a DATE: wall is local midnight in the caller's location
	z    zone
}

func (d dt) instant() time.Time { return d.z.toUTC(d.wall) }

func busyIn(cal *node, zs *zones, from, to time.Time) ([]Interval, error) {
	// Overrides first: which occurrences of which series they replace.
	overridden := map[string]map[int64]bool{}
	var out []Interval
	add := func(s, e time.Time) {
		if e.After(from) && s.Before(to) && e.After(s) {
			out = append(out, Interval{s, e})
		}
	}
	for _, ev := range cal.kids {
		if ev.Name != ical.CompEvent || ev.Props.Get("RECURRENCE-ID") == nil {
			continue
		}
		rid, err := readDT(ev, "RECURRENCE-ID", 0, zs)
		if err != nil {
			return nil, err
		}
		uid := strings.TrimSpace(propValue(ev, "UID"))
		if overridden[uid] == nil {
			overridden[uid] = map[int64]bool{}
		}
		overridden[uid][rid.instant().Unix()] = true
		if !isBusy(ev) {
			continue
		}
		s, err := readDT(ev, "DTSTART", 0, zs)
		if err != nil {
			return nil, err
		}
		end, err := endOf(ev, s, zs)
		if err != nil {
			return nil, err
		}
		start := s.instant()
		add(start, end(s.wall, start))
	}

	for _, ev := range cal.kids {
		if ev.Name != ical.CompEvent || ev.Props.Get("RECURRENCE-ID") != nil || !isBusy(ev) {
			continue
		}
		s, err := readDT(ev, "DTSTART", 0, zs)
		if err != nil {
			return nil, err
		}
		end, err := endOf(ev, s, zs)
		if err != nil {
			return nil, err
		}
		skip := overridden[strings.TrimSpace(propValue(ev, "UID"))]
		exInstants, exDates, err := exdates(ev, s, zs)
		if err != nil {
			return nil, err
		}
		excluded := func(inst time.Time) bool {
			if skip[inst.Unix()] || exInstants[inst.Unix()] {
				return true
			}
			return exDates[s.z.toWall(inst).Format("20060102")]
		}

		// The occurrences' wall-clock starts, in DTSTART's zone.
		longest := end(s.wall, s.instant()).Sub(s.instant()) + 25*time.Hour
		keepFrom := s.z.toWall(from).Add(-longest)
		capWall := s.z.toWall(to).Add(25 * time.Hour)
		walls := []time.Time{s.wall}
		for i, rp := range ev.Props.Values("RRULE") {
			more, err := expandRRule(rp.Value, s.wall, s.date, s.z.toWall, keepFrom, capWall, zs.budget, ev.propLine("RRULE", i))
			if err != nil {
				return nil, err
			}
			walls = append(walls, more...)
		}
		type period struct{ start, end time.Time }
		var periods []period
		for i, rp := range ev.Props.Values("RDATE") {
			line := ev.propLine("RDATE", i)
			for _, v := range strings.Split(rp.Value, ",") {
				if strings.EqualFold(rp.Params.Get("VALUE"), "PERIOD") || strings.Contains(v, "/") {
					ps, pe, err := readPeriod(v, rp.Params, line, zs)
					if err != nil {
						return nil, err
					}
					periods = append(periods, period{ps, pe})
					continue
				}
				d, err := parseDT(v, rp.Params, line, "RDATE", zs)
				if err != nil {
					return nil, err
				}
				if d.date != s.date {
					return nil, errAt(line, "RDATE %q is not of the same type (DATE or DATE-TIME) as DTSTART", v)
				}
				walls = append(walls, s.z.toWall(d.instant()))
			}
		}

		seen := map[int64]bool{}
		for _, w := range walls {
			inst := s.z.toUTC(w)
			if seen[inst.Unix()] || excluded(inst) {
				continue
			}
			seen[inst.Unix()] = true
			add(inst, end(w, inst))
		}
		for _, p := range periods {
			if seen[p.start.Unix()] || excluded(p.start) {
				continue
			}
			seen[p.start.Unix()] = true
			add(p.start, p.end)
		}
	}
	return out, nil
}

// isBusy: opaque and not cancelled.
func isBusy(ev *node) bool {
	status := strings.ToUpper(strings.TrimSpace(propValue(ev, "STATUS")))
	transp := strings.ToUpper(strings.TrimSpace(propValue(ev, "TRANSP")))
	return status != "CANCELLED" && transp != "TRANSPARENT"
}

// endOf returns how an occurrence starting at wall (instant inst) ends: by
// DTEND (the same exact duration for every occurrence; whole days for DATEs),
// by DURATION (nominal days on the wall clock, then exact hours, minutes and
// seconds), else one day for a DATE and no time for a DATE-TIME.
func endOf(ev *node, s dt, zs *zones) (func(wall, inst time.Time) time.Time, error) {
	endProp, durProp := ev.Props.Get("DTEND"), ev.Props.Get("DURATION")
	switch {
	case endProp != nil && durProp != nil:
		return nil, errAt(ev.propLine("DURATION", 0), "VEVENT has both DTEND and DURATION")
	case endProp != nil:
		e, err := readDT(ev, "DTEND", 0, zs)
		if err != nil {
			return nil, err
		}
		line := ev.propLine("DTEND", 0)
		if e.date != s.date {
			return nil, errAt(line, "DTEND is a %s but DTSTART is a %s", kind(e.date), kind(s.date))
		}
		if s.date {
			days := int(e.wall.Sub(s.wall).Hours() / 24)
			if days < 0 {
				return nil, errAt(line, "DTEND is before DTSTART")
			}
			return func(w, _ time.Time) time.Time { return s.z.toUTC(w.AddDate(0, 0, days)) }, nil
		}
		exact := e.instant().Sub(s.instant())
		if exact < 0 {
			return nil, errAt(line, "DTEND is before DTSTART")
		}
		return func(_, inst time.Time) time.Time { return inst.Add(exact) }, nil
	case durProp != nil:
		line := ev.propLine("DURATION", 0)
		days, exact, err := parseDuration(durProp.Value)
		if err != nil {
			return nil, errAt(line, "%v", err)
		}
		return func(w, _ time.Time) time.Time { return s.z.toUTC(w.AddDate(0, 0, days)).Add(exact) }, nil
	case s.date:
		return func(w, _ time.Time) time.Time { return s.z.toUTC(w.AddDate(0, 0, 1)) }, nil
	default:
		return func(_, inst time.Time) time.Time { return inst }, nil
	}
}

func kind(date bool) string {
	if date {
		return "DATE"
	}
	return "DATE-TIME"
}

// exdates reads every EXDATE: instants, and dates (a DATE EXDATE of a
// DATE-TIME series removes that day's occurrence, as clients do).
func exdates(ev *node, s dt, zs *zones) (map[int64]bool, map[string]bool, error) {
	instants, dates := map[int64]bool{}, map[string]bool{}
	for i, p := range ev.Props.Values("EXDATE") {
		line := ev.propLine("EXDATE", i)
		for _, v := range strings.Split(p.Value, ",") {
			d, err := parseDT(v, p.Params, line, "EXDATE", zs)
			if err != nil {
				return nil, nil, err
			}
			if d.date && !s.date {
				dates[d.wall.Format("20060102")] = true
			} else {
				instants[d.instant().Unix()] = true
			}
		}
	}
	return instants, dates, nil
}

// readDT reads the i-th property called name as a DATE or DATE-TIME.
func readDT(ev *node, name string, i int, zs *zones) (dt, error) {
	ps := ev.Props.Values(name)
	if i >= len(ps) {
		return dt{}, errAt(ev.line, "%s has no %s", ev.Name, name)
	}
	return parseDT(ps[i].Value, ps[i].Params, ev.propLine(name, i), name, zs)
}

// parseDT reads a DATE (20270327), a UTC DATE-TIME (20270327T063000Z), a
// DATE-TIME with TZID, or a floating DATE-TIME.
func parseDT(v string, params ical.Params, line int, what string, zs *zones) (dt, error) {
	v = strings.TrimSpace(v)
	vt := strings.ToUpper(params.Get("VALUE"))
	if vt == "DATE" || (vt == "" && len(v) == 8) {
		t, err := time.Parse("20060102", v)
		if err != nil {
			return dt{}, errAt(line, "%s %q is not a DATE like 20270327", what, v)
		}
		return dt{wall: t, date: true, z: zs.float}, nil
	}
	if vt != "" && vt != "DATE-TIME" {
		return dt{}, errAt(line, "%s has unsupported VALUE=%s", what, vt)
	}
	utc := strings.HasSuffix(v, "Z") || strings.HasSuffix(v, "z")
	t, err := time.Parse("20060102T150405", strings.TrimRight(v, "Zz"))
	if err != nil || len(v) < 15 {
		return dt{}, errAt(line, "%s %q is not a DATE-TIME like 20270327T083000", what, v)
	}
	if utc {
		return dt{wall: t, z: utcZone{}}, nil
	}
	z, err := zs.lookup(strings.TrimSpace(params.Get("TZID")), line)
	if err != nil {
		return dt{}, err
	}
	return dt{wall: t, z: z}, nil
}

// readPeriod reads an RDATE period: start/end or start/duration.
func readPeriod(v string, params ical.Params, line int, zs *zones) (time.Time, time.Time, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(v), "/")
	if !ok {
		return time.Time{}, time.Time{}, errAt(line, "RDATE period %q has no '/'", v)
	}
	p := ical.Params{}
	if tz := params.Get("TZID"); tz != "" {
		p.Set("TZID", tz)
	}
	s, err := parseDT(a, p, line, "RDATE period start", zs)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	if s.date {
		return time.Time{}, time.Time{}, errAt(line, "RDATE period %q must start with a DATE-TIME", v)
	}
	start := s.instant()
	if strings.HasPrefix(strings.TrimLeft(b, "+"), "P") {
		days, exact, err := parseDuration(b)
		if err != nil {
			return time.Time{}, time.Time{}, errAt(line, "%v", err)
		}
		return start, s.z.toUTC(s.wall.AddDate(0, 0, days)).Add(exact), nil
	}
	e, err := parseDT(b, p, line, "RDATE period end", zs)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	if e.date || e.instant().Before(start) {
		return time.Time{}, time.Time{}, errAt(line, "RDATE period %q must end with a DATE-TIME after its start", v)
	}
	return start, e.instant(), nil
}

// maxDurationDays bounds a DURATION (about 270 years).
const maxDurationDays = 100_000

// parseDuration reads a non-negative RFC 5545 duration such as P1D, PT1H30M,
// P1DT12H or P2W, as nominal days and an exact remainder.
func parseDuration(v string) (days int, exact time.Duration, err error) {
	orig := v
	v = strings.ToUpper(strings.TrimSpace(v))
	bad := func() (int, time.Duration, error) {
		return 0, 0, fmt.Errorf("DURATION %q is not a duration like PT1H30M or P1D", orig)
	}
	if strings.HasPrefix(v, "-") {
		return 0, 0, fmt.Errorf("DURATION %q is negative", orig)
	}
	v = strings.TrimPrefix(v, "+")
	if !strings.HasPrefix(v, "P") || len(v) < 3 {
		return bad()
	}
	v = v[1:]
	inTime, sawUnit := false, false
	var secs int64 // at most 3 × 9,999,999 hours: no overflow
	for v != "" {
		if v[0] == 'T' {
			if inTime {
				return bad()
			}
			inTime, v = true, v[1:]
			if v == "" {
				return bad()
			}
			continue
		}
		i := 0
		for i < len(v) && v[i] >= '0' && v[i] <= '9' {
			i++
		}
		if i == 0 || i == len(v) || i > 7 {
			return bad()
		}
		n, _ := strconv.Atoi(v[:i])
		unit := v[i]
		v = v[i+1:]
		sawUnit = true
		switch {
		case unit == 'W' && !inTime:
			days += 7 * n
		case unit == 'D' && !inTime:
			days += n
		case unit == 'H' && inTime:
			secs += int64(n) * 3600
		case unit == 'M' && inTime:
			secs += int64(n) * 60
		case unit == 'S' && inTime:
			secs += int64(n)
		default:
			return bad()
		}
	}
	if !sawUnit || days > maxDurationDays || secs > maxDurationDays*86400 {
		return bad()
	}
	return days, time.Duration(secs) * time.Second, nil
}

// expandRRule returns the occurrences of one RRULE starting at start (a wall
// clock reading), kept from keepFrom on and up to capWall. untilToWall turns
// a UTC UNTIL into the same wall clock.
func expandRRule(value string, start time.Time, startIsDate bool, untilToWall func(time.Time) time.Time, keepFrom, capWall time.Time, left *budget, line int) (out []time.Time, err error) {
	value = strings.TrimRight(strings.ToUpper(strings.TrimSpace(value)), ";")
	fail := func(format string, args ...any) ([]time.Time, error) {
		return nil, errAt(line, "RRULE %q: %s", abbreviate(value), fmt.Sprintf(format, args...))
	}
	var rawUntil string
	for _, part := range strings.Split(value, ";") {
		k, v, _ := strings.Cut(part, "=")
		switch k {
		case "DTSTART", "BYEASTER":
			return fail("%s is not part of an iCalendar RRULE", k)
		case "UNTIL":
			rawUntil = v
		case "INTERVAL":
			if n, err := strconv.Atoi(v); err != nil || n < 1 || n > maxInterval {
				return fail("INTERVAL must be between 1 and %d", maxInterval)
			}
		}
		if strings.HasPrefix(k, "BY") && strings.Count(v, ",") >= maxByValues {
			return fail("%s has more than %d values", k, maxByValues)
		}
	}
	opt, err := rrule.StrToROption(value)
	if err != nil {
		return fail("%v", err)
	}
	if max(len(opt.Byhour), 1)*max(len(opt.Byminute), 1)*max(len(opt.Bysecond), 1) > maxTimesPerDay {
		return fail("more than %d times a day", maxTimesPerDay)
	}
	switch {
	case rawUntil == "":
	case strings.HasSuffix(rawUntil, "Z"):
		opt.Until = untilToWall(opt.Until)
	case len(rawUntil) == 8 && !startIsDate:
		opt.Until = opt.Until.Add(24*time.Hour - time.Second) // the whole day
	}
	if opt.Until.IsZero() || opt.Until.After(capWall) {
		opt.Until = capWall
	}
	if opt.Until.Before(start) || opt.Until.Before(keepFrom) {
		return nil, nil // the series ended before the window
	}
	if !reachable(opt, start) {
		// rrule-go would loop forever looking for the next BYHOUR, BYMINUTE
		// or BYSECOND that the INTERVAL never reaches: no occurrences.
		return nil, nil
	}
	if left.rules--; left.rules < 0 {
		return fail("the calendar has more than %d recurrence rules running in the window", maxDocRules)
	}
	interval := max(opt.Interval, 1)
	walkFrom := start
	if opt.Count == 0 && !keepFrom.IsZero() {
		// Without COUNT, a DAILY, WEEKLY or shorter rule repeats the same
		// pattern every INTERVAL steps: start the walk a whole number of
		// intervals later, just before keepFrom, instead of at a DTSTART
		// that may be years back. (MONTHLY and YEARLY steps are uneven.)
		unit := map[rrule.Frequency]time.Duration{
			rrule.WEEKLY: 7 * 24 * time.Hour, rrule.DAILY: 24 * time.Hour,
			rrule.HOURLY: time.Hour, rrule.MINUTELY: time.Minute, rrule.SECONDLY: time.Second,
		}[opt.Freq]
		if span := unit * time.Duration(interval); span > 0 {
			if gap := keepFrom.Sub(start) - span; gap > span {
				walkFrom = start.Add(gap / span * span)
			}
		}
	}
	step := map[rrule.Frequency]time.Duration{
		rrule.YEARLY: 365 * 24 * time.Hour, rrule.MONTHLY: 28 * 24 * time.Hour, rrule.WEEKLY: 7 * 24 * time.Hour,
		rrule.DAILY: 24 * time.Hour, rrule.HOURLY: time.Hour, rrule.MINUTELY: time.Minute, rrule.SECONDLY: time.Second,
	}[opt.Freq]
	periods := int(opt.Until.Sub(walkFrom) / step / time.Duration(interval))
	if periods > maxPeriods {
		return fail("FREQ=%s from %s would take %d steps to reach the window; at most %d are expanded",
			opt.Freq, start.Format("2006-01-02"), periods, maxPeriods)
	}
	if left.periods -= periods; left.periods < 0 {
		return fail("the calendar's recurrences, all together, take more than %d steps to expand", maxDocPeriods)
	}
	// rrule-go checks UNTIL only on a matching candidate and otherwise walks
	// on to year 9999: a rule that never matches again would walk for
	// thousands of years. Expanding in a frame shifted by whole Gregorian
	// cycles puts year 9999 within one cycle of the window's end.
	shift := (rrule.MAXYEAR - opt.Until.Year()) / cycleYears * cycleYears
	opt.Dtstart = walkFrom.AddDate(shift, 0, 0)
	opt.Until = opt.Until.AddDate(shift, 0, 0)
	r, err := rrule.NewRRule(*opt)
	if err != nil {
		return fail("%v", err)
	}
	defer func() {
		if p := recover(); p != nil {
			out, err = fail("cannot be expanded: %v", p)
		}
	}()
	next := r.Iterator()
	for n := 0; ; n++ {
		t, ok := next()
		if !ok {
			break
		}
		if n >= maxInstances {
			return fail("more than %d occurrences before the end of the window", maxInstances)
		}
		if left.instances--; left.instances < 0 {
			return fail("the calendar's recurrences, all together, have more than %d occurrences", maxDocInstances)
		}
		if t = t.AddDate(-shift, 0, 0); !t.Before(keepFrom) {
			out = append(out, t)
		}
	}
	return out, nil
}

// reachable reports whether a HOURLY, MINUTELY or SECONDLY rule can ever
// reach a time of day allowed by its BYHOUR, BYMINUTE and BYSECOND: stepping
// by INTERVAL from DTSTART's time of day only visits times congruent to it
// modulo gcd(INTERVAL, length of a day in that unit).
func reachable(opt *rrule.ROption, start time.Time) bool {
	var day, unit int
	switch opt.Freq {
	case rrule.HOURLY:
		day, unit = 24, 3600
	case rrule.MINUTELY:
		day, unit = 24*60, 60
	case rrule.SECONDLY:
		day, unit = 24*60*60, 1
	default:
		return true
	}
	g := gcd(max(opt.Interval, 1), day)
	s0 := (start.Hour()*3600 + start.Minute()*60 + start.Second()) / unit
	or := func(list []int, n int) []int {
		if len(list) > 0 {
			return list
		}
		all := make([]int, n)
		for i := range all {
			all[i] = i
		}
		return all
	}
	hours := or(opt.Byhour, 24)
	minutes, seconds := []int{0}, []int{0}
	if opt.Freq != rrule.HOURLY {
		minutes = or(opt.Byminute, 60)
	}
	if opt.Freq == rrule.SECONDLY {
		seconds = or(opt.Bysecond, 60)
	}
	for _, h := range hours {
		for _, m := range minutes {
			for _, sec := range seconds {
				if ((h*3600+m*60+sec)/unit-s0)%g == 0 {
					return true
				}
			}
		}
	}
	return false
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// mergeIntervals clips to [from, to), sorts and merges overlapping or touching intervals.
func mergeIntervals(ivs []Interval, from, to time.Time) []Interval {
	from, to = from.UTC(), to.UTC()
	clipped := ivs[:0]
	for _, iv := range ivs {
		s, e := iv.Start.UTC(), iv.End.UTC()
		if s.Before(from) {
			s = from
		}
		if e.After(to) {
			e = to
		}
		if e.After(s) {
			clipped = append(clipped, Interval{s, e})
		}
	}
	slices.SortFunc(clipped, func(a, b Interval) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return a.End.Compare(b.End)
	})
	var out []Interval
	for _, iv := range clipped {
		if n := len(out); n > 0 && !iv.Start.After(out[n-1].End) {
			if iv.End.After(out[n-1].End) {
				out[n-1].End = iv.End
			}
			continue
		}
		out = append(out, iv)
	}
	return out
}
