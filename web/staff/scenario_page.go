package staff

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"

	"github.com/asylum-scheduling/interviews/capacity"
	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/web/page"
)

// runView is one run of a comparison in a manager's terms.
type runView struct {
	Name                       string
	Scheduled, Unscheduled     int
	Priority                   int64
	Bound, Gap                 string // "—" when the bound was not ready
	WaitMedian, WaitP90        string
	UseIvr, UseRoom, UseItp    int // per cent
	Euros                      int64
	DeltaScheduled, DeltaEuros int64 // against the baseline
}

// countRow is a language or a reason with a count per run.
type countRow struct {
	Key, Name string
	Counts    []int
}

// chart is a horizontal bar chart drawn by the server (SVG), with a text
// alternative; the tables have the same figures.
type chart struct {
	ID, Title, Desc string
	W, H            int
	Bars            []chartBar
	Labels          []chartText
	Legend          []chartLegend
}

type chartBar struct {
	X, Y, W, H int
	Fill       string
	Title      string
}

type chartText struct {
	X, Y   int
	Text   string
	Anchor string
}

type chartLegend struct{ Class, Label string }

type scenarioPageData struct {
	Run            *resources.ScenarioRun
	Running        bool
	RefreshSeconds int
	Percent        int
	Elapsed        string
	Created        string
	Runs           []runView
	Languages      []countRow
	Reasons        []countRow
	Charts         []chart
	Names          []string
	// Advice is one sentence per variant: what it changed, or why
	// nothing, in the reader's language.
	Advice []string
}

// runColours tell the runs apart in the charts (AA contrast on white).
var runColours = []string{"#5b6068", "#1f4e8c", "#2e7d32", "#8a4b08", "#6a1b9a", "#b3261e"}

func (h *Handler) scenarioOf(r *http.Request) (*resources.ScenarioRun, error) {
	id, err := page.PathID(r, "id", "scenario")
	if err != nil {
		return nil, err
	}
	return h.store.Scenario(r.Context(), id)
}

// scenarioPage shows a scenario's progress, then its comparison.
func (h *Handler) scenarioPage(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	run, err := h.scenarioOf(r)
	if err != nil {
		return "", err
	}
	c, err := h.clock(r.Context())
	if err != nil {
		return "", err
	}
	d := scenarioPageData{Run: run, Running: run.Status == resources.PlanRunning, Created: localStamp(v.L, run.CreatedAt, c.loc)}
	if d.Running {
		v.Script = "plan.js"
		d.RefreshSeconds = planRefreshSeconds
		if p := run.Progress; p != nil {
			d.Percent = min(100, int(p.Fraction*100))
			d.Elapsed = fmt.Sprintf("%.0f s", float64(p.ElapsedMS)/1000)
		}
	}
	if cmp := run.Comparison; cmp != nil {
		d.fill(v.L, cmp)
	}
	v.Title, v.Nav, v.Data = v.T("sc.run.title", run.ID), "scenarios", d
	return "scenario", nil
}

// fill computes the page's tables and charts from the comparison.
func (d *scenarioPageData) fill(l string, cmp *capacity.Comparison) {
	base := cmp.Runs[0]
	langs, reasons := map[string]bool{}, map[string]bool{}
	for _, r := range cmp.Runs {
		name := r.Name
		if name == capacity.BaselineName {
			name = staffT(l, "sc.baseline")
		}
		d.Names = append(d.Names, name)
		rv := runView{Name: name, Scheduled: r.Scheduled, Unscheduled: r.Unscheduled, Priority: r.UnscheduledPriority,
			Bound: "—", Gap: "—", WaitMedian: days(r.WaitDays.Median), WaitP90: days(r.WaitDays.P90), Euros: r.InterpreterEuros,
			UseIvr: pctOf(r.Utilisation["interviewers"]), UseRoom: pctOf(r.Utilisation["rooms"]), UseItp: pctOf(r.Utilisation["interpreters"]),
			DeltaScheduled: int64(r.Scheduled - base.Scheduled), DeltaEuros: r.InterpreterEuros - base.InterpreterEuros}
		if r.Bound != nil {
			rv.Bound = strconv.FormatInt(*r.Bound, 10)
		}
		if r.Gap != nil {
			rv.Gap = strconv.FormatInt(*r.Gap, 10)
		}
		d.Runs = append(d.Runs, rv)
		if r.Advice != nil {
			d.Advice = append(d.Advice, adviceText(l, *r.Advice))
		}
		for k := range r.UnscheduledByLanguage {
			langs[k] = true
		}
		for k := range r.UnscheduledByReason {
			reasons[k] = true
		}
	}
	d.Languages = countRows(cmp, langs, func(r capacity.RunResult) map[string]int { return r.UnscheduledByLanguage },
		func(k string) string { return langName(l, k) })
	d.Reasons = countRows(cmp, reasons, func(r capacity.RunResult) map[string]int { return r.UnscheduledByReason },
		func(k string) string { return reasonWord(l, k) })
	d.Charts = []chart{d.priorityChart(l), d.languageChart(l), d.useChart(l)}
}

func days(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

func pctOf(u capacity.Use) int { return int(u.Share*100 + 0.5) }

// countRows lists the keys with their count per run, the baseline's
// largest first.
func countRows(cmp *capacity.Comparison, keys map[string]bool, of func(capacity.RunResult) map[string]int, name func(string) string) []countRow {
	var out []countRow
	for k := range keys {
		row := countRow{Key: k, Name: name(k)}
		for _, r := range cmp.Runs {
			row.Counts = append(row.Counts, of(r)[k])
		}
		out = append(out, row)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Counts[0] != out[j].Counts[0] {
			return out[i].Counts[0] > out[j].Counts[0]
		}
		return out[i].Key < out[j].Key
	})
	return out
}

const (
	chartW      = 640
	chartLabelW = 190
	barH        = 14
)

// barChart draws groups of bars (one bar per run in each group), scaled to
// the largest value.
func barChart(id, title, desc string, groups []string, values [][]float64, runs []string, unit func(float64) string) chart {
	c := chart{ID: id, Title: title, Desc: desc, W: chartW}
	maxV := 0.0
	for _, vs := range values {
		for _, v := range vs {
			maxV = max(maxV, v)
		}
	}
	span := chartW - chartLabelW - 60
	y := 8
	for gi, g := range groups {
		c.Labels = append(c.Labels, chartText{X: chartLabelW - 8, Y: y + barH*len(runs)/2 + 5, Text: g, Anchor: "end"})
		for ri, v := range values[gi] {
			w := 0
			if maxV > 0 {
				w = int(v / maxV * float64(span))
			}
			c.Bars = append(c.Bars, chartBar{X: chartLabelW, Y: y, W: w, H: barH - 2, Fill: runColours[ri%len(runColours)],
				Title: fmt.Sprintf("%s, %s: %s", g, runs[ri], unit(v))})
			c.Labels = append(c.Labels, chartText{X: chartLabelW + w + 4, Y: y + barH - 4, Text: unit(v), Anchor: "start"})
			y += barH
		}
		y += 10
	}
	c.H = y
	for ri, r := range runs {
		c.Legend = append(c.Legend, chartLegend{Class: fmt.Sprintf("run-%d", ri%len(runColours)), Label: r})
	}
	return c
}

func (d *scenarioPageData) priorityChart(l string) chart {
	groups := []string{staffT(l, "sc.row.priority"), staffT(l, "sc.row.unscheduled")}
	values := make([][]float64, 2)
	for _, r := range d.Runs {
		values[0] = append(values[0], float64(r.Priority))
		values[1] = append(values[1], float64(r.Unscheduled))
	}
	return barChart("c-priority", staffT(l, "sc.chart.priority"), staffT(l, "sc.chart.priority.desc"), groups, values, d.Names,
		func(v float64) string { return strconv.FormatFloat(v, 'f', 0, 64) })
}

func (d *scenarioPageData) languageChart(l string) chart {
	rows := d.Languages
	if len(rows) > 6 {
		rows = rows[:6]
	}
	var groups []string
	var values [][]float64
	for _, row := range rows {
		groups = append(groups, row.Name)
		var vs []float64
		for _, n := range row.Counts {
			vs = append(vs, float64(n))
		}
		values = append(values, vs)
	}
	return barChart("c-languages", staffT(l, "sc.chart.languages"), staffT(l, "sc.chart.languages.desc"), groups, values, d.Names,
		func(v float64) string { return strconv.FormatFloat(v, 'f', 0, 64) })
}

func (d *scenarioPageData) useChart(l string) chart {
	groups := []string{staffT(l, "pl.itps"), staffT(l, "pl.ivrs"), staffT(l, "pl.rooms")}
	values := make([][]float64, 3)
	for _, r := range d.Runs {
		values[0] = append(values[0], float64(r.UseItp))
		values[1] = append(values[1], float64(r.UseIvr))
		values[2] = append(values[2], float64(r.UseRoom))
	}
	return barChart("c-use", staffT(l, "sc.chart.use"), staffT(l, "sc.chart.use.desc"), groups, values, d.Names,
		func(v float64) string { return strconv.FormatFloat(v, 'f', 0, 64) + " %" })
}

// scenarioCSV downloads every figure of a done scenario.
func (h *Handler) scenarioCSV(w http.ResponseWriter, r *http.Request) {
	run, err := h.scenarioOf(r)
	if err == nil && run.Comparison == nil {
		err = errs.E(errs.Conflict, "%s", staffT(staffLocale(r), "sc.err.nocsv"))
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="scenario-`+strconv.FormatInt(run.ID, 10)+`.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	if err := run.Comparison.WriteCSV(w); err != nil {
		h.log.Error("web: scenario CSV", "error", err.Error())
	}
}

// scenarioCancel stops a running scenario.
func (h *Handler) scenarioCancel(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	id, err := page.PathID(r, "id", "scenario")
	if err != nil {
		return "", err
	}
	if _, err := h.plans.CancelScenario(r.Context(), id); err != nil {
		return "", err
	}
	h.seeOther(w, r, "/scenarios/"+strconv.FormatInt(id, 10), v.T("sc.flash.cancelled"))
	return "", nil
}
