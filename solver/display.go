package solver

import (
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

var englishNames = display.English.Languages()

// displayName returns the English name of a language tag, or "".
func displayName(tag string) string {
	t, err := language.Parse(tag)
	if err != nil {
		return ""
	}
	return englishNames.Name(t)
}
