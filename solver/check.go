package solver

// check.go is the reference checker of a schedule against its instance: it
// lists every broken hard rule of formats.md and recomputes the score from
// scratch. It is deliberately simple (plain loops, O(n²) pair scans) and shares
// nothing with the solver's incremental model, so that it can serve as the
// oracle of property tests. docs/formats.md documents the interpretations it
// implements.

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// Violation is one broken hard rule of the spec (Rule 1..10), or Rule 0 for a
// structural problem of the schedule document (wrong format, interview missing,
// listed twice, unknown id, bad instant, location != room's location,
// interpreter given with mode none, unknown mode or reason code).
type Violation struct {
	Rule      int    `json:"rule"`
	Interview string `json:"interview,omitempty"`
	Message   string `json:"message"` // a plain sentence, e.g. `interview I-3: interpreter t7 is not available 2026-12-07 08:30–12:30`
}

// Report is the result of Check.
type Report struct {
	Violations []Violation `json:"violations"`
	Score      Score       `json:"score"` // Hard = len(Violations)
}

// Check lists every hard violation of s against in and recomputes the score
// exactly as formats.md defines it. It assumes `in` passed validation but
// never panics on any schedule (unknown ids, bad instants → violations). It
// returns an error only when the instance itself cannot be interpreted (e.g.
// an unknown time zone or a malformed date).
//
// Counting: every failed condition is one violation — per assignment for the
// conditions of rules 1–5 and 9, per pair of assignments and shared resource
// for rule 6, per pair for rule 7, per (person, local date) for rule 8, per
// pinned booking for rule 10. Violations are sorted by rule, interview,
// message.
func Check(in *Instance, s *Schedule) (*Report, error) {
	ck, err := newChkState(in)
	if err != nil {
		return nil, err
	}
	if s == nil {
		s = &Schedule{}
	}
	ck.structure(s)
	for _, c := range ck.assigned {
		ck.rule1(c)
		ck.rule2(c)
		ck.rule3(c)
		ck.rule4(c)
		ck.rule5(c)
		ck.rule9(c)
	}
	ck.rule6()
	ck.rule7()
	ck.rule8()
	ck.rule10()
	if ck.availErr != nil {
		return nil, ck.availErr
	}

	v := ck.violations
	if v == nil {
		v = []Violation{}
	}
	sort.SliceStable(v, func(i, j int) bool {
		if v[i].Rule != v[j].Rule {
			return v[i].Rule < v[j].Rule
		}
		if v[i].Interview != v[j].Interview {
			return v[i].Interview < v[j].Interview
		}
		return v[i].Message < v[j].Message
	})
	rep := &Report{Violations: v, Score: ck.score()}
	rep.Score.Hard = int64(len(v))
	return rep, nil
}

// chkSpan is a half-open interval [start, end) of instants.
type chkSpan struct{ start, end time.Time }

// chkAvail is a merged availability list; always means no list was given
// where that means "always" (rooms and parties).
type chkAvail struct {
	always bool
	spans  []chkSpan // sorted, merged (overlapping or touching joined)
}

// covers reports whether x lies inside one interval of the merged list.
func (a chkAvail) covers(x chkSpan) bool {
	if a.always {
		return true
	}
	for _, s := range a.spans {
		if !s.start.After(x.start) && !x.end.After(s.end) {
			return true
		}
	}
	return false
}

// chkParseAvail parses and merges a list. A nil list is "always" when
// nilMeansAlways, otherwise "never".
func chkParseAvail(list []Interval, nilMeansAlways bool, what string) (chkAvail, error) {
	if list == nil && nilMeansAlways {
		return chkAvail{always: true}, nil
	}
	var spans []chkSpan
	for i, iv := range list {
		s, err := ParseInstant(iv.Start)
		if err != nil {
			return chkAvail{}, fmt.Errorf("%s availability[%d].start: %v", what, i, err)
		}
		e, err := ParseInstant(iv.End)
		if err != nil {
			return chkAvail{}, fmt.Errorf("%s availability[%d].end: %v", what, i, err)
		}
		if e.After(s) {
			spans = append(spans, chkSpan{s, e})
		}
	}
	return chkAvail{spans: chkMerge(spans)}, nil
}

// chkMerge sorts spans and joins those that overlap or touch.
func chkMerge(spans []chkSpan) []chkSpan {
	sort.Slice(spans, func(i, j int) bool { return spans[i].start.Before(spans[j].start) })
	var out []chkSpan
	for _, s := range spans {
		if n := len(out); n > 0 && !s.start.After(out[n-1].end) {
			if s.end.After(out[n-1].end) {
				out[n-1].end = s.end
			}
			continue
		}
		out = append(out, s)
	}
	return out
}

// chkInterview is an interview with its dates parsed.
type chkInterview struct {
	iv                     *Interview
	earliest               Date
	deadline, latest       Date
	hasDeadline, hasLatest bool
}

// chkPlaced is one assignment of the schedule whose interview is known and not a
// duplicate, with its ids resolved (nil when unknown) and times parsed.
type chkPlaced struct {
	a      *Assignment
	info   *chkInterview
	iv     *Interview
	room   *Room
	er     *Interviewer
	tr     *Interpreter
	timeOK bool      // start parsed; start/end/date are valid
	start  time.Time // as written
	end    time.Time // start + duration (the schedule's end is only compared)
	date   Date      // local date of start
}

func (p *chkPlaced) span() chkSpan { return chkSpan{p.start, p.end} }

type chkState struct {
	in          *Instance
	loc         *time.Location
	grain       int
	startTimes  map[int]bool // nil: any start on the grain
	horizonFrom Date
	horizonTo   Date

	interviews   map[string]*chkInterview
	rooms        map[string]*Room
	interviewers map[string]*Interviewer
	interpreters map[string]*Interpreter
	parties      map[string]*Party
	avail        map[string]chkAvail // keyed "room:", "er:", "tr:", "party:" + id; filled on first use
	availErr     error               // a list that could not be read
	travel       map[[2]string]int
	bookingStart []time.Time

	assigned   []*chkPlaced          // in schedule order
	byIV       map[string]*chkPlaced // interview id → its (first) assignment
	violations []Violation
}

// availOf returns the merged availability of a resource, reading it on
// first use: a check of a few assignments need not read every list.
func (ck *chkState) availOf(kind, id string, list []Interval, nilMeansAlways bool) chkAvail {
	key := kind + id
	if a, ok := ck.avail[key]; ok {
		return a
	}
	what := map[string]string{"room:": "room ", "er:": "interviewer ", "tr:": "interpreter ", "party:": "party "}[kind] + id
	a, err := chkParseAvail(list, nilMeansAlways, what)
	if err != nil && ck.availErr == nil {
		ck.availErr = err
	}
	ck.avail[key] = a
	return a
}

// newChkState reads the instance: its frame (time zone, grain, horizon,
// start times), its travel times and resources by id, its interviews' dates
// and its bookings' starts.
func newChkState(in *Instance) (*chkState, error) {
	if in == nil {
		return nil, fmt.Errorf("no instance")
	}
	loc, err := time.LoadLocation(in.Timezone)
	if err != nil || in.Timezone == "" {
		return nil, fmt.Errorf("timezone %q is not a known IANA time zone", in.Timezone)
	}
	ck := &chkState{
		in: in, loc: loc, grain: in.Grain(),
		interviews:   map[string]*chkInterview{},
		rooms:        map[string]*Room{},
		interviewers: map[string]*Interviewer{},
		interpreters: map[string]*Interpreter{},
		parties:      map[string]*Party{},
		avail:        map[string]chkAvail{},
		travel:       map[[2]string]int{},
		byIV:         map[string]*chkPlaced{},
	}
	if err := ck.readFrame(); err != nil {
		return nil, err
	}
	ck.readTravel()
	ck.readResources()
	if err := ck.readInterviews(); err != nil {
		return nil, err
	}
	if err := ck.readBookings(); err != nil {
		return nil, err
	}
	return ck, nil
}

// readFrame reads the grain, the horizon and the start times.
func (ck *chkState) readFrame() error {
	in := ck.in
	var err error
	if ck.grain <= 0 || 1440%ck.grain != 0 {
		return fmt.Errorf("grain_minutes %d does not divide 1440", ck.grain)
	}
	if ck.horizonFrom, err = ParseDate(in.Horizon.Start); err != nil {
		return fmt.Errorf("horizon.start: %v", err)
	}
	if ck.horizonTo, err = ParseDate(in.Horizon.End); err != nil {
		return fmt.Errorf("horizon.end: %v", err)
	}
	if in.StartTimes != nil {
		ck.startTimes = map[int]bool{}
		for i, st := range in.StartTimes {
			m, err := ParseClock(st)
			if err != nil {
				return fmt.Errorf("start_times[%d]: %v", i, err)
			}
			ck.startTimes[m] = true
		}
	}
	return nil
}

// readTravel keeps the first travel time given for each pair of
// locations, both ways.
func (ck *chkState) readTravel() {
	for _, t := range ck.in.TravelMinutes {
		if _, ok := ck.travel[[2]string{t.From, t.To}]; !ok {
			ck.travel[[2]string{t.From, t.To}] = t.Minutes
		}
		if _, ok := ck.travel[[2]string{t.To, t.From}]; !ok {
			ck.travel[[2]string{t.To, t.From}] = t.Minutes
		}
	}
}

// readResources indexes rooms, interviewers, interpreters and parties by
// id (the first of a duplicated id wins).
func (ck *chkState) readResources() {
	in := ck.in
	for i := range in.Rooms {
		if r := &in.Rooms[i]; ck.rooms[r.ID] == nil {
			ck.rooms[r.ID] = r
		}
	}
	for i := range in.Interviewers {
		if e := &in.Interviewers[i]; ck.interviewers[e.ID] == nil {
			ck.interviewers[e.ID] = e
		}
	}
	for i := range in.Interpreters {
		if t := &in.Interpreters[i]; ck.interpreters[t.ID] == nil {
			ck.interpreters[t.ID] = t
		}
	}
	for i := range in.Parties {
		if p := &in.Parties[i]; ck.parties[p.ID] == nil {
			ck.parties[p.ID] = p
		}
	}
}

// readInterviews indexes the interviews by id with their dates parsed.
func (ck *chkState) readInterviews() error {
	var err error
	for i := range ck.in.Interviews {
		iv := &ck.in.Interviews[i]
		if _, dup := ck.interviews[iv.ID]; dup {
			continue
		}
		info := &chkInterview{iv: iv}
		if info.earliest, err = ParseDate(iv.Earliest); err != nil {
			return fmt.Errorf("interview %s earliest: %v", iv.ID, err)
		}
		if iv.Deadline != "" {
			info.hasDeadline = true
			if info.deadline, err = ParseDate(iv.Deadline); err != nil {
				return fmt.Errorf("interview %s deadline: %v", iv.ID, err)
			}
		}
		if iv.Latest != "" {
			info.hasLatest = true
			if info.latest, err = ParseDate(iv.Latest); err != nil {
				return fmt.Errorf("interview %s latest: %v", iv.ID, err)
			}
		}
		ck.interviews[iv.ID] = info
	}
	return nil
}

// readBookings parses the bookings' starts.
func (ck *chkState) readBookings() error {
	var err error
	ck.bookingStart = make([]time.Time, len(ck.in.Bookings))
	for i, b := range ck.in.Bookings {
		if ck.bookingStart[i], err = ParseInstant(b.Start); err != nil {
			return fmt.Errorf("bookings[%d].start: %v", i, err)
		}
	}
	return nil
}

func (ck *chkState) add(rule int, interview, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if interview != "" {
		msg = "interview " + interview + ": " + msg
	}
	ck.violations = append(ck.violations, Violation{Rule: rule, Interview: interview, Message: msg})
}

// when formats an interval as `2026-12-07 08:30–12:30` in local time.
func (ck *chkState) when(x chkSpan) string {
	s, e := x.start.In(ck.loc), x.end.In(ck.loc)
	sd, ed := DateOf(s, ck.loc), DateOf(e, ck.loc)
	if sd == ed || (ed == sd+1 && e.Hour() == 0 && e.Minute() == 0) {
		return s.Format("2006-01-02 15:04") + "–" + e.Format("15:04")
	}
	return s.Format("2006-01-02 15:04") + "–" + e.Format("2006-01-02 15:04")
}

func chkValidMode(m string) bool { return m == ModeOnsite || m == ModeRemote || m == ModeNone }

func chkValidReason(r string) bool {
	switch r {
	case ReasonNoInterpreterLanguage, ReasonNoInterpreterAvailable, ReasonNoInterviewer,
		ReasonNoRoom, ReasonPartyUnavailable, ReasonWindowClosed, ReasonCapacity:
		return true
	}
	return false
}

// structure checks the document itself (Rule 0) and builds ck.assigned:
// its format, each assignment, each unscheduled entry, and that every
// interview is listed.
func (ck *chkState) structure(s *Schedule) {
	if s.Format != ScheduleFormat {
		ck.add(0, "", "the schedule's format is %q, not %q", s.Format, ScheduleFormat)
	}
	listed := map[string]bool{}
	for i := range s.Assignments {
		a := &s.Assignments[i]
		info, ok := ck.interviews[a.Interview]
		if !ok {
			ck.add(0, "", "assignments[%d] names unknown interview %q", i, a.Interview)
			continue
		}
		if listed[a.Interview] {
			ck.add(0, a.Interview, "listed more than once (assignments[%d])", i)
			continue
		}
		listed[a.Interview] = true
		p := ck.place(a, info)
		ck.assigned = append(ck.assigned, p)
		ck.byIV[a.Interview] = p
	}
	for i, u := range s.Unscheduled {
		if _, ok := ck.interviews[u.Interview]; !ok {
			ck.add(0, "", "unscheduled[%d] names unknown interview %q", i, u.Interview)
			continue
		}
		if listed[u.Interview] {
			ck.add(0, u.Interview, "listed more than once (unscheduled[%d])", i)
			continue
		}
		listed[u.Interview] = true
		if !chkValidReason(u.Reason) {
			ck.add(0, u.Interview, "unknown reason code %q", u.Reason)
		}
	}
	seen := map[string]bool{}
	for _, iv := range ck.in.Interviews {
		if !listed[iv.ID] && !seen[iv.ID] {
			ck.add(0, iv.ID, "appears neither in assignments nor in unscheduled")
		}
		seen[iv.ID] = true
	}
}

// place resolves the ids of an assignment of a known interview and parses
// its times, reporting what cannot be read (Rule 0) and an end that is not
// start + duration (Rule 1).
func (ck *chkState) place(a *Assignment, info *chkInterview) *chkPlaced {
	p := &chkPlaced{a: a, info: info, iv: info.iv}
	if r, ok := ck.rooms[a.Room]; ok {
		p.room = r
		if a.Location != r.Location {
			ck.add(0, a.Interview, "location %q is not the location %q of room %s", a.Location, r.Location, r.ID)
		}
	} else {
		ck.add(0, a.Interview, "room %q is unknown", a.Room)
	}
	if e, ok := ck.interviewers[a.Interviewer]; ok {
		p.er = e
	} else {
		ck.add(0, a.Interview, "interviewer %q is unknown", a.Interviewer)
	}
	if a.Interpreter != "" {
		if t, ok := ck.interpreters[a.Interpreter]; ok {
			p.tr = t
		} else {
			ck.add(0, a.Interview, "interpreter %q is unknown", a.Interpreter)
		}
	}
	if !chkValidMode(a.Mode) {
		ck.add(0, a.Interview, "mode %q is not onsite, remote or none", a.Mode)
	} else if a.Mode == ModeNone && a.Interpreter != "" {
		ck.add(0, a.Interview, "interpreter %s is given with mode none", a.Interpreter)
	}
	start, err := ParseInstant(a.Start)
	if err != nil {
		ck.add(0, a.Interview, "start: %v", err)
	} else {
		p.timeOK = true
		p.start = start
		p.end = start.Add(time.Duration(info.iv.DurationMinutes) * time.Minute)
		p.date = DateOf(start, ck.loc)
	}
	if end, err := ParseInstant(a.End); err != nil {
		ck.add(0, a.Interview, "end: %v", err)
	} else if p.timeOK && !end.Equal(p.end) {
		ck.add(1, a.Interview, "end %s is not start + %d minutes (%s)", a.End, info.iv.DurationMinutes, FormatInstant(p.end, ck.loc))
	}
	return p
}

// Rule 1: grain / start_times, and the end by the midnight after the start.
// (end = start + duration is checked in structure, where the end is parsed.)
func (ck *chkState) rule1(p *chkPlaced) {
	if !p.timeOK {
		return
	}
	ls := p.start.In(ck.loc)
	clock := ls.Hour()*60 + ls.Minute()
	switch {
	case ls.Second() != 0 || ls.Nanosecond() != 0 || clock%ck.grain != 0:
		ck.add(1, p.iv.ID, "start %s is not on the %d-minute grain", ls.Format("15:04:05"), ck.grain)
	case ck.startTimes != nil && !ck.startTimes[clock]:
		ck.add(1, p.iv.ID, "start %s is not one of start_times %s", ls.Format("15:04"), strings.Join(ck.in.StartTimes, ", "))
	}
	if midnight := (p.date + 1).Midnight(ck.loc); p.end.After(midnight) {
		ck.add(1, p.iv.ID, "ends %s, after the midnight following its start", FormatInstant(p.end, ck.loc))
	}
}

// Rule 2: start date within [max(earliest, horizon.start), min(latest, horizon.end)].
func (ck *chkState) rule2(p *chkPlaced) {
	if !p.timeOK {
		return
	}
	lo, hi := ck.horizonFrom, ck.horizonTo
	if p.info.earliest > lo {
		lo = p.info.earliest
	}
	if p.info.hasLatest && p.info.latest < hi {
		hi = p.info.latest
	}
	if p.date < lo || p.date > hi {
		ck.add(2, p.iv.ID, "starts on %s, outside its window %s to %s", p.date, lo, hi)
	}
}

// missing returns the elements of want not in have.
func chkMissing(have, want []string) []string {
	var out []string
	for _, w := range want {
		if !chkContains(have, w) {
			out = append(out, w)
		}
	}
	return out
}

func chkContains(list []string, x string) bool {
	for _, y := range list {
		if y == x {
			return true
		}
	}
	return false
}

// Rule 3: room location, features (+video when remote), open.
func (ck *chkState) rule3(p *chkPlaced) {
	r := p.room
	if r == nil {
		return
	}
	if !chkContains(p.iv.Locations, r.Location) {
		ck.add(3, p.iv.ID, "room %s is at %s, not at one of %s", r.ID, r.Location, strings.Join(p.iv.Locations, ", "))
	}
	want := append([]string(nil), p.iv.RoomFeatures...)
	if p.a.Mode == ModeRemote && !chkContains(want, "video") {
		want = append(want, "video")
	}
	if m := chkMissing(r.Features, want); len(m) > 0 {
		ck.add(3, p.iv.ID, "room %s lacks %s", r.ID, strings.Join(m, ", "))
	}
	if p.timeOK && !ck.availOf("room:", r.ID, r.Availability, true).covers(p.span()) {
		ck.add(3, p.iv.ID, "room %s is not open %s", r.ID, ck.when(p.span()))
	}
}

// Rule 4: the interviewer.
func (ck *chkState) rule4(p *chkPlaced) {
	e := p.er
	if e == nil {
		return
	}
	iv := p.iv
	if p.room != nil && e.Location != p.room.Location {
		ck.add(4, iv.ID, "interviewer %s works at %s, not at %s", e.ID, e.Location, p.room.Location)
	}
	if m := chkMissing(e.Skills, iv.InterviewerSkills); len(m) > 0 {
		ck.add(4, iv.ID, "interviewer %s lacks skills %s", e.ID, strings.Join(m, ", "))
	}
	if iv.InterviewerGender != "" && e.Gender != iv.InterviewerGender {
		ck.add(4, iv.ID, "interviewer %s is not of the requested gender %s", e.ID, iv.InterviewerGender)
	}
	if chkContains(iv.ExcludedInterviewers, e.ID) {
		ck.add(4, iv.ID, "interviewer %s is excluded", e.ID)
	}
	if p.timeOK && !ck.availOf("er:", e.ID, e.Availability, false).covers(p.span()) {
		ck.add(4, iv.ID, "interviewer %s is not available %s", e.ID, ck.when(p.span()))
	}
	if !iv.NeedsInterp() {
		if ok, _ := speaksPerSpec(e.Languages, iv.Language, iv.DialectRequired); !ok {
			ck.add(4, iv.ID, "interviewer %s does not speak %s and no interpreter is used", e.ID, iv.Language)
		}
	}
}

// chkModeAllowed reports whether interpreter_mode want allows mode.
func chkModeAllowed(want, mode string) bool {
	switch want {
	case WantOnsite:
		return mode == ModeOnsite
	case WantRemote:
		return mode == ModeRemote
	}
	return mode == ModeOnsite || mode == ModeRemote
}

// Rule 5: the interpreter, or its absence.
func (ck *chkState) rule5(p *chkPlaced) {
	a, iv := p.a, p.iv
	if !iv.NeedsInterp() {
		switch {
		case a.Mode == ModeOnsite || a.Mode == ModeRemote:
			ck.add(5, iv.ID, "needs no interpreter, but mode is %s (must be none, without interpreter)", a.Mode)
		case !chkValidMode(a.Mode) && a.Interpreter != "":
			ck.add(5, iv.ID, "needs no interpreter, but interpreter %s is given", a.Interpreter)
		}
		return
	}
	if a.Interpreter == "" {
		ck.add(5, iv.ID, "needs a %s interpreter, none is assigned", iv.Language)
		return
	}
	t := p.tr
	if t == nil {
		return // unknown id: Rule 0
	}
	if ok, _ := speaksPerSpec(t.Languages, iv.Language, iv.DialectRequired); !ok {
		if iv.DialectRequired {
			ck.add(5, iv.ID, "interpreter %s does not list the required dialect %s", t.ID, iv.Language)
		} else {
			ck.add(5, iv.ID, "interpreter %s does not interpret %s", t.ID, iv.Language)
		}
	}
	if m := chkMissing(t.Skills, iv.InterpreterSkills); len(m) > 0 {
		ck.add(5, iv.ID, "interpreter %s lacks skills %s", t.ID, strings.Join(m, ", "))
	}
	if iv.InterpreterGender != "" && t.Gender != iv.InterpreterGender {
		ck.add(5, iv.ID, "interpreter %s is not of the requested gender %s", t.ID, iv.InterpreterGender)
	}
	if chkContains(iv.ExcludedInterpreters, t.ID) {
		ck.add(5, iv.ID, "interpreter %s is excluded", t.ID)
	}
	if p.timeOK && !ck.availOf("tr:", t.ID, t.Availability, false).covers(p.span()) {
		ck.add(5, iv.ID, "interpreter %s is not available %s", t.ID, ck.when(p.span()))
	}
	if a.Mode != ModeOnsite && a.Mode != ModeRemote {
		return // none with an interpreter, or unknown: Rule 0
	}
	if !chkContains(t.Modes, a.Mode) {
		ck.add(5, iv.ID, "interpreter %s does not work %s", t.ID, a.Mode)
	}
	if !chkModeAllowed(iv.WantMode(), a.Mode) {
		ck.add(5, iv.ID, "mode %s is not allowed by interpreter_mode %s", a.Mode, iv.WantMode())
	}
	if a.Mode == ModeOnsite && p.room != nil && !chkContains(t.Locations, p.room.Location) {
		ck.add(5, iv.ID, "interpreter %s does not work on site at %s", t.ID, p.room.Location)
	}
}

// Rule 9: parties available.
func (ck *chkState) rule9(p *chkPlaced) {
	if !p.timeOK {
		return
	}
	for _, id := range chkParties(p.iv) {
		if _, ok := ck.parties[id]; !ok {
			continue // unknown party: an instance error
		}
		if !ck.availOf("party:", id, ck.parties[id].Availability, true).covers(p.span()) {
			ck.add(9, p.iv.ID, "party %s is not available %s", id, ck.when(p.span()))
		}
	}
}

// chkParties returns the interview's party ids without duplicates.
func chkParties(iv *Interview) []string {
	var out []string
	for _, id := range iv.Parties {
		if !chkContains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// ordered returns p, q with the earlier start first (ties by interview id).
func chkOrdered(p, q *chkPlaced) (*chkPlaced, *chkPlaced) {
	if q.start.Before(p.start) || (q.start.Equal(p.start) && q.iv.ID < p.iv.ID) {
		return q, p
	}
	return p, q
}

// chkPairs returns the pairs (i < j, in schedule order) of assignments with a
// start that share one of the keys keysOf gives them (and, with overlapping,
// overlap in time): the only pairs a pairwise rule needs to look at, found by
// bucket instead of all n² pairs.
func (ck *chkState) chkPairs(overlapping bool, keysOf func(p *chkPlaced) []string) [][2]int {
	buckets := map[string][]int{}
	for i, p := range ck.assigned {
		if !p.timeOK {
			continue
		}
		for _, k := range keysOf(p) {
			buckets[k] = append(buckets[k], i)
		}
	}
	var pairs [][2]int
	for _, b := range buckets {
		if overlapping {
			// by start: the ones that overlap x follow it, up to its end
			slices.SortFunc(b, func(x, y int) int { return ck.assigned[x].start.Compare(ck.assigned[y].start) })
		}
		for x, i := range b {
			for _, j := range b[x+1:] {
				if overlapping && !ck.assigned[j].start.Before(ck.assigned[i].end) {
					break
				}
				if i != j {
					pairs = append(pairs, [2]int{min(i, j), max(i, j)})
				}
			}
		}
	}
	slices.SortFunc(pairs, func(a, b [2]int) int {
		if a[0] != b[0] {
			return a[0] - b[0]
		}
		return a[1] - b[1]
	})
	return slices.Compact(pairs)
}

// Rule 6: no resource in two overlapping interviews. One violation per pair
// and shared resource, reported on the later interview.
func (ck *chkState) rule6() {
	pairs := ck.chkPairs(true, func(p *chkPlaced) []string {
		var keys []string
		if p.room != nil {
			keys = append(keys, "room:"+p.room.ID)
		}
		if p.er != nil {
			keys = append(keys, "er:"+p.er.ID)
		}
		if p.tr != nil {
			keys = append(keys, "tr:"+p.tr.ID)
		}
		for _, id := range chkParties(p.iv) {
			keys = append(keys, "party:"+id)
		}
		return keys
	})
	for _, pq := range pairs {
		p, q := ck.assigned[pq[0]], ck.assigned[pq[1]]
		if !p.timeOK || !q.timeOK || !p.start.Before(q.end) || !q.start.Before(p.end) {
			continue
		}
		first, second := chkOrdered(p, q)
		clash := func(what, id string) {
			ck.add(6, second.iv.ID, "%s %s is also in interview %s (%s and %s)",
				what, id, first.iv.ID, ck.when(first.span()), ck.when(second.span()))
		}
		if p.room != nil && q.room != nil && p.room.ID == q.room.ID {
			clash("room", p.room.ID)
		}
		if p.er != nil && q.er != nil && p.er.ID == q.er.ID {
			clash("interviewer", p.er.ID)
		}
		if p.tr != nil && q.tr != nil && p.tr.ID == q.tr.ID {
			clash("interpreter", p.tr.ID)
		}
		for _, id := range chkParties(p.iv) {
			if _, ok := ck.parties[id]; ok && chkContains(q.iv.Parties, id) {
				clash("party", id)
			}
		}
	}
}

// Rule 7: travel between on-site sessions of one interpreter on one local date.
func (ck *chkState) rule7() {
	pairs := ck.chkPairs(false, func(p *chkPlaced) []string {
		if p.tr == nil {
			return nil
		}
		return []string{p.tr.ID + "|" + p.date.String()}
	})
	for _, pq := range pairs {
		p, q := ck.assigned[pq[0]], ck.assigned[pq[1]]
		if !p.timeOK || !q.timeOK || p.tr == nil || q.tr == nil || p.tr.ID != q.tr.ID ||
			p.a.Mode != ModeOnsite || q.a.Mode != ModeOnsite || p.room == nil || q.room == nil ||
			p.date != q.date || p.room.Location == q.room.Location {
			continue
		}
		first, second := chkOrdered(p, q)
		from, to := first.room.Location, second.room.Location
		need, ok := ck.travel[[2]string{from, to}]
		if !ok {
			ck.add(7, second.iv.ID, "interpreter %s is on site at %s and at %s on %s, with no travel time between them",
				p.tr.ID, from, to, p.date)
			continue
		}
		if gap := second.start.Sub(first.end); gap < time.Duration(need)*time.Minute {
			ck.add(7, second.iv.ID, "interpreter %s has %d minutes from %s (interview %s) to %s, travel needs %d",
				p.tr.ID, int(gap/time.Minute), from, first.iv.ID, to, need)
		}
	}
}

// Rule 8: daily caps, one violation per (person, local date) over the cap.
func (ck *chkState) rule8() {
	type key struct {
		id   string
		date Date
	}
	count := map[key]int{}
	minutes := map[key]int{}
	for _, p := range ck.assigned {
		if !p.timeOK {
			continue
		}
		if p.er != nil {
			count[key{p.er.ID, p.date}]++
		}
		if p.tr != nil {
			minutes[key{p.tr.ID, p.date}] += p.iv.DurationMinutes
		}
	}
	for k, n := range count {
		if limit := ck.interviewers[k.id].MaxInterviewsPerDay; limit != nil && n > *limit {
			ck.add(8, "", "interviewer %s has %d interviews on %s, more than %d", k.id, n, k.date, *limit)
		}
	}
	for k, m := range minutes {
		if limit := ck.interpreters[k.id].MaxMinutesPerDay; limit != nil && m > *limit {
			ck.add(8, "", "interpreter %s has %d minutes on %s, more than %d", k.id, m, k.date, *limit)
		}
	}
}

// differs lists the fields in which assignment p differs from booking b.
func (ck *chkState) differs(p *chkPlaced, b *Booking, bstart time.Time) []string {
	var d []string
	if !p.timeOK || !p.start.Equal(bstart) {
		d = append(d, "start")
	}
	if p.a.Room != b.Room {
		d = append(d, "room")
	}
	if p.a.Interviewer != b.Interviewer {
		d = append(d, "interviewer")
	}
	if p.a.Interpreter != b.Interpreter {
		d = append(d, "interpreter")
	}
	if p.a.Mode != b.Mode {
		d = append(d, "mode")
	}
	return d
}

// Rule 10: pinned bookings unchanged.
func (ck *chkState) rule10() {
	for i := range ck.in.Bookings {
		b := &ck.in.Bookings[i]
		if !b.Pinned {
			continue
		}
		if _, ok := ck.interviews[b.Interview]; !ok {
			continue // an instance error
		}
		p := ck.byIV[b.Interview]
		if p == nil {
			ck.add(10, b.Interview, "the pinned booking is not among the assignments")
			continue
		}
		if d := ck.differs(p, b, ck.bookingStart[i]); len(d) > 0 {
			ck.add(10, b.Interview, "the pinned booking was changed (%s)", strings.Join(d, ", "))
		}
	}
}

// score computes medium and the soft components (Hard is set by Check).
func (ck *chkState) score() Score {
	w := ck.in.ResolveWeights()
	var sc Score
	seen := map[string]bool{}
	for _, iv := range ck.in.Interviews {
		if seen[iv.ID] {
			continue
		}
		seen[iv.ID] = true
		if ck.byIV[iv.ID] == nil {
			sc.Medium += int64(iv.Prio())
		}
	}
	var c Components
	var remote, dialect, continuity, cost int64
	trMinutes := map[string]int64{}
	for _, p := range ck.assigned {
		iv := p.iv
		prio := int64(iv.Prio())
		if p.timeOK {
			// As written: negative for a start before earliest (a Rule 2 violation).
			c.Wait += prio * w.WaitPerDay * int64(p.date-p.info.earliest)
			if p.info.hasDeadline && p.date > p.info.deadline {
				c.Late += prio * w.LatePerDay * int64(p.date-p.info.deadline)
			}
		}
		if p.tr != nil {
			cost += int64(p.tr.CostPerHour.Rate(p.a.Mode)) * int64(iv.DurationMinutes) / 60
			trMinutes[p.tr.ID] += int64(iv.DurationMinutes)
			if iv.NeedsInterp() {
				if _, exact := speaksPerSpec(p.tr.Languages, iv.Language, false); !exact {
					dialect++
				}
			}
		}
		if iv.WantMode() == WantPreferOnsite && p.a.Mode == ModeRemote {
			remote++
		}
		if iv.PreferredInterviewer != "" && p.a.Interviewer != iv.PreferredInterviewer {
			continuity++
		}
	}
	c.Cost = w.Cost * cost
	c.Remote = w.Remote * remote
	c.Dialect = w.Dialect * dialect
	c.Continuity = w.NotPreferred * continuity
	var squares int64
	for _, m := range trMinutes {
		squares += m * m
	}
	c.Fairness = w.Fairness * squares / 3600
	c.Change = ck.changeTerm(w)
	sc.Components = c
	sc.Soft = c.Sum()
	return sc
}

// speaksPerSpec is the checker's own reading of the spec's language match,
// written apart from the optimiser's LanguageMatch so that one mistake
// cannot hide in both: tags are compared lower-cased; the exact tag always
// matches; without dialect_required, so does any tag with the same primary
// subtag (the text before the first "-"). exact tells whether the exact tag
// is listed.
func speaksPerSpec(have []string, want string, dialectRequired bool) (ok, exact bool) {
	lowWant := strings.ToLower(want)
	wantPrimary, _, _ := strings.Cut(lowWant, "-")
	tags := make(map[string]bool, len(have))
	primaries := make(map[string]bool, len(have))
	for _, h := range have {
		low := strings.ToLower(h)
		tags[low] = true
		p, _, _ := strings.Cut(low, "-")
		primaries[p] = true
	}
	if tags[lowWant] {
		return true, true
	}
	if dialectRequired {
		return false, false
	}
	return primaries[wantPrimary], false
}

// changeTerm prices the unpinned bookings by what the schedule does to them
// (the spec's graded change): kept as they are, nothing; kept at the same
// start and location with another room, interviewer, interpreter or mode,
// change_resource; dropped, or at another start or location, change.
func (ck *chkState) changeTerm(w Weights) int64 {
	var moved, swapped int64
	for i := range ck.in.Bookings {
		b := &ck.in.Bookings[i]
		if b.Pinned {
			continue
		}
		if _, ok := ck.interviews[b.Interview]; !ok {
			continue
		}
		p := ck.byIV[b.Interview]
		if p == nil {
			moved++
			continue
		}
		d := ck.differs(p, b, ck.bookingStart[i])
		if len(d) == 0 {
			continue
		}
		if d[0] == "start" || ck.locationOf(p.a.Room) != ck.locationOf(b.Room) {
			moved++
		} else {
			swapped++
		}
	}
	return w.Change*moved + w.ChangeResource*swapped
}

// locationOf is a room's location ("" for an unknown room).
func (ck *chkState) locationOf(room string) string {
	if r := ck.rooms[room]; r != nil {
		return r.Location
	}
	return ""
}
