package portal

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/internal/i18n"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/web/page"
)

// absencesData are the person's absences, with the calendar link just made.
type absencesData struct {
	Absences []resources.Absence
	FeedURL  string
	Feed     bool // the person may have a calendar link (interpreters)
	// Pattern is the interpreter's weekly pattern (nil for counsels), with
	// three empty exception rows to fill.
	Pattern *resources.WeeklyPattern
}

func (h *Handler) absences(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	d, err := h.availabilityData(r, v)
	if err != nil {
		return "", err
	}
	v.Title, v.Nav, v.Data = tr(v.L, "av.title"), "availability", d
	return "absences", nil
}

// availabilityData reads the person's absences and, for an interpreter,
// their weekly pattern.
func (h *Handler) availabilityData(r *http.Request, v *view) (absencesData, error) {
	as, err := h.svc.Absences(r.Context(), v.Person)
	if err != nil {
		return absencesData{}, err
	}
	d := absencesData{Absences: as, Feed: v.Person.Role == resources.PortalInterpreter}
	if d.Feed {
		if d.Pattern, err = h.svc.Pattern(r.Context(), v.Person); err != nil {
			return d, err
		}
		d.Pattern.Exceptions = append(d.Pattern.Exceptions, make([]resources.Exception, 3)...)
	}
	return d, nil
}

// pattern saves the interpreter's weekly pattern from the form. A save
// that would remove hours on file asks first (patternConfirm: the hours it
// would remove, and the form's values to send again with confirm=remove);
// confirm=edit shows the form again with what was typed.
func (h *Handler) pattern(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	if err := r.ParseForm(); err != nil {
		return "", errs.E(errs.Invalid, "the form could not be read")
	}
	f := r.PostForm
	pat := patternOf(f)
	switch f.Get("confirm") {
	case "edit":
		return h.showPattern(r, v, pat, http.StatusOK, "")
	case "remove":
	default:
		removed, err := h.svc.PatternRemovals(r.Context(), v.Person, pat)
		if err != nil {
			return h.patternProblem(r, v, pat, err)
		}
		if len(removed) > 0 {
			v.Title, v.Nav, v.Data = tr(v.L, "pat.remove.title"), "availability", confirmData(v.L, removed, f)
			return "pattern_confirm", nil
		}
	}
	if err := h.svc.SetPattern(r.Context(), v.Person, pat); err != nil {
		return h.patternProblem(r, v, pat, err)
	}
	return done(w, r, "/portal/absences", "pattern")
}

// patternOf reads a weekly pattern from the form's fields.
func patternOf(f url.Values) resources.WeeklyPattern {
	pat := resources.WeeklyPattern{From: f.Get("from"), Until: f.Get("until")}
	for i := range pat.Days {
		pat.Days[i] = resources.DayHours{Start: f.Get(fmt.Sprintf("day%d_start", i)), End: f.Get(fmt.Sprintf("day%d_end", i))}
	}
	for i, d := range f["exc_date"] {
		if strings.TrimSpace(d) == "" {
			continue
		}
		x := resources.Exception{Date: d}
		if i < len(f["exc_start"]) && i < len(f["exc_end"]) {
			x.Start, x.End = f["exc_start"][i], f["exc_end"][i]
		}
		pat.Exceptions = append(pat.Exceptions, x)
	}
	return pat
}

// patternProblem shows the form again with what was typed and the
// problems of invalid input; other errors are the page's.
func (h *Handler) patternProblem(r *http.Request, v *view, pat resources.WeeklyPattern, err error) (string, error) {
	if errs.CodeOf(err) != errs.Invalid {
		return "", err
	}
	var msgs []string
	for _, fe := range errs.FieldsOf(err) {
		msgs = append(msgs, fe.Path+": "+fe.Message)
	}
	return h.showPattern(r, v, pat, http.StatusUnprocessableEntity, strings.Join(msgs, "; "))
}

// showPattern shows the availability page with pat in the form.
func (h *Handler) showPattern(r *http.Request, v *view, pat resources.WeeklyPattern, status int, problem string) (string, error) {
	d, err := h.availabilityData(r, v)
	if err != nil {
		return "", err
	}
	pat.Exceptions = append(pat.Exceptions, make([]resources.Exception, 3)...)
	d.Pattern = &pat
	v.Title, v.Nav, v.Data, v.status, v.Error = tr(v.L, "av.title"), "availability", d, status, problem
	return "absences", nil
}

// maxRemovedShown bounds the periods the confirmation lists one by one.
const maxRemovedShown = 20

// field is one of the form's values, sent again by the confirmation.
type field struct{ Name, Value string }

// patternConfirmData is the confirmation before a save that removes hours.
type patternConfirmData struct {
	Removed []string // the periods, in the page's language
	More    int      // periods beyond those listed
	Fields  []field
}

func confirmData(l string, removed [][2]time.Time, f url.Values) patternConfirmData {
	d := patternConfirmData{}
	for i, x := range removed {
		if i == maxRemovedShown {
			d.More = len(removed) - i
			break
		}
		d.Removed = append(d.Removed, i18n.FormatSpan(l, x[0], x[1]))
	}
	names := make([]string, 0, len(f))
	for name := range f {
		if name != "csrf" && name != "confirm" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		for _, val := range f[name] {
			d.Fields = append(d.Fields, field{name, val})
		}
	}
	return d
}

func (h *Handler) addAbsence(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	if err := h.svc.AddAbsence(r.Context(), v.Person, r.PostFormValue("start"), r.PostFormValue("end")); err != nil {
		return "", err
	}
	return done(w, r, "/portal/absences", "absence")
}

func (h *Handler) deleteAbsence(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	id, err := page.PathID(r, "id", "absence")
	if err != nil {
		return "", err
	}
	if err := h.svc.DeleteAbsence(r.Context(), v.Person, id); err != nil {
		return "", err
	}
	return done(w, r, "/portal/absences", "absence_deleted")
}

// feed makes (or remakes) the interpreter's calendar link and shows it
// once.
func (h *Handler) feed(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	token, err := h.svc.RotateFeed(r.Context(), v.Person)
	if err != nil {
		return "", err
	}
	d, err := h.availabilityData(r, v)
	if err != nil {
		return "", err
	}
	d.FeedURL = page.FeedURL(r, h.proxies, h.feedBase, token)
	v.Title, v.Nav, v.Done, v.Data = tr(v.L, "av.title"), "availability", "done.feed", d
	return "absences", nil
}
