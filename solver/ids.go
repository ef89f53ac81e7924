package solver

import (
	"fmt"
	"strconv"
)

// MaxIDLength is the longest id of anything in an instance.
const MaxIDLength = 64

// IDProblem says why s cannot be an id, or "" when it can: ids are 1 to
// MaxIDLength characters, each a letter or digit (ASCII), '.', '_' or '-',
// so that they travel in URLs, file names and calendar UIDs unescaped.
func IDProblem(s string) string {
	if s == "" {
		return "must not be empty"
	}
	if len(s) > MaxIDLength {
		return fmt.Sprintf("must be at most %d characters, not %d", MaxIDLength, len(s))
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			r := []rune(s[i:])[0]
			return "may hold only letters, digits, '.', '_' and '-', not " + strconv.QuoteRune(r)
		}
	}
	return ""
}

// idProblems lists the ids of an instance's entities that IDProblem
// refuses (empty ones are Validate's).
func idProblems(in *Instance) []Problem {
	var out []Problem
	check := func(list string, n int, id func(int) string) {
		for i := 0; i < n; i++ {
			if s := id(i); s != "" {
				if p := IDProblem(s); p != "" {
					out = append(out, Problem{idx(list, i) + ".id", p})
				}
			}
		}
	}
	check("locations", len(in.Locations), func(i int) string { return in.Locations[i].ID })
	check("rooms", len(in.Rooms), func(i int) string { return in.Rooms[i].ID })
	check("interviewers", len(in.Interviewers), func(i int) string { return in.Interviewers[i].ID })
	check("interpreters", len(in.Interpreters), func(i int) string { return in.Interpreters[i].ID })
	check("parties", len(in.Parties), func(i int) string { return in.Parties[i].ID })
	check("interviews", len(in.Interviews), func(i int) string { return in.Interviews[i].ID })
	return out
}
