package main

import (
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/capacity"
)

const intakeTwoWeeks = `{"format": "capacity-intake/v1",
 "weeks": [{"week": "2027-01-04", "arrivals": {"ar": 5, "so": 3}}, {"week": "2027-01-11", "arrivals": {"ar": 8}}]}`

// TestForecast: schedule forecast prints one capacity-forecast/v1 object,
// strictly decodable as capacity.ForecastResult, with the weeks asked for,
// the intake's arrivals and a conserved backlog; -csv writes the same
// figures in long form.
func TestForecast(t *testing.T) {
	dir := t.TempDir()
	in := generated(t)
	intake := writeFile(t, dir, "intake.json", intakeTwoWeeks)
	csvPath := filepath.Join(dir, "forecast.csv")
	stdout, stderr := mustRun(t, 0, "", "forecast", "-in", in, "-intake", intake, "-weeks", "3",
		"-iterations", "30", "-time-limit-per-week", "1s", "-csv", csvPath)
	require.Equal(t, 3, strings.Count(stderr, "week "), "a progress line a week: %q", stderr)

	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.DisallowUnknownFields()
	var res capacity.ForecastResult
	require.NoError(t, dec.Decode(&res), clip(stdout))
	require.Equal(t, capacity.ForecastFormat, res.Format)
	require.Equal(t, "2027-01-04", res.Start)
	require.Len(t, res.Week, 3)
	require.Equal(t, []int{8, 8, 0}, []int{res.Week[0].Arrivals, res.Week[1].Arrivals, res.Week[2].Arrivals})
	for _, wk := range res.Week {
		require.Equal(t, wk.BacklogStart+wk.Arrivals-wk.Scheduled, wk.BacklogEnd, "week %d", wk.Week)
	}
	require.NotEmpty(t, res.Languages)

	f, err := csv.NewReader(strings.NewReader(readFile(t, csvPath))).ReadAll()
	require.NoError(t, err)
	require.Equal(t, []string{"week", "language", "metric", "value"}, f[0])
	got := map[string]string{}
	for _, r := range f[1:] {
		require.Len(t, r, 4)
		_, err := strconv.ParseFloat(r[3], 64)
		require.NoError(t, err, "value of %v", r)
		got[r[0]+"/"+r[1]+"/"+r[2]] = r[3]
	}
	for _, wk := range res.Week {
		require.Equal(t, strconv.Itoa(wk.BacklogEnd), got[wk.Start+"/*/backlog_end"])
		for _, l := range wk.Langs {
			require.Equal(t, strconv.Itoa(l.Scheduled), got[wk.Start+"/"+l.Language+"/scheduled"])
			require.Equal(t, strconv.Itoa(l.Capacity), got[wk.Start+"/"+l.Language+"/capacity"])
		}
	}

	// the intake from standard input, no progress with -quiet
	stdout, stderr = mustRun(t, 0, `{"format": "capacity-intake/v1", "from_history": {"weeks": 1}}`, "forecast", "-in", in,
		"-intake", "-", "-weeks", "1", "-iterations", "10", "-time-limit-per-week", "1s", "-quiet", "-empty-start")
	require.Empty(t, stderr)
	require.NoError(t, json.Unmarshal([]byte(stdout), &res))
	require.Zero(t, res.OpeningBacklog)
	require.Positive(t, res.Week[0].Arrivals)
}

func TestForecastUsage(t *testing.T) {
	dir := t.TempDir()
	intake := writeFile(t, dir, "intake.json", intakeTwoWeeks)
	for _, args := range [][]string{
		{"forecast", "-in", exampleInstance, "-weeks", "4"},                                     // no -intake
		{"forecast", "-in", exampleInstance, "-intake", intake},                                 // no -weeks
		{"forecast", "-in", exampleInstance, "-intake", intake, "-weeks", "53"},                 // too many
		{"forecast", "-in", "-", "-intake", "-", "-weeks", "4"},                                 // two standard inputs
		{"forecast", "-in", exampleInstance, "-intake", intake, "-weeks", "4", "-csv", "-"},     // CSV on the JSON's output
		{"forecast", "-in", exampleInstance, "-intake", intake, "-weeks", "4", "-workers", "0"}, // no worker
		{"forecast", "-in", exampleInstance, "-intake", intake, "-weeks", "4", "-time-limit-per-week", "0s"},
	} {
		mustRun(t, exitUsage, "", args...)
	}
	// bad input: a missing file, an intake with a typo or on a Tuesday
	mustRun(t, exitBadInput, "", "forecast", "-in", filepath.Join(dir, "missing.json"), "-intake", intake, "-weeks", "2")
	_, stderr := mustRun(t, exitBadInput, `{"format": "capacity-intake/v1", "from_history": {"weeks": 1}, "typo": 1}`,
		"forecast", "-in", exampleInstance, "-intake", "-", "-weeks", "2")
	require.Contains(t, stderr, "typo")
	_, stderr = mustRun(t, exitBadInput, `{"format": "capacity-intake/v1", "weeks": [{"week": "2026-12-08", "arrivals": {"ar": 1}}]}`,
		"forecast", "-in", exampleInstance, "-intake", "-", "-weeks", "2")
	require.Contains(t, stderr, "weeks[0].week: 2026-12-08 is not a Monday")
}
