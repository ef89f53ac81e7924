package solver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"
)

// Problem is one thing wrong with a document, at a JSON path such as
// `interviews[12].language`.
type Problem struct {
	Path    string `json:"path"`
	Message string `json:"message"`
}

func (p Problem) String() string {
	if p.Path == "" {
		return p.Message
	}
	return p.Path + ": " + p.Message
}

// ValidationError lists every problem found in a document.
type ValidationError struct {
	Problems []Problem
	doc      string // what is invalid: "instance" when empty, or "schedule"
}

func (e *ValidationError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	doc := e.doc
	if doc == "" {
		doc = "instance"
	}
	if len(lines) == 1 {
		return "invalid " + doc + ": " + lines[0]
	}
	return fmt.Sprintf("invalid %s: %d problems:\n%s", doc, len(lines), strings.Join(lines, "\n"))
}

// MaxHorizonDays bounds the planning horizon (a year and a day).
const MaxHorizonDays = 367

// ParseInstance reads and validates an interview-instance/v1 document. Unknown
// fields and values of the wrong JSON type are reported with their paths,
// together with every other problem, as a *ValidationError.
func ParseInstance(r io.Reader) (*Instance, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("reading instance: %w", err)
	}
	if !utf8.Valid(data) {
		return nil, &ValidationError{Problems: []Problem{{"", "the document is not valid UTF-8"}}}
	}
	var in Instance
	if err := decodeStrict(data, &in); err != nil {
		return nil, err
	}
	// The id alphabet binds what comes in; instances the service builds
	// itself may name holds with ids of their own.
	probs := idProblems(&in)
	if err := Validate(&in); err != nil {
		var ve *ValidationError
		if !errors.As(err, &ve) {
			return nil, err
		}
		probs = append(probs, ve.Problems...)
	}
	if len(probs) > 0 {
		return nil, &ValidationError{Problems: probs}
	}
	return &in, nil
}

// ParseSchedule reads an interview-schedule/v1 document, rejecting unknown
// fields. It checks the shape only; Check judges the content.
func ParseSchedule(r io.Reader) (*Schedule, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("reading schedule: %w", err)
	}
	var s Schedule
	if err := decodeStrict(data, &s); err != nil {
		var ve *ValidationError
		if errors.As(err, &ve) {
			ve.doc = "schedule"
		}
		return nil, err
	}
	if s.Format != ScheduleFormat {
		return nil, &ValidationError{Problems: []Problem{{"format", fmt.Sprintf("must be %q, not %q", ScheduleFormat, s.Format)}}, doc: "schedule"}
	}
	return &s, nil
}

// decodeStrict decodes one JSON value into v. Syntax errors come back as a
// single problem with the line and column; unknown fields and type mismatches
// as one problem each, with their JSON paths.
func decodeStrict(data []byte, v any) error {
	var raw any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return &ValidationError{Problems: []Problem{{"", syntaxMessage(data, err)}}}
	}
	if _, err := dec.Token(); err != io.EOF {
		return &ValidationError{Problems: []Problem{{"", "unexpected data after the JSON document"}}}
	}
	var probs []Problem
	walkShape(raw, reflect.TypeOf(v).Elem(), "", &probs)
	if len(probs) > 0 {
		return &ValidationError{Problems: probs}
	}
	if err := json.Unmarshal(data, v); err != nil {
		return &ValidationError{Problems: []Problem{{"", syntaxMessage(data, err)}}}
	}
	return nil
}

func syntaxMessage(data []byte, err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		// Offset is just past the offending byte; columns count characters.
		line, col := 1, 1
		for _, c := range data[:max(0, min(int(se.Offset)-1, len(data)))] {
			switch {
			case c == '\n':
				line, col = line+1, 1
			case c&0xC0 != 0x80: // not a UTF-8 continuation byte
				col++
			}
		}
		return fmt.Sprintf("not valid JSON at line %d, column %d: %v", line, col, se)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return "not valid JSON: the document is empty or cut short"
	}
	return "not valid JSON: " + err.Error()
}

func joinPath(base, name string) string {
	if base == "" {
		return name
	}
	return base + "." + name
}

// walkShape compares a generic JSON value with the Go type it will be decoded
// into, reporting unknown fields and wrong JSON types with their paths.
// fieldsByType caches jsonFields: a large document has thousands of objects
// of a handful of types.
var fieldsByType sync.Map // reflect.Type → map[string]reflect.Type

// jsonFields returns the JSON names of struct type t's fields with their
// types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	if f, ok := fieldsByType.Load(t); ok {
		return f.(map[string]reflect.Type)
	}
	fields := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		fields[name] = f.Type
	}
	fieldsByType.Store(t, fields)
	return fields
}

func walkShape(raw any, t reflect.Type, path string, probs *[]Problem) {
	if raw == nil {
		return // null: leaves the zero value
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	bad := func(want string) {
		*probs = append(*probs, Problem{path, fmt.Sprintf("must be %s, not %s", want, jsonKind(raw))})
	}
	switch t.Kind() {
	case reflect.Struct:
		obj, ok := raw.(map[string]any)
		if !ok {
			bad("an object")
			return
		}
		fields := jsonFields(t)
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			ft, ok := fields[k]
			if !ok {
				*probs = append(*probs, Problem{joinPath(path, k), "unknown field"})
				continue
			}
			walkShape(obj[k], ft, joinPath(path, k), probs)
		}
	case reflect.Slice:
		arr, ok := raw.([]any)
		if !ok {
			bad("a list")
			return
		}
		for i, e := range arr {
			walkShape(e, t.Elem(), path+"["+strconv.Itoa(i)+"]", probs)
		}
	case reflect.Map:
		obj, ok := raw.(map[string]any)
		if !ok {
			bad("an object")
			return
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			walkShape(obj[k], t.Elem(), joinPath(path, k), probs)
		}
	case reflect.String:
		if _, ok := raw.(string); !ok {
			bad("a string")
		}
	case reflect.Bool:
		if _, ok := raw.(bool); !ok {
			bad("true or false")
		}
	case reflect.Int, reflect.Int64, reflect.Int32:
		n, ok := raw.(json.Number)
		if !ok {
			bad("a whole number")
			return
		}
		if _, err := strconv.ParseInt(string(n), 10, 32); err != nil {
			*probs = append(*probs, Problem{path, fmt.Sprintf("must be a whole number, not %s", n)})
		}
	}
}

func jsonKind(v any) string {
	switch x := v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "a list"
	case string:
		return strconv.Quote(x)
	case bool:
		return strconv.FormatBool(x)
	case json.Number:
		return string(x)
	}
	return "null"
}

// validator collects problems.
type validator struct {
	probs []Problem
}

func (v *validator) add(path, format string, args ...any) {
	v.probs = append(v.probs, Problem{path, fmt.Sprintf(format, args...)})
}

func idx(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// ids checks that every id of a list is non-empty and unique, and returns the
// set of ids.
func (v *validator) ids(list string, n int, id func(int) string) map[string]int {
	seen := make(map[string]int, n)
	for i := 0; i < n; i++ {
		s := id(i)
		p := idx(list, i) + ".id"
		switch _, dup := seen[s]; {
		case s == "":
			v.add(p, "must not be empty")
		case dup:
			v.add(p, "%q is used twice (also at %s[%d])", s, list, seen[s])
		default:
			seen[s] = i
		}
	}
	return seen
}

func (v *validator) refs(path string, ids []string, known map[string]int, what string) {
	seen := map[string]bool{}
	for i, id := range ids {
		p := idx(path, i)
		if _, ok := known[id]; !ok {
			v.add(p, "unknown %s %q", what, id)
		} else if seen[id] {
			v.add(p, "%s %q is listed twice", what, id)
		}
		seen[id] = true
	}
}

func (v *validator) ref(path, id string, known map[string]int, what string) {
	if _, ok := known[id]; !ok {
		if id == "" {
			v.add(path, "must name %s %s", article(what), what)
		} else {
			v.add(path, "unknown %s %q", what, id)
		}
	}
}

// article returns "a" or "an" for a word.
func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}

func (v *validator) date(path, s string) (Date, bool) {
	d, err := ParseDate(s)
	if err != nil {
		if s == "" {
			v.add(path, "is required (a date YYYY-MM-DD)")
		} else {
			v.add(path, "%v", err)
		}
		return 0, false
	}
	return d, true
}

func (v *validator) tags(path string, tags []string, required bool) {
	if required && len(tags) == 0 {
		v.add(path, "must list at least one language")
	}
	for i, t := range tags {
		v.tag(idx(path, i), t)
	}
}

func (v *validator) tag(path, t string) {
	if !validTag(t) {
		v.add(path, "%q is not a BCP 47 language tag", t)
	}
}

// goodTags remembers tags that parsed (there are few distinct ones); it
// stops growing at maxGoodTags.
var (
	goodTags    sync.Map
	nGoodTags   atomic.Int32
	maxGoodTags = int32(10000)
)

func validTag(t string) bool {
	if _, ok := goodTags.Load(t); ok {
		return true
	}
	if _, err := language.Parse(t); err != nil || t == "" || strings.ContainsAny(t, " _") {
		return false
	}
	if nGoodTags.Add(1) <= maxGoodTags {
		goodTags.Store(t, true)
	}
	return true
}

func (v *validator) words(path string, ws []string) {
	for i, w := range ws {
		if strings.TrimSpace(w) == "" {
			v.add(idx(path, i), "must not be empty")
		}
	}
}

func (v *validator) features(path string, fs []string) {
	for i, f := range fs {
		known := false
		for _, k := range RoomFeatures {
			known = known || f == k
		}
		if !known {
			v.add(idx(path, i), "unknown room feature %q (known: %s)", f, strings.Join(RoomFeatures, ", "))
		}
	}
}

func (v *validator) intervals(path string, ivs []Interval) {
	for i, iv := range ivs {
		s, err1 := ParseInstant(iv.Start)
		e, err2 := ParseInstant(iv.End)
		if err1 == nil && err2 == nil && s.Before(e) {
			continue // the common case: no path string is built
		}
		p := idx(path, i)
		if err1 != nil {
			v.add(p+".start", "%v", err1)
		}
		if err2 != nil {
			v.add(p+".end", "%v", err2)
		}
		if err1 == nil && err2 == nil {
			v.add(p, "the interval is inverted or empty: end %s is not after start %s", iv.End, iv.Start)
		}
	}
}

func (v *validator) nonNegative(path string, n *int) {
	v.between(path, n, 0, maxNumber)
}

// maxNumber bounds counts, minutes and rates that have no tighter limit.
const maxNumber = 1_000_000

// between reports a given number outside [lo, hi].
func (v *validator) between(path string, n *int, lo, hi int) {
	switch {
	case n == nil:
	case *n < lo && lo == 0:
		v.add(path, "must not be negative, not %d", *n)
	case *n < lo:
		v.add(path, "must be at least %d, not %d", lo, *n)
	case *n > hi:
		v.add(path, "must be at most %d, not %d", hi, *n)
	}
}

// Validate reports every problem of an instance at once, as a
// *ValidationError, or nil when the instance is valid. Pinned bookings that
// break a hard constraint, alone or together, are problems too. A valid
// instance may still have interviews with no feasible option: those are
// left unscheduled with a reason, not reported here.
func Validate(in *Instance) error {
	if in == nil {
		return &ValidationError{Problems: []Problem{{"", "no instance"}}}
	}
	v := &validator{}
	loc, grain, grainOK := v.header(in)
	locs := v.locations(in)
	rooms := v.rooms(in, locs)
	interviewers := v.interviewers(in, locs)
	interpreters := v.interpreters(in, locs)
	parties := v.parties(in)
	interviews := v.ids("interviews", len(in.Interviews), func(i int) string { return in.Interviews[i].ID })
	for i := range in.Interviews {
		v.interview(idx("interviews", i), &in.Interviews[i], grain, grainOK, refSets{locs: locs, parties: parties,
			interpreters: interpreters, interviewers: interviewers})
	}
	v.bookings(in, interviews, rooms, interviewers, interpreters)
	v.weights(in)
	if len(v.probs) == 0 && loc != nil {
		v.pinned(in)
	}
	if len(v.probs) > 0 {
		return &ValidationError{Problems: v.probs}
	}
	return nil
}

// header checks the format, time zone, grain, horizon and start times; it
// returns the time zone (nil when bad) and the grain (and whether it is
// usable).
func (v *validator) header(in *Instance) (loc *time.Location, grain int, grainOK bool) {
	if in.Format != InstanceFormat {
		v.add("format", "must be %q, not %q", InstanceFormat, in.Format)
	}
	switch {
	case in.Timezone == "":
		v.add("timezone", "is required (an IANA time zone such as Europe/Helsinki)")
	case in.Timezone == "Local" || strings.HasPrefix(in.Timezone, "/") || strings.Contains(in.Timezone, ".."):
		v.add("timezone", "%q is not an IANA time zone", in.Timezone)
	default:
		l, err := time.LoadLocation(in.Timezone)
		if err != nil {
			v.add("timezone", "%q is not an IANA time zone (e.g. Europe/Helsinki)", in.Timezone)
		}
		loc = l
	}
	grain = in.Grain()
	grainOK = true
	if in.GrainMinutes != nil && (grain <= 0 || 1440%grain != 0) {
		v.add("grain_minutes", "must divide a day of 1440 minutes, %d does not", grain)
		grainOK = false
	}
	hs, ok1 := v.date("horizon.start", in.Horizon.Start)
	he, ok2 := v.date("horizon.end", in.Horizon.End)
	if ok1 && ok2 {
		if he < hs {
			v.add("horizon", "end %s is before start %s", in.Horizon.End, in.Horizon.Start)
		} else if int(he-hs) >= MaxHorizonDays {
			v.add("horizon", "spans %d days; at most %d are allowed", he-hs+1, MaxHorizonDays)
		}
	}
	v.startTimes(in, grain, grainOK)
	return loc, grain, grainOK
}

func (v *validator) startTimes(in *Instance, grain int, grainOK bool) {
	if in.StartTimes != nil && len(in.StartTimes) == 0 {
		v.add("start_times", "must list at least one start time, or be left out to allow any time on the grain")
	}
	seenTimes := map[int]bool{}
	for i, st := range in.StartTimes {
		p := idx("start_times", i)
		m, err := ParseClock(st)
		switch {
		case err != nil:
			v.add(p, "%v", err)
		case grainOK && m%grain != 0:
			v.add(p, "%s is not on the %d-minute grain", st, grain)
		case seenTimes[m]:
			v.add(p, "%s is listed twice", st)
		}
		if err == nil {
			seenTimes[m] = true
		}
	}
}

// locations checks the locations and the travel times between them, and
// returns the location ids.
func (v *validator) locations(in *Instance) map[string]int {
	locs := v.ids("locations", len(in.Locations), func(i int) string { return in.Locations[i].ID })
	for i, l := range in.Locations {
		if strings.TrimSpace(l.Name) == "" {
			v.add(idx("locations", i)+".name", "must not be empty")
		}
		v.name(idx("locations", i)+".name", l.Name)
	}
	pairs := map[[2]string]int{}
	for i, t := range in.TravelMinutes {
		p := idx("travel_minutes", i)
		v.ref(p+".from", t.From, locs, "location")
		v.ref(p+".to", t.To, locs, "location")
		if t.From == t.To && t.From != "" {
			v.add(p, "travel from a location to itself is not needed")
		}
		v.between(p+".minutes", &t.Minutes, 0, 1440)
		key := [2]string{t.From, t.To}
		if t.To < t.From {
			key = [2]string{t.To, t.From}
		}
		if j, dup := pairs[key]; dup {
			v.add(p, "travel between %s and %s is already given at travel_minutes[%d]", t.From, t.To, j)
		}
		pairs[key] = i
	}
	return locs
}

func (v *validator) rooms(in *Instance, locs map[string]int) map[string]int {
	rooms := v.ids("rooms", len(in.Rooms), func(i int) string { return in.Rooms[i].ID })
	for i, r := range in.Rooms {
		p := idx("rooms", i)
		v.ref(p+".location", r.Location, locs, "location")
		v.name(p+".name", r.Name)
		v.features(p+".features", r.Features)
		v.intervals(p+".availability", r.Availability)
	}
	return rooms
}

func (v *validator) interviewers(in *Instance, locs map[string]int) map[string]int {
	interviewers := v.ids("interviewers", len(in.Interviewers), func(i int) string { return in.Interviewers[i].ID })
	for i, e := range in.Interviewers {
		p := idx("interviewers", i)
		v.ref(p+".location", e.Location, locs, "location")
		v.contact(p, e.Name, e.Email, e.Locale)
		v.words(p+".skills", e.Skills)
		v.tags(p+".languages", e.Languages, false)
		if e.Availability == nil {
			v.add(p+".availability", "is required (a list of intervals; [] for never available)")
		}
		v.intervals(p+".availability", e.Availability)
		v.between(p+".max_interviews_per_day", e.MaxInterviewsPerDay, 0, 96)
	}
	return interviewers
}

func (v *validator) interpreters(in *Instance, locs map[string]int) map[string]int {
	interpreters := v.ids("interpreters", len(in.Interpreters), func(i int) string { return in.Interpreters[i].ID })
	for i, t := range in.Interpreters {
		p := idx("interpreters", i)
		v.contact(p, t.Name, t.Email, t.Locale)
		v.tags(p+".languages", t.Languages, true)
		v.words(p+".skills", t.Skills)
		if len(t.Modes) == 0 {
			v.add(p+".modes", "must list onsite, remote or both")
		}
		seen := map[string]bool{}
		for j, m := range t.Modes {
			if m != ModeOnsite && m != ModeRemote {
				v.add(idx(p+".modes", j), "unknown mode %q (onsite or remote)", m)
			} else if seen[m] {
				v.add(idx(p+".modes", j), "mode %q is listed twice", m)
			}
			seen[m] = true
		}
		v.refs(p+".locations", t.Locations, locs, "location")
		if t.Availability == nil {
			v.add(p+".availability", "is required (a list of intervals; [] for never available)")
		}
		v.intervals(p+".availability", t.Availability)
		v.between(p+".max_minutes_per_day", t.MaxMinutesPerDay, 0, 1440)
		if t.CostPerHour != nil {
			v.nonNegative(p+".cost_per_hour.onsite", t.CostPerHour.Onsite)
			v.nonNegative(p+".cost_per_hour.remote", t.CostPerHour.Remote)
		}
	}
	return interpreters
}

func (v *validator) parties(in *Instance) map[string]int {
	parties := v.ids("parties", len(in.Parties), func(i int) string { return in.Parties[i].ID })
	for i, pa := range in.Parties {
		p := idx("parties", i)
		if pa.Kind != PartyCounsel && pa.Kind != PartyRepresentative {
			v.add(p+".kind", "must be %q or %q, not %q", PartyCounsel, PartyRepresentative, pa.Kind)
		}
		v.contact(p, pa.Name, pa.Email, pa.Locale)
		v.intervals(p+".availability", pa.Availability)
	}
	return parties
}

// Locales are the languages of people's messages and pages.
var Locales = []string{"fi", "sv", "en"}

// name checks a display name: one line of printable text.
func (v *validator) name(p, name string) {
	if !DisplayText(name) {
		v.add(p, "must be one line of text without control characters or bidirectional overrides")
	}
}

// DisplayText reports whether s may be shown to people as it is: one line
// with no control characters, and none of the bidirectional embedding,
// override or isolate controls (U+202A–U+202E, U+2066–U+2069) that make a
// name or reason read reversed on a page. Names, reasons and other free text
// people write are checked with it.
func DisplayText(s string) bool { return plainText(s, false) }

// ReasonText is DisplayText for free text of several lines (a reason, a
// note): line breaks and tabs are allowed, other controls and the
// bidirectional overrides are not.
func ReasonText(s string) bool { return plainText(s, true) }

func plainText(s string, lines bool) bool {
	return !strings.ContainsFunc(s, func(r rune) bool {
		if lines && (r == '\n' || r == '\r' || r == '\t') {
			return false
		}
		return r < ' ' || r == 0x7f || (r >= 0x80 && r < 0xa0) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
	})
}

// contact checks a person's optional name, e-mail address and locale. The
// solver ignores them otherwise; they must still make sense to whoever
// writes to the person.
func (v *validator) contact(p, name, email, locale string) {
	v.name(p+".name", name)
	if email != "" {
		if a, err := mail.ParseAddress(email); err != nil || a.Address != email || a.Name != "" {
			v.add(p+".email", "%q is not a plain e-mail address (like name@example.org)", email)
		}
	}
	if locale != "" && !slices.Contains(Locales, locale) {
		v.add(p+".locale", "must be fi, sv or en, not %q", locale)
	}
}

// refSets are the ids an interview may refer to.
type refSets struct{ locs, parties, interpreters, interviewers map[string]int }

// interview checks one interview request at path p.
func (v *validator) interview(p string, iv *Interview, grain int, grainOK bool, refs refSets) {
	if strings.TrimSpace(iv.Case) == "" {
		v.add(p+".case", "must not be empty (a pseudonymous case reference)")
	}
	v.tag(p+".language", iv.Language)
	switch {
	case iv.DurationMinutes <= 0:
		v.add(p+".duration_minutes", "must be positive, not %d", iv.DurationMinutes)
	case iv.DurationMinutes > 1440:
		v.add(p+".duration_minutes", "%d minutes do not fit in a day", iv.DurationMinutes)
	case grainOK && iv.DurationMinutes%grain != 0:
		v.add(p+".duration_minutes", "%d is not a multiple of the %d-minute grain", iv.DurationMinutes, grain)
	}
	v.window(p, iv)
	v.between(p+".priority", iv.Priority, 1, 1000)
	if len(iv.Locations) == 0 {
		v.add(p+".locations", "must list at least one location")
	}
	v.refs(p+".locations", iv.Locations, refs.locs, "location")
	v.words(p+".interviewer_skills", iv.InterviewerSkills)
	v.words(p+".interpreter_skills", iv.InterpreterSkills)
	v.features(p+".room_features", iv.RoomFeatures)
	switch iv.InterpreterMode {
	case "", WantOnsite, WantRemote, WantPreferOnsite, WantAny:
	default:
		v.add(p+".interpreter_mode", "unknown mode %q (onsite, remote, prefer_onsite or any)", iv.InterpreterMode)
	}
	v.refs(p+".parties", iv.Parties, refs.parties, "party")
	v.refs(p+".excluded_interpreters", iv.ExcludedInterpreters, refs.interpreters, "interpreter")
	v.refs(p+".excluded_interviewers", iv.ExcludedInterviewers, refs.interviewers, "interviewer")
	if iv.PreferredInterviewer != "" {
		v.ref(p+".preferred_interviewer", iv.PreferredInterviewer, refs.interviewers, "interviewer")
	}
}

// window checks an interview's earliest, deadline and latest dates.
func (v *validator) window(p string, iv *Interview) {
	ed, okE := v.date(p+".earliest", iv.Earliest)
	var dd, ld Date
	okD, okL := false, false
	if iv.Deadline != "" {
		dd, okD = v.date(p+".deadline", iv.Deadline)
	}
	if iv.Latest != "" {
		ld, okL = v.date(p+".latest", iv.Latest)
	}
	if okE && okL && ld < ed {
		v.add(p+".latest", "%s is before earliest %s", iv.Latest, iv.Earliest)
	}
	if okE && okD && dd < ed {
		v.add(p+".deadline", "%s is before earliest %s", iv.Deadline, iv.Earliest)
	}
}

// bookings checks the current bookings' references and modes.
func (v *validator) bookings(in *Instance, interviews, rooms, interviewers, interpreters map[string]int) {
	booked := map[string]int{}
	for i, b := range in.Bookings {
		p := idx("bookings", i)
		v.ref(p+".interview", b.Interview, interviews, "interview")
		if j, dup := booked[b.Interview]; dup && b.Interview != "" {
			v.add(p+".interview", "interview %q already has a booking at bookings[%d]", b.Interview, j)
		}
		booked[b.Interview] = i
		if _, err := ParseInstant(b.Start); err != nil {
			v.add(p+".start", "%v", err)
		}
		v.ref(p+".room", b.Room, rooms, "room")
		v.ref(p+".interviewer", b.Interviewer, interviewers, "interviewer")
		switch b.Mode {
		case ModeOnsite, ModeRemote:
			v.ref(p+".interpreter", b.Interpreter, interpreters, "interpreter")
		case ModeNone:
			if b.Interpreter != "" {
				v.add(p+".interpreter", "must be absent when mode is none")
			}
		default:
			v.add(p+".mode", "unknown mode %q (onsite, remote or none)", b.Mode)
		}
	}
}

// weights checks that every weight is known and not negative.
func (v *validator) weights(in *Instance) {
	names := make([]string, 0, len(in.Weights))
	for n := range in.Weights {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if _, ok := DefaultWeights[n]; !ok {
			known := make([]string, 0, len(DefaultWeights))
			for k := range DefaultWeights {
				known = append(known, k)
			}
			sort.Strings(known)
			v.add("weights."+n, "unknown weight (known: %s)", strings.Join(known, ", "))
		} else {
			w := in.Weights[n]
			v.nonNegative("weights."+n, &w)
		}
	}
}

// pinned checks the pinned bookings against the hard rules, alone and
// together, by checking the schedule made of them alone.
func (v *validator) pinned(in *Instance) {
	var s Schedule
	s.Format = ScheduleFormat
	at := map[string]int{}
	loc, _ := time.LoadLocation(in.Timezone)
	byID := map[string]*Interview{}
	for i := range in.Interviews {
		byID[in.Interviews[i].ID] = &in.Interviews[i]
	}
	roomLoc := map[string]string{}
	for _, r := range in.Rooms {
		roomLoc[r.ID] = r.Location
	}
	for i, b := range in.Bookings {
		if !b.Pinned {
			continue
		}
		st, _ := ParseInstant(b.Start)
		iv := byID[b.Interview]
		at[b.Interview] = i
		s.Assignments = append(s.Assignments, Assignment{
			Interview:   b.Interview,
			Start:       FormatInstant(st, loc),
			End:         FormatInstant(st.Add(time.Duration(iv.DurationMinutes)*time.Minute), loc),
			Location:    roomLoc[b.Room],
			Room:        b.Room,
			Interviewer: b.Interviewer,
			Interpreter: b.Interpreter,
			Mode:        b.Mode,
		})
	}
	if len(s.Assignments) == 0 {
		return
	}
	for _, iv := range in.Interviews {
		if _, ok := at[iv.ID]; !ok {
			s.Unscheduled = append(s.Unscheduled, Unscheduled{Interview: iv.ID, Reason: ReasonCapacity})
		}
	}
	rep, err := Check(in, &s)
	if err != nil {
		v.add("", "%v", err)
		return
	}
	for _, vi := range rep.Violations {
		if vi.Rule == 0 || vi.Rule == 10 {
			continue
		}
		i, ok := at[vi.Interview]
		if !ok {
			v.add("bookings", "pinned bookings break rule %d: %s", vi.Rule, vi.Message)
			continue
		}
		v.add(idx("bookings", i), "pinned booking breaks rule %d: %s", vi.Rule, vi.Message)
	}
}
