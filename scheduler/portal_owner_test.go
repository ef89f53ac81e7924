package scheduler_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

// Every portal write changes only the signed-in person's own things: an
// answer to someone else's assignment or summons, or the deletion of
// someone else's absence, is not found and changes nothing; the writes
// that take no id (a weekly pattern, an absence, a new calendar link) land
// on the person's own record only. Then the owners do the same, so the ids were right.
func TestPortalWritesOnlyTheirOwn(t *testing.T) {
	t.Parallel()
	e := newPortalEnv(t)
	ctx := context.Background()
	iv, party, b := e.bookWithParty(t)
	require.NotEmpty(t, b.Interpreter)

	itp := &resources.PortalSession{Role: resources.PortalInterpreter, PersonID: b.Interpreter}
	cns := &resources.PortalSession{Role: resources.PortalCounsel, PersonID: party.ID}
	var otherItp, otherCns *resources.PortalSession
	for _, x := range e.in.Interpreters {
		if x.ID != b.Interpreter {
			otherItp = &resources.PortalSession{Role: resources.PortalInterpreter, PersonID: x.ID}
			break
		}
	}
	for _, x := range e.in.Parties {
		if !slices.Contains(iv.Parties, x.ID) { // a party of another interview
			otherCns = &resources.PortalSession{Role: resources.PortalCounsel, PersonID: x.ID}
			break
		}
	}
	require.NotNil(t, otherItp)
	require.NotNil(t, otherCns)

	// The owners' absences, and the interpreter's calendar link.
	absenceOf := func(s *resources.PortalSession) int64 {
		t.Helper()
		require.NoError(t, e.portal.AddAbsence(ctx, s, "2031-03-03T08:00", "2031-03-03T12:00"))
		as, err := e.portal.Absences(ctx, s)
		require.NoError(t, err)
		require.Len(t, as, 1)
		return as[0].ID
	}
	itpAbsence, cnsAbsence := absenceOf(itp), absenceOf(cns)
	_, _, err := e.db.CreateFeedToken(ctx, resources.FeedInterpreter, itp.PersonID, "clerk-1")
	require.NoError(t, err)
	day := strings.SplitN(b.Start, "T", 2)[0]

	for _, tc := range []struct {
		name  string
		write func() error
	}{
		{"another interpreter confirms", func() error { return e.portal.Confirm(ctx, otherItp, b.ID) }},
		{"another interpreter declines", func() error { return e.portal.Decline(ctx, otherItp, b.ID, resources.DeclineOther) }},
		{"another counsel acknowledges", func() error { return e.portal.Acknowledge(ctx, otherCns, b.ID) }},
		{"another counsel asks for another time", func() error {
			return e.portal.AskOtherTime(ctx, otherCns, b.ID, "in court", []string{day})
		}},
		{"another interpreter deletes the interpreter's absence", func() error { return e.portal.DeleteAbsence(ctx, otherItp, itpAbsence) }},
		{"another counsel deletes the counsel's absence", func() error { return e.portal.DeleteAbsence(ctx, otherCns, cnsAbsence) }},
		{"the interpreter deletes the counsel's absence", func() error { return e.portal.DeleteAbsence(ctx, itp, cnsAbsence) }},
		{"the counsel deletes the interpreter's absence", func() error { return e.portal.DeleteAbsence(ctx, cns, itpAbsence) }},
	} {
		require.Equal(t, errs.NotFound, errs.CodeOf(tc.write()), tc.name)
	}

	// The writes that take no id land on their writer.
	availability := func(id string) []solver.Interval {
		x, err := e.db.Interpreter(ctx, id)
		require.NoError(t, err)
		return x.Availability
	}
	itpAvailability, otherAvailability := availability(itp.PersonID), availability(otherItp.PersonID)
	var pat resources.WeeklyPattern
	for i := range pat.Days {
		pat.Days[i] = resources.DayHours{Start: "10:00", End: "11:00"}
	}
	pat.From = e.clk.Now().Format(time.DateOnly)
	pat.Until = e.clk.Now().AddDate(0, 0, 14).Format(time.DateOnly)
	require.NoError(t, e.portal.SetPattern(ctx, otherItp, pat))
	require.NotEqual(t, otherAvailability, availability(otherItp.PersonID), "the pattern is the writer's")
	require.Equal(t, itpAvailability, availability(itp.PersonID), "another's pattern leaves the interpreter's hours")
	require.NoError(t, e.portal.AddAbsence(ctx, otherItp, "2031-04-07T08:00", "2031-04-07T12:00"))
	_, err = e.portal.RotateFeed(ctx, otherItp)
	require.NoError(t, err)

	// Nothing of the owners' changed.
	a, err := e.portal.Assignment(ctx, itp, b.ID)
	require.NoError(t, err)
	require.Equal(t, "requested", a.Status)
	sum, err := e.portal.Summons(ctx, cns)
	require.NoError(t, err)
	require.Len(t, sum, 1)
	require.False(t, sum[0].Acknowledged)
	att, err := e.db.NeedsAttention(ctx, e.clk.Now())
	require.NoError(t, err)
	require.Empty(t, att, "no change was asked for")
	for _, s := range []*resources.PortalSession{itp, cns} {
		as, err := e.portal.Absences(ctx, s)
		require.NoError(t, err)
		require.Len(t, as, 1, "%s %s keeps their one absence", s.Role, s.PersonID)
	}
	feeds, err := e.db.FeedTokens(ctx, resources.FeedInterpreter, itp.PersonID)
	require.NoError(t, err)
	require.Len(t, feeds, 1, "another's new link leaves the interpreter's live")

	// The owners may.
	require.NoError(t, e.portal.Confirm(ctx, itp, b.ID))
	require.NoError(t, e.portal.Acknowledge(ctx, cns, b.ID))
	require.NoError(t, e.portal.DeleteAbsence(ctx, itp, itpAbsence))
	require.NoError(t, e.portal.DeleteAbsence(ctx, cns, cnsAbsence))
	for _, s := range []*resources.PortalSession{itp, cns} {
		as, err := e.portal.Absences(ctx, s)
		require.NoError(t, err)
		require.Empty(t, as)
	}
}
