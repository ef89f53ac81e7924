package staff

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/asylum-scheduling/interviews/internal/i18n"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/scheduler"
	"github.com/asylum-scheduling/interviews/web/page"
)

// booking.go is a booking's page (its people, mails and history) and its
// forms: reschedule and cancel.

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
