package web_test

import (
	"context"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/scheduler"
)

// A counsel's proposals show in the clerks' Needs attention in the page's
// language and date format, under a link to the case.
func TestAttentionShowsProposalsInThePagesWords(t *testing.T) {
	t.Parallel()
	in := demoInstance(t)
	e := newEnvWith(t, in)
	ctx := context.Background()
	iv, _, counsel, top := portalCase(t, e, in)
	b, err := e.booking.Book(ctx, scheduler.BookRequest{InterviewID: iv.ID, SuggestionID: top.ID, Actor: "clerk"})
	require.NoError(t, err)
	start, err := time.Parse(time.RFC3339, b.Start)
	require.NoError(t, err)
	day := start.AddDate(0, 0, 1)
	sess := &resources.PortalSession{Role: resources.PortalCounsel, PersonID: counsel.ID}
	require.NoError(t, e.portal.ProposeOtherTime(ctx, sess, b.ID, "in court", nil, []resources.TimeProposal{
		{Date: day.Format(time.DateOnly), Part: resources.PartAfternoon},
		{Date: day.AddDate(0, 0, 1).Format(time.DateOnly), Part: resources.PartMorning}}))

	br := e.browser(t)
	br.signIn(e.clerk)
	abbr := map[string][7]string{"fi": {"su", "ma", "ti", "ke", "to", "pe", "la"}, "en": {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}}
	next := day.AddDate(0, 0, 1)
	for l, want := range map[string]string{
		"fi": fmt.Sprintf("ehdottaa %s %d.%d.%d iltapäivä, %s %d.%d.%d aamupäivä", abbr["fi"][day.Weekday()], day.Day(), int(day.Month()),
			day.Year(), abbr["fi"][next.Weekday()], next.Day(), int(next.Month()), next.Year()),
		"en": fmt.Sprintf("proposes %s %s afternoon, %s %s morning", abbr["en"][day.Weekday()], day.Format("2 Jan 2006"),
			abbr["en"][next.Weekday()], next.Format("2 Jan 2006")),
	} {
		p := br.get("/attention?lang=" + l)
		require.Equal(t, 200, p.status, p.body)
		card := regexp.MustCompile(`(?s)<li class="card">\s*<h2><a href="/cases/` + regexp.QuoteMeta(iv.ID) + `">.*?</li>`).FindString(p.body)
		require.NotEmpty(t, card, "%s: no card linking to the case", l)
		require.Contains(t, card, ": in court · <span class=\"proposed\">"+want+"</span>", l)
		require.NotContains(t, card, day.Format(time.DateOnly), "%s: an ISO date", l)
	}
}
