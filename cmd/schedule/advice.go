package main

import (
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/asylum-scheduling/interviews/capacity"
	"github.com/asylum-scheduling/interviews/internal/i18n"
	"github.com/asylum-scheduling/interviews/solver"
)

// wording words capacity's sentences in locale l from the service's
// catalog (key "adv." + code, as the scenario pages do): offices by the
// instance's names, variants by their description in l.
type wording struct {
	l        string
	offices  map[string]string // location id → name
	variants map[string]string // a variant's name → its name in l
}

// newWording is the wording of l with the instance's office names and the
// scenario's variants (sc may be nil).
func newWording(l string, in *solver.Instance, sc *capacity.Scenario) wording {
	w := wording{l: l, offices: map[string]string{}, variants: map[string]string{}}
	for _, loc := range in.Locations {
		if loc.Name != "" {
			w.offices[loc.ID] = loc.Name
		}
	}
	if sc != nil {
		for _, v := range sc.Variants {
			w.variants[v.Name] = w.variantName(v)
		}
	}
	return w
}

// text words one sentence.
func (w wording) text(a capacity.Advice) string {
	args := make([]any, len(a.Args))
	for i, x := range a.Args {
		args[i] = w.arg(x)
	}
	return i18n.Staff.N(w.l, "adv."+a.Code, a.N, args...)
}

func (w wording) arg(x capacity.Arg) string {
	switch x.Kind {
	case capacity.ArgLanguage:
		return i18n.LanguageName(w.l, x.Value)
	case capacity.ArgReason:
		if s, ok := i18n.Staff.Lookup(w.l, "reason."+x.Value); ok {
			return s
		}
		return strings.ReplaceAll(x.Value, "_", " ")
	case capacity.ArgWord:
		return i18n.Staff.T(w.l, "adv.w."+x.Value)
	case capacity.ArgWords:
		var out []string
		for _, v := range strings.Split(x.Value, ",") {
			switch {
			case strings.HasPrefix(v, "lang:"):
				out = append(out, i18n.LanguageName(w.l, strings.TrimPrefix(v, "lang:")))
			case strings.HasPrefix(v, "="):
				out = append(out, strings.TrimPrefix(v, "="))
			case v != "":
				out = append(out, i18n.Staff.T(w.l, "adv.w."+v))
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
		return i18n.Number(w.l, n)
	}
	return x.Value
}

// days words weekdays by their short names, a run of three or more as a
// range.
func (w wording) days(days []string) string {
	var out []string
	for _, run := range capacity.DayRuns(days) {
		if len(run) > 2 {
			out = append(out, i18n.Staff.T(w.l, "sc.dayshort."+run[0])+"–"+i18n.Staff.T(w.l, "sc.dayshort."+run[len(run)-1]))
			continue
		}
		for _, d := range run {
			out = append(out, i18n.Staff.T(w.l, "sc.dayshort."+d))
		}
	}
	return strings.Join(out, ", ")
}

// describe words a variant's description: a change and its qualifiers
// joined with ", ", the changes with "; ".
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

// generatedName matches names made from a variant's changes ("+2 ar-MA
// interpreters"): the description stands for them.
var generatedName = regexp.MustCompile(`^[+−-]\d+ `)

// variantName names a variant in l: its description, after the variant's
// own name when it has one that is not made from its changes ("two sg
// interpreters (+2 Sango interpreters, remote)").
func (w wording) variantName(v capacity.Variant) string {
	desc := w.describe(capacity.Describe(v))
	switch {
	case desc == "":
		return v.Name
	case generatedName.MatchString(v.Name) || v.Name == desc:
		return desc
	}
	return v.Name + " (" + desc + ")"
}

// name is a run's name in l (the baseline's and its repeat's as they are).
func (w wording) name(run string) string {
	if n, ok := w.variants[run]; ok {
		return n
	}
	return run
}

// printAdvice writes the sentences, one a line.
func printAdvice(out io.Writer, w wording, as []capacity.Advice) {
	for _, a := range as {
		fmt.Fprintln(out, w.text(a))
	}
}
