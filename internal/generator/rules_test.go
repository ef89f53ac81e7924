package generator

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/asylum-scheduling/interviews/solver"
)

// rulesDir holds one hand-made instance per hard rule: its interview X can be
// scheduled only by breaking that rule.
const rulesDir = "../../testdata/rules"

type expectation struct {
	Interview string `json:"interview"`
	Reason    string `json:"reason"`
}

// witnesses are, per rule file, the assignments that schedule X by breaking
// the file's rule and nothing else (all pinned bookings included; for rule 10
// the moved pinned booking).
var witnesses = map[string][]solver.Assignment{
	"rule01-grain.json": {
		{Interview: "X", Start: "2027-01-04T22:00:00+02:00", End: "2027-01-05T01:00:00+02:00", Location: "HEL", Room: "HEL-R1", Interviewer: "HEL-E1", Interpreter: "T1", Mode: "onsite"},
	},
	"rule02-window.json": {
		{Interview: "X", Start: "2027-01-04T08:30:00+02:00", End: "2027-01-04T11:30:00+02:00", Location: "HEL", Room: "HEL-R1", Interviewer: "HEL-E1", Interpreter: "T1", Mode: "onsite"},
	},
	"rule03-room.json": {
		{Interview: "X", Start: "2027-01-04T08:30:00+02:00", End: "2027-01-04T11:30:00+02:00", Location: "HEL", Room: "HEL-R1", Interviewer: "HEL-E1", Interpreter: "T1", Mode: "onsite"},
	},
	"rule04-interviewer.json": {
		{Interview: "X", Start: "2027-01-04T08:30:00+02:00", End: "2027-01-04T11:30:00+02:00", Location: "HEL", Room: "HEL-R1", Interviewer: "HEL-E2", Interpreter: "T1", Mode: "onsite"},
	},
	"rule05-interpreter-language.json": {
		{Interview: "X", Start: "2027-01-04T12:30:00+02:00", End: "2027-01-04T15:30:00+02:00", Location: "HEL", Room: "HEL-R1", Interviewer: "HEL-E1", Interpreter: "T1", Mode: "onsite"},
	},
	"rule05-interpreter-gender.json": {
		{Interview: "X", Start: "2027-01-04T08:30:00+02:00", End: "2027-01-04T11:30:00+02:00", Location: "HEL", Room: "HEL-R1", Interviewer: "HEL-E1", Interpreter: "T1", Mode: "remote"},
	},
	"rule06-double-booking.json": {
		{Interview: "P", Start: "2027-01-04T08:30:00+02:00", End: "2027-01-04T11:30:00+02:00", Location: "HEL", Room: "HEL-R1", Interviewer: "HEL-E1", Interpreter: "T1", Mode: "onsite"},
		{Interview: "X", Start: "2027-01-04T08:30:00+02:00", End: "2027-01-04T11:30:00+02:00", Location: "HEL", Room: "HEL-R2", Interviewer: "HEL-E2", Interpreter: "T1", Mode: "remote"},
	},
	"rule07-travel.json": {
		{Interview: "P", Start: "2027-01-04T08:30:00+02:00", End: "2027-01-04T11:30:00+02:00", Location: "HEL", Room: "HEL-R1", Interviewer: "HEL-E1", Interpreter: "T1", Mode: "onsite"},
		{Interview: "X", Start: "2027-01-04T12:30:00+02:00", End: "2027-01-04T15:30:00+02:00", Location: "OUL", Room: "OUL-R1", Interviewer: "OUL-E1", Interpreter: "T1", Mode: "onsite"},
	},
	"rule08-daily-cap.json": {
		{Interview: "P", Start: "2027-01-04T08:30:00+02:00", End: "2027-01-04T11:30:00+02:00", Location: "HEL", Room: "HEL-R1", Interviewer: "HEL-E1", Interpreter: "T1", Mode: "onsite"},
		{Interview: "X", Start: "2027-01-04T12:30:00+02:00", End: "2027-01-04T15:30:00+02:00", Location: "HEL", Room: "HEL-R1", Interviewer: "HEL-E1", Interpreter: "T2", Mode: "onsite"},
	},
	"rule09-party.json": {
		{Interview: "X", Start: "2027-01-04T12:30:00+02:00", End: "2027-01-04T15:30:00+02:00", Location: "HEL", Room: "HEL-R1", Interviewer: "HEL-E1", Interpreter: "T1", Mode: "onsite"},
	},
	"rule10-pinned.json": {
		{Interview: "P", Start: "2027-01-04T08:30:00+02:00", End: "2027-01-04T11:30:00+02:00", Location: "HEL", Room: "HEL-R2", Interviewer: "HEL-E1", Interpreter: "T1", Mode: "onsite"},
		{Interview: "X", Start: "2027-01-04T08:30:00+02:00", End: "2027-01-04T11:30:00+02:00", Location: "HEL", Room: "HEL-R1", Interviewer: "HEL-E2", Interpreter: "T2", Mode: "onsite"},
	},
}

func loadExpected(t *testing.T) map[string]expectation {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(rulesDir, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var exp map[string]expectation
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&exp); err != nil {
		t.Fatalf("expected.json: %v", err)
	}
	return exp
}

// ruleOf reads the rule number from a name like rule05-interpreter-gender.json.
func ruleOf(t *testing.T, name string) int {
	t.Helper()
	n, err := strconv.Atoi(strings.TrimPrefix(strings.SplitN(name, "-", 2)[0], "rule"))
	if err != nil || n < 1 || n > 10 {
		t.Fatalf("%s: no rule number in the name", name)
	}
	return n
}

// TestRuleFilesListed: every rule has a file, every file is in
// expected.json with a reason the spec knows, and the reason fits the rule.
func TestRuleFilesListed(t *testing.T) {
	exp := loadExpected(t)
	files, err := filepath.Glob(filepath.Join(rulesDir, "rule*.json"))
	if err != nil {
		t.Fatal(err)
	}
	rules := map[int]bool{}
	for _, f := range files {
		name := filepath.Base(f)
		if _, ok := exp[name]; !ok {
			t.Errorf("%s is not in expected.json", name)
		}
		rules[ruleOf(t, name)] = true
	}
	for r := 1; r <= 10; r++ {
		if !rules[r] {
			t.Errorf("no file for rule %d", r)
		}
	}
	wantReason := map[int][]string{
		1: {solver.ReasonWindowClosed}, 2: {solver.ReasonWindowClosed}, 3: {solver.ReasonNoRoom},
		4: {solver.ReasonNoInterviewer}, 5: {solver.ReasonNoInterpreterLanguage, solver.ReasonNoInterpreterAvailable},
		6: {solver.ReasonCapacity}, 7: {solver.ReasonCapacity}, 8: {solver.ReasonCapacity},
		9: {solver.ReasonPartyUnavailable}, 10: {solver.ReasonCapacity},
	}
	for name, e := range exp {
		if _, err := os.Stat(filepath.Join(rulesDir, name)); err != nil {
			t.Errorf("expected.json lists %s: %v", name, err)
			continue
		}
		if !slices.Contains(wantReason[ruleOf(t, name)], e.Reason) {
			t.Errorf("%s: reason %q, want one of %v", name, e.Reason, wantReason[ruleOf(t, name)])
		}
		if _, ok := witnesses[name]; !ok {
			t.Errorf("%s has no witness in rules_test.go", name)
		}
	}
}

// TestRuleFiles: each rule file is valid; its X has no option under the hard
// rules but one once the file's rule is dropped; X alone (without the pinned
// bookings) is feasible exactly when the reason is capacity; and the
// reference checker finds that the witness breaks the file's rule only.
func TestRuleFiles(t *testing.T) {
	for name, e := range loadExpected(t) {
		t.Run(strings.TrimSuffix(name, ".json"), func(t *testing.T) {
			rule := ruleOf(t, name)
			data, err := os.ReadFile(filepath.Join(rulesDir, name))
			if err != nil {
				t.Fatal(err)
			}
			in, err := solver.ParseInstance(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			var x *solver.Interview
			for i := range in.Interviews {
				if in.Interviews[i].ID == e.Interview {
					x = &in.Interviews[i]
				}
			}
			if x == nil {
				t.Fatalf("no interview %q", e.Interview)
			}
			for _, b := range in.Bookings {
				if b.Interview == x.ID {
					t.Fatalf("X has a booking")
				}
			}
			f := newFeasibility(t, in)
			if f.feasible(x, nil) {
				t.Errorf("X can be scheduled without breaking a rule")
			}
			if !f.feasible(x, map[int]bool{rule: true}) {
				t.Errorf("X cannot be scheduled even when rule %d is dropped", rule)
			}
			alone := newFeasibility(t, in)
			alone.pinned = nil
			if got, want := alone.feasible(x, nil), e.Reason == solver.ReasonCapacity; got != want {
				t.Errorf("X feasible without the pinned bookings: %v, want %v (reason %s)", got, want, e.Reason)
			}
			// Every other interview can be placed (the pinned ones where they are).
			for i := range in.Interviews {
				if iv := &in.Interviews[i]; iv != x && !alone.feasible(iv, nil) {
					t.Errorf("interview %s has no option", iv.ID)
				}
			}

			s := &solver.Schedule{Format: solver.ScheduleFormat, Assignments: witnesses[name]}
			placedIDs := map[string]bool{}
			for _, a := range s.Assignments {
				placedIDs[a.Interview] = true
			}
			for _, iv := range in.Interviews {
				if !placedIDs[iv.ID] {
					s.Unscheduled = append(s.Unscheduled, solver.Unscheduled{Interview: iv.ID, Reason: solver.ReasonCapacity})
				}
			}
			rep, err := solver.Check(in, s)
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Violations) == 0 {
				t.Errorf("the witness breaks no rule")
			}
			for _, v := range rep.Violations {
				if v.Rule != rule {
					t.Errorf("the witness breaks rule %d, not only %d: %s", v.Rule, rule, v.Message)
				}
			}
		})
	}
}

// TestRuleFilesTiny keeps the hand-made instances small and readable.
func TestRuleFilesTiny(t *testing.T) {
	for name := range loadExpected(t) {
		data, err := os.ReadFile(filepath.Join(rulesDir, name))
		if err != nil {
			t.Fatal(err)
		}
		in, err := solver.ParseInstance(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		hs, _ := solver.ParseDate(in.Horizon.Start)
		he, _ := solver.ParseDate(in.Horizon.End)
		if len(in.Locations) > 2 || he-hs > 1 || len(in.Interviews) > 3 || len(data) > 4000 {
			t.Errorf("%s is not tiny: %d locations, %d days, %d interviews, %d bytes", name, len(in.Locations), he-hs+1, len(in.Interviews), len(data))
		}
		if _, err := time.LoadLocation(in.Timezone); err != nil {
			t.Error(err)
		}
	}
}
