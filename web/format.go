package web

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/go-chi/chi/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

var (
	langNamer = display.English.Tags()
	langMu    sync.Mutex
	langCache = map[string]string{}
)

// extraNames are names the CLDR data of x/text lacks or gives too vaguely.
var extraNames = map[string]string{"prs": "Dari", "ckb": "Sorani (Central Kurdish)", "kmr": "Kurmanji (Northern Kurdish)"}

// langName is "Arabic (Syria)" for "ar-SY"; the tag itself when unknown.
func langName(tag string) string {
	if n, ok := extraNames[tag]; ok {
		return n
	}
	langMu.Lock()
	defer langMu.Unlock()
	if n, ok := langCache[tag]; ok {
		return n
	}
	n := tag
	if t, err := language.Parse(tag); err == nil {
		if s := langNamer.Name(t); s != "" {
			n = s
		}
	}
	langCache[tag] = n
	return n
}

// clock of the service: the time zone and the date pages start from.
type clock struct {
	loc      *time.Location
	settings resources.Settings
	today    solver.Date // today, in the service's zone
	ref      solver.Date // the first planning date: today, or the horizon's start if later
}

func (h *Handler) clock(ctx context.Context) (*clock, error) {
	st, err := h.db.Settings(ctx)
	if err != nil {
		return nil, err
	}
	loc, err := time.LoadLocation(st.Timezone)
	if err != nil {
		loc = time.UTC
	}
	c := &clock{loc: loc, settings: st, today: solver.DateOf(h.now(), loc)}
	c.ref = c.today
	if st.Horizon != nil {
		if hs, err := solver.ParseDate(st.Horizon.Start); err == nil && hs > c.ref {
			c.ref = hs
		}
	}
	return c, nil
}

// monday returns the Monday of d's week.
func monday(d solver.Date) solver.Date {
	// 1970-01-01 was a Thursday: day 0 is Thursday, so Monday is (d+3)%7 == 0.
	return d - solver.Date(((int(d)+3)%7+7)%7)
}

func parseDateParam(v string, def solver.Date) (solver.Date, error) {
	if v == "" {
		return def, nil
	}
	d, err := solver.ParseDate(v)
	if err != nil {
		return 0, errs.E(errs.Invalid, "%q is not a date of the form YYYY-MM-DD", v)
	}
	return d, nil
}

func dateTime(d solver.Date) time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

// dayLabel is "Mon 4 Jan".
func dayLabel(d solver.Date) string { return dateTime(d).Format("Mon 2 Jan") }

// longDate is "Monday 4 January 2027".
func longDate(d solver.Date) string { return dateTime(d).Format("Monday 2 January 2006") }

func dateOfString(s string) string {
	d, err := solver.ParseDate(s)
	if err != nil {
		return s
	}
	return dateTime(d).Format("Mon 2 Jan 2006")
}

// when is "Mon 4 Jan 2027, 08:30–11:30" for an RFC 3339 start and end.
func when(start, end string, loc *time.Location) string {
	s, err := solver.ParseInstant(start)
	if err != nil {
		return start
	}
	s = s.In(loc)
	out := s.Format("Mon 2 Jan 2006, 15:04")
	if e, err := solver.ParseInstant(end); err == nil {
		out += "–" + e.In(loc).Format("15:04")
	}
	return out
}

func hours(minutes int) string {
	if minutes%60 == 0 {
		return fmt.Sprintf("%d h", minutes/60)
	}
	return fmt.Sprintf("%d h %02d min", minutes/60, minutes%60)
}

var modeWords = map[string]string{
	solver.ModeOnsite: "on site", solver.ModeRemote: "remote", solver.ModeNone: "no interpreter",
	"prefer_onsite": "on site preferred, remote possible", "any": "on site or remote",
}

func modeWord(m string) string {
	if w, ok := modeWords[m]; ok {
		return w
	}
	return m
}

var reasonWords = map[string]string{
	solver.ReasonNoInterpreterLanguage:  "no interpreter speaks the language",
	solver.ReasonNoInterpreterAvailable: "no interpreter of the language is free",
	solver.ReasonNoInterviewer:          "no suitable interviewer is free",
	solver.ReasonNoRoom:                 "no suitable room is free",
	solver.ReasonPartyUnavailable:       "the counsel or representative is not available",
	solver.ReasonWindowClosed:           "the date window leaves no possible day",
	solver.ReasonCapacity:               "everything that would fit is taken",
}

func reasonWord(code string) string {
	if w, ok := reasonWords[code]; ok {
		return w
	}
	return strings.ReplaceAll(code, "_", " ")
}

var funcs = template.FuncMap{
	"lang":     langName,
	"when":     when,
	"date":     dateOfString,
	"hours":    hours,
	"mode":     modeWord,
	"reason":   reasonWord,
	"join":     strings.Join,
	"dayLabel": dayLabel,
	"answer":   answerWord,
	"who":      who,
	"add":      func(a, b int) int { return a + b },
	"pct": func(a, b int) int {
		if b == 0 {
			return 0
		}
		return a * 100 / b
	},
}

func parsePages() map[string]*template.Template {
	base := template.Must(template.New("").Funcs(funcs).ParseFS(templateFS, "templates/layout.html"))
	names, err := templateFS.ReadDir("templates")
	if err != nil {
		panic(err)
	}
	out := map[string]*template.Template{}
	for _, n := range names {
		name := strings.TrimSuffix(n.Name(), ".html")
		if name == "layout" {
			continue
		}
		t := template.Must(base.Clone())
		template.Must(t.ParseFS(templateFS, "templates/"+n.Name()))
		out[name] = t
	}
	return out
}

// pathID reads the numeric id in path parameter param of a page's URL: a
// positive whole number, else the page is not found.
func pathID(r *http.Request, param, what string) (int64, error) {
	n, err := strconv.ParseInt(chi.URLParam(r, param), 10, 64)
	if err != nil || n <= 0 {
		return 0, errs.E(errs.NotFound, "There is no %s %q.", what, chi.URLParam(r, param))
	}
	return n, nil
}

// answerWord says in words what a person outside the agency answered.
func answerWord(s string) string {
	if w, ok := map[string]string{
		"requested": "asked, no answer yet", "confirmed": "confirmed", "declined": "declined", "expired": "did not answer in time",
		"acknowledged": "acknowledged", "summoned": "summoned, not acknowledged", "change_requested": "asked for another time",
		"unavailable": "unavailable", "conflict_of_interest": "conflict of interest", "other": "another reason",
		"stepped_aside": "stepped aside", "": "no interpreter", "no_longer_available": "the interpreter is no longer available then",
	}[s]; ok {
		return w
	}
	return s
}

// who writes a room or person by name with the id after it, or by id when
// it has no name: names first, ids secondary.
func who(names map[string]string, kind, id string) template.HTML {
	n, ok := names[kind+"/"+id]
	if !ok {
		return template.HTML(template.HTMLEscapeString(id))
	}
	return template.HTML(template.HTMLEscapeString(n) + ` <span class="id">` + template.HTMLEscapeString(id) + `</span>`)
}
