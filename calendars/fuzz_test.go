package calendars

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzRenderText: whatever text the caller puts in a feed, the body stays
// valid (lines of at most 75 octets, CRLF, valid UTF-8), reads back with
// the import reader, and its TEXT values decode (go-ical's unescaping) to
// exactly what the renderer meant to say.
func FuzzRenderText(f *testing.F) {
	f.Add("Feed", "Helsinki", "HEL-R02", "IV-7Q2K", "https://meet.example/j/1 · PIN 5521")
	f.Add("a;b,c\\d", "x\r\ny", "\x00\x7f\u2028", "\xff\xfe", strings.Repeat("·", 80))
	f.Add("", "", "", "", "")
	f.Fuzz(func(t *testing.T, name, office, room, ref, join string) {
		e := sampleFeed().Events[1] // remote: the join info is shown
		e.Office, e.Room, e.Reference, e.JoinInfo = office, room, ref, join
		body, err := Render(Feed{Name: name, Events: []Event{e}}, testNow)
		if err != nil {
			t.Fatal(err)
		}
		if !utf8.Valid(body) || !bytes.HasSuffix(body, []byte("\r\n")) {
			t.Fatal("body is not valid UTF-8 ending in CRLF")
		}
		for _, l := range strings.Split(strings.TrimSuffix(string(body), "\r\n"), "\r\n") {
			if len(l) > maxLine || strings.ContainsAny(l, "\r\n") {
				t.Fatalf("bad line %q", l)
			}
		}
		cals, err := parseDocument(body)
		if err != nil {
			t.Fatalf("the feed does not read back: %v\n%s", err, body)
		}
		if len(cals) != 1 || len(cals[0].kids) != 1 {
			t.Fatalf("read back %d calendars", len(cals))
		}
		ev := cals[0].kids[0]
		for prop, want := range map[string]string{
			"DESCRIPTION": e.Description(),
			"LOCATION":    e.Location(),
			"SUMMARY":     e.Summary(),
		} {
			p := ev.Props.Get(prop)
			if p == nil {
				if want != "" {
					t.Fatalf("%s missing, want %q", prop, want)
				}
				continue
			}
			got, err := p.Text()
			if err != nil || got != want {
				t.Fatalf("%s decodes to %q (%v), want %q", prop, got, err, want)
			}
		}
		if got, _ := cals[0].Props.Get("X-WR-CALNAME").Text(); got != clean(name) {
			t.Fatalf("calendar name %q, want %q", got, clean(name))
		}
	})
}

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"PT1H", "P1D", "P2W", "P1DT12H30M5S", "-PT1H", "+PT15M", "P", "PT", "P1H", "PT1D", "P9999999D"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		days, exact, err := parseDuration(s)
		if err != nil {
			return
		}
		if days < 0 || exact < 0 || days > maxDurationDays || exact > maxDurationDays*24*time.Hour {
			t.Fatalf("parseDuration(%q) = %d days, %s", s, days, exact)
		}
		if !strings.Contains(strings.ToUpper(s), "P") {
			t.Fatalf("parseDuration(%q) accepted a value without P", s)
		}
	})
}
