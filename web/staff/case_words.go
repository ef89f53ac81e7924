package staff

import (
	"html/template"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/asylum-scheduling/interviews/internal/i18n"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

// case_words.go writes a case page's parts in the page's language: the
// options, the booking, the needs and why an option fits.

func sameAsBooking(s solver.Suggestion, b *resources.Booking) bool {
	st, err1 := solver.ParseInstant(s.Start)
	bt, err2 := solver.ParseInstant(b.Start)
	return err1 == nil && err2 == nil && st.Equal(bt) && s.Room == b.Room && s.Interviewer == b.Interviewer &&
		s.Interpreter == b.Interpreter && s.Mode == b.Mode
}

func viewOption(l string, s solver.Suggestion, loc *time.Location, names map[string]string) optionView {
	o := optionView{Rank: s.Rank, When: when(l, s.Start, s.End, loc), Office: names[s.Location], OfficeID: s.Location, Room: s.Room,
		Interviewer: s.Interviewer, Interpreter: s.Interpreter, Mode: modeWord(l, s.Mode), Explanation: whyWords(l, s.Why),
		Start: s.Start, RawMode: s.Mode, Score: s.Delta.Components}
	if o.Office == "" {
		o.Office = s.Location
	}
	if t, err := solver.ParseInstant(s.Start); err == nil {
		o.Week = monday(solver.DateOf(t, loc)).String()
	}
	return o
}

func viewBooking(l string, b *resources.Booking, loc *time.Location, names map[string]string) bookingView {
	bv := bookingView{ID: b.ID, Interview: b.Interview, When: when(l, b.Start, b.End, loc), Room: b.Room, Interviewer: b.Interviewer,
		Interpreter: b.Interpreter, Mode: modeWord(l, b.Mode), Status: b.Status, Pinned: b.Pinned, Sequence: b.Sequence}
	if t, err := solver.ParseInstant(b.Start); err == nil {
		bv.Week = monday(solver.DateOf(t, loc)).String()
	}
	return bv
}

// needsOf says what an interview request needs, in plain words.
func needsOf(l string, iv *resources.Interview, offices, people map[string]string) []need {
	var out []need
	add := func(k, v string) { out = append(out, need{Label: staffT(l, k), Value: v}) }
	name := langName(l, iv.Language)
	if iv.DialectRequired {
		name = staffT(l, "need.dialect", name)
	}
	add("need.language", name)
	if iv.NeedsInterp() {
		add("need.interpreter", staffT(l, "need.needed", modeWord(l, iv.WantMode())))
	} else {
		add("need.interpreter", staffT(l, "need.notneeded"))
	}
	add("need.length", hours(iv.DurationMinutes))
	window := staffT(l, "need.from", dateOfString(l, iv.Earliest))
	if iv.Latest != "" {
		window = staffT(l, "need.fromto", dateOfString(l, iv.Earliest), dateOfString(l, iv.Latest))
	}
	add("need.when", window)
	if iv.Deadline != "" {
		add("need.deadline", staffT(l, "need.deadline.v", dateOfString(l, iv.Deadline)))
	}
	add("need.priority", urgency(l, iv.Prio()))
	var offs []string
	for _, o := range iv.Locations {
		if n := offices[o]; n != "" {
			offs = append(offs, n)
		} else {
			offs = append(offs, o)
		}
	}
	add("need.offices", strings.Join(offs, staffT(l, "need.or")))
	if iv.InterviewerGender != "" {
		add("need.interviewer", genderWord(l, iv.InterviewerGender))
	}
	if iv.InterpreterGender != "" {
		add("need.interpgender", genderWord(l, iv.InterpreterGender))
	}
	for _, f := range []struct {
		key  string
		list []string
	}{{"need.ivrskills", iv.InterviewerSkills}, {"need.itpskills", iv.InterpreterSkills}, {"need.room", iv.RoomFeatures}} {
		if len(f.list) > 0 {
			add(f.key, featureWords(l, f.list))
		}
	}
	if len(iv.Parties) > 0 {
		var who []template.HTML
		for _, p := range iv.Parties {
			who = append(who, nameWithID(people["party/"+p], p))
		}
		out = append(out, need{Label: staffT(l, "need.parties"), Rich: staffHTML(l, "need.parties.v", joinHTML(who))})
	}
	if iv.PreferredInterviewer != "" {
		out = append(out, need{Label: staffT(l, "need.preferred"),
			Rich: nameWithID(people["interviewer/"+iv.PreferredInterviewer], iv.PreferredInterviewer)})
	}
	if len(iv.ExcludedInterpreters) > 0 {
		add("need.notinterp", strings.Join(iv.ExcludedInterpreters, ", "))
	}
	if len(iv.ExcludedInterviewers) > 0 {
		add("need.notivr", strings.Join(iv.ExcludedInterviewers, ", "))
	}
	return out
}

// whyWords says why an option is a good one in the page's language; the
// cost codes are left out, as the page gives the cost in euros.
func whyWords(l string, why []solver.Why) string {
	var out []string
	for _, w := range why {
		switch w.Code {
		case solver.WhyDaysAfterFirst, solver.WhyPastDeadline:
			out = append(out, i18n.Staff.N(l, "why."+w.Code, int(w.N), w.N))
		case solver.WhyDialect, solver.WhyDialectMissed:
			out = append(out, staffT(l, "why."+w.Code, langName(l, w.Language)))
		default:
			out = append(out, staffT(l, "why."+w.Code))
		}
	}
	if len(out) == 0 {
		return ""
	}
	s := strings.Join(out, "; ")
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:] + "."
}

// featureWords names skills and room features in the page's language.
func featureWords(l string, codes []string) string {
	out := make([]string, len(codes))
	for i, c := range codes {
		if w, ok := i18n.Staff.Lookup(l, "feature."+c); ok {
			out[i] = w
		} else {
			out[i] = strings.ReplaceAll(c, "_", " ")
		}
	}
	return strings.Join(out, ", ")
}

func genderWord(l, g string) string {
	if w, ok := i18n.Staff.Lookup(l, "need.gender."+g); ok {
		return w
	}
	return g
}

func nameID(name, id string) string {
	if name == "" {
		return id
	}
	return name + " (" + id + ")"
}

// nameWithID is a person's name with the id after it, the id never
// wrapped inside (see who); the id alone when there is no name.
func nameWithID(name, id string) template.HTML {
	if name == "" {
		return template.HTML(`<span class="id-only">` + template.HTMLEscapeString(id) + `</span>`)
	}
	return template.HTML(template.HTMLEscapeString(name) + ` <span class="id">` + template.HTMLEscapeString(id) + `</span>`)
}

// joinHTML joins names (markup) with commas.
func joinHTML(parts []template.HTML) template.HTML {
	var b strings.Builder
	for i, p := range parts {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(string(p))
	}
	return template.HTML(b.String())
}
