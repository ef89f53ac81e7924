package staff

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
	websession "github.com/asylum-scheduling/interviews/web/session"
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
	// AllDay marks an absence of the whole day.
	AllDay bool
}

type gridRow struct {
	ID    string
	Name  string // the person's or room's name, when known
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

func (h *Handler) planner(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	ctx := r.Context()
	c, err := h.clock(ctx)
	if err != nil {
		return "", err
	}
	q := r.URL.Query()
	fresh := len(q) == 0
	if fresh {
		// The planner opens where the clerk last looked at a case or a
		// booking, and shows only people with something that week.
		if office, week, ok := strings.Cut(websession.CookieValue(r, plannerCookie), "|"); ok {
			q.Set("office", office)
			q.Set("week", week)
		}
	}
	d, week, err := h.plannerFrame(ctx, q, c, v)
	if err != nil {
		return "", err
	}
	d.Lang = strings.TrimSpace(q.Get("language"))
	if d.Langs, err = h.languageOptions(v.L, ctx, d.Lang); err != nil {
		return "", err
	}
	d.Busy = q.Get("busy") != "" || fresh
	from, to := week.Midnight(c.loc), (week + plannerDays).Midnight(c.loc)
	ow, err := h.store.OfficeWeek(ctx, d.Office, from, to, d.Lang)
	if err != nil {
		return "", err
	}
	b := newWeekGrids(ow, week, c.loc)
	b.placeUses(ow.Bookings, "booking", d.Office, &d.Counts.Bookings)
	b.placeUses(ow.Holds, "hold", d.Office, &d.Counts.Holds)
	b.placeAbsences(ow.Absences, &d.Counts.Absences)
	b.placeAvailability(ow.Availability)
	d.Grids = b.finish(v.L, d.Busy)
	if err := h.nameRows(ctx, d.Grids); err != nil {
		return "", err
	}
	officeName := map[string]string{}
	for _, o := range d.Offices {
		officeName[o.Value] = o.Label
	}
	for _, g := range d.Grids {
		for _, row := range g.Rows {
			for _, cell := range row.Cells {
				for i := range cell {
					if n := officeName[cell[i].Where]; n != "" {
						cell[i].Where = n
					}
				}
			}
		}
	}
	v.Nav, v.Data = "planner", d
	return "planner", nil
}

// nameRows gives the grids' rows the names of their rooms and people.
func (h *Handler) nameRows(ctx context.Context, grids []grid) error {
	ids := map[string][]string{}
	for _, g := range grids {
		for _, row := range g.Rows {
			ids[g.Kind] = append(ids[g.Kind], row.ID)
		}
	}
	names, err := h.store.DisplayNames(ctx, ids["room"], ids["interviewer"], ids["interpreter"])
	if err != nil {
		return err
	}
	for _, g := range grids {
		for i := range g.Rows {
			g.Rows[i].Name = names[g.Kind+"/"+g.Rows[i].ID]
		}
	}
	return nil
}

// plannerFrame reads the office and week asked for (the first office and
// this week by default) and fills the page's frame: office choices, days,
// links to the weeks before and after.
func (h *Handler) plannerFrame(ctx context.Context, q url.Values, c *clock, v *view) (plannerData, solver.Date, error) {
	offs, err := h.offices(ctx)
	if err != nil {
		return plannerData{}, 0, err
	}
	if len(offs) == 0 {
		return plannerData{}, 0, errs.E(errs.NotFound, "%s", v.T("pl.nooffice"))
	}
	off := q.Get("office")
	if off == "" {
		off = offs[0].ID
	}
	week, err := parseDateParam(q.Get("week"), c.ref)
	if err != nil {
		return plannerData{}, 0, err
	}
	week = monday(week)
	d := plannerData{Office: off, Week: week.String(), WeekLong: v.T("pl.weekof", longDate(v.L, week)), Prev: (week - 7).String(), Next: (week + 7).String()}
	found := false
	for _, o := range offs {
		d.Offices = append(d.Offices, option{Value: o.ID, Label: o.Name, Selected: o.ID == off})
		if o.ID == off {
			found = true
			v.Title = v.T("pl.title", o.Name)
		}
	}
	if !found {
		return plannerData{}, 0, errs.E(errs.NotFound, "%s", v.T("pl.nosuchoffice", off))
	}
	for i := 0; i < plannerDays; i++ {
		d.Days = append(d.Days, dayLabel(v.L, week+solver.Date(i)))
	}
	return d, week, nil
}

// languageOptions are the choices of a language filter: all, then the
// languages of pending interviews by name.
func (h *Handler) languageOptions(l string, ctx context.Context, selected string) ([]option, error) {
	langs, err := h.pendingLanguages(ctx, l)
	if err != nil {
		return nil, err
	}
	out := []option{{Value: "", Label: staffT(l, "queue.all.languages"), Selected: selected == ""}}
	for _, tag := range langs {
		out = append(out, option{Value: tag, Label: langName(l, tag), Selected: tag == selected})
	}
	return out, nil
}

// weekGrids builds the planner's three grids (rooms, interviewers,
// interpreters: a row each, a cell per day) of one week.
type weekGrids struct {
	week                      solver.Date
	loc                       *time.Location
	rooms, ivrs, intps        grid
	roomIdx, ivrIdx, intpsIdx map[string]*gridRow
}

func newWeekGrids(ow *resources.OfficeWeek, week solver.Date, loc *time.Location) *weekGrids {
	b := &weekGrids{week: week, loc: loc}
	b.rooms, b.roomIdx = newGrid("room", ow.Rooms, "/people/room/")
	b.ivrs, b.ivrIdx = newGrid("interviewer", ow.Interviewers, "/people/interviewer/")
	b.intps, b.intpsIdx = newGrid("interpreter", ow.Interpreters, "/people/interpreter/")
	return b
}

func newGrid(kind string, ids []string, link string) (grid, map[string]*gridRow) {
	g := grid{Kind: kind, Rows: make([]gridRow, len(ids))}
	idx := map[string]*gridRow{}
	for i, id := range ids {
		g.Rows[i] = gridRow{ID: id, Link: link + id, Cells: make([][]entry, plannerDays)}
		idx[id] = &g.Rows[i]
	}
	return g, idx
}

func (b *weekGrids) hm(s, e time.Time) string {
	return s.In(b.loc).Format("15:04") + "–" + e.In(b.loc).Format("15:04")
}

// put adds e to id's row on the day of t (nothing when the row or the day
// is not shown).
func (b *weekGrids) put(idx map[string]*gridRow, id string, t time.Time, e entry) {
	row := idx[id]
	day := int(solver.DateOf(t, b.loc) - b.week)
	if row == nil || day < 0 || day >= plannerDays {
		return
	}
	row.Cells[day] = append(row.Cells[day], e)
}

// placeUses puts bookings or holds (kind) in the rows of their room (when
// at office, counted) and of their people (marked with the other office
// when elsewhere).
func (b *weekGrids) placeUses(uses []resources.Use, kind, office string, count *int) {
	for _, u := range uses {
		e := entry{Kind: kind, Time: b.hm(u.Start, u.End), Ref: u.Interview, Lang: u.Language, Link: "/cases/" + u.Interview}
		if kind == "booking" {
			e.Link = "/bookings/" + strconv.FormatInt(u.Booking, 10)
		}
		if u.Location == office {
			b.put(b.roomIdx, u.Room, u.Start, e)
			*count++
		} else {
			e.Where = u.Location
		}
		b.put(b.ivrIdx, u.Interviewer, u.Start, e)
		b.put(b.intpsIdx, u.Interpreter, u.Start, e)
	}
}

// placeAbsences marks each day an absence touches ("all day" when whole).
func (b *weekGrids) placeAbsences(absences []resources.Span, count *int) {
	for _, a := range absences {
		for day := 0; day < plannerDays; day++ {
			ds, de := (b.week + solver.Date(day)).Midnight(b.loc), (b.week + solver.Date(day+1)).Midnight(b.loc)
			if !a.Start.Before(de) || !a.End.After(ds) {
				continue
			}
			s, e := maxTime(a.Start, ds), minTime(a.End, de)
			en := entry{Kind: "absence", Time: b.hm(s, e)}
			if s.Equal(ds) && e.Equal(de) {
				en.Time, en.AllDay = "", true
			}
			b.put(b.intpsIdx, a.Owner, s, en)
			b.put(b.ivrIdx, a.Owner, s, en)
			*count++
		}
	}
}

func (b *weekGrids) placeAvailability(avail []resources.Span) {
	for _, a := range avail {
		en := entry{Kind: "free", Time: b.hm(a.Start, a.End)}
		b.put(b.intpsIdx, a.Owner, a.Start, en)
		b.put(b.ivrIdx, a.Owner, a.Start, en)
	}
}

// finish orders each cell by time and, with busyOnly, keeps only the people
// with a booking, hold or absence that week.
func (b *weekGrids) finish(l string, busyOnly bool) []grid {
	for _, g := range []*grid{&b.rooms, &b.ivrs, &b.intps} {
		if busyOnly && g != &b.rooms {
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
	b.rooms.Title, b.rooms.Caption = staffT(l, "pl.rooms"), staffT(l, "pl.rooms.caption")
	b.ivrs.Title, b.ivrs.Caption = staffT(l, "pl.ivrs"), staffT(l, "pl.ivrs.caption")
	b.intps.Title, b.intps.Caption = staffT(l, "pl.itps"), staffT(l, "pl.itps.caption")
	return []grid{b.rooms, b.intps, b.ivrs}
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

// plannerCookie remembers the office and week of the last case or booking
// a clerk opened, where the planner opens.
const plannerCookie = "__Host-ivplanner"

// rememberPlace sets where the planner opens next.
func rememberPlace(w http.ResponseWriter, office, week string) {
	if office == "" || week == "" {
		return
	}
	http.SetCookie(w, &http.Cookie{Name: plannerCookie, Value: office + "|" + week, Path: "/", MaxAge: 8 * 3600,
		Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}
