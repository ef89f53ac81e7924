package capacity

import (
	"slices"
	"strings"
)

// Describe is a variant's description as sentences for the reader to word
// in their own language (catalog key "adv." + code, like Advice): one
// sentence per change, code "var." + the change's kind, each followed by
// its qualifiers (code "var.q.…": the weekdays, the offices, the modes).
// A reader joins a change's sentence and its qualifiers with ", " and the
// changes with "; ". The names are built from the changes, never from the
// variant's Name, so that "+2 ar-MA interpreters" keeps its dialect in
// every language.
//
//	var.add_interpreters      N count: +(count) interpreters of (language or dialects)
//	var.remove_interpreters   N count: −(count) interpreters (of language, or by id)
//	var.add_interviewers      N count: +(count) interviewers
//	var.remove_interviewers   N count: −(count) interviewers
//	var.add_rooms             N count: +(count) rooms
//	var.extra_sessions        N start times: sessions also at (times)
//	var.remote_share          N 0: more remote interpretation
//	var.notice                N 0: another notice period
//	var.deadline              N 0: other deadlines
//	var.q.days                (weekdays)
//	var.q.at                  (offices)
//	var.q.modes               (modes)
func Describe(v Variant) []Advice {
	var out []Advice
	for _, c := range v.Changes {
		out = append(out, describeChange(c)...)
	}
	return out
}

// IsChange reports whether a description's sentence starts a change (and
// is not a qualifier of the one before).
func (a Advice) IsChange() bool { return !strings.HasPrefix(a.Code, "var.q.") }

// describeChange is one change's sentence and its qualifiers.
func describeChange(c Change) []Advice {
	switch {
	case c.AddInterpreters != nil:
		t := c.AddInterpreters
		tags := t.Dialects
		if len(tags) == 0 {
			tags = []string{t.Language}
		}
		out := []Advice{{Code: "var.add_interpreters", N: t.Count, Args: []Arg{plain("count", int64(t.Count)),
			{Name: "language", Value: strings.Join(tags, ","), Kind: ArgDialects}}}}
		out = append(out, patternQualifiers(t.Pattern)...)
		out = append(out, officesQualifier(t.Locations)...)
		if len(t.Modes) == 1 {
			out = append(out, Advice{Code: "var.q.modes", Args: []Arg{{Name: "modes", Value: "mode." + t.Modes[0], Kind: ArgWords}}})
		}
		return out
	case c.RemoveInterpreters != nil:
		return removeSentence("var.remove_interpreters", c.RemoveInterpreters)
	case c.AddInterviewers != nil:
		t := c.AddInterviewers
		return addSentence("var.add_interviewers", t.Count, t.Pattern, t.Location)
	case c.RemoveInterviewers != nil:
		return removeSentence("var.remove_interviewers", c.RemoveInterviewers)
	case c.AddRooms != nil:
		t := c.AddRooms
		return addSentence("var.add_rooms", t.Count, t.Pattern, t.Location)
	case c.ExtraSessions != nil:
		t := c.ExtraSessions
		out := []Advice{{Code: "var.extra_sessions", N: len(t.StartTimes), Args: []Arg{{Name: "times", Value: strings.Join(t.StartTimes, ","), Kind: ArgClocks}}}}
		out = append(out, patternQualifiers(&t.Pattern)...)
		return append(out, officesQualifier(t.Locations)...)
	case c.RemoteShare != nil:
		return []Advice{{Code: "var.remote_share", Args: []Arg{}}}
	case c.Notice != nil:
		return []Advice{{Code: "var.notice", Args: []Arg{}}}
	case c.Deadline != nil:
		return []Advice{{Code: "var.deadline", Args: []Arg{}}}
	}
	return nil
}

// addSentence says an addition of count interviewers or rooms at one
// office, with the weekdays of its pattern.
func addSentence(code string, count int, p *Pattern, location string) []Advice {
	out := []Advice{{Code: code, N: count, Args: []Arg{plain("count", int64(count))}}}
	out = append(out, patternQualifiers(p)...)
	return append(out, officesQualifier([]string{location})...)
}

// removeSentence says a removal: by count (of a language or at an
// office), or the listed ids.
func removeSentence(code string, t *RemovePeople) []Advice {
	n := t.Count
	if len(t.IDs) > 0 {
		n = len(t.IDs)
	}
	out := []Advice{{Code: code, N: n, Args: []Arg{plain("count", int64(n))}}}
	if t.Language != "" {
		out = append(out, Advice{Code: "var.q.language", Args: []Arg{{Name: "language", Value: t.Language, Kind: ArgDialects}}})
	}
	return append(out, officesQualifier([]string{t.Location})...)
}

// patternQualifiers say a pattern's weekdays when it names some, not all
// seven.
func patternQualifiers(p *Pattern) []Advice {
	if p == nil || len(p.Weekdays) == 0 || len(p.Weekdays) >= 7 {
		return nil
	}
	days := slices.Clone(p.Weekdays)
	slices.SortFunc(days, func(a, b string) int { return weekdayIndex(a) - weekdayIndex(b) })
	return []Advice{{Code: "var.q.days", Args: []Arg{{Name: "days", Value: strings.Join(days, ","), Kind: ArgDays}}}}
}

// officesQualifier names the offices, when there are any.
func officesQualifier(locs []string) []Advice {
	var ids []string
	for _, l := range locs {
		if l != "" {
			ids = append(ids, l)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	return []Advice{{Code: "var.q.at", Args: []Arg{{Name: "offices", Value: strings.Join(ids, ","), Kind: ArgOffices}}}}
}

// Weekdays are the codes of the days of the week, Monday first.
var Weekdays = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

func weekdayIndex(d string) int { return slices.Index(Weekdays, d) }

// DayRuns splits weekday codes (in week order) into runs of consecutive
// days: a reader words a run of three or more as a range.
func DayRuns(days []string) [][]string {
	var out [][]string
	for i, d := range days {
		if i > 0 && weekdayIndex(d) == weekdayIndex(days[i-1])+1 {
			out[len(out)-1] = append(out[len(out)-1], d)
			continue
		}
		out = append(out, []string{d})
	}
	return out
}
