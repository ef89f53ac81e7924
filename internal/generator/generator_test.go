package generator

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/language"

	"github.com/asylum-scheduling/interviews/solver"
)

var update = flag.Bool("update", false, "rewrite testdata/instances/*-1.json from Generate")

// instancesDir holds the committed generated instances (XL is not committed).
const instancesDir = "../../testdata/instances"

func generate(t testing.TB, size string, seed int64) *solver.Instance {
	t.Helper()
	in, err := Generate(size, seed)
	if err != nil {
		t.Fatalf("Generate(%q, %d): %v", size, seed, err)
	}
	return in
}

func encode(t testing.TB, in *solver.Instance) []byte {
	t.Helper()
	b, err := json.MarshalIndent(in, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

func TestUnknownSize(t *testing.T) {
	for _, s := range []string{"", "s", "XXXL", "xxl", "de", "medium"} {
		if in, err := Generate(s, 1); err == nil || in != nil {
			t.Errorf("Generate(%q) = %v, %v; want an error", s, in, err)
		}
	}
}

func TestDeterminism(t *testing.T) {
	for _, size := range Sizes {
		a := encode(t, generate(t, size, 7))
		b := encode(t, generate(t, size, 7))
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two calls with seed 7 differ", size)
		}
		c := encode(t, generate(t, size, 8))
		if bytes.Equal(a, c) {
			t.Errorf("%s: seeds 7 and 8 give the same instance", size)
		}
	}
}

// TestValid checks every size with a few seeds against the project's
// validator (solver.Validate, also via the strict JSON reader
// solver.ParseInstance) and against this package's own stricter checks.
func TestValid(t *testing.T) {
	for _, size := range Sizes {
		for seed := int64(1); seed <= 4; seed++ {
			in := generate(t, size, seed)
			if err := solver.Validate(in); err != nil {
				t.Errorf("%s seed %d: %v", size, seed, err)
				continue
			}
			if _, err := solver.ParseInstance(bytes.NewReader(encode(t, in))); err != nil {
				t.Errorf("%s seed %d: ParseInstance: %v", size, seed, err)
			}
			for _, p := range ownChecks(in) {
				t.Errorf("%s seed %d: %s", size, seed, p)
			}
		}
	}
}

// ownChecks are checks beyond the spec's validity that generated instances
// keep: realistic values and a tidy document.
func ownChecks(in *solver.Instance) []string {
	var probs []string
	bad := func(format string, args ...any) {
		if len(probs) < 20 {
			probs = append(probs, fmt.Sprintf(format, args...))
		}
	}
	loc, err := time.LoadLocation(in.Timezone)
	if err != nil || in.Timezone != "Europe/Helsinki" {
		bad("timezone %q", in.Timezone)
		return probs
	}
	hs, _ := solver.ParseDate(in.Horizon.Start)
	he, _ := solver.ParseDate(in.Horizon.End)
	if in.Horizon.Start != BaseDate || time.Unix(int64(hs)*86400, 0).UTC().Weekday() != time.Monday ||
		time.Unix(int64(he)*86400, 0).UTC().Weekday() != time.Friday {
		bad("horizon %v should run from Monday %s to a Friday", in.Horizon, BaseDate)
	}
	if !slices.Equal(in.StartTimes, StartTimes) {
		bad("start_times %v", in.StartTimes)
	}
	locs := map[string]bool{}
	for _, l := range in.Locations {
		locs[l.ID] = true
	}
	if n := len(in.Locations); len(in.TravelMinutes) != n*(n-1)/2 {
		bad("%d travel entries for %d locations", len(in.TravelMinutes), n)
	}
	// Availability intervals: working hours on weekdays within the horizon,
	// in the +02:00 winter offset, sorted and not overlapping.
	intervals := func(what string, list []solver.Interval) {
		var prev time.Time
		for _, iv := range list {
			s, err1 := solver.ParseInstant(iv.Start)
			e, err2 := solver.ParseInstant(iv.End)
			if err1 != nil || err2 != nil || !strings.HasSuffix(iv.Start, "+02:00") || !s.Before(e) {
				bad("%s: bad interval %v", what, iv)
				continue
			}
			d := solver.DateOf(s, loc)
			if d < hs || d > he || solver.DateOf(e, loc) != d || s.In(loc).Hour() < 8 || e.In(loc).Hour() > 17 ||
				s.In(loc).Weekday() == time.Saturday || s.In(loc).Weekday() == time.Sunday || s.Before(prev) {
				bad("%s: interval %v outside weekday working hours of the horizon, or unsorted", what, iv)
			}
			prev = e
		}
	}
	childFriendly := map[string]bool{}
	for _, r := range in.Rooms {
		if !strings.HasPrefix(r.ID, r.Location+"-") || r.Features == nil {
			bad("room %s", r.ID)
		}
		if slices.Contains(r.Features, "child_friendly") {
			childFriendly[r.Location] = true
		}
		intervals("room "+r.ID, r.Availability)
	}
	minorsSkill := map[string]bool{}
	for _, e := range in.Interviewers {
		if e.Gender != "f" && e.Gender != "m" || e.Skills == nil || e.Languages == nil {
			bad("interviewer %s: gender %q, skills %v, languages %v", e.ID, e.Gender, e.Skills, e.Languages)
		}
		if slices.Contains(e.Skills, "minors") {
			minorsSkill[e.Location] = true
		}
		if e.MaxInterviewsPerDay != nil && (*e.MaxInterviewsPerDay < 1 || *e.MaxInterviewsPerDay > 2) {
			bad("interviewer %s: max_interviews_per_day %d", e.ID, *e.MaxInterviewsPerDay)
		}
		intervals("interviewer "+e.ID, e.Availability)
	}
	for l := range locs {
		if !childFriendly[l] || !minorsSkill[l] {
			bad("location %s: child-friendly room %v, interviewer with minors %v", l, childFriendly[l], minorsSkill[l])
		}
	}
	for _, tr := range in.Interpreters {
		if n := len(tr.Languages); n < 1 || n > 5 {
			bad("interpreter %s speaks %v", tr.ID, tr.Languages)
		}
		primaries := map[string]bool{}
		for _, l := range tr.Languages {
			if _, err := language.Parse(l); err != nil {
				bad("interpreter %s: language %q: %v", tr.ID, l, err)
			}
			if l == noInterpreterLang || l == unservedDialect {
				bad("interpreter %s speaks %s, which no one should", tr.ID, l)
			}
			primaries[primary(l)] = true
		}
		if len(primaries) > 3 {
			bad("interpreter %s speaks %d languages", tr.ID, len(primaries))
		}
		if tr.Gender != "f" && tr.Gender != "m" || len(tr.Locations) == 0 || len(tr.Locations) > 2 || tr.Skills == nil {
			bad("interpreter %s: gender %q, locations %v", tr.ID, tr.Gender, tr.Locations)
		}
		c := tr.CostPerHour
		if c == nil {
			bad("interpreter %s has no rates", tr.ID)
			continue
		}
		for _, m := range tr.Modes {
			r := c.Rate(m)
			if m == solver.ModeOnsite && (r < 45 || r > 70) || m == solver.ModeRemote && (r < 35 || r > 55) {
				bad("interpreter %s: %s rate %d", tr.ID, m, r)
			}
		}
		if tr.MaxMinutesPerDay != nil && *tr.MaxMinutesPerDay != 360 && *tr.MaxMinutesPerDay != 480 {
			bad("interpreter %s: max_minutes_per_day %d", tr.ID, *tr.MaxMinutesPerDay)
		}
		intervals("interpreter "+tr.ID, tr.Availability)
	}
	for _, p := range in.Parties {
		intervals("party "+p.ID, p.Availability)
	}
	cases := map[string]int{}
	for _, iv := range in.Interviews {
		cases[iv.Case]++
		if !strings.HasPrefix(iv.Case, "C-2027-") || len(iv.Case) != len("C-2027-000123") {
			bad("interview %s: case %q", iv.ID, iv.Case)
		}
		if _, err := language.Parse(iv.Language); err != nil {
			bad("interview %s: language %q: %v", iv.ID, iv.Language, err)
		}
		if iv.DurationMinutes != 120 && iv.DurationMinutes != 180 && iv.DurationMinutes != 240 {
			bad("interview %s: duration %d", iv.ID, iv.DurationMinutes)
		}
		e, _ := solver.ParseDate(iv.Earliest)
		if e < hs || e > he {
			bad("interview %s: earliest %s outside the horizon", iv.ID, iv.Earliest)
		}
		if iv.Latest != "" {
			if l, _ := solver.ParseDate(iv.Latest); l < e || l > he {
				bad("interview %s: latest %s", iv.ID, iv.Latest)
			}
		}
		if p := iv.Prio(); p < 1 || p > 3 {
			bad("interview %s: priority %d", iv.ID, p)
		}
		if len(iv.Locations) < 1 || len(iv.Locations) > 2 {
			bad("interview %s: locations %v", iv.ID, iv.Locations)
		}
		if iv.InterviewerGender != "" && iv.InterviewerGender != "f" && iv.InterviewerGender != "m" ||
			iv.InterpreterGender != "" && iv.InterpreterGender != "f" && iv.InterpreterGender != "m" {
			bad("interview %s: genders %q %q", iv.ID, iv.InterviewerGender, iv.InterpreterGender)
		}
		if !iv.NeedsInterp() && (iv.InterpreterMode != "" || iv.InterpreterGender != "" || len(iv.InterpreterSkills) > 0 || len(iv.ExcludedInterpreters) > 0) {
			bad("interview %s needs no interpreter but asks things of one", iv.ID)
		}
		if iv.PreferredInterviewer != "" && slices.Contains(iv.ExcludedInterviewers, iv.PreferredInterviewer) {
			bad("interview %s both prefers and excludes %s", iv.ID, iv.PreferredInterviewer)
		}
	}
	for c, n := range cases {
		if n > 2 {
			bad("case %s has %d sessions", c, n)
		}
	}
	return probs
}

func TestCounts(t *testing.T) {
	type rng struct{ lo, hi int }
	want := map[string]struct {
		locations, days               int
		interviews, interpreters      rng
		rooms, interviewers, counsels rng
	}{
		"S":  {1, 5, rng{30, 30}, rng{20, 60}, rng{3, 6}, rng{4, 8}, rng{3, 10}},
		"M":  {4, 5, rng{115, 125}, rng{90, 200}, rng{10, 20}, rng{12, 24}, rng{10, 40}},
		"L":  {4, 26, rng{480, 520}, rng{220, 400}, rng{10, 20}, rng{14, 26}, rng{30, 100}},
		"XL": {4, 26, rng{3100, 3300}, rng{650, 800}, rng{60, 100}, rng{70, 110}, rng{150, 400}},
	}
	for _, size := range Sizes {
		for seed := int64(1); seed <= 3; seed++ {
			in := generate(t, size, seed)
			w := want[size]
			hs, _ := solver.ParseDate(in.Horizon.Start)
			he, _ := solver.ParseDate(in.Horizon.End)
			counsels := 0
			for _, p := range in.Parties {
				if p.Kind == solver.PartyCounsel {
					counsels++
				}
			}
			got := []struct {
				what string
				n    int
				r    rng
			}{
				{"locations", len(in.Locations), rng{w.locations, w.locations}},
				{"horizon days", int(he-hs) + 1, rng{w.days, w.days}},
				{"interviews", len(in.Interviews), w.interviews},
				{"interpreters", len(in.Interpreters), w.interpreters},
				{"rooms", len(in.Rooms), w.rooms},
				{"interviewers", len(in.Interviewers), w.interviewers},
				{"counsels", counsels, w.counsels},
			}
			for _, g := range got {
				if g.n < g.r.lo || g.n > g.r.hi {
					t.Errorf("%s seed %d: %d %s, want %d..%d", size, seed, g.n, g.what, g.r.lo, g.r.hi)
				}
			}
		}
	}
}

// TestMix checks the shares of the interview features the brief asks for.
func TestMix(t *testing.T) {
	for _, size := range []string{"L", "XL"} {
		in := generate(t, size, 3)
		n := float64(len(in.Interviews))
		var minors, gender, noInterp, twoLocs, prio, deadline, latest, counsel, dialect, preferred, excluded, mode180 float64
		modes := map[string]float64{}
		for _, iv := range in.Interviews {
			isMinor := slices.Contains(iv.InterviewerSkills, "minors")
			if isMinor {
				minors++
			}
			hasRep, hasCounsel := false, false
			for _, p := range iv.Parties {
				hasRep = hasRep || strings.HasPrefix(p, "P-R")
				hasCounsel = hasCounsel || strings.HasPrefix(p, "P-C")
			}
			if isMinor != hasRep || isMinor != slices.Contains(iv.RoomFeatures, "child_friendly") {
				t.Errorf("%s %s: minors skill %v, representative %v, rooms %v", size, iv.ID, isMinor, hasRep, iv.RoomFeatures)
			}
			if hasCounsel {
				counsel++
			}
			if iv.InterviewerGender != "" || iv.InterpreterGender != "" {
				gender++
			}
			if !iv.NeedsInterp() {
				noInterp++
			}
			if len(iv.Locations) == 2 {
				twoLocs++
			}
			if iv.Prio() > 1 {
				prio++
			}
			if iv.Deadline != "" {
				deadline++
			}
			if iv.Latest != "" {
				latest++
			}
			if iv.DialectRequired {
				dialect++
			}
			if iv.PreferredInterviewer != "" {
				preferred++
			}
			if len(iv.ExcludedInterpreters) > 0 {
				excluded++
			}
			if iv.DurationMinutes == 180 {
				mode180++
			}
			modes[iv.InterpreterMode]++
		}
		shares := []struct {
			what   string
			x      float64
			lo, hi float64
		}{
			{"minors", minors, 0.06, 0.14},
			{"same-gender requests", gender, 0.10, 0.20},
			{"no interpreter needed", noInterp, 0.002, 0.08},
			{"two locations", twoLocs, 0.08, 0.22},
			{"priority > 1", prio, 0.12, 0.28},
			{"deadline", deadline, 0.2, 0.4},
			{"latest", latest, 0.01, 0.08},
			{"counsel", counsel, 0.35, 0.55},
			{"dialect required", dialect, 0.02, 0.12},
			{"preferred interviewer", preferred, 0.06, 0.2},
			{"excluded interpreters", excluded, 0.002, 0.05},
			{"180 minutes", mode180, 0.6, 0.8},
			{"interpreter_mode any", modes["any"], 0.35, 0.5},
			{"interpreter_mode prefer_onsite", modes["prefer_onsite"], 0.25, 0.4},
			{"interpreter_mode onsite", modes["onsite"], 0.06, 0.18},
			{"interpreter_mode remote", modes["remote"], 0.03, 0.12},
		}
		for _, s := range shares {
			if s.x/n < s.lo || s.x/n > s.hi {
				t.Errorf("%s: %s in %.1f%% of interviews, want %.0f–%.0f%%", size, s.what, 100*s.x/n, 100*s.lo, 100*s.hi)
			}
		}
	}
}

func TestLanguages(t *testing.T) {
	for _, size := range Sizes {
		in := generate(t, size, 1)
		perPrimary := map[string]int{}
		for _, iv := range in.Interviews {
			if _, err := language.Parse(iv.Language); err != nil {
				t.Errorf("%s %s: %v", size, iv.ID, err)
			}
			perPrimary[primary(iv.Language)]++
		}
		var counts []int
		for _, n := range perPrimary {
			counts = append(counts, n)
		}
		sort.Sort(sort.Reverse(sort.IntSlice(counts)))
		top5 := 0
		for _, n := range counts[:min(5, len(counts))] {
			top5 += n
		}
		share := float64(top5) / float64(len(in.Interviews))
		lo, hi := 0.40, 0.60
		if size == "S" {
			lo, hi = 0.35, 0.75 // 30 interviews: wide sampling noise
		}
		if share < lo || share > hi {
			t.Errorf("%s: the top five languages carry %.0f%% of the interviews, want %.0f–%.0f%%", size, 100*share, 100*lo, 100*hi)
		}
		if (size == "L" || size == "XL") && len(perPrimary) < 50 {
			t.Errorf("%s: %d distinct languages, want at least 50", size, len(perPrimary))
		}
		if perPrimary["ar"] < counts[0] {
			t.Errorf("%s: Arabic (%d) is not the most demanded language (%d)", size, perPrimary["ar"], counts[0])
		}
	}
}

// TestScarcity: common languages have many interpreters, rare ones one or two
// nationally, and Arabic interpreters list dialects.
func TestScarcity(t *testing.T) {
	in := generate(t, "XL", 1)
	speakers := map[string]int{}
	dialects := 0
	for _, tr := range in.Interpreters {
		seen := map[string]bool{}
		for _, l := range tr.Languages {
			if l != primary(l) {
				dialects++
			}
			if p := primary(l); !seen[p] {
				seen[p] = true
				speakers[p]++
			}
		}
	}
	if speakers["ar"] < 100 || speakers["so"] < 30 || speakers["prs"] < 30 {
		t.Errorf("XL: too few interpreters of common languages: ar %d, so %d, prs %d", speakers["ar"], speakers["so"], speakers["prs"])
	}
	rare := 0
	for _, n := range speakers {
		if n <= 2 {
			rare++
		}
	}
	if rare < 10 {
		t.Errorf("XL: only %d languages have one or two interpreters, want at least 10 (%v)", rare, speakers)
	}
	if dialects < 50 {
		t.Errorf("XL: only %d interpreter dialect tags", dialects)
	}
	for _, tr := range in.Interpreters {
		hasAvail := len(tr.Availability) > 0
		if !hasAvail {
			t.Errorf("XL: interpreter %s is never available", tr.ID)
		}
	}
}

// TestSchedulable: taken one at a time, most interviews of every size have
// a feasible option, but a few are genuinely impossible (and never for lack
// of a location's basic resources).
func TestSchedulable(t *testing.T) {
	for _, size := range Sizes {
		in := generate(t, size, 1)
		f := newFeasibility(t, in)
		impossible := 0
		var noLang []string
		for i := range in.Interviews {
			iv := &in.Interviews[i]
			if f.feasible(iv, nil) {
				continue
			}
			impossible++
			ok := !iv.NeedsInterp()
			for _, tr := range in.Interpreters {
				if m, _ := solver.LanguageMatch(tr.Languages, iv.Language, iv.DialectRequired); m {
					ok = true
				}
			}
			if !ok {
				noLang = append(noLang, iv.ID)
			}
		}
		share := float64(impossible) / float64(len(in.Interviews))
		t.Logf("%s: %d of %d interviews infeasible on their own, %d for want of any interpreter of the language", size, impossible, len(in.Interviews), len(noLang))
		if len(noLang) < sizes[size].impossible || impossible == 0 {
			t.Errorf("%s: %d interviews without an interpreter of their language, want at least %d", size, len(noLang), sizes[size].impossible)
		}
		if share > 0.15 {
			t.Errorf("%s: %.0f%% of the interviews are infeasible on their own, want at most 15%%", size, 100*share)
		}
	}
}

// TestCapacity: a normal week or month mostly fits; the surge month is
// tight (rooms and interviewers staffed for nearly all of it).
func TestCapacity(t *testing.T) {
	for _, size := range Sizes {
		for seed := int64(1); seed <= 3; seed++ {
			in := generate(t, size, seed)
			r, e := sessions(in) // half-day sessions: each holds at most one interview
			load := float64(len(in.Interviews)) / float64(min(r, e))
			lo, hi := 0.6, 0.95
			if size == "XL" {
				lo, hi = 0.9, 1.0
			}
			if load < lo || load > hi {
				t.Errorf("%s seed %d: %d interviews for %d room and %d interviewer slots (load %.2f), want load %.2f–%.2f",
					size, seed, len(in.Interviews), r, e, load, lo, hi)
			}
		}
	}
}

// TestXLIsFast is a generous guard; BenchmarkGenerateXL measures the target
// (under a second).
func TestXLIsFast(t *testing.T) {
	start := time.Now()
	generate(t, "XL", 42)
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("Generate(XL) took %v, want well under 10 s (the target, under 1 s, is BenchmarkGenerateXL's)", d)
	}
}

// TestGolden compares Generate(size, 1) with the committed
// testdata/instances/<size>-1.json; run with -update to rewrite them.
func TestGolden(t *testing.T) {
	for _, size := range []string{"S", "M", "L"} {
		path := filepath.Join(instancesDir, size+"-1.json")
		got := encode(t, generate(t, size, 1))
		if *update {
			if err := os.MkdirAll(instancesDir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./internal/generator -run TestGolden -update)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from Generate(%q, 1); run go test ./internal/generator -run TestGolden -update if the change is intended", path, size)
		}
		if _, err := solver.ParseInstance(bytes.NewReader(want)); err != nil {
			t.Errorf("%s: %v", path, err)
		}
	}
}

func BenchmarkGenerateXL(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		if _, err := Generate("XL", int64(i)); err != nil {
			b.Fatal(err)
		}
	}
}
