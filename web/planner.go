package web

import (
	"context"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/solver"
)

// plannerDays are the days of the week the planner shows (Monday to Friday).
const plannerDays = 5

type entry struct {
	Kind  string // booking, hold, absence, free
	Time  string // "08:30–11:30"
	Ref   string // interview
	Lang  string
	Link  string
	Where string // another office, for a person's bookings elsewhere
}

type gridRow struct {
	ID    string
	Link  string
	Note  string
	Cells [][]entry
}

type grid struct {
	Title, Caption, Kind string
	Rows                 []gridRow
}

type plannerData struct {
	Office   string
	Offices  []option
	Week     string
	WeekLong string
	Prev     string
	Next     string
	Days     []string
	Grids    []grid
	Counts   struct{ Bookings, Holds, Absences int }
	Busy     bool
	Lang     string
	Langs    []option
}

type span struct {
	id       string // owner
	start    time.Time
	end      time.Time
	booking  int64
	ref      string
	lang     string
	location string
}

func (h *Handler) planner(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	ctx := r.Context()
	c, err := h.clock(ctx)
	if err != nil {
		return "", err
	}
	q := r.URL.Query()
	offs, err := h.offices(ctx)
	if err != nil {
		return "", err
	}
	if len(offs) == 0 {
		return "", errs.E(errs.NotFound, "No office is stored yet.")
	}
	off := q.Get("office")
	if off == "" {
		off = offs[0].ID
	}
	week, err := parseDateParam(q.Get("week"), c.ref)
	if err != nil {
		return "", err
	}
	week = monday(week)
	from, to := week.Midnight(c.loc), (week + plannerDays).Midnight(c.loc)
	d := plannerData{Office: off, Week: week.String(), WeekLong: "week of " + longDate(week), Prev: (week - 7).String(), Next: (week + 7).String()}
	found := false
	for _, o := range offs {
		d.Offices = append(d.Offices, option{Value: o.ID, Label: o.Name, Selected: o.ID == off})
		if o.ID == off {
			found = true
			v.Title = "Planner: " + o.Name
		}
	}
	if !found {
		return "", errs.E(errs.NotFound, "There is no office %q.", off)
	}
	for i := 0; i < plannerDays; i++ {
		d.Days = append(d.Days, dayLabel(week+solver.Date(i)))
	}
	v.Nav = "planner"
	dayOf := func(t time.Time) int { return int(solver.DateOf(t, c.loc) - week) }
	hm := func(s, e time.Time) string { return s.In(c.loc).Format("15:04") + "–" + e.In(c.loc).Format("15:04") }

	// Rooms, interviewers and interpreters of the office; people from
	// elsewhere who have bookings here this week join them.
	rooms, err := ids(ctx, h, `select id from rooms where location_id = $1 and active order by id`, off)
	if err != nil {
		return "", err
	}
	ivrs, err := ids(ctx, h, `select id from interviewers where location_id = $1 and active order by id`, off)
	if err != nil {
		return "", err
	}
	interps, err := ids(ctx, h, `select interpreter_id from interpreter_locations l join interpreters i on i.id = l.interpreter_id
		where l.location_id = $1 and i.active
		union select interpreter_id from bookings b join rooms r on r.id = b.room_id
		where r.location_id = $1 and b.status = 'active' and b.interpreter_id is not null and b.start_at >= $2 and b.start_at < $3
		order by 1`, off, from, to)
	if err != nil {
		return "", err
	}
	// Interpreters of one language only, when asked.
	d.Lang = strings.TrimSpace(q.Get("language"))
	langs, err := h.pendingLanguages(ctx)
	if err != nil {
		return "", err
	}
	d.Langs = append(d.Langs, option{Value: "", Label: "All languages", Selected: d.Lang == ""})
	for _, l := range langs {
		d.Langs = append(d.Langs, option{Value: l, Label: langName(l) + " (" + l + ")", Selected: l == d.Lang})
	}
	if d.Lang != "" {
		rows, _ := h.db.Pool.Query(ctx, `select id, languages from interpreters where id = any($1)`, interps)
		keep := map[string]bool{}
		for rows.Next() {
			var id string
			var ls []string
			if err := rows.Scan(&id, &ls); err != nil {
				rows.Close()
				return "", err
			}
			if ok, _ := solver.LanguageMatch(ls, d.Lang, false); ok {
				keep[id] = true
			}
		}
		if err := rows.Err(); err != nil {
			return "", err
		}
		kept := interps[:0]
		for _, id := range interps {
			if keep[id] {
				kept = append(kept, id)
			}
		}
		interps = kept
	}
	d.Busy = q.Get("busy") != ""

	// Bookings and live holds of the week that use any of them.
	rows, _ := h.db.Pool.Query(ctx, `select b.id, b.interview_id, i.language, b.start_at, b.end_at, b.room_id, b.interviewer_id,
			coalesce(b.interpreter_id, ''), r.location_id
		from bookings b join interviews i on i.id = b.interview_id join rooms r on r.id = b.room_id
		where b.status = 'active' and b.start_at < $2 and b.end_at > $1
		  and (r.location_id = $3 or b.interpreter_id = any($4) or b.interviewer_id = any($5))`, from, to, off, interps, ivrs)
	type use struct {
		span
		room, interviewer, interpreter string
	}
	var uses []use
	for rows.Next() {
		var u use
		if err := rows.Scan(&u.booking, &u.ref, &u.lang, &u.start, &u.end, &u.room, &u.interviewer, &u.interpreter, &u.location); err != nil {
			rows.Close()
			return "", err
		}
		uses = append(uses, u)
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	rows, _ = h.db.Pool.Query(ctx, `select h.interview_id, i.language, h.start_at, h.end_at, h.room_id, h.interviewer_id,
			coalesce(h.interpreter_id, ''), r.location_id
		from holds h join interviews i on i.id = h.interview_id join rooms r on r.id = h.room_id
		where h.expires_at > $4 and h.start_at < $2 and h.end_at > $1
		  and (r.location_id = $3 or h.interpreter_id = any($5) or h.interviewer_id = any($6))`, from, to, off, h.now(), interps, ivrs)
	var holdUses []use
	for rows.Next() {
		var u use
		if err := rows.Scan(&u.ref, &u.lang, &u.start, &u.end, &u.room, &u.interviewer, &u.interpreter, &u.location); err != nil {
			rows.Close()
			return "", err
		}
		holdUses = append(holdUses, u)
	}
	if err := rows.Err(); err != nil {
		return "", err
	}

	absences, err := h.spans(ctx, `select o.id, lower(a.during), upper(a.during) from absences a
		join (select id, resource_id from interpreters union all select id, resource_id from interviewers) o on o.resource_id = a.resource_id
		where (o.id = any($3) or o.id = any($4)) and a.during && tstzrange($1, $2)`, from, to, interps, ivrs)
	if err != nil {
		return "", err
	}
	avail, err := h.spans(ctx, `select o.id, lower(a.during), upper(a.during) from availability a
		join (select id, resource_id from interpreters union all select id, resource_id from interviewers) o on o.resource_id = a.resource_id
		where (o.id = any($3) or o.id = any($4)) and a.during && tstzrange($1, $2) order by 2`, from, to, interps, ivrs)
	if err != nil {
		return "", err
	}

	mk := func(kind string, list []string, link string) (grid, map[string]*gridRow) {
		g := grid{Kind: kind}
		idx := map[string]*gridRow{}
		g.Rows = make([]gridRow, len(list))
		for i, id := range list {
			g.Rows[i] = gridRow{ID: id, Link: link + id, Cells: make([][]entry, plannerDays)}
			idx[id] = &g.Rows[i]
		}
		return g, idx
	}
	roomGrid, roomIdx := mk("room", rooms, "/people/room/")
	ivrGrid, ivrIdx := mk("interviewer", ivrs, "/people/interviewer/")
	intGrid, intIdx := mk("interpreter", interps, "/people/interpreter/")
	put := func(idx map[string]*gridRow, id string, t time.Time, e entry) {
		row := idx[id]
		day := dayOf(t)
		if row == nil || day < 0 || day >= plannerDays {
			return
		}
		row.Cells[day] = append(row.Cells[day], e)
	}
	for _, u := range uses {
		e := entry{Kind: "booking", Time: hm(u.start, u.end), Ref: u.ref, Lang: u.lang, Link: "/bookings/" + strconv.FormatInt(u.booking, 10)}
		if u.location == off {
			put(roomIdx, u.room, u.start, e)
			d.Counts.Bookings++
		} else {
			e.Where = u.location
		}
		put(ivrIdx, u.interviewer, u.start, e)
		put(intIdx, u.interpreter, u.start, e)
	}
	for _, u := range holdUses {
		e := entry{Kind: "hold", Time: hm(u.start, u.end), Ref: u.ref, Lang: u.lang, Link: "/cases/" + u.ref}
		if u.location == off {
			put(roomIdx, u.room, u.start, e)
			d.Counts.Holds++
		} else {
			e.Where = u.location
		}
		put(ivrIdx, u.interviewer, u.start, e)
		put(intIdx, u.interpreter, u.start, e)
	}
	for _, a := range absences {
		// An absence may span days: mark each day it touches.
		for day := 0; day < plannerDays; day++ {
			ds, de := (week + solver.Date(day)).Midnight(c.loc), (week + solver.Date(day+1)).Midnight(c.loc)
			if a.start.Before(de) && a.end.After(ds) {
				s, e := maxTime(a.start, ds), minTime(a.end, de)
				en := entry{Kind: "absence", Time: hm(s, e)}
				if s.Equal(ds) && e.Equal(de) {
					en.Time = "all day"
				}
				put(intIdx, a.id, s, en)
				put(ivrIdx, a.id, s, en)
				d.Counts.Absences++
			}
		}
	}
	for _, a := range avail {
		en := entry{Kind: "free", Time: hm(a.start, a.end)}
		put(intIdx, a.id, a.start, en)
		put(ivrIdx, a.id, a.start, en)
	}
	for _, g := range []*grid{&roomGrid, &ivrGrid, &intGrid} {
		if d.Busy && g != &roomGrid {
			// Only the people with a booking, hold or absence this week.
			kept := g.Rows[:0]
			for _, row := range g.Rows {
				for _, cell := range row.Cells {
					if slices.ContainsFunc(cell, func(e entry) bool { return e.Kind != "free" }) {
						kept = append(kept, row)
						break
					}
				}
			}
			g.Rows = kept
		}
		for i := range g.Rows {
			for _, cell := range g.Rows[i].Cells {
				sort.SliceStable(cell, func(a, b int) bool { return cell[a].Time < cell[b].Time })
			}
		}
	}
	roomGrid.Title, roomGrid.Caption = "Rooms", "Bookings and holds per room and day"
	ivrGrid.Title, ivrGrid.Caption = "Interviewers", "Availability, bookings, holds and absences per interviewer and day"
	intGrid.Title, intGrid.Caption = "Interpreters", "Availability, bookings, holds and absences per interpreter and day; bookings at other offices are marked"
	d.Grids = []grid{roomGrid, intGrid, ivrGrid}
	v.Data = d
	return "planner", nil
}

func ids(ctx context.Context, h *Handler, sql string, args ...any) ([]string, error) {
	rows, _ := h.db.Pool.Query(ctx, sql, args...)
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

func (h *Handler) spans(ctx context.Context, sql string, args ...any) ([]span, error) {
	rows, _ := h.db.Pool.Query(ctx, sql, args...)
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (span, error) {
		var s span
		return s, r.Scan(&s.id, &s.start, &s.end)
	})
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
