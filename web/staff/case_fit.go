package staff

import (
	"context"
	"strings"

	"github.com/asylum-scheduling/interviews/capacity"
	"github.com/asylum-scheduling/interviews/internal/i18n"
	"github.com/asylum-scheduling/interviews/solver"
)

// case_fit.go says, when nothing fits a case, why and when it first would:
// capacity.FitOf on the state from the first planning day through FitWeeks
// weeks past the deadline, the computation the shortage page shares.

// caseFit is when the interview of cs would first fit and why not sooner;
// nil when the state does not hold it (its window is closed).
func (h *Handler) caseFit(ctx context.Context, cs *caseSubject) (*capacity.Fit, error) {
	end := capacity.FitSearchEnd(&cs.iv.Interview, cs.c.ref)
	in, err := h.store.Export(ctx, cs.c.ref.String(), end.String())
	if err != nil {
		return nil, err
	}
	return capacity.FitOf(in, cs.c.ref, cs.iv.ID)
}

// fitWords words a fit in the page's language: why nothing fits before
// the first fit (or at all), and the first fit against the deadline.
func fitWords(l string, f *capacity.Fit) (reason, first string) {
	lang := langOnly(l, f.Language)
	until := ""
	if f.First != 0 {
		until = dateOfString(l, f.First.String())
	}
	switch {
	case f.Speakers > 0 && f.Qualified == 0 && len(f.Needs) > 0:
		needs := make([]string, len(f.Needs))
		for i, n := range f.Needs {
			needs[i] = staffT(l, "fit.need."+n)
		}
		reason = staffT(l, "fit.nonemay", lang, strings.Join(needs, ", "))
	case f.Reason == solver.ReasonNoInterpreterLanguage:
		reason = staffT(l, "fit.nolanguage", lang)
	case f.Reason == solver.ReasonNoInterpreterAvailable && until != "":
		reason = staffT(l, "fit.nointerp.before", lang, until)
	case f.Reason == solver.ReasonNoInterpreterAvailable:
		reason = staffT(l, "fit.nointerp", lang)
	case until != "":
		reason = staffT(l, "fit.before", reasonWord(l, f.Reason), until)
	default:
		reason = reasonWord(l, f.Reason)
	}
	return reason, firstFitWords(l, f, until)
}

// firstFitWords is the sentence on the first fit: its date against the
// deadline, or how far the search went.
func firstFitWords(l string, f *capacity.Fit, until string) string {
	searched := dateOfString(l, f.SearchedTo.String())
	switch {
	case f.First != 0 && f.DaysLate() > 0:
		n := f.DaysLate()
		return staffT(l, "fit.first.late", until, i18n.Staff.N(l, "fit.daysafter", n, i18n.CountWord(l, n)))
	case f.First != 0 && f.Deadline != 0:
		return staffT(l, "fit.first.intime", until)
	case f.First != 0:
		return staffT(l, "fit.first", until)
	case f.Deadline != 0 && f.SearchedTo > f.Deadline:
		days := int(f.SearchedTo - f.Deadline)
		past := i18n.Staff.N(l, "fit.daysafter", days, i18n.CountWord(l, days))
		if days%7 == 0 {
			past = i18n.Staff.N(l, "fit.weeksafter", days/7, i18n.CountWord(l, days/7))
		}
		return staffT(l, "fit.none", searched, past)
	}
	return staffT(l, "fit.none.nodeadline", searched)
}
