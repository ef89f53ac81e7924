// Package advice words capacity's sentences (capacity.Advice) in fi, sv or
// en from the staff catalog (internal/i18n): the scenario pages
// (web/staff) and schedule whatif (cmd/schedule) say them the same way.
package advice

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/asylum-scheduling/interviews/capacity"
	"github.com/asylum-scheduling/interviews/internal/i18n"
	"github.com/asylum-scheduling/interviews/solver"
)

// Wording words capacity's sentences in a language: the offices by their
// names, dates, clock times and weekdays in the language's format.
type Wording struct {
	L       string            // the language: "fi", "sv" or "en"
	Offices map[string]string // location id → name
	// Variants are the variants' names in L, by the name the comparison
	// knows them by (VariantNames).
	Variants map[string]string
	// MadeIn are the languages in which a variant's name, when it is its
	// description, counts as made from its changes and not given; nil: L
	// alone. The pages name variants in any of theirs (Languages).
	MadeIn []string
}

// Languages are the languages of the catalog.
var Languages = []string{"en", "fi", "sv"}

// Text words a sentence from the catalog: the key is "adv." + its code,
// its form picked by its count, its arguments worded by their kind.
func (w Wording) Text(a capacity.Advice) string {
	args := make([]any, len(a.Args))
	for i, x := range a.Args {
		args[i] = w.arg(x)
	}
	return i18n.Staff.N(w.L, "adv."+a.Code, a.N, args...)
}

// arg words one argument of a sentence.
func (w Wording) arg(x capacity.Arg) string {
	switch x.Kind {
	case capacity.ArgLanguage:
		return i18n.LanguageName(w.L, x.Value)
	case capacity.ArgReason:
		if s, ok := i18n.Staff.Lookup(w.L, "reason."+x.Value); ok {
			return s
		}
		return strings.ReplaceAll(x.Value, "_", " ")
	case capacity.ArgWord:
		return i18n.Staff.T(w.L, "adv.w."+x.Value)
	case capacity.ArgWords:
		return w.words(x.Value)
	case capacity.ArgOffices:
		var out []string
		for _, id := range strings.Split(x.Value, ",") {
			if n := w.Offices[id]; n != "" {
				id = n
			}
			out = append(out, id)
		}
		return strings.Join(out, ", ")
	case capacity.ArgDialects:
		var out []string
		for _, tag := range strings.Split(x.Value, ",") {
			out = append(out, i18n.DialectName(w.L, tag))
		}
		return strings.Join(out, ", ")
	case capacity.ArgDate:
		if d, err := solver.ParseDate(x.Value); err == nil {
			return i18n.DayLabel(w.L, d.Midnight(time.UTC))
		}
	case capacity.ArgClocks:
		var out []string
		for _, c := range strings.Split(x.Value, ",") {
			if t, err := time.Parse("15:04", c); err == nil {
				c = i18n.FormatClock(w.L, t)
			}
			out = append(out, c)
		}
		return strings.Join(out, ", ")
	case capacity.ArgDays:
		return w.days(strings.Split(x.Value, ","))
	}
	if x.Name == "variant" {
		return w.Name(x.Value)
	}
	if n, err := strconv.Atoi(x.Value); err == nil && x.Kind == capacity.ArgPlain {
		return i18n.Number(w.L, n) // a count: "1 234", "1,234"
	}
	return x.Value
}

// words words a list of words: "lang:" a language's name, "=" as it is,
// else the catalog's "adv.w." word.
func (w Wording) words(list string) string {
	var out []string
	for _, v := range strings.Split(list, ",") {
		switch {
		case strings.HasPrefix(v, "lang:"):
			out = append(out, i18n.LanguageName(w.L, strings.TrimPrefix(v, "lang:")))
		case strings.HasPrefix(v, "="):
			out = append(out, strings.TrimPrefix(v, "="))
		case v != "":
			out = append(out, i18n.Staff.T(w.L, "adv.w."+v))
		}
	}
	return strings.Join(out, ", ")
}

// days words weekdays by their short names, a run of three or more as a
// range: "ti–to", "ma, ke".
func (w Wording) days(days []string) string {
	short := func(d string) string { return i18n.Staff.T(w.L, "sc.dayshort."+d) }
	var out []string
	for _, run := range capacity.DayRuns(days) {
		if len(run) > 2 {
			out = append(out, short(run[0])+"–"+short(run[len(run)-1]))
			continue
		}
		for _, d := range run {
			out = append(out, short(d))
		}
	}
	return strings.Join(out, ", ")
}

// Describe words a variant's description (capacity.Describe): a change
// and its qualifiers joined with ", ", the changes with "; ".
func (w Wording) Describe(desc []capacity.Advice) string {
	var b strings.Builder
	for i, a := range desc {
		if i > 0 {
			if a.IsChange() {
				b.WriteString("; ")
			} else {
				b.WriteString(", ")
			}
		}
		b.WriteString(w.Text(a))
	}
	return b.String()
}

// generatedName matches names made from a variant's changes ("+2 ar-MA
// interpreters", or as the form named them before they were built at
// render time, "+2 Arabic interpreters, Tue–Thu, Helsinki"): stored in
// one language, they are not the variant's own name.
var generatedName = regexp.MustCompile(`^[+−-]\d+ `)

// VariantName is a variant's name in L: its description, after its own
// name when someone gave it one (a name made from its changes is not
// one); the stored name alone when the changes say nothing (a variant of
// no change). "two sg interpreters (+2 Sango interpreters, remote)".
func (w Wording) VariantName(v capacity.Variant) string {
	desc := w.Describe(capacity.Describe(v))
	switch {
	case desc == "":
		return v.Name
	case w.madeName(v, desc):
		return desc
	}
	return v.Name + " (" + desc + ")"
}

// madeName reports whether v's name was made from its changes, not given:
// desc is its description in L.
func (w Wording) madeName(v capacity.Variant, desc string) bool {
	if generatedName.MatchString(v.Name) {
		return true
	}
	if w.MadeIn == nil {
		return v.Name == desc
	}
	for _, l := range w.MadeIn {
		o := w
		o.L = l
		if v.Name == o.Describe(capacity.Describe(v)) {
			return true
		}
	}
	return false
}

// VariantNames maps each of sc's variants' names to its name in L (sc may
// be nil).
func (w Wording) VariantNames(sc *capacity.Scenario) map[string]string {
	out := map[string]string{}
	if sc == nil {
		return out
	}
	for _, v := range sc.Variants {
		out[v.Name] = w.VariantName(v)
	}
	return out
}

// Name is a run's name in L: a variant's from Variants, the baseline's
// and any other as they are.
func (w Wording) Name(run string) string {
	if n, ok := w.Variants[run]; ok {
		return n
	}
	return run
}
