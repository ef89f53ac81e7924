package staff

import (
	"context"
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/internal/i18n"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
	"github.com/asylum-scheduling/interviews/web/page"
)

// langName is the name of the language of tag in the page's language, with
// the tag: "Arabic (ar-SY)", "arabia (ar-SY)"; the mails and the portal name
// languages the same way.
func langName(l, tag string) string { return i18n.LanguageName(l, tag) }

// langOnly is langName without the tag, for places that show the tag apart.
func langOnly(l, tag string) string { return i18n.LanguageOnly(l, tag) }

// clock of the service: the time zone and the date pages start from.
type clock struct {
	loc      *time.Location
	settings resources.Settings
	today    solver.Date // today, in the service's zone
	ref      solver.Date // the first planning date: today, or the horizon's start if later
}

func (h *Handler) clock(ctx context.Context) (*clock, error) {
	st, err := h.store.Settings(ctx)
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

// dayLabel is "Mon 4 Jan", "ma 4.1.", "mån 4 jan.".
func dayLabel(l string, d solver.Date) string { return i18n.DayLabel(l, dateTime(d)) }

// longDate is "Monday 4 January 2027" in English, the short date elsewhere.
func longDate(l string, d solver.Date) string { return i18n.LongDate(l, dateTime(d)) }

func dateOfString(l, s string) string {
	d, err := solver.ParseDate(s)
	if err != nil {
		return s
	}
	return i18n.FormatDate(l, dateTime(d))
}

// when is "Mon 4 Jan 2027, 08:30–11:30", "ma 4.1.2027 klo 8.30–11.30" for
// an RFC 3339 start and end ("" end: the start alone).
func when(l, start, end string, loc *time.Location) string {
	s, err := solver.ParseInstant(start)
	if err != nil {
		return start
	}
	s = s.In(loc)
	if e, err := solver.ParseInstant(end); err == nil {
		return i18n.FormatSpan(l, s, e.In(loc))
	}
	return i18n.FormatWhen(l, s)
}

func hours(minutes int) string {
	if minutes%60 == 0 {
		return fmt.Sprintf("%d h", minutes/60)
	}
	return fmt.Sprintf("%d h %02d min", minutes/60, minutes%60)
}

// modeWord is an interpreting mode in words.
func modeWord(l, m string) string {
	if w, ok := i18n.Staff.Lookup(l, "mode."+m); ok {
		return w
	}
	return m
}

// reasonWord is why nothing fits, in words.
func reasonWord(l, code string) string {
	if w, ok := i18n.Staff.Lookup(l, "reason."+code); ok {
		return w
	}
	return strings.ReplaceAll(code, "_", " ")
}

var funcs = template.FuncMap{
	"hours": hours,
	"join":  strings.Join,
	"who":   who,
	"add":   func(a, b int) int { return a + b },
	"pct": func(a, b int) int {
		if b == 0 {
			return 0
		}
		return a * 100 / b
	},
}

// parsePages parses the staff pages once per language: pages[locale][name].
func parsePages() map[string]map[string]*template.Template {
	out := map[string]map[string]*template.Template{}
	for _, l := range i18n.Locales {
		out[l] = parsePagesIn(l)
	}
	return out
}

func parsePagesIn(l string) map[string]*template.Template {
	return page.Load(templateFS, "templates", funcs, localFuncs(l))
}

// answerWord says in words what a person outside the agency answered.
func answerWord(l, s string) string {
	key := "answer." + s
	if s == "" {
		key = "answer.none"
	}
	if w, ok := i18n.Staff.Lookup(l, key); ok {
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
