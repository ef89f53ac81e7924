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

// queueQuery is what the queue's URL asks for: the filters as typed, the
// store's filter and the page.
type queueQuery struct {
	lang, office, deadline, priority string
	filter                           resources.QueueFilter
	page                             int
}

// queue lists the pending interviews, most urgent first, a page at a time,
// with the filters' choices.
func (h *Handler) queue(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	ctx := r.Context()
	c, err := h.clock(ctx)
	if err != nil {
		return "", err
	}
	v.Title, v.Nav = v.T("queue.title"), "queue"
	qq, err := parseQueueQuery(v, r)
	if err != nil {
		return "", err
	}
	data := queueData{Deadline: qq.deadline, Filtered: qq.lang != "" || qq.office != "" || qq.deadline != "" || qq.priority != "",
		Ref: longDate(v.L, c.ref), RiskDays: riskDays}
	if err := h.queueRows(ctx, v, r, c, qq, &data); err != nil {
		return "", err
	}
	if err := h.queueChoices(ctx, v, qq, &data); err != nil {
		return "", err
	}
	v.Data = data
	return "queue", nil
}

// parseQueueQuery reads the filters and the page of the queue's URL.
func parseQueueQuery(v *view, r *http.Request) (queueQuery, error) {
	q := r.URL.Query()
	qq := queueQuery{lang: strings.TrimSpace(q.Get("language")), office: q.Get("office"), deadline: q.Get("deadline"),
		priority: q.Get("priority"), page: 1}
	qq.filter = resources.QueueFilter{Language: qq.lang, Office: qq.office}
	if qq.deadline != "" {
		d, err := solver.ParseDate(qq.deadline)
		if err != nil {
			return qq, errs.E(errs.Invalid, "%s", v.T("err.deadline"))
		}
		qq.filter.Deadline = d.String()
	}
	if qq.priority != "" {
		n, err := strconv.Atoi(qq.priority)
		if err != nil || n < 1 {
			return qq, errs.E(errs.Invalid, "%s", v.T("err.priority"))
		}
		qq.filter.MinPriority = n
	}
	if ps := q.Get("page"); ps != "" {
		n, err := strconv.Atoi(ps)
		if err != nil || n < 1 {
			return qq, errs.E(errs.Invalid, "%s", v.T("err.page"))
		}
		qq.page = n
	}
	return qq, nil
}

// queueRows reads the page's rows, with the links to the pages around and
// each row's risk of being late.
func (h *Handler) queueRows(ctx context.Context, v *view, r *http.Request, c *clock, qq queueQuery, data *queueData) error {
	entries, total, err := h.store.Queue(ctx, qq.filter, queuePage, (qq.page-1)*queuePage)
	if err != nil {
		return err
	}
	names, err := h.officeNames(ctx)
	if err != nil {
		return err
	}
	data.Total = total
	data.First, data.Last = (qq.page-1)*queuePage+1, (qq.page-1)*queuePage+len(entries)
	link := func(p int) string {
		u := *r.URL
		q := u.Query()
		q.Set("page", strconv.Itoa(p))
		u.RawQuery = q.Encode()
		return u.RequestURI()
	}
	if qq.page > 1 {
		data.Prev = link(qq.page - 1)
	}
	if data.Last < total {
		data.Next = link(qq.page + 1)
	}
	for _, e := range entries {
		x := queueRowOf(v, c, e, names)
		if x.Risk != "" {
			data.AtRisk++
		}
		data.Rows = append(data.Rows, x)
	}
	return nil
}

// queueRowOf is one row: offices by name, and at risk or overdue by its
// deadline.
func queueRowOf(v *view, c *clock, e resources.QueueEntry, names map[string]string) queueRow {
	offices := make([]string, len(e.Offices))
	for i, o := range e.Offices {
		offices[i] = o
		if n, ok := names[o]; ok {
			offices[i] = n
		}
	}
	x := queueRow{ID: e.ID, Language: e.Language, Duration: e.DurationMinutes, Earliest: e.Earliest, Deadline: e.Deadline,
		Latest: e.Latest, Priority: e.Priority, Urgency: urgency(v.L, e.Priority), Offices: offices, Held: e.Held}
	if x.Deadline == "" {
		return x
	}
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
	return x
}

// queueChoices are the filters' choices: the languages of pending
// interviews, the offices, the priorities.
func (h *Handler) queueChoices(ctx context.Context, v *view, qq queueQuery, data *queueData) error {
	langs, err := h.pendingLanguages(ctx, v.L)
	if err != nil {
		return err
	}
	data.Languages = append(data.Languages, option{Value: "", Label: v.T("queue.all.languages"), Selected: qq.lang == ""})
	for _, l := range langs {
		data.Languages = append(data.Languages, option{Value: l, Label: langName(v.L, l), Selected: strings.EqualFold(l, qq.lang)})
	}
	offs, err := h.offices(ctx)
	if err != nil {
		return err
	}
	data.Offices = append(data.Offices, option{Value: "", Label: v.T("queue.all.offices"), Selected: qq.office == ""})
	for _, o := range offs {
		data.Offices = append(data.Offices, option{Value: o.ID, Label: o.Name, Selected: o.ID == qq.office})
	}
	for _, p := range []string{"", "2", "3"} {
		label := v.T("queue.all.priorities")
		if p != "" {
			n, _ := strconv.Atoi(p)
			label = v.T("urgency.ormore", urgency(v.L, n))
		}
		data.Priority = append(data.Priority, option{Value: p, Label: label, Selected: p == qq.priority})
	}
	return nil
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
