package api_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/api"
	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/scheduler"
)

// settings.retention shows in GET and PUT settings, with its default, and
// is validated; the admin's preview says what a run then erases, and the
// run shows in the list of runs.
func TestRetentionSettingsPreviewAndRuns(t *testing.T) {
	t.Parallel()
	e, clk, _ := newBookingEnv(t, nil)
	ctx := context.Background()
	a, m, c := resources.RoleAdmin, resources.RoleManager, resources.RoleClerk

	r := e.do(c, "GET", "/v1/settings", nil)
	require.Equal(t, 200, r.Status, "%s", r.Body)
	var st resources.Settings
	r.json(t, &st)
	sixty := 60
	require.Equal(t, &resources.Retention{MonthsAfter: 24, AccessLogMonths: &sixty}, st.Retention, "the defaults are shown")
	// The body of a PUT: the settings as read, without their version, with
	// retention as given (a field left out is left out).
	body := func(retention map[string]any) map[string]any {
		var out map[string]any
		require.NoError(t, json.Unmarshal(mustJSON(t, st), &out))
		delete(out, "version")
		out["retention"] = retention
		return out
	}
	for _, bad := range []struct {
		retention map[string]any
		path      string
	}{
		{map[string]any{"months_after": 0}, "retention.months_after"},
		{map[string]any{"months_after": 241}, "retention.months_after"},
		{map[string]any{"months_after": 24, "access_log_months": 11}, "retention.access_log_months"},
		{map[string]any{"months_after": 24, "access_log_months": 0}, "retention.access_log_months"},
		{map[string]any{"months_after": 24, "access_log_months": -1}, "retention.access_log_months"},
		{map[string]any{"months_after": 24, "access_log_months": 241}, "retention.access_log_months"},
	} {
		r = e.do(m, "PUT", "/v1/settings", body(bad.retention))
		require.Equal(t, 400, r.Status, "%v: %s", bad.retention, r.Body)
		p := r.problem(t)
		require.Equal(t, errs.Invalid, p.Code, "%v", bad.retention)
		require.Equal(t, api.ProblemType+string(errs.Invalid), p.Type)
		require.Len(t, p.Errors, 1, "%v", bad.retention)
		require.Equal(t, bad.path, p.Errors[0].Path)
		require.Contains(t, p.Errors[0].Message, "must be between")
	}
	r = e.do(m, "PUT", "/v1/settings", body(map[string]any{"months_after": 24, "access_log_months": 120}))
	require.Equal(t, 200, r.Status, "%s", r.Body)
	r.json(t, &st)
	require.Equal(t, 120, *st.Retention.AccessLogMonths)
	r = e.do(m, "PUT", "/v1/settings", body(map[string]any{"months_after": 6}))
	require.Equal(t, 200, r.Status, "%s", r.Body)
	r.json(t, &st)
	require.Equal(t, 6, st.Retention.MonthsAfter)
	require.Equal(t, 60, *st.Retention.AccessLogMonths, "left out: the default")

	// One interview booked; nothing is due before it has taken place.
	ans := e.suggest("I-1", map[string]any{})
	require.NotEmpty(t, ans.Suggestions)
	r = e.do(c, "POST", "/v1/interviews/I-1/booking", map[string]any{"suggestion_id": ans.Suggestions[0].ID})
	require.Equal(t, 201, r.Status, "%s", r.Body)
	var b resources.Booking
	r.json(t, &b)
	for _, role := range []resources.Role{c, m} {
		require.Equal(t, 403, e.do(role, "GET", "/v1/retention/preview", nil).Status, "admins only")
		require.Equal(t, 403, e.do(role, "GET", "/v1/retention/runs", nil).Status, "admins only")
	}
	require.Equal(t, 400, e.do(a, "GET", "/v1/retention/preview?months=1", nil).Status)
	var p resources.RetentionPreview
	r = e.do(a, "GET", "/v1/retention/preview", nil)
	require.Equal(t, 200, r.Status, "%s", r.Body)
	r.json(t, &p)
	require.Zero(t, p.Counts.Total())
	require.Empty(t, p.FirstInterview)

	// Six months and a day after the interview ended it is due.
	end, err := time.Parse(time.RFC3339, b.End)
	require.NoError(t, err)
	clk.Set(end.AddDate(0, 6, 1))
	r = e.do(a, "GET", "/v1/retention/preview", nil)
	require.Equal(t, 200, r.Status, "%s", r.Body)
	r.json(t, &p)
	loc, err := time.LoadLocation(st.Timezone)
	require.NoError(t, err)
	require.Equal(t, scheduler.RetentionCutoff(clk.Now(), resources.Retention{MonthsAfter: 6}, loc).UTC().Format(time.RFC3339), p.Cutoff)
	require.Equal(t, 6, p.MonthsAfter)
	require.Equal(t, scheduler.AccessLogCutoff(clk.Now(), *st.Retention, loc).UTC().Format(time.RFC3339), p.AccessLogCutoff)
	require.Equal(t, 60, p.AccessLogMonths)
	require.EqualValues(t, 1, p.Counts.Interviews)
	require.Equal(t, "I-1", p.FirstInterview)
	require.Equal(t, "I-1", p.LastInterview)

	run, err := e.deps.Retention.Run(ctx, "test-admin")
	require.NoError(t, err)
	require.Equal(t, p.Counts, run.Counts)
	var runs resources.Page[resources.RetentionRun]
	r = e.do(a, "GET", "/v1/retention/runs?limit=5", nil)
	require.Equal(t, 200, r.Status, "%s", r.Body)
	r.json(t, &runs)
	require.Equal(t, []resources.RetentionRun{*run}, runs.Items)
	var iv resources.Interview
	e.do(c, "GET", "/v1/interviews/I-1", nil).json(t, &iv)
	require.True(t, strings.HasPrefix(iv.Case, "erased-"), iv.Case)
	r = e.do(a, "GET", "/v1/retention/preview", nil)
	r.json(t, &p)
	require.Zero(t, p.Counts.Total(), "nothing left")
}
