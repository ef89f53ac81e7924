package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The weekly form opens with the pattern on file and real labels; a save
// that would remove hours shows them and asks first (nothing changes until
// confirmed); one that only adds saves at once.
func TestPortalPatternAsksBeforeRemoving(t *testing.T) {
	t.Parallel()
	in := demoInstance(t)
	e := newEnvWith(t, in)
	ctx := context.Background()
	who := in.Interpreters[0]
	br := portalBrowser(t, e, who.Email)
	br.get("/portal/absences?lang=en")
	from := time.Now().AddDate(0, 0, 2).Format(time.DateOnly)
	until := time.Now().AddDate(0, 0, 40).Format(time.DateOnly)
	form := func(days map[int][2]string, confirm string) url.Values {
		f := url.Values{"from": {from}, "until": {until}, "exc_date": {"", "", ""}, "exc_start": {"", "", ""}, "exc_end": {"", "", ""}}
		for d := 0; d < 7; d++ {
			f.Set(fmt.Sprintf("day%d_start", d), days[d][0])
			f.Set(fmt.Sprintf("day%d_end", d), days[d][1])
		}
		if confirm != "" {
			f.Set("confirm", confirm)
		}
		return f
	}
	weekdays := map[int][2]string{}
	for d := 0; d < 5; d++ {
		weekdays[d] = [2]string{"08:00", "16:00"}
	}
	onDays := func() map[time.Weekday]int {
		got, err := e.db.Interpreter(ctx, who.ID)
		require.NoError(t, err)
		n := map[time.Weekday]int{}
		for _, x := range got.Availability {
			s, err := time.Parse(time.RFC3339, x.Start)
			require.NoError(t, err)
			if s.Format(time.DateOnly) >= from {
				n[s.Weekday()]++
			}
		}
		return n
	}
	// Whatever was on file, Monday to Friday 08–16 (confirmed).
	p := br.post("/portal/pattern?lang=en", form(weekdays, "remove"))
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	require.NotZero(t, onDays()[time.Tuesday])

	// The form opens with it, labelled by weekday, "from" and "until".
	p = br.get("/portal/absences?lang=en")
	require.Equal(t, 200, p.status)
	require.Contains(t, p.body, `id="d0s" name="day0_start" type="time" value="08:00"`)
	require.Contains(t, p.body, `id="d6s" name="day6_start" type="time" value=""`)
	require.Contains(t, p.body, `<label for="d1s"><span class="sr-only">Tuesday </span>from</label>`)
	require.Contains(t, p.body, `<label for="d1e"><span class="sr-only">Tuesday </span>until</label>`)
	require.Contains(t, p.body, `<span class="sr-only">Exception 1: </span>Day</label>`)
	require.NotContains(t, p.body, "Day 0")
	fi := br.get("/portal/absences?lang=fi")
	require.Contains(t, fi.body, `<span class="sr-only">tiistai </span>alkaen</label>`)

	// Tuesday emptied: the page lists Tuesday's hours and saves nothing.
	noTuesday := map[int][2]string{}
	for d, h := range weekdays {
		if d != 1 {
			noTuesday[d] = h
		}
	}
	before := onDays()
	p = br.post("/portal/pattern?lang=en", form(noTuesday, ""))
	require.Equal(t, 200, p.status, p.body)
	require.Contains(t, p.body, "Remove these hours?")
	require.Regexp(t, `<li>Tue \d+ \w+ \d{4}, 08:00–16:00</li>`, p.body)
	require.NotRegexp(t, `<li>(Mon|Wed|Thu|Fri) `, p.body, "hours the new pattern keeps are listed as removed")
	require.Contains(t, p.body, `name="confirm" value="remove"`)
	require.Contains(t, p.body, `<input type="hidden" name="day1_start" value="">`)
	require.Contains(t, p.body, `<input type="hidden" name="day0_start" value="08:00">`)
	require.Equal(t, before, onDays(), "asking saved")
	// Back to the form: what was typed, still unsaved.
	p = br.post("/portal/pattern?lang=en", form(noTuesday, "edit"))
	require.Equal(t, 200, p.status)
	require.Contains(t, p.body, `id="d1s" name="day1_start" type="time" value=""`)
	require.Contains(t, p.body, `id="d0s" name="day0_start" type="time" value="08:00"`)
	require.Equal(t, before, onDays(), "going back saved")
	// Confirmed: Tuesday's hours are gone, the others stay.
	p = br.post("/portal/pattern?lang=en", form(noTuesday, "remove"))
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	after := onDays()
	require.Zero(t, after[time.Tuesday])
	require.Equal(t, before[time.Monday], after[time.Monday])

	// Only adding (Saturday mornings) saves at once.
	more := map[int][2]string{5: {"09:00", "12:00"}}
	for d, h := range noTuesday {
		more[d] = h
	}
	p = br.post("/portal/pattern?lang=en", form(more, ""))
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	require.True(t, strings.HasSuffix(p.header.Get("Location"), "done=pattern"))
	require.NotZero(t, onDays()[time.Saturday])
}
