package staff

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/internal/i18n"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
	"github.com/asylum-scheduling/interviews/web/page"
)

// personDays is how far ahead a person's page lists bookings.
const personDays = 28

type personBooking struct {
	ID                                       int64
	When, Interview, Lang, Room, Office, Who string
}

type personData struct {
	Kind, ID, Title string
	Name            string // the person's or room's name, when known
	Facts           []need
	Bookings        []personBooking
	Absences        []string
	From, To        string
	Week            string
	Office          string
	Feeds           []feedView
	CanManage       bool
	NewURL          string // a link just made: shown once
	NewFor          int64
	// CanErase: an admin sees the person's data on request
	// (person_data.go); Erase is its form's state.
	CanErase bool
	Erase    eraseForm
	// Erased says when the person's data was erased (the record still
	// bears the erasure's pseudonym): no erasure form and no new calendar
	// link then.
	Erased string
}

type feedView struct {
	ID                   int64
	Created, By, Rotated string
	LastUsed             string
}

var personKinds = map[string]bool{"room": true, "interviewer": true, "interpreter": true}

func (h *Handler) person(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	id, link := takeNewLink(w, r)
	return h.renderPerson(w, r, v, link, id)
}

func (h *Handler) renderPerson(w http.ResponseWriter, r *http.Request, v *view, newURL string, newFor int64) (string, error) {
	ctx := r.Context()
	kind, id := chi.URLParam(r, "kind"), chi.URLParam(r, "id")
	if !personKinds[kind] {
		return "", errs.E(errs.NotFound, "%s", v.T("err.nokind"))
	}
	c, err := h.clock(ctx)
	if err != nil {
		return "", err
	}
	names, err := h.officeNames(ctx)
	if err != nil {
		return "", err
	}
	d := personData{Kind: kind, ID: id, Title: v.T("kind."+kind) + " " + id, Week: monday(c.ref).String()}
	if err := h.personFacts(v.L, ctx, &d, names); err != nil {
		return "", err
	}
	if d.Name != "" {
		d.Title = d.Name
	}
	from, to := c.ref.Midnight(c.loc), (c.ref + personDays).Midnight(c.loc)
	d.From, d.To = longDate(v.L, c.ref), longDate(v.L, c.ref+personDays-1)
	if err := h.personBookings(v.L, ctx, &d, c, names, from, to); err != nil {
		return "", err
	}
	if kind != "room" {
		if err := h.personAbsences(ctx, v.L, &d, c, from); err != nil {
			return "", err
		}
	}
	if err := h.personFeeds(ctx, v.L, &d, c); err != nil {
		return "", err
	}
	d.CanManage = sessionFrom(ctx).Manager()
	d.CanErase = h.records != nil && kind != "room" && isAdmin(sessionFrom(ctx))
	if kind != "room" {
		if d.Erased, err = h.erasedNote(ctx, v, &d, c); err != nil {
			return "", err
		}
	}
	d.NewURL, d.NewFor = newURL, newFor
	v.Title, v.Nav, v.Data = d.Title, "planner", d
	return "person", nil
}

// personFacts reads the room, interviewer or interpreter and lists what a
// clerk needs to know of them.
func (h *Handler) personFacts(l string, ctx context.Context, d *personData, names map[string]string) error {
	officeList := func(ids []string) string {
		var out []string
		for _, o := range ids {
			if n := names[o]; n != "" {
				out = append(out, n)
			} else {
				out = append(out, o)
			}
		}
		return strings.Join(out, ", ")
	}
	langs := func(tags []string) string {
		var out []string
		for _, t := range tags {
			out = append(out, langName(l, t))
		}
		return strings.Join(out, ", ")
	}
	words := func(xs []string) string { return featureWords(l, xs) }
	fact := func(key, value string) { d.Facts = append(d.Facts, need{Label: staffT(l, key), Value: value}) }
	switch d.Kind {
	case "room":
		x, err := h.store.Room(ctx, d.ID)
		if err != nil {
			return err
		}
		d.Name = x.Name
		d.Office = x.Location
		fact("fact.office", officeList([]string{x.Location}))
		if len(x.Features) > 0 {
			fact("fact.features", words(x.Features))
		}
		if !x.Active {
			fact("fact.active", staffT(l, "fact.no"))
		}
	case "interviewer":
		x, err := h.store.Interviewer(ctx, d.ID)
		if err != nil {
			return err
		}
		d.Name = x.Name
		d.Office = x.Location
		fact("fact.office", officeList([]string{x.Location}))
		if len(x.Languages) > 0 {
			fact("fact.languages", langs(x.Languages))
		}
		if len(x.Skills) > 0 {
			fact("fact.skills", words(x.Skills))
		}
	case "interpreter":
		x, err := h.store.Interpreter(ctx, d.ID)
		if err != nil {
			return err
		}
		d.Name = x.Name
		if len(x.Locations) > 0 {
			d.Office = x.Locations[0]
		}
		fact("fact.languages", langs(x.Languages))
		var modes []string
		for _, m := range x.Modes {
			modes = append(modes, modeWord(l, m))
		}
		fact("fact.works", strings.Join(modes, ", "))
		if len(x.Locations) > 0 {
			fact("fact.onsite", officeList(x.Locations))
		}
		if len(x.Skills) > 0 {
			fact("fact.skills", words(x.Skills))
		}
	}
	return nil
}

// personBookings lists the active bookings of the person or room in
// [from, to), with who else takes part.
func (h *Handler) personBookings(l string, ctx context.Context, d *personData, c *clock, names map[string]string, from, to time.Time) error {
	uses, err := h.store.PersonUses(ctx, d.Kind, d.ID, from, to)
	if err != nil {
		return err
	}
	var rooms, ivrs, itps []string
	for _, u := range uses {
		rooms, ivrs, itps = append(rooms, u.Room), append(ivrs, u.Interviewer), append(itps, u.Interpreter)
	}
	people, err := h.store.DisplayNames(ctx, rooms, ivrs, itps)
	if err != nil {
		return err
	}
	name := func(kind, id string) string {
		if n, ok := people[kind+"/"+id]; ok {
			return n
		}
		return id
	}
	for _, u := range uses {
		pb := personBooking{ID: u.Booking, Interview: u.Interview, Lang: u.Language, Room: name("room", u.Room)}
		pb.When = when(l, solver.FormatInstant(u.Start, c.loc), solver.FormatInstant(u.End, c.loc), c.loc)
		pb.Office = names[u.Location]
		switch d.Kind {
		case "room":
			pb.Who = name("interviewer", u.Interviewer)
			if u.Interpreter != "" {
				pb.Who += ", " + name("interpreter", u.Interpreter)
			}
		case "interviewer":
			pb.Who = name("interpreter", u.Interpreter)
		case "interpreter":
			pb.Who = name("interviewer", u.Interviewer)
		}
		d.Bookings = append(d.Bookings, pb)
	}
	return nil
}

// personAbsences lists the person's absences that end after from.
func (h *Handler) personAbsences(ctx context.Context, l string, d *personData, c *clock, from time.Time) error {
	owner, ok := resources.AbsenceOwnerOf(d.Kind)
	if !ok {
		return nil
	}
	abs, err := h.store.Absences(ctx, owner, d.ID)
	if err != nil {
		return err
	}
	for _, a := range abs {
		s, err1 := solver.ParseInstant(a.Start)
		e, err2 := solver.ParseInstant(a.End)
		if err1 != nil || err2 != nil || !e.After(from) {
			continue
		}
		d.Absences = append(d.Absences, i18n.FormatWhen(l, s.In(c.loc))+" – "+i18n.FormatWhen(l, e.In(c.loc)))
	}
	return nil
}

// personFeeds lists the live calendar links of the person or room.
func (h *Handler) personFeeds(ctx context.Context, l string, d *personData, c *clock) error {
	feeds, err := h.store.FeedTokens(ctx, d.Kind, d.ID)
	if err != nil {
		return err
	}
	for _, f := range feeds {
		fv := feedView{ID: f.ID, Created: localStamp(l, f.CreatedAt, c.loc), By: f.CreatedBy}
		if f.RotatedAt != nil {
			fv.Rotated = localStamp(l, *f.RotatedAt, c.loc)
		}
		if f.LastUsedAt != nil {
			fv.LastUsed = localStamp(l, *f.LastUsedAt, c.loc)
		}
		d.Feeds = append(d.Feeds, fv)
	}
	return nil
}

// feedURL is the subscription link of a feed token.
func (h *Handler) feedURL(r *http.Request, token string) string {
	return page.FeedURL(r, h.proxies, h.feedBase, token)
}

func (h *Handler) feedCreate(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	kind, id := chi.URLParam(r, "kind"), chi.URLParam(r, "id")
	if !personKinds[kind] {
		return "", errs.E(errs.NotFound, "%s", v.T("err.nokind"))
	}
	token, f, err := h.booking.CreateFeed(r.Context(), kind, id, sessionFrom(r.Context()).Name)
	if err != nil {
		return "", err
	}
	keepNewLink(w, r, f.ID, h.feedURL(r, token))
	h.seeOther(w, r, personPath(r), v.T("flash.feed.made"))
	return "", nil
}

func (h *Handler) feedOf(r *http.Request) (int64, error) {
	kind, id := chi.URLParam(r, "kind"), chi.URLParam(r, "id")
	n, err := page.PathID(r, "feed", "subscription")
	if err != nil {
		return 0, err
	}
	feeds, err := h.store.FeedTokens(r.Context(), kind, id)
	if err != nil {
		return 0, err
	}
	for _, f := range feeds {
		if f.ID == n {
			return n, nil
		}
	}
	return 0, errs.E(errs.NotFound, "%s", staffT(staffLocale(r), "err.nofeed"))
}

func (h *Handler) feedRotate(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	n, err := h.feedOf(r)
	if err != nil {
		return "", err
	}
	token, _, err := h.booking.RotateFeed(r.Context(), n)
	if err != nil {
		return "", err
	}
	keepNewLink(w, r, n, h.feedURL(r, token))
	h.seeOther(w, r, personPath(r), v.T("flash.feed.rotated"))
	return "", nil
}

func (h *Handler) feedRevoke(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	n, err := h.feedOf(r)
	if err != nil {
		return "", err
	}
	if r.PostFormValue("confirm") != "yes" {
		return "", errs.E(errs.Invalid, "%s", v.T("rej.revoke"))
	}
	if err := h.booking.RevokeFeed(r.Context(), n); err != nil {
		return "", err
	}
	h.seeOther(w, r, personPath(r), v.T("flash.feed.revoked"))
	return "", nil
}

// personPath is the page of the person or room of the request's route.
func personPath(r *http.Request) string {
	return "/people/" + chi.URLParam(r, "kind") + "/" + chi.URLParam(r, "id")
}
