// Package generator makes realistic, valid interview-instance/v1 documents
// modelled on the Finnish asylum process: four interview offices (Helsinki,
// Raisio, Lappeenranta, Oulu), freelance interpreters for some sixty
// languages with a long tail, caseworkers with days off, counsels and
// representatives of minors.
//
// The same (size, seed) always gives the same instance.
package generator

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"
	_ "time/tzdata" // the generator must not depend on the host's zoneinfo

	"github.com/asylum-scheduling/interviews/solver"
)

// Sizes lists the sizes Generate knows.
var Sizes = []string{"S", "M", "L", "XL"}

// Timezone of every generated instance.
const Timezone = "Europe/Helsinki"

// BaseDate is the first horizon date of every generated instance (a Monday).
const BaseDate = "2027-01-04"

// StartTimes are the allowed local start times: a morning and an afternoon
// session fit in a working day.
var StartTimes = []string{"08:30", "09:00", "12:30", "13:00"}

type office struct {
	id, name string
	share    int // share of interviews and of interpreters living nearby, percent
}

var offices = []office{
	{"HEL", "Helsinki", 45},
	{"RAI", "Raisio", 20},
	{"LPR", "Lappeenranta", 15},
	{"OUL", "Oulu", 20},
}

// travel are driving times in minutes between the offices.
var travel = []solver.Travel{
	{From: "HEL", To: "RAI", Minutes: 150},
	{From: "HEL", To: "LPR", Minutes: 140},
	{From: "HEL", To: "OUL", Minutes: 360},
	{From: "RAI", To: "LPR", Minutes: 280},
	{From: "RAI", To: "OUL", Minutes: 420},
	{From: "LPR", To: "OUL", Minutes: 380},
}

// neighbours are offices an interpreter living near the key also serves.
var neighbours = map[string][]string{
	"HEL": {"RAI", "LPR"},
	"RAI": {"HEL"},
	"LPR": {"HEL"},
	"OUL": {"HEL"},
}

type sizeSpec struct {
	weeks        int
	offices      int   // the first n of offices
	rooms        []int // per office
	interviewers []int // per office
	interpreters int   // target number of interpreters for the common languages
	interviews   int
	counsels     int
	earliestDays int     // earliest dates fall on the first n working days
	allLanguages bool    // every demand language appears at least once
	impossible   int     // interviews no interpreter can serve
	region       *region // nil: Finland (offices, travel, neighbours, Timezone, demand)
	load         float64 // a surge month cut to this load (load.go); 0: as staffed
}

var sizes = map[string]sizeSpec{
	"S":  {weeks: 1, offices: 1, rooms: []int{4}, interviewers: []int{6}, interpreters: 35, interviews: 30, counsels: 6, earliestDays: 3, impossible: 1},
	"M":  {weeks: 1, offices: 4, rooms: []int{6, 3, 3, 3}, interviewers: []int{8, 4, 3, 3}, interpreters: 110, interviews: 120, counsels: 20, earliestDays: 3, impossible: 2},
	"L":  {weeks: 4, offices: 4, rooms: []int{6, 3, 3, 3}, interviewers: []int{8, 4, 3, 4}, interpreters: 260, interviews: 500, counsels: 60, earliestDays: 12, allLanguages: true, impossible: 3},
	"XL": {weeks: 4, offices: 4, rooms: []int{40, 18, 14, 18}, interviewers: []int{44, 20, 16, 20}, interpreters: 710, interviews: 3200, counsels: 300, earliestDays: 12, allLanguages: true, impossible: 6},
}

// Generate returns a realistic, valid interview-instance/v1 for size "S", "M",
// "L" or "XL"; the same (size, seed) always gives the same instance.
//
// S is one office (Helsinki) and one week with 30 interviews; M a normal
// national week (~120); L a normal month (~500); XL a surge month like 2015
// (~3,200 interviews, ~700 interpreters) for which the agency has staffed up,
// as it did in 2015–16: rooms and interviewers nominally cover 94–96 % of the
// demand, so the month is tight and the scarce interpreters of the surge
// languages decide how much of it can be held. (In a month with more demand
// than interviewers, every plan fills the interviewers' days and the rest is
// left over, so comparing plans there measures the staffing, not the
// planning: see docs/solver.md.) Every
// size holds a few interviews that are genuinely impossible (a language or a
// required dialect no interpreter speaks).
func Generate(size string, seed int64) (*solver.Instance, error) {
	spec, ok := specOf(size)
	if !ok {
		return nil, fmt.Errorf("generator: unknown size %q (want one of %v or %v)", size, Sizes, LargeSizes)
	}
	return generateSpec(spec, seed)
}

// generateSpec generates the instance of a specification.
func generateSpec(spec sizeSpec, seed int64) (*solver.Instance, error) {
	loc, err := time.LoadLocation(spec.timezone())
	if err != nil {
		return nil, fmt.Errorf("generator: %w", err)
	}
	base, err := time.ParseInLocation(time.DateOnly, BaseDate, loc)
	if err != nil {
		return nil, err
	}
	g := &gen{
		spec: spec,
		rng:  rand.New(rand.NewPCG(uint64(seed), uint64(seed)^0x9e3779b97f4a7c15)),
		loc:  loc,
		base: base,
	}
	for w := 0; w < spec.weeks; w++ {
		for d := 0; d < 5; d++ {
			g.days = append(g.days, 7*w+d)
		}
	}
	in := g.instance()
	addNames(in, seed)
	return in, nil
}

type gen struct {
	spec sizeSpec
	rng  *rand.Rand
	loc  *time.Location
	base time.Time
	days []int // working days, as offsets from base

	offices      []office
	rooms        []solver.Room
	interviewers []solver.Interviewer
	interpreters []solver.Interpreter
	counsels     []solver.Party
	reps         []solver.Party
	interviews   []solver.Interview
}

func (g *gen) instance() *solver.Instance {
	grain := solver.DefaultGrainMinutes
	g.offices = g.spec.officeList()
	in := &solver.Instance{
		Format:       solver.InstanceFormat,
		Timezone:     g.spec.timezone(),
		GrainMinutes: &grain,
		Horizon:      solver.DateRange{Start: g.date(g.days[0]), End: g.date(g.days[len(g.days)-1])},
		StartTimes:   slices.Clone(StartTimes),
	}
	for _, o := range g.offices {
		in.Locations = append(in.Locations, solver.Location{ID: o.id, Name: o.name})
	}
	for _, t := range g.spec.travelList() {
		if g.hasOffice(t.From) && g.hasOffice(t.To) {
			in.TravelMinutes = append(in.TravelMinutes, t)
		}
	}
	g.makeRooms()
	g.makeInterviewers()
	g.makeParties()
	g.makeInterviews()
	g.makeInterpreters()
	g.excludeSomeInterpreters()

	in.Rooms = g.rooms
	in.Interviewers = g.interviewers
	in.Interpreters = g.interpreters
	in.Parties = append(slices.Clone(g.counsels), g.reps...)
	in.Interviews = g.interviews
	return in
}

func (g *gen) hasOffice(id string) bool {
	for _, o := range g.offices {
		if o.id == id {
			return true
		}
	}
	return false
}

// date returns the local date day days after the base date.
func (g *gen) date(day int) string {
	return g.base.AddDate(0, 0, day).Format(time.DateOnly)
}

// at returns the instant of local clock time hh:mm on day.
func (g *gen) at(day, hh, mm int) string {
	y, m, d := g.base.AddDate(0, 0, day).Date()
	return solver.FormatInstant(time.Date(y, m, d, hh, mm, 0, 0, g.loc), g.loc)
}

func (g *gen) chance(p float64) bool { return g.rng.Float64() < p }

func (g *gen) gender() string {
	if g.chance(0.55) {
		return "f"
	}
	return "m"
}

// pickOffice picks an office by its share of demand.
func (g *gen) pickOffice() string {
	total := 0
	for _, o := range g.offices {
		total += o.share
	}
	r := g.rng.IntN(total)
	for _, o := range g.offices {
		if r < o.share {
			return o.id
		}
		r -= o.share
	}
	return g.offices[0].id
}

// weekdays picks n distinct weekdays (0 = Monday) in ascending order.
func (g *gen) weekdays(n int) []int {
	p := g.rng.Perm(5)[:n]
	slices.Sort(p)
	return p
}

func (g *gen) makeRooms() {
	for oi, o := range g.offices {
		n := g.spec.rooms[oi]
		for i := 0; i < n; i++ {
			r := solver.Room{ID: fmt.Sprintf("%s-R%02d", o.id, i+1), Location: o.id, Features: []string{}}
			// Every office has at least one child-friendly and one
			// accessible room; most rooms have video equipment.
			if i == 0 || g.chance(0.85) {
				r.Features = append(r.Features, "video")
			}
			if i == 0 || (i >= 4 && g.chance(0.12)) {
				r.Features = append(r.Features, "child_friendly")
			}
			if i == 1 || (n == 1 && i == 0) || g.chance(0.25) {
				r.Features = append(r.Features, "accessible")
			}
			// A few rooms are shared with other units and only bookable on
			// some weekdays.
			if i >= 2 && g.chance(0.12) {
				r.Availability = []solver.Interval{}
				for _, day := range g.days {
					if wd := day % 7; wd == 1 || wd == 2 || wd == 3 {
						r.Availability = append(r.Availability, solver.Interval{Start: g.at(day, 8, 0), End: g.at(day, 17, 0)})
					}
				}
			}
			g.rooms = append(g.rooms, r)
		}
	}
}

func (g *gen) makeInterviewers() {
	for oi, o := range g.offices {
		n := g.spec.interviewers[oi]
		for i := 0; i < n; i++ {
			e := solver.Interviewer{
				ID:        fmt.Sprintf("%s-E%02d", o.id, i+1),
				Location:  o.id,
				Gender:    g.gender(),
				Skills:    []string{},
				Languages: []string{},
			}
			if i == 0 || g.chance(0.25) {
				e.Skills = append(e.Skills, "minors")
			}
			// Every office has specialists for trafficking and LGBT cases.
			if i == 1 || g.chance(0.1) {
				e.Skills = append(e.Skills, "trafficking")
			}
			if i == 2 || g.chance(0.08) {
				e.Skills = append(e.Skills, "lgbt")
			}
			// Helsinki has a Russian-speaking caseworker; a few others
			// speak a language of their own.
			if o.id == "HEL" && i == 3 {
				e.Languages = append(e.Languages, "ru")
			} else if g.chance(0.08) {
				e.Languages = append(e.Languages, interviewerLanguages[g.rng.IntN(len(interviewerLanguages))])
			}
			capacity := 2
			switch r := g.rng.Float64(); {
			case r < 0.1:
				capacity = 1 // part time
			case r < 0.15:
				capacity = 0 // no cap given
			}
			if capacity > 0 {
				e.MaxInterviewsPerDay = &capacity
			}
			// A week of holiday for some in a month; single days off.
			holiday := -1
			if g.spec.weeks > 1 && g.chance(0.12) {
				holiday = g.rng.IntN(g.spec.weeks)
			}
			e.Availability = []solver.Interval{}
			for _, day := range g.days {
				if day/7 == holiday || g.chance(0.1) {
					continue
				}
				e.Availability = append(e.Availability, solver.Interval{Start: g.at(day, 8, 0), End: g.at(day, 16, 30)})
			}
			g.interviewers = append(g.interviewers, e)
		}
	}
}

// partyAvailability returns office hours on minDays to maxDays random
// weekdays of every week.
func (g *gen) partyAvailability(minDays, maxDays int) []solver.Interval {
	av := []solver.Interval{}
	for w := 0; w < g.spec.weeks; w++ {
		for _, wd := range g.weekdays(minDays + g.rng.IntN(maxDays-minDays+1)) {
			day := 7*w + wd
			av = append(av, solver.Interval{Start: g.at(day, 8, 0), End: g.at(day, 17, 0)})
		}
	}
	return av
}

func (g *gen) makeParties() {
	for i := 0; i < g.spec.counsels; i++ {
		p := solver.Party{ID: fmt.Sprintf("P-C%03d", i+1), Kind: solver.PartyCounsel}
		if g.chance(0.6) {
			p.Availability = g.partyAvailability(2, 4)
		}
		g.counsels = append(g.counsels, p)
	}
	nreps := g.spec.interviews/25 + 1
	for i := 0; i < nreps; i++ {
		p := solver.Party{ID: fmt.Sprintf("P-R%03d", i+1), Kind: solver.PartyRepresentative}
		if g.chance(0.5) {
			p.Availability = g.partyAvailability(3, 5)
		}
		g.reps = append(g.reps, p)
	}
}

// pickLanguage draws an interview language by demand weight.
func (g *gen) pickLanguage() string {
	total := 0
	for _, l := range g.spec.demandList() {
		total += l.weight
	}
	r := g.rng.IntN(total)
	for _, l := range g.spec.demandList() {
		if r < l.weight {
			return l.tag
		}
		r -= l.weight
	}
	return g.spec.demandList()[0].tag
}

// interviewersAt returns the interviewers at one of locs.
func (g *gen) interviewersAt(locs []string) []*solver.Interviewer {
	var out []*solver.Interviewer
	for i := range g.interviewers {
		if slices.Contains(locs, g.interviewers[i].Location) {
			out = append(out, &g.interviewers[i])
		}
	}
	return out
}

func (g *gen) makeInterviews() {
	n := g.spec.interviews
	var langs []string
	if g.spec.allLanguages {
		for _, l := range g.spec.demandList() {
			if l.tag != noInterpreterLang {
				langs = append(langs, l.tag)
			}
		}
	}
	for len(langs) < n-g.spec.impossible {
		l := g.pickLanguage()
		if l == noInterpreterLang {
			continue // impossible interviews are added on purpose below
		}
		langs = append(langs, l)
	}
	g.rng.Shuffle(len(langs), func(i, j int) { langs[i], langs[j] = langs[j], langs[i] })
	// Genuinely impossible interviews: a language no interpreter speaks, and
	// a required dialect no interpreter lists.
	for i := 0; i < g.spec.impossible; i++ {
		pos := g.rng.IntN(len(langs) + 1)
		l := noInterpreterLang
		if i%2 == 1 {
			l = unservedDialect
		}
		langs = slices.Insert(langs, pos, l)
	}

	caseNo := 100 + g.rng.IntN(900)
	lastDay := g.days[len(g.days)-1]
	for i := 0; i < len(langs); i++ {
		caseNo += 1 + g.rng.IntN(40)
		iv := g.interview(fmt.Sprintf("I-%04d", len(g.interviews)+1), fmt.Sprintf("C-2027-%06d", caseNo), langs[i])
		g.interviews = append(g.interviews, iv)
		// Some cases need a second session in the same period, with the
		// same caseworker if possible.
		if i+1 < len(langs) && iv.NeedsInterp() && g.chance(0.04) {
			i++
			second := iv
			second.ID = fmt.Sprintf("I-%04d", len(g.interviews)+1)
			second.Locations = slices.Clone(iv.Locations)
			e, _ := g.parseDay(iv.Earliest)
			e += 2 + g.rng.IntN(5)
			if e > lastDay {
				e = lastDay
			}
			second.Earliest = g.date(e)
			if iv.Deadline != "" {
				d, _ := g.parseDay(iv.Deadline)
				second.Deadline = g.date(max(d, e) + 7)
			}
			if second.Latest != "" {
				second.Latest = g.date(lastDay)
			}
			if second.PreferredInterviewer == "" {
				if c := g.interviewersAt(second.Locations[:1]); len(c) > 0 {
					second.PreferredInterviewer = c[g.rng.IntN(len(c))].ID
				}
			}
			g.interviews = append(g.interviews, second)
		}
	}
}

func (g *gen) parseDay(date string) (int, error) {
	t, err := time.ParseInLocation(time.DateOnly, date, g.loc)
	if err != nil {
		return 0, err
	}
	return int(t.Sub(g.base).Hours()+12) / 24, nil
}

func (g *gen) interview(id, caseRef, lang string) solver.Interview {
	iv := solver.Interview{ID: id, Case: caseRef, Language: lang, DialectRequired: lang == unservedDialect}

	switch r := g.rng.Float64(); {
	case g.spec.load > 0:
		iv.DurationMinutes = g.surgeDuration()
	case r < 0.15:
		iv.DurationMinutes = 120
	case r < 0.85:
		iv.DurationMinutes = 180
	default:
		iv.DurationMinutes = 240
	}

	lastDay := g.days[len(g.days)-1]
	e := g.days[g.rng.IntN(g.spec.earliestDays)]
	iv.Earliest = g.date(e)
	if g.chance(0.3) {
		iv.Deadline = g.date(e + 5 + g.rng.IntN(16))
	}
	if g.chance(0.04) {
		iv.Latest = g.date(min(e+2+g.rng.IntN(8), lastDay))
	}
	switch r := g.rng.Float64(); {
	case r < 0.05:
		p := 3
		iv.Priority = &p
	case r < 0.2:
		p := 2
		iv.Priority = &p
	}

	iv.Locations = []string{g.pickOffice()}
	if len(g.offices) > 1 && g.chance(0.15) {
		for {
			o := g.pickOffice()
			if o != iv.Locations[0] {
				iv.Locations = append(iv.Locations, o)
				break
			}
		}
	}

	// Interviews a caseworker at one of the locations can hold in the
	// applicant's language need no interpreter (if the dialect need not match).
	canSelf := false
	if !iv.DialectRequired {
		for _, e := range g.interviewersAt(iv.Locations) {
			if ok, _ := solver.LanguageMatch(e.Languages, lang, false); ok {
				canSelf = true
			}
		}
	}
	if canSelf && g.chance(0.6) {
		no := false
		iv.NeedsInterpreter = &no
	} else {
		if !iv.DialectRequired && len(lang) > 3 && g.chance(0.25) {
			iv.DialectRequired = true
		}
		switch r := g.rng.Float64(); {
		case r < 0.45:
			iv.InterpreterMode = solver.WantAny
		case r < 0.80:
			iv.InterpreterMode = solver.WantPreferOnsite
		case r < 0.92:
			iv.InterpreterMode = solver.WantOnsite
		default:
			iv.InterpreterMode = solver.WantRemote
		}
	}

	minor := g.chance(0.1)
	if minor {
		iv.InterviewerSkills = append(iv.InterviewerSkills, "minors")
		iv.RoomFeatures = append(iv.RoomFeatures, "child_friendly")
		iv.Parties = append(iv.Parties, g.reps[g.rng.IntN(len(g.reps))].ID)
	} else {
		switch r := g.rng.Float64(); {
		case r < 0.03:
			iv.InterviewerSkills = append(iv.InterviewerSkills, "trafficking")
			if iv.NeedsInterp() && g.chance(0.5) {
				iv.InterpreterSkills = append(iv.InterpreterSkills, "trauma")
			}
		case r < 0.06:
			iv.InterviewerSkills = append(iv.InterviewerSkills, "lgbt")
		}
	}
	if g.chance(0.03) {
		iv.RoomFeatures = append(iv.RoomFeatures, "accessible")
	}
	if g.chance(0.45) {
		iv.Parties = append(iv.Parties, g.counsels[g.rng.IntN(len(g.counsels))].ID)
	}

	if g.chance(0.15) {
		// A same-gender request (e.g. because of sexual violence).
		gender := g.gender()
		switch r := g.rng.Float64(); {
		case r < 0.4 || !iv.NeedsInterp():
			iv.InterviewerGender = gender
		case r < 0.7:
			iv.InterpreterGender = gender
		default:
			iv.InterviewerGender = gender
			iv.InterpreterGender = gender
		}
	}

	here := g.interviewersAt(iv.Locations[:1])
	if len(here) > 1 && g.chance(0.1) {
		// A follow-up session: continuity with the earlier caseworker.
		iv.PreferredInterviewer = here[g.rng.IntN(len(here))].ID
	}
	if len(here) > 2 && g.chance(0.01) {
		iv.ExcludedInterviewers = []string{here[g.rng.IntN(len(here))].ID}
		if iv.ExcludedInterviewers[0] == iv.PreferredInterviewer {
			iv.ExcludedInterviewers = nil
		}
	}
	return iv
}

// interpreterCount returns how many interpreters have the primary language p
// as their first language.
func (g *gen) interpreterCount(p string, demanded bool) int {
	total, w := 0, 0
	for _, l := range g.spec.demandList() {
		total += l.weight
		if primary(l.tag) == p {
			w += l.weight
		}
	}
	expected := float64(g.spec.interpreters) * float64(w) / float64(total)
	if g.spec.scarceLanguage(p) {
		expected /= 3
	}
	if expected >= 1.5 {
		return int(expected*(0.8+0.4*g.rng.Float64()) + 0.5)
	}
	// Rare languages: one or two interpreters nationally, if any.
	if demanded || g.chance(0.3) {
		if g.chance(0.3) {
			return 2
		}
		return 1
	}
	return 0
}

func (g *gen) makeInterpreters() {
	demanded := map[string]bool{}
	for _, iv := range g.interviews {
		demanded[primary(iv.Language)] = true
	}
	var primaries []string
	for _, l := range g.spec.demandList() {
		p := primary(l.tag)
		if p != noInterpreterLang && !slices.Contains(primaries, p) {
			primaries = append(primaries, p)
		}
	}
	var firsts []string
	for _, p := range primaries {
		for range g.interpreterCount(p, demanded[p]) {
			firsts = append(firsts, p)
		}
	}
	g.rng.Shuffle(len(firsts), func(i, j int) { firsts[i], firsts[j] = firsts[j], firsts[i] })
	for i, p := range firsts {
		g.interpreters = append(g.interpreters, g.interpreter(fmt.Sprintf("T%04d", i+1), p))
	}
}

func (g *gen) pickDialect() string {
	total := 0
	for _, d := range arabicDialects {
		total += d.weight
	}
	r := g.rng.IntN(total)
	for _, d := range arabicDialects {
		if r < d.weight {
			return d.tag
		}
		r -= d.weight
	}
	return arabicDialects[0].tag
}

func (g *gen) interpreter(id, first string) solver.Interpreter {
	t := solver.Interpreter{ID: id, Gender: g.gender(), Skills: []string{}, Locations: []string{}}
	add := func(tag string) {
		for _, have := range t.Languages {
			if primary(have) == primary(tag) {
				return
			}
		}
		t.Languages = append(t.Languages, tag)
	}
	if first == "ar" {
		switch r := g.rng.Float64(); {
		case r < 0.5:
			t.Languages = []string{"ar", g.pickDialect()}
			if g.chance(0.3) {
				if d := g.pickDialect(); !slices.Contains(t.Languages, d) {
					t.Languages = append(t.Languages, d)
				}
			}
		case r < 0.8:
			t.Languages = []string{g.pickDialect()}
		default:
			t.Languages = []string{"ar"}
		}
	} else {
		t.Languages = []string{first}
	}
	extra := 0
	switch r := g.rng.Float64(); {
	case r < 0.1:
		extra = 2
	case r < 0.4:
		extra = 1
	}
	for range extra {
		if c := companions[first]; len(c) > 0 && g.chance(0.8) {
			add(c[g.rng.IntN(len(c))])
		} else {
			add([]string{"en", "en", "fr", "ru", "ar"}[g.rng.IntN(5)])
		}
	}

	if g.chance(0.1) {
		t.Skills = append(t.Skills, "trauma")
	}
	if g.chance(0.08) {
		t.Skills = append(t.Skills, "minors")
	}

	home := g.pickOffice()
	t.Locations = []string{home}
	if len(g.offices) > 1 && g.chance(0.35) {
		nb := g.spec.neighboursOf(home)
		t.Locations = append(t.Locations, nb[g.rng.IntN(len(nb))])
	}

	onsite := 45 + g.rng.IntN(26)
	remote := max(35, min(55, onsite-5-g.rng.IntN(11)))
	switch r := g.rng.Float64(); {
	case r < 0.1:
		t.Modes = []string{solver.ModeOnsite}
		t.CostPerHour = &solver.Rates{Onsite: &onsite}
	case r < 0.35:
		t.Modes = []string{solver.ModeRemote}
		t.CostPerHour = &solver.Rates{Remote: &remote}
	default:
		t.Modes = []string{solver.ModeOnsite, solver.ModeRemote}
		t.CostPerHour = &solver.Rates{Onsite: &onsite, Remote: &remote}
	}

	switch r := g.rng.Float64(); {
	case r < 0.2:
		m := 360
		t.MaxMinutesPerDay = &m
	case r < 0.35:
		m := 480
		t.MaxMinutesPerDay = &m
	}

	// Freelancers work 2–4 days a week, mornings, afternoons or whole days.
	t.Availability = []solver.Interval{}
	perWeek := 2 + g.rng.IntN(3)
	for w := 0; w < g.spec.weeks; w++ {
		for _, wd := range g.weekdays(perWeek) {
			day := 7*w + wd
			switch r := g.rng.Float64(); {
			case r < 0.3:
				t.Availability = append(t.Availability, solver.Interval{Start: g.at(day, 8, 0), End: g.at(day, 12, 30)})
			case r < 0.55:
				t.Availability = append(t.Availability, solver.Interval{Start: g.at(day, 12, 30), End: g.at(day, 16, 30)})
			default:
				t.Availability = append(t.Availability, solver.Interval{Start: g.at(day, 8, 0), End: g.at(day, 16, 30)})
			}
		}
	}
	return t
}

// excludeSomeInterpreters gives a few interviews an excluded interpreter who
// speaks their language (a conflict of interest, an earlier complaint).
func (g *gen) excludeSomeInterpreters() {
	for i := range g.interviews {
		iv := &g.interviews[i]
		if !iv.NeedsInterp() || !g.chance(0.02) {
			continue
		}
		var speakers []string
		for _, t := range g.interpreters {
			if ok, _ := solver.LanguageMatch(t.Languages, iv.Language, false); ok {
				speakers = append(speakers, t.ID)
			}
		}
		if len(speakers) > 1 {
			iv.ExcludedInterpreters = []string{speakers[g.rng.IntN(len(speakers))]}
		}
	}
}
