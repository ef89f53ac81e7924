package staff

import (
	"context"
	"strings"
	"time"

	"github.com/asylum-scheduling/interviews/internal/i18n"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

// move_compare.go says how each time a booked interview could move to
// differs from the booking it has: "a day later, same room", "same time,
// another interpreter, €9 less".

// compareWithBooking gives each option of a booked interview one sentence
// comparing it with the current booking b: the time, the office or room,
// the interviewer, the interpreter, the mode and the interpreter's cost.
func (h *Handler) compareWithBooking(ctx context.Context, l string, b *resources.Booking, officeID string, opts []optionView,
	minutes int, loc *time.Location) error {
	cost := -1
	if b.Interpreter == "" {
		cost = 0
	} else {
		x, err := h.store.Interpreter(ctx, b.Interpreter)
		if err != nil {
			return err
		}
		if x.CostPerHour != nil {
			cost = (x.CostPerHour.Rate(b.Mode)*minutes + 30) / 60
		}
	}
	bs, err := solver.ParseInstant(b.Start)
	if err != nil {
		return err
	}
	for i := range opts {
		o := &opts[i]
		os, err := solver.ParseInstant(o.Start)
		if err != nil {
			return err
		}
		parts := []string{timeAgainst(l, os, bs, loc)}
		switch {
		case o.OfficeID != officeID:
			parts = append(parts, staffT(l, "cmp.office", o.Office))
		case o.Room == b.Room:
			parts = append(parts, staffT(l, "cmp.sameroom"))
		default:
			parts = append(parts, staffT(l, "cmp.room"))
		}
		if o.Interviewer != b.Interviewer {
			parts = append(parts, staffT(l, "cmp.interviewer"))
		}
		if o.Interpreter != b.Interpreter && o.Interpreter != "" {
			parts = append(parts, staffT(l, "cmp.interpreter"))
		}
		if o.RawMode != b.Mode {
			parts = append(parts, staffT(l, "to.mode", staffT(l, "noun."+nounKey(o.RawMode)), staffT(l, "noun."+nounKey(b.Mode))))
		}
		if o.Euros >= 0 && cost >= 0 {
			switch diff := o.Euros - cost; {
			case diff > 0:
				parts = append(parts, staffT(l, "to.more", i18n.Money(l, diff)))
			case diff < 0:
				parts = append(parts, staffT(l, "to.less", i18n.Money(l, -diff)))
			}
		}
		o.Tradeoff = staffT(l, "cmp.against", strings.Join(parts, ", "))
	}
	return nil
}

// timeAgainst words the start t against the start ref: "the same time",
// "later the same day", "a day later", "2 days earlier".
func timeAgainst(l string, t, ref time.Time, loc *time.Location) string {
	days := int(solver.DateOf(t, loc) - solver.DateOf(ref, loc))
	switch {
	case days == 0 && t.Equal(ref):
		return staffT(l, "to.same")
	case days == 0 && t.After(ref):
		return staffT(l, "to.later")
	case days == 0:
		return staffT(l, "to.earlier")
	case days > 0:
		return i18n.Staff.N(l, "to.days.later", days, i18n.CountWord(l, days))
	}
	return i18n.Staff.N(l, "to.days.earlier", -days, i18n.CountWord(l, -days))
}
