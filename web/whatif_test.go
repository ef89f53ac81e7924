package web_test

import (
	"context"
	"html"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/capacity"
	"github.com/asylum-scheduling/interviews/resources"
)

// whatifRun stores a finished scenario as the planner stores one: a
// variant of two Moroccan Arabic interpreters at Helsinki under the
// English name the form gave variants before names were built at render
// time, one of a room with a name of its own, and a comparison whose
// money and counts need grouping, with the sentence of a variant that
// changes nothing because the rooms at Helsinki are full.
func whatifRun(t *testing.T, e *env) int64 {
	t.Helper()
	ctx := context.Background()
	itp := capacity.Variant{Name: "+2 Arabic interpreters, Helsinki", Changes: []capacity.Change{{AddInterpreters: &capacity.AddInterpreters{
		Language: "ar", Dialects: []string{"ar-MA"}, Count: 2, Locations: []string{"HEL"},
		Pattern: &capacity.Pattern{Weekdays: []string{"tue", "wed", "thu"}}}}}}
	room := capacity.Variant{Name: "Summer", Changes: []capacity.Change{{AddRooms: &capacity.AddRooms{Location: "HEL", Count: 1}}}}
	sc := &capacity.Scenario{Format: capacity.ScenarioFormat, Variants: []capacity.Variant{itp, room}}
	run, release, err := e.db.StartScenario(ctx, resources.NewPlan{CreatedBy: "manager", From: "2027-01-04", To: "2027-01-29",
		TimeLimit: 30 * time.Second}, sc)
	require.NoError(t, err)
	release()
	base := capacity.RunResult{Name: capacity.BaselineName, Interviews: 1300, Scheduled: 1234, Unscheduled: 66, UnscheduledPriority: 2345,
		InterpreterEuros: 15421, WaitDays: capacity.Waits{Median: 2.5, P90: 7}}
	blocked := base
	blocked.Name, blocked.Description = itp.Name, capacity.Describe(itp)
	blocked.Effect = &capacity.Effect{Verdict: capacity.EffectNone, StillBinding: []capacity.Limit{}}
	blocked.Advice = &capacity.Advice{Code: "run.no_change.bound_at", N: 1066, Args: []capacity.Arg{{Name: "variant", Value: itp.Name},
		{Name: "binding", Value: "bind.room", Kind: capacity.ArgWord}, {Name: "offices", Value: "HEL", Kind: capacity.ArgOffices},
		{Name: "from", Value: "2027-01-04", Kind: capacity.ArgDate}, {Name: "to", Value: "2027-01-08", Kind: capacity.ArgDate},
		{Name: "count", Value: "1066"}}}
	more := base
	more.Name, more.Description, more.Scheduled, more.InterpreterEuros = room.Name, capacity.Describe(room), 1240, 16621
	cmp := &capacity.Comparison{Format: capacity.ComparisonFormat, Runs: []capacity.RunResult{base, blocked, more}}
	ok, err := e.db.FinishScenario(ctx, run.ID, cmp)
	require.NoError(t, err)
	require.True(t, ok)
	return run.ID
}

// TestScenarioWordsInTheLanguage: a scenario's page and the list name
// each variant in the page's language from its changes, the dialect kept
// ("+2 tulkkia, arabia (Marokko)", never "Arabic interpreters" on a
// Finnish page; an own name before it), say in that language what still
// blocks a variant that changes nothing, and format money and counts the
// language's way ("15 421 €", "€15,421", never "15421").
func TestScenarioWordsInTheLanguage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := whatifRun(t, e)
	path := "/scenarios/" + strconv.FormatInt(id, 10)
	m := e.browser(t)
	m.signIn(e.manager)
	const nb = "\u00a0"
	cases := []struct {
		lang                              string
		dialect, own, blocks, money, more string
		counts                            []string
	}{
		{"fi", "+2 tulkkia, arabia (Marokko), ti–to, Helsinki", "Summer (+1 huone, Helsinki)",
			"ei auta: huoneet (Helsinki) ovat täynnä päivinä, jotka näille 1" + nb + "066 puhuttelulle käyvät (ma 4.1.–pe 8.1.).",
			"15" + nb + "421 €", "(+1" + nb + "200 €)", []string{"1" + nb + "234", "2" + nb + "345", "2,5"}},
		{"sv", "+2 tolkar, arabiska (Marocko), tis–tors, Helsinki", "Summer (+1 rum, Helsinki)",
			"hjälper inte: rum i Helsinki är fullbokade de dagar som de här 1" + nb + "066 intervjuerna kan hållas",
			"15" + nb + "421 €", "(+1" + nb + "200 €)", []string{"1" + nb + "234", "2" + nb + "345", "2,5"}},
		{"en", "+2 Arabic (Morocco) interpreters, Tue–Thu, Helsinki", "Summer (+1 room, Helsinki)",
			"does not help: rooms at Helsinki are fully booked on the days these 1,066 interviews can take (Mon 4 Jan – Fri 8 Jan).",
			"€15,421", "(+€1,200)", []string{"1,234", "2,345", "2.5"}},
	}
	for _, c := range cases {
		m.get("/lang/" + c.lang + "?next=/scenarios")
		p := m.get(path)
		require.Equal(t, 200, p.status)
		body := html.UnescapeString(p.body)
		require.Contains(t, body, `<th scope="col">`+c.dialect+`</th>`, c.lang)
		require.Contains(t, body, `<th scope="col">`+c.own+`</th>`, c.lang)
		require.Contains(t, body, "<li>"+c.dialect+" "+c.blocks, c.lang)
		require.Contains(t, body, c.money, c.lang)
		require.Contains(t, body, c.more, c.lang)
		for _, n := range c.counts {
			require.Contains(t, body, "<td>"+n, c.lang)
		}
		for _, raw := range []string{"15421", "1234", "2345", "Arabic interpreters"} {
			require.NotContains(t, body, raw, "%s: %q unformatted or stored", c.lang, raw)
		}
		list := html.UnescapeString(m.get("/scenarios").body)
		require.Contains(t, list, c.dialect+"; "+c.own, c.lang)
		require.NotContains(t, list, "Arabic interpreters", c.lang)
	}
}
