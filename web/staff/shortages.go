package staff

import (
	"context"
	"net/http"
	"sort"
	"strconv"
	"time"

	"github.com/asylum-scheduling/interviews/capacity"
	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/solver"
)

// shortageWeeks is the default number of weeks the shortages page covers.
const shortageWeeks = 4

type weekCell struct {
	Demand, Capacity int // minutes
	Short            bool
}

type langRow struct {
	Tag, Name    string
	Dup          bool // another row has the same name (another dialect): the chart names it with its tag
	Exact        bool // the interviews require this exact dialect
	Unplaced     int  // pending interviews of it the latest plan could not place
	NoFit        int  // pending interviews of it with no time by their deadline (capacity.Fits)
	Pending      int
	Demand       int // minutes of pending interviews
	Capacity     int // free interpreter minutes
	Interpreters int
	Short        int // demand - capacity, minutes (0 when none)
	Weeks        []weekCell
	Blocked      bool
	ids          []string // the pending interviews
	// chart geometry
	Y, DemandW, CapW int
}

type shortageData struct {
	From, To   string
	Weeks      []string
	WeekCount  int
	Rows       []langRow
	Blocked    int
	ChartH     int
	ChartW     int
	LabelW     int
	Ticks      []tick
	WeekOption []option
}

// latestUnplaced returns the interviews the latest finished plan could not
// place for want of an interpreter.
func (h *Handler) latestUnplaced(r *http.Request) (map[string]bool, error) {
	out := map[string]bool{}
	id, err := h.store.LatestPlan(r.Context())
	if err != nil || id == 0 {
		return out, err
	}
	p, err := h.store.Plan(r.Context(), id, true)
	if err != nil || p.Result == nil {
		return out, err
	}
	for _, u := range p.Result.Unscheduled {
		if u.Reason == solver.ReasonNoInterpreterLanguage || u.Reason == solver.ReasonNoInterpreterAvailable {
			out[u.Interview] = true
		}
	}
	return out, nil
}

type tick struct {
	X     int
	Label string
}

func (h *Handler) shortages(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	ctx := r.Context()
	c, err := h.clock(ctx)
	if err != nil {
		return "", err
	}
	weeks := shortageWeeks
	if s := r.URL.Query().Get("weeks"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 13 {
			return "", errs.E(errs.Invalid, "%s", v.T("sh.err.weeks"))
		}
		weeks = n
	}
	win := shortageWindow{ref: c.ref, start: monday(c.ref), weeks: weeks, loc: c.loc}
	end := win.start + solver.Date(7*weeks) - 1
	in, err := h.store.Export(ctx, c.ref.String(), end.String())
	if err != nil {
		return "", err
	}
	unplaced, err := h.latestUnplaced(r)
	if err != nil {
		return "", err
	}
	rows := win.demand(v.L, in, unplaced)
	win.capacity(in, (end + 1).Midnight(c.loc), rows)
	if err := h.countNoFit(r.Context(), c.ref, in, rows); err != nil {
		return "", err
	}
	d := shortageData{From: longDate(v.L, c.ref), To: longDate(v.L, end), WeekCount: weeks}
	for i := 0; i < weeks; i++ {
		d.Weeks = append(d.Weeks, v.T("sh.weekof", dayLabel(v.L, win.start+solver.Date(7*i))))
	}
	for _, n := range []int{2, 4, 8, 13} {
		d.WeekOption = append(d.WeekOption, option{Value: strconv.Itoa(n), Label: v.T("sh.nweeks", n), Selected: n == weeks})
	}
	d.rank(rows)
	d.chart()
	v.Title, v.Nav, v.Data = v.T("sh.title"), "shortages", d
	return "shortages", nil
}

// shortageWindow is the weeks a shortage page counts, from ref.
type shortageWindow struct {
	ref, start solver.Date // today, and the Monday of its week
	weeks      int
	loc        *time.Location
}

// weekOf is the week of t in the window (the first or last for times
// outside it).
func (win shortageWindow) weekOf(t time.Time) int {
	i := int(solver.DateOf(t, win.loc)-win.start) / 7
	return min(max(i, 0), win.weeks-1)
}

// demand counts, per language (and exact dialect), the pending interviews
// that need an interpreter, their minutes by the week they may start, and
// those the latest plan could not place.
func (win shortageWindow) demand(l string, in *solver.Instance, unplaced map[string]bool) map[string]*langRow {
	booked := map[string]bool{}
	for _, b := range in.Bookings {
		booked[b.Interview] = true
	}
	rows := map[string]*langRow{}
	for _, iv := range in.Interviews {
		if booked[iv.ID] || !iv.NeedsInterp() {
			continue
		}
		key := iv.Language
		if iv.DialectRequired {
			key += " exact"
		}
		lr := rows[key]
		if lr == nil {
			lr = &langRow{Tag: iv.Language, Name: langOnly(l, iv.Language), Exact: iv.DialectRequired, Weeks: make([]weekCell, win.weeks)}
			rows[key] = lr
		}
		if unplaced[iv.ID] {
			lr.Unplaced++
		}
		lr.ids = append(lr.ids, iv.ID)
		lr.Pending++
		lr.Demand += iv.DurationMinutes
		e, err := solver.ParseDate(iv.Earliest)
		if err != nil {
			continue
		}
		wk := 0
		if e > win.ref {
			wk = min(int(e-win.start)/7, win.weeks-1)
		}
		lr.Weeks[wk].Demand += iv.DurationMinutes
	}
	return rows
}

// capacity adds to each language's row the free minutes per week (until
// to) of the interpreters who speak it: their availability less what they
// are booked for.
func (win shortageWindow) capacity(in *solver.Instance, to time.Time, rows map[string]*langRow) {
	busy := win.bookedMinutes(in)
	from := win.ref.Midnight(win.loc)
	for _, t := range in.Interpreters {
		free := make([]int, win.weeks)
		some := false
		for _, a := range t.Availability {
			s, err1 := solver.ParseInstant(a.Start)
			e, err2 := solver.ParseInstant(a.End)
			if err1 != nil || err2 != nil {
				continue
			}
			s, e = maxTime(s, from), minTime(e, to)
			if !e.After(s) {
				continue
			}
			free[win.weekOf(s)] += int(e.Sub(s) / time.Minute)
			some = true
		}
		if !some {
			continue
		}
		if b := busy[t.ID]; b != nil {
			for i := range free {
				free[i] = max(0, free[i]-b[i])
			}
		}
		for _, lr := range rows {
			if ok, _ := solver.LanguageMatch(t.Languages, lr.Tag, lr.Exact); !ok {
				continue
			}
			lr.Interpreters++
			for i, m := range free {
				lr.Weeks[i].Capacity += m
				lr.Capacity += m
			}
		}
	}
}

// countNoFit counts, per language, the pending interviews with no time by
// their deadline: capacity.Fits, the computation behind a case page's
// "nothing fits", on the state from ref through FitWeeks weeks past the
// latest deadline among them.
func (h *Handler) countNoFit(ctx context.Context, ref solver.Date, in *solver.Instance, rows map[string]*langRow) error {
	byID := map[string]*solver.Interview{}
	for i := range in.Interviews {
		byID[in.Interviews[i].ID] = &in.Interviews[i]
	}
	var ids []string
	end := ref
	for _, lr := range rows {
		for _, id := range lr.ids {
			ids = append(ids, id)
			end = max(end, capacity.FitSearchEnd(byID[id], ref))
		}
	}
	if len(ids) == 0 {
		return nil
	}
	fin, err := h.store.Export(ctx, ref.String(), end.String())
	if err != nil {
		return err
	}
	fits, err := capacity.Fits(fin, ref, ids)
	if err != nil {
		return errs.Wrap(err, errs.Internal, "")
	}
	for _, lr := range rows {
		for _, id := range lr.ids {
			if f := fits[id]; f != nil && f.Short() {
				lr.NoFit++
			}
		}
	}
	return nil
}

// bookedMinutes is each interpreter's booked minutes per week.
func (win shortageWindow) bookedMinutes(in *solver.Instance) map[string][]int {
	durations := map[string]int{}
	for _, iv := range in.Interviews {
		durations[iv.ID] = iv.DurationMinutes
	}
	busy := map[string][]int{}
	for _, b := range in.Bookings {
		if b.Interpreter == "" {
			continue
		}
		t, err := solver.ParseInstant(b.Start)
		if err != nil {
			continue
		}
		if busy[b.Interpreter] == nil {
			busy[b.Interpreter] = make([]int, win.weeks)
		}
		busy[b.Interpreter][win.weekOf(t)] += durations[b.Interview]
	}
	return busy
}

// rank marks each language's shortfall and orders the languages that block
// the backlog first: the largest shortfall, then the most unplaced, then the
// least capacity for the demand.
func (d *shortageData) rank(rows map[string]*langRow) {
	named := map[string]int{}
	for _, lr := range rows {
		named[lr.Name]++
	}
	for _, lr := range rows {
		lr.Dup = named[lr.Name] > 1
		lr.Short = max(0, lr.Demand-lr.Capacity)
		lr.Blocked = lr.Short > 0 || lr.NoFit > 0
		for i := range lr.Weeks {
			lr.Weeks[i].Short = lr.Weeks[i].Demand > lr.Weeks[i].Capacity
		}
		d.Rows = append(d.Rows, *lr)
		if lr.Blocked {
			d.Blocked++
		}
	}
	sort.Slice(d.Rows, func(i, j int) bool {
		a, b := d.Rows[i], d.Rows[j]
		if a.Short != b.Short {
			return a.Short > b.Short
		}
		if a.NoFit != b.NoFit {
			return a.NoFit > b.NoFit
		}
		if a.Unplaced != b.Unplaced {
			return a.Unplaced > b.Unplaced
		}
		ra, rb := float64(a.Capacity)/float64(max(a.Demand, 1)), float64(b.Capacity)/float64(max(b.Demand, 1))
		if ra != rb {
			return ra < rb
		}
		if a.Tag != b.Tag {
			return a.Tag < b.Tag
		}
		return !a.Exact
	})
}

// chart lays out one pair of bars per language, scaled to the largest value.
func (d *shortageData) chart() {
	const barH, gap = 12, 10
	d.LabelW, d.ChartW = 200, 760
	maxV := 60
	for _, lr := range d.Rows {
		maxV = max(maxV, lr.Demand, lr.Capacity)
	}
	plot := d.ChartW - d.LabelW - 20
	for i := range d.Rows {
		lr := &d.Rows[i]
		lr.Y = 24 + i*(2*barH+gap)
		lr.DemandW = max(lr.Demand*plot/maxV, 0)
		lr.CapW = max(lr.Capacity*plot/maxV, 0)
	}
	d.ChartH = 24 + len(d.Rows)*(2*barH+gap) + 10
	step := niceStep(maxV / 60)
	for hrs := 0; hrs*60 <= maxV; hrs += step {
		d.Ticks = append(d.Ticks, tick{X: d.LabelW + hrs*60*plot/maxV, Label: strconv.Itoa(hrs) + " h"})
	}
}

// niceStep is a round tick step (in hours) giving at most ~8 ticks up to n.
func niceStep(n int) int {
	for _, s := range []int{1, 2, 5, 10, 20, 50, 100, 200, 500, 1000} {
		if n/s <= 8 {
			return s
		}
	}
	return 2000
}
