package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

// proposalInstance is one Arabic interview with a counsel, booked on
// Monday 7 January 2030 at 9; the interviewer works every weekday, the
// interpreter is free all Tuesday and never on Thursday.
func proposalInstance() *solver.Instance {
	weekdays := jan2030Days("08:00", "16:00", "07", "08", "09", "10", "11")
	return &solver.Instance{
		Format:    solver.InstanceFormat,
		Timezone:  "Europe/Helsinki",
		Horizon:   solver.DateRange{Start: "2030-01-07", End: "2030-01-25"},
		Locations: []solver.Location{{ID: "HEL", Name: "Helsinki"}},
		Rooms:     []solver.Room{{ID: "HEL-R1", Name: "Huone 1", Location: "HEL", Features: []string{}}},
		Interviewers: []solver.Interviewer{{ID: "HEL-E1", Name: "Puhuttelija Yksi", Location: "HEL", Skills: []string{}, Languages: []string{"fi"},
			Availability: weekdays}},
		Interpreters: []solver.Interpreter{{ID: "T-AR", Name: "Tulkki AR", Languages: []string{"ar"}, Skills: []string{},
			Modes: []string{solver.ModeOnsite}, Locations: []string{"HEL"}, Availability: []solver.Interval{jan2030("07", "09:00", "10:00"), jan2030("08", "08:00", "16:00")}}},
		Parties: []solver.Party{{ID: "P-C1", Name: "Avustaja Yksi", Email: "counsel@example.org", Kind: solver.PartyCounsel}},
		Interviews: []solver.Interview{{ID: "I-P1", Case: "C-P1", Language: "ar", DurationMinutes: 60, Earliest: "2030-01-07",
			Deadline: "2030-01-25", Locations: []string{"HEL"}, Parties: []string{"P-C1"}}},
		Bookings: []solver.Booking{{Interview: "I-P1", Start: "2030-01-07T09:00:00+02:00", Room: "HEL-R1", Interviewer: "HEL-E1",
			Interpreter: "T-AR", Mode: solver.ModeOnsite}},
	}
}

var (
	moveWhenRE    = regexp.MustCompile(`<span class="when">[^<]*, (\d{2}):\d{2}–`)
	proposalsRE   = regexp.MustCompile(`(?s)<p class="proposals">(.*?)</p>`)
	proposalsNone = `id="proposals-none"`
)

// TestProposalsFilterTheMoves: the other times a counsel proposed filter
// the times a booked case could move to ("only the times the counsel
// proposed": the proposed days and parts of days that fit), with a note
// and no list when none of them fits; in English, Finnish and Swedish.
func TestProposalsFilterTheMoves(t *testing.T) {
	t.Parallel()
	e := newEnvWith(t, proposalInstance())
	ctx := context.Background()
	b, err := e.db.BookingOf(ctx, "I-P1")
	require.NoError(t, err)
	ask := func(ps ...resources.TimeProposal) {
		require.NoError(t, e.db.AskOtherTime(ctx, postgres.ChangeRequest{Party: "P-C1", Booking: b.ID, Reason: "in court",
			Proposals: ps, Now: time.Now()}))
	}
	c := e.browser(t)
	c.signIn(e.clerk)
	path := "/cases/I-P1"

	p := c.get(path)
	require.Equal(t, http.StatusOK, p.status, p.body)
	require.NotContains(t, p.body, `class="proposals"`, "no proposals, no filter")

	ask(resources.TimeProposal{Date: "2030-01-08", Part: resources.PartAfternoon}, resources.TimeProposal{Date: "2030-01-10", Part: resources.PartMorning})
	hours := func(body string) []int {
		var out []int
		for _, m := range moveWhenRE.FindAllStringSubmatch(body, -1) {
			h, err := strconv.Atoi(m[1])
			require.NoError(t, err)
			out = append(out, h)
		}
		return out
	}
	c.get("/lang/en?next=/queue")
	all := c.get(path)
	require.Contains(t, all.body, `<a href="/cases/I-P1?proposed=1">Show only the 2 times the counsel proposed</a> (Tue 8 Jan 2030, afternoon; Thu 10 Jan 2030, morning)`)
	require.Contains(t, hours(all.body), 8, "unfiltered, the Tuesday morning is an option")
	only := c.get(path + "?proposed=1")
	require.Equal(t, http.StatusOK, only.status, only.body)
	got := hours(only.body)
	require.NotEmpty(t, got, "Tuesday afternoon fits")
	for _, h := range got {
		require.GreaterOrEqual(t, h, 12, "only the afternoon proposed")
	}
	require.Regexp(t, `(?s)<span class="when">Tue 8 Jan 2030, 1\d:\d\d–`, only.body)
	require.NotContains(t, only.body, `<span class="when">Thu 10 Jan 2030`)
	require.NotContains(t, only.body, proposalsNone)
	require.Contains(t, only.body, `href="/cases/I-P1?sort=date&amp;proposed=1"`, "sorting keeps the filter")
	byDate := c.get(path + "?sort=date&proposed=1")
	require.Equal(t, got, hours(byDate.body), "the same times, by date")
	require.Contains(t, byDate.body, `href="/cases/I-P1?proposed=1"`)

	for l, want := range map[string]string{
		"fi": "Vain avustajan ehdottamat ajat: ti 8.1.2030, iltapäivä; to 10.1.2030, aamupäivä. Näytä kaikki ajat",
		"sv": "Bara tiderna som biträdet föreslog: tis 8 jan. 2030, eftermiddag; tors 10 jan. 2030, förmiddag. Visa alla tider",
	} {
		c.get("/lang/" + l + "?next=/queue")
		p := c.get(path + "?proposed=1")
		m := proposalsRE.FindStringSubmatch(p.body)
		require.NotNil(t, m, l)
		require.Equal(t, want, normalizeSpace(visibleText(m[1])), l)
		require.Contains(t, p.body, `class="options moves"`, l)
	}

	// Only Thursday, when no interpreter is free: a note, no list, no
	// "nothing fits".
	ask(resources.TimeProposal{Date: "2030-01-10", Part: resources.PartDay})
	c.get("/lang/fi?next=/queue")
	p = c.get(path + "?proposed=1")
	require.Contains(t, p.body, proposalsNone)
	require.Contains(t, visibleText(p.body), "Mikään avustajan ehdottamista ajoista ei sovi")
	require.NotContains(t, p.body, `class="options moves"`)
	require.NotContains(t, p.body, `class="nofit"`)

	// Moved to a proposed time, the request is handled: no filter.
	ask(resources.TimeProposal{Date: "2030-01-08", Part: resources.PartAfternoon})
	p = c.get(path + "?proposed=1")
	sugg := regexp.MustCompile(`name="suggestion" id="opt-1" value="([^"]+)"`).FindStringSubmatch(p.body)
	require.NotNil(t, sugg)
	moved := c.post("/bookings/"+strconv.FormatInt(b.ID, 10)+"/reschedule", url.Values{"suggestion": {sugg[1]}, "reason": {"the counsel's time"}})
	require.Equal(t, http.StatusSeeOther, moved.status, moved.body)
	require.NotContains(t, c.get(path).body, `class="proposals"`)
}
