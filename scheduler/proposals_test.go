package scheduler_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
)

// A counsel proposes up to three other times (a day and a part of it): the
// clerks see them in Needs attention, the counsel's summons echoes them;
// a fourth, a past day or an unknown part is refused.
func TestCounselProposesOtherTimes(t *testing.T) {
	t.Parallel()
	e := newPortalEnv(t)
	ctx := context.Background()
	_, party, b := e.bookWithParty(t)
	sess := &resources.PortalSession{Role: resources.PortalCounsel, PersonID: party.ID}
	day := func(n int) string { return e.clk.Now().AddDate(0, 0, n).Format(time.DateOnly) }
	p := func(d, part string) resources.TimeProposal { return resources.TimeProposal{Date: d, Part: part} }
	for name, ps := range map[string][]resources.TimeProposal{
		"four":         {p(day(2), "day"), p(day(3), "day"), p(day(4), "day"), p(day(5), "day")},
		"a past day":   {p(day(-1), "morning")},
		"today":        {p(day(0), "morning")},
		"unknown part": {p(day(2), "evening")},
		"no date":      {p("2027-13-01", "morning")},
	} {
		err := e.portal.ProposeOtherTime(ctx, sess, b.ID, "in court", nil, ps)
		require.Equal(t, errs.Invalid, errs.CodeOf(err), name)
	}
	require.Equal(t, errs.Invalid, errs.CodeOf(e.portal.ProposeOtherTime(ctx, sess, b.ID, "in court", nil, nil)),
		"neither dates nor proposals")

	want := []resources.TimeProposal{p(day(2), resources.PartMorning), p(day(9), resources.PartAfternoon)}
	require.NoError(t, e.portal.ProposeOtherTime(ctx, sess, b.ID, "in court", nil, want))
	att, err := e.db.NeedsAttention(ctx, e.clk.Now())
	require.NoError(t, err)
	require.Len(t, att, 1)
	require.Equal(t, "change_requested", att[0].Reason)
	require.Equal(t, "in court", att[0].Detail)
	require.Equal(t, want, att[0].Proposals)
	sum, err := e.portal.Summons(ctx, sess)
	require.NoError(t, err)
	require.Len(t, sum, 1)
	require.True(t, sum[0].ChangeAsked)
	require.Equal(t, want, sum[0].Proposals)
}
