package web_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/scheduler"
)

// TestBrowserManagerReadsAutomationReportInFinnish: in headless Chromium a
// manager switches to Finnish, opens the automation report from the
// navigation and reads the suggestion taken in this test; the CSV
// downloads (web/e2e/automation_fi.mjs).
func TestBrowserManagerReadsAutomationReportInFinnish(t *testing.T) {
	t.Parallel()
	root, node := browserTools(t)
	e := newEnv(t)
	ctx := context.Background()
	ans, err := e.booking.Suggest(ctx, scheduler.SuggestRequest{InterviewID: "I-0002", K: 1})
	require.NoError(t, err)
	require.NotEmpty(t, ans.Suggestions)
	_, err = e.booking.Book(ctx, scheduler.BookRequest{InterviewID: "I-0002", SuggestionID: ans.Suggestions[0].ID, Actor: "clerk-a"})
	require.NoError(t, err)
	st, err := e.db.Settings(ctx)
	require.NoError(t, err)
	loc, err := time.LoadLocation(st.Timezone)
	require.NoError(t, err)
	today := time.Now().In(loc).Format("2006-01-02")
	var res struct {
		Heading, First, CSVFile, CSVHead string
		Sources                          map[string]int
		A11y                             map[string]int
	}
	runScript(t, root, node, "automation_fi.mjs", e.srv.URL, 3*time.Minute, &res,
		"MANAGER_TOKEN="+e.manager, "TODAY="+today)
	require.Equal(t, "Automaation käyttö", res.Heading)
	require.Equal(t, "Ensimmäinen ehdotus otettiin 1 kertaa 1:stä (100 %).", res.First)
	require.Equal(t, map[string]int{"ehdotus otettu": 1, "suunnitelma hyväksytty": 0, "automaattinen pyyntö": 0, "käsin": 0}, res.Sources)
	require.Equal(t, "automation-"+today+"-"+today+".csv", res.CSVFile)
	require.Equal(t, "section,key,value", res.CSVHead)
	require.Len(t, res.A11y, 2)
}
