package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/resources"
)

// TestBrowserCasePageExplains runs web/e2e/case_explain.mjs in Chromium, in
// Finnish and Swedish on a desktop and a 390 px phone: the ranking reasons
// of the €9-dearer first option (rankInstance), the Azerbaijani case where
// nothing fits and the shortage page that lists the language as short
// (noFitInstance), and the filter on the times the counsel proposed
// (proposalInstance); axe (WCAG 2.2 AA) finds nothing serious and no page
// scrolls sideways.
func TestBrowserCasePageExplains(t *testing.T) {
	t.Parallel()
	root, node := browserTools(t)
	rank, nofit, prop := newEnvWith(t, rankInstance()), newEnvWith(t, noFitInstance()), newEnvWith(t, proposalInstance())
	ctx := context.Background()
	b, err := prop.db.BookingOf(ctx, "I-P1")
	require.NoError(t, err)
	require.NoError(t, prop.db.AskOtherTime(ctx, postgres.ChangeRequest{Party: "P-C1", Booking: b.ID, Reason: "in court", Now: time.Now(),
		Proposals: []resources.TimeProposal{{Date: "2030-01-08", Part: resources.PartAfternoon}, {Date: "2030-01-10", Part: resources.PartMorning}}}))
	var res struct {
		Rank           map[string][]string
		NoFit          map[string]string
		AzShort        map[string]bool
		AzNoFit        map[string]string
		Proposals      map[string]string
		Filtered       map[string][]string
		A11y, Overflow map[string]int
	}
	runScript(t, root, node, "case_explain.mjs", rank.srv.URL, 4*time.Minute, &res,
		"RANK_URL="+rank.srv.URL, "RANK_TOKEN="+rank.clerk, "NOFIT_URL="+nofit.srv.URL,
		"NOFIT_TOKEN="+nofit.clerk, "PROPOSALS_URL="+prop.srv.URL, "PROPOSALS_TOKEN="+prop.clerk)
	rankWant := map[string][]string{
		"fi": {"Ennen vaihtoehtoa 2, vaikka 9 € kalliimpi: päivän aiemmin.", "Vaihtoehdon 1 jälkeen, vaikka 9 € halvempi: päivän myöhemmin."},
		"sv": {"Före alternativ 2 fast 9 € dyrare: en dag tidigare.", "Efter alternativ 1 fast 9 € billigare: en dag senare."},
	}
	firstFit := map[string]string{
		"fi": "Ensimmäinen sopiva päivä to 17.1.2030, 3 päivää määräpäivän jälkeen.",
		"sv": "Första dag som passar tors 17 jan. 2030, 3 dagar efter sista dagen.",
	}
	proposals := map[string]string{"fi": "Näytä vain avustajan ehdottamat 2 aikaa", "sv": "Visa bara de 2 tider som biträdet föreslog"}
	afternoon := map[string]string{"fi": "ti 8.1.2030 klo 1", "sv": "tis 8 jan. 2030 kl. 1"}
	for _, l := range []string{"fi", "sv"} {
		for _, dev := range []string{"desktop", "phone"} {
			k := l + "-" + dev
			require.Equal(t, rankWant[l], res.Rank[k], k)
			require.Contains(t, res.NoFit[k+"-I-AZ1"], firstFit[l], k)
			require.NotRegexp(t, `\d{4}-\d\d-\d\d`, res.NoFit[k+"-I-AZ1"], k)
			require.NotEmpty(t, res.NoFit[k+"-I-AZ2"], k)
			require.True(t, res.AzShort[k], "%s: the shortage page lists Azerbaijani as short", k)
			require.Equal(t, "2", res.AzNoFit[k], k)
			require.Equal(t, proposals[l], res.Proposals[k], k)
			require.NotEmpty(t, res.Filtered[k], k)
			for _, w := range res.Filtered[k] {
				require.True(t, strings.HasPrefix(w, afternoon[l]), "%s: %q is not on the proposed afternoon", k, w)
			}
		}
	}
	require.Len(t, res.Overflow, 2*2*(1+3+2))
	for name, over := range res.Overflow {
		require.LessOrEqual(t, over, 0, name)
	}
}
