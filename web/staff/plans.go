package staff

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/internal/i18n"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/scheduler"
	"github.com/asylum-scheduling/interviews/solver"
	"github.com/asylum-scheduling/interviews/web/page"
)

type planRow struct {
	ID                         int64
	Kind, Status, From, To, By string
	Created                    string
	Summary                    *resources.PlanSummary
}

type plansData struct {
	Plans     []planRow
	From, To  string
	TimeLimit string
}

func (h *Handler) plansPage(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	ctx := r.Context()
	c, err := h.clock(ctx)
	if err != nil {
		return "", err
	}
	page, err := h.store.Plans(ctx, resources.ListParams{Limit: 1000, Filters: map[string]string{}})
	if err != nil {
		return "", err
	}
	d := plansData{From: c.ref.String(), To: (c.ref + 4).String(), TimeLimit: "10"}
	if c.settings.Horizon != nil && c.settings.Horizon.End >= d.From {
		d.To = c.settings.Horizon.End
	}
	// Newest first.
	for i := len(page.Items) - 1; i >= 0; i-- {
		p := page.Items[i]
		d.Plans = append(d.Plans, planRow{ID: p.ID, Kind: p.Kind, Status: p.Status, From: p.From, To: p.To, By: p.CreatedBy,
			Created: localStamp(v.L, p.CreatedAt, c.loc), Summary: p.Summary})
	}
	v.Title, v.Nav, v.Data = v.T("plans.title"), "plans", d
	return "plans", nil
}

// localStamp is an RFC 3339 instant as the page's language writes a date
// and time.
func localStamp(l, s string, loc *time.Location) string {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return s
	}
	return i18n.FormatWhen(l, t.In(loc))
}

func (h *Handler) planStart(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	s := sessionFrom(r.Context())
	secs, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("time_limit")))
	if err != nil || secs < 1 || time.Duration(secs)*time.Second > scheduler.MaxPlanTimeLimit {
		return "", errs.E(errs.Invalid, "%s", v.T("plans.err.limit", int(scheduler.MaxPlanTimeLimit/time.Second)))
	}
	plan, err := h.plans.Start(r.Context(), scheduler.PlanRequest{From: r.PostFormValue("from"), To: r.PostFormValue("to"),
		TimeLimit: time.Duration(secs) * time.Second, Actor: s.Name})
	if err != nil {
		return "", err
	}
	h.seeOther(w, r, "/plans/"+strconv.FormatInt(plan.ID, 10), "")
	return "", nil
}

type planItem struct {
	Interview, When, Office, Room, Interviewer, Interpreter, Mode, Before string
	Moved                                                                 bool
	Dropped                                                               bool // a booking the plan could not keep: shown as it is, not to accept
}

// planRefreshSeconds is how often the page of a running plan updates its
// progress (web/static/plan.js).
const planRefreshSeconds = 3

type planData struct {
	Plan           *resources.Plan
	Running        bool
	RefreshSeconds int
	Elapsed        string
	Progress       *resources.PlanProgress
	Percent        int
	Items          []planItem
	Unscheduled    []solver.Unscheduled
	Unchanged      int
	Dropped        []resources.PlanMove
	Accepted       []resources.AcceptedItem
	AcceptedN      map[string]int
	Created        string
	// BoundLine says how far the plan is from what any plan could do.
	BoundLine string
	// Intro says what the plan does to the current bookings.
	Intro   []string
	Confirm *planConfirm // what accepting will do, to confirm
	// Phase is the solver's phase while the plan runs, in words.
	Phase string
}

func (h *Handler) planOf(r *http.Request) (*resources.Plan, error) {
	n, err := page.PathID(r, "id", "plan")
	if err != nil {
		return nil, err
	}
	return h.store.Plan(r.Context(), n, true)
}

func (h *Handler) planPage(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	p, err := h.planOf(r)
	if err != nil {
		return "", err
	}
	return h.renderPlan(r, v, p, nil, nil)
}

func (h *Handler) renderPlan(r *http.Request, v *view, p *resources.Plan, accepted []resources.AcceptedItem, confirm *planConfirm) (string, error) {
	ctx := r.Context()
	c, err := h.clock(ctx)
	if err != nil {
		return "", err
	}
	names, err := h.officeNames(ctx)
	if err != nil {
		return "", err
	}
	d := planData{Plan: p, Running: p.Status == resources.PlanRunning, Progress: p.Progress, Created: localStamp(v.L, p.CreatedAt, c.loc)}
	if d.Running {
		// No meta refresh (WCAG 2.2.1): web/static/plan.js updates the
		// progress every few seconds and can be paused; the page's
		// Refresh link works without it.
		v.Script = "plan.js"
		d.RefreshSeconds = planRefreshSeconds
		if p.Progress != nil {
			d.Elapsed = fmt.Sprintf("%.0f s", float64(p.Progress.ElapsedMS)/1000)
			if ph := p.Progress.Phase; ph != "" {
				d.Phase = v.T("plan.phase", v.T("plan.phase."+ph))
			}
			if p.TimeLimitMS > 0 {
				d.Percent = min(100, int(p.Progress.ElapsedMS*100/p.TimeLimitMS))
			}
		}
	}
	if res := p.Result; res != nil {
		assigned := map[string]solver.Assignment{}
		for _, a := range res.Assignments {
			assigned[a.Interview] = a
		}
		item := func(iv string) planItem {
			a := assigned[iv]
			it := planItem{Interview: iv, When: when(v.L, a.Start, a.End, c.loc), Office: names[a.Location], Room: a.Room,
				Interviewer: a.Interviewer, Interpreter: a.Interpreter, Mode: modeWord(v.L, a.Mode)}
			if it.Office == "" {
				it.Office = a.Location
			}
			return it
		}
		d.Items = h.planItems(ctx, v.L, c.loc, names, res.Diff, item)
		d.Intro = planIntro(v.L, res.Diff)
		d.Unscheduled = res.Unscheduled
		if st := res.Stats; st != nil && st.Bound != nil && st.Gap != nil {
			d.BoundLine = v.T("plan.bound", res.Score.Medium, *st.Bound)
			if *st.Gap == 0 {
				d.BoundLine += " " + v.T("plan.optimal")
			} else {
				d.BoundLine += " " + v.T("plan.gap", *st.Gap, gapPercent(*st.Gap, *st.Bound))
			}
		}
		d.Unchanged = len(res.Diff.Unchanged)
		d.Dropped = res.Diff.Dropped
	}
	if accepted == nil {
		accepted = p.Accepted
	}
	d.Accepted, d.Confirm = accepted, confirm
	if len(accepted) > 0 {
		d.AcceptedN = map[string]int{}
		for _, a := range accepted {
			d.AcceptedN[a.Outcome]++
		}
	}
	if v.Names, err = h.planNames(ctx, p); err != nil {
		return "", err
	}
	v.Title, v.Nav, v.Data = v.T("plan.title", p.ID), "plans", d
	return "plan", nil
}

func (h *Handler) planAccept(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	p, err := h.planOf(r)
	if err != nil {
		return "", err
	}
	s := sessionFrom(r.Context())
	var items []string
	if r.PostFormValue("all") == "" {
		items = r.PostForm["item"]
		if len(items) == 0 {
			return h.withError(r, v, p, v.T("plan.err.tick"))
		}
	}
	if !confirmed(r) {
		if p.Result == nil || !resources.Acceptable(p.Status) {
			return h.withError(r, v, p, v.T("plan.err.notdone"))
		}
		c, err := h.planPreview(r.Context(), p, items)
		if err != nil {
			return "", err
		}
		return h.renderPlan(r, v, p, nil, c)
	}
	plan, out, err := h.plans.Accept(r.Context(), p.ID, items, s.Name)
	if err != nil {
		if c := errs.CodeOf(err); c == errs.Conflict || c == errs.Invalid {
			return h.withError(r, v, p, errs.MessageOf(err))
		}
		return "", err
	}
	booked := 0
	for _, x := range out {
		if x.Outcome == scheduler.AcceptBooked || x.Outcome == scheduler.AcceptRescheduled {
			booked++
		}
	}
	h.seeOther(w, r, "/plans/"+strconv.FormatInt(plan.ID, 10), v.T("plan.flash.accepted", booked, len(out)))
	return "", nil
}

func (h *Handler) withError(r *http.Request, v *view, p *resources.Plan, msg string) (string, error) {
	v.Error = msg
	return h.renderPlan(r, v, p, nil, nil)
}

func (h *Handler) planCancel(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	p, err := h.planOf(r)
	if err != nil {
		return "", err
	}
	if _, err := h.plans.Cancel(r.Context(), p.ID); err != nil {
		if errs.CodeOf(err) == errs.Conflict {
			return h.withError(r, v, p, errs.MessageOf(err))
		}
		return "", err
	}
	h.seeOther(w, r, "/plans/"+strconv.FormatInt(p.ID, 10), v.T("plan.flash.cancelled"))
	return "", nil
}

// planNames are the names of the rooms and people of a plan's assignments.
func (h *Handler) planNames(ctx context.Context, p *resources.Plan) (map[string]string, error) {
	if p.Result == nil {
		return nil, nil
	}
	var rooms, ivrs, itps []string
	for _, a := range p.Result.Assignments {
		rooms, ivrs, itps = append(rooms, a.Room), append(ivrs, a.Interviewer), append(itps, a.Interpreter)
	}
	for _, m := range p.Result.Diff.Dropped {
		rooms, ivrs, itps = append(rooms, m.Before.Room), append(ivrs, m.Before.Interviewer), append(itps, m.Before.Interpreter)
	}
	return h.store.DisplayNames(ctx, rooms, ivrs, itps)
}

// planItems are the rows of the proposed bookings: the bookings the plan
// moves first, then those it could not keep (shown as they are), then the
// new ones.
func (h *Handler) planItems(ctx context.Context, l string, loc *time.Location, offices map[string]string, diff resources.PlanDiff,
	item func(string) planItem) []planItem {
	var out []planItem
	for _, m := range diff.Moved {
		it := item(m.Interview)
		it.Moved = true
		it.Before = m.Before.Start
		if t, err := solver.ParseInstant(m.Before.Start); err == nil {
			it.Before = staffT(l, "plan.before", i18n.FormatWhen(l, t.In(loc)), m.Before.Room)
		}
		out = append(out, it)
	}
	for _, m := range diff.Dropped {
		b := m.Before
		it := planItem{Interview: m.Interview, Room: b.Room, Interviewer: b.Interviewer, Interpreter: b.Interpreter,
			Mode: modeWord(l, b.Mode), Dropped: true, Office: h.roomOffice(ctx, b.Room)}
		if name := offices[it.Office]; name != "" {
			it.Office = name
		}
		if t, err := solver.ParseInstant(b.Start); err == nil {
			it.When = i18n.FormatWhen(l, t.In(loc))
		}
		out = append(out, it)
	}
	for _, iv := range diff.New {
		out = append(out, item(iv))
	}
	return out
}

// planIntro says what the plan does to the current bookings: moves and
// bookings it could not keep, or that they stay where they are.
func planIntro(l string, diff resources.PlanDiff) []string {
	if len(diff.Moved) == 0 && len(diff.Dropped) == 0 {
		return []string{staffT(l, "plan.intro.keeps")}
	}
	out := []string{staffT(l, "plan.intro.changes")}
	if n := len(diff.Moved); n > 0 {
		out = append(out, i18n.Staff.N(l, "plan.intro.moved", n, n))
	}
	if n := len(diff.Dropped); n > 0 {
		out = append(out, i18n.Staff.N(l, "plan.intro.dropped", n, n))
	}
	return out
}

// gapPercent is the gap as a whole percentage of the bound (100 when the
// bound is 0 and the gap is not).
func gapPercent(gap, bound int64) int64 {
	if bound <= 0 {
		return 100
	}
	return (gap*100 + bound/2) / bound
}
