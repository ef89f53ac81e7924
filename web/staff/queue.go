package staff

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

// queuePage is the rows of one page of the queue.
const queuePage = 50

type queueRow struct {
	ID          string
	Language    string
	Duration    int
	Earliest    string
	Deadline    string
	Latest      string
	Priority    int
	Urgency     string // the priority in words
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
	AtRisk    int
	Languages []option
	Offices   []option
	Deadline  string
	Priority  []option
	Filtered  bool
	Ref       string
	RiskDays  int
	// Paging: the rows shown are First..Last of Total; Prev and Next are
	// the links to the pages around ("" at the ends).
	First, Last int
	Prev, Next  string
}

// urgency says a priority in words: 1 is normal, more is more urgent.
func urgency(l string, p int) string {
	switch {
	case p <= 1:
		return staffT(l, "urgency.normal")
	case p == 2:
		return staffT(l, "urgency.high")
	}
	return staffT(l, "urgency.veryhigh", p)
}

func (h *Handler) offices(ctx context.Context) ([]resources.Office, error) {
	return h.store.ActiveOffices(ctx)
}

func (h *Handler) queue(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	ctx := r.Context()
	q := r.URL.Query()
	c, err := h.clock(ctx)
	if err != nil {
		return "", err
	}
	v.Title, v.Nav = v.T("queue.title"), "queue"
	lang, off, dl, pr := strings.TrimSpace(q.Get("language")), q.Get("office"), q.Get("deadline"), q.Get("priority")
	f := resources.QueueFilter{Language: lang, Office: off}
	if dl != "" {
		d, err := solver.ParseDate(dl)
		if err != nil {
			return "", errs.E(errs.Invalid, "%s", v.T("err.deadline"))
		}
		f.Deadline = d.String()
	}
	if pr != "" {
		n, err := strconv.Atoi(pr)
		if err != nil || n < 1 {
			return "", errs.E(errs.Invalid, "%s", v.T("err.priority"))
		}
		f.MinPriority = n
	}
	data := queueData{Deadline: dl, Filtered: lang != "" || off != "" || dl != "" || pr != "", Ref: longDate(v.L, c.ref), RiskDays: riskDays}
	page := 1
	if ps := q.Get("page"); ps != "" {
		if page, err = strconv.Atoi(ps); err != nil || page < 1 {
			return "", errs.E(errs.Invalid, "%s", v.T("err.page"))
		}
	}
	entries, total, err := h.store.Queue(ctx, f, queuePage, (page-1)*queuePage)
	if err != nil {
		return "", err
	}
	names, err := h.officeNames(ctx)
	if err != nil {
		return "", err
	}
	data.Total = total
	data.First, data.Last = (page-1)*queuePage+1, (page-1)*queuePage+len(entries)
	link := func(p int) string {
		u := *r.URL
		qq := u.Query()
		qq.Set("page", strconv.Itoa(p))
		u.RawQuery = qq.Encode()
		return u.RequestURI()
	}
	if page > 1 {
		data.Prev = link(page - 1)
	}
	if data.Last < total {
		data.Next = link(page + 1)
	}
	for _, e := range entries {
		offices := make([]string, len(e.Offices))
		for i, o := range e.Offices {
			offices[i] = o
			if n, ok := names[o]; ok {
				offices[i] = n
			}
		}
		x := queueRow{ID: e.ID, Language: e.Language, Duration: e.DurationMinutes, Earliest: e.Earliest, Deadline: e.Deadline,
			Latest: e.Latest, Priority: e.Priority, Urgency: urgency(v.L, e.Priority), Offices: offices, Held: e.Held}
		if x.Deadline != "" {
			x.HasDeadline = true
			if d, err := solver.ParseDate(x.Deadline); err == nil {
				x.DaysLeft = int(d - c.ref)
				switch {
				case d < c.ref:
					x.Risk = v.T("queue.overdue")
				case d-c.ref <= riskDays:
					x.Risk = v.T("queue.atrisk.word")
				}
			}
			if x.Risk != "" {
				data.AtRisk++
			}
		}
		data.Rows = append(data.Rows, x)
	}

	// Filter choices: the languages of pending interviews, the offices.
	langs, err := h.pendingLanguages(ctx, v.L)
	if err != nil {
		return "", err
	}
	data.Languages = append(data.Languages, option{Value: "", Label: v.T("queue.all.languages"), Selected: lang == ""})
	for _, l := range langs {
		data.Languages = append(data.Languages, option{Value: l, Label: langName(v.L, l), Selected: strings.EqualFold(l, lang)})
	}
	offs, err := h.offices(ctx)
	if err != nil {
		return "", err
	}
	data.Offices = append(data.Offices, option{Value: "", Label: v.T("queue.all.offices"), Selected: off == ""})
	for _, o := range offs {
		data.Offices = append(data.Offices, option{Value: o.ID, Label: o.Name, Selected: o.ID == off})
	}
	for _, p := range []string{"", "2", "3"} {
		label := v.T("queue.all.priorities")
		if p != "" {
			n, _ := strconv.Atoi(p)
			label = v.T("urgency.ormore", urgency(v.L, n))
		}
		data.Priority = append(data.Priority, option{Value: p, Label: label, Selected: p == pr})
	}
	v.Data = data
	return "queue", nil
}

// pendingLanguages lists the languages of pending interviews, by name.
func (h *Handler) pendingLanguages(ctx context.Context, l string) ([]string, error) {
	langs, err := h.store.PendingLanguages(ctx)
	if err != nil {
		return nil, err
	}
	sort.Slice(langs, func(i, j int) bool { return langName(l, langs[i]) < langName(l, langs[j]) })
	return langs, nil
}
