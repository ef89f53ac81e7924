package solver

import (
	"math/rand"
	"strings"
	"testing"
)

// The checker's language match (speaksPerSpec) and the optimiser's
// (LanguageMatch) are written apart; they must agree with the spec and with
// each other.
func TestLanguageMatchBothReadings(t *testing.T) {
	for _, tt := range []struct {
		have           []string
		want           string
		dialect        bool
		wantOK, wantEx bool
	}{
		{[]string{"ar"}, "ar", false, true, true},
		{[]string{"AR-iq"}, "ar-IQ", true, true, true},
		{[]string{"ar"}, "ar-IQ", false, true, false},
		{[]string{"ar-IQ"}, "ar", false, true, false},
		{[]string{"ar-SY"}, "ar-IQ", false, true, false},
		{[]string{"ar-SY"}, "ar-IQ", true, false, false},
		{[]string{"ar"}, "ar-IQ", true, false, false},
		{[]string{"fa", "prs"}, "ps", false, false, false},
		{[]string{"ku-Latn", "ckb"}, "ku", false, true, false},
		{[]string{"kmr"}, "ku", false, false, false},
		{nil, "ti", false, false, false},
		{[]string{"ti", "ar"}, "AR", true, true, true},
	} {
		for name, f := range map[string]func([]string, string, bool) (bool, bool){"LanguageMatch": LanguageMatch, "speaksPerSpec": speaksPerSpec} {
			ok, ex := f(tt.have, tt.want, tt.dialect)
			if ok != tt.wantOK || ex != tt.wantEx {
				t.Errorf("%s(%q, %q, %v) = %v, %v; want %v, %v", name, tt.have, tt.want, tt.dialect, ok, ex, tt.wantOK, tt.wantEx)
			}
		}
	}
	// And on random tags from a small alphabet, where they meet often.
	rng := rand.New(rand.NewSource(1))
	parts := []string{"ar", "AR", "ku", "ti", "iq", "SY", "latn", "x"}
	tag := func() string {
		n := 1 + rng.Intn(3)
		s := make([]string, n)
		for i := range s {
			s[i] = parts[rng.Intn(len(parts))]
		}
		return strings.Join(s, "-")
	}
	for range 5000 {
		have := make([]string, rng.Intn(4))
		for i := range have {
			have[i] = tag()
		}
		want, dialect := tag(), rng.Intn(2) == 0
		ok1, ex1 := LanguageMatch(have, want, dialect)
		ok2, ex2 := speaksPerSpec(have, want, dialect)
		if ok1 != ok2 || ex1 != ex2 {
			t.Fatalf("(%q, %q, %v): LanguageMatch %v,%v; speaksPerSpec %v,%v", have, want, dialect, ok1, ex1, ok2, ex2)
		}
	}
}
