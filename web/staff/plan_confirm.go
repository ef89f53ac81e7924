package staff

import (
	"context"
	"net/http"
	"slices"

	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

// plan_confirm.go is the step between a manager's Accept and the bookings:
// the plan page first says what accepting will do (new bookings, bookings
// moved, bookings the plan could not keep, how many people get a message)
// and asks to confirm.

// planConfirm is what accepting the chosen part of a plan will do.
type planConfirm struct {
	All     bool     // every proposal, or
	Items   []string // the ticked ones
	New     int      // interviews booked
	Moved   int      // bookings moved
	Dropped int      // bookings the plan could not keep: accepting leaves them as they are
	People  int      // interpreters, counsel and representatives who get a message
}

// confirmed reports whether the accept form is the confirmation.
func confirmed(r *http.Request) bool { return r.PostFormValue("confirm") == "1" }

// planPreview counts what accepting items (nil: all) of the plan does.
// People are counted once however many of their interviews change, as
// the booking mails go (internal/postgres/mail.go, bookingMails): a new
// booking tells its interpreter and parties; a move tells the parties when
// the time or room changes, and the interpreters taken off, put on, or
// kept when the time, room or mode changes.
func (h *Handler) planPreview(ctx context.Context, p *resources.Plan, items []string) (*planConfirm, error) {
	res := p.Result
	c := &planConfirm{All: items == nil, Items: items, Dropped: len(res.Diff.Dropped)}
	chosen := func(iv string) bool { return items == nil || slices.Contains(items, iv) }
	assigned := map[string]solver.Assignment{}
	for _, a := range res.Assignments {
		assigned[a.Interview] = a
	}
	interpreters, parties := map[string]bool{}, map[string]bool{}
	addParties := func(iv string) error {
		x, err := h.store.Interview(ctx, iv)
		if err != nil {
			return err
		}
		for _, id := range x.Parties {
			parties[id] = true
		}
		return nil
	}
	for _, iv := range res.Diff.New {
		if !chosen(iv) {
			continue
		}
		c.New++
		if t := assigned[iv].Interpreter; t != "" {
			interpreters[t] = true
		}
		if err := addParties(iv); err != nil {
			return nil, err
		}
	}
	for _, m := range res.Diff.Moved {
		if !chosen(m.Interview) || m.After == nil {
			continue
		}
		c.Moved++
		b, a := m.Before, *m.After
		moved := b.Start != a.Start || b.Room != a.Room
		if b.Interpreter != "" && b.Interpreter != a.Interpreter {
			interpreters[b.Interpreter] = true
		}
		if a.Interpreter != "" && (a.Interpreter != b.Interpreter || moved || a.Mode != b.Mode) {
			interpreters[a.Interpreter] = true
		}
		if moved {
			if err := addParties(m.Interview); err != nil {
				return nil, err
			}
		}
	}
	c.People = len(interpreters) + len(parties)
	return c, nil
}
