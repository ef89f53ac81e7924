package web_test

import (
	"net/http"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/solver"
)

// rankInstance is one Arabic interview in the week of Monday 7 January
// 2030 with two ways to hold it: on Monday with an interpreter at €59 an
// hour, or on Tuesday with one at €50. A day of waiting weighs 10, so the
// Monday option ranks first although it costs €9 more.
func rankInstance() *solver.Instance {
	rate := func(n int) *solver.Rates { return &solver.Rates{Onsite: &n} }
	itp := func(id string, cost int, day string) solver.Interpreter {
		return solver.Interpreter{ID: id, Name: "Tulkki " + id, Languages: []string{"ar"}, Skills: []string{}, Modes: []string{solver.ModeOnsite},
			Locations: []string{"HEL"}, CostPerHour: rate(cost), Availability: []solver.Interval{jan2030(day, "09:00", "10:00")}}
	}
	return &solver.Instance{
		Format:    solver.InstanceFormat,
		Timezone:  "Europe/Helsinki",
		Horizon:   solver.DateRange{Start: "2030-01-07", End: "2030-02-01"},
		Locations: []solver.Location{{ID: "HEL", Name: "Helsinki"}},
		Rooms:     []solver.Room{{ID: "HEL-R1", Name: "Huone 1", Location: "HEL", Features: []string{}}},
		Interviewers: []solver.Interviewer{{ID: "HEL-E1", Name: "Puhuttelija Yksi", Location: "HEL", Skills: []string{}, Languages: []string{"fi"},
			Availability: []solver.Interval{jan2030("07", "08:00", "16:00"), jan2030("08", "08:00", "16:00")}}},
		Interpreters: []solver.Interpreter{itp("T-DEAR", 59, "07"), itp("T-CHEAP", 50, "08")},
		Interviews: []solver.Interview{{ID: "I-R1", Case: "C-R1", Language: "ar", DurationMinutes: 60,
			Earliest: "2030-01-07", Deadline: "2030-01-25", Locations: []string{"HEL"}}},
	}
}

var rankingRE = regexp.MustCompile(`<p class="ranking">([^<]+)</p>`)

// TestRankingExplained: on a case where #1 costs €9 more than #2, each
// option says why it ranks where it does (the day sooner outweighs the
// euros), in English, Finnish and Swedish, with the plural rules of each
// language ("a day", never "1 days" or "1 päivää").
func TestRankingExplained(t *testing.T) {
	t.Parallel()
	e := newEnvWith(t, rankInstance())
	c := e.browser(t)
	c.signIn(e.clerk)
	want := map[string][]string{
		"en": {"Ranks above #2 although €9 dearer: a day sooner.", "Ranks below #1 although €9 cheaper: a day later."},
		"fi": {"Ennen vaihtoehtoa 2, vaikka 9 € kalliimpi: päivän aiemmin.", "Vaihtoehdon 1 jälkeen, vaikka 9 € halvempi: päivän myöhemmin."},
		"sv": {"Före alternativ 2 fast 9 € dyrare: en dag tidigare.", "Efter alternativ 1 fast 9 € billigare: en dag senare."},
	}
	oneDay := map[string]string{"en": "A day after the earliest date", "fi": "Päivä ensimmäisen vapaan päivän jälkeen", "sv": "En dag efter den första dagen"}
	for _, l := range []string{"en", "fi", "sv"} {
		c.get("/lang/" + l + "?next=/queue")
		p := c.get("/cases/I-R1")
		require.Equal(t, http.StatusOK, p.status, p.body)
		var got []string
		for _, m := range rankingRE.FindAllStringSubmatch(p.body, -1) {
			got = append(got, visibleText(m[1]))
		}
		require.Equal(t, want[l], got, l)
		text := visibleText(p.body)
		require.Contains(t, text, oneDay[l], "%s: the second option is a day after the first free one", l)
		for _, bad := range []string{"1 days", "1 päivää", "1 dagar", "(s)"} {
			require.NotContains(t, text, bad, l)
		}
	}
}
