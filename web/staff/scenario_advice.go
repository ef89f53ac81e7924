package staff

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/asylum-scheduling/interviews/capacity"
	"github.com/asylum-scheduling/interviews/internal/i18n"
	"github.com/asylum-scheduling/interviews/solver"
)

// wording words capacity's sentences (capacity.Advice) in the page's
// language: the offices by their names, dates in the language's format.
type wording struct {
	l       string
	offices map[string]string // location id → name
	// variants are the variants' names as the page gives them, by the
	// name the comparison knows them by
	variants map[string]string
}

// text words a sentence from the catalog: the key is "adv." + its code,
// its form picked by its count, its arguments worded by their kind.
func (w wording) text(a capacity.Advice) string {
	args := make([]any, len(a.Args))
	for i, x := range a.Args {
		args[i] = w.arg(x)
	}
	return i18n.Staff.N(w.l, "adv."+a.Code, a.N, args...)
}

// arg words one argument of a sentence.
func (w wording) arg(x capacity.Arg) string {
	switch x.Kind {
	case capacity.ArgLanguage:
		return langName(w.l, x.Value)
	case capacity.ArgReason:
		return reasonWord(w.l, x.Value)
	case capacity.ArgWord:
		return staffT(w.l, "adv.w."+x.Value)
	case capacity.ArgWords:
		var out []string
		for _, v := range strings.Split(x.Value, ",") {
			switch {
			case strings.HasPrefix(v, "lang:"):
				out = append(out, langName(w.l, strings.TrimPrefix(v, "lang:")))
			case strings.HasPrefix(v, "="):
				out = append(out, strings.TrimPrefix(v, "="))
			case v != "":
				out = append(out, staffT(w.l, "adv.w."+v))
			}
		}
		return strings.Join(out, ", ")
	case capacity.ArgOffices:
		var out []string
		for _, id := range strings.Split(x.Value, ",") {
			if n := w.offices[id]; n != "" {
				id = n
			}
			out = append(out, id)
		}
		return strings.Join(out, ", ")
	case capacity.ArgDialects:
		var out []string
		for _, tag := range strings.Split(x.Value, ",") {
			out = append(out, i18n.DialectName(w.l, tag))
		}
		return strings.Join(out, ", ")
	case capacity.ArgDate:
		if d, err := solver.ParseDate(x.Value); err == nil {
			return i18n.DayLabel(w.l, d.Midnight(time.UTC))
		}
	case capacity.ArgDays:
		return w.days(strings.Split(x.Value, ","))
	}
	if x.Name == "variant" {
		if n, ok := w.variants[x.Value]; ok {
			return n
		}
		return x.Value
	}
	if n, err := strconv.Atoi(x.Value); err == nil && x.Kind == capacity.ArgPlain {
		return i18n.Number(w.l, n) // a count: "1 234", "1,234"
	}
	return x.Value
}

// days words weekdays by their short names, a run of three or more as a
// range: "ti–to", "ma, ke".
func (w wording) days(days []string) string {
	var out []string
	for _, run := range capacity.DayRuns(days) {
		if len(run) > 2 {
			out = append(out, staffT(w.l, "sc.dayshort."+run[0])+"–"+staffT(w.l, "sc.dayshort."+run[len(run)-1]))
			continue
		}
		for _, d := range run {
			out = append(out, staffT(w.l, "sc.dayshort."+d))
		}
	}
	return strings.Join(out, ", ")
}

// describe words a variant's description (capacity.Describe): a change
// and its qualifiers joined with ", ", the changes with "; ".
func (w wording) describe(desc []capacity.Advice) string {
	var b strings.Builder
	for i, a := range desc {
		if i > 0 {
			if a.IsChange() {
				b.WriteString("; ")
			} else {
				b.WriteString(", ")
			}
		}
		b.WriteString(w.text(a))
	}
	return b.String()
}

// legacyName matches the names the form gave variants before they were
// built at render time ("+2 Arabic interpreters, Tue–Thu, Helsinki"):
// stored in one language, they are not the variant's own name.
var legacyName = regexp.MustCompile(`^[+−-]\d+ `)

// variantName is a variant's name on the page: its description in the
// page's language, after its own name when someone gave it one (a name
// the form made, in any language, is not one); the stored name alone
// when the changes say nothing (a variant of no change).
func (w wording) variantName(v capacity.Variant) string {
	desc := w.describe(capacity.Describe(v))
	switch {
	case desc == "":
		return v.Name
	case w.autoName(v):
		return desc
	}
	return v.Name + " (" + desc + ")"
}

// autoName reports whether v's name was made from its changes, not given.
func (w wording) autoName(v capacity.Variant) bool {
	if legacyName.MatchString(v.Name) {
		return true
	}
	for _, l := range []string{"en", "fi", "sv"} {
		o := w
		o.l = l
		if v.Name == o.describe(capacity.Describe(v)) {
			return true
		}
	}
	return false
}

// variantNames maps each variant's name to its name on the page.
func (w wording) variantNames(sc *capacity.Scenario) map[string]string {
	out := map[string]string{}
	if sc == nil {
		return out
	}
	for _, v := range sc.Variants {
		out[v.Name] = w.variantName(v)
	}
	return out
}
