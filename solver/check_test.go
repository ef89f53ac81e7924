package solver

import (
	"bytes"
	"encoding/json"
	"math/rand"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// ---------------------------------------------------------------------------
// A small hand-built instance and a valid schedule for it.
//
//	I-1 ar, 120 min, HEL        → 2026-12-07 08:00–10:00 R1 e1 t1 onsite
//	I-2 en, no interpreter, HEL → 2026-12-07 10:00–11:00 R1 e1 (none)
//	I-3 ar, 60 min, HEL or TKU  → 2026-12-07 13:00–14:00 R3 e2 t1 onsite (TKU)
//
// t1 travels HEL→TKU (120 minutes) between I-1 and I-3 with 180 to spare.
// ---------------------------------------------------------------------------

func chkTInt(n int) *int    { return &n }
func chkTBool(b bool) *bool { return &b }

// chkTAt returns the instant of a local (Helsinki, December: +02:00) date and clock time.
func chkTAt(date, clock string) string { return date + "T" + clock + ":00+02:00" }

// chkTDays returns one interval from..to (local clock) for each date from d1 to d2 (same month).
func chkTDays(d1, d2, from, to string) []Interval {
	var out []Interval
	for d := d1; d <= d2; {
		out = append(out, Interval{chkTAt(d, from), chkTAt(d, to)})
		day := int(d[8]-'0')*10 + int(d[9]-'0') + 1
		d = d[:8] + string(rune('0'+day/10)) + string(rune('0'+day%10))
	}
	return out
}

func chkTBase() (*Instance, *Schedule) {
	in := &Instance{
		Format:        InstanceFormat,
		Timezone:      "Europe/Helsinki",
		GrainMinutes:  chkTInt(15),
		Horizon:       DateRange{Start: "2026-12-07", End: "2026-12-11"},
		Locations:     []Location{{ID: "HEL", Name: "Helsinki"}, {ID: "TKU", Name: "Turku"}},
		TravelMinutes: []Travel{{From: "HEL", To: "TKU", Minutes: 120}},
		Rooms: []Room{
			{ID: "R1", Location: "HEL", Features: []string{"video", "accessible"}},
			{ID: "R2", Location: "HEL", Features: []string{}},
			{ID: "R3", Location: "TKU", Features: []string{"video"}, Availability: append([]Interval{
				{Start: chkTAt("2026-12-07", "08:00"), End: chkTAt("2026-12-07", "12:00")},
				{Start: chkTAt("2026-12-07", "12:00"), End: chkTAt("2026-12-07", "16:00")},
			}, chkTDays("2026-12-08", "2026-12-11", "08:00", "16:00")...)},
		},
		Interviewers: []Interviewer{
			{ID: "e1", Location: "HEL", Gender: "f", Skills: []string{"asylum", "minors"}, Languages: []string{"fi", "en"},
				Availability: chkTDays("2026-12-07", "2026-12-11", "08:00", "16:00"), MaxInterviewsPerDay: chkTInt(3)},
			{ID: "e2", Location: "TKU", Gender: "m", Skills: []string{"asylum"}, Languages: []string{"en", "ar-IQ"},
				Availability: chkTDays("2026-12-07", "2026-12-11", "08:00", "16:00")},
			{ID: "e3", Location: "HEL", Gender: "m", Skills: []string{"asylum"}, Languages: []string{"en"},
				Availability: chkTDays("2026-12-07", "2026-12-11", "08:00", "16:00")},
		},
		Interpreters: []Interpreter{
			{ID: "t1", Languages: []string{"ar"}, Gender: "f", Skills: []string{"asylum"},
				Modes: []string{"onsite", "remote"}, Locations: []string{"HEL", "TKU"},
				Availability:     chkTDays("2026-12-07", "2026-12-11", "08:00", "16:00"),
				MaxMinutesPerDay: chkTInt(480), CostPerHour: &Rates{Onsite: chkTInt(60), Remote: chkTInt(40)}},
			{ID: "t2", Languages: []string{"ti", "ar-IQ"}, Gender: "m", Skills: []string{},
				Modes: []string{"remote"}, Locations: []string{},
				Availability: chkTDays("2026-12-07", "2026-12-11", "08:00", "16:00"),
				CostPerHour:  &Rates{Remote: chkTInt(50)}},
		},
		Parties: []Party{
			{ID: "c1", Kind: PartyCounsel, Availability: []Interval{{Start: chkTAt("2026-12-07", "08:00"), End: chkTAt("2026-12-07", "12:00")}}},
			{ID: "r1", Kind: PartyRepresentative},
		},
		Interviews: []Interview{
			{ID: "I-1", Case: "C-1", Language: "ar", DurationMinutes: 120, Earliest: "2026-12-07", Locations: []string{"HEL"}},
			{ID: "I-2", Case: "C-2", Language: "en", NeedsInterpreter: chkTBool(false), DurationMinutes: 60, Earliest: "2026-12-07", Locations: []string{"HEL"}},
			{ID: "I-3", Case: "C-3", Language: "ar", DurationMinutes: 60, Earliest: "2026-12-07", Locations: []string{"HEL", "TKU"}},
		},
	}
	s := &Schedule{
		Format: ScheduleFormat,
		Assignments: []Assignment{
			{Interview: "I-1", Start: chkTAt("2026-12-07", "08:00"), End: chkTAt("2026-12-07", "10:00"), Location: "HEL", Room: "R1", Interviewer: "e1", Interpreter: "t1", Mode: "onsite"},
			{Interview: "I-2", Start: chkTAt("2026-12-07", "10:00"), End: chkTAt("2026-12-07", "11:00"), Location: "HEL", Room: "R1", Interviewer: "e1", Mode: "none"},
			{Interview: "I-3", Start: chkTAt("2026-12-07", "13:00"), End: chkTAt("2026-12-07", "14:00"), Location: "TKU", Room: "R3", Interviewer: "e2", Interpreter: "t1", Mode: "onsite"},
		},
		Unscheduled: []Unscheduled{},
	}
	return in, s
}

func chkTIV(in *Instance, id string) *Interview {
	for i := range in.Interviews {
		if in.Interviews[i].ID == id {
			return &in.Interviews[i]
		}
	}
	panic("no interview " + id)
}

func chkTAsg(s *Schedule, id string) *Assignment {
	for i := range s.Assignments {
		if s.Assignments[i].Interview == id {
			return &s.Assignments[i]
		}
	}
	panic("no assignment " + id)
}

// chkTMove sets the start of id's assignment and the matching end.
func chkTMove(in *Instance, s *Schedule, id, start string) {
	a := chkTAsg(s, id)
	t, err := ParseInstant(start)
	if err != nil {
		panic(err)
	}
	a.Start = start
	a.End = FormatInstant(t.Add(time.Duration(chkTIV(in, id).DurationMinutes)*time.Minute), t.Location())
}

// chkTPlace moves id to room (and its location) and interviewer.
func chkTPlace(in *Instance, s *Schedule, id, room, er string) {
	a := chkTAsg(s, id)
	a.Room, a.Interviewer = room, er
	for _, r := range in.Rooms {
		if r.ID == room {
			a.Location = r.Location
		}
	}
}

// chkTUnschedule moves id from assignments to unscheduled.
func chkTUnschedule(s *Schedule, id, reason string) {
	out := s.Assignments[:0]
	for _, a := range s.Assignments {
		if a.Interview != id {
			out = append(out, a)
		}
	}
	s.Assignments = out
	s.Unscheduled = append(s.Unscheduled, Unscheduled{Interview: id, Reason: reason})
}

func chkTRemove(s *Schedule, id string) {
	out := s.Assignments[:0]
	for _, a := range s.Assignments {
		if a.Interview != id {
			out = append(out, a)
		}
	}
	s.Assignments = out
}

func chkTRun(t *testing.T, in *Instance, s *Schedule) *Report {
	t.Helper()
	rep, err := Check(in, s)
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	if rep.Score.Hard != int64(len(rep.Violations)) {
		t.Fatalf("hard %d != %d violations", rep.Score.Hard, len(rep.Violations))
	}
	return rep
}

func TestCheckBaseInstanceIsValid(t *testing.T) {
	in, s := chkTBase()
	if err := Validate(in); err != nil {
		t.Fatalf("the test instance must be valid: %v", err)
	}
	rep := chkTRun(t, in, s)
	if len(rep.Violations) != 0 {
		t.Fatalf("base schedule: %v", rep.Violations)
	}
}

func TestCheckRules(t *testing.T) {
	const valid = -1
	fullWeek := []Interval{{Start: chkTAt("2026-12-06", "00:00"), End: chkTAt("2026-12-14", "00:00")}}
	cases := []struct {
		name string
		mut  func(in *Instance, s *Schedule)
		rule int    // valid: no violation at all
		iv   string // the interview the single violation names
		msg  string // optional: the exact message
	}{
		{"base", func(in *Instance, s *Schedule) {}, valid, "", ""},

		// Rule 0: the document itself.
		{"r0 wrong format", func(in *Instance, s *Schedule) { s.Format = "interview-schedule/v2" }, 0, "", ""},
		{"r0 unknown interview", func(in *Instance, s *Schedule) {
			a := *chkTAsg(s, "I-2")
			a.Interview = "I-9"
			s.Assignments = append(s.Assignments, a)
		}, 0, "", ""},
		{"r0 assigned twice", func(in *Instance, s *Schedule) {
			s.Assignments = append(s.Assignments, *chkTAsg(s, "I-2"))
		}, 0, "I-2", ""},
		{"r0 assigned and unscheduled", func(in *Instance, s *Schedule) {
			s.Unscheduled = append(s.Unscheduled, Unscheduled{Interview: "I-2", Reason: ReasonCapacity})
		}, 0, "I-2", ""},
		{"r0 unscheduled twice", func(in *Instance, s *Schedule) {
			chkTUnschedule(s, "I-2", ReasonCapacity)
			chkTUnschedule(s, "I-2", ReasonNoRoom)
		}, 0, "I-2", ""},
		{"r0 missing", func(in *Instance, s *Schedule) { chkTRemove(s, "I-2") }, 0, "I-2",
			"interview I-2: appears neither in assignments nor in unscheduled"},
		{"r0 unscheduled unknown interview", func(in *Instance, s *Schedule) {
			s.Unscheduled = append(s.Unscheduled, Unscheduled{Interview: "I-9", Reason: ReasonCapacity})
		}, 0, "", ""},
		{"r0 unknown reason", func(in *Instance, s *Schedule) { chkTUnschedule(s, "I-2", "busy") }, 0, "I-2", ""},
		{"unscheduled with a reason is valid", func(in *Instance, s *Schedule) { chkTUnschedule(s, "I-2", ReasonCapacity) }, valid, "", ""},
		{"r0 unknown room", func(in *Instance, s *Schedule) { chkTAsg(s, "I-2").Room = "R9" }, 0, "I-2", ""},
		{"r0 unknown interviewer", func(in *Instance, s *Schedule) { chkTAsg(s, "I-2").Interviewer = "e9" }, 0, "I-2", ""},
		{"r0 unknown interpreter", func(in *Instance, s *Schedule) { chkTAsg(s, "I-1").Interpreter = "t9" }, 0, "I-1", ""},
		{"r0 bad start", func(in *Instance, s *Schedule) { chkTAsg(s, "I-2").Start = "2026-12-07 10:00" }, 0, "I-2", ""},
		{"r0 start without offset", func(in *Instance, s *Schedule) { chkTAsg(s, "I-2").Start = "2026-12-07T10:00:00" }, 0, "I-2", ""},
		{"r0 bad end", func(in *Instance, s *Schedule) { chkTAsg(s, "I-2").End = "later" }, 0, "I-2", ""},
		{"r0 location is not the room's", func(in *Instance, s *Schedule) { chkTAsg(s, "I-2").Location = "TKU" }, 0, "I-2", ""},
		{"r0 interpreter with mode none", func(in *Instance, s *Schedule) { chkTAsg(s, "I-1").Mode = ModeNone }, 0, "I-1", ""},
		{"r0 unknown mode", func(in *Instance, s *Schedule) { chkTAsg(s, "I-1").Mode = "video" }, 0, "I-1", ""},

		// Rule 1: grain, start_times, end, midnight.
		{"r1 off grain", func(in *Instance, s *Schedule) { chkTMove(in, s, "I-2", chkTAt("2026-12-07", "10:10")) }, 1, "I-2", ""},
		{"r1 seconds", func(in *Instance, s *Schedule) {
			chkTMove(in, s, "I-2", "2026-12-07T10:00:30+02:00")
		}, 1, "I-2", ""},
		{"r1 grain 30", func(in *Instance, s *Schedule) {
			in.GrainMinutes = chkTInt(30)
			chkTMove(in, s, "I-2", chkTAt("2026-12-07", "10:15"))
		}, 1, "I-2", ""},
		{"r1 end is not start+duration", func(in *Instance, s *Schedule) { chkTAsg(s, "I-2").End = chkTAt("2026-12-07", "11:15") }, 1, "I-2", ""},
		{"r1 start_times hit", func(in *Instance, s *Schedule) { in.StartTimes = []string{"08:00", "10:00", "13:00"} }, valid, "", ""},
		{"r1 start_times miss", func(in *Instance, s *Schedule) { in.StartTimes = []string{"08:00", "13:00"} }, 1, "I-2", ""},
		{"r1 clock read locally, not from the string", func(in *Instance, s *Schedule) {
			a := chkTAsg(s, "I-2")
			a.Start, a.End = "2026-12-07T08:00:00Z", "2026-12-07T09:00:00Z" // 10:00–11:00 in Helsinki
			in.StartTimes = []string{"08:00", "10:00", "13:00"}
		}, valid, "", ""},
		{"r1 clock in another offset is off the start_times", func(in *Instance, s *Schedule) {
			a := chkTAsg(s, "I-2")
			a.Start, a.End = "2026-12-07T13:00:00+03:00", "2026-12-07T14:00:00+03:00" // 12:00 in Helsinki
			in.StartTimes = []string{"08:00", "10:00", "13:00"}
		}, 1, "I-2", ""},
		{"r1 ends at midnight", func(in *Instance, s *Schedule) {
			in.Interviewers[0].Availability = fullWeek
			chkTMove(in, s, "I-2", chkTAt("2026-12-07", "23:00"))
		}, valid, "", ""},
		{"r1 ends after midnight", func(in *Instance, s *Schedule) {
			in.Interviewers[0].Availability = fullWeek
			chkTIV(in, "I-2").DurationMinutes = 120
			chkTMove(in, s, "I-2", chkTAt("2026-12-07", "23:00"))
		}, 1, "I-2", ""},

		// Rule 2: the date window.
		{"r2 before earliest", func(in *Instance, s *Schedule) { chkTIV(in, "I-2").Earliest = "2026-12-08" }, 2, "I-2", ""},
		{"r2 after latest", func(in *Instance, s *Schedule) {
			chkTIV(in, "I-2").Latest = "2026-12-07"
			chkTMove(in, s, "I-2", chkTAt("2026-12-08", "10:00"))
		}, 2, "I-2", ""},
		{"r2 on latest", func(in *Instance, s *Schedule) { chkTIV(in, "I-2").Latest = "2026-12-07" }, valid, "", ""},
		{"r2 after horizon", func(in *Instance, s *Schedule) {
			in.Interviewers[0].Availability = fullWeek
			chkTMove(in, s, "I-2", chkTAt("2026-12-12", "10:00"))
		}, 2, "I-2", ""},
		{"r2 before horizon", func(in *Instance, s *Schedule) {
			in.Interviewers[0].Availability = fullWeek
			chkTMove(in, s, "I-2", chkTAt("2026-12-06", "10:00"))
		}, 2, "I-2", ""},
		{"r2 local date (UTC 12-07 is 12-08 in Helsinki) after latest", func(in *Instance, s *Schedule) {
			in.Interviewers[0].Availability = fullWeek
			chkTIV(in, "I-2").Latest = "2026-12-07"
			a := chkTAsg(s, "I-2")
			a.Start, a.End = "2026-12-07T22:30:00Z", "2026-12-07T23:30:00Z"
		}, 2, "I-2", ""},
		{"r2 local date on earliest", func(in *Instance, s *Schedule) {
			in.Interviewers[0].Availability = fullWeek
			chkTIV(in, "I-2").Earliest = "2026-12-08"
			a := chkTAsg(s, "I-2")
			a.Start, a.End = "2026-12-07T22:30:00Z", "2026-12-07T23:30:00Z"
		}, valid, "", ""},

		// Rule 3: the room.
		{"r3 room at a location the applicant cannot attend", func(in *Instance, s *Schedule) { chkTPlace(in, s, "I-2", "R3", "e2") }, 3, "I-2", ""},
		{"r3 missing feature", func(in *Instance, s *Schedule) {
			chkTIV(in, "I-1").RoomFeatures = []string{"accessible"}
			chkTPlace(in, s, "I-1", "R2", "e1")
		}, 3, "I-1", "interview I-1: room R2 lacks accessible"},
		{"r3 feature present", func(in *Instance, s *Schedule) { chkTIV(in, "I-1").RoomFeatures = []string{"accessible", "video"} }, valid, "", ""},
		{"r3 remote needs video", func(in *Instance, s *Schedule) {
			chkTPlace(in, s, "I-1", "R2", "e1")
			chkTAsg(s, "I-1").Mode = ModeRemote
		}, 3, "I-1", ""},
		{"r3 remote with video", func(in *Instance, s *Schedule) { chkTAsg(s, "I-1").Mode = ModeRemote }, valid, "", ""},
		{"r3 room closed", func(in *Instance, s *Schedule) {
			in.Rooms[1].Availability = []Interval{{Start: chkTAt("2026-12-07", "09:00"), End: chkTAt("2026-12-07", "10:00")}}
			chkTPlace(in, s, "I-1", "R2", "e1")
		}, 3, "I-1", "interview I-1: room R2 is not open 2026-12-07 08:00–10:00"},
		{"r3 touching intervals merge", func(in *Instance, s *Schedule) {
			in.Rooms[1].Availability = []Interval{
				{Start: chkTAt("2026-12-07", "08:00"), End: chkTAt("2026-12-07", "09:00")},
				{Start: chkTAt("2026-12-07", "09:00"), End: chkTAt("2026-12-07", "10:00")}}
			chkTPlace(in, s, "I-1", "R2", "e1")
		}, valid, "", ""},
		{"r3 overlapping unsorted intervals merge", func(in *Instance, s *Schedule) {
			in.Rooms[1].Availability = []Interval{
				{Start: chkTAt("2026-12-07", "09:00"), End: chkTAt("2026-12-07", "10:00")},
				{Start: "2026-12-07T06:00:00Z", End: "2026-12-07T07:30:00Z"}} // 08:00–09:30 local
			chkTPlace(in, s, "I-1", "R2", "e1")
		}, valid, "", ""},
		{"r3 gap between intervals", func(in *Instance, s *Schedule) {
			in.Rooms[1].Availability = []Interval{
				{Start: chkTAt("2026-12-07", "08:00"), End: chkTAt("2026-12-07", "09:00")},
				{Start: chkTAt("2026-12-07", "09:15"), End: chkTAt("2026-12-07", "10:00")}}
			chkTPlace(in, s, "I-1", "R2", "e1")
		}, 3, "I-1", ""},
		{"r3 empty availability is never open", func(in *Instance, s *Schedule) {
			in.Rooms[1].Availability = []Interval{}
			chkTPlace(in, s, "I-1", "R2", "e1")
		}, 3, "I-1", ""},

		// Rule 4: the interviewer.
		{"r4 interviewer at another location", func(in *Instance, s *Schedule) { chkTAsg(s, "I-2").Interviewer = "e2" }, 4, "I-2", ""},
		{"r4 skills", func(in *Instance, s *Schedule) {
			chkTIV(in, "I-2").InterviewerSkills = []string{"asylum", "trafficking"}
		}, 4, "I-2", ""},
		{"r4 skills present", func(in *Instance, s *Schedule) { chkTIV(in, "I-2").InterviewerSkills = []string{"minors", "asylum"} }, valid, "", ""},
		{"r4 gender", func(in *Instance, s *Schedule) { chkTIV(in, "I-2").InterviewerGender = "m" }, 4, "I-2", ""},
		{"r4 gender matches", func(in *Instance, s *Schedule) { chkTIV(in, "I-2").InterviewerGender = "f" }, valid, "", ""},
		{"r4 excluded", func(in *Instance, s *Schedule) { chkTIV(in, "I-2").ExcludedInterviewers = []string{"e2", "e1"} }, 4, "I-2", ""},
		{"r4 not available", func(in *Instance, s *Schedule) { chkTMove(in, s, "I-2", chkTAt("2026-12-07", "15:30")) }, 4, "I-2",
			"interview I-2: interviewer e1 is not available 2026-12-07 15:30–16:30"},
		{"r4 available to the end", func(in *Instance, s *Schedule) { chkTMove(in, s, "I-2", chkTAt("2026-12-07", "15:00")) }, valid, "", ""},
		{"r4 language", func(in *Instance, s *Schedule) { chkTIV(in, "I-2").Language = "sv" }, 4, "I-2", ""},
		{"r4 language case-insensitive", func(in *Instance, s *Schedule) { chkTIV(in, "I-2").Language = "EN" }, valid, "", ""},
		{"r4 dialect by primary subtag", func(in *Instance, s *Schedule) { chkTIV(in, "I-2").Language = "en-GB" }, valid, "", ""},
		{"r4 dialect required", func(in *Instance, s *Schedule) {
			chkTIV(in, "I-2").Language = "en-GB"
			chkTIV(in, "I-2").DialectRequired = true
		}, 4, "I-2", ""},

		// Rule 5: the interpreter.
		{"r5 missing interpreter", func(in *Instance, s *Schedule) { chkTAsg(s, "I-1").Interpreter = "" }, 5, "I-1", ""},
		{"r5 language", func(in *Instance, s *Schedule) { chkTIV(in, "I-1").Language = "ti" }, 5, "I-1", ""},
		{"r5 dialect by primary subtag", func(in *Instance, s *Schedule) { chkTIV(in, "I-1").Language = "ar-IQ" }, valid, "", ""},
		{"r5 dialect required", func(in *Instance, s *Schedule) {
			chkTIV(in, "I-1").Language = "ar-IQ"
			chkTIV(in, "I-1").DialectRequired = true
		}, 5, "I-1", ""},
		{"r5 dialect required and listed", func(in *Instance, s *Schedule) {
			chkTIV(in, "I-1").Language = "AR-iq"
			chkTIV(in, "I-1").DialectRequired = true
			a := chkTAsg(s, "I-1")
			a.Interpreter, a.Mode = "t2", ModeRemote
		}, valid, "", ""},
		{"r5 skills", func(in *Instance, s *Schedule) { chkTIV(in, "I-1").InterpreterSkills = []string{"medical"} }, 5, "I-1", ""},
		{"r5 gender", func(in *Instance, s *Schedule) { chkTIV(in, "I-1").InterpreterGender = "m" }, 5, "I-1", ""},
		{"r5 excluded", func(in *Instance, s *Schedule) { chkTIV(in, "I-1").ExcludedInterpreters = []string{"t1"} }, 5, "I-1", ""},
		{"r5 not available", func(in *Instance, s *Schedule) {
			in.Interpreters[0].Availability = []Interval{{Start: chkTAt("2026-12-07", "09:00"), End: chkTAt("2026-12-07", "16:00")}}
		}, 5, "I-1", "interview I-1: interpreter t1 is not available 2026-12-07 08:00–10:00"},
		{"r5 mode not among its modes", func(in *Instance, s *Schedule) {
			in.Interpreters[0].Modes = []string{"remote"}
			chkTAsg(s, "I-3").Mode = ModeRemote
		}, 5, "I-1", ""},
		{"r5 interpreter_mode onsite, held remote", func(in *Instance, s *Schedule) {
			chkTIV(in, "I-1").InterpreterMode = WantOnsite
			chkTAsg(s, "I-1").Mode = ModeRemote
		}, 5, "I-1", ""},
		{"r5 interpreter_mode remote, held onsite", func(in *Instance, s *Schedule) { chkTIV(in, "I-1").InterpreterMode = WantRemote }, 5, "I-1", ""},
		{"r5 interpreter_mode prefer_onsite allows remote", func(in *Instance, s *Schedule) {
			chkTIV(in, "I-1").InterpreterMode = WantPreferOnsite
			chkTAsg(s, "I-1").Mode = ModeRemote
		}, valid, "", ""},
		{"r5 not on site at this location", func(in *Instance, s *Schedule) { in.Interpreters[0].Locations = []string{"TKU"} }, 5, "I-1", ""},
		{"r5 remote anywhere", func(in *Instance, s *Schedule) {
			in.Interpreters[0].Locations = []string{"TKU"}
			chkTAsg(s, "I-1").Mode = ModeRemote
		}, valid, "", ""},
		{"r5 no interpreter needed, one given", func(in *Instance, s *Schedule) {
			a := chkTAsg(s, "I-2")
			a.Interpreter, a.Mode = "t1", ModeOnsite
		}, 5, "I-2", ""},
		{"r5 no interpreter needed, mode remote", func(in *Instance, s *Schedule) { chkTAsg(s, "I-2").Mode = ModeRemote }, 5, "I-2", ""},

		// Rule 6: double bookings.
		{"r6 room", func(in *Instance, s *Schedule) {
			chkTMove(in, s, "I-2", chkTAt("2026-12-07", "09:00"))
			chkTPlace(in, s, "I-2", "R1", "e3")
		}, 6, "I-2", ""},
		{"r6 interviewer", func(in *Instance, s *Schedule) {
			chkTMove(in, s, "I-2", chkTAt("2026-12-07", "09:45"))
			chkTPlace(in, s, "I-2", "R2", "e1")
		}, 6, "I-2", ""},
		{"r6 interpreter (remote too)", func(in *Instance, s *Schedule) {
			chkTMove(in, s, "I-3", chkTAt("2026-12-07", "09:00"))
			chkTAsg(s, "I-3").Mode = ModeRemote
		}, 6, "I-3", ""},
		{"r6 party", func(in *Instance, s *Schedule) {
			chkTIV(in, "I-1").Parties = []string{"r1"}
			chkTIV(in, "I-2").Parties = []string{"r1"}
			chkTMove(in, s, "I-2", chkTAt("2026-12-07", "09:00"))
			chkTPlace(in, s, "I-2", "R2", "e3")
		}, 6, "I-2", ""},
		{"r6 same start: reported on the larger id", func(in *Instance, s *Schedule) {
			chkTIV(in, "I-1").Parties = []string{"r1"}
			chkTIV(in, "I-2").Parties = []string{"r1"}
			chkTMove(in, s, "I-2", chkTAt("2026-12-07", "08:00"))
			chkTPlace(in, s, "I-2", "R2", "e3")
		}, 6, "I-2", ""},
		{"r6 party apart", func(in *Instance, s *Schedule) {
			chkTIV(in, "I-1").Parties = []string{"r1"}
			chkTIV(in, "I-2").Parties = []string{"r1"}
		}, valid, "", ""},

		// Rule 7: interpreter travel.
		{"r7 too little time to travel", func(in *Instance, s *Schedule) { chkTMove(in, s, "I-3", chkTAt("2026-12-07", "11:00")) }, 7, "I-3",
			"interview I-3: interpreter t1 has 60 minutes from HEL (interview I-1) to TKU, travel needs 120"},
		{"r7 exactly the travel time", func(in *Instance, s *Schedule) { chkTMove(in, s, "I-3", chkTAt("2026-12-07", "12:00")) }, valid, "", ""},
		{"r7 travel entry in the other direction", func(in *Instance, s *Schedule) {
			in.TravelMinutes = []Travel{{From: "TKU", To: "HEL", Minutes: 120}}
		}, valid, "", ""},
		{"r7 travel entry in the other direction, too short", func(in *Instance, s *Schedule) {
			in.TravelMinutes = []Travel{{From: "TKU", To: "HEL", Minutes: 200}}
		}, 7, "I-3", ""},
		{"r7 no travel entry", func(in *Instance, s *Schedule) { in.TravelMinutes = nil }, 7, "I-3", ""},
		{"r7 no travel entry, other dates", func(in *Instance, s *Schedule) {
			in.TravelMinutes = nil
			chkTMove(in, s, "I-3", chkTAt("2026-12-08", "13:00"))
		}, valid, "", ""},
		{"r7 remote sessions need no travel", func(in *Instance, s *Schedule) {
			chkTMove(in, s, "I-3", chkTAt("2026-12-07", "10:00"))
			chkTAsg(s, "I-3").Mode = ModeRemote
		}, valid, "", ""},

		// Rule 8: daily caps.
		{"r8 interviewer cap", func(in *Instance, s *Schedule) { in.Interviewers[0].MaxInterviewsPerDay = chkTInt(1) }, 8, "",
			"interviewer e1 has 2 interviews on 2026-12-07, more than 1"},
		{"r8 interviewer at the cap", func(in *Instance, s *Schedule) { in.Interviewers[0].MaxInterviewsPerDay = chkTInt(2) }, valid, "", ""},
		{"r8 interpreter minutes", func(in *Instance, s *Schedule) { in.Interpreters[0].MaxMinutesPerDay = chkTInt(150) }, 8, "",
			"interpreter t1 has 180 minutes on 2026-12-07, more than 150"},
		{"r8 interpreter at the cap", func(in *Instance, s *Schedule) { in.Interpreters[0].MaxMinutesPerDay = chkTInt(180) }, valid, "", ""},
		{"r8 per local date", func(in *Instance, s *Schedule) {
			in.Interpreters[0].MaxMinutesPerDay = chkTInt(120)
			chkTMove(in, s, "I-3", chkTAt("2026-12-08", "13:00"))
		}, valid, "", ""},

		// Rule 9: parties.
		{"r9 party not available", func(in *Instance, s *Schedule) { chkTIV(in, "I-3").Parties = []string{"c1"} }, 9, "I-3", ""},
		{"r9 party available", func(in *Instance, s *Schedule) { chkTIV(in, "I-1").Parties = []string{"c1"} }, valid, "", ""},
		{"r9 no availability means always", func(in *Instance, s *Schedule) { chkTIV(in, "I-3").Parties = []string{"r1"} }, valid, "", ""},
		{"r9 empty availability means never", func(in *Instance, s *Schedule) {
			in.Parties[0].Availability = []Interval{}
			chkTIV(in, "I-1").Parties = []string{"c1"}
		}, 9, "I-1", ""},

		// Rule 10: pinned bookings.
		{"r10 pinned kept (same instant, other offset)", func(in *Instance, s *Schedule) {
			in.Bookings = []Booking{{Interview: "I-1", Start: "2026-12-07T06:00:00Z", Room: "R1", Interviewer: "e1", Interpreter: "t1", Mode: "onsite", Pinned: true}}
		}, valid, "", ""},
		{"r10 pinned moved to another room", func(in *Instance, s *Schedule) {
			in.Bookings = []Booking{{Interview: "I-1", Start: chkTAt("2026-12-07", "08:00"), Room: "R2", Interviewer: "e1", Interpreter: "t1", Mode: "onsite", Pinned: true}}
		}, 10, "I-1", "interview I-1: the pinned booking was changed (room)"},
		{"r10 pinned moved in time", func(in *Instance, s *Schedule) {
			in.Bookings = []Booking{{Interview: "I-1", Start: chkTAt("2026-12-07", "08:15"), Room: "R1", Interviewer: "e1", Interpreter: "t1", Mode: "onsite", Pinned: true}}
		}, 10, "I-1", ""},
		{"r10 pinned interpreter changed", func(in *Instance, s *Schedule) {
			in.Bookings = []Booking{{Interview: "I-1", Start: chkTAt("2026-12-07", "08:00"), Room: "R1", Interviewer: "e1", Interpreter: "t2", Mode: "remote", Pinned: true}}
		}, 10, "I-1", "interview I-1: the pinned booking was changed (interpreter, mode)"},
		{"r10 pinned dropped", func(in *Instance, s *Schedule) {
			in.Bookings = []Booking{{Interview: "I-2", Start: chkTAt("2026-12-07", "10:00"), Room: "R1", Interviewer: "e1", Mode: "none", Pinned: true}}
			chkTUnschedule(s, "I-2", ReasonCapacity)
		}, 10, "I-2", ""},
		{"r10 unpinned may change", func(in *Instance, s *Schedule) {
			in.Bookings = []Booking{{Interview: "I-1", Start: chkTAt("2026-12-08", "08:00"), Room: "R2", Interviewer: "e3", Interpreter: "t2", Mode: "remote"}}
		}, valid, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in, s := chkTBase()
			tc.mut(in, s)
			rep := chkTRun(t, in, s)
			if tc.rule == valid {
				if len(rep.Violations) != 0 {
					t.Fatalf("want no violation, got %v", rep.Violations)
				}
				return
			}
			if len(rep.Violations) != 1 {
				t.Fatalf("want exactly one rule-%d violation, got %d: %v", tc.rule, len(rep.Violations), rep.Violations)
			}
			v := rep.Violations[0]
			if v.Rule != tc.rule || v.Interview != tc.iv {
				t.Fatalf("want rule %d on %q, got %+v", tc.rule, tc.iv, v)
			}
			if tc.msg != "" && v.Message != tc.msg {
				t.Fatalf("message\n got %q\nwant %q", v.Message, tc.msg)
			}
			if v.Interview != "" && !strings.HasPrefix(v.Message, "interview "+v.Interview+": ") {
				t.Fatalf("message %q does not start with its interview", v.Message)
			}
		})
	}
}

// Several broken rules at once: each counted once, sorted by rule then interview.
func TestCheckManyViolationsSorted(t *testing.T) {
	in, s := chkTBase()
	in.Interviewers[0].MaxInterviewsPerDay = chkTInt(1)     // 8 (e1 has I-1, I-2)
	chkTIV(in, "I-3").Parties = []string{"c1"}              // 9 on I-3
	chkTMove(in, s, "I-3", chkTAt("2026-12-07", "11:15"))   // 7 on I-3 (75 < 120 minutes)
	chkTAsg(s, "I-2").Location = "TKU"                      // 0 on I-2
	chkTIV(in, "I-1").InterpreterGender = "m"               // 5 on I-1
	chkTIV(in, "I-1").ExcludedInterviewers = []string{"e1"} // 4 on I-1
	chkTIV(in, "I-2").ExcludedInterviewers = []string{"e1"} // 4 on I-2
	s.Format = ""                                           // 0 without interview
	rep := chkTRun(t, in, s)
	var got []string
	for _, v := range rep.Violations {
		got = append(got, string(rune('0'+v.Rule))+":"+v.Interview)
	}
	want := []string{"0:", "0:I-2", "4:I-1", "4:I-2", "5:I-1", "7:I-3", "8:", "9:I-3"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("got  %v\nwant %v\n%v", got, want, rep.Violations)
	}
}

// Two overlapping interviews sharing room and interviewer: two violations.
func TestCheckDoubleBookingCountsPerResource(t *testing.T) {
	in, s := chkTBase()
	chkTMove(in, s, "I-2", chkTAt("2026-12-07", "09:00"))
	rep := chkTRun(t, in, s)
	if len(rep.Violations) != 2 || rep.Violations[0].Rule != 6 || rep.Violations[1].Rule != 6 {
		t.Fatalf("want room and interviewer clashes, got %v", rep.Violations)
	}
}

func TestCheckUnknownTimezoneIsAnError(t *testing.T) {
	in, s := chkTBase()
	in.Timezone = "Europe/Atlantis"
	if _, err := Check(in, s); err == nil {
		t.Fatal("want an error for an unknown time zone")
	}
}

// Check never panics, whatever the schedule.
func TestCheckNeverPanics(t *testing.T) {
	in, _ := chkTBase()
	rep, err := Check(in, nil)
	if err != nil || len(rep.Violations) != 4 { // format + three missing interviews
		t.Fatalf("nil schedule: %v %v", err, rep)
	}
	if rep.Score.Medium != 3 {
		t.Fatalf("nil schedule: medium %d, want 3", rep.Score.Medium)
	}
	values := map[string][]string{
		"interview":   {"", "I-1", "I-2", "I-3", "I-9"},
		"start":       {"", "x", "2026-12-07T08:00:00+02:00", "2026-12-07T10:07:00Z", "2026-12-31T23:45:00+02:00", "0001-01-01T00:00:00Z"},
		"room":        {"", "R1", "R2", "R3", "R9"},
		"interviewer": {"", "e1", "e2", "e3", "e9"},
		"interpreter": {"", "t1", "t2", "t9"},
		"mode":        {"", "onsite", "remote", "none", "telepathy"},
		"location":    {"", "HEL", "TKU", "X"},
	}
	pick := func(r *rand.Rand, k string) string { v := values[k]; return v[r.Intn(len(v))] }
	r := rand.New(rand.NewSource(1))
	for n := 0; n < 2000; n++ {
		in, _ := chkTBase()
		in.Bookings = []Booking{{Interview: "I-1", Start: chkTAt("2026-12-07", "08:00"), Room: "R1", Interviewer: "e1", Interpreter: "t1", Mode: "onsite", Pinned: r.Intn(2) == 0}}
		s := &Schedule{Format: ScheduleFormat}
		for k := r.Intn(6); k > 0; k-- {
			a := Assignment{Interview: pick(r, "interview"), Start: pick(r, "start"), End: pick(r, "start"),
				Room: pick(r, "room"), Interviewer: pick(r, "interviewer"), Interpreter: pick(r, "interpreter"),
				Mode: pick(r, "mode"), Location: pick(r, "location")}
			s.Assignments = append(s.Assignments, a)
		}
		for k := r.Intn(3); k > 0; k-- {
			s.Unscheduled = append(s.Unscheduled, Unscheduled{Interview: pick(r, "interview"), Reason: ReasonCapacity})
		}
		rep := chkTRun(t, in, s)
		if rep.Score.Soft != rep.Score.Components.Sum() {
			t.Fatalf("soft %d != sum %d", rep.Score.Soft, rep.Score.Components.Sum())
		}
	}
}

// ---------------------------------------------------------------------------
// Score, computed by hand.
// ---------------------------------------------------------------------------

// chkTScoreCase: the base instance with
//
//	I-1 ar-IQ, priority 3, deadline 12-08 → 12-09 08:00 R1 e1 t1 onsite (t1 lists only "ar")
//	I-2 priority 2, preferred e3          → 12-08 10:00 R1 e1 (none)
//	I-3 ar-IQ, 45 min, prefer_onsite      → 12-07 13:00 R3 e2 t2 remote (pinned)
//	I-4 priority 4                        → unscheduled
//
// bookings: I-1 unpinned on 12-07 (moved), I-2 unpinned as assigned (start in
// UTC), I-3 pinned as assigned, I-4 unpinned (dropped).
func chkTScoreCase() (*Instance, *Schedule) {
	in, _ := chkTBase()
	iv1, iv2, iv3 := chkTIV(in, "I-1"), chkTIV(in, "I-2"), chkTIV(in, "I-3")
	iv1.Language, iv1.Priority, iv1.Deadline = "ar-IQ", chkTInt(3), "2026-12-08"
	iv2.Priority, iv2.PreferredInterviewer = chkTInt(2), "e3"
	iv3.Language, iv3.DurationMinutes, iv3.InterpreterMode = "ar-IQ", 45, WantPreferOnsite
	in.Interviews = append(in.Interviews, Interview{ID: "I-4", Case: "C-4", Language: "ar", DurationMinutes: 60,
		Earliest: "2026-12-07", Priority: chkTInt(4), Locations: []string{"HEL"}})
	in.Bookings = []Booking{
		{Interview: "I-1", Start: chkTAt("2026-12-07", "08:00"), Room: "R1", Interviewer: "e1", Interpreter: "t1", Mode: "onsite"},
		{Interview: "I-2", Start: "2026-12-08T08:00:00Z", Room: "R1", Interviewer: "e1", Mode: "none"},
		{Interview: "I-3", Start: chkTAt("2026-12-07", "13:00"), Room: "R3", Interviewer: "e2", Interpreter: "t2", Mode: "remote", Pinned: true},
		{Interview: "I-4", Start: chkTAt("2026-12-10", "08:00"), Room: "R2", Interviewer: "e1", Interpreter: "t1", Mode: "onsite"},
	}
	s := &Schedule{
		Format: ScheduleFormat,
		Assignments: []Assignment{
			{Interview: "I-1", Start: chkTAt("2026-12-09", "08:00"), End: chkTAt("2026-12-09", "10:00"), Location: "HEL", Room: "R1", Interviewer: "e1", Interpreter: "t1", Mode: "onsite"},
			{Interview: "I-2", Start: chkTAt("2026-12-08", "10:00"), End: chkTAt("2026-12-08", "11:00"), Location: "HEL", Room: "R1", Interviewer: "e1", Mode: "none"},
			{Interview: "I-3", Start: chkTAt("2026-12-07", "13:00"), End: chkTAt("2026-12-07", "13:45"), Location: "TKU", Room: "R3", Interviewer: "e2", Interpreter: "t2", Mode: "remote"},
		},
		Unscheduled: []Unscheduled{{Interview: "I-4", Reason: ReasonCapacity}},
	}
	return in, s
}

func TestScoreComponentsByHand(t *testing.T) {
	in, s := chkTScoreCase()
	if err := Validate(in); err != nil {
		t.Fatalf("the score instance must be valid: %v", err)
	}
	rep := chkTRun(t, in, s)
	if len(rep.Violations) != 0 {
		t.Fatalf("violations: %v", rep.Violations)
	}
	want := Components{
		Wait:       3*10*2 + 2*10*1, // I-1 two days after earliest (priority 3), I-2 one day (priority 2)
		Late:       3 * 200 * 1,     // I-1 one day after its deadline
		Cost:       120 + 37,        // t1 onsite 60 €/h × 120 min; t2 remote 50 €/h × 45 min = 37.5 → 37
		Remote:     300,             // I-3 prefers on site, held remote (priority does not multiply)
		Dialect:    100,             // I-1 ar-IQ with t1 (ar only); I-3 ar-IQ with t2 lists it
		Continuity: 150,             // I-2 prefers e3, has e1
		Fairness:   4,               // (120² + 45²)/3600 = 16425/3600 = 4.56 → 4
		Change:     2 * 500,         // I-1 moved, I-4 dropped; I-2 unchanged (same instant), I-3 pinned
	}
	if rep.Score.Components != want {
		t.Fatalf("components\n got %+v\nwant %+v", rep.Score.Components, want)
	}
	if rep.Score.Soft != 2391 || rep.Score.Medium != 4 || rep.Score.Hard != 0 {
		t.Fatalf("score %+v, want hard 0, medium 4, soft 2391", rep.Score)
	}
}

func TestScoreWeightsAndFloors(t *testing.T) {
	in, s := chkTScoreCase()
	in.Weights = map[string]int{WeightWaitPerDay: 0, WeightFairness: 3, WeightChange: 250, WeightCost: 2}
	rep := chkTRun(t, in, s)
	want := Components{
		Wait: 0, Late: 600,
		Cost:   2 * (120 + 37), // the cost weight multiplies the floored sum
		Remote: 300, Dialect: 100, Continuity: 150,
		Fairness: 13, // floor(3 × 16425 / 3600) = floor(13.69): one floor over the whole, not 3 × 4
		Change:   500,
	}
	if rep.Score.Components != want {
		t.Fatalf("components\n got %+v\nwant %+v", rep.Score.Components, want)
	}
	if rep.Score.Soft != 1977 {
		t.Fatalf("soft %d, want 1977", rep.Score.Soft)
	}
}

func TestScorePriorityOnlyInMediumWaitLate(t *testing.T) {
	in, s := chkTScoreCase()
	base := chkTRun(t, in, s).Score
	chkTIV(in, "I-3").Priority = chkTInt(7) // I-3: remote, cost, fairness; no wait or late
	if got := chkTRun(t, in, s).Score; got != base {
		t.Fatalf("priority of I-3 changed the score: %+v vs %+v", got, base)
	}
	chkTIV(in, "I-4").Priority = chkTInt(9)
	if got := chkTRun(t, in, s).Score; got.Medium != 9 || got.Soft != base.Soft {
		t.Fatalf("unscheduled I-4 priority 9: %+v", got)
	}
}

func TestScoreDialectOnlyWithInterpreter(t *testing.T) {
	in, s := chkTScoreCase()
	chkTIV(in, "I-2").Language = "en-GB" // e1 lists "en": fine, and no dialect cost without interpreter
	rep := chkTRun(t, in, s)
	if len(rep.Violations) != 0 || rep.Score.Components.Dialect != 100 {
		t.Fatalf("%+v", rep)
	}
}

// The graded change, by hand: in the score case I-1 is moved to another day
// and I-4 dropped (500 each); I-2's booking is changed so that the schedule
// differs from it in one way. At the same start and location only people,
// room or mode differ: change_resource (100); another start or location:
// change (500).
func TestScoreChangeFields(t *testing.T) {
	for _, tt := range []struct {
		name    string
		f       func(b *Booking)
		weights map[string]int
		want    int64
	}{
		{"another start", func(b *Booking) { b.Start = chkTAt("2026-12-08", "10:15") }, nil, 500 + 500 + 500},
		{"another room, same office", func(b *Booking) { b.Room = "R2" }, nil, 500 + 500 + 100},
		{"another office", func(b *Booking) { b.Room = "R3" }, nil, 500 + 500 + 500},
		{"another interviewer", func(b *Booking) { b.Interviewer = "e3" }, nil, 500 + 500 + 100},
		{"another interpreter", func(b *Booking) { b.Interpreter = "t1" }, nil, 500 + 500 + 100},
		{"another mode", func(b *Booking) { b.Mode = "onsite" }, nil, 500 + 500 + 100},
		{"unchanged", func(b *Booking) {}, nil, 500 + 500},
		{"pinned", func(b *Booking) { b.Pinned = true; b.Room = "R2" }, nil, 500 + 500},
		{"custom weights, swap", func(b *Booking) { b.Interviewer = "e3" }, map[string]int{"change": 50, "change_resource": 7}, 50 + 50 + 7},
		{"custom weights, move", func(b *Booking) { b.Start = chkTAt("2026-12-08", "10:15") }, map[string]int{"change": 50, "change_resource": 7}, 50 + 50 + 50},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in, s := chkTScoreCase()
			f := tt.f
			f(&in.Bookings[1]) // I-2's unpinned booking, otherwise as scheduled
			if tt.weights != nil {
				in.Weights = tt.weights
			}
			rep := chkTRun(t, in, s)
			if got := rep.Score.Components.Change; got != tt.want {
				t.Fatalf("change %d, want %d (%+v)", got, tt.want, in.Bookings[1])
			}
		})
	}
}

// ---------------------------------------------------------------------------
// The worked example of docs/formats.md.
// ---------------------------------------------------------------------------

// The example's score, as docs/formats.md states it.
var chkTExampleScore = Score{Hard: 0, Medium: 0, Soft: 1723, Components: Components{
	Wait: 40, Late: 400, Cost: 315, Remote: 300, Dialect: 100, Continuity: 150, Fairness: 18, Change: 400}}

func TestExampleInDocs(t *testing.T) {
	root := filepath.Join("..")
	instData, err := os.ReadFile(filepath.Join(root, "testdata", "example", "instance.json"))
	if err != nil {
		t.Fatal(err)
	}
	schedData, err := os.ReadFile(filepath.Join(root, "testdata", "example", "schedule.json"))
	if err != nil {
		t.Fatal(err)
	}
	in, err := ParseInstance(bytes.NewReader(instData))
	if err != nil {
		t.Fatalf("example instance: %v", err)
	}
	s, err := ParseSchedule(bytes.NewReader(schedData))
	if err != nil {
		t.Fatalf("example schedule: %v", err)
	}
	rep := chkTRun(t, in, s)
	if len(rep.Violations) != 0 {
		t.Fatalf("example violations: %v", rep.Violations)
	}
	if rep.Score != chkTExampleScore {
		t.Fatalf("example score\n got %+v\nwant %+v", rep.Score, chkTExampleScore)
	}
	if s.Score != chkTExampleScore {
		t.Fatalf("schedule.json states %+v, want %+v", s.Score, chkTExampleScore)
	}

	// The documentation shows the same two documents and the same total.
	doc, err := os.ReadFile(filepath.Join(root, "docs", "formats.md"))
	if err != nil {
		t.Fatal(err)
	}
	for marker, data := range map[string][]byte{"example-instance": instData, "example-schedule": schedData} {
		re := regexp.MustCompile("(?s)<!-- " + marker + " -->\\s*```json\\n(.*?)```")
		m := re.FindSubmatch(doc)
		if m == nil {
			t.Fatalf("docs/formats.md has no ```json block after <!-- %s -->", marker)
		}
		var a, b bytes.Buffer
		if err := json.Compact(&a, m[1]); err != nil {
			t.Fatalf("%s block: %v", marker, err)
		}
		if err := json.Compact(&b, data); err != nil {
			t.Fatal(err)
		}
		if a.String() != b.String() {
			t.Fatalf("docs/formats.md %s differs from testdata/example", marker)
		}
	}
	if !bytes.Contains(doc, []byte("soft = 40 + 400 + 315 + 300 + 100 + 150 + 18 + 400 = 1723")) {
		t.Fatal("docs/formats.md does not state the example's soft score sum")
	}
}
