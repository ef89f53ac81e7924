package solver_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/asylum-scheduling/interviews/solver"
)

// Ids are 1–64 characters of ASCII letters, digits, '.', '_' and '-'; the
// ids the generator and the test data use (RAI-R02, T0005, P-C014, I-0001)
// fit.
func TestIDProblem(t *testing.T) {
	for _, c := range []struct {
		id, want string // want: a part of the problem, "" when the id is good
	}{
		{"RAI-R02", ""}, {"T0005", ""}, {"P-C014", ""}, {"I-0001", ""}, {"a.b_c-9", ""},
		{strings.Repeat("x", 64), ""},
		{"", "must not be empty"},
		{strings.Repeat("x", 65), "at most 64 characters, not 65"},
		{"a/b", `not '/'`},
		{"a b", `not ' '`},
		{`x"<>()`, `not '"'`},
		{"Ä", `not 'Ä'`},
		{"a\x00", `not '\x00'`},
		{"a%2F", `not '%'`},
	} {
		got := solver.IDProblem(c.id)
		if c.want == "" && got != "" {
			t.Errorf("IDProblem(%q) = %q, want none", c.id, got)
		}
		if c.want != "" && !strings.Contains(got, c.want) {
			t.Errorf("IDProblem(%q) = %q, want one containing %q", c.id, got, c.want)
		}
	}
}

// Instance files (the CLI's and POST /v1/instance's) keep to the alphabet:
// every entity list's ids are checked, each problem at its path.
func TestParseInstanceRefusesIDsOutsideTheAlphabet(t *testing.T) {
	in := vtExample(t)
	in.Locations[0].ID = "HEL/1"
	in.Rooms[0].ID = "room one"
	in.Interviewers[0].ID = strings.Repeat("e", 65)
	in.Interpreters[0].ID = "tülkki"
	in.Parties[0].ID = "<p>"
	in.Interviews[0].ID = "I(1)"
	data, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	_, err = solver.ParseInstance(bytes.NewReader(data))
	paths := map[string]bool{}
	for _, p := range vtProblems(t, err) {
		paths[p.Path] = true
	}
	for _, want := range []string{"locations[0].id", "rooms[0].id", "interviewers[0].id", "interpreters[0].id", "parties[0].id", "interviews[0].id"} {
		if !paths[want] {
			t.Errorf("no problem at %s:\n%v", want, err)
		}
	}
}
