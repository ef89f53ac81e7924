package staff

import (
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/internal/i18n"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/scheduler"
	"github.com/asylum-scheduling/interviews/solver"
)

// person_data.go serves a person's data on request (issue 26) on the
// person's page, for admins only: the download of everything held about
// an interpreter or interviewer (Records.ExportPerson, recorded in the
// access log as the API's export is) and its erasure in two steps
// (Records.ErasePerson). Parties have no staff page: theirs is the API's
// (api/people_data.go).

// eraseForm is the state of the erasure form on the person's page.
type eraseForm struct {
	Reason  string
	Problem string // what is wrong with the reason; "": nothing
	// Refused: the person still holds future bookings (Booked) or live
	// holds (Holds), so nothing was erased.
	Refused bool
	Booked  []refusedBooking
	Holds   int
}

// refusedBooking is a future booking that stands in the way of an
// erasure: when and where, the booking's id after.
type refusedBooking struct {
	ID                  int64
	When                string
	Office, OfficeID    string
	Room, RoomID        string
	Interview, Language string
}

// eraseConfirm is the erasure's second step: what will happen, and the
// reason carried over.
type eraseConfirm struct {
	Kind, ID, Name, Office, Week string
	Reason                       string
}

// isAdmin reports whether the signed-in member of staff is an admin: only
// they see a person's data on request.
func isAdmin(s *session) bool { return s != nil && s.Role == resources.RoleAdmin }

// ownerOf is the person of the route: an interpreter or interviewer (a
// room is no person; parties have no staff page).
func ownerOf(r *http.Request) (resources.AbsenceOwner, string, error) {
	kind := chi.URLParam(r, "kind")
	owner, ok := resources.AbsenceOwnerOf(kind)
	if !ok || !personKinds[kind] {
		return owner, "", errs.E(errs.NotFound, "%s", staffT(staffLocale(r), "err.nokind"))
	}
	return owner, chi.URLParam(r, "id"), nil
}

// exportSubject is the access log's subject of a person's download: the
// API's export's (kind export, subject "interpreter:t1").
func exportSubject(r *http.Request) (string, string) {
	if _, _, err := ownerOf(r); err != nil {
		return "", ""
	}
	return resources.AccessExport, resources.PersonExportSubject(chi.URLParam(r, "kind"), chi.URLParam(r, "id"))
}

// personExport answers everything held about the person as a JSON file
// to download, named by kind and id only.
func (h *Handler) personExport(w http.ResponseWriter, r *http.Request) {
	owner, id, err := ownerOf(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data, err := h.records.ExportPerson(r.Context(), owner, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	body, err := json.MarshalIndent(data, "", "  ")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "application/json; charset=utf-8")
	hd.Set("Content-Disposition", `attachment; filename="`+exportFilename(owner.String(), id)+`"`)
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	w.Write(append(body, '\n'))
}

// exportFilename is "interpreter-T-001.json": the kind and the id, with
// any character a file name or the header should not hold made "_".
func exportFilename(kind, id string) string {
	safe := strings.Map(func(c rune) rune {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_', c == '.':
			return c
		}
		return '_'
	}, id)
	return kind + "-" + safe + ".json"
}

// personErase is the erasure form's post. Without confirm=yes it shows
// what will happen and asks to confirm, the reason carried over; with it,
// it erases and goes back to the person's page saying what was removed. A
// missing or unfit reason, or a person still booked, shows the person's
// page again with the form as it was and the problem.
func (h *Handler) personErase(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	owner, id, err := ownerOf(r)
	if err != nil {
		return "", err
	}
	f := eraseForm{Reason: strings.TrimSpace(r.PostFormValue("reason"))}
	switch {
	case f.Reason == "":
		f.Problem = v.T("pd.erase.noreason")
	case utf8.RuneCountInString(f.Reason) > scheduler.MaxErasureReason:
		f.Problem = v.T("pd.erase.badreason", scheduler.MaxErasureReason)
	}
	if f.Problem != "" {
		v.Status = http.StatusUnprocessableEntity
		return h.personWithForm(w, r, v, f)
	}
	if r.PostFormValue("confirm") != "yes" {
		return h.eraseConfirmPage(w, r, v, f.Reason)
	}
	e, err := h.records.ErasePerson(r.Context(), resources.ErasureRequest{Owner: owner, ID: id,
		Actor: sessionFrom(r.Context()).Name, Reason: f.Reason})
	switch errs.CodeOf(err) {
	case "":
	case errs.Invalid:
		f.Problem = v.T("pd.erase.badreason", scheduler.MaxErasureReason)
		v.Status = http.StatusUnprocessableEntity
		return h.personWithForm(w, r, v, f)
	case errs.StillBooked:
		if err := h.refusedBookings(r, v.L, &f, err); err != nil {
			return "", err
		}
		v.Status = http.StatusConflict
		return h.personWithForm(w, r, v, f)
	default:
		return "", err
	}
	h.log.Info("web: person erased", "kind", e.Kind, "erasure", e.ID)
	h.seeOther(w, r, personPath(r), erasedWords(v.L, e))
	return "", nil
}

// erasedNote says when the person's data was erased, when the record
// still bears that erasure's pseudonym ("" otherwise: never erased, or
// registered anew under the same id since).
func (h *Handler) erasedNote(ctx context.Context, v *view, d *personData, c *clock) (string, error) {
	e, err := h.store.ErasedPerson(ctx, d.Kind, d.ID)
	if err != nil || e == nil {
		return "", err
	}
	at, err := time.Parse(time.RFC3339, e.At)
	if err != nil {
		return "", err
	}
	return v.T("pd.already", i18n.LongDate(v.L, at.In(c.loc)), e.ID), nil
}

// personWithForm renders the person's page with the erasure form as f
// says (the reason kept, the problem shown).
func (h *Handler) personWithForm(w http.ResponseWriter, r *http.Request, v *view, f eraseForm) (string, error) {
	name, err := h.renderPerson(w, r, v, "", 0)
	if err != nil {
		return "", err
	}
	d := v.Data.(personData)
	d.Erase = f
	v.Data = d
	return name, nil
}

// eraseConfirmPage is the erasure's second step: whose data, what will be
// removed and what stays, and the reason to confirm.
func (h *Handler) eraseConfirmPage(w http.ResponseWriter, r *http.Request, v *view, reason string) (string, error) {
	ctx := r.Context()
	c, err := h.clock(ctx)
	if err != nil {
		return "", err
	}
	d := personData{Kind: chi.URLParam(r, "kind"), ID: chi.URLParam(r, "id")}
	if err := h.personFacts(v.L, ctx, &d, nil); err != nil {
		return "", err
	}
	cd := eraseConfirm{Kind: d.Kind, ID: d.ID, Name: d.Name, Office: d.Office, Week: monday(c.ref).String(), Reason: reason}
	if cd.Name == "" {
		cd.Name = v.T("kind."+d.Kind) + " " + d.ID
	}
	v.Title, v.Nav, v.Data = v.T("pd.confirm.title", cd.Name), "planner", cd
	return "person_erase", nil
}

// refusedBookings lists on the form the bookings that refused the
// erasure: the person's active bookings that have not ended, by start,
// with office and room by name. Live holds are counted from the refusal.
func (h *Handler) refusedBookings(r *http.Request, l string, f *eraseForm, refusal error) error {
	ctx := r.Context()
	f.Refused = true
	for _, fe := range errs.FieldsOf(refusal) {
		if strings.HasPrefix(fe.Path, "holds[") {
			f.Holds++
		}
	}
	c, err := h.clock(ctx)
	if err != nil {
		return err
	}
	kind, id := chi.URLParam(r, "kind"), chi.URLParam(r, "id")
	now := h.now()
	uses, err := h.store.PersonUses(ctx, kind, id, now, now.AddDate(100, 0, 0))
	if err != nil {
		return err
	}
	offices, err := h.officeNames(ctx)
	if err != nil {
		return err
	}
	var rooms []string
	for _, u := range uses {
		rooms = append(rooms, u.Room)
	}
	people, err := h.store.DisplayNames(ctx, rooms, nil, nil)
	if err != nil {
		return err
	}
	for _, u := range uses {
		f.Booked = append(f.Booked, refusedBooking{ID: u.Booking, Interview: u.Interview, Language: u.Language,
			When:   when(l, solver.FormatInstant(u.Start, c.loc), solver.FormatInstant(u.End, c.loc), c.loc),
			Office: offices[u.Location], OfficeID: u.Location, Room: people["room/"+u.Room], RoomID: u.Room})
	}
	return nil
}

// erasedWords says in the page's language what an erasure did: its
// number, the record's new name, and what it removed, kind by kind.
func erasedWords(l string, e *resources.Erasure) string {
	counts := map[string]int64{}
	for k, n := range e.Removed {
		if strings.HasPrefix(k, "quotes:") {
			k = "quotes"
		}
		counts[k] += n
	}
	var kinds []string
	for k := range counts {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	var parts []string
	for _, k := range kinds {
		w, ok := i18n.Staff.Lookup(l, "pd.removed."+k)
		if !ok {
			w = strings.ReplaceAll(k, "_", " ")
		}
		parts = append(parts, w+" "+i18n.Number(l, int(counts[k])))
	}
	removed := staffT(l, "pd.removed.nothing")
	if len(parts) > 0 {
		removed = strings.Join(parts, ", ")
	}
	return staffT(l, "pd.erased", e.ID, e.Name, removed)
}
