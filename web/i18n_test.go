package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/web"
	"github.com/asylum-scheduling/interviews/web/staff"
)

func TestStaffTranslationsAreComplete(t *testing.T) {
	t.Parallel()
	require.Empty(t, staff.MissingTexts())
	for _, l := range []string{"fi", "sv", "en"} {
		require.Len(t, web.StaffText[l], len(web.StaffText["en"]), l)
	}
}

var (
	tagRE     = regexp.MustCompile(`(?s)<[^>]*>`)
	missingRE = regexp.MustCompile(`![a-z]+\.[a-z0-9_.]+!`)
	verbRE    = regexp.MustCompile(`%[-+# 0]*[0-9]*[sdvqf]`)
	// An English article or conjunction in a page's visible text: a
	// sentence left in English.
	englishRE = regexp.MustCompile(`(?:^|[^\p{L}])(the|and|or|of|no|is)(?:$|[^\p{L}])`)
)

// englishPartRE is a part of a page marked as English: the solver's own
// explanations, which are English only.
var englishPartRE = regexp.MustCompile(`(?s)<span lang="en"[^>]*>.*?</span>`)

// visibleText is a page's text without tags and without the parts marked as
// English, with entities decoded.
func visibleText(body string) string {
	body = englishPartRE.ReplaceAllString(body, " ")
	return html.UnescapeString(tagRE.ReplaceAllString(body, " "))
}

// englishLeftovers are the English catalog's sentences (at least 12
// characters between formatting verbs) that text contains though locale l
// words them otherwise.
func englishLeftovers(l, text string) []string {
	var out []string
	for k, en := range web.StaffText["en"] {
		if web.StaffText[l][k] == en {
			continue
		}
		for _, frag := range verbRE.Split(en, -1) {
			frag = strings.TrimSpace(frag)
			if len(frag) >= 12 && strings.Contains(text, frag) {
				out = append(out, k+": "+frag)
			}
		}
	}
	return out
}

// Every staff page renders in Finnish and Swedish with no key missing and
// no English sentence of the catalog left over; the pages already fully
// translated show no English words at all.
func TestStaffPagesAreTranslated(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	m := e.browser(t)
	m.signIn(e.manager)
	m.get("/plans")
	p := m.post("/plans", url.Values{"from": {"2027-01-04"}, "to": {"2027-01-08"}, "time_limit": {"1"}})
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	planPath := p.header.Get("Location")
	id, _ := strconv.ParseInt(strings.TrimPrefix(planPath, "/plans/"), 10, 64)
	wctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	require.NoError(t, e.planner.Wait(wctx, id))
	p = m.post("/scenarios", url.Values{"from": {"2027-01-04"}, "to": {"2027-01-08"}, "time_limit": {"2"},
		"kind_1": {"rooms"}, "count_1": {"1"}, "office_1": {"HEL"}, "start_1": {"08:00"}, "end_1": {"16:00"}, "days_1": {"mon"}})
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	scenarioPath := p.header.Get("Location")
	sid, _ := strconv.ParseInt(strings.TrimPrefix(scenarioPath, "/scenarios/"), 10, 64)
	require.NoError(t, e.planner.Wait(wctx, sid))
	bs, err := e.db.Bookings(ctx, resources.ListParams{Limit: 1, Filters: map[string]string{}})
	require.NoError(t, err)
	require.NotEmpty(t, bs.Items)
	bk := bs.Items[0]
	// pages: path → whether the page is free of English words.
	pages := []struct {
		path  string
		clean bool
	}{
		{"/queue", true}, {"/queue?language=ar&priority=2", true}, {"/attention", true}, {"/flags", true},
		{"/no/such/page", true},
		{"/cases/I-0001", true}, {"/cases/" + bk.Interview, true}, {fmt.Sprintf("/bookings/%d", bk.ID), true},
		{"/planner", true}, {"/plans", true}, {planPath, true}, {"/shortages", true},
		{"/people/interpreter/" + bk.Interpreter, true}, {"/people/room/" + bk.Room, true},
		{"/scenarios", true}, {"/scenarios?language=ar", true}, {scenarioPath, true},
	}
	for _, l := range []string{"fi", "sv"} {
		p := m.get("/lang/" + l + "?next=/queue")
		require.Equal(t, http.StatusSeeOther, p.status)
		require.Equal(t, "/queue", p.header.Get("Location"))
		for _, pg := range pages {
			p := m.get(pg.path)
			require.Contains(t, []int{200, 404}, p.status, pg.path)
			require.Contains(t, p.body, `<html lang="`+l+`">`, pg.path)
			assert.Empty(t, missingRE.FindAllString(p.body, -1), "%s %s: keys missing from the catalog", l, pg.path)
			text := visibleText(p.body)
			assert.Empty(t, englishLeftovers(l, text), "%s %s: English left over", l, pg.path)
			if pg.clean {
				assert.Empty(t, englishRE.FindAllString(text, -1), "%s %s: English words in\n%s", l, pg.path, text)
			}
		}
	}
	// The sign-in page, before signing in.
	anon := e.browser(t)
	for _, l := range []string{"fi", "sv"} {
		anon.get("/lang/" + l + "?next=/signin")
		p := anon.get("/signin")
		require.Equal(t, http.StatusOK, p.status)
		require.Contains(t, p.body, `<html lang="`+l+`">`)
		text := visibleText(p.body)
		assert.Empty(t, missingRE.FindAllString(p.body, -1), l)
		assert.Empty(t, englishLeftovers(l, text), l)
		assert.Empty(t, englishRE.FindAllString(text, -1), "%s /signin: English words in\n%s", l, text)
	}
	// Dates in the page's language's style.
	p = m.get("/lang/fi?next=/attention")
	require.Equal(t, "/attention", p.header.Get("Location"))
	require.Contains(t, m.get("/queue").body, "Kiireellisimmät ensin")
	// The switch goes back only to a page of this site.
	for _, next := range []string{"//evil.example/x", "https://evil.example/", "/\\evil", ""} {
		p := m.get("/lang/sv?next=" + url.QueryEscape(next))
		require.Equal(t, "/queue", p.header.Get("Location"), next)
	}
	require.Equal(t, http.StatusNotFound, m.get("/lang/de?next=/queue").status)
}
