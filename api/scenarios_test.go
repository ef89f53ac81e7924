package api_test

import (
	"context"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/capacity"
	"github.com/asylum-scheduling/interviews/resources"
)

// waitScenario waits for a scenario to end and returns it.
func (e *env) waitScenario(id int64) resources.ScenarioRun {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	require.NoError(e.t, e.deps.Planner.Wait(ctx, id))
	r := e.do(resources.RoleManager, "GET", "/v1/scenarios/"+itoa(id), nil)
	require.Equal(e.t, 200, r.Status, "%s", r.Body)
	var s resources.ScenarioRun
	r.json(e.t, &s)
	return s
}

// A what-if scenario runs the baseline and its variants side by side,
// books nothing, lists its figures as CSV, and is kept apart from plans.
func TestScenariosRunCompareAndBookNothing(t *testing.T) {
	t.Parallel()
	e, in := planEnv(t)
	lang := ""
	for _, iv := range in.Interviews {
		if iv.NeedsInterp() {
			lang = iv.Language
			break
		}
	}
	require.NotEmpty(t, lang)
	variants := []map[string]any{{"name": "+3 " + lang, "changes": []map[string]any{
		{"add_interpreters": map[string]any{"language": lang, "count": 3}}}}}
	body := map[string]any{"from": in.Horizon.Start, "to": in.Horizon.End, "time_limit": "4s", "variants": variants}

	// Managers only; the body and the changes are checked.
	require.Equal(t, 403, e.do(resources.RoleClerk, "POST", "/v1/scenarios", body).Status)
	require.Equal(t, 403, e.do(resources.RoleClerk, "GET", "/v1/scenarios", nil).Status)
	r := e.do(resources.RoleManager, "POST", "/v1/scenarios", map[string]any{"from": in.Horizon.Start, "to": in.Horizon.End})
	require.Equal(t, 400, r.Status)
	require.Equal(t, "variants", r.problem(t).Errors[0].Path)
	r = e.do(resources.RoleManager, "POST", "/v1/scenarios", map[string]any{"from": in.Horizon.Start, "to": in.Horizon.End,
		"variants": []map[string]any{{"name": "x", "changes": []map[string]any{{"add_rooms": map[string]any{"location": "NOWHERE", "count": 1}}}}}})
	require.Equal(t, 422, r.Status, "%s", r.Body)
	p := r.problem(t)
	require.NotEmpty(t, p.Errors)
	require.Contains(t, p.Errors[0].Path, "variants[0].changes[0]")
	require.Contains(t, p.Errors[0].Message, "NOWHERE")
	r = e.do(resources.RoleManager, "POST", "/v1/scenarios", map[string]any{"from": in.Horizon.Start, "to": in.Horizon.End,
		"variants": []map[string]any{{"name": "x", "changes": []map[string]any{{"add_seats": 1}}}}})
	require.Equal(t, 400, r.Status, "%s", r.Body)
	require.Contains(t, r.problem(t).Errors[0].Path, "add_seats")

	before, err := e.db.Bookings(context.Background(), resources.ListParams{Limit: 500, Filters: map[string]string{}})
	require.NoError(t, err)
	t0 := time.Now()
	r = e.do(resources.RoleManager, "POST", "/v1/scenarios", body)
	require.Equal(t, 202, r.Status, "%s", r.Body)
	var started resources.ScenarioRun
	r.json(t, &started)
	require.Equal(t, "running", started.Status)
	require.Equal(t, "/v1/scenarios/"+itoa(started.ID), r.Header.Get("Location"))
	done := e.waitScenario(started.ID)
	require.Equal(t, "done", done.Status, done.Error)
	// A guard against a hang, 10× the 4 s budget (CI is a busy machine).
	require.Less(t, time.Since(t0), 10*4*time.Second, "within 10× its budget")
	require.Equal(t, 1.0, value(t, scrape(t, e), "interviewd_plans_total", map[string]string{"kind": "scenario", "outcome": "done"}),
		"scenario runs are counted")
	cmp := done.Comparison
	require.NotNil(t, cmp)
	require.Len(t, cmp.Runs, 2)
	require.Equal(t, "baseline", cmp.Runs[0].Name)
	require.Equal(t, "+3 "+lang, cmp.Runs[1].Name)
	// Each variant is described from its changes for the reader to word,
	// the language tag kept whole (its dialect).
	desc := []capacity.Advice{{Code: "var.add_interpreters", N: 3, Args: []capacity.Arg{{Name: "count", Value: "3"},
		{Name: "language", Value: lang, Kind: capacity.ArgDialects}}}}
	require.Equal(t, []resources.ScenarioVariant{{Name: "+3 " + lang, Description: desc}}, done.Variants)
	require.Equal(t, desc, cmp.Runs[1].Description)
	for _, run := range cmp.Runs {
		require.Equal(t, run.Interviews, run.Scheduled+run.Unscheduled, run.Name)
		if run.Bound != nil {
			require.LessOrEqual(t, *run.Bound, run.UnscheduledPriority, "%s: the bound is a lower bound", run.Name)
		}
	}

	// Nothing was booked.
	after, err := e.db.Bookings(context.Background(), resources.ListParams{Limit: 500, Filters: map[string]string{}})
	require.NoError(t, err)
	require.Equal(t, len(before.Items), len(after.Items))

	// Every figure as CSV.
	r = e.do(resources.RoleManager, "GET", "/v1/scenarios/"+itoa(started.ID)+"/csv", nil)
	require.Equal(t, 200, r.Status, "%s", r.Body)
	require.Contains(t, r.Header.Get("Content-Type"), "text/csv")
	rows, err := csv.NewReader(strings.NewReader(string(r.Body))).ReadAll()
	require.NoError(t, err)
	require.Greater(t, len(rows), 10)
	seen := map[string]bool{}
	for _, row := range rows[1:] {
		seen[row[0]+"/"+row[1]] = true
	}
	require.True(t, seen["baseline/scheduled"], "%v", seen)
	require.True(t, seen["+3 "+lang+"/unscheduled_priority"], "%v", seen)

	// Listed as a scenario, not as a plan; cannot be accepted or cancelled
	// once done.
	r = e.do(resources.RoleManager, "GET", "/v1/scenarios", nil)
	require.Equal(t, 200, r.Status)
	require.Contains(t, string(r.Body), `"id":`+itoa(started.ID))
	r = e.do(resources.RoleManager, "GET", "/v1/plans", nil)
	require.NotContains(t, string(r.Body), `"kind":"scenario"`)
	require.Equal(t, 409, e.do(resources.RoleManager, "POST", "/v1/plans/"+itoa(started.ID)+"/accept", nil).Status)
	require.Equal(t, 409, e.do(resources.RoleManager, "POST", "/v1/scenarios/"+itoa(started.ID)+"/cancel", nil).Status)
	require.Equal(t, 404, e.do(resources.RoleManager, "GET", "/v1/scenarios/999999", nil).Status)

	// A running scenario can be cancelled; it ends cancelled at once, its
	// budget unspent.
	body["time_limit"] = "2m"
	r = e.do(resources.RoleManager, "POST", "/v1/scenarios", body)
	require.Equal(t, 202, r.Status, "%s", r.Body)
	var long resources.ScenarioRun
	r.json(t, &long)
	t1 := time.Now()
	r = e.do(resources.RoleManager, "POST", "/v1/scenarios/"+itoa(long.ID)+"/cancel", nil)
	require.Equal(t, 200, r.Status, "%s", r.Body)
	var cancelled resources.ScenarioRun
	r.json(t, &cancelled)
	require.Equal(t, "cancelled", cancelled.Status)
	require.Nil(t, cancelled.Comparison)
	require.Less(t, time.Since(t1), time.Minute)
	require.Equal(t, 409, e.do(resources.RoleManager, "POST", "/v1/scenarios/"+itoa(long.ID)+"/cancel", nil).Status)
	// A plan id is not a scenario.
	r = e.do(resources.RoleManager, "POST", "/v1/plans", map[string]any{"from": in.Horizon.Start, "to": in.Horizon.End, "time_limit": "1s"})
	require.Equal(t, 202, r.Status, "%s", r.Body)
	var plan resources.Plan
	r.json(t, &plan)
	require.Equal(t, 404, e.do(resources.RoleManager, "GET", "/v1/scenarios/"+itoa(plan.ID), nil).Status)
	e.waitPlan(plan.ID)
}
