package web

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/solver"
)

// personDays is how far ahead a person's page lists bookings.
const personDays = 28

type personBooking struct {
	ID                                       int64
	When, Interview, Lang, Room, Office, Who string
}

type personData struct {
	Kind, ID, Title string
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
}

type feedView struct {
	ID                   int64
	Created, By, Rotated string
	LastUsed             string
}

var personKinds = map[string]string{"room": "Room", "interviewer": "Interviewer", "interpreter": "Interpreter"}

func (h *Handler) person(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	return h.renderPerson(w, r, v, "", 0)
}

func (h *Handler) renderPerson(w http.ResponseWriter, r *http.Request, v *view, newURL string, newFor int64) (string, error) {
	ctx := r.Context()
	kind, id := chi.URLParam(r, "kind"), chi.URLParam(r, "id")
	label, ok := personKinds[kind]
	if !ok {
		return "", errs.E(errs.NotFound, "There is no page for %q.", kind)
	}
	c, err := h.clock(ctx)
	if err != nil {
		return "", err
	}
	names, err := h.officeNames(ctx)
	if err != nil {
		return "", err
	}
	d := personData{Kind: kind, ID: id, Title: label + " " + id, Week: monday(c.ref).String()}
	if err := h.personFacts(v.L, ctx, &d, names); err != nil {
		return "", err
	}
	from, to := c.ref.Midnight(c.loc), (c.ref + personDays).Midnight(c.loc)
	d.From, d.To = longDate(v.L, c.ref), longDate(v.L, c.ref+personDays-1)
	if err := h.personBookings(v.L, ctx, &d, c, names, from, to); err != nil {
		return "", err
	}
	if kind != "room" {
		if err := h.personAbsences(ctx, &d, c, from); err != nil {
			return "", err
		}
	}
	if err := h.personFeeds(ctx, &d, c); err != nil {
		return "", err
	}
	d.CanManage = sessionFrom(ctx).Manager()
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
	words := func(xs []string) string { return strings.ReplaceAll(strings.Join(xs, ", "), "_", " ") }
	switch d.Kind {
	case "room":
		x, err := h.db.Room(ctx, d.ID)
		if err != nil {
			return err
		}
		d.Office = x.Location
		d.Facts = append(d.Facts, need{"Office", officeList([]string{x.Location})})
		if len(x.Features) > 0 {
			d.Facts = append(d.Facts, need{"Features", words(x.Features)})
		}
		if !x.Active {
			d.Facts = append(d.Facts, need{"Active", "no"})
		}
	case "interviewer":
		x, err := h.db.Interviewer(ctx, d.ID)
		if err != nil {
			return err
		}
		d.Office = x.Location
		d.Facts = append(d.Facts, need{"Office", officeList([]string{x.Location})})
		if len(x.Languages) > 0 {
			d.Facts = append(d.Facts, need{"Languages", langs(x.Languages)})
		}
		if len(x.Skills) > 0 {
			d.Facts = append(d.Facts, need{"Skills", words(x.Skills)})
		}
	case "interpreter":
		x, err := h.db.Interpreter(ctx, d.ID)
		if err != nil {
			return err
		}
		if len(x.Locations) > 0 {
			d.Office = x.Locations[0]
		}
		d.Facts = append(d.Facts, need{"Languages", langs(x.Languages)})
		var modes []string
		for _, m := range x.Modes {
			modes = append(modes, modeWord(l, m))
		}
		d.Facts = append(d.Facts, need{"Works", strings.Join(modes, ", ")})
		if len(x.Locations) > 0 {
			d.Facts = append(d.Facts, need{"On site at", officeList(x.Locations)})
		}
		if len(x.Skills) > 0 {
			d.Facts = append(d.Facts, need{"Skills", words(x.Skills)})
		}
	}
	return nil
}

// personBookings lists the active bookings of the person or room in
// [from, to), with who else takes part.
func (h *Handler) personBookings(l string, ctx context.Context, d *personData, c *clock, names map[string]string, from, to time.Time) error {
	uses, err := h.db.PersonUses(ctx, d.Kind, d.ID, from, to)
	if err != nil {
		return err
	}
	for _, u := range uses {
		pb := personBooking{ID: u.Booking, Interview: u.Interview, Lang: u.Language, Room: u.Room}
		pb.When = when(l, solver.FormatInstant(u.Start, c.loc), solver.FormatInstant(u.End, c.loc), c.loc)
		pb.Office = names[u.Location]
		switch d.Kind {
		case "room":
			pb.Who = u.Interviewer
			if u.Interpreter != "" {
				pb.Who += ", " + u.Interpreter
			}
		case "interviewer":
			pb.Who = u.Interpreter
		case "interpreter":
			pb.Who = u.Interviewer
		}
		d.Bookings = append(d.Bookings, pb)
	}
	return nil
}

// personAbsences lists the person's absences that end after from.
func (h *Handler) personAbsences(ctx context.Context, d *personData, c *clock, from time.Time) error {
	abs, err := h.db.Absences(ctx, d.Kind+"s", d.ID)
	if err != nil {
		return err
	}
	for _, a := range abs {
		s, err1 := solver.ParseInstant(a.Start)
		e, err2 := solver.ParseInstant(a.End)
		if err1 != nil || err2 != nil || !e.After(from) {
			continue
		}
		d.Absences = append(d.Absences, s.In(c.loc).Format("Mon 2 Jan 2006 15:04")+" – "+e.In(c.loc).Format("Mon 2 Jan 2006 15:04"))
	}
	return nil
}

// personFeeds lists the live calendar links of the person or room.
func (h *Handler) personFeeds(ctx context.Context, d *personData, c *clock) error {
	feeds, err := h.db.FeedTokens(ctx, d.Kind, d.ID)
	if err != nil {
		return err
	}
	for _, f := range feeds {
		fv := feedView{ID: f.ID, Created: localStamp(f.CreatedAt, c.loc), By: f.CreatedBy}
		if f.RotatedAt != nil {
			fv.Rotated = localStamp(*f.RotatedAt, c.loc)
		}
		if f.LastUsedAt != nil {
			fv.LastUsed = localStamp(*f.LastUsedAt, c.loc)
		}
		d.Feeds = append(d.Feeds, fv)
	}
	return nil
}

// feedURL is the subscription link of a feed token.
func (h *Handler) feedURL(r *http.Request, token string) string {
	base := h.cfg.FeedBaseURL
	if base == "" {
		scheme := "http"
		if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
			scheme = "https"
		}
		base = scheme + "://" + r.Host
	}
	return strings.TrimRight(base, "/") + "/feeds/" + token + ".ics"
}

func (h *Handler) feedCreate(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	kind, id := chi.URLParam(r, "kind"), chi.URLParam(r, "id")
	if _, ok := personKinds[kind]; !ok {
		return "", errs.E(errs.NotFound, "There is no page for %q.", kind)
	}
	token, f, err := h.db.CreateFeedToken(r.Context(), kind, id, sessionFrom(r.Context()).Name)
	if err != nil {
		return "", err
	}
	v.Flash = "Subscription link made. Copy it now: it is shown only once."
	return h.renderPerson(w, r, v, h.feedURL(r, token), f.ID)
}

func (h *Handler) feedOf(r *http.Request) (int64, error) {
	kind, id := chi.URLParam(r, "kind"), chi.URLParam(r, "id")
	n, err := pathID(r, "feed", "subscription")
	if err != nil {
		return 0, err
	}
	feeds, err := h.db.FeedTokens(r.Context(), kind, id)
	if err != nil {
		return 0, err
	}
	for _, f := range feeds {
		if f.ID == n {
			return n, nil
		}
	}
	return 0, errs.E(errs.NotFound, "There is no live subscription %d of %s %s.", n, kind, id)
}

func (h *Handler) feedRotate(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	n, err := h.feedOf(r)
	if err != nil {
		return "", err
	}
	token, _, err := h.db.RotateFeedToken(r.Context(), n)
	if err != nil {
		return "", err
	}
	v.Flash = "New subscription link made; the old one stopped working. Copy it now: it is shown only once."
	return h.renderPerson(w, r, v, h.feedURL(r, token), n)
}

func (h *Handler) feedRevoke(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	n, err := h.feedOf(r)
	if err != nil {
		return "", err
	}
	if err := h.db.RevokeFeedToken(r.Context(), n); err != nil {
		return "", err
	}
	h.seeOther(w, r, "/people/"+chi.URLParam(r, "kind")+"/"+chi.URLParam(r, "id"), "The subscription link was revoked: calendars using it stop updating.")
	return "", nil
}
