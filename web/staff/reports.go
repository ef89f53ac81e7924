package staff

import (
	"net/http"
	"net/url"

	"github.com/asylum-scheduling/interviews/resources"
)

// reports.go is the managers' report on how the automation is used
// (issue 26), and its CSV download.

// reportData is what the automation report's page shows.
type reportData struct {
	From, To string
	Report   *resources.AutomationReport
	Sources  []reportCount
	Outcomes []reportCount
	Plans    []reportCount
	Share    int // the first suggestion's share, in per cent
	CSV      string
}

// reportCount is one count of a table, its key worded by the template.
type reportCount struct {
	Key string
	N   int
}

// reportDates are the query's dates, or the 30 days up to today.
func (h *Handler) reportDates(r *http.Request) (string, string, error) {
	q := r.URL.Query()
	from, to := q.Get("from"), q.Get("to")
	if from != "" && to != "" {
		return from, to, nil
	}
	c, err := h.clock(r.Context())
	if err != nil {
		return "", "", err
	}
	return (c.today - 29).String(), c.today.String(), nil
}

// automationPage shows the report for the chosen dates.
func (h *Handler) automationPage(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	from, to, err := h.reportDates(r)
	if err != nil {
		return "", err
	}
	rep, err := h.store.AutomationReport(r.Context(), from, to)
	if err != nil {
		return "", err
	}
	d := reportData{From: from, To: to, Report: rep, Share: int(rep.FirstShare*100 + 0.5),
		CSV: "/reports/automation.csv?" + url.Values{"from": {from}, "to": {to}}.Encode()}
	for _, k := range []string{resources.OriginSuggestion, resources.OriginPlan, resources.OriginAutomatic, resources.OriginHand} {
		d.Sources = append(d.Sources, reportCount{k, rep.BySource[k]})
	}
	for _, k := range []string{resources.InterpreterRequested, resources.InterpreterConfirmed, resources.InterpreterDeclined, resources.InterpreterExpired} {
		d.Outcomes = append(d.Outcomes, reportCount{k, rep.AutomaticOutcomes[k]})
	}
	for _, k := range []string{"accepted", "partly_accepted", "done", "cancelled", "failed", "running"} {
		d.Plans = append(d.Plans, reportCount{k, rep.Plans[k]})
	}
	c, err := h.clock(r.Context())
	if err != nil {
		return "", err
	}
	for i := range rep.AgainstRules {
		rep.AgainstRules[i].At = localStamp(v.L, rep.AgainstRules[i].At, c.loc)
	}
	v.Title, v.Nav, v.Data = v.T("rep.title"), "reports", d
	return "automation", nil
}

// automationCSV downloads the report for the chosen dates.
func (h *Handler) automationCSV(w http.ResponseWriter, r *http.Request) {
	from, to, err := h.reportDates(r)
	var rep *resources.AutomationReport
	if err == nil {
		rep, err = h.store.AutomationReport(r.Context(), from, to) // checks the dates: the file's name is safe
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="automation-`+from+`-`+to+`.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	if err := rep.WriteCSV(w); err != nil {
		h.log.Error("web: automation CSV", "error", err.Error())
	}
}
