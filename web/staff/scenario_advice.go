package staff

import (
	"strings"

	"github.com/asylum-scheduling/interviews/capacity"
	"github.com/asylum-scheduling/interviews/internal/i18n"
)

// adviceText words an answer's sentence in l from the catalog: the key is
// "adv." + its code, its form picked by its count, its arguments worded by
// their kind (capacity.Advice).
func adviceText(l string, a capacity.Advice) string {
	args := make([]any, len(a.Args))
	for i, x := range a.Args {
		args[i] = adviceArg(l, x)
	}
	return i18n.Staff.N(l, "adv."+a.Code, a.N, args...)
}

// adviceArg words one argument of a sentence.
func adviceArg(l string, x capacity.Arg) string {
	switch x.Kind {
	case capacity.ArgLanguage:
		return langName(l, x.Value)
	case capacity.ArgReason:
		return reasonWord(l, x.Value)
	case capacity.ArgWord:
		return staffT(l, "adv.w."+x.Value)
	case capacity.ArgWords:
		var out []string
		for _, w := range strings.Split(x.Value, ",") {
			switch {
			case strings.HasPrefix(w, "lang:"):
				out = append(out, langName(l, strings.TrimPrefix(w, "lang:")))
			case strings.HasPrefix(w, "="):
				out = append(out, strings.TrimPrefix(w, "="))
			case w != "":
				out = append(out, staffT(l, "adv.w."+w))
			}
		}
		return strings.Join(out, ", ")
	}
	return x.Value
}
