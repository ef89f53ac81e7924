package staff

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/internal/i18n"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/scheduler"
	"github.com/asylum-scheduling/interviews/solver"
	"github.com/asylum-scheduling/interviews/web/page"
)

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
	NoOption string
	Earliest string
	Conflict *conflictView
	Rejected string // a change refused (a broken rule, a missing reason)
	// RejectedDetail is the service's own words on a refused change, in
	// English.
	RejectedDetail string
	WhatIf         string // the what-if scenario page for the language, when nothing fits
	Reason         string // the reason typed, kept when a change is refused
	SuggestMS      string
	Shown          []optionView // the suggestions, or a conflict's alternatives
	Pending        bool
	Manual         *manualView // booking by hand (pending interviews)
	ByDate         bool        // the options are sorted by date, not by rank
	Flags          []resources.InterviewFlag
	Language       string // for the links to the language's shortage
}

type need struct{ Label, Value string }

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

// refusal is why a change was refused: the page's own words, or the
// service's (English) words under a heading in the page's language.
type refusal struct{ text, detail string }

// renderCase builds the case page, with a conflict (and its alternatives in
// place of the suggestions) or a refused change when given.
func (h *Handler) renderCase(w http.ResponseWriter, r *http.Request, v *view, conflict *scheduler.ConflictError, rejected refusal) (string, error) {
	ctx := r.Context()
	id := chi.URLParam(r, "id")
	iv, err := h.db.Interview(ctx, id)
	if err != nil {
		return "", err
	}
	c, err := h.clock(ctx)
	if err != nil {
		return "", err
	}
	names, err := h.officeNames(ctx)
	if err != nil {
		return "", err
	}
	v.Title, v.Nav = v.T("case.title", iv.ID), "queue"
	d := caseData{ID: iv.ID, Case: iv.Case, Status: string(iv.Status), Needs: needsOf(v.L, iv, names), Rejected: rejected.text, RejectedDetail: rejected.detail,
		Reason: r.PostFormValue("reason")}
	if d.Rejected == "" && d.RejectedDetail != "" {
		d.Rejected = v.T("case.refused")
	}
	var current *resources.Booking
	if iv.Status == resources.StatusBooked {
		b, err := h.db.BookingOf(ctx, iv.ID)
		current = b
		if err != nil && errs.CodeOf(err) != errs.NotFound {
			return "", err
		}
		if b != nil {
			bv := viewBooking(v.L, b, c.loc, names)
			bv.OfficeID = h.roomOffice(ctx, b.Room)
			bv.Office = names[bv.OfficeID]
			if err := h.addParticipants(ctx, v.L, &bv, c.loc); err != nil {
				return "", err
			}
			d.Booking = &bv
		}
	}
	holds, err := h.db.Holds(ctx, iv.ID, h.now())
	if err != nil {
		return "", err
	}
	for _, x := range holds {
		exp, _ := solver.ParseInstant(x.ExpiresAt)
		d.Holds = append(d.Holds, holdView{ID: x.ID, When: when(v.L, x.Start, x.End, c.loc), Room: x.Room, Interviewer: x.Interviewer,
			Interpreter: x.Interpreter, Mode: modeWord(v.L, x.Mode), Expires: exp.In(c.loc).Format("15:04"), Start: x.Start, RawMode: x.Mode})
	}
	if conflict != nil {
		cv := &conflictView{Message: conflict.Message, Resource: conflict.Resource}
		for i, a := range conflict.Alternatives {
			o := viewOption(v.L, a, c.loc, names)
			if i < len(conflict.AlternativeIDs) {
				o.ID = conflict.AlternativeIDs[i]
			}
			cv.Alternatives = append(cv.Alternatives, o)
		}
		d.Conflict = cv
	} else if iv.Status == resources.StatusPending || iv.Status == resources.StatusBooked {
		t0 := time.Now()
		ans, err := h.cfg.Booking.Suggest(ctx, scheduler.SuggestRequest{InterviewID: iv.ID, K: suggestionsShown})
		if err != nil {
			return "", err
		}
		d.SuggestMS = fmt.Sprintf("%.0f", float64(time.Since(t0).Microseconds())/1000)
		for _, o := range ans.Suggestions {
			if current != nil && sameAsBooking(o.Suggestion, current) {
				continue // where it is already
			}
			ov := viewOption(v.L, o.Suggestion, c.loc, names)
			ov.ID = o.ID
			d.Options = append(d.Options, ov)
		}
		if len(d.Options) == 0 {
			d.NoOption = reasonWord(v.L, ans.Reason)
			if sessionFrom(ctx).Manager() {
				d.WhatIf = "/scenarios?language=" + url.QueryEscape(iv.Language) + "#new"
			}
			if ans.Detail != "" {
				d.NoOption = ans.Detail
			}
			if ans.EarliestPossible != "" {
				d.Earliest = dateOfString(v.L, ans.EarliestPossible)
			}
		}
	}
	d.Shown = d.Options
	if d.Conflict != nil {
		d.Shown = d.Conflict.Alternatives
	}
	if err := h.explainTradeoffs(ctx, v.L, d.Shown, iv.DurationMinutes, c.loc); err != nil {
		return "", err
	}
	if d.ByDate = r.URL.Query().Get("sort") == "date"; d.ByDate {
		sort.SliceStable(d.Shown, func(i, j int) bool { return d.Shown[i].Start < d.Shown[j].Start })
	}
	d.Pending = iv.Status == resources.StatusPending
	d.Language = iv.Language
	if d.Pending {
		if d.Manual, err = h.manualChoices(ctx, v.L, iv, r.PostFormValue("start")); err != nil {
			return "", err
		}
	}
	flags, err := h.db.OpenFlags(ctx)
	if err != nil {
		return "", err
	}
	for _, f := range flags {
		if f.Interview == iv.ID {
			d.Flags = append(d.Flags, f)
		}
	}
	v.Data = d
	var rooms, ers, trs []string
	if d.Booking != nil {
		rooms, ers, trs = append(rooms, d.Booking.Room), append(ers, d.Booking.Interviewer), append(trs, d.Booking.Interpreter)
	}
	for _, o := range d.Shown {
		rooms, ers, trs = append(rooms, o.Room), append(ers, o.Interviewer), append(trs, o.Interpreter)
	}
	if v.Names, err = h.db.DisplayNames(ctx, rooms, ers, trs); err != nil {
		return "", err
	}
	switch {
	case d.Booking != nil:
		rememberPlace(w, d.Booking.OfficeID, d.Booking.Week)
	case len(d.Shown) > 0:
		rememberPlace(w, d.Shown[0].OfficeID, d.Shown[0].Week)
	}
	return "case", nil
}

func sameAsBooking(s solver.Suggestion, b *resources.Booking) bool {
	st, err1 := solver.ParseInstant(s.Start)
	bt, err2 := solver.ParseInstant(b.Start)
	return err1 == nil && err2 == nil && st.Equal(bt) && s.Room == b.Room && s.Interviewer == b.Interviewer &&
		s.Interpreter == b.Interpreter && s.Mode == b.Mode
}

func viewOption(l string, s solver.Suggestion, loc *time.Location, names map[string]string) optionView {
	o := optionView{Rank: s.Rank, When: when(l, s.Start, s.End, loc), Office: names[s.Location], OfficeID: s.Location, Room: s.Room,
		Interviewer: s.Interviewer, Interpreter: s.Interpreter, Mode: modeWord(l, s.Mode), Explanation: whyWords(l, s.Why),
		Start: s.Start, RawMode: s.Mode}
	if o.Office == "" {
		o.Office = s.Location
	}
	if t, err := solver.ParseInstant(s.Start); err == nil {
		o.Week = monday(solver.DateOf(t, loc)).String()
	}
	return o
}

func viewBooking(l string, b *resources.Booking, loc *time.Location, names map[string]string) bookingView {
	bv := bookingView{ID: b.ID, Interview: b.Interview, When: when(l, b.Start, b.End, loc), Room: b.Room, Interviewer: b.Interviewer,
		Interpreter: b.Interpreter, Mode: modeWord(l, b.Mode), Status: b.Status, Pinned: b.Pinned, Sequence: b.Sequence}
	if t, err := solver.ParseInstant(b.Start); err == nil {
		bv.Week = monday(solver.DateOf(t, loc)).String()
	}
	return bv
}

// needsOf says what an interview request needs, in plain words.
func needsOf(l string, iv *resources.Interview, offices map[string]string) []need {
	var out []need
	add := func(k, v string) { out = append(out, need{staffT(l, k), v}) }
	name := langName(l, iv.Language)
	if iv.DialectRequired {
		name = staffT(l, "need.dialect", name)
	}
	add("need.language", name)
	if iv.NeedsInterp() {
		add("need.interpreter", staffT(l, "need.needed", modeWord(l, iv.WantMode())))
	} else {
		add("need.interpreter", staffT(l, "need.notneeded"))
	}
	add("need.length", hours(iv.DurationMinutes))
	window := staffT(l, "need.from", dateOfString(l, iv.Earliest))
	if iv.Latest != "" {
		window = staffT(l, "need.fromto", dateOfString(l, iv.Earliest), dateOfString(l, iv.Latest))
	}
	add("need.when", window)
	if iv.Deadline != "" {
		add("need.deadline", staffT(l, "need.deadline.v", dateOfString(l, iv.Deadline)))
	}
	add("need.priority", urgency(l, iv.Prio()))
	var offs []string
	for _, o := range iv.Locations {
		if n := offices[o]; n != "" {
			offs = append(offs, n)
		} else {
			offs = append(offs, o)
		}
	}
	add("need.offices", strings.Join(offs, staffT(l, "need.or")))
	if iv.InterviewerGender != "" {
		add("need.interviewer", genderWord(l, iv.InterviewerGender))
	}
	if iv.InterpreterGender != "" {
		add("need.interpgender", genderWord(l, iv.InterpreterGender))
	}
	for _, f := range []struct {
		key  string
		list []string
	}{{"need.ivrskills", iv.InterviewerSkills}, {"need.itpskills", iv.InterpreterSkills}, {"need.room", iv.RoomFeatures}} {
		if len(f.list) > 0 {
			add(f.key, featureWords(l, f.list))
		}
	}
	if len(iv.Parties) > 0 {
		add("need.parties", staffT(l, "need.parties.v", strings.Join(iv.Parties, ", ")))
	}
	if iv.PreferredInterviewer != "" {
		add("need.preferred", iv.PreferredInterviewer)
	}
	if len(iv.ExcludedInterpreters) > 0 {
		add("need.notinterp", strings.Join(iv.ExcludedInterpreters, ", "))
	}
	if len(iv.ExcludedInterviewers) > 0 {
		add("need.notivr", strings.Join(iv.ExcludedInterviewers, ", "))
	}
	return out
}

// whyWords says why an option is a good one in the page's language; the
// cost codes are left out, as the page gives the cost in euros.
func whyWords(l string, why []solver.Why) string {
	var out []string
	for _, w := range why {
		switch w.Code {
		case solver.WhyDaysAfterFirst, solver.WhyPastDeadline:
			out = append(out, staffT(l, "why."+w.Code, w.N))
		case solver.WhyDialect, solver.WhyDialectMissed:
			out = append(out, staffT(l, "why."+w.Code, langName(l, w.Language)))
		default:
			out = append(out, staffT(l, "why."+w.Code))
		}
	}
	if len(out) == 0 {
		return ""
	}
	s := strings.Join(out, "; ")
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:] + "."
}

// featureWords names skills and room features in the page's language.
func featureWords(l string, codes []string) string {
	out := make([]string, len(codes))
	for i, c := range codes {
		if w, ok := i18n.Staff.Lookup(l, "feature."+c); ok {
			out[i] = w
		} else {
			out[i] = strings.ReplaceAll(c, "_", " ")
		}
	}
	return strings.Join(out, ", ")
}

func genderWord(l, g string) string {
	if w, ok := i18n.Staff.Lookup(l, "need.gender."+g); ok {
		return w
	}
	return g
}

// conflictOrRefusal renders the case page for a failed change: a conflict
// with fresh alternatives, or a refused change with its message.
func (h *Handler) conflictOrRefusal(w http.ResponseWriter, r *http.Request, v *view, err error) (string, error) {
	var ce *scheduler.ConflictError
	if errors.As(err, &ce) {
		w.Header().Set("X-Outcome", "conflict")
		return h.renderCase(w, r, v, ce, refusal{})
	}
	switch errs.CodeOf(err) {
	case errs.Invalid, errs.Unprocessable, errs.Conflict:
		return h.renderCase(w, r, v, nil, refusal{detail: errs.MessageOf(err)})
	}
	return "", err
}

// caseBook books a suggestion, a held option or an option given by hand
// (start, room, interviewer, interpreter, mode: every rule is checked and a
// broken one named).
func (h *Handler) caseBook(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	id := chi.URLParam(r, "id")
	s := sessionFrom(r.Context())
	req := scheduler.BookRequest{InterviewID: id, Source: scheduler.SourceWeb,
		SuggestionID: r.PostFormValue("suggestion"), Actor: s.Name, Reason: strings.TrimSpace(r.PostFormValue("reason"))}
	if req.SuggestionID == "" {
		a, err := h.explicitOption(r)
		if err != nil {
			return h.conflictOrRefusal(w, r, v, err)
		}
		req.Assignment = a
	}
	res, err := h.cfg.Booking.BookResult(r.Context(), req)
	if err != nil {
		return h.conflictOrRefusal(w, r, v, err)
	}
	h.seeOther(w, r, "/cases/"+id, v.T("flash.booked", res.Booking.ID))
	return "", nil
}

// caseHold holds the option posted (its fields), checked as the API's
// holds are (scheduler.Service.Hold).
func (h *Handler) caseHold(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	id := chi.URLParam(r, "id")
	if _, err := solver.ParseInstant(r.PostFormValue("start")); err != nil {
		return "", errs.E(errs.Invalid, "%s", v.T("rej.incomplete"))
	}
	_, err := h.cfg.Booking.Hold(r.Context(), scheduler.HoldRequest{InterviewID: id, Actor: sessionFrom(r.Context()).Name,
		Assignment: &solver.Assignment{Start: r.PostFormValue("start"), Room: r.PostFormValue("room"),
			Interviewer: r.PostFormValue("interviewer"), Interpreter: r.PostFormValue("interpreter"), Mode: r.PostFormValue("mode")}})
	if err != nil {
		return h.conflictOrRefusal(w, r, v, err)
	}
	h.seeOther(w, r, "/cases/"+id, v.T("flash.held", int(h.cfg.Booking.HoldTTL()/time.Minute)))
	return "", nil
}

func (h *Handler) bookingOf(r *http.Request) (*resources.Booking, error) {
	n, err := page.PathID(r, "id", "booking")
	if err != nil {
		return nil, err
	}
	return h.db.Booking(r.Context(), n)
}

// withCaseID points the route's id at the booking's interview, so that a
// refused change renders that interview's case page.
func withCaseID(r *http.Request, interview string) *http.Request {
	rc := chi.RouteContext(r.Context())
	if rc != nil {
		for i, k := range rc.URLParams.Keys {
			if k == "id" {
				rc.URLParams.Values[i] = interview
			}
		}
	}
	return r
}

func (h *Handler) bookingReschedule(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	b, err := h.bookingOf(r)
	if err != nil {
		return "", err
	}
	s := sessionFrom(r.Context())
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	sug := r.PostFormValue("suggestion")
	r = withCaseID(r, b.Interview)
	if sug == "" {
		return h.renderCase(w, r, v, nil, refusal{text: v.T("rej.choose")})
	}
	if reason == "" {
		return h.renderCase(w, r, v, nil, refusal{text: v.T("rej.movereason")})
	}
	res, err := h.cfg.Booking.Reschedule(r.Context(), scheduler.ChangeRequest{BookingID: b.ID, SuggestionID: sug, Actor: s.Name, Reason: reason, Source: scheduler.SourceWeb})
	if err != nil {
		return h.conflictOrRefusal(w, r, v, err)
	}
	c, err := h.clock(r.Context())
	if err != nil {
		return "", err
	}
	h.seeOther(w, r, "/cases/"+b.Interview, v.T("flash.moved", res.Booking.ID,
		when(v.L, res.Booking.Start, res.Booking.End, c.loc), res.Booking.Room))
	return "", nil
}

func (h *Handler) bookingCancel(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	b, err := h.bookingOf(r)
	if err != nil {
		return "", err
	}
	s := sessionFrom(r.Context())
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	r = withCaseID(r, b.Interview)
	if reason == "" {
		return h.renderCase(w, r, v, nil, refusal{text: v.T("rej.cancelreason")})
	}
	if r.PostFormValue("confirm") != "yes" {
		return h.renderCase(w, r, v, nil, refusal{text: v.T("rej.confirm")})
	}
	if _, err := h.cfg.Booking.Cancel(r.Context(), scheduler.ChangeRequest{BookingID: b.ID, Actor: s.Name, Reason: reason, Source: scheduler.SourceWeb}); err != nil {
		return h.conflictOrRefusal(w, r, v, err)
	}
	h.seeOther(w, r, "/cases/"+b.Interview, v.T("flash.cancelled", b.ID))
	return "", nil
}

type bookingPageData struct {
	B     bookingView
	Audit []auditView
}

type auditView struct{ At, Actor, Action, Reason string }

func (h *Handler) bookingPage(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	b, err := h.bookingOf(r)
	if err != nil {
		return "", err
	}
	c, err := h.clock(r.Context())
	if err != nil {
		return "", err
	}
	names, err := h.officeNames(r.Context())
	if err != nil {
		return "", err
	}
	bv := viewBooking(v.L, b, c.loc, names)
	bv.OfficeID = h.roomOffice(r.Context(), b.Room)
	bv.Office = names[bv.OfficeID]
	d := bookingPageData{B: bv}
	if s := sessionFrom(r.Context()); s.Manager() {
		entries, err := h.db.Audit(r.Context(), "", b.ID)
		if err != nil {
			return "", err
		}
		for _, e := range entries {
			at := e.At
			if t, err := time.Parse(time.RFC3339, e.At); err == nil {
				at = i18n.FormatWhen(v.L, t.In(c.loc))
			}
			d.Audit = append(d.Audit, auditView{At: at, Actor: e.Actor, Action: codeWord(v.L, "action.", e.Action), Reason: e.Reason})
		}
	}
	v.Title, v.Nav, v.Data = v.T("bk.title", b.ID), "planner", d
	rememberPlace(w, bv.OfficeID, bv.Week)
	if v.Names, err = h.db.DisplayNames(r.Context(), []string{b.Room}, []string{b.Interviewer}, []string{b.Interpreter}); err != nil {
		return "", err
	}
	return "booking", nil
}

// roomOffice returns the location of a room ("" when unknown, or when it
// cannot be read just now: it only picks the planner's office).
func (h *Handler) roomOffice(ctx context.Context, room string) string {
	loc, _ := h.db.RoomLocation(ctx, room)
	return loc
}

// addParticipants adds the booking's people outside the agency, their
// answers and the mails sent to them.
func (h *Handler) addParticipants(ctx context.Context, l string, bv *bookingView, loc *time.Location) error {
	ps, err := h.db.Participants(ctx, bv.ID)
	if err != nil {
		return err
	}
	for i := range ps {
		ps[i].Role = staffT(l, "role."+ps[i].Role)
	}
	bv.Participants = ps
	ms, err := h.db.Mails(ctx, bv.ID)
	if err != nil {
		return err
	}
	for _, m := range ms {
		when := m.CreatedAt
		if m.SentAt != nil {
			when = *m.SentAt
		}
		bv.Mails = append(bv.Mails, mailView{When: localStamp(l, when, loc), To: staffT(l, "role."+m.RecipientKind) + " " + m.RecipientID,
			Kind: staffT(l, "mail.kind."+m.Kind), State: staffT(l, "mail.state."+m.State)})
	}
	return nil
}

// explicitOption reads an option from a form: start as RFC 3339 (a held
// option) or as a local date-time (the manual form), room, interviewer,
// interpreter ("" for none) and mode (derived from the interpreter when
// not given).
func (h *Handler) explicitOption(r *http.Request) (*solver.Assignment, error) {
	c, err := h.clock(r.Context())
	if err != nil {
		return nil, err
	}
	start := strings.TrimSpace(r.PostFormValue("start"))
	if start == "" {
		return nil, errs.E(errs.Invalid, "Choose a start time for the booking.")
	}
	if _, err := solver.ParseInstant(start); err != nil {
		t, err := time.ParseInLocation("2006-01-02T15:04", start, c.loc)
		if err != nil {
			return nil, errs.E(errs.Invalid, "The start must be a date and a time.")
		}
		start = solver.FormatInstant(t, c.loc)
	}
	a := &solver.Assignment{Start: start, Room: r.PostFormValue("room"), Interviewer: r.PostFormValue("interviewer"),
		Interpreter: r.PostFormValue("interpreter"), Mode: r.PostFormValue("mode")}
	if a.Interpreter == "" {
		a.Mode = solver.ModeNone
	} else if a.Mode == "" || a.Mode == solver.ModeNone {
		a.Mode = solver.ModeOnsite
	}
	return a, nil
}

// manualChoices lists what the manual booking form offers.
func (h *Handler) manualChoices(ctx context.Context, l string, iv *resources.Interview, start string) (*manualView, error) {
	m := &manualView{Start: start}
	all := func(f map[string]string) resources.ListParams {
		f["active"] = "true"
		return resources.ListParams{Limit: resources.MaxLimit, Filters: f}
	}
	for _, loc := range iv.Locations {
		rooms, err := h.db.Rooms(ctx, all(map[string]string{"location": loc}))
		if err != nil {
			return nil, err
		}
		for _, x := range rooms.Items {
			m.Rooms = append(m.Rooms, option{Value: x.ID, Label: nameID(x.Name, x.ID)})
		}
		ers, err := h.db.Interviewers(ctx, all(map[string]string{"location": loc}))
		if err != nil {
			return nil, err
		}
		for _, x := range ers.Items {
			m.Interviewers = append(m.Interviewers, option{Value: x.ID, Label: nameID(x.Name, x.ID)})
		}
	}
	m.Interpreters = []option{{Value: "", Label: staffT(l, "mode.none")}}
	primary, _, _ := strings.Cut(iv.Language, "-")
	trs, err := h.db.Interpreters(ctx, all(map[string]string{"language": primary}))
	if err != nil {
		return nil, err
	}
	for _, x := range trs.Items {
		m.Interpreters = append(m.Interpreters, option{Value: x.ID, Label: nameID(x.Name, x.ID) + " (" + strings.Join(x.Languages, ", ") + ")"})
	}
	return m, nil
}

func nameID(name, id string) string {
	if name == "" {
		return id
	}
	return name + " (" + id + ")"
}

// caseReleaseHold ends a hold of the case before it runs out.
func (h *Handler) caseReleaseHold(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	id := chi.URLParam(r, "id")
	hold, err := page.PathID(r, "hold", "hold")
	if err != nil {
		return "", err
	}
	if err := h.db.ReleaseHold(r.Context(), id, hold, sessionFrom(r.Context()).Name, h.now()); err != nil {
		return "", err
	}
	h.seeOther(w, r, "/cases/"+id, v.T("flash.released"))
	return "", nil
}

// caseFlag flags the case to the managers with a reason.
func (h *Handler) caseFlag(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	id := chi.URLParam(r, "id")
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	if reason == "" || len(reason) > 1000 {
		return h.renderCase(w, r, v, nil, refusal{text: v.T("rej.flagreason")})
	}
	if err := h.db.FlagInterview(r.Context(), id, reason, sessionFrom(r.Context()).Name, h.now()); err != nil {
		return "", err
	}
	h.seeOther(w, r, "/cases/"+id, v.T("flash.flagged"))
	return "", nil
}

// flagsPage lists the cases clerks flagged, for managers.
func (h *Handler) flagsPage(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	fs, err := h.db.OpenFlags(r.Context())
	if err != nil {
		return "", err
	}
	c, err := h.clock(r.Context())
	if err != nil {
		return "", err
	}
	for i := range fs {
		fs[i].CreatedAt = localStamp(v.L, fs[i].CreatedAt, c.loc)
	}
	v.Title, v.Nav, v.Data = v.T("flags.title"), "flags", fs
	return "flags", nil
}

// flagResolve marks a flag dealt with.
func (h *Handler) flagResolve(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	id, err := page.PathID(r, "id", "flag")
	if err != nil {
		return "", err
	}
	if err := h.db.ResolveFlag(r.Context(), id, sessionFrom(r.Context()).Name, h.now()); err != nil {
		return "", err
	}
	h.seeOther(w, r, "/flags", v.T("flash.resolved"))
	return "", nil
}

// explainTradeoffs gives each option its interpreter cost in euros and, from
// the second on, one sentence on how it differs from the first: the day,
// the office, the interpreter's mode and the cost.
func (h *Handler) explainTradeoffs(ctx context.Context, l string, opts []optionView, minutes int, loc *time.Location) error {
	rates := map[string]*solver.Rates{}
	for i := range opts {
		o := &opts[i]
		o.Euros = -1
		if o.Interpreter == "" {
			o.Euros = 0
			continue
		}
		r, ok := rates[o.Interpreter]
		if !ok {
			x, err := h.db.Interpreter(ctx, o.Interpreter)
			if err != nil {
				return err
			}
			r = x.CostPerHour
			rates[o.Interpreter] = r
		}
		if r != nil {
			o.Euros = (r.Rate(o.RawMode)*minutes + 30) / 60
		}
	}
	if len(opts) == 0 {
		return nil
	}
	first := opts[0]
	fs, _ := solver.ParseInstant(first.Start)
	for i := 1; i < len(opts); i++ {
		o := &opts[i]
		var parts []string
		os, _ := solver.ParseInstant(o.Start)
		days := int(solver.DateOf(os, loc) - solver.DateOf(fs, loc))
		switch {
		case days == 0 && os.Equal(fs):
			parts = append(parts, staffT(l, "to.same"))
		case days == 0 && os.After(fs):
			parts = append(parts, staffT(l, "to.later"))
		case days == 0:
			parts = append(parts, staffT(l, "to.earlier"))
		case days > 0:
			parts = append(parts, i18n.Staff.N(l, "to.days.later", days, i18n.CountWord(l, days)))
		default:
			parts = append(parts, i18n.Staff.N(l, "to.days.earlier", -days, i18n.CountWord(l, -days)))
		}
		if o.OfficeID != first.OfficeID {
			parts = append(parts, staffT(l, "to.office", o.Office, first.Office))
		}
		if o.RawMode != first.RawMode {
			parts = append(parts, staffT(l, "to.mode", staffT(l, "noun."+nounKey(o.RawMode)), staffT(l, "noun."+nounKey(first.RawMode))))
		}
		if o.Euros >= 0 && first.Euros >= 0 {
			switch diff := o.Euros - first.Euros; {
			case diff > 0:
				parts = append(parts, staffT(l, "to.more", i18n.Money(l, diff)))
			case diff < 0:
				parts = append(parts, staffT(l, "to.less", i18n.Money(l, -diff)))
			}
		}
		o.Tradeoff = staffT(l, "to.against", strings.Join(parts, ", "))
	}
	return nil
}

// nounKey is the catalog's "noun." key of an interpreting mode.
func nounKey(m string) string {
	switch m {
	case solver.ModeOnsite, solver.ModeRemote:
		return m
	}
	return solver.ModeNone
}
