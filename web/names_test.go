package web_test

import (
	"context"
	"net/http"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/resources"
)

var (
	needsRE      = regexp.MustCompile(`(?s)<dl class="needs">(.*?)</dl>`)
	chartLabelRE = regexp.MustCompile(`<text x="\d+" y="\d+" font-size="12" text-anchor="end" fill="#[0-9a-f]+">([^<]+)</text>`)
)

// TestNamesFirst: in Finnish and Swedish, what a request needs names its
// counsel or representative and its preferred interviewer by name, with
// the id after it in a span that does not wrap; the shortage chart tells
// the dialects apart (no two bars with one label).
func TestNamesFirst(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	ivs, err := e.db.Interviews(ctx, resources.ListParams{Limit: 200, Filters: map[string]string{}})
	require.NoError(t, err)
	c := e.browser(t)
	c.signIn(e.clerk)
	parties, preferred := 0, 0
	for _, l := range []string{"fi", "sv"} {
		c.get("/lang/" + l + "?next=/queue")
		for _, iv := range ivs.Items {
			if len(iv.Parties) == 0 && iv.PreferredInterviewer == "" {
				continue
			}
			p := c.get("/cases/" + iv.ID)
			require.Equal(t, http.StatusOK, p.status)
			needs := needsRE.FindStringSubmatch(p.body)
			require.NotNil(t, needs)
			for _, id := range iv.Parties {
				party, err := e.db.Party(ctx, id)
				require.NoError(t, err)
				require.NotEmpty(t, party.Name)
				require.Contains(t, needs[1], party.Name+` <span class="id">`+id+`</span>`, "%s %s", l, iv.ID)
				parties++
			}
			if id := iv.PreferredInterviewer; id != "" {
				names, err := e.db.DisplayNames(ctx, nil, []string{id}, nil)
				require.NoError(t, err)
				require.Contains(t, needs[1], names["interviewer/"+id]+` <span class="id">`+id+`</span>`, "%s %s", l, iv.ID)
				preferred++
			}
		}
		p := c.get("/shortages")
		labels := chartLabelRE.FindAllStringSubmatch(p.body, -1)
		require.NotEmpty(t, labels)
		seen := map[string]bool{}
		for _, m := range labels {
			require.False(t, seen[m[1]], "%s: two bars labelled %q", l, m[1])
			seen[m[1]] = true
		}
	}
	require.Positive(t, parties)
	require.Positive(t, preferred)
}
