package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/asylum-scheduling/interviews/capacity"
	"github.com/asylum-scheduling/interviews/internal/i18n"
)

// adviceText words an answer's sentence in locale l from the service's
// catalog (key "adv." + code, as the scenario pages do).
func adviceText(l string, a capacity.Advice) string {
	args := make([]any, len(a.Args))
	for i, x := range a.Args {
		args[i] = adviceArg(l, x)
	}
	return i18n.Staff.N(l, "adv."+a.Code, a.N, args...)
}

func adviceArg(l string, x capacity.Arg) string {
	switch x.Kind {
	case capacity.ArgLanguage:
		return i18n.LanguageName(l, x.Value)
	case capacity.ArgReason:
		if w, ok := i18n.Staff.Lookup(l, "reason."+x.Value); ok {
			return w
		}
		return strings.ReplaceAll(x.Value, "_", " ")
	case capacity.ArgWord:
		return i18n.Staff.T(l, "adv.w."+x.Value)
	case capacity.ArgWords:
		var out []string
		for _, w := range strings.Split(x.Value, ",") {
			switch {
			case strings.HasPrefix(w, "lang:"):
				out = append(out, i18n.LanguageName(l, strings.TrimPrefix(w, "lang:")))
			case strings.HasPrefix(w, "="):
				out = append(out, strings.TrimPrefix(w, "="))
			case w != "":
				out = append(out, i18n.Staff.T(l, "adv.w."+w))
			}
		}
		return strings.Join(out, ", ")
	}
	return x.Value
}

// printAdvice writes the sentences, one a line.
func printAdvice(w io.Writer, l string, as []capacity.Advice) {
	for _, a := range as {
		fmt.Fprintln(w, adviceText(l, a))
	}
}
