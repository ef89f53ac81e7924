package capacity

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/generator"
	"github.com/asylum-scheduling/interviews/solver"
)

func ptr[T any](v T) *T { return &v }

func generated(t testing.TB, size string, seed int64) *solver.Instance {
	t.Helper()
	in, err := generator.Generate(size, seed)
	require.NoError(t, err)
	return in
}

func one(name string, c Change) Scenario {
	return Scenario{Format: ScenarioFormat, Variants: []Variant{{Name: name, Changes: []Change{c}}}}
}

func countLang(list []solver.Interpreter, lang string) int {
	n := 0
	for _, t := range list {
		if ok, _ := solver.LanguageMatch(t.Languages, lang, false); ok {
			n++
		}
	}
	return n
}

func TestApplyChanges(t *testing.T) {
	t.Parallel()
	base := generated(t, "S", 1)
	before := clone(base)
	require.Equal(t, before, base)
	tests := []struct {
		name   string
		change Change
		check  func(t *testing.T, got *solver.Instance)
	}{
		{"add interpreters", Change{AddInterpreters: &AddInterpreters{
			Language: "sg", Count: 3, Modes: []string{"remote"}, Genders: []string{"f", "m"},
			Pattern:     &Pattern{Weekdays: []string{"tue", "thu"}, Hours: &Hours{Start: "09:00", End: "15:00"}},
			CostPerHour: &solver.Rates{Remote: ptr(55)},
		}}, func(t *testing.T, got *solver.Instance) {
			require.Len(t, got.Interpreters, len(base.Interpreters)+3)
			added := got.Interpreters[len(base.Interpreters):]
			require.Equal(t, []string{"f", "m", "f"}, []string{added[0].Gender, added[1].Gender, added[2].Gender})
			for _, a := range added {
				require.Equal(t, []string{"sg"}, a.Languages)
				require.Equal(t, []string{"remote"}, a.Modes)
				require.Equal(t, 55, a.CostPerHour.Rate("remote"))
				// One week from Monday 2027-01-04: Tuesday and Thursday.
				require.Equal(t, []solver.Interval{
					{Start: "2027-01-05T09:00:00+02:00", End: "2027-01-05T15:00:00+02:00"},
					{Start: "2027-01-07T09:00:00+02:00", End: "2027-01-07T15:00:00+02:00"},
				}, a.Availability)
			}
			require.NotEqual(t, added[0].ID, added[1].ID)
		}},
		{"remove interpreters by language", Change{RemoveInterpreters: &RemovePeople{Language: "ar", Count: 2}}, func(t *testing.T, got *solver.Instance) {
			require.Equal(t, countLang(base.Interpreters, "ar")-2, countLang(got.Interpreters, "ar"))
		}},
		{"remove interpreter by id", Change{RemoveInterpreters: &RemovePeople{IDs: []string{base.Interpreters[0].ID}}}, func(t *testing.T, got *solver.Instance) {
			require.Len(t, got.Interpreters, len(base.Interpreters)-1)
			require.NotEqual(t, base.Interpreters[0].ID, got.Interpreters[0].ID)
		}},
		{"add interviewers", Change{AddInterviewers: &AddInterviewers{Location: "HEL", Count: 2, Pattern: &Pattern{Weekdays: []string{"mon"}}}}, func(t *testing.T, got *solver.Instance) {
			require.Len(t, got.Interviewers, len(base.Interviewers)+2)
			a := got.Interviewers[len(got.Interviewers)-1]
			require.Equal(t, "HEL", a.Location)
			require.Equal(t, []solver.Interval{{Start: "2027-01-04T08:00:00+02:00", End: "2027-01-04T16:30:00+02:00"}}, a.Availability)
		}},
		{"remove interviewers", Change{RemoveInterviewers: &RemovePeople{Location: "HEL", Count: 1}}, func(t *testing.T, got *solver.Instance) {
			require.Len(t, got.Interviewers, len(base.Interviewers)-1)
		}},
		{"add rooms", Change{AddRooms: &AddRooms{Location: "HEL", Count: 2, Features: []string{"video", "child_friendly"}}}, func(t *testing.T, got *solver.Instance) {
			require.Len(t, got.Rooms, len(base.Rooms)+2)
			r := got.Rooms[len(got.Rooms)-1]
			require.Equal(t, []string{"video", "child_friendly"}, r.Features)
			require.Nil(t, r.Availability)
		}},
		{"saturday sessions", Change{ExtraSessions: &ExtraSessions{
			StartTimes: []string{"10:00"}, Pattern: Pattern{Weekdays: []string{"sat"}, Hours: &Hours{Start: "09:30", End: "14:00"}},
		}}, func(t *testing.T, got *solver.Instance) {
			require.Contains(t, got.StartTimes, "10:00")
			sat := solver.Interval{Start: "2027-01-09T09:30:00+02:00", End: "2027-01-09T14:00:00+02:00"}
			require.Contains(t, got.Interviewers[0].Availability, sat)
			require.NotContains(t, base.Interviewers[0].Availability, sat)
		}},
		{"remote share of interviews", Change{RemoteShare: &RemoteShare{Interviews: ptr(1.0)}}, func(t *testing.T, got *solver.Instance) {
			for _, iv := range got.Interviews {
				require.NotEqual(t, solver.WantOnsite, iv.WantMode(), iv.ID)
			}
		}},
		{"remote share of interviews at one office", Change{RemoteShare: &RemoteShare{Interviews: ptr(1.0), Locations: []string{"HEL"}, Languages: []string{"ar"}}}, func(t *testing.T, got *solver.Instance) {
			changed := 0
			for i, iv := range got.Interviews {
				was := base.Interviews[i]
				if !strings.HasPrefix(iv.Language, "ar") {
					require.Equal(t, was.InterpreterMode, iv.InterpreterMode, iv.ID)
					continue
				}
				require.NotEqual(t, solver.WantOnsite, iv.WantMode(), iv.ID)
				if was.WantMode() == solver.WantOnsite {
					changed++
				}
			}
			require.Positive(t, changed, "some Arabic interview wanted an on-site interpreter")
		}},
		{"remote share of interpreters", Change{RemoteShare: &RemoteShare{Interpreters: ptr(1.0)}}, func(t *testing.T, got *solver.Instance) {
			for _, tr := range got.Interpreters {
				require.Contains(t, tr.Modes, solver.ModeRemote, tr.ID)
			}
		}},
		{"notice", Change{Notice: &Notice{MinDays: ptr(2)}}, func(t *testing.T, got *solver.Instance) {
			for _, iv := range got.Interviews {
				require.GreaterOrEqual(t, iv.Earliest, "2027-01-06", iv.ID)
			}
		}},
		{"deadline", Change{Deadline: &DeadlineRule{LatestDays: ptr(3), Languages: []string{"ar"}}}, func(t *testing.T, got *solver.Instance) {
			for i, iv := range got.Interviews {
				if strings.HasPrefix(iv.Language, "ar") {
					e, _ := solver.ParseDate(iv.Earliest)
					require.Equal(t, (e + 3).String(), iv.Latest, iv.ID)
				} else {
					require.Equal(t, base.Interviews[i].Latest, iv.Latest)
				}
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sc := one(tc.name, tc.change)
			got, err := Apply(base, &sc, 0)
			require.NoError(t, err)
			require.NoError(t, solver.Validate(got))
			tc.check(t, got)
			require.Equal(t, before, base, "the base instance must not change")
		})
	}
}

func TestInvalidScenarios(t *testing.T) {
	t.Parallel()
	base := generated(t, "S", 1)
	ok := Change{AddRooms: &AddRooms{Location: "HEL", Count: 1}}
	tests := []struct {
		name string
		sc   Scenario
		want []string
	}{
		{"format", Scenario{Format: "x", Variants: []Variant{{Name: "a", Changes: []Change{ok}}}}, []string{`format: must be "capacity-scenario/v1"`}},
		{"no variants", Scenario{Format: ScenarioFormat}, []string{"variants: must list at least one variant"}},
		{"too many variants", Scenario{Format: ScenarioFormat, Variants: slices.Repeat([]Variant{{Name: "a", Changes: []Change{ok}}}, 6)}, []string{"at most 5 variants"}},
		{"duplicate name", Scenario{Format: ScenarioFormat, Variants: []Variant{{Name: "a", Changes: []Change{ok}}, {Name: "a", Changes: []Change{ok}}}}, []string{`variants[1].name: "a" is the name of variants[0] too`}},
		{"baseline name", one("Baseline", ok), []string{`variants[0].name: "Baseline" is the name of the base run`}},
		{"empty change", one("v", Change{}), []string{`variants[0].changes[0]: must hold one change`, `(variant "v")`}},
		{"two kinds", one("v", Change{AddRooms: ok.AddRooms, Notice: &Notice{MinDays: ptr(1)}}), []string{"must hold exactly one change, not 2"}},
		{"room count", one("more rooms", Change{AddRooms: &AddRooms{Location: "HEL", Count: 0}}), []string{`variants[0].changes[0].add_rooms.count: must be between 1 and 500, not 0 (variant "more rooms")`}},
		{"room location", one("v", Change{AddRooms: &AddRooms{Location: "TKU", Count: 1}}), []string{`add_rooms.location: "TKU" is not a location of the instance (HEL)`}},
		{"room feature", one("v", Change{AddRooms: &AddRooms{Location: "HEL", Count: 1, Features: []string{"sauna"}}}), []string{`add_rooms.features[0]: "sauna" is not a room feature`}},
		{"interpreter language", one("v", Change{AddInterpreters: &AddInterpreters{Count: 1}}), []string{"add_interpreters.language: must name a language"}},
		{"interpreter mode", one("v", Change{AddInterpreters: &AddInterpreters{Language: "so", Count: 1, Modes: []string{"video"}}}), []string{`add_interpreters.modes[0]: must be onsite or remote, not "video"`}},
		{"interpreter cost", one("v", Change{AddInterpreters: &AddInterpreters{Language: "so", Count: 1, CostPerHour: &solver.Rates{Onsite: ptr(-1)}}}), []string{"add_interpreters.cost_per_hour.onsite: must not be negative"}},
		{"pattern weekday", one("v", Change{AddInterpreters: &AddInterpreters{Language: "so", Count: 1, Pattern: &Pattern{Weekdays: []string{"monday"}}}}), []string{`add_interpreters.pattern.weekdays[0]: "monday" is not a weekday`}},
		{"pattern hours", one("v", Change{AddInterviewers: &AddInterviewers{Location: "HEL", Count: 1, Pattern: &Pattern{Hours: &Hours{Start: "16:00", End: "08:00"}}}}), []string{"add_interviewers.pattern.hours.end: must be after hours.start"}},
		{"pattern dates", one("v", Change{AddInterviewers: &AddInterviewers{Location: "HEL", Count: 1, Pattern: &Pattern{Dates: &solver.DateRange{Start: "2027-01-05", End: "5.1.2027"}}}}), []string{"add_interviewers.pattern.dates.end:"}},
		{"remove too many", one("v", Change{RemoveInterpreters: &RemovePeople{Language: "sg", Count: 1}}), []string{"remove_interpreters.count: is 1 but only 0 interpreters match"}},
		{"remove unknown id", one("v", Change{RemoveInterviewers: &RemovePeople{IDs: []string{"nobody"}}}), []string{`remove_interviewers.ids[0]: "nobody" is not an interviewer`}},
		{"sessions without hours", one("v", Change{ExtraSessions: &ExtraSessions{Pattern: Pattern{Weekdays: []string{"sat"}}}}), []string{"extra_sessions.pattern.hours: must give the hours"}},
		{"sessions start time", one("v", Change{ExtraSessions: &ExtraSessions{StartTimes: []string{"25:00"}, Pattern: Pattern{Hours: &Hours{Start: "17:00", End: "20:00"}}}}), []string{"extra_sessions.start_times[0]:"}},
		{"remote share", one("v", Change{RemoteShare: &RemoteShare{Interviews: ptr(1.5)}}), []string{"remote_share.interviews: must be a share between 0 and 1, not 1.5"}},
		{"remote share location", one("v", Change{RemoteShare: &RemoteShare{Interviews: ptr(0.5), Locations: []string{"OUL"}}}), []string{`remote_share.locations[0]: "OUL" is not a location of the instance (HEL)`}},
		{"notice", one("v", Change{Notice: &Notice{MinDays: ptr(-1)}}), []string{"notice.min_days: must be between 0 and 365, not -1"}},
		{"deadline", one("v", Change{Deadline: &DeadlineRule{}}), []string{"deadline: must give deadline_days or latest_days"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := Check(base, &tc.sc)
			require.Error(t, err)
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			for _, w := range tc.want {
				require.Contains(t, err.Error(), w)
			}
		})
	}
}

func TestParseScenarioStrict(t *testing.T) {
	t.Parallel()
	_, err := ParseScenario([]byte(`{"format":"capacity-scenario/v1","variants":[{"name":"a","changes":[{"add_rooms":{"location":"HEL","count":"2","colour":"red"}}]}]}`))
	require.Error(t, err)
	require.Contains(t, err.Error(), "variants[0].changes[0].add_rooms.colour: unknown field")
	require.Contains(t, err.Error(), "variants[0].changes[0].add_rooms.count: must be a whole number")
	sc, err := ParseScenario([]byte(`{"format":"capacity-scenario/v1","variants":[{"name":"a","changes":[{"add_rooms":{"location":"HEL","count":2}}]}]}`))
	require.NoError(t, err)
	require.Equal(t, 2, sc.Variants[0].Changes[0].AddRooms.Count)
}

// withBookings is the instance with the first-fit plan as its bookings, the
// first pinned of every two.
func withBookings(t testing.TB, in *solver.Instance) *solver.Instance {
	t.Helper()
	s, err := solver.FirstFit(in)
	require.NoError(t, err)
	out := clone(in)
	for i, a := range s.Assignments {
		out.Bookings = append(out.Bookings, solver.Booking{
			Interview: a.Interview, Start: a.Start, Room: a.Room, Interviewer: a.Interviewer,
			Interpreter: a.Interpreter, Mode: a.Mode, Pinned: i%2 == 0,
		})
	}
	require.NoError(t, solver.Validate(out))
	require.NotEmpty(t, out.Bookings)
	return out
}

func TestRemovalDropsBookings(t *testing.T) {
	t.Parallel()
	base := withBookings(t, generated(t, "S", 1))
	before := clone(base)
	pinned := base.Bookings[0]
	require.True(t, pinned.Pinned)
	tests := []struct {
		name   string
		change Change
		gone   func(b solver.Booking) bool
	}{
		{"interviewer", Change{RemoveInterviewers: &RemovePeople{IDs: []string{pinned.Interviewer}}}, func(b solver.Booking) bool { return b.Interviewer == pinned.Interviewer }},
		{"interpreter", Change{RemoveInterpreters: &RemovePeople{IDs: []string{pinned.Interpreter}}}, func(b solver.Booking) bool { return b.Interpreter == pinned.Interpreter }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "interpreter" && pinned.Interpreter == "" {
				t.Fatal("the first booking has no interpreter; pick another seed")
			}
			sc := one(tc.name, tc.change)
			got, err := Apply(base, &sc, 0)
			require.NoError(t, err)
			require.NoError(t, solver.Validate(got))
			dropped := 0
			for _, b := range base.Bookings {
				if tc.gone(b) {
					dropped++
				}
			}
			require.Positive(t, dropped)
			require.Len(t, got.Bookings, len(base.Bookings)-dropped)
			for _, b := range got.Bookings {
				require.False(t, tc.gone(b), "booking of %s kept", b.Interview)
			}
			require.Equal(t, before, base)
		})
	}
}
