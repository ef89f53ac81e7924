package staff

import (
	"context"
	"sort"
	"time"

	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/scheduler"
	"github.com/asylum-scheduling/interviews/solver"
)

// case_proposals.go filters the times a booked interview could move to by
// the other times its counsel (or representative) proposed with a request
// for another time (party_answers.proposals): "only the times the counsel
// proposed".

// proposalsView is the filter on a booked case's page: how many times the
// parties proposed, in words, whether the list shows only those, and
// whether none of them fits.
type proposalsView struct {
	Count    int
	Words    []string
	On       bool
	NoneFits bool
}

// noonHour splits a day into the parts a party may propose: a morning
// option starts before it, an afternoon one at or after it.
const noonHour = 12

// caseProposals reads the open proposals of the booking b and, with the
// filter on, puts in place of the options the times on the proposed days
// and parts of days that fit, best first.
func (h *Handler) caseProposals(ctx context.Context, l string, cs *caseSubject, b *resources.Booking, on bool, d *caseData) error {
	if b == nil {
		return nil
	}
	ps, err := h.store.OpenProposals(ctx, b.ID)
	if err != nil || len(ps) == 0 {
		return err
	}
	pv := &proposalsView{Count: len(ps), On: on}
	for _, p := range ps {
		pv.Words = append(pv.Words, staffT(l, "prop.when", dateOfString(l, p.Date), staffT(l, "prop.part."+p.Part)))
	}
	d.Proposals = pv
	if !on {
		return nil
	}
	opts, err := h.proposedOptions(ctx, cs, b, ps)
	if err != nil {
		return err
	}
	d.Options, d.NoOption, d.FirstFit, d.Earliest, d.WhatIf = nil, "", "", "", ""
	for _, o := range opts {
		ov := viewOption(l, o.Suggestion, cs.c.loc, cs.offices)
		ov.ID, ov.Rank = o.ID, len(d.Options)+1
		d.Options = append(d.Options, ov)
	}
	pv.NoneFits = len(d.Options) == 0
	return nil
}

// proposedOptions are the options on the proposed days, in the proposed
// parts of them, other than the booking itself, each once, best first.
func (h *Handler) proposedOptions(ctx context.Context, cs *caseSubject, b *resources.Booking, ps []resources.TimeProposal) ([]scheduler.Option, error) {
	var out []scheduler.Option
	seen := map[string]bool{}
	for _, p := range ps {
		ans, err := h.booking.Suggest(ctx, scheduler.SuggestRequest{InterviewID: cs.iv.ID, K: scheduler.MaxK, From: p.Date, To: p.Date})
		if err != nil {
			return nil, err
		}
		for _, o := range ans.Suggestions {
			if seen[o.ID] || sameAsBooking(o.Suggestion, b) || !inPart(o.Start, p.Part, cs.c.loc) {
				continue
			}
			seen[o.ID] = true
			out = append(out, o)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		x, y := out[i].Delta, out[j].Delta
		if x.Medium != y.Medium {
			return x.Medium < y.Medium
		}
		if x.Soft != y.Soft {
			return x.Soft < y.Soft
		}
		return out[i].Start < out[j].Start
	})
	return out[:min(len(out), suggestionsShown)], nil
}

// inPart reports whether an option starting at start (RFC 3339) lies in
// the part of the day proposed: the morning starts before noon, the
// afternoon at or after it, the day any time.
func inPart(start, part string, loc *time.Location) bool {
	t, err := solver.ParseInstant(start)
	if err != nil {
		return false
	}
	switch part {
	case resources.PartMorning:
		return t.In(loc).Hour() < noonHour
	case resources.PartAfternoon:
		return t.In(loc).Hour() >= noonHour
	}
	return true
}
