package staff

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/asylum-scheduling/interviews/capacity"
	"github.com/asylum-scheduling/interviews/capacity/advice"
	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/internal/i18n"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/web/page"
)

// runView is one run of a comparison in a manager's terms, every figure
// formatted in the page's language ("15 421 €", "€15,421").
type runView struct {
	Name                       string
	Scheduled, Unscheduled     string
	Priority                   string
	Bound, Gap                 string // "—" when the bound was not ready
	WaitMedian, WaitP90        string
	UseIvr, UseRoom, UseItp    string // per cent
	Euros                      string
	DeltaScheduled, DeltaEuros string // against the baseline; empty when none
	// the raw figures the charts draw
	priority, unscheduled   int64
	useIvr, useRoom, useItp int
}

// countRow is a language or a reason with a count per run.
type countRow struct {
	Key, Name string
	Counts    []int
	Cells     []string // Counts formatted in the page's language
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
	TimeLimit      string // "30 s", the seconds grouped per language
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
	d := scenarioPageData{Run: run, Running: run.Status == resources.PlanRunning, Created: localStamp(v.L, run.CreatedAt, c.loc),
		TimeLimit: run.TimeLimit}
	if lim, err := time.ParseDuration(run.TimeLimit); err == nil {
		d.TimeLimit = decimal(v.L, lim.Seconds()) + "\u00a0s"
	}
	if d.Running {
		v.Script = "plan.js"
		d.RefreshSeconds = planRefreshSeconds
		if p := run.Progress; p != nil {
			d.Percent = min(100, int(p.Fraction*100))
			d.Elapsed = fmt.Sprintf("%.0f s", float64(p.ElapsedMS)/1000)
		}
	}
	if cmp := run.Comparison; cmp != nil {
		offices, err := h.officeNames(r.Context())
		if err != nil {
			return "", err
		}
		w := pageWording(v.L, offices)
		w.Variants = w.VariantNames(run.Scenario)
		d.fill(w, cmp)
	}
	v.Title, v.Nav, v.Data = v.T("sc.run.title", run.ID), "scenarios", d
	return "scenario", nil
}

// fill computes the page's tables and charts from the comparison.
func (d *scenarioPageData) fill(w advice.Wording, cmp *capacity.Comparison) {
	l := w.L
	base := cmp.Runs[0]
	langs, reasons := map[string]bool{}, map[string]bool{}
	for _, r := range cmp.Runs {
		name := r.Name
		switch {
		case name == capacity.BaselineName:
			name = staffT(l, "sc.baseline")
		case w.Variants[name] != "":
			name = w.Variants[name]
		case len(r.Description) > 0:
			name = w.Describe(r.Description)
		}
		d.Names = append(d.Names, name)
		d.Runs = append(d.Runs, newRunView(l, name, r, base))
		if r.Advice != nil {
			d.Advice = append(d.Advice, w.Text(*r.Advice))
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
	for _, rows := range [][]countRow{d.Languages, d.Reasons} {
		for i := range rows {
			for _, n := range rows[i].Counts {
				rows[i].Cells = append(rows[i].Cells, i18n.Number(l, n))
			}
		}
	}
	d.Charts = []chart{d.priorityChart(l), d.languageChart(l), d.useChart(l)}
}

// newRunView formats one run's figures in l, its differences against the
// baseline's.
func newRunView(l, name string, r, base capacity.RunResult) runView {
	rv := runView{Name: name, Scheduled: i18n.Number(l, r.Scheduled), Unscheduled: i18n.Number(l, r.Unscheduled),
		Priority: number64(l, r.UnscheduledPriority), Bound: "—", Gap: "—",
		WaitMedian: decimal(l, r.WaitDays.Median), WaitP90: decimal(l, r.WaitDays.P90), Euros: money64(l, r.InterpreterEuros),
		priority: r.UnscheduledPriority, unscheduled: int64(r.Unscheduled),
		useIvr: pctOf(r.Utilisation["interviewers"]), useRoom: pctOf(r.Utilisation["rooms"]), useItp: pctOf(r.Utilisation["interpreters"])}
	rv.UseIvr, rv.UseRoom, rv.UseItp = percent(l, rv.useIvr), percent(l, rv.useRoom), percent(l, rv.useItp)
	if r.Bound != nil {
		rv.Bound = number64(l, *r.Bound)
	}
	if r.Gap != nil {
		rv.Gap = number64(l, *r.Gap)
	}
	if n := r.Scheduled - base.Scheduled; n != 0 {
		rv.DeltaScheduled = signed(l, i18n.Number(l, abs(n)), n < 0)
	}
	if e := r.InterpreterEuros - base.InterpreterEuros; e != 0 {
		rv.DeltaEuros = signed(l, money64(l, abs(e)), e < 0)
	}
	return rv
}

func abs[T int | int64](x T) T {
	if x < 0 {
		return -x
	}
	return x
}

// signed puts a sign before a formatted magnitude: "+1 234 €", "−12 €"
// (the minus sign in Finnish and Swedish), "-€12" in English, as
// i18n.Money writes a negative amount.
func signed(l, magnitude string, negative bool) string {
	switch {
	case !negative:
		return "+" + magnitude
	case i18n.Normalize(l) == "en":
		return "-" + magnitude
	}
	return "\u2212" + magnitude
}

func number64(l string, n int64) string { return i18n.Number(l, int(n)) }

func money64(l string, n int64) string { return i18n.Money(l, int(n)) }

// decimal writes a number with up to one decimal in the language's way:
// "2,5" in Finnish and Swedish, "2.5" in English.
func decimal(l string, x float64) string {
	s := strconv.FormatFloat(x, 'f', -1, 64)
	if i18n.Normalize(l) != "en" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// percent writes a share in per cent: "45 %" (a no-break space) in Finnish
// and Swedish, "45%" in English.
func percent(l string, n int) string {
	if i18n.Normalize(l) == "en" {
		return i18n.Number(l, n) + "%"
	}
	return i18n.Number(l, n) + "\u00a0%"
}

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
		values[0] = append(values[0], float64(r.priority))
		values[1] = append(values[1], float64(r.unscheduled))
	}
	return barChart("c-priority", staffT(l, "sc.chart.priority"), staffT(l, "sc.chart.priority.desc"), groups, values, d.Names,
		func(v float64) string { return i18n.Number(l, int(v)) })
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
		func(v float64) string { return i18n.Number(l, int(v)) })
}

func (d *scenarioPageData) useChart(l string) chart {
	groups := []string{staffT(l, "pl.itps"), staffT(l, "pl.ivrs"), staffT(l, "pl.rooms")}
	values := make([][]float64, 3)
	for _, r := range d.Runs {
		values[0] = append(values[0], float64(r.useItp))
		values[1] = append(values[1], float64(r.useIvr))
		values[2] = append(values[2], float64(r.useRoom))
	}
	return barChart("c-use", staffT(l, "sc.chart.use"), staffT(l, "sc.chart.use.desc"), groups, values, d.Names,
		func(v float64) string { return percent(l, int(v)) })
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
