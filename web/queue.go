package web

import (
	"context"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
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

// office is a location with its name.
type office struct{ ID, Name string }

func (h *Handler) offices(ctx context.Context) ([]office, error) {
	rows, _ := h.db.Pool.Query(ctx, `select id, name from locations where active order by name`)
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (office, error) {
		var o office
		return o, r.Scan(&o.ID, &o.Name)
	})
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
	where := []string{"i.status = 'pending'"}
	args := []any{h.now()}
	arg := func(x any) string {
		args = append(args, x)
		return "$" + strconv.Itoa(len(args))
	}
	if lang != "" {
		p := arg(lang)
		where = append(where, "(lower(i.language) = lower("+p+") or lower(i.language) like lower("+p+") || '-%')")
	}
	if off != "" {
		where = append(where, "exists (select 1 from interview_locations l where l.interview_id = i.id and l.location_id = "+arg(off)+")")
	}
	if dl != "" {
		d, err := solver.ParseDate(dl)
		if err != nil {
			return "", errs.E(errs.Invalid, "The deadline filter must be a date (YYYY-MM-DD).")
		}
		where = append(where, "i.deadline <= "+arg(d.String())+"::date")
	}
	if pr != "" {
		n, err := strconv.Atoi(pr)
		if err != nil || n < 1 {
			return "", errs.E(errs.Invalid, "The priority filter must be a whole number of at least 1.")
		}
		where = append(where, "coalesce(i.priority, 1) >= "+arg(n))
	}
	sql := `select i.id, i.language, i.duration_minutes, i.earliest::text, coalesce(i.deadline::text, ''), coalesce(i.latest::text, ''),
			coalesce(i.priority, 1),
			array(select l.location_id from interview_locations l where l.interview_id = i.id order by l.ord),
			exists (select 1 from holds h where h.interview_id = i.id and h.expires_at > $1),
			count(*) over ()
		from interviews i where ` + strings.Join(where, " and ") + `
		order by coalesce(i.deadline, i.latest) nulls last, coalesce(i.priority, 1) desc, i.earliest, i.id
		limit ` + strconv.Itoa(queueLimit)
	data := queueData{Deadline: dl, Filtered: lang != "" || off != "" || dl != "" || pr != "", Ref: longDate(c.ref), RiskDays: riskDays}
	rows, _ := h.db.Pool.Query(ctx, sql, args...)
	for rows.Next() {
		var x queueRow
		if err := rows.Scan(&x.ID, &x.Language, &x.Duration, &x.Earliest, &x.Deadline, &x.Latest, &x.Priority, &x.Offices, &x.Held, &data.Total); err != nil {
			rows.Close()
			return "", err
		}
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
	if err := rows.Err(); err != nil {
		return "", err
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
	rows, _ := h.db.Pool.Query(ctx, `select distinct language from interviews where status = 'pending'`)
	langs, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, err
	}
	sort.Slice(langs, func(i, j int) bool { return langName(langs[i]) < langName(langs[j]) })
	return langs, nil
}
