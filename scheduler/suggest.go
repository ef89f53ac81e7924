package scheduler

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

// SuggestRequest asks for options for one interview.
type SuggestRequest struct {
	InterviewID string
	K           int    // default 5, at most 50
	From, To    string // optional local dates
	Hold        bool   // reserve the best option that can still be had
	Actor       string // token name: the holder
}

// Option is one suggestion, with the id that books exactly it.
type Option struct {
	ID string `json:"id"`
	solver.Suggestion
}

// SuggestAnswer answers Suggest. With no option, Reason (a solver reason
// code) and Detail say why, and EarliestPossible, when set, is the first date
// that would work.
type SuggestAnswer struct {
	Interview        string          `json:"interview"`
	Suggestions      []Option        `json:"suggestions"`
	Reason           string          `json:"reason,omitempty"`
	Detail           string          `json:"detail,omitempty"`
	EarliestPossible string          `json:"earliest_possible,omitempty"`
	Hold             *resources.Hold `json:"hold,omitempty"`
	HeldSuggestion   string          `json:"held_suggestion,omitempty"`
}

// MaxK bounds the number of options asked for.
const MaxK = 50

// plannerCache is a compiled planner of the state at one version.
type plannerCache struct {
	version    int64
	nextExpiry time.Time
	planner    *solver.Planner
	interviews map[string]bool
	state      *postgres.PlanningState // for the next state to reuse its static part
}

// freshAt reports whether the cache serves a reader that saw version at
// now: it is of that version or a newer one, and no hold in it has expired.
func (c *plannerCache) freshAt(version int64, now time.Time) bool {
	return c != nil && c.version >= version && (c.nextExpiry.IsZero() || now.Before(c.nextExpiry))
}

// planner returns a planner of the current state for suggestions for
// interview iv: the shared cached one when iv holds nothing itself.
func (s *Service) planner(ctx context.Context, iv string, version int64, ownHolds bool, now time.Time) (*plannerCache, error) {
	if !ownHolds {
		s.mu.Lock()
		c := s.cache
		s.mu.Unlock()
		if c.freshAt(version, now) {
			return c, nil
		}
		// One build at a time: those waiting take the one just built.
		s.buildMu.Lock()
		defer s.buildMu.Unlock()
		s.mu.Lock()
		c = s.cache
		s.mu.Unlock()
		if c.freshAt(version, now) {
			return c, nil
		}
	}
	except := ""
	if ownHolds {
		except = iv
	}
	var base *postgres.PlanningState
	s.mu.Lock()
	if s.cache != nil {
		base = s.cache.state
	}
	s.mu.Unlock()
	st, err := s.db.PlanningState(ctx, except, now, base)
	if err != nil {
		return nil, err
	}
	p, err := solver.NewPlanner(st.Instance)
	if err != nil {
		// The stored state is the database's: a problem here is ours.
		return nil, errs.Wrap(err, errs.Internal, "")
	}
	c := &plannerCache{version: st.Version, nextExpiry: st.NextExpiry, planner: p, interviews: map[string]bool{}, state: st}
	for _, x := range st.Instance.Interviews {
		c.interviews[x.ID] = true
	}
	if !ownHolds {
		s.mu.Lock()
		if s.cache == nil || s.cache.version <= c.version {
			s.cache = c
		}
		s.mu.Unlock()
	}
	return c, nil
}

// Suggest returns ranked options for one interview on the current state
// (bookings and live holds of other interviews), each with an id that books
// exactly it. With Hold, the best option that can still be had is held for
// the caller until the hold expires.
func (s *Service) Suggest(ctx context.Context, req SuggestRequest) (*SuggestAnswer, error) {
	t0 := time.Now()
	ans, err := s.suggest(ctx, req)
	if err == nil {
		s.obs.Suggested(time.Since(t0))
	}
	return ans, err
}

func (s *Service) suggest(ctx context.Context, req SuggestRequest) (*SuggestAnswer, error) {
	if req.K < 0 || req.K > MaxK {
		return nil, errs.Field("k", "k must be between 1 and "+strconv.Itoa(MaxK))
	}
	now := s.now()
	version, ownHolds, status, err := s.db.StateProbe(ctx, req.InterviewID, now)
	if err != nil {
		return nil, err
	}
	switch resources.Status(status) {
	case "":
		return nil, errs.E(errs.NotFound, "interview %q not found", req.InterviewID)
	case resources.StatusPending, resources.StatusBooked:
	default:
		return nil, errs.E(errs.Conflict, "interview %s is %s: there is nothing to suggest", req.InterviewID, status)
	}
	if req.Hold && resources.Status(status) != resources.StatusPending {
		return nil, errs.E(errs.Conflict, "interview %s is booked already: holds are for pending interviews (reschedule the booking instead)", req.InterviewID)
	}
	c, err := s.planner(ctx, req.InterviewID, version, ownHolds, now)
	if err != nil {
		return nil, err
	}
	out := &SuggestAnswer{Interview: req.InterviewID, Suggestions: []Option{}}
	if !c.interviews[req.InterviewID] {
		if err := checkDates(req.From, req.To); err != nil {
			return nil, err
		}
		out.Reason = solver.ReasonWindowClosed
		out.Detail = "the interview's window does not meet the planning horizon"
		out.EarliestPossible = s.earliestOutside(ctx, c, req.InterviewID)
		return out, nil
	}
	sg, err := c.planner.Suggest(solver.SuggestRequest{Interview: req.InterviewID, K: req.K, From: req.From, To: req.To})
	if err != nil {
		return nil, requestError(err)
	}
	out.Reason, out.Detail, out.EarliestPossible = sg.Reason, sg.Detail, sg.EarliestPossible
	for _, o := range sg.Options {
		out.Suggestions = append(out.Suggestions, Option{ID: s.suggestionID(o.Assignment, o.Rank), Suggestion: o})
	}
	if req.Hold {
		if err := s.holdBest(ctx, req, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// earliestOutside is the first date on which an interview whose window
// lies outside the planning horizon could be held, with the horizon
// stretched as far as the resources' availability goes ("" when no date
// would work, or when it cannot be told just now).
func (s *Service) earliestOutside(ctx context.Context, c *plannerCache, id string) string {
	iv, err := s.db.Interview(ctx, id)
	if err != nil || c.state == nil || c.state.Instance == nil {
		return ""
	}
	in := *c.state.Instance
	in.Interviews = append(append([]solver.Interview{}, in.Interviews...), iv.Interview)
	// Its own booking (outside the horizon) stays out: this is where it
	// could go, not where it is.
	sg, err := solver.SuggestFor(&in, solver.SuggestRequest{Interview: id, K: 1})
	if err != nil {
		s.log.WarnContext(ctx, "suggest: earliest possible date", "interview", id, "error", err.Error())
		return ""
	}
	if len(sg.Options) > 0 {
		return sg.Options[0].Assignment.Start[:len("2006-01-02")]
	}
	return sg.EarliestPossible
}

// holdBest holds the first option that can still be had.
func (s *Service) holdBest(ctx context.Context, req SuggestRequest, out *SuggestAnswer) error {
	for _, o := range out.Suggestions {
		h, err := s.hold(ctx, req.InterviewID, &o.Assignment, req.Actor)
		var conflict *ConflictError
		var taken *postgres.TakenError
		if errors.As(err, &conflict) || errors.As(err, &taken) {
			continue // taken meanwhile: try the next one
		}
		if err != nil {
			return err
		}
		out.Hold, out.HeldSuggestion = h, o.ID
		return nil
	}
	if len(out.Suggestions) > 0 {
		out.Detail = "every option was taken meanwhile: nothing is held; ask again"
	}
	return nil
}

// HoldRequest holds one option given by hand for an interview.
type HoldRequest struct {
	InterviewID string
	// Assignment is the option: Start, Room, Interviewer, Interpreter, Mode.
	Assignment *solver.Assignment
	Actor      string // the holder
}

// Hold reserves one option for the caller until the hold expires (HoldTTL),
// checked as holdBest checks a suggested one: every hard rule against the
// bookings and live holds of the day. A resource taken or a rule broken is
// a *ConflictError with fresh alternatives.
func (s *Service) Hold(ctx context.Context, req HoldRequest) (*resources.Hold, error) {
	if req.Assignment == nil {
		return nil, errs.E(errs.Invalid, "say what to hold")
	}
	h, err := s.hold(ctx, req.InterviewID, req.Assignment, req.Actor)
	if err != nil {
		return nil, s.withAlternatives(ctx, req.InterviewID, err)
	}
	return h, nil
}

// hold is the one way a hold is made: the option, checked as a suggested
// one (a broken rule is a conflict), for HoldTTL.
func (s *Service) hold(ctx context.Context, interview string, a *solver.Assignment, actor string) (*resources.Hold, error) {
	p, err := placement(a)
	if err != nil {
		return nil, err
	}
	now := s.now()
	res, err := s.db.Apply(ctx, postgres.Change{Action: resources.ActionHeld, Interview: interview, Place: p,
		Actor: actor, Now: now, ExpiresAt: now.Add(s.HoldTTL()), Check: s.checker(true, nil)})
	if err != nil {
		return nil, err
	}
	return res.Hold, nil
}

// HoldTTL is how long a hold lasts.
func (s *Service) HoldTTL() time.Duration {
	if s.holdTTL > 0 {
		return s.holdTTL
	}
	return DefaultHoldTTL
}

func checkDates(from, to string) error {
	var probs []errs.FieldError
	for _, f := range []struct{ name, v string }{{"from", from}, {"to", to}} {
		if f.v == "" {
			continue
		}
		if _, err := solver.ParseDate(f.v); err != nil {
			probs = append(probs, errs.FieldError{Path: f.name, Message: f.name + " must be a date YYYY-MM-DD"})
		}
	}
	if len(probs) > 0 {
		return errs.WithFields("bad date range", probs)
	}
	if from != "" && to != "" && to < from {
		return errs.Field("to", "to is before from")
	}
	return nil
}

// requestError turns the solver's request problems into an invalid-input
// error with the request's field names.
func requestError(err error) error {
	var ve *solver.ValidationError
	if !errors.As(err, &ve) {
		return errs.Wrap(err, errs.Internal, "")
	}
	fields := make([]errs.FieldError, len(ve.Problems))
	for i, p := range ve.Problems {
		fields[i] = errs.FieldError{Path: p.Path, Message: p.Message}
	}
	return errs.WithFields("bad suggestion request", fields)
}

// ---- suggestion ids: the option itself, signed, so that nothing is stored.

func randomKey() []byte {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return b
}

const idVersion = "s1"

func (s *Service) mac(payload []byte) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(idVersion))
	m.Write(payload)
	return m.Sum(nil)[:16]
}

// suggestionID encodes an option (interview, start, room, interviewer,
// interpreter, mode) and its rank, for the record of how a booking came
// about, with an HMAC of the service's key.
func (s *Service) suggestionID(a solver.Assignment, rank int) string {
	payload, _ := json.Marshal([]string{a.Interview, a.Start, a.Room, a.Interviewer, a.Interpreter, a.Mode, strconv.Itoa(rank)})
	enc := base64.RawURLEncoding
	return idVersion + "." + enc.EncodeToString(payload) + "." + enc.EncodeToString(s.mac(payload))
}

// parseSuggestion returns the option of an id this service made and its
// rank (0 in an id given out before ranks were signed).
func (s *Service) parseSuggestion(id string) (*solver.Assignment, int, error) {
	bad := errs.Field("suggestion_id", "not a suggestion id this service gave out (or the service key changed): ask for suggestions again")
	parts := strings.Split(id, ".")
	if len(parts) != 3 || parts[0] != idVersion {
		return nil, 0, bad
	}
	enc := base64.RawURLEncoding
	payload, err1 := enc.DecodeString(parts[1])
	sum, err2 := enc.DecodeString(parts[2])
	if err1 != nil || err2 != nil || !hmac.Equal(sum, s.mac(payload)) {
		return nil, 0, bad
	}
	var f []string
	if err := json.Unmarshal(payload, &f); err != nil || len(f) != 6 && len(f) != 7 {
		return nil, 0, bad
	}
	rank := 0
	if len(f) == 7 {
		rank, _ = strconv.Atoi(f[6])
	}
	return &solver.Assignment{Interview: f[0], Start: f[1], Room: f[2], Interviewer: f[3], Interpreter: f[4], Mode: f[5]}, rank, nil
}
