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
	return h.renderPlan(r, v, p, nil)
}

func (h *Handler) renderPlan(r *http.Request, v *view, p *resources.Plan, accepted []resources.AcceptedItem) (string, error) {
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
		for _, iv := range res.Diff.New {
			d.Items = append(d.Items, item(iv))
		}
		for _, m := range res.Diff.Moved {
			it := item(m.Interview)
			it.Moved = true
			it.Before = m.Before.Start
			if t, err := solver.ParseInstant(m.Before.Start); err == nil {
				it.Before = v.T("plan.before", i18n.FormatWhen(v.L, t.In(c.loc)), m.Before.Room)
			}
			d.Items = append(d.Items, it)
		}
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
	d.Accepted = accepted
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
	return h.renderPlan(r, v, p, nil)
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
	return h.store.DisplayNames(ctx, rooms, ivrs, itps)
}

// gapPercent is the gap as a whole percentage of the bound (100 when the
// bound is 0 and the gap is not).
func gapPercent(gap, bound int64) int64 {
	if bound <= 0 {
		return 100
	}
	return (gap*100 + bound/2) / bound
}
