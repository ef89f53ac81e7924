package staff

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/internal/i18n"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/scheduler"
	"github.com/asylum-scheduling/interviews/solver"
	"github.com/asylum-scheduling/interviews/web/page"
)

// booking.go is a booking's page (its people, mails and history) and its
// forms: reschedule and cancel (posted from the case page), and the
// booking's own meeting link.

func (h *Handler) bookingOf(r *http.Request) (*resources.Booking, error) {
	n, err := page.PathID(r, "id", "booking")
	if err != nil {
		return nil, err
	}
	return h.store.Booking(r.Context(), n)
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
	res, err := h.booking.Reschedule(r.Context(), scheduler.ChangeRequest{BookingID: b.ID, SuggestionID: sug, Actor: s.Name, Reason: reason, Source: scheduler.SourceWeb})
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
	if _, err := h.booking.Cancel(r.Context(), scheduler.ChangeRequest{BookingID: b.ID, Actor: s.Name, Reason: reason, Source: scheduler.SourceWeb}); err != nil {
		return h.conflictOrRefusal(w, r, v, err)
	}
	h.seeOther(w, r, "/cases/"+b.Interview, v.T("flash.cancelled", b.ID))
	return "", nil
}

type bookingPageData struct {
	B     bookingView
	Meet  meetView
	Audit []auditView
}

type auditView struct{ At, Actor, Action, Reason string }

func (h *Handler) bookingPage(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	b, err := h.bookingOf(r)
	if err != nil {
		return "", err
	}
	return h.renderBooking(w, r, v, b, meetForm{value: b.MeetingURL})
}

// renderBooking fills the booking page of b; form is what its meeting
// link form shows (the booking's own link, or a refused value and why).
func (h *Handler) renderBooking(w http.ResponseWriter, r *http.Request, v *view, b *resources.Booking, form meetForm) (string, error) {
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
	if d.Meet, err = h.meetingOf(r.Context(), v.L, b, bv.OfficeID, form); err != nil {
		return "", err
	}
	if s := sessionFrom(r.Context()); s.Manager() {
		entries, err := h.store.Audit(r.Context(), "", b.ID)
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
	if v.Names, err = h.store.DisplayNames(r.Context(), []string{b.Room}, []string{b.Interviewer}, []string{b.Interpreter}); err != nil {
		return "", err
	}
	return "booking", nil
}

// roomOffice returns the location of a room ("" when unknown, or when it
// cannot be read just now: it only picks the planner's office).
func (h *Handler) roomOffice(ctx context.Context, room string) string {
	loc, _ := h.store.RoomLocation(ctx, room)
	return loc
}

// addParticipants adds the booking's people outside the agency, their
// answers and the mails sent to them.
func (h *Handler) addParticipants(ctx context.Context, l string, bv *bookingView, loc *time.Location) error {
	ps, err := h.store.Participants(ctx, bv.ID)
	if err != nil {
		return err
	}
	for i := range ps {
		ps[i].Role = staffT(l, "role."+ps[i].Role)
	}
	bv.Participants = ps
	ms, err := h.store.Mails(ctx, bv.ID)
	if err != nil {
		return err
	}
	for _, m := range ms {
		when := m.CreatedAt
		if m.SentAt != nil {
			when = *m.SentAt
		}
		bv.Mails = append(bv.Mails, mailView{When: localStamp(l, when, loc), To: staffT(l, "role."+m.RecipientKind) + " " + m.RecipientID,
			Kind: mailKindWord(l, m.Kind), State: staffT(l, "mail.state."+m.State)})
	}
	return nil
}

// meetForm is what the meeting link form shows: a value, and why it was
// refused ("": it was not).
type meetForm struct{ value, problem string }

// meetView is the booking page's meeting link for remote participation:
// the one in force (the booking's own over its office's), who is sent it,
// and, while the booking is active, the form that sets the booking's own.
type meetView struct {
	Link  string // the link in force; "": none
	Own   bool   // Link is the booking's own, not the office's
	To    string // who is sent it, from the booking's modes
	Form  bool   // the booking is active: its own link may be set
	Value string // the form's value: the booking's own link, or a refused one
	Error string // why Value was refused; "": it was not
}

// meetingOf tells the meeting link of booking b, whose room is in office
// (the office's link when b has none of its own).
func (h *Handler) meetingOf(ctx context.Context, l string, b *resources.Booking, office string, form meetForm) (meetView, error) {
	m := meetView{Link: b.MeetingURL, Own: b.MeetingURL != "", Form: b.Status == "active", Value: form.value, Error: form.problem}
	if !m.Own && office != "" {
		loc, err := h.store.Location(ctx, office)
		if err != nil && errs.CodeOf(err) != errs.NotFound {
			return meetView{}, err
		}
		if loc != nil {
			m.Link = loc.MeetingURL
		}
	}
	// Only an interpreter who joins remotely is sent the link
	// (scheduler.Mailer.details): the others come to the office.
	if b.Interpreter != "" && b.Mode == solver.ModeRemote {
		m.To = staffT(l, "bk.meet.to.interpreter")
	} else {
		m.To = staffT(l, "bk.meet.to.nobody")
	}
	return m, nil
}

// bookingMeeting sets the booking's own meeting link, or clears it (the
// office's is sent again), through the booking service the API's PATCH
// uses. A link that is not https keeps the form open with it.
func (h *Handler) bookingMeeting(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	b, err := h.bookingOf(r)
	if err != nil {
		return "", err
	}
	link := strings.TrimSpace(r.PostFormValue("meeting_url"))
	if r.PostFormValue("clear") != "" {
		link = ""
	}
	nb, err := h.booking.SetMeetingLink(r.Context(), b.ID, link)
	switch errs.CodeOf(err) {
	case "":
	case errs.Invalid:
		v.Status = http.StatusUnprocessableEntity
		return h.renderBooking(w, r, v, b, meetForm{value: link, problem: v.T("bk.meet.bad")})
	case errs.Conflict: // no longer active: the page as it is now
		if b, err = h.bookingOf(r); err != nil {
			return "", err
		}
		v.Status = http.StatusConflict
		v.Error = v.T("bk.meet.inactive", b.ID)
		return h.renderBooking(w, r, v, b, meetForm{value: b.MeetingURL})
	default:
		return "", err
	}
	done := v.T("flash.meet.set", nb.ID)
	if nb.MeetingURL == "" {
		done = v.T("flash.meet.cleared", nb.ID)
	}
	h.seeOther(w, r, "/bookings/"+strconv.FormatInt(nb.ID, 10), done)
	return "", nil
}
