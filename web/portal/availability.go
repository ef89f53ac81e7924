package portal

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/asylum-scheduling/interviews/internal/errs"
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

// pattern saves the interpreter's weekly pattern from the form.
func (h *Handler) pattern(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	if err := r.ParseForm(); err != nil {
		return "", errs.E(errs.Invalid, "the form could not be read")
	}
	f := r.PostForm
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
	if err := h.svc.SetPattern(r.Context(), v.Person, pat); err != nil {
		if errs.CodeOf(err) != errs.Invalid {
			return "", err
		}
		// Show the form again with what was typed and the problems.
		d, derr := h.availabilityData(r, v)
		if derr != nil {
			return "", derr
		}
		d.Pattern = &pat
		var msgs []string
		for _, fe := range errs.FieldsOf(err) {
			msgs = append(msgs, fe.Path+": "+fe.Message)
		}
		v.Title, v.Nav, v.Data, v.status = tr(v.L, "av.title"), "availability", d, http.StatusUnprocessableEntity
		v.Error = strings.Join(msgs, "; ")
		return "absences", nil
	}
	return done(w, r, "/portal/absences", "pattern")
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
