package web_test

import (
	"net/http"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/solver"
)

// noFitInstance is the Azerbaijani case: the planning horizon is
// the week of Monday 7 January 2030, the deadline Monday 14 January, and
// the one Azerbaijani interpreter is free only from Thursday 17 January.
// I-AZ1 would first fit then; I-AZ2 has that interpreter excluded, so no
// one may take it; a Tigrinya interview fits at once.
func noFitInstance() *solver.Instance {
	weekdays := jan2030Days("08:00", "16:00", "07", "08", "09", "10", "11", "14", "15", "16", "17", "18", "21", "22", "23", "24", "25")
	iv := func(id, lang string) solver.Interview {
		return solver.Interview{ID: id, Case: "C-" + id, Language: lang, DurationMinutes: 60, Earliest: "2030-01-07", Deadline: "2030-01-14",
			Locations: []string{"HEL"}}
	}
	excluded := iv("I-AZ2", "az")
	excluded.ExcludedInterpreters = []string{"T-AZ"}
	return &solver.Instance{
		Format:    solver.InstanceFormat,
		Timezone:  "Europe/Helsinki",
		Horizon:   solver.DateRange{Start: "2030-01-07", End: "2030-01-11"},
		Locations: []solver.Location{{ID: "HEL", Name: "Helsinki"}},
		Rooms:     []solver.Room{{ID: "HEL-R1", Name: "Huone 1", Location: "HEL", Features: []string{}}},
		Interviewers: []solver.Interviewer{{ID: "HEL-E1", Name: "Puhuttelija Yksi", Location: "HEL", Skills: []string{}, Languages: []string{"fi"},
			Availability: weekdays}},
		Interpreters: []solver.Interpreter{
			{ID: "T-AZ", Name: "Tulkki AZ", Languages: []string{"az"}, Skills: []string{}, Modes: []string{solver.ModeOnsite}, Locations: []string{"HEL"},
				Availability: []solver.Interval{jan2030("17", "09:00", "15:00"), jan2030("18", "09:00", "15:00")}},
			{ID: "T-TI", Name: "Tulkki TI", Languages: []string{"ti"}, Skills: []string{}, Modes: []string{solver.ModeOnsite}, Locations: []string{"HEL"},
				Availability: weekdays},
		},
		Interviews: []solver.Interview{iv("I-AZ1", "az"), excluded, iv("I-TI", "ti")},
	}
}

var (
	noFitRE    = regexp.MustCompile(`(?s)<p class="nofit">(.*?)</p>`)
	isoDateRE  = regexp.MustCompile(`\d{4}-\d{2}-\d{2}`)
	azRowRE    = regexp.MustCompile(`(?s)<tr id="lang-az"( class="at-risk")?>(.*?)</tr>`)
	tiRowRE    = regexp.MustCompile(`(?s)<tr id="lang-ti"( class="at-risk")?>`)
	cellTextRE = regexp.MustCompile(`(?s)<td[^>]*>(.*?)</td>`)
)

// TestNothingFitsAgreesWithShortages: when nothing fits a case, the case
// page says why in the page's language (no English sentence, no ISO
// date), the first day it would fit past the deadline, or that no one may
// take it; the shortage page, from the same computation, lists the
// language as short with both interviews, in Finnish and Swedish.
func TestNothingFitsAgreesWithShortages(t *testing.T) {
	t.Parallel()
	e := newEnvWith(t, noFitInstance())
	c := e.browser(t)
	c.signIn(e.clerk)
	want := map[string]map[string]string{
		"fi": {
			"I-AZ1": "Vaihtoehtoa ei nyt ole: yksikään tulkki (azeri) ei ole vapaana ennen to 17.1.2030. Ensimmäinen sopiva päivä to 17.1.2030, 3 päivää määräpäivän jälkeen.",
			"I-AZ2": "Vaihtoehtoa ei nyt ole: tulkkeja (azeri) on rekisteröity, mutta kukaan heistä ei voi ottaa tapausta (esteenä: tapauksesta poissulkeminen). Mikään aika ei sovi ma 11.3.2030 mennessä, 8 viikkoa määräpäivän jälkeen.",
		},
		"sv": {
			"I-AZ1": "Inget alternativ nu: ingen tolk i azerbajdzjanska är ledig före tors 17 jan. 2030. Första dag som passar tors 17 jan. 2030, 3 dagar efter sista dagen.",
			"I-AZ2": "Inget alternativ nu: tolkar i azerbajdzjanska finns registrerade, men ingen som får ta ärendet (hinder: uteslutning från ärendet). Ingen tid passar fram till mån 11 mars 2030, 8 veckor efter sista dagen.",
		},
	}
	for _, l := range []string{"fi", "sv"} {
		c.get("/lang/" + l + "?next=/queue")
		for _, id := range []string{"I-AZ1", "I-AZ2"} {
			p := c.get("/cases/" + id)
			require.Equal(t, http.StatusOK, p.status, p.body)
			m := noFitRE.FindStringSubmatch(p.body)
			require.NotNil(t, m, "%s %s: nothing fits", l, id)
			text := normalizeSpace(visibleText(m[1]))
			require.Equal(t, want[l][id], text)
			require.Empty(t, isoDateRE.FindAllString(text, -1), "dates in the page's language")
			require.Empty(t, englishLeftovers(l, visibleText(p.body)), "%s %s", l, id)
			require.Contains(t, p.body, `href="/shortages#lang-az"`)
		}
		p := c.get("/shortages")
		require.Equal(t, http.StatusOK, p.status, p.body)
		row := azRowRE.FindStringSubmatch(p.body)
		require.NotNil(t, row, "%s: Azerbaijani is listed", l)
		require.NotEmpty(t, row[1], "%s: Azerbaijani is short", l)
		cells := cellTextRE.FindAllStringSubmatch(row[2], -1)
		require.GreaterOrEqual(t, len(cells), 5)
		require.Equal(t, "2", normalizeSpace(visibleText(cells[4][1])), "%s: both Azerbaijani interviews have no time by the deadline", l)
		ti := tiRowRE.FindStringSubmatch(p.body)
		require.NotNil(t, ti)
		require.Empty(t, ti[1], "%s: Tigrinya fits", l)
	}
}

var spaceRE = regexp.MustCompile(`\s+`)

func normalizeSpace(s string) string {
	return spaceRE.ReplaceAllString(regexp.MustCompile(`^\s+|\s+$`).ReplaceAllString(s, ""), " ")
}
