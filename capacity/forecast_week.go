package capacity

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"time"

	"github.com/asylum-scheduling/interviews/solver"
)

// fcCalendar repeats the base instance's weeks: forecast week w has the
// availability of base week w mod B (B the weeks of the base horizon, from
// the Monday of its first date), moved by whole weeks of local time, so
// that 08:00 stays 08:00 across a change of clocks.
type fcCalendar struct {
	loc     *time.Location
	monday0 solver.Date // the Monday of the base horizon's first week: forecast week 0
	weeks   int         // B
}

func newFcCalendar(base *solver.Instance) (*fcCalendar, error) {
	loc, err := time.LoadLocation(base.Timezone)
	if err != nil {
		return nil, fmt.Errorf("timezone: %w", err)
	}
	hs, err := solver.ParseDate(base.Horizon.Start)
	if err != nil {
		return nil, fmt.Errorf("horizon.start: %w", err)
	}
	he, err := solver.ParseDate(base.Horizon.End)
	if err != nil {
		return nil, fmt.Errorf("horizon.end: %w", err)
	}
	m := fcMondayOf(hs)
	return &fcCalendar{loc: loc, monday0: m, weeks: int(he-m)/7 + 1}, nil
}

// monday returns the first date of forecast week w.
func (c *fcCalendar) monday(w int) solver.Date { return c.monday0 + solver.Date(7*w) }

// shift returns the intervals of avail starting (local date) in base week
// w mod B, moved into forecast week w. nil (always available) stays nil.
func (c *fcCalendar) shift(avail []solver.Interval, w int) []solver.Interval {
	if avail == nil {
		return nil
	}
	b := w % c.weeks
	days := 7 * (w - b)
	from, to := c.monday(b), c.monday(b)+7
	out := []solver.Interval{}
	for _, iv := range avail {
		s, err1 := solver.ParseInstant(iv.Start)
		e, err2 := solver.ParseInstant(iv.End)
		if err1 != nil || err2 != nil {
			continue
		}
		if d := solver.DateOf(s, c.loc); d < from || d >= to {
			continue
		}
		if days == 0 {
			out = append(out, iv)
			continue
		}
		out = append(out, solver.Interval{Start: c.move(s, days), End: c.move(e, days)})
	}
	return out
}

// move returns t moved by days of local fcCalendar time.
func (c *fcCalendar) move(t time.Time, days int) string {
	l := t.In(c.loc)
	y, m, d := l.Date()
	return solver.FormatInstant(time.Date(y, m, d+days, l.Hour(), l.Minute(), l.Second(), 0, c.loc), c.loc)
}

// resources returns the base's resources with the availability of forecast
// week w.
func (c *fcCalendar) resources(base *solver.Instance, w int) (rooms []solver.Room, ivrs []solver.Interviewer, itps []solver.Interpreter, parties []solver.Party) {
	rooms = slices.Clone(base.Rooms)
	for i := range rooms {
		rooms[i].Availability = c.shift(rooms[i].Availability, w)
	}
	ivrs = slices.Clone(base.Interviewers)
	for i := range ivrs {
		ivrs[i].Availability = c.shift(ivrs[i].Availability, w)
	}
	itps = slices.Clone(base.Interpreters)
	for i := range itps {
		itps[i].Availability = c.shift(itps[i].Availability, w)
	}
	parties = slices.Clone(base.Parties)
	for i := range parties {
		parties[i].Availability = c.shift(parties[i].Availability, w)
	}
	return rooms, ivrs, itps, parties
}

// weekInstance is the instance of forecast week w: the base's header and
// weights, its resources with the week's availability, the horizon of that
// week (Monday to Sunday), the open interviews and the pinned bookings of
// the week.
func (c *fcCalendar) weekInstance(base *solver.Instance, w int, ivs []solver.Interview, pinned []solver.Booking) *solver.Instance {
	in := &solver.Instance{
		Format:        solver.InstanceFormat,
		Timezone:      base.Timezone,
		GrainMinutes:  base.GrainMinutes,
		Horizon:       solver.DateRange{Start: c.monday(w).String(), End: (c.monday(w) + 6).String()},
		StartTimes:    base.StartTimes,
		Locations:     base.Locations,
		TravelMinutes: base.TravelMinutes,
		Interviews:    ivs,
		Bookings:      pinned,
		Weights:       base.Weights,
	}
	in.Rooms, in.Interviewers, in.Interpreters, in.Parties = c.resources(base, w)
	return in
}

// fcShapes samples what new cases are like: for each language, the base's
// interviews of that language (all of them when it has none), with the
// intake's overrides applied.
type fcShapes struct {
	byLang    map[string][]*solver.Interview
	all       []*solver.Interview
	overrides map[string]IntakeShape
	rng       *rand.Rand
}

func newFcShapes(base *solver.Instance, overrides map[string]IntakeShape, seed int64) *fcShapes {
	s := &fcShapes{byLang: map[string][]*solver.Interview{}, overrides: overrides,
		rng: rand.New(rand.NewPCG(uint64(seed), uint64(seed)^0x5deece66d))}
	for i := range base.Interviews {
		iv := &base.Interviews[i]
		s.byLang[iv.Language] = append(s.byLang[iv.Language], iv)
		s.all = append(s.all, iv)
	}
	return s
}

// pool returns the base interviews whose shapes new cases of lang take.
func (s *fcShapes) pool(lang string) []*solver.Interview {
	if p := s.byLang[lang]; len(p) > 0 {
		return p
	}
	return s.all
}

// meanDuration is the mean duration of the new cases of lang, in minutes.
func (s *fcShapes) meanDuration(lang string) int {
	if d := s.overrides[lang].DurationMinutes; d > 0 {
		return d
	}
	p := s.pool(lang)
	if len(p) == 0 {
		return 180
	}
	t := 0
	for _, iv := range p {
		t += iv.DurationMinutes
	}
	return (t + len(p)/2) / len(p)
}

// newCase returns a new interview of lang arriving on monday: the shape of
// a base interview of the language drawn at random (duration, priority,
// offices, interpreter need and mode, dialect, genders, skills, room
// features, counsel or representative, and the deadline as many days after
// the arrival as the drawn one's after its earliest date), with the
// overrides applied. Case-specific fields (latest date, exclusions, the
// preferred interviewer) are left out.
func (s *fcShapes) newCase(id, lang string, monday solver.Date) solver.Interview {
	iv := solver.Interview{ID: id, Case: "FC-" + id, Language: lang, DurationMinutes: 180,
		Earliest: monday.String(), Locations: []string{}}
	if p := s.pool(lang); len(p) > 0 {
		src := p[s.rng.IntN(len(p))]
		iv.DurationMinutes = src.DurationMinutes
		iv.Locations = slices.Clone(src.Locations)
		iv.InterviewerGender, iv.InterpreterGender = src.InterviewerGender, src.InterpreterGender
		iv.InterviewerSkills = slices.Clone(src.InterviewerSkills)
		iv.InterpreterSkills = slices.Clone(src.InterpreterSkills)
		iv.RoomFeatures = slices.Clone(src.RoomFeatures)
		iv.Parties = slices.Clone(src.Parties)
		if src.Priority != nil {
			p := *src.Priority
			iv.Priority = &p
		}
		if src.Language == lang {
			iv.DialectRequired = src.DialectRequired
			iv.NeedsInterpreter = src.NeedsInterpreter
			iv.InterpreterMode = src.InterpreterMode
		} else if src.NeedsInterp() {
			iv.InterpreterMode = src.InterpreterMode
		}
		if src.Deadline != "" {
			e, err1 := solver.ParseDate(src.Earliest)
			d, err2 := solver.ParseDate(src.Deadline)
			if err1 == nil && err2 == nil {
				iv.Deadline = (monday + (d - e)).String()
			}
		}
	}
	o := s.overrides[lang]
	if o.DurationMinutes > 0 {
		iv.DurationMinutes = o.DurationMinutes
	}
	if o.Priority > 0 {
		p := o.Priority
		iv.Priority = &p
	}
	if len(o.Locations) > 0 {
		iv.Locations = slices.Clone(o.Locations)
	}
	if o.InterpreterMode != "" && iv.NeedsInterp() {
		iv.InterpreterMode = o.InterpreterMode
	}
	return iv
}

// fcCounter counts, for one week, how many interviews of a given duration the
// people able to hold them could give: per person and day, the whole
// interviews that fit in each of the day's (merged) intervals, at most the
// person's daily limit.
type fcCounter struct {
	cal *fcCalendar
	in  *solver.Instance // the week's instance
}

// perDay returns the minutes of each merged interval, by local date.
func (c fcCounter) perDay(avail []solver.Interval) map[solver.Date][]int {
	type span struct{ s, e time.Time }
	var spans []span
	for _, iv := range avail {
		s, err1 := solver.ParseInstant(iv.Start)
		e, err2 := solver.ParseInstant(iv.End)
		if err1 == nil && err2 == nil && e.After(s) {
			spans = append(spans, span{s, e})
		}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].s.Before(spans[j].s) })
	out := map[solver.Date][]int{}
	for i := 0; i < len(spans); {
		cur := spans[i]
		for i++; i < len(spans) && !spans[i].s.After(cur.e); i++ {
			if spans[i].e.After(cur.e) {
				cur.e = spans[i].e
			}
		}
		d := solver.DateOf(cur.s, c.cal.loc)
		out[d] = append(out[d], int(cur.e.Sub(cur.s).Minutes()))
	}
	return out
}

// slots returns how many interviews of dur minutes avail holds in the
// week, at most limit a day (limit < 0: no limit).
func (c fcCounter) slots(avail []solver.Interval, dur, limit int) int {
	n := 0
	for _, mins := range c.perDay(avail) {
		k := 0
		for _, m := range mins {
			k += m / dur
		}
		if limit >= 0 {
			k = min(k, limit)
		}
		n += k
	}
	return n
}

// language returns the interviews of dur minutes in language lang that the
// week's interpreters of the language (by the language match without a
// required dialect), and the interviewers who speak it, could hold.
func (c fcCounter) language(lang string, dur int) int {
	n := 0
	for _, t := range c.in.Interpreters {
		if ok, _ := solver.LanguageMatch(t.Languages, lang, false); ok {
			limit := -1
			if t.MaxMinutesPerDay != nil {
				limit = *t.MaxMinutesPerDay / dur
			}
			n += c.slots(t.Availability, dur, limit)
		}
	}
	for _, e := range c.in.Interviewers {
		if ok, _ := solver.LanguageMatch(e.Languages, lang, false); ok {
			n += c.slots(e.Availability, dur, fcMaxPerDay(e))
		}
	}
	return n
}

// interviewers returns the interviews of dur minutes all interviewers of
// the week could hold.
func (c fcCounter) interviewers(dur int) int {
	n := 0
	for _, e := range c.in.Interviewers {
		n += c.slots(e.Availability, dur, fcMaxPerDay(e))
	}
	return n
}

func fcMaxPerDay(e solver.Interviewer) int {
	if e.MaxInterviewsPerDay == nil {
		return -1
	}
	return max(*e.MaxInterviewsPerDay, 0)
}
