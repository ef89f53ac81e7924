package staff

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/scheduler"
	"github.com/asylum-scheduling/interviews/solver"
)

// case.go builds the case page of an interview: its needs, booking, holds,
// ranked options, manual booking form and flags.

// suggestionsShown is the number of ranked options a case page shows.
const suggestionsShown = 5

type optionView struct {
	ID          string
	Rank        int
	When        string
	Week        string // Monday of the option's week, for the planner link
	Office      string
	OfficeID    string
	Room        string
	Interviewer string
	Interpreter string
	Mode        string
	Explanation string
	// The option itself, for the hold form.
	Start, RawMode string
	// Euros is the interpreter's cost of the option (-1: not known);
	// Tradeoff says in one sentence how it differs from the first option.
	Euros    int
	Tradeoff string
	// Score is the option's change of the score by component (what the
	// solver ranks by); Ranking says why it ranks where it does.
	Score   solver.Components
	Ranking string
}

type bookingView struct {
	ID          int64
	Interview   string
	When        string
	Week        string
	Office      string
	OfficeID    string
	Room        string
	Interviewer string
	Interpreter string
	Mode        string
	Status      string
	Pinned      bool
	Sequence    int
	// The people outside the agency with their answers, and the mails
	// sent to them (newest first).
	Participants []resources.Participant
	Mails        []mailView
}

// mailView is one mail of a booking as the case page lists it.
type mailView struct {
	When, To, Kind, State string
}

type holdView struct {
	ID                                                  int64
	When, Room, Interviewer, Interpreter, Mode, Expires string
	Start, RawMode                                      string // for booking it
}

// manualView are the choices of the manual booking form: the rooms and
// interviewers at the interview's offices and the interpreters of its
// language.
type manualView struct {
	Rooms, Interviewers, Interpreters []option
	Start                             string // the form's value, kept after a refusal
	// After a refusal: the form stays open with the mode and reason
	// posted (the choices are Selected), and says why nothing was booked.
	Open          bool
	Mode, Reason  string
	Problem       string
	NoAlternative bool // no suggestion to offer instead
}

type conflictView struct {
	Message      string
	Resource     string
	Alternatives []optionView
}

type caseData struct {
	ID       string
	Case     string
	Status   string
	Needs    []need
	Booking  *bookingView
	Holds    []holdView
	Options  []optionView
	NoOption string // why nothing fits, in the page's language
	Earliest string
	FirstFit string // when it would first fit, against the deadline
	Conflict *conflictView
	Rejected string // a change refused (a broken rule, a missing reason)
	// RejectedDetail is the service's own words on a refused change, in
	// English.
	RejectedDetail string
	WhatIf         string       // the what-if scenario page for the language, when nothing fits
	Reason         string       // the reason typed, kept when a change is refused
	SuggestMS      string       // how long the suggestions took, as a sentence
	Shown          []optionView // the suggestions, or a conflict's alternatives
	Pending        bool
	Manual         *manualView // booking by hand (pending interviews)
	ByDate         bool        // the options are sorted by date, not by rank
	Flags          []resources.InterviewFlag
	Language       string // for the links to the language's shortage
	// Proposals are the other times the booking's parties proposed, a
	// filter on the times it could move to.
	Proposals *proposalsView
}

// need is one line of what a request needs: a text, or markup (names
// with their ids).
type need struct {
	Label, Value string
	Rich         template.HTML
}

// refusal is why a change was refused: the page's own words, or the
// service's (English) words under a heading in the page's language.
type refusal struct{ text, detail, manual string }

func (h *Handler) officeNames(ctx context.Context) (map[string]string, error) {
	offs, err := h.offices(ctx)
	if err != nil {
		return nil, err
	}
	m := map[string]string{}
	for _, o := range offs {
		m[o.ID] = o.Name
	}
	return m, nil
}

func (h *Handler) casePage(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	return h.renderCase(w, r, v, nil, refusal{})
}

// caseSubject is what every step of the case page reads: the interview,
// the service's clock and the offices' names.
type caseSubject struct {
	iv      *resources.Interview
	c       *clock
	offices map[string]string // office id → name
	people  map[string]string // "party/ID", "interviewer/ID" → name, of the request's parties and preferred interviewer
}

// renderCase builds the case page, with a conflict (and its alternatives in
// place of the suggestions) or a refused change when given. It reads as its
// steps: the interview, its booking, its holds, the options (suggestions or
// the conflict's alternatives) with their trade-offs, the manual form, the
// flags, then the names of everyone shown. The options of a booked case
// may be only the times its counsel proposed (?proposed=1).
func (h *Handler) renderCase(w http.ResponseWriter, r *http.Request, v *view, conflict *scheduler.ConflictError, rejected refusal) (string, error) {
	ctx := r.Context()
	cs, err := h.caseSubject(ctx, chi.URLParam(r, "id"))
	if err != nil {
		return "", err
	}
	v.Title, v.Nav = v.T("case.title", cs.iv.ID), "queue"
	d := newCaseData(v, cs, r, rejected)
	current, err := h.caseBooking(ctx, v.L, cs, &d)
	if err != nil {
		return "", err
	}
	if err := h.caseHolds(ctx, v.L, cs, &d); err != nil {
		return "", err
	}
	if conflict != nil {
		d.Conflict = conflictOf(v.L, cs, conflict)
	} else if cs.iv.Status == resources.StatusPending || cs.iv.Status == resources.StatusBooked {
		if err := h.caseOptions(ctx, v.L, cs, current, &d); err != nil {
			return "", err
		}
		if err := h.caseProposals(ctx, v.L, cs, current, r.URL.Query().Get("proposed") == "1", &d); err != nil {
			return "", err
		}
	}
	if err := h.shownOptions(ctx, v.L, cs, r.URL.Query().Get("sort") == "date", &d); err != nil {
		return "", err
	}
	if current != nil && d.Conflict == nil {
		if err := h.compareWithBooking(ctx, v.L, current, d.Booking.OfficeID, d.Shown, cs.iv.DurationMinutes, cs.c.loc); err != nil {
			return "", err
		}
	}
	if d.Pending {
		if d.Manual, err = h.manualChoices(ctx, v.L, cs.iv, r.PostFormValue("start")); err != nil {
			return "", err
		}
		keepManual(r, d.Manual)
		d.Manual.Problem = rejected.manual
		d.Manual.NoAlternative = len(d.Shown) == 0
	}
	if d.Flags, err = h.caseFlags(ctx, cs.iv.ID); err != nil {
		return "", err
	}
	v.Data = d
	if v.Names, err = h.caseNames(ctx, &d); err != nil {
		return "", err
	}
	rememberCasePlace(w, &d)
	return "case", nil
}

// requestPeople are the names of the request's parties and preferred
// interviewer, by "party/ID" and "interviewer/ID".
func (h *Handler) requestPeople(ctx context.Context, iv *resources.Interview) (map[string]string, error) {
	out, err := h.store.DisplayNames(ctx, nil, []string{iv.PreferredInterviewer}, nil)
	if err != nil {
		return nil, err
	}
	for _, id := range iv.Parties {
		p, err := h.store.Party(ctx, id)
		if errs.CodeOf(err) == errs.NotFound {
			continue
		}
		if err != nil {
			return nil, err
		}
		out["party/"+id] = p.Name
	}
	return out, nil
}

// caseSubject reads the interview of the page, the clock and the offices.
func (h *Handler) caseSubject(ctx context.Context, id string) (*caseSubject, error) {
	iv, err := h.store.Interview(ctx, id)
	if err != nil {
		return nil, err
	}
	c, err := h.clock(ctx)
	if err != nil {
		return nil, err
	}
	offices, err := h.officeNames(ctx)
	if err != nil {
		return nil, err
	}
	people, err := h.requestPeople(ctx, iv)
	if err != nil {
		return nil, err
	}
	return &caseSubject{iv: iv, c: c, offices: offices, people: people}, nil
}

// newCaseData is the page's data before the steps fill it: the case, its
// needs, and the refusal and reason of a change just refused.
func newCaseData(v *view, cs *caseSubject, r *http.Request, rejected refusal) caseData {
	iv := cs.iv
	d := caseData{ID: iv.ID, Case: iv.Case, Status: string(iv.Status), Needs: needsOf(v.L, iv, cs.offices, cs.people),
		Rejected: rejected.text, RejectedDetail: rejected.detail, Reason: r.PostFormValue("reason"),
		Pending: iv.Status == resources.StatusPending, Language: iv.Language}
	if d.Rejected == "" && d.RejectedDetail != "" {
		d.Rejected = v.T("case.refused")
	}
	return d
}

// caseBooking shows a booked interview's booking (its office, people and
// mails) and returns it; nil when there is none.
func (h *Handler) caseBooking(ctx context.Context, l string, cs *caseSubject, d *caseData) (*resources.Booking, error) {
	if cs.iv.Status != resources.StatusBooked {
		return nil, nil
	}
	b, err := h.store.BookingOf(ctx, cs.iv.ID)
	if err != nil && errs.CodeOf(err) != errs.NotFound {
		return nil, err
	}
	if b == nil {
		return nil, nil
	}
	bv := viewBooking(l, b, cs.c.loc, cs.offices)
	bv.OfficeID = h.roomOffice(ctx, b.Room)
	bv.Office = cs.offices[bv.OfficeID]
	if err := h.addParticipants(ctx, l, &bv, cs.c.loc); err != nil {
		return nil, err
	}
	d.Booking = &bv
	return b, nil
}

// caseHolds lists the interview's live holds.
func (h *Handler) caseHolds(ctx context.Context, l string, cs *caseSubject, d *caseData) error {
	holds, err := h.store.Holds(ctx, cs.iv.ID, h.now())
	if err != nil {
		return err
	}
	for _, x := range holds {
		exp, _ := solver.ParseInstant(x.ExpiresAt)
		d.Holds = append(d.Holds, holdView{ID: x.ID, When: when(l, x.Start, x.End, cs.c.loc), Room: x.Room, Interviewer: x.Interviewer,
			Interpreter: x.Interpreter, Mode: modeWord(l, x.Mode), Expires: exp.In(cs.c.loc).Format("15:04"), Start: x.Start, RawMode: x.Mode})
	}
	return nil
}

// conflictOf shows a conflict and the alternatives that came with it.
func conflictOf(l string, cs *caseSubject, conflict *scheduler.ConflictError) *conflictView {
	cv := &conflictView{Message: conflict.Message, Resource: conflict.Resource}
	for i, a := range conflict.Alternatives {
		o := viewOption(l, a, cs.c.loc, cs.offices)
		if i < len(conflict.AlternativeIDs) {
			o.ID = conflict.AlternativeIDs[i]
		}
		cv.Alternatives = append(cv.Alternatives, o)
	}
	return cv
}

// caseOptions asks the booking service for the ranked suggestions (leaving
// out where a booked interview already is) or, when nothing fits, why and
// when it first would (caseFit, through the deadline and beyond) and the
// what-if page for managers.
func (h *Handler) caseOptions(ctx context.Context, l string, cs *caseSubject, current *resources.Booking, d *caseData) error {
	t0 := time.Now()
	ans, err := h.booking.Suggest(ctx, scheduler.SuggestRequest{InterviewID: cs.iv.ID, K: suggestionsShown})
	if err != nil {
		return err
	}
	d.SuggestMS = staffT(l, "case.suggestms.fast") // not "0 ms": it took time, under a millisecond
	if ms := time.Since(t0).Milliseconds(); ms > 0 {
		d.SuggestMS = staffT(l, "case.suggestms", strconv.FormatInt(ms, 10))
	}
	for _, o := range ans.Suggestions {
		if current != nil && sameAsBooking(o.Suggestion, current) {
			continue // where it is already
		}
		ov := viewOption(l, o.Suggestion, cs.c.loc, cs.offices)
		ov.ID = o.ID
		ov.Rank = len(d.Options) + 1 // numbered as shown, without the booking's own
		d.Options = append(d.Options, ov)
	}
	if len(d.Options) > 0 {
		return nil
	}
	if sessionFrom(ctx).Manager() {
		d.WhatIf = "/scenarios?language=" + url.QueryEscape(cs.iv.Language) + "#new"
	}
	fit, err := h.caseFit(ctx, cs)
	if err != nil {
		return err
	}
	if fit != nil {
		d.NoOption, d.FirstFit = fitWords(l, fit)
		return nil
	}
	// Not in the state from the first planning day (its window is
	// closed): the service's reason code and earliest possible day.
	d.NoOption = reasonWord(l, ans.Reason)
	if ans.EarliestPossible != "" {
		d.Earliest = dateOfString(l, ans.EarliestPossible)
	}
	return nil
}

// shownOptions are the options the page lists (the suggestions, or a
// conflict's alternatives) with their trade-offs and why each ranks where
// it does, by rank or by date.
func (h *Handler) shownOptions(ctx context.Context, l string, cs *caseSubject, byDate bool, d *caseData) error {
	d.Shown = d.Options
	if d.Conflict != nil {
		d.Shown = d.Conflict.Alternatives
	}
	if err := h.explainTradeoffs(ctx, l, d.Shown, cs.iv.DurationMinutes, cs.c.loc); err != nil {
		return err
	}
	rankReasons(l, d.Shown, cs.c.loc)
	if d.ByDate = byDate; d.ByDate {
		sort.SliceStable(d.Shown, func(i, j int) bool { return d.Shown[i].Start < d.Shown[j].Start })
	}
	return nil
}

// caseFlags are the interview's open flags.
func (h *Handler) caseFlags(ctx context.Context, interview string) ([]resources.InterviewFlag, error) {
	flags, err := h.store.OpenFlags(ctx)
	if err != nil {
		return nil, err
	}
	var out []resources.InterviewFlag
	for _, f := range flags {
		if f.Interview == interview {
			out = append(out, f)
		}
	}
	return out, nil
}

// caseNames are the display names of the rooms and people of the booking
// and the options shown.
func (h *Handler) caseNames(ctx context.Context, d *caseData) (map[string]string, error) {
	var rooms, ers, trs []string
	if d.Booking != nil {
		rooms, ers, trs = append(rooms, d.Booking.Room), append(ers, d.Booking.Interviewer), append(trs, d.Booking.Interpreter)
	}
	for _, o := range d.Shown {
		rooms, ers, trs = append(rooms, o.Room), append(ers, o.Interviewer), append(trs, o.Interpreter)
	}
	return h.store.DisplayNames(ctx, rooms, ers, trs)
}

// rememberCasePlace keeps the office and week of the booking, or else of
// the first option, for the planner link.
func rememberCasePlace(w http.ResponseWriter, d *caseData) {
	switch {
	case d.Booking != nil:
		rememberPlace(w, d.Booking.OfficeID, d.Booking.Week)
	case len(d.Shown) > 0:
		rememberPlace(w, d.Shown[0].OfficeID, d.Shown[0].Week)
	}
}

// manualChoices lists what the manual booking form offers.
func (h *Handler) manualChoices(ctx context.Context, l string, iv *resources.Interview, start string) (*manualView, error) {
	m := &manualView{Start: start}
	all := func(f map[string]string) resources.ListParams {
		f["active"] = "true"
		return resources.ListParams{Limit: resources.MaxLimit, Filters: f}
	}
	for _, loc := range iv.Locations {
		rooms, err := h.store.Rooms(ctx, all(map[string]string{"location": loc}))
		if err != nil {
			return nil, err
		}
		for _, x := range rooms.Items {
			m.Rooms = append(m.Rooms, option{Value: x.ID, Label: nameID(x.Name, x.ID)})
		}
		ers, err := h.store.Interviewers(ctx, all(map[string]string{"location": loc}))
		if err != nil {
			return nil, err
		}
		for _, x := range ers.Items {
			m.Interviewers = append(m.Interviewers, option{Value: x.ID, Label: nameID(x.Name, x.ID)})
		}
	}
	m.Interpreters = []option{{Value: "", Label: staffT(l, "mode.none")}}
	primary, _, _ := strings.Cut(iv.Language, "-")
	trs, err := h.store.Interpreters(ctx, all(map[string]string{"language": primary}))
	if err != nil {
		return nil, err
	}
	for _, x := range trs.Items {
		m.Interpreters = append(m.Interpreters, option{Value: x.ID, Label: nameID(x.Name, x.ID) + " (" + strings.Join(x.Languages, ", ") + ")"})
	}
	return m, nil
}
