package scheduler

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

// RuleError says that an explicit assignment breaks hard rules of the spec:
// which ones, and why (the checker's sentences).
type RuleError struct {
	Violations []solver.Violation
}

func (e *RuleError) Error() string { return "unprocessable: " + e.message() }

func (e *RuleError) message() string {
	if len(e.Violations) == 0 {
		return "the assignment breaks a rule"
	}
	v := e.Violations[0]
	msg := fmt.Sprintf("the assignment breaks rule %d: %s", v.Rule, v.Message)
	if n := len(e.Violations) - 1; n > 0 {
		msg += fmt.Sprintf(" (and %d more)", n)
	}
	return msg
}

// Unwrap gives the error its code.
func (e *RuleError) Unwrap() error {
	return &errs.Error{Code: errs.Unprocessable, Message: e.message()}
}

// Result is what a booking change did; Replayed when an idempotency key
// answered with the stored result of an earlier request.
type Result struct {
	Booking  *resources.Booking
	Replayed bool
}

// ChangeRequest reschedules or cancels a booking.
type ChangeRequest struct {
	BookingID      int64
	SuggestionID   string
	Assignment     *solver.Assignment
	Pinned         *bool // nil: as it was
	Actor          string
	Reason         string
	IdempotencyKey string
	Source         string                   // SourceAPI (default), SourceWeb or SourcePlan: for the metrics
	Origin         *resources.BookingOrigin // as BookRequest.Origin
}

func (s *Service) book(ctx context.Context, req BookRequest) (*resources.Booking, error) {
	r, err := s.BookResult(ctx, req)
	if err != nil {
		return nil, err
	}
	return r.Booking, nil
}

// BookResult is Book, telling also whether the answer was replayed for an
// idempotency key.
func (s *Service) BookResult(ctx context.Context, req BookRequest) (*Result, error) {
	if err := checkReason(req.Reason); err != nil {
		return nil, err
	}
	a, fromSuggestion, rank, err := s.resolve(req.InterviewID, req.SuggestionID, req.Assignment)
	if err != nil {
		return nil, err
	}
	p, err := placement(a)
	if err != nil {
		return nil, err
	}
	origin := originOf(req.Origin, fromSuggestion, rank, req.Reason)
	c := postgres.Change{Action: resources.ActionBooked, Interview: req.InterviewID, Place: p, Pinned: req.Pinned,
		Actor: req.Actor, Reason: req.Reason, Now: s.now(), Check: s.checker(fromSuggestion, origin), AnswerDue: AnswerDue, Origin: origin}
	if req.IdempotencyKey != "" {
		c.Idem = &postgres.Idem{Key: req.IdempotencyKey, Hash: requestHash("book", req.InterviewID, req.SuggestionID, a, &req.Pinned, req.Reason)}
	}
	res, err := s.db.Apply(ctx, c)
	if err != nil {
		return nil, s.withAlternatives(ctx, req.InterviewID, err)
	}
	if !res.Replayed {
		s.obs.Changed(resources.ActionBooked, source(req.Source))
	}
	return &Result{Booking: res.Booking, Replayed: res.Replayed}, nil
}

// Reschedule moves a booking (same id; its sequence grows) to a suggested or
// an explicit option, checked as a new booking is.
func (s *Service) Reschedule(ctx context.Context, req ChangeRequest) (*Result, error) {
	if err := checkReason(req.Reason); err != nil {
		return nil, err
	}
	old, err := s.db.Booking(ctx, req.BookingID)
	if err != nil {
		return nil, err
	}
	a, fromSuggestion, rank, err := s.resolve(old.Interview, req.SuggestionID, req.Assignment)
	if err != nil {
		return nil, err
	}
	p, err := placement(a)
	if err != nil {
		return nil, err
	}
	pinned := old.Pinned
	if req.Pinned != nil {
		pinned = *req.Pinned
	}
	origin := originOf(req.Origin, fromSuggestion, rank, req.Reason)
	c := postgres.Change{Action: resources.ActionRescheduled, BookingID: req.BookingID, Place: p, Pinned: pinned,
		Actor: req.Actor, Reason: req.Reason, Now: s.now(), Check: s.checker(fromSuggestion, origin), AnswerDue: AnswerDue, Origin: origin}
	if req.IdempotencyKey != "" {
		c.Idem = &postgres.Idem{Key: req.IdempotencyKey, Hash: requestHash(fmt.Sprintf("reschedule %d", req.BookingID), old.Interview, req.SuggestionID, a, req.Pinned, req.Reason)}
	}
	res, err := s.db.Apply(ctx, c)
	if err != nil {
		return nil, s.withAlternatives(ctx, old.Interview, err)
	}
	if !res.Replayed {
		s.obs.Changed(resources.ActionRescheduled, source(req.Source))
	}
	return &Result{Booking: res.Booking, Replayed: res.Replayed}, nil
}

// RescheduleAll moves several bookings in one transaction, all or none,
// each checked as Reschedule checks one: for swaps and cycles, where no move
// can go first.
func (s *Service) RescheduleAll(ctx context.Context, reqs []ChangeRequest) error {
	cs := make([]postgres.Change, 0, len(reqs))
	for _, req := range reqs {
		if err := checkReason(req.Reason); err != nil {
			return err
		}
		old, err := s.db.Booking(ctx, req.BookingID)
		if err != nil {
			return err
		}
		a, fromSuggestion, rank, err := s.resolve(old.Interview, req.SuggestionID, req.Assignment)
		if err != nil {
			return err
		}
		p, err := placement(a)
		if err != nil {
			return err
		}
		origin := originOf(req.Origin, fromSuggestion, rank, req.Reason)
		c := postgres.Change{Action: resources.ActionRescheduled, BookingID: req.BookingID, Place: p, Pinned: old.Pinned,
			Actor: req.Actor, Reason: req.Reason, Now: s.now(), Check: s.checker(fromSuggestion, origin), AnswerDue: AnswerDue, Origin: origin}
		if req.IdempotencyKey != "" {
			c.Idem = &postgres.Idem{Key: req.IdempotencyKey, Hash: requestHash(fmt.Sprintf("reschedule %d", req.BookingID), old.Interview, req.SuggestionID, a, req.Pinned, req.Reason)}
		}
		cs = append(cs, c)
	}
	res, err := s.db.ApplyAll(ctx, cs)
	if err != nil {
		return err
	}
	for i, r := range res {
		if !r.Replayed {
			s.obs.Changed(resources.ActionRescheduled, source(reqs[i].Source))
		}
	}
	return nil
}

// Cancel cancels a booking: the row stays, cancelled, its resources are
// freed and the interview is pending again. A reason is required.
func (s *Service) Cancel(ctx context.Context, req ChangeRequest) (*Result, error) {
	if strings.TrimSpace(req.Reason) == "" {
		return nil, errs.Field("reason", "a reason is required")
	}
	if err := checkReason(req.Reason); err != nil {
		return nil, err
	}
	if req.SuggestionID != "" || req.Assignment != nil {
		return nil, errs.E(errs.Invalid, "a cancellation takes only a reason")
	}
	c := postgres.Change{Action: resources.ActionCancelled, BookingID: req.BookingID, Actor: req.Actor, Reason: req.Reason, Now: s.now()}
	if req.IdempotencyKey != "" {
		c.Idem = &postgres.Idem{Key: req.IdempotencyKey, Hash: requestHash(fmt.Sprintf("cancel %d", req.BookingID), "", "", nil, nil, req.Reason)}
	}
	res, err := s.db.Apply(ctx, c)
	if err != nil {
		return nil, err
	}
	if !res.Replayed {
		s.obs.Changed(resources.ActionCancelled, source(req.Source))
	}
	return &Result{Booking: res.Booking, Replayed: res.Replayed}, nil
}

// Audit lists the audit trail of an interview or, with bookingID, of a booking.
func (s *Service) Audit(ctx context.Context, interview string, bookingID int64) ([]resources.AuditEntry, error) {
	return s.db.Audit(ctx, interview, bookingID)
}

// ClearExpired deletes expired holds and idempotency keys (for a scheduled
// job; expired holds block nothing already).
func (s *Service) ClearExpired(ctx context.Context) (holds, keys int64, err error) {
	return s.db.ClearExpired(ctx, s.now())
}

// resolve returns the assignment a request asks for: the suggestion's
// (verified) or the explicit one (checked for form).
func (s *Service) resolve(interview, suggestionID string, explicit *solver.Assignment) (*solver.Assignment, bool, int, error) {
	switch {
	case suggestionID != "" && explicit != nil:
		return nil, false, 0, errs.Field("suggestion_id", "give either suggestion_id or an explicit start, room, interviewer, interpreter and mode, not both")
	case suggestionID != "":
		a, rank, err := s.parseSuggestion(suggestionID)
		if err != nil {
			return nil, false, 0, err
		}
		if a.Interview != interview {
			return nil, false, 0, errs.Field("suggestion_id", fmt.Sprintf("the suggestion is for interview %s, not %s", a.Interview, interview))
		}
		return a, true, rank, nil
	case explicit == nil:
		return nil, false, 0, errs.WithFields("say what to book: a suggestion_id, or start, room, interviewer, interpreter and mode",
			[]errs.FieldError{{Path: "suggestion_id", Message: "required unless start, room, interviewer and mode are given"}})
	}
	a := *explicit
	a.Interview = interview
	var probs []errs.FieldError
	need := func(path, v string) {
		if strings.TrimSpace(v) == "" {
			probs = append(probs, errs.FieldError{Path: path, Message: "is required"})
		}
	}
	need("start", a.Start)
	need("room", a.Room)
	need("interviewer", a.Interviewer)
	need("mode", a.Mode)
	if a.Start != "" {
		if _, err := solver.ParseInstant(a.Start); err != nil {
			probs = append(probs, errs.FieldError{Path: "start", Message: err.Error()})
		}
	}
	switch a.Mode {
	case "", solver.ModeOnsite, solver.ModeRemote:
		if a.Mode != "" && a.Interpreter == "" {
			probs = append(probs, errs.FieldError{Path: "interpreter", Message: "is required when mode is " + a.Mode})
		}
	case solver.ModeNone:
		if a.Interpreter != "" {
			probs = append(probs, errs.FieldError{Path: "interpreter", Message: "must be absent when mode is none"})
		}
	default:
		probs = append(probs, errs.FieldError{Path: "mode", Message: fmt.Sprintf("unknown mode %q (onsite, remote or none)", a.Mode)})
	}
	if len(probs) > 0 {
		return nil, false, 0, errs.WithFields("the assignment is incomplete", probs)
	}
	return &a, false, 0, nil
}

func placement(a *solver.Assignment) (*postgres.Placement, error) {
	t, err := solver.ParseInstant(a.Start)
	if err != nil {
		return nil, errs.Field("start", err.Error())
	}
	return &postgres.Placement{Start: t, Room: a.Room, Interviewer: a.Interviewer, Interpreter: a.Interpreter, Mode: a.Mode}, nil
}

func requestHash(op, interview, suggestionID string, a *solver.Assignment, pinned *bool, reason string) []byte {
	var fields []any = []any{op, interview, suggestionID, pinned, reason}
	if a != nil && suggestionID == "" {
		fields = append(fields, a.Start, a.Room, a.Interviewer, a.Interpreter, a.Mode)
	}
	b, _ := json.Marshal(fields)
	h := sha256.Sum256(b)
	return h[:]
}

// checker returns the rule check run inside a change's transaction: every
// hard rule, for the new assignment against the bookings and live holds of
// its day that share a resource with it. A broken rule is a conflict for an
// option that was suggested (the state changed since) and for a resource
// taken (rule 6); otherwise the explicit assignment is unprocessable.
//
// A placement by hand (origin's kind hand) that keeps the rules gets the
// soft objectives it worsens in origin.Rules, for the automation report.
func (s *Service) checker(fromSuggestion bool, origin *resources.BookingOrigin) func(*postgres.CheckInput) error {
	return func(ci *postgres.CheckInput) error {
		if ci.Instance.Horizon.Start == "" || ci.Instance.Horizon.End == "" {
			return errs.E(errs.Unprocessable, "no planning horizon is stored: set it in the settings first")
		}
		vs, worse, err := newViolations(ci)
		if err != nil {
			return errs.Wrap(err, errs.Internal, "")
		}
		if len(vs) == 0 {
			if origin != nil && origin.Kind == resources.OriginHand {
				origin.Rules = worse
			}
			return nil
		}
		rule6 := true
		for _, v := range vs {
			rule6 = rule6 && v.Rule == 6
		}
		if fromSuggestion || rule6 {
			return &ConflictError{Resource: resourceOf(vs[0], ci.New), Message: "the option is no longer possible: " + vs[0].Message}
		}
		return &RuleError{Violations: vs}
	}
}

// newViolations lists the violations of the hard rules that the new
// assignment of ci adds to those its neighbours have already, and the soft
// objectives it worsens.
func newViolations(ci *postgres.CheckInput) ([]solver.Violation, []string, error) {
	in := ci.Instance
	base := &solver.Schedule{Format: solver.ScheduleFormat, Assignments: append([]solver.Assignment{}, ci.Others...),
		Unscheduled: []solver.Unscheduled{{Interview: ci.New.Interview, Reason: solver.ReasonCapacity}}}
	with := &solver.Schedule{Format: solver.ScheduleFormat, Assignments: append(append([]solver.Assignment{}, ci.Others...), ci.New),
		Unscheduled: []solver.Unscheduled{}}
	r0, err := solver.Check(in, base)
	if err != nil {
		return nil, nil, err
	}
	r1, err := solver.Check(in, with)
	if err != nil {
		return nil, nil, err
	}
	seen := map[string]int{}
	key := func(v solver.Violation) string { return fmt.Sprintf("%d\x00%s\x00%s", v.Rule, v.Interview, v.Message) }
	for _, v := range r0.Violations {
		seen[key(v)]++
	}
	var out []solver.Violation
	for _, v := range r1.Violations {
		if k := key(v); seen[k] > 0 {
			seen[k]--
			continue
		}
		out = append(out, v)
	}
	return out, worsened(r0.Score.Components, r1.Score.Components), nil
}

// resourceOf names the resource of the assignment a violation is about.
func resourceOf(v solver.Violation, a solver.Assignment) string {
	for _, r := range []string{"interpreter " + a.Interpreter, "interviewer " + a.Interviewer, "room " + a.Room} {
		if !strings.HasSuffix(r, " ") && strings.Contains(v.Message, r+" ") {
			return r
		}
	}
	if i := strings.Index(v.Message, "party "); i >= 0 {
		f := strings.Fields(v.Message[i:])
		if len(f) > 1 {
			return "party " + f[1]
		}
	}
	return ""
}

// withAlternatives turns a resource taken into a *ConflictError with fresh
// alternatives, computed after the failed attempt.
func (s *Service) withAlternatives(ctx context.Context, interview string, err error) error {
	var taken *postgres.TakenError
	var conflict *ConflictError
	switch {
	case errors.As(err, &taken):
		conflict = &ConflictError{Resource: taken.Resource, Message: taken.Message}
	case errors.As(err, &conflict):
	default:
		return err
	}
	ans, serr := s.Suggest(ctx, SuggestRequest{InterviewID: interview, K: 5})
	if serr != nil {
		s.log.WarnContext(ctx, "alternatives after a conflict failed", "error", errs.CodeOf(serr))
	} else {
		for _, o := range ans.Suggestions {
			conflict.Alternatives = append(conflict.Alternatives, o.Suggestion)
			conflict.AlternativeIDs = append(conflict.AlternativeIDs, o.ID)
		}
	}
	if conflict.Alternatives == nil {
		conflict.Alternatives = []solver.Suggestion{}
		conflict.AlternativeIDs = []string{}
	}
	return conflict
}
