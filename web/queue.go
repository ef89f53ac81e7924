package web

import (
	"context"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

// riskDays: a pending interview whose deadline is at most this many days
// after the first planning date is at risk of being late.
const riskDays = 10

// queueLimit bounds the rows of the queue page.
const queueLimit = 500

type queueRow struct {
	ID          string
	Language    string
	Duration    int
	Earliest    string
	Deadline    string
	Latest      string
	Priority    int
	Offices     []string
	Held        bool
	Risk        string // "", "at risk", "overdue"
	DaysLeft    int
	HasDeadline bool
}

type option struct {
	Value, Label string
	Selected     bool
}

type queueData struct {
	Rows      []queueRow
	Total     int
	Truncated bool
	AtRisk    int
	Languages []option
	Offices   []option
	Deadline  string
	Priority  []option
	Filtered  bool
	Ref       string
	RiskDays  int
}

func (h *Handler) offices(ctx context.Context) ([]resources.Office, error) {
	return h.db.ActiveOffices(ctx)
}

func (h *Handler) queue(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	ctx := r.Context()
	q := r.URL.Query()
	c, err := h.clock(ctx)
	if err != nil {
		return "", err
	}
	v.Title, v.Nav = "Queue", "queue"
	lang, off, dl, pr := strings.TrimSpace(q.Get("language")), q.Get("office"), q.Get("deadline"), q.Get("priority")
	f := resources.QueueFilter{Language: lang, Office: off}
	if dl != "" {
		d, err := solver.ParseDate(dl)
		if err != nil {
			return "", errs.E(errs.Invalid, "The deadline filter must be a date (YYYY-MM-DD).")
		}
		f.Deadline = d.String()
	}
	if pr != "" {
		n, err := strconv.Atoi(pr)
		if err != nil || n < 1 {
			return "", errs.E(errs.Invalid, "The priority filter must be a whole number of at least 1.")
		}
		f.MinPriority = n
	}
	data := queueData{Deadline: dl, Filtered: lang != "" || off != "" || dl != "" || pr != "", Ref: longDate(c.ref), RiskDays: riskDays}
	entries, total, err := h.db.Queue(ctx, f, queueLimit)
	if err != nil {
		return "", err
	}
	data.Total = total
	for _, e := range entries {
		x := queueRow{ID: e.ID, Language: e.Language, Duration: e.DurationMinutes, Earliest: e.Earliest, Deadline: e.Deadline,
			Latest: e.Latest, Priority: e.Priority, Offices: e.Offices, Held: e.Held}
		if x.Deadline != "" {
			x.HasDeadline = true
			if d, err := solver.ParseDate(x.Deadline); err == nil {
				x.DaysLeft = int(d - c.ref)
				switch {
				case d < c.ref:
					x.Risk = "overdue"
				case d-c.ref <= riskDays:
					x.Risk = "at risk"
				}
			}
			if x.Risk != "" {
				data.AtRisk++
			}
		}
		data.Rows = append(data.Rows, x)
	}
	data.Truncated = data.Total > len(data.Rows)

	// Filter choices: the languages of pending interviews, the offices.
	langs, err := h.pendingLanguages(ctx)
	if err != nil {
		return "", err
	}
	data.Languages = append(data.Languages, option{Value: "", Label: "All languages", Selected: lang == ""})
	for _, l := range langs {
		data.Languages = append(data.Languages, option{Value: l, Label: langName(l) + " (" + l + ")", Selected: strings.EqualFold(l, lang)})
	}
	offs, err := h.offices(ctx)
	if err != nil {
		return "", err
	}
	data.Offices = append(data.Offices, option{Value: "", Label: "All offices", Selected: off == ""})
	for _, o := range offs {
		data.Offices = append(data.Offices, option{Value: o.ID, Label: o.Name, Selected: o.ID == off})
	}
	for _, p := range []string{"", "2", "3"} {
		label := "Any priority"
		if p != "" {
			label = p + " or higher"
		}
		data.Priority = append(data.Priority, option{Value: p, Label: label, Selected: p == pr})
	}
	v.Data = data
	return "queue", nil
}

// pendingLanguages lists the languages of pending interviews, by name.
func (h *Handler) pendingLanguages(ctx context.Context) ([]string, error) {
	langs, err := h.db.PendingLanguages(ctx)
	if err != nil {
		return nil, err
	}
	sort.Slice(langs, func(i, j int) bool { return langName(langs[i]) < langName(langs[j]) })
	return langs, nil
}
