package advice

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/capacity"
)

// TestVariantName: a variant's name in the language, its own name first
// unless the name was made from its changes: in the language itself, in
// the old form's way ("+2 …"), or, with MadeIn, in any of those languages.
func TestVariantName(t *testing.T) {
	t.Parallel()
	const (
		en = "sessions also at 16:30, 18:00, Mon–Thu"
		fi = "puhutteluja myös klo 16.30, 18.00, ma–to"
	)
	evenings := func(name string) capacity.Variant {
		return capacity.Variant{Name: name, Changes: []capacity.Change{{ExtraSessions: &capacity.ExtraSessions{
			StartTimes: []string{"16:30", "18:00"}, Pattern: capacity.Pattern{Weekdays: []string{"thu", "tue", "mon", "wed"}}}}}}
	}
	for _, c := range []struct {
		name   string
		v      capacity.Variant
		madeIn []string
		want   string
	}{
		{"own name first", evenings("evenings"), nil, "evenings (" + fi + ")"},
		{"made in the language", evenings(fi), nil, fi},
		{"made in the old form's way", evenings("+2 Arabic interpreters, Tue–Thu, Helsinki"), nil, fi},
		{"made in another language, L alone", evenings(en), nil, en + " (" + fi + ")"},
		{"made in another language, the pages' languages", evenings(en), Languages, fi},
		{"given, the pages' languages", evenings("evenings"), Languages, "evenings (" + fi + ")"},
		{"no change", capacity.Variant{Name: "as it is"}, Languages, "as it is"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			w := Wording{L: "fi", MadeIn: c.madeIn}
			require.Equal(t, c.want, w.VariantName(c.v))
		})
	}
}

// TestName: a run is named by its variant's name in the language, the
// baseline and any other as they are, and so in a sentence's "variant".
func TestName(t *testing.T) {
	t.Parallel()
	w := Wording{L: "en", Variants: map[string]string{"+1 sg": "1 more Sango interpreter"}}
	require.Equal(t, "1 more Sango interpreter", w.Name("+1 sg"))
	require.Equal(t, "baseline", w.Name("baseline"))
	require.Equal(t, w.Name("+1 sg"), w.arg(capacity.Arg{Name: "variant", Value: "+1 sg"}))
}
