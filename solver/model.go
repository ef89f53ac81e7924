package solver

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
)

// model is an instance compiled for fast search: times become slot indices on
// one axis, ids become indices, and each interview gets its static candidate
// resources. It is read-only once built and shared by all workers.
type model struct {
	in   *Instance
	loc  *time.Location
	w    Weights
	unit int // minutes per slot; divides the grain and every UTC-offset change

	day0     Date      // first date on the axis (the horizon start)
	t0       time.Time // local midnight of day0
	nDays    int       // days on the axis (the horizon, plus any extension)
	hDays    int       // days of the horizon itself
	nSlots   int
	dayStart []int // slot of each day's local midnight; len nDays+1

	clocks []int // candidate local start clock times, minutes after midnight

	locIdx map[string]int
	travel [][]int // minutes between locations, -1 when not given

	rooms        []*mRoom
	interviewers []*mInterviewer
	interpreters []*mInterpreter
	parties      []*mParty
	roomIdx      map[string]int
	ivrIdx       map[string]int
	itpIdx       map[string]int
	partyIdx     map[string]int

	ivs   []*mInterview
	ivIdx map[string]int

	mu     sync.Mutex
	starts map[int][][]int32 // duration in slots → day → start slots

	cix *candIndex // indexes of the candidate lists, and lists shared by interviews

	alone aloneMemo // which interviews fit an empty schedule (alone.go)
}

// resource is anything that can be busy: room, interviewer, interpreter or party.
type resource struct {
	gid    int // index into state.free
	avail  bitset
	always bool
}

type mRoom struct {
	resource
	r      *Room
	loc    int
	video  bool
	nFeats int
}

type mInterviewer struct {
	resource
	e      *Interviewer
	loc    int
	maxDay int // -1 unlimited
	rank   int // how special: skills + languages; plain ones are used first
}

type mInterpreter struct {
	resource
	t         *Interpreter
	langs     []string // lower-cased tags
	prims     []string // their primary subtags
	onsite    bool
	remote    bool
	onsiteAt  []bool // by location
	maxDayMin int    // -1 unlimited
	rate      [2]int64
}

type mParty struct {
	resource
	p *Party
}

const (
	modeOnsite = 0
	modeRemote = 1
	modeNone   = 2
)

var modeNames = [3]string{ModeOnsite, ModeRemote, ModeNone}

func modeIndex(s string) int {
	switch s {
	case ModeOnsite:
		return modeOnsite
	case ModeRemote:
		return modeRemote
	}
	return modeNone
}

// candInterp is an interpreter that can work on an interview, as far as
// static properties go.
type candInterp struct {
	t     int
	exact bool
	// cost of the interview with this interpreter per mode (weighted), and
	// whether the mode is allowed at all.
	cost [2]int64
	ok   [2]bool
}

type mInterview struct {
	iv         *Interview
	idx        int
	prio       int64
	durMin     int
	durSlots   int
	earliest   Date
	deadline   Date
	hasDead    bool
	first      int // first and last day index of the window on the axis
	last       int // (first > last: empty); last may exceed hDays-1 in extended models
	lastHard   int // last day within the real window
	locs       []int
	needInterp bool
	allow      [2]bool // onsite, remote allowed by interpreter_mode
	preferOn   bool
	preferred  int     // interviewer index, -1
	rooms      [][]int // by position in locs: rooms with the features, plain first
	ivrs       [][]int // by position in locs: interviewers that qualify
	interps    []candInterp
	// interps who may work remotely, and on site by position in locs, in
	// the order of interps
	remoteInterps []candInterp
	onsiteInterps [][]candInterp
	parties       []int
	booking       *mBooking
	langAny       bool   // some interpreter matches the language at all
	lang, prim    string // lower-cased language tag and its primary subtag

	once sync.Once // fills the candidate lists on first use
}

// mBooking is a booking of the instance on the axis.
type mBooking struct {
	b      *Booking
	opt    option
	onAxis bool // the start lies on a slot of the axis and the date on it
}

// option is one way to hold an interview.
type option struct {
	ok    bool
	day   int16
	loc   int16
	mode  int8
	start int32 // slot
	room  int32
	ivr   int32
	itp   int32 // -1 when none
}

func (o option) sameAs(p option) bool {
	return o.ok == p.ok && o.start == p.start && o.room == p.room && o.ivr == p.ivr && o.itp == p.itp && o.mode == p.mode
}

func gcd(a, b int) int {
	if a < 0 {
		a = -a
	}
	if b < 0 {
		b = -b
	}
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// compile builds the model of a valid instance. extraDays extends the axis
// beyond the horizon (for "earliest possible" answers); those days are never
// used by Solve.
func compile(in *Instance, extraDays int) (*model, error) {
	loc, err := time.LoadLocation(in.Timezone)
	if err != nil {
		return nil, fmt.Errorf("timezone: %w", err)
	}
	hs, err := ParseDate(in.Horizon.Start)
	if err != nil {
		return nil, fmt.Errorf("horizon.start: %w", err)
	}
	he, err := ParseDate(in.Horizon.End)
	if err != nil {
		return nil, fmt.Errorf("horizon.end: %w", err)
	}
	m := &model{in: in, loc: loc, w: in.ResolveWeights(), day0: hs}
	m.hDays = int(he-hs) + 1
	m.nDays = m.hDays + extraDays
	m.t0 = hs.Midnight(loc)
	m.compileAxis(in.Grain())
	m.compileClocks(in)
	m.compileTravel(in)
	m.compileResources(in)
	m.buildCandIndex()
	m.starts = map[int][][]int32{}
	m.ivIdx = map[string]int{}
	for i := range in.Interviews {
		m.ivIdx[in.Interviews[i].ID] = i
	}
	for i := range in.Interviews {
		m.ivs = append(m.ivs, m.compileInterview(i))
	}
	for i := range in.Bookings {
		b := &in.Bookings[i]
		mi := m.ivs[m.ivIdx[b.Interview]]
		mi.booking = m.compileBooking(mi, b)
	}
	return m, nil
}

// compileAxis lays out the time axis in slots. The slot unit divides the
// grain and every change of UTC offset over the axis, so every local grain
// time is a whole number of slots from t0.
func (m *model) compileAxis(grain int) {
	_, off0 := m.t0.Zone()
	unit := grain
	for d := 0; d <= m.nDays; d++ {
		for _, h := range []int{0, 12} {
			t := time.Date(m.t0.Year(), m.t0.Month(), m.t0.Day()+d, h, 0, 0, 0, m.loc)
			_, off := t.Zone()
			if diff := (off - off0) / 60; diff != 0 {
				unit = gcd(unit, diff)
			}
		}
	}
	m.unit = unit
	m.dayStart = make([]int, m.nDays+1)
	for d := 0; d <= m.nDays; d++ {
		mid := (m.day0 + Date(d)).Midnight(m.loc)
		m.dayStart[d] = int(mid.Sub(m.t0).Minutes()) / unit
	}
	m.nSlots = m.dayStart[m.nDays]
}

// compileClocks lists the allowed start times of day, in minutes.
func (m *model) compileClocks(in *Instance) {
	if len(in.StartTimes) > 0 {
		for _, s := range in.StartTimes {
			c, _ := ParseClock(s)
			m.clocks = append(m.clocks, c)
		}
		sort.Ints(m.clocks)
		return
	}
	for c := 0; c < 1440; c += in.Grain() {
		m.clocks = append(m.clocks, c)
	}
}

// compileTravel indexes the locations and their travel times (-1: no
// travel between them).
func (m *model) compileTravel(in *Instance) {
	m.locIdx = map[string]int{}
	for i, l := range in.Locations {
		m.locIdx[l.ID] = i
	}
	m.travel = make([][]int, len(in.Locations))
	for i := range m.travel {
		m.travel[i] = make([]int, len(in.Locations))
		for j := range m.travel[i] {
			m.travel[i][j] = -1
		}
		m.travel[i][i] = 0
	}
	for _, t := range in.TravelMinutes {
		a, b := m.locIdx[t.From], m.locIdx[t.To]
		m.travel[a][b], m.travel[b][a] = t.Minutes, t.Minutes
	}
}

// compileResources builds rooms, interviewers, interpreters and parties,
// each with a global id and its availability as slot bits.
func (m *model) compileResources(in *Instance) {
	gid := 0
	next := func(ivs []Interval, always bool) resource {
		r := resource{gid: gid, always: always}
		gid++
		r.avail = m.availBits(ivs, always)
		return r
	}
	m.roomIdx = map[string]int{}
	for i := range in.Rooms {
		r := &in.Rooms[i]
		mr := &mRoom{resource: next(r.Availability, r.Availability == nil), r: r, loc: m.locIdx[r.Location], nFeats: len(r.Features)}
		for _, f := range r.Features {
			mr.video = mr.video || f == "video"
		}
		m.roomIdx[r.ID] = i
		m.rooms = append(m.rooms, mr)
	}
	m.ivrIdx = map[string]int{}
	for i := range in.Interviewers {
		e := &in.Interviewers[i]
		me := &mInterviewer{resource: next(e.Availability, false), e: e, loc: m.locIdx[e.Location], maxDay: -1, rank: len(e.Skills) + len(e.Languages)}
		if e.MaxInterviewsPerDay != nil {
			me.maxDay = *e.MaxInterviewsPerDay
		}
		m.ivrIdx[e.ID] = i
		m.interviewers = append(m.interviewers, me)
	}
	m.itpIdx = map[string]int{}
	for i := range in.Interpreters {
		m.itpIdx[in.Interpreters[i].ID] = i
		m.interpreters = append(m.interpreters, m.compileInterpreter(&in.Interpreters[i], next(in.Interpreters[i].Availability, false)))
	}
	m.partyIdx = map[string]int{}
	for i := range in.Parties {
		p := &in.Parties[i]
		m.partyIdx[p.ID] = i
		m.parties = append(m.parties, &mParty{resource: next(p.Availability, p.Availability == nil), p: p})
	}
}

func (m *model) compileInterpreter(t *Interpreter, r resource) *mInterpreter {
	mt := &mInterpreter{resource: r, t: t, maxDayMin: -1, onsiteAt: make([]bool, len(m.in.Locations))}
	for _, md := range t.Modes {
		mt.onsite = mt.onsite || md == ModeOnsite
		mt.remote = mt.remote || md == ModeRemote
	}
	for _, l := range t.Locations {
		mt.onsiteAt[m.locIdx[l]] = true
	}
	for _, tag := range t.Languages {
		mt.langs = append(mt.langs, strings.ToLower(tag))
		mt.prims = append(mt.prims, primarySubtag(tag))
	}
	if t.MaxMinutesPerDay != nil {
		mt.maxDayMin = *t.MaxMinutesPerDay
	}
	mt.rate = [2]int64{int64(t.CostPerHour.Rate(ModeOnsite)), int64(t.CostPerHour.Rate(ModeRemote))}
	return mt
}

// numResources is the number of busy-able resources (length of state.free).
func (m *model) numResources() int {
	return len(m.rooms) + len(m.interviewers) + len(m.interpreters) + len(m.parties)
}

// slotOf returns the slot of instant t and whether t lies exactly on one.
func (m *model) slotOf(t time.Time) (int, bool) {
	d := t.Sub(m.t0)
	u := time.Duration(m.unit) * time.Minute
	s := int(d / u)
	if d < 0 && d%u != 0 {
		s--
	}
	return s, d%u == 0
}

// timeOf returns the instant of slot s.
func (m *model) timeOf(s int) time.Time {
	return m.t0.Add(time.Duration(s*m.unit) * time.Minute)
}

// availBits turns availability intervals into the set of slots lying wholly
// inside one of them.
func (m *model) availBits(ivs []Interval, always bool) bitset {
	b := newBitset(m.nSlots)
	if always {
		b.setRange(0, m.nSlots)
		return b
	}
	for _, iv := range ivs {
		s, _ := ParseInstant(iv.Start)
		e, _ := ParseInstant(iv.End)
		a, exact := m.slotOf(s)
		if !exact {
			a++
		}
		z, _ := m.slotOf(e)
		b.setRange(a, z)
	}
	return b
}

// startSlots returns, per axis day, the start slots an interview of durSlots
// may use: on the grain (or start_times) and ending by the next midnight.
func (m *model) startSlots(durSlots int) [][]int32 {
	m.mu.Lock()
	defer m.mu.Unlock()
	if s, ok := m.starts[durSlots]; ok {
		return s
	}
	out := make([][]int32, m.nDays)
	for d := 0; d < m.nDays; d++ {
		date := m.day0 + Date(d)
		mid := date.Midnight(m.loc)
		y, mo, dd := mid.Date()
		for _, c := range m.clocks {
			t := time.Date(y, mo, dd, c/60, c%60, 0, 0, m.loc)
			if tt := t.In(m.loc); tt.Hour()*60+tt.Minute() != c || DateOf(t, m.loc) != date {
				continue // a clock time skipped by a daylight-saving change
			}
			s, exact := m.slotOf(t)
			if !exact || s+durSlots > m.dayStart[d+1] {
				continue
			}
			out[d] = append(out[d], int32(s))
		}
	}
	m.starts[durSlots] = out
	return out
}

func hasAll(have, want []string) bool {
	for _, w := range want {
		found := false
		for _, h := range have {
			if h == w {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (m *model) compileInterview(i int) *mInterview {
	iv := &m.in.Interviews[i]
	mi := &mInterview{iv: iv, idx: i, prio: int64(iv.Prio()), durMin: iv.DurationMinutes, preferred: -1}
	mi.durSlots = iv.DurationMinutes / m.unit
	mi.earliest, _ = ParseDate(iv.Earliest)
	if iv.Deadline != "" {
		mi.deadline, _ = ParseDate(iv.Deadline)
		mi.hasDead = true
	}
	first := max(int(mi.earliest-m.day0), 0)
	last := m.hDays - 1
	if iv.Latest != "" {
		l, _ := ParseDate(iv.Latest)
		last = min(last, int(l-m.day0))
	}
	mi.first, mi.lastHard = first, last
	mi.last = last
	if m.nDays > m.hDays {
		mi.last = m.nDays - 1 // extended model: ignore horizon end and latest
	}
	mi.needInterp = iv.NeedsInterp()
	switch iv.WantMode() {
	case WantOnsite:
		mi.allow = [2]bool{true, false}
	case WantRemote:
		mi.allow = [2]bool{false, true}
	default:
		mi.allow = [2]bool{true, true}
	}
	mi.preferOn = iv.WantMode() == WantPreferOnsite
	if iv.PreferredInterviewer != "" {
		mi.preferred = m.ivrIdx[iv.PreferredInterviewer]
	}
	for _, l := range iv.Locations {
		mi.locs = append(mi.locs, m.locIdx[l])
	}
	for _, p := range iv.Parties {
		mi.parties = append(mi.parties, m.partyIdx[p])
	}
	mi.lang, mi.prim = strings.ToLower(iv.Language), primarySubtag(iv.Language)
	return mi
}

// ready fills the interview's static candidate lists (rooms, interviewers,
// interpreters) on first use; safe for concurrent use.
func (m *model) ready(mi *mInterview) *mInterview {
	mi.once.Do(func() { m.fillCandidates(mi) })
	return mi
}

// readyAll fills the candidate lists of every interview.
func (m *model) readyAll() {
	for _, mi := range m.ivs {
		m.ready(mi)
	}
}

func (m *model) fillCandidates(mi *mInterview) {
	for _, li := range mi.locs {
		mi.rooms = append(mi.rooms, m.roomCands(mi, li))
		mi.ivrs = append(mi.ivrs, m.interviewerCands(mi, li))
	}
	if mi.needInterp {
		l := m.interpCands(mi)
		mi.interps, mi.langAny = l.cands, l.langAny
		mi.remoteInterps, mi.onsiteInterps = m.modeLists(l, mi.locs)
	}
}

// speaks is LanguageMatch on pre-lowered tags.
func (t *mInterpreter) speaks(lang, prim string, exactRequired bool) (ok, exact bool) {
	for k, l := range t.langs {
		if l == lang {
			return true, true
		}
		if !exactRequired && t.prims[k] == prim {
			ok = true
		}
	}
	return ok, false
}

func minCost(c candInterp) int64 {
	best := int64(1 << 62)
	for md := 0; md < 2; md++ {
		if c.ok[md] && c.cost[md] < best {
			best = c.cost[md]
		}
	}
	return best
}

func (m *model) interviewerFits(mi *mInterview, e *mInterviewer) bool {
	iv := mi.iv
	if !hasAll(e.e.Skills, iv.InterviewerSkills) {
		return false
	}
	if iv.InterviewerGender != "" && e.e.Gender != iv.InterviewerGender {
		return false
	}
	if contains(iv.ExcludedInterviewers, e.e.ID) {
		return false
	}
	if !iv.NeedsInterp() {
		if ok, _ := LanguageMatch(e.e.Languages, iv.Language, iv.DialectRequired); !ok {
			return false
		}
	}
	return e.maxDay != 0
}

func (m *model) interpreterFits(mi *mInterview, t *mInterpreter) bool {
	iv := mi.iv
	if !hasAll(t.t.Skills, iv.InterpreterSkills) {
		return false
	}
	if iv.InterpreterGender != "" && t.t.Gender != iv.InterpreterGender {
		return false
	}
	if contains(iv.ExcludedInterpreters, t.t.ID) {
		return false
	}
	return t.maxDayMin < 0 || t.maxDayMin >= mi.durMin
}

func (m *model) compileBooking(mi *mInterview, b *Booking) *mBooking {
	mb := &mBooking{b: b}
	st, err := ParseInstant(b.Start)
	if err != nil {
		return mb
	}
	s, exact := m.slotOf(st)
	o := option{ok: true, start: int32(s), room: int32(m.roomIdx[b.Room]), ivr: int32(m.ivrIdx[b.Interviewer]), itp: -1, mode: int8(modeIndex(b.Mode))}
	o.loc = int16(m.rooms[o.room].loc)
	if b.Interpreter != "" {
		o.itp = int32(m.itpIdx[b.Interpreter])
	}
	d := int(DateOf(st, m.loc) - m.day0)
	o.day = int16(d)
	mb.opt = o
	mb.onAxis = exact && s >= 0 && d >= 0 && d < m.nDays && s+mi.durSlots <= m.nSlots
	return mb
}

// langName returns an English name for a language tag, e.g. "Tigrinya (ti)".
func langName(tag string) string {
	if n := displayName(tag); n != "" && !strings.EqualFold(n, tag) {
		return n + " (" + tag + ")"
	}
	return tag
}
