package staff

import (
	"context"
	"strings"
	"time"

	"github.com/asylum-scheduling/interviews/internal/i18n"
	"github.com/asylum-scheduling/interviews/solver"
)

// tradeoffs.go says how each option differs from the first: day, office,
// interpreting mode and the interpreter's cost.

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
			x, err := h.store.Interpreter(ctx, o.Interpreter)
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
