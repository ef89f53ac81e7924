package web_test

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/resources"
)

var (
	movesRE       = regexp.MustCompile(`(?s)<ol class="options moves">(.*?)</ol>`)
	moveItemRE    = regexp.MustCompile(`(?s)<li class="option">(.*?)</li>`)
	moveRankRE    = regexp.MustCompile(`<span class="rank">(\d+)\.</span> <span class="when">([^<]+)</span>`)
	moveTradeRE   = regexp.MustCompile(`<p class="tradeoff">([^<]+)</p>`)
	bookingWhenRE = regexp.MustCompile(`<p class="when">([^<]+)</p>`)
)

// TestMoveListComparedWithTheBooking: the times a booked interview could
// move to are numbered from 1 and each is compared with the current
// booking, not with another option: an option at the booking's own time
// says "the same time", one on another day says how many days, in Finnish
// and Swedish.
func TestMoveListComparedWithTheBooking(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	bs, err := e.db.Bookings(context.Background(), resources.ListParams{Limit: 20, Filters: map[string]string{}})
	require.NoError(t, err)
	c := e.browser(t)
	c.signIn(e.clerk)
	words := map[string]struct{ lead, same, sameDay, days string }{
		"fi": {"Nykyiseen varaukseen verrattuna: ", "sama aika", "samana päivänä", "päivä"},
		"sv": {"Jämfört med nuvarande bokning: ", "samma tid", "samma dag", "dag"},
	}
	checked, sameTime := 0, 0
	for _, l := range []string{"fi", "sv"} {
		c.get("/lang/" + l + "?next=/queue")
		for _, b := range bs.Items {
			p := c.get("/cases/" + b.Interview)
			require.Equal(t, http.StatusOK, p.status)
			list := movesRE.FindStringSubmatch(p.body)
			if list == nil {
				continue
			}
			booked := bookingWhenRE.FindStringSubmatch(p.body)
			require.NotNil(t, booked)
			items := moveItemRE.FindAllStringSubmatch(list[1], -1)
			require.NotEmpty(t, items)
			for i, it := range items {
				r := moveRankRE.FindStringSubmatch(it[1])
				require.NotNil(t, r, it[1])
				require.Equal(t, strconv.Itoa(i+1), r[1], "numbered from 1")
				tr := moveTradeRE.FindStringSubmatch(it[1])
				require.NotNil(t, tr, "%s %s: option %d not compared", l, b.Interview, i+1)
				cmp := visibleText(tr[1])
				require.True(t, strings.HasPrefix(cmp, words[l].lead), cmp)
				first := strings.Split(strings.TrimPrefix(cmp, words[l].lead), ",")[0]
				if visibleText(r[2]) == visibleText(booked[1]) {
					require.Equal(t, words[l].same, first, "%s: same time as the booking", b.Interview)
					sameTime++
				} else {
					require.True(t, strings.Contains(first, words[l].sameDay) || strings.Contains(first, words[l].days), first)
				}
				checked++
			}
		}
	}
	require.Positive(t, checked)
	t.Logf("%d options compared, %d at the booking's time", checked, sameTime)
}
