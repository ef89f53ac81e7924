package staff

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/asylum-scheduling/interviews/capacity"
	"github.com/asylum-scheduling/interviews/capacity/advice"
	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/scheduler"
)

// The what-if pages (managers): a form that describes up to two variants in
// a clerk's terms (add interpreters of a language on some weekdays at an
// office, add interviewers or rooms), the run's progress, and the
// comparison with charts and a CSV of every figure. Richer scenarios go
// through POST /v1/scenarios or `schedule whatif`.

// scenarioVariants is how many variants the form offers.
const scenarioVariants = 2

type scenarioForm struct {
	From, To, TimeLimit string
	Variants            []variantForm
	Offices, Langs      []option
	Problems            []errs.FieldError
}

type variantForm struct {
	N                          int // 1-based, for ids
	Name, Kind, Language       string
	Count, Office, Start, End  string
	Mode                       string
	Days                       map[string]bool
	KindOpts, ModeOpts, DayOps []option
}

type scenarioRow struct {
	ID                          int64
	Status, From, To, By, Names string
	Created                     string
}

type scenariosData struct {
	Form scenarioForm
	Runs []scenarioRow
}

// scenariosPage lists the scenarios and offers the form, filled from
// ?language= (the shortage page's link) when given.
func (h *Handler) scenariosPage(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	ctx := r.Context()
	c, err := h.clock(ctx)
	if err != nil {
		return "", err
	}
	f := scenarioForm{From: c.ref.String(), To: (c.ref + 27).String(), TimeLimit: "30"}
	lang := strings.TrimSpace(r.URL.Query().Get("language"))
	for i := 0; i < scenarioVariants; i++ {
		vf := variantForm{N: i + 1, Kind: "none", Count: "2", Start: "08:00", End: "16:00", Mode: "both",
			Days: map[string]bool{"mon": true, "tue": true, "wed": true, "thu": true, "fri": true}}
		if i == 0 {
			vf.Kind, vf.Language = "interpreters", lang
		}
		f.Variants = append(f.Variants, vf)
	}
	if err := h.fillScenarioForm(r, v, &f); err != nil {
		return "", err
	}
	return h.renderScenarios(r, v, f)
}

func (h *Handler) renderScenarios(r *http.Request, v *view, f scenarioForm) (string, error) {
	ctx := r.Context()
	c, err := h.clock(ctx)
	if err != nil {
		return "", err
	}
	page, err := h.store.Scenarios(ctx, resources.ListParams{Limit: 20, Filters: map[string]string{}})
	if err != nil {
		return "", err
	}
	offices, err := h.officeNames(ctx)
	if err != nil {
		return "", err
	}
	w := pageWording(v.L, offices)
	d := scenariosData{Form: f}
	for _, s := range page.Items {
		var names []string
		if s.Scenario != nil {
			for _, vr := range s.Scenario.Variants {
				names = append(names, w.VariantName(vr))
			}
		}
		d.Runs = append(d.Runs, scenarioRow{ID: s.ID, Status: s.Status, From: s.From, To: s.To, By: s.CreatedBy,
			Names: strings.Join(names, "; "), Created: localStamp(v.L, s.CreatedAt, c.loc)})
	}
	v.Title, v.Nav, v.Data = v.T("sc.title"), "scenarios", d
	return "scenarios", nil
}

// fillScenarioForm gives the form its choices (offices, languages, kinds,
// modes, weekdays) in the page's language.
func (h *Handler) fillScenarioForm(r *http.Request, v *view, f *scenarioForm) error {
	offs, err := h.offices(r.Context())
	if err != nil {
		return err
	}
	langs, err := h.pendingLanguages(r.Context(), v.L)
	if err != nil {
		return err
	}
	for i := range f.Variants {
		vf := &f.Variants[i]
		vf.KindOpts = nil
		for _, k := range []string{"none", "interpreters", "interviewers", "rooms"} {
			vf.KindOpts = append(vf.KindOpts, option{Value: k, Label: v.T("sc.kind." + k), Selected: vf.Kind == k})
		}
		vf.ModeOpts = nil
		for _, m := range []string{"both", "onsite", "remote"} {
			vf.ModeOpts = append(vf.ModeOpts, option{Value: m, Label: v.T("sc.mode." + m), Selected: vf.Mode == m})
		}
		vf.DayOps = nil
		for _, d := range capacity.Weekdays {
			vf.DayOps = append(vf.DayOps, option{Value: d, Label: v.T("sc.day." + d), Selected: vf.Days[d]})
		}
	}
	f.Offices = []option{{Value: "", Label: v.T("sc.alloffices")}}
	for _, o := range offs {
		f.Offices = append(f.Offices, option{Value: o.ID, Label: o.Name})
	}
	f.Langs = nil
	for _, tag := range langs {
		f.Langs = append(f.Langs, option{Value: tag, Label: langName(v.L, tag)})
	}
	return nil
}

// readScenarioForm reads the posted form.
func readScenarioForm(r *http.Request) scenarioForm {
	f := scenarioForm{From: r.PostFormValue("from"), To: r.PostFormValue("to"), TimeLimit: strings.TrimSpace(r.PostFormValue("time_limit"))}
	for i := 1; i <= scenarioVariants; i++ {
		p := func(k string) string { return strings.TrimSpace(r.PostFormValue(fmt.Sprintf("%s_%d", k, i))) }
		vf := variantForm{N: i, Name: p("name"), Kind: p("kind"), Language: p("language"), Count: p("count"), Office: p("office"),
			Start: p("start"), End: p("end"), Mode: p("mode"), Days: map[string]bool{}}
		for _, d := range r.PostForm[fmt.Sprintf("days_%d", i)] {
			vf.Days[d] = true
		}
		f.Variants = append(f.Variants, vf)
	}
	return f
}

// scenarioStart starts the scenario the form describes and goes to its
// page; a form that does not describe one is shown again with the
// problems named.
func (h *Handler) scenarioStart(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	f := readScenarioForm(r)
	secs, err := strconv.Atoi(f.TimeLimit)
	if err != nil || secs < 1 || time.Duration(secs)*time.Second > scheduler.MaxScenarioTimeLimit {
		f.Problems = append(f.Problems, errs.FieldError{Path: "time_limit",
			Message: v.T("sc.err.limit", int(scheduler.MaxScenarioTimeLimit/time.Second))})
	}
	names, err := h.officeNames(r.Context())
	if err != nil {
		return "", err
	}
	sc, probs := scenarioOfForm(v, f, names)
	f.Problems = append(f.Problems, probs...)
	if len(f.Problems) == 0 {
		run, err := h.plans.StartScenario(r.Context(), scheduler.ScenarioRequest{From: f.From, To: f.To,
			TimeLimit: time.Duration(secs) * time.Second, Scenario: sc, Actor: sessionFrom(r.Context()).Name})
		if err == nil {
			h.seeOther(w, r, "/scenarios/"+strconv.FormatInt(run.ID, 10), "")
			return "", nil
		}
		switch errs.CodeOf(err) {
		case errs.Invalid, errs.Unprocessable, errs.Conflict:
			f.Problems = append(f.Problems, errs.FieldsOf(err)...)
			if len(errs.FieldsOf(err)) == 0 {
				f.Problems = append(f.Problems, errs.FieldError{Message: errs.MessageOf(err)})
			}
		default:
			return "", err
		}
	}
	if err := h.fillScenarioForm(r, v, &f); err != nil {
		return "", err
	}
	v.Status = http.StatusUnprocessableEntity
	return h.renderScenarios(r, v, f)
}

// scenarioOfForm turns the form's variants into a capacity-scenario/v1
// document, checked as the API checks one.
func scenarioOfForm(v *view, f scenarioForm, offices map[string]string) (*capacity.Scenario, []errs.FieldError) {
	var variants []map[string]any
	var probs []errs.FieldError
	for _, vf := range f.Variants {
		if vf.Kind == "" || vf.Kind == "none" {
			continue
		}
		n, err := strconv.Atoi(vf.Count)
		if err != nil || n < 1 || n > 50 {
			probs = append(probs, errs.FieldError{Path: fmt.Sprintf("count_%d", vf.N), Message: v.T("sc.err.count", vf.N)})
			continue
		}
		var days []string
		for _, d := range capacity.Weekdays {
			if vf.Days[d] {
				days = append(days, d)
			}
		}
		pattern := map[string]any{"weekdays": days, "hours": map[string]string{"start": vf.Start, "end": vf.End}}
		var change map[string]any
		switch vf.Kind {
		case "interpreters":
			add := map[string]any{"language": vf.Language, "count": n, "pattern": pattern}
			switch vf.Mode {
			case "onsite", "remote":
				add["modes"] = []string{vf.Mode}
			}
			if vf.Office != "" {
				add["locations"] = []string{vf.Office}
			}
			change = map[string]any{"add_interpreters": add}
		case "interviewers":
			change = map[string]any{"add_interviewers": map[string]any{"location": vf.Office, "count": n, "pattern": pattern}}
		case "rooms":
			change = map[string]any{"add_rooms": map[string]any{"location": vf.Office, "count": n, "pattern": pattern}}
		default:
			probs = append(probs, errs.FieldError{Path: fmt.Sprintf("kind_%d", vf.N), Message: v.T("sc.err.kind", vf.N)})
			continue
		}
		variants = append(variants, map[string]any{"name": vf.Name, "changes": []any{change}})
	}
	if len(variants) == 0 && len(probs) == 0 {
		probs = append(probs, errs.FieldError{Path: "kind_1", Message: v.T("sc.err.none")})
	}
	if len(probs) > 0 {
		return nil, probs
	}
	doc, err := json.Marshal(map[string]any{"format": capacity.ScenarioFormat, "variants": variants})
	if err != nil {
		return nil, []errs.FieldError{{Message: err.Error()}}
	}
	sc, err := scheduler.ParseScenario(doc)
	if err != nil {
		if fields := errs.FieldsOf(err); len(fields) > 0 {
			return nil, fields
		}
		return nil, []errs.FieldError{{Message: errs.MessageOf(err)}}
	}
	// A variant without a name of its own is known by its description in
	// English (in the CSV and the API); the pages name it in their own
	// language from its changes (advice.Wording.VariantName).
	en := pageWording("en", offices)
	for i := range sc.Variants {
		if sc.Variants[i].Name == "" {
			sc.Variants[i].Name = en.Describe(capacity.Describe(sc.Variants[i]))
		}
	}
	return sc, nil
}

// pageWording words capacity's sentences in the page's language l: the
// offices by their names; a variant's name that is its description in
// any of the pages' languages was made by the form, not given.
func pageWording(l string, offices map[string]string) advice.Wording {
	return advice.Wording{L: l, Offices: offices, MadeIn: advice.Languages}
}
