package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/scheduler"
)

// The managers' automation report counts the bookings made: two
// suggestions taken, the first of them once; its CSV says the same. Clerks
// do not see it.
func TestAutomationReportPageAndCSV(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	var booked []string
	for i := 1; i < 60 && len(booked) < 2; i++ {
		id := fmt.Sprintf("I-%04d", i)
		iv, err := e.db.Interview(ctx, id)
		if err != nil || iv.Status != resources.StatusPending {
			continue
		}
		ans, err := e.booking.Suggest(ctx, scheduler.SuggestRequest{InterviewID: id, K: 3})
		if err != nil || len(ans.Suggestions) < 2 {
			continue // booked already in the demo data, or too few options
		}
		pick := ans.Suggestions[len(booked)] // the first, then the second
		_, err = e.booking.Book(ctx, scheduler.BookRequest{InterviewID: id, SuggestionID: pick.ID, Actor: "clerk-a"})
		require.NoError(t, err)
		booked = append(booked, id)
	}
	require.Len(t, booked, 2)

	st, err := e.db.Settings(ctx)
	require.NoError(t, err)
	loc, err := time.LoadLocation(st.Timezone)
	require.NoError(t, err)
	today := time.Now().In(loc).Format("2006-01-02") // the agency's date
	clerk := e.browser(t)
	clerk.signIn(e.clerk)
	require.Equal(t, 403, clerk.get("/reports/automation").status)

	m := e.browser(t)
	m.signIn(e.manager)
	p := m.get("/reports/automation?from=" + today + "&to=" + today)
	require.Equal(t, 200, p.status, p.body)
	require.Contains(t, p.body, `<th scope="row">suggestion taken</th><td>2</td>`)
	require.Contains(t, p.body, `<th scope="row">by hand</th><td>0</td>`)
	require.Contains(t, p.body, "The first suggestion was taken 1 times of 2 (50 %).")
	require.Equal(t, 200, m.get("/reports/automation").status, "the last 30 days by default")
	require.Equal(t, 400, m.get("/reports/automation?from=soon&to="+today).status)

	csv := m.get("/reports/automation.csv?from=" + today + "&to=" + today)
	require.Equal(t, 200, csv.status, csv.body)
	require.Equal(t, "text/csv; charset=utf-8", csv.header.Get("Content-Type"))
	require.Contains(t, csv.header.Get("Content-Disposition"), `automation-`+today+`-`+today+`.csv`)
	lines := strings.Split(csv.body, "\n")
	require.Equal(t, "section,key,value", lines[0])
	require.Contains(t, lines, "by_source,suggestion,2")
	require.Contains(t, lines, "suggestions,first,1")
	require.Contains(t, lines, "suggestions,first_share,0.500")

	// Finnish wording.
	m.get("/lang/fi?next=/queue")
	fi := m.get("/reports/automation?from=" + today + "&to=" + today)
	require.Equal(t, 200, fi.status)
	require.Contains(t, fi.body, "Ensimmäinen ehdotus otettiin 1 kertaa 2:stä (50 %).")
}
