package solver_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/solver"
)

// Table tests of instance validation. Every row starts from the valid
// testdata/example/instance.json, breaks one thing (in Go, or in the raw JSON
// text for shape errors) and expects exactly one problem, at an exact JSON
// path, whose message contains a given text.

const (
	vtExampleInstance = "../testdata/example/instance.json"
	vtExampleSchedule = "../testdata/example/schedule.json"
)

func vtRead(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// vtExample returns a fresh copy of the example instance.
func vtExample(t testing.TB) *solver.Instance {
	t.Helper()
	in, err := solver.ParseInstance(bytes.NewReader(vtRead(t, vtExampleInstance)))
	if err != nil {
		t.Fatalf("the example instance is invalid: %v", err)
	}
	return in
}

func vtInt(n int) *int    { return &n }
func vtBool(b bool) *bool { return &b }

// vtProblems returns the problems of err, failing when err is not a
// *ValidationError.
func vtProblems(t *testing.T, err error) []solver.Problem {
	t.Helper()
	if err == nil {
		t.Fatal("no error, want a *ValidationError")
	}
	var ve *solver.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %T %q is not a *ValidationError", err, err)
	}
	if len(ve.Problems) == 0 {
		t.Fatalf("a *ValidationError without problems: %q", err)
	}
	return ve.Problems
}

// vtExpectOne asserts that err holds exactly one problem, at path, whose
// message contains msg.
func vtExpectOne(t *testing.T, err error, path, msg string) {
	t.Helper()
	probs := vtProblems(t, err)
	if len(probs) != 1 {
		t.Fatalf("%d problems, want 1 at %q:\n%v", len(probs), path, err)
	}
	p := probs[0]
	if p.Path != path {
		t.Errorf("path %q, want %q (message %q)", p.Path, path, p.Message)
	}
	if !strings.Contains(p.Message, msg) {
		t.Errorf("message %q does not contain %q", p.Message, msg)
	}
	if !strings.Contains(err.Error(), msg) {
		t.Errorf("Error() %q does not contain %q", err.Error(), msg)
	}
}

func TestValidateExampleIsValid(t *testing.T) {
	in := vtExample(t)
	if err := solver.Validate(in); err != nil {
		t.Fatal(err)
	}
	s, err := solver.ParseSchedule(bytes.NewReader(vtRead(t, vtExampleSchedule)))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := solver.Check(in, s)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Violations) > 0 {
		t.Fatalf("the example schedule breaks rules: %+v", rep.Violations)
	}
}

func TestValidateGeneratedInstancesAreValid(t *testing.T) {
	files, _ := filepath.Glob("../testdata/instances/*.json")
	files = append(files, vtMustGlob(t, "../testdata/rules/rule*.json")...)
	if len(files) < 10 {
		t.Fatalf("only %d instances under testdata", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			if _, err := solver.ParseInstance(bytes.NewReader(vtRead(t, f))); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func vtMustGlob(t testing.TB, pattern string) []string {
	files, err := filepath.Glob(pattern)
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestValidateNil(t *testing.T) {
	vtExpectOne(t, solver.Validate(nil), "", "no instance")
}

// TestParseInstanceShape breaks the raw JSON text of the example.
func TestParseInstanceShape(t *testing.T) {
	example := string(vtRead(t, vtExampleInstance))
	// replace replaces old, which must occur exactly once, by new.
	replace := func(old, new string) func(*testing.T) string {
		return func(t *testing.T) string {
			if n := strings.Count(example, old); n != 1 {
				t.Fatalf("%q occurs %d times in the example, want once", old, n)
			}
			return strings.Replace(example, old, new, 1)
		}
	}
	literal := func(doc string) func(*testing.T) string { return func(*testing.T) string { return doc } }
	tests := []struct {
		name      string
		doc       func(*testing.T) string
		path, msg string
	}{
		{"unknown field at top level", replace(`"timezone"`, `"timezon": "x", "timezone"`), "timezon", "unknown field"},
		{"unknown nested field", replace(`"language": "ar-IQ"`, `"langauge": "ar-IQ"`), "interviews[0].langauge", "unknown field"},
		{"unknown field in a booking", replace(`"pinned": true`, `"pinned": true, "pined": true`), "bookings[1].pined", "unknown field"},
		{"unknown field is case sensitive", replace(`"grain_minutes"`, `"Grain_Minutes"`), "Grain_Minutes", "unknown field"},
		{"unknown field in cost_per_hour", replace(`{"remote": 50}`, `{"remote": 50, "travel": 5}`), "interpreters[1].cost_per_hour.travel", "unknown field"},
		{"string for a number", replace(`"duration_minutes": 240`, `"duration_minutes": "240"`), "interviews[0].duration_minutes", `must be a whole number, not "240"`},
		{"fraction for a number", replace(`"duration_minutes": 240`, `"duration_minutes": 240.5`), "interviews[0].duration_minutes", "must be a whole number, not 240.5"},
		{"number out of range", replace(`"duration_minutes": 240`, `"duration_minutes": 99999999999`), "interviews[0].duration_minutes", "must be a whole number, not 99999999999"},
		{"number for a string", replace(`"case": "C-101"`, `"case": 101`), "interviews[0].case", "must be a string, not 101"},
		{"string for a bool", replace(`"pinned": true`, `"pinned": "yes"`), "bookings[1].pinned", `must be true or false, not "yes"`},
		{"object for a list", replace(`"skills": ["asylum"], "languages": ["fi", "en"]`, `"skills": {"asylum": 1}, "languages": ["fi", "en"]`), "interviewers[1].skills", "must be a list, not an object"},
		{"list for an object", replace(`"horizon": {"start": "2026-12-07", "end": "2026-12-11"}`, `"horizon": ["2026-12-07", "2026-12-11"]`), "horizon", "must be an object, not a list"},
		{"string for a weight", replace(`"weights": {"change": 400}`, `"weights": {"change": "400"}`), "weights.change", `must be a whole number, not "400"`},
		{"not an object", literal(`["interview-instance/v1"]`), "", "must be an object, not a list"},
		{"syntax error", replace(`"grain_minutes": 15,`, `"grain_minutes": 15`), "", "line 5, column 3"},
		{"syntax error after non-ASCII text", literal("{\"timezone\": \"Ä\" x}"), "", "line 1, column 18"},
		{"syntax error on the first character", literal("x"), "", "line 1, column 1"},
		{"cut short", literal(example[:len(example)/2]), "", "cut short"},
		{"empty", literal(""), "", "empty or cut short"},
		{"trailing data", literal(example + "\n{}"), "", "unexpected data after the JSON document"},
		{"trailing garbage", literal(example + "]"), "", "unexpected data after the JSON document"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := solver.ParseInstance(strings.NewReader(tt.doc(t)))
			vtExpectOne(t, err, tt.path, tt.msg)
			if !strings.HasPrefix(err.Error(), "invalid instance: ") {
				t.Errorf("Error() %q does not start with %q", err, "invalid instance: ")
			}
		})
	}
	t.Run("trailing white space is fine", func(t *testing.T) {
		if _, err := solver.ParseInstance(strings.NewReader(example + "\n \t\n")); err != nil {
			t.Fatal(err)
		}
	})
}

// TestValidateProblems breaks one thing of the example instance at a time.
func TestValidateProblems(t *testing.T) {
	type I = solver.Instance
	tests := []struct {
		name      string
		mutate    func(in *I)
		path, msg string
	}{
		// Document and time.
		{"wrong format", func(in *I) { in.Format = "interview-instance/v2" }, "format", `must be "interview-instance/v1", not "interview-instance/v2"`},
		{"missing format", func(in *I) { in.Format = "" }, "format", `must be "interview-instance/v1", not ""`},
		{"missing timezone", func(in *I) { in.Timezone = "" }, "timezone", "is required"},
		{"bad timezone", func(in *I) { in.Timezone = "Mars/Olympus" }, "timezone", `"Mars/Olympus" is not an IANA time zone`},
		{"Local timezone", func(in *I) { in.Timezone = "Local" }, "timezone", `"Local" is not an IANA time zone`},
		{"timezone path", func(in *I) { in.Timezone = "../../etc/passwd" }, "timezone", "is not an IANA time zone"},
		{"grain 7", func(in *I) { in.GrainMinutes = vtInt(7) }, "grain_minutes", "must divide a day of 1440 minutes, 7 does not"},
		{"grain 0", func(in *I) { in.GrainMinutes = vtInt(0) }, "grain_minutes", "must divide a day of 1440 minutes, 0 does not"},
		{"grain negative", func(in *I) { in.GrainMinutes = vtInt(-15) }, "grain_minutes", "-15 does not"},
		{"horizon end before start", func(in *I) { in.Horizon.End = "2026-12-06" }, "horizon", "end 2026-12-06 is before start 2026-12-07"},
		{"horizon too long", func(in *I) { in.Horizon.End = "2027-12-31" }, "horizon", "at most 367 are allowed"},
		{"horizon start malformed", func(in *I) { in.Horizon.Start = "2026-13-01" }, "horizon.start", `"2026-13-01" is not a date of the form YYYY-MM-DD`},
		{"horizon end missing", func(in *I) { in.Horizon.End = "" }, "horizon.end", "is required"},
		{"start time not HH:MM", func(in *I) { in.StartTimes = []string{"8:30"} }, "start_times[0]", `"8:30" is not a clock time of the form HH:MM`},
		{"start time out of range", func(in *I) { in.StartTimes = []string{"08:30", "24:00"} }, "start_times[1]", "between 00:00 and 23:59"},
		{"start time not on grain", func(in *I) { in.StartTimes = []string{"08:30", "10:20"} }, "start_times[1]", "10:20 is not on the 15-minute grain"},
		{"start time duplicate", func(in *I) { in.StartTimes = []string{"08:30", "10:00", "08:30"} }, "start_times[2]", "08:30 is listed twice"},
		// Names, addresses and locales (ignored by the solver, still checked).
		{"locale de", func(in *I) { in.Interpreters[0].Locale = "de" }, "interpreters[0].locale", `must be fi, sv or en, not "de"`},
		{"locale fi-FI", func(in *I) { in.Interviewers[0].Locale = "fi-FI" }, "interviewers[0].locale", `not "fi-FI"`},
		{"email without domain", func(in *I) { in.Interpreters[0].Email = "samir" }, "interpreters[0].email", "is not a plain e-mail address"},
		{"email with display name", func(in *I) { in.Interpreters[0].Email = "Samir <s@example.org>" }, "interpreters[0].email", "is not a plain e-mail address"},
		{"name with newline", func(in *I) { in.Rooms[0].Name = "Sali\nBcc: x@example.org" }, "rooms[0].name", "one line of text"},
		{"name with a right-to-left override", func(in *I) { in.Interpreters[0].Name = "Samir \u202eodnaloK" }, "interpreters[0].name", "bidirectional overrides"},
		{"office name with a right-to-left override", func(in *I) { in.Locations[0].Name = "Evil \u202eofficE" }, "locations[0].name", "bidirectional overrides"},
		{"name with a bidi isolate", func(in *I) { in.Parties[0].Name = "\u2067Eva Lind\u2069" }, "parties[0].name", "bidirectional overrides"},
		{"party locale", func(in *I) {
			in.Parties = append(in.Parties, solver.Party{ID: "c9", Kind: "counsel", Locale: "EN"})
		}, "parties[1].locale", `not "EN"`},
		// A malformed time must not make a later 00:00 a duplicate.
		{"start time malformed then midnight", func(in *I) { in.StartTimes = []string{"noon", "00:00"} }, "start_times[0]", `"noon" is not a clock time`},

		// Duplicate and empty ids.
		{"duplicate location", func(in *I) { in.Locations = append(in.Locations, solver.Location{ID: "HEL", Name: "Espoo"}) }, "locations[2].id", `"HEL" is used twice (also at locations[0])`},
		{"duplicate room", func(in *I) { in.Rooms = append(in.Rooms, in.Rooms[0]) }, "rooms[2].id", `"HEL-R1" is used twice (also at rooms[0])`},
		{"duplicate interviewer", func(in *I) { in.Interviewers = append(in.Interviewers, in.Interviewers[1]) }, "interviewers[2].id", `"e2" is used twice (also at interviewers[1])`},
		{"duplicate interpreter", func(in *I) { in.Interpreters = append(in.Interpreters, in.Interpreters[0]) }, "interpreters[2].id", `"t1" is used twice (also at interpreters[0])`},
		{"duplicate party", func(in *I) { in.Parties = append(in.Parties, in.Parties[0]) }, "parties[1].id", `"c1" is used twice (also at parties[0])`},
		{"duplicate interview", func(in *I) { in.Interviews = append(in.Interviews, in.Interviews[1]) }, "interviews[2].id", `"I-2" is used twice (also at interviews[1])`},
		{"empty location id", func(in *I) { in.Locations = append(in.Locations, solver.Location{Name: "Espoo"}) }, "locations[2].id", "must not be empty"},
		{"empty interview id", func(in *I) { in.Interviews = append(in.Interviews, in.Interviews[1]); in.Interviews[2].ID = "" }, "interviews[2].id", "must not be empty"},
		{"empty location name", func(in *I) { in.Locations[1].Name = " " }, "locations[1].name", "must not be empty"},
		{"empty case", func(in *I) { in.Interviews[0].Case = "" }, "interviews[0].case", "must not be empty"},

		// References.
		{"room location", func(in *I) { in.Rooms[0].Location = "OUL" }, "rooms[0].location", `unknown location "OUL"`},
		{"room without location", func(in *I) { in.Rooms[0].Location = "" }, "rooms[0].location", "must name a location"},
		{"interviewer location", func(in *I) { in.Interviewers[1].Location = "OUL" }, "interviewers[1].location", `unknown location "OUL"`},
		{"interpreter locations", func(in *I) { in.Interpreters[0].Locations = []string{"HEL", "OUL"} }, "interpreters[0].locations[1]", `unknown location "OUL"`},
		{"interpreter location twice", func(in *I) { in.Interpreters[0].Locations = []string{"HEL", "HEL"} }, "interpreters[0].locations[1]", `location "HEL" is listed twice`},
		{"travel from", func(in *I) { in.TravelMinutes[0].From = "OUL" }, "travel_minutes[0].from", `unknown location "OUL"`},
		{"travel to", func(in *I) { in.TravelMinutes[0].To = "OUL" }, "travel_minutes[0].to", `unknown location "OUL"`},
		{"travel to itself", func(in *I) { in.TravelMinutes[0].To = "HEL" }, "travel_minutes[0]", "travel from a location to itself"},
		{"travel given twice", func(in *I) {
			in.TravelMinutes = append(in.TravelMinutes, solver.Travel{From: "TKU", To: "HEL", Minutes: 140})
		}, "travel_minutes[1]", "already given at travel_minutes[0]"},
		{"travel negative", func(in *I) { in.TravelMinutes[0].Minutes = -1 }, "travel_minutes[0].minutes", "must not be negative, not -1"},
		{"interview locations", func(in *I) { in.Interviews[1].Locations = []string{"OUL"} }, "interviews[1].locations[0]", `unknown location "OUL"`},
		{"interview without locations", func(in *I) { in.Interviews[1].Locations = []string{} }, "interviews[1].locations", "must list at least one location"},
		{"interview parties", func(in *I) { in.Interviews[1].Parties = []string{"c1", "c2"} }, "interviews[1].parties[1]", `unknown party "c2"`},
		{"excluded interpreters", func(in *I) { in.Interviews[0].ExcludedInterpreters = []string{"t9"} }, "interviews[0].excluded_interpreters[0]", `unknown interpreter "t9"`},
		{"excluded interviewers", func(in *I) { in.Interviews[0].ExcludedInterviewers = []string{"e2", "e9"} }, "interviews[0].excluded_interviewers[1]", `unknown interviewer "e9"`},
		{"preferred interviewer", func(in *I) { in.Interviews[1].PreferredInterviewer = "e9" }, "interviews[1].preferred_interviewer", `unknown interviewer "e9"`},
		{"booking interview", func(in *I) { in.Bookings[0].Interview = "I-9" }, "bookings[0].interview", `unknown interview "I-9"`},
		{"booking without interview", func(in *I) { in.Bookings[0].Interview = "" }, "bookings[0].interview", "must name an interview"},
		{"booking room", func(in *I) { in.Bookings[0].Room = "HEL-R9" }, "bookings[0].room", `unknown room "HEL-R9"`},
		{"booking interviewer", func(in *I) { in.Bookings[0].Interviewer = "e9" }, "bookings[0].interviewer", `unknown interviewer "e9"`},
		{"booking interpreter", func(in *I) { in.Bookings[1].Interpreter = "t9" }, "bookings[1].interpreter", `unknown interpreter "t9"`},
		{"booking without interpreter", func(in *I) { in.Bookings[0].Interpreter = "" }, "bookings[0].interpreter", "must name an interpreter"},

		// Languages, features, modes, kinds.
		{"bad interview language", func(in *I) { in.Interviews[0].Language = "xx!!" }, "interviews[0].language", `"xx!!" is not a BCP 47 language tag`},
		{"empty interview language", func(in *I) { in.Interviews[0].Language = "" }, "interviews[0].language", `"" is not a BCP 47 language tag`},
		{"underscore language", func(in *I) { in.Interviews[0].Language = "ar_IQ" }, "interviews[0].language", `"ar_IQ" is not a BCP 47 language tag`},
		{"bad interpreter language", func(in *I) { in.Interpreters[1].Languages = []string{"ti", "tigrinya language"} }, "interpreters[1].languages[1]", `"tigrinya language" is not a BCP 47 language tag`},
		{"interpreter without languages", func(in *I) { in.Interpreters[1].Languages = nil }, "interpreters[1].languages", "must list at least one language"},
		{"bad interviewer language", func(in *I) { in.Interviewers[0].Languages[1] = "sv!" }, "interviewers[0].languages[1]", `"sv!" is not a BCP 47 language tag`},
		{"unknown room feature", func(in *I) { in.Rooms[1].Features = []string{"video", "sauna"} }, "rooms[1].features[1]", `unknown room feature "sauna"`},
		{"unknown required feature", func(in *I) { in.Interviews[0].RoomFeatures = []string{"wheelchair"} }, "interviews[0].room_features[0]", `unknown room feature "wheelchair" (known: video, child_friendly, accessible)`},
		{"unknown interpreter mode", func(in *I) { in.Interpreters[0].Modes = []string{"onsite", "phone"} }, "interpreters[0].modes[1]", `unknown mode "phone" (onsite or remote)`},
		{"interpreter mode twice", func(in *I) { in.Interpreters[0].Modes = []string{"remote", "remote"} }, "interpreters[0].modes[1]", `mode "remote" is listed twice`},
		{"interpreter without modes", func(in *I) { in.Interpreters[1].Modes = []string{} }, "interpreters[1].modes", "must list onsite, remote or both"},
		{"unknown interpreter_mode", func(in *I) { in.Interviews[0].InterpreterMode = "video" }, "interviews[0].interpreter_mode", `unknown mode "video"`},
		{"unknown party kind", func(in *I) { in.Parties[0].Kind = "lawyer" }, "parties[0].kind", `must be "counsel" or "representative", not "lawyer"`},
		{"empty skill", func(in *I) { in.Interviewers[0].Skills = []string{"asylum", ""} }, "interviewers[0].skills[1]", "must not be empty"},
		{"empty required skill", func(in *I) { in.Interviews[0].InterpreterSkills = []string{" "} }, "interviews[0].interpreter_skills[0]", "must not be empty"},

		// Availability.
		{"inverted interval", func(in *I) {
			a := &in.Interviewers[0].Availability[1]
			a.Start, a.End = a.End, a.Start
		}, "interviewers[0].availability[1]", "the interval is inverted or empty"},
		{"empty interval", func(in *I) {
			a := &in.Interpreters[1].Availability[0]
			a.End = a.Start
		}, "interpreters[1].availability[0]", "the interval is inverted or empty"},
		{"empty interval in a room", func(in *I) { in.Rooms[1].Availability[0].End = in.Rooms[1].Availability[0].Start }, "rooms[1].availability[0]", "inverted or empty"},
		{"instant without offset", func(in *I) { in.Parties[0].Availability[0].Start = "2026-12-07T09:00:00" }, "parties[0].availability[0].start", `"2026-12-07T09:00:00" is not an RFC 3339 instant with an offset`},
		{"date for an instant", func(in *I) { in.Interpreters[0].Availability[1].End = "2026-12-09" }, "interpreters[0].availability[1].end", "is not an RFC 3339 instant"},
		{"interviewer availability missing", func(in *I) { in.Interviewers[1].Availability = nil }, "interviewers[1].availability", "is required"},
		{"interpreter availability missing", func(in *I) { in.Interpreters[1].Availability = nil }, "interpreters[1].availability", "is required"},

		// Interviews.
		{"duration not on grain", func(in *I) { in.Interviews[1].DurationMinutes = 100 }, "interviews[1].duration_minutes", "100 is not a multiple of the 15-minute grain"},
		{"duration zero", func(in *I) { in.Interviews[1].DurationMinutes = 0 }, "interviews[1].duration_minutes", "must be positive, not 0"},
		{"duration negative", func(in *I) { in.Interviews[1].DurationMinutes = -90 }, "interviews[1].duration_minutes", "must be positive, not -90"},
		{"duration over a day", func(in *I) { in.Interviews[1].DurationMinutes = 1455 }, "interviews[1].duration_minutes", "do not fit in a day"},
		{"earliest malformed", func(in *I) { in.Interviews[0].Earliest = "2026-12-32" }, "interviews[0].earliest", `"2026-12-32" is not a date of the form YYYY-MM-DD`},
		{"earliest missing", func(in *I) { in.Interviews[0].Earliest = "" }, "interviews[0].earliest", "is required"},
		{"deadline malformed", func(in *I) { in.Interviews[0].Deadline = "next week" }, "interviews[0].deadline", `"next week" is not a date`},
		{"latest malformed", func(in *I) { in.Interviews[0].Latest = "2026/12/10" }, "interviews[0].latest", `"2026/12/10" is not a date`},
		{"latest before earliest", func(in *I) { in.Interviews[0].Latest = "2026-12-06" }, "interviews[0].latest", "2026-12-06 is before earliest 2026-12-07"},
		{"deadline before earliest", func(in *I) { in.Interviews[0].Deadline = "2026-12-01" }, "interviews[0].deadline", "2026-12-01 is before earliest 2026-12-07"},
		{"priority 0", func(in *I) { in.Interviews[0].Priority = vtInt(0) }, "interviews[0].priority", "must be at least 1, not 0"},
		{"priority negative", func(in *I) { in.Interviews[1].Priority = vtInt(-2) }, "interviews[1].priority", "must be at least 1, not -2"},

		// Numbers and weights.
		{"negative max minutes", func(in *I) { in.Interpreters[0].MaxMinutesPerDay = vtInt(-60) }, "interpreters[0].max_minutes_per_day", "must not be negative, not -60"},
		{"priority too high", func(in *I) { in.Interviews[0].Priority = vtInt(3000000000) }, "interviews[0].priority", "must be at most 1000, not 3000000000"},
		{"max minutes over a day", func(in *I) { in.Interpreters[0].MaxMinutesPerDay = vtInt(1441) }, "interpreters[0].max_minutes_per_day", "must be at most 1440, not 1441"},
		{"travel over a day", func(in *I) { in.TravelMinutes[0].Minutes = 5000 }, "travel_minutes[0].minutes", "must be at most 1440, not 5000"},
		{"negative max interviews", func(in *I) { in.Interviewers[0].MaxInterviewsPerDay = vtInt(-1) }, "interviewers[0].max_interviews_per_day", "must not be negative, not -1"},
		{"negative onsite cost", func(in *I) { in.Interpreters[0].CostPerHour.Onsite = vtInt(-60) }, "interpreters[0].cost_per_hour.onsite", "must not be negative, not -60"},
		{"negative remote cost", func(in *I) { in.Interpreters[1].CostPerHour.Remote = vtInt(-1) }, "interpreters[1].cost_per_hour.remote", "must not be negative, not -1"},
		{"unknown weight", func(in *I) { in.Weights["chnage"] = 400 }, "weights.chnage", "unknown weight (known: change, change_resource, cost, dialect_mismatch"},
		{"negative weight", func(in *I) { in.Weights["change"] = -400 }, "weights.change", "must not be negative, not -400"},

		// Bookings.
		{"booking mode none with interpreter", func(in *I) { in.Bookings[0].Mode = "none" }, "bookings[0].interpreter", "must be absent when mode is none"},
		{"booking unknown mode", func(in *I) { in.Bookings[0].Mode = "video" }, "bookings[0].mode", `unknown mode "video" (onsite, remote or none)`},
		{"booking bad start", func(in *I) { in.Bookings[0].Start = "2026-12-08 08:30" }, "bookings[0].start", `"2026-12-08 08:30" is not an RFC 3339 instant`},
		{"two bookings for one interview", func(in *I) { in.Bookings[1].Interview = "I-1" }, "bookings[1].interview", `interview "I-1" already has a booking at bookings[0]`},

		// Pinned bookings that break a hard rule, alone or together.
		{"pinned booking breaks rule 5 alone", func(in *I) {
			// e1 works on 2026-12-07; t1 does not.
			in.Bookings[0].Start = "2026-12-07T08:30:00+02:00"
			in.Bookings[0].Pinned = true
		}, "bookings[0]", "pinned booking breaks rule 5: interview I-1: interpreter t1 is not available 2026-12-07 08:30–12:30"},
		{"pinned booking breaks rule 4 alone", func(in *I) {
			in.Bookings[0].Pinned = true // e1 does not work on 2026-12-08
		}, "bookings[0]", "pinned booking breaks rule 4: interview I-1: interviewer e1 is not available"},
		{"pinned booking breaks rule 2 alone", func(in *I) {
			in.Interviews[1].Earliest = "2026-12-08" // the pinned booking of I-2 is on 2026-12-07
		}, "bookings[1]", "pinned booking breaks rule 2"},
		{"pinned booking off the grain", func(in *I) {
			in.Bookings[1].Start = "2026-12-07T10:05:00+02:00"
		}, "bookings[1]", "pinned booking breaks rule 1"},
		{"pinned bookings break rule 6 together", func(in *I) {
			vtSecondHelsinkiInterview(in)
			in.Bookings = []solver.Booking{
				{Interview: "I-1", Start: "2026-12-09T08:30:00+02:00", Room: "HEL-R1", Interviewer: "e1", Interpreter: "t1", Mode: "onsite", Pinned: true},
				{Interview: "I-3", Start: "2026-12-09T12:00:00+02:00", Room: "HEL-R2", Interviewer: "e1", Mode: "none", Pinned: true},
			}
		}, "bookings[1]", "pinned booking breaks rule 6: interview I-3: interviewer e1 is also in interview I-1"},
		{"pinned bookings break rule 8 together", func(in *I) {
			vtSecondHelsinkiInterview(in)
			in.Interviewers[0].MaxInterviewsPerDay = vtInt(1)
			in.Bookings = []solver.Booking{
				{Interview: "I-1", Start: "2026-12-09T08:30:00+02:00", Room: "HEL-R1", Interviewer: "e1", Interpreter: "t1", Mode: "onsite", Pinned: true},
				{Interview: "I-3", Start: "2026-12-09T13:00:00+02:00", Room: "HEL-R2", Interviewer: "e1", Mode: "none", Pinned: true},
			}
		}, "bookings", "pinned bookings break rule 8: interviewer e1 has 2 interviews on 2026-12-09, more than 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := vtExample(t)
			tt.mutate(in)
			vtExpectOne(t, solver.Validate(in), tt.path, tt.msg)
		})
	}
}

// vtSecondHelsinkiInterview adds a second Helsinki room and an interview I-3
// in Finnish that e1 can hold without an interpreter.
func vtSecondHelsinkiInterview(in *solver.Instance) {
	in.Rooms = append(in.Rooms, solver.Room{ID: "HEL-R2", Location: "HEL", Features: []string{}})
	in.Interviews = append(in.Interviews, solver.Interview{
		ID: "I-3", Case: "C-103", Language: "fi", NeedsInterpreter: vtBool(false), DurationMinutes: 60,
		Earliest: "2026-12-07", Locations: []string{"HEL"},
	})
}

// The rows above must not all pass by accident: the fixtures of the pinned
// rows are valid when the bookings do not clash.
func TestValidatePinnedFixturesValidWithoutClash(t *testing.T) {
	in := vtExample(t)
	vtSecondHelsinkiInterview(in)
	in.Bookings = []solver.Booking{
		{Interview: "I-1", Start: "2026-12-09T08:30:00+02:00", Room: "HEL-R1", Interviewer: "e1", Interpreter: "t1", Mode: "onsite", Pinned: true},
		{Interview: "I-3", Start: "2026-12-09T13:00:00+02:00", Room: "HEL-R2", Interviewer: "e1", Mode: "none", Pinned: true},
	}
	if err := solver.Validate(in); err != nil {
		t.Fatal(err)
	}
	// An unpinned booking that has become infeasible is not a problem.
	in = vtExample(t)
	in.Bookings[0].Start = "2026-12-07T08:30:00+02:00"
	if err := solver.Validate(in); err != nil {
		t.Fatal(err)
	}
}

func TestValidateReportsAllProblemsAtOnce(t *testing.T) {
	in := vtExample(t)
	in.Timezone = "Mars/Olympus"
	in.Rooms[0].Features = append(in.Rooms[0].Features, "sauna")
	in.Interpreters[1].Modes = []string{"phone"}
	in.Interviews[0].Language = "xx!!"
	in.Weights["change"] = -1
	err := solver.Validate(in)
	probs := vtProblems(t, err)
	var paths []string
	for _, p := range probs {
		paths = append(paths, p.Path)
	}
	want := []string{"timezone", "rooms[0].features[2]", "interpreters[1].modes[0]", "interviews[0].language", "weights.change"}
	if !reflect.DeepEqual(paths, want) {
		t.Fatalf("paths %q, want %q\n%v", paths, want, err)
	}
	if !strings.HasPrefix(err.Error(), "invalid instance: 5 problems:\n") {
		t.Errorf("Error() = %q", err)
	}
	if n := strings.Count(err.Error(), "\n"); n != 5 {
		t.Errorf("Error() has %d lines after the first, want 5:\n%s", n, err)
	}

	// Shape problems are all reported too, in document order of their keys.
	doc := strings.Replace(string(vtRead(t, vtExampleInstance)), `"timezone": "Europe/Helsinki"`,
		`"timezone": 3, "zone": "x"`, 1)
	doc = strings.Replace(doc, `"priority": 2`, `"priority": "high", "prio": 2`, 1)
	_, err = solver.ParseInstance(strings.NewReader(doc))
	probs = vtProblems(t, err)
	paths = paths[:0]
	for _, p := range probs {
		paths = append(paths, p.Path)
	}
	sort.Strings(paths)
	want = []string{"interviews[0].prio", "interviews[0].priority", "timezone", "zone"}
	if !reflect.DeepEqual(paths, want) {
		t.Fatalf("paths %q, want %q\n%v", paths, want, err)
	}
}

func TestValidateIsDeterministic(t *testing.T) {
	doc := strings.Replace(string(vtRead(t, vtExampleInstance)), `"weights": {"change": 400}`,
		`"weights": {"wait_per_day": "a", "late_per_day": "b", "cost": "c", "change": "d", "fairness": "e"}`, 1)
	_, err := solver.ParseInstance(strings.NewReader(doc))
	first := err.Error()
	for i := 0; i < 20; i++ {
		_, err := solver.ParseInstance(strings.NewReader(doc))
		if err.Error() != first {
			t.Fatalf("problems in another order:\n%s\n---\n%s", first, err)
		}
	}
	if !strings.Contains(first, "5 problems") {
		t.Fatalf("want 5 problems:\n%s", first)
	}
}

func TestParseSchedule(t *testing.T) {
	example := string(vtRead(t, vtExampleSchedule))
	replace := func(old, new string) string {
		if n := strings.Count(example, old); n != 1 {
			t.Fatalf("%q occurs %d times in the example schedule, want once", old, n)
		}
		return strings.Replace(example, old, new, 1)
	}
	tests := []struct {
		name, doc, path, msg string
	}{
		{"wrong format", replace(`"interview-schedule/v1"`, `"interview-instance/v1"`), "format", `must be "interview-schedule/v1", not "interview-instance/v1"`},
		{"unknown field", replace(`"room": "HEL-R1"`, `"rooom": "HEL-R1"`), "assignments[0].rooom", "unknown field"},
		{"unknown score component", replace(`"change": 400`, `"change": 400, "travel": 0`), "score.components.travel", "unknown field"},
		{"wrong type", replace(`"hard": 0`, `"hard": "0"`), "score.hard", `must be a whole number, not "0"`},
		{"syntax error", replace(`"unscheduled": [],`, `"unscheduled": []`), "", "line 10, column 3"},
		{"trailing data", example + "x", "", "unexpected data after the JSON document"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := solver.ParseSchedule(strings.NewReader(tt.doc))
			vtExpectOne(t, err, tt.path, tt.msg)
			if !strings.HasPrefix(err.Error(), "invalid schedule: ") {
				t.Errorf("Error() %q does not start with %q", err, "invalid schedule: ")
			}
		})
	}
}

// ---------------------------------------------------------------------------
// Fuzzing: parsing never panics; what parses, marshals and parses back to the
// same value.
// ---------------------------------------------------------------------------

var vtBrokenDocs = []string{
	"",
	"{",
	"null",
	"[]",
	`"interview-instance/v1"`,
	"{} {}",
	`{"format": "interview-instance/v1"}`,
	`{"format": "interview-schedule/v1"}`,
	`{"format": "interview-schedule/v1", "assignments": [{"interview": 1}], "score": {"components": []}}`,
	`{"interviews": [{"duration_minutes": "x", "priority": 1e99, "needs_interpreter": "no"}]}`,
	`{"weights": {"a": "b", "change": -1}, "grain_minutes": 0, "horizon": {"start": "2026-02-30"}}`,
	`{"timezone": "Local", "start_times": ["24:00", "00:00", "aa:bb"]}`,
	`{"rooms": [{"availability": []}], "parties": [{"availability": null}]}`,
	"{\"case\": \"\xff\xfe\", \"\xc3\": 1}",
	`[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]`,
}

func FuzzParseInstance(f *testing.F) {
	f.Add(vtRead(f, vtExampleInstance))
	// Large seeds (M, L, XL) make the mutator crawl and add nothing the
	// small ones do not cover.
	for _, p := range append(vtMustGlob(f, "../testdata/instances/*.json"), vtMustGlob(f, "../testdata/rules/rule*.json")...) {
		if b := vtRead(f, p); len(b) <= 64<<10 {
			f.Add(b)
		}
	}
	for _, s := range vtBrokenDocs {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := solver.ParseInstance(bytes.NewReader(data))
		if err != nil {
			vtCheckError(t, err)
			return
		}
		out, err := json.Marshal(in)
		if err != nil {
			t.Fatalf("marshalling a parsed instance: %v", err)
		}
		again, err := solver.ParseInstance(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("a marshalled instance does not parse: %v\n%s", err, out)
		}
		if msg := vtEmptyListLost(in, again); msg != "" {
			t.Fatalf("the round trip loses an empty list: %s", msg)
		}
		a, b := vtNormalized(in), vtNormalized(again)
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("the round trip changes the instance:\n%s\n---\n%s", vtJSON(a), vtJSON(b))
		}
	})
}

func FuzzParseSchedule(f *testing.F) {
	f.Add(vtRead(f, vtExampleSchedule))
	for _, s := range vtBrokenDocs {
		f.Add([]byte(s))
	}
	f.Add([]byte(`{"format": "interview-schedule/v1", "assignments": null, "unscheduled": [{"interview": "I-1", "reason": "x"}],
		"score": {"hard": -1, "medium": 2147483647, "soft": -2147483648, "components": {"wait": 1}},
		"stats": {"solve_ms": 1, "workers": 0}}`))
	in := vtExample(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := solver.ParseSchedule(bytes.NewReader(data))
		if err != nil {
			vtCheckError(t, err)
			return
		}
		// Check judges any schedule without panicking.
		if _, err := solver.Check(in, s); err != nil {
			t.Fatalf("Check of a valid instance: %v", err)
		}
		out, err := json.Marshal(s)
		if err != nil {
			t.Fatalf("marshalling a parsed schedule: %v", err)
		}
		again, err := solver.ParseSchedule(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("a marshalled schedule does not parse: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(s, again) {
			t.Fatalf("the round trip changes the schedule:\n%s\n---\n%s", vtJSON(s), vtJSON(again))
		}
	})
}

// vtCheckError checks the shape of a parse error.
func vtCheckError(t *testing.T, err error) {
	t.Helper()
	var ve *solver.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %T %q is not a *ValidationError", err, err)
	}
	if len(ve.Problems) == 0 {
		t.Fatalf("a *ValidationError without problems")
	}
	for _, p := range ve.Problems {
		if p.Message == "" {
			t.Fatalf("a problem without a message at %q", p.Path)
		}
	}
	_ = err.Error()
}

// vtNormalized returns a copy of v in which empty slices and maps are nil:
// the format gives an empty list and a missing one the same meaning except
// for room and party availability and start_times, which vtEmptyListLost
// compares.
func vtNormalized(v any) any {
	cp := reflect.New(reflect.TypeOf(v).Elem())
	cp.Elem().Set(vtNormalize(reflect.ValueOf(v).Elem()))
	return cp.Interface()
}

func vtNormalize(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		p := reflect.New(v.Type().Elem())
		p.Elem().Set(vtNormalize(v.Elem()))
		return p
	case reflect.Struct:
		out := reflect.New(v.Type()).Elem()
		for i := 0; i < v.NumField(); i++ {
			out.Field(i).Set(vtNormalize(v.Field(i)))
		}
		return out
	case reflect.Slice:
		if v.Len() == 0 {
			return reflect.Zero(v.Type())
		}
		out := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := 0; i < v.Len(); i++ {
			out.Index(i).Set(vtNormalize(v.Index(i)))
		}
		return out
	case reflect.Map:
		if v.Len() == 0 {
			return reflect.Zero(v.Type())
		}
		out := reflect.MakeMapWithSize(v.Type(), v.Len())
		for _, k := range v.MapKeys() {
			out.SetMapIndex(k, vtNormalize(v.MapIndex(k)))
		}
		return out
	}
	return v
}

// vtEmptyListLost reports a list whose emptiness has a meaning of its own
// (an empty room or party availability: never; empty start_times: no start
// allowed) and that became missing (always; any start) on the way from a to b.
func vtEmptyListLost(a, b *solver.Instance) string {
	if (a.StartTimes == nil) != (b.StartTimes == nil) {
		return "start_times: [] became missing"
	}
	for i := range a.Rooms {
		if i < len(b.Rooms) && (a.Rooms[i].Availability == nil) != (b.Rooms[i].Availability == nil) {
			return "rooms[" + a.Rooms[i].ID + "].availability: [] became missing"
		}
	}
	for i := range a.Parties {
		if i < len(b.Parties) && (a.Parties[i].Availability == nil) != (b.Parties[i].Availability == nil) {
			return "parties[" + a.Parties[i].ID + "].availability: [] became missing"
		}
	}
	return ""
}

func vtJSON(v any) string {
	b, _ := json.MarshalIndent(v, "", " ")
	return string(b)
}

// TestInstanceRoundTripKeepsEmptyLists: a room or party with
// "availability": [] is never available, while a missing list means always.
// Marshalling an Instance must keep the difference (a bug of omitempty tags
// once turned never-open rooms into always-open ones). An empty start_times
// list would allow no start at all: it is rejected rather than guessed.
func TestInstanceRoundTripKeepsEmptyLists(t *testing.T) {
	in := vtExample(t)
	in.Rooms[0].Availability = []solver.Interval{}
	in.Parties = append(in.Parties, solver.Party{ID: "r1", Kind: "representative", Availability: []solver.Interval{}})
	if err := solver.Validate(in); err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	again, err := solver.ParseInstance(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if msg := vtEmptyListLost(in, again); msg != "" {
		t.Fatal(msg)
	}
	in.StartTimes = []string{}
	err = solver.Validate(in)
	var ve *solver.ValidationError
	if !errors.As(err, &ve) || len(ve.Problems) != 1 || ve.Problems[0].Path != "start_times" {
		t.Fatalf("an empty start_times list: %v, want one problem at start_times", err)
	}
}

// People and rooms may carry a display name, and people an e-mail address and
// a locale; the solver reads them, keeps them on a round trip and ignores them
// in its results.
func TestInstanceKeepsNamesAndAddresses(t *testing.T) {
	in := vtExample(t)
	in.Rooms[0].Name = "Sali 2"
	in.Interviewers[0].Name, in.Interviewers[0].Email, in.Interviewers[0].Locale = "Aino Virtanen", "aino@example.org", "fi"
	in.Interpreters[0].Name, in.Interpreters[0].Email, in.Interpreters[0].Locale = "Samir Haddad", "samir@example.org", "sv"
	in.Parties = append(in.Parties, solver.Party{ID: "c9", Kind: "counsel", Name: "Eva Lind", Email: "eva@example.org", Locale: "en"})
	out, err := json.Marshal(in)
	require.NoError(t, err)
	for _, want := range []string{`"name":"Sali 2"`, `"email":"aino@example.org"`, `"locale":"sv"`, `"name":"Eva Lind"`} {
		require.Contains(t, string(out), want)
	}
	again, err := solver.ParseInstance(bytes.NewReader(out))
	require.NoError(t, err)
	require.Equal(t, in.Interpreters[0], again.Interpreters[0])
	require.Equal(t, in.Rooms[0], again.Rooms[0])
	require.Equal(t, in.Parties[len(in.Parties)-1], again.Parties[len(again.Parties)-1])

	plain := vtExample(t)
	a, err := solver.Solve(context.Background(), plain, solver.Options{Seed: 1, Iterations: 2000})
	require.NoError(t, err)
	b, err := solver.Solve(context.Background(), again, solver.Options{Seed: 1, Iterations: 2000})
	require.NoError(t, err)
	require.Equal(t, a.Score, b.Score, "names and addresses change the result")
}

func TestDisplayText(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]bool{
		"Aino Mäkinen":            true,
		"سمير الحسيني":            true, // right-to-left script itself is fine
		"Samir \u200fal-Husseini": true, // a right-to-left mark is harmless
		"":                        true,
		"a\nb":                    false,
		"tab\there":               false,
		"\u0085next line":         false,
		"evil \u202eexe.pdf":      false,
		"\u202aembedded":          false,
		"\u2066isolated\u2069":    false,
		"\u2068first strong":      false,
	} {
		require.Equal(t, want, solver.DisplayText(s), "%q", s)
	}
}

func TestReasonText(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]bool{
		"Asiakas on sairaana.\nUusi aika ensi viikolla.": true,
		"tab\there":            true,
		"evil \u202eexe.pdf":   false,
		"\u2066isolated\u2069": false,
		"bell\a":               false,
		"\u0085next line":      false,
	} {
		require.Equal(t, want, solver.ReasonText(s), "%q", s)
	}
}
