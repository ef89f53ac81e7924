package resources

import (
	"errors"
	"strings"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/solver"
)

// Settings are the instance-wide parameters of the interview-instance/v1
// format: time zone, grain, horizon, start times and objective weights.
type Settings struct {
	Timezone     string            `json:"timezone"`
	GrainMinutes *int              `json:"grain_minutes,omitempty"`
	Horizon      *solver.DateRange `json:"horizon,omitempty"`
	StartTimes   []string          `json:"start_times,omitempty"`
	Weights      map[string]int    `json:"weights,omitempty"`
	// Confirmation are the rules of interpreters' answers; missing: the
	// defaults (48 hours, 24 hours before the start, no automatic request).
	Confirmation *Confirmation `json:"confirmation,omitempty"`
	// Retention says how long personal data stays; the store always fills
	// it (DefaultRetention when none was set).
	Retention *Retention `json:"retention,omitempty"`
	Version   int64      `json:"version"`
}

// DefaultConfirmation are the answer rules when the settings give none.
var DefaultConfirmation = Confirmation{AnswerWithinHours: 48, AnswerBeforeStartHours: 24}

// Rules returns the confirmation rules, the defaults when none are set.
func (s *Settings) Rules() Confirmation {
	if s.Confirmation == nil {
		return DefaultConfirmation
	}
	return *s.Confirmation
}

// Absence is a time when an interviewer or interpreter is away: it cuts a
// hole in their availability. No reason is kept (it could be health data).
type Absence struct {
	ID    int64  `json:"id"`
	Start string `json:"start"`
	End   string `json:"end"`
}

// AbsenceOwner is the kind of person an absence belongs to: one of
// AbsenceOfInterviewer, AbsenceOfInterpreter, AbsenceOfParty. A struct, so
// that no string (a table name) passes for one.
type AbsenceOwner struct{ kind string }

// The people who may be absent.
var (
	AbsenceOfInterviewer = AbsenceOwner{"interviewer"}
	AbsenceOfInterpreter = AbsenceOwner{"interpreter"}
	AbsenceOfParty       = AbsenceOwner{"party"}
)

// String is the kind's name: interviewer, interpreter or party.
func (o AbsenceOwner) String() string { return o.kind }

// AbsenceOwnerOf returns the owner of a kind's name, false for a kind
// that has no absences (a room).
func AbsenceOwnerOf(kind string) (AbsenceOwner, bool) {
	for _, o := range []AbsenceOwner{AbsenceOfInterviewer, AbsenceOfInterpreter, AbsenceOfParty} {
		if o.kind == kind {
			return o, true
		}
	}
	return AbsenceOwner{}, false
}

// Refs are the identifiers that exist, per list: references of an entity
// are checked against them.
type Refs struct {
	Locations, Rooms, Interviewers, Interpreters, Parties []string
}

// InstanceError turns the solver's *ValidationError into an invalid-input
// error that lists every problem with its JSON path. Other errors pass.
func InstanceError(err error) error {
	var ve *solver.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	fields := make([]errs.FieldError, len(ve.Problems))
	for i, p := range ve.Problems {
		fields[i] = errs.FieldError{Path: p.Path, Message: p.Message}
	}
	return errs.WithFields(problemsMessage(len(fields), "the instance"), fields)
}

func problemsMessage(n int, what string) string {
	if n == 1 {
		return what + " has 1 problem"
	}
	return what + " has " + itoa(n) + " problems"
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// validateOne checks one entity with the solver's validation: it builds an
// instance with the settings, stand-ins for the existing entities (for
// references) and the entity first in its list, and keeps the problems that
// concern the entity, with the list prefix removed from their paths
// ("rooms[0].features[1]" becomes "features[1]").
func validateOne(s Settings, refs Refs, list, self, what string, put func(in *solver.Instance)) error {
	in := &solver.Instance{
		Format:       solver.InstanceFormat,
		Timezone:     s.Timezone,
		GrainMinutes: s.GrainMinutes,
		StartTimes:   s.StartTimes,
	}
	if in.Timezone == "" {
		in.Timezone = "UTC"
	}
	if s.Horizon != nil {
		in.Horizon = *s.Horizon
	}
	put(in)
	skip := func(l, id string) bool { return l == list && id == self }
	for _, id := range refs.Locations {
		if !skip("locations", id) {
			in.Locations = append(in.Locations, solver.Location{ID: id, Name: id})
		}
	}
	for _, id := range refs.Rooms {
		if !skip("rooms", id) {
			in.Rooms = append(in.Rooms, solver.Room{ID: id})
		}
	}
	for _, id := range refs.Interviewers {
		if !skip("interviewers", id) {
			in.Interviewers = append(in.Interviewers, solver.Interviewer{ID: id})
		}
	}
	for _, id := range refs.Interpreters {
		if !skip("interpreters", id) {
			in.Interpreters = append(in.Interpreters, solver.Interpreter{ID: id})
		}
	}
	for _, id := range refs.Parties {
		if !skip("parties", id) {
			in.Parties = append(in.Parties, solver.Party{ID: id})
		}
	}
	var fields []errs.FieldError
	if self != "" {
		if p := solver.IDProblem(self); p != "" {
			fields = append(fields, errs.FieldError{Path: "id", Message: "id " + p})
		}
	}
	err := solver.Validate(in)
	var ve *solver.ValidationError
	if err != nil && !errors.As(err, &ve) {
		return err
	}
	prefix := list + "[0]"
	if ve == nil {
		ve = &solver.ValidationError{}
	}
	for _, p := range ve.Problems {
		switch {
		case p.Path == prefix:
			fields = append(fields, errs.FieldError{Path: "", Message: p.Message})
		case strings.HasPrefix(p.Path, prefix+"."):
			fields = append(fields, errs.FieldError{Path: p.Path[len(prefix)+1:], Message: p.Message})
		}
	}
	if len(fields) == 0 {
		return nil
	}
	return errs.WithFields(problemsMessage(len(fields), "the "+what), fields)
}

// ValidateTravel checks a travel time.
func ValidateTravel(s Settings, refs Refs, t *solver.Travel) error {
	return validateOne(s, refs, "travel_minutes", "", "travel time", func(in *solver.Instance) {
		in.TravelMinutes = append(in.TravelMinutes, *t)
	})
}

// Validate checks the settings alone, with the solver's messages and paths
// ("timezone", "horizon.start", "start_times[1]", "weights.cost"...).
func (s *Settings) Validate() error {
	in := &solver.Instance{Format: solver.InstanceFormat, Timezone: s.Timezone, GrainMinutes: s.GrainMinutes,
		StartTimes: s.StartTimes, Weights: s.Weights}
	if s.Horizon != nil {
		in.Horizon = *s.Horizon
	} else {
		return errs.Field("horizon", "is required (first and last local date)")
	}
	var fields []errs.FieldError
	if c := s.Confirmation; c != nil {
		if c.AnswerWithinHours < 1 || c.AnswerWithinHours > 24*30 {
			fields = append(fields, errs.FieldError{Path: "confirmation.answer_within_hours", Message: "must be between 1 and 720 hours"})
		}
		if c.AnswerBeforeStartHours < 0 || c.AnswerBeforeStartHours > 24*30 {
			fields = append(fields, errs.FieldError{Path: "confirmation.answer_before_start_hours", Message: "must be between 0 and 720 hours"})
		}
	}
	if r := s.Retention; r != nil && (r.MonthsAfter < MinRetentionMonths || r.MonthsAfter > MaxRetentionMonths) {
		fields = append(fields, errs.FieldError{Path: "retention.months_after",
			Message: "must be between " + itoa(MinRetentionMonths) + " and " + itoa(MaxRetentionMonths) + " months"})
	}
	if r := s.Retention; r != nil && r.AccessLogMonths != nil &&
		(*r.AccessLogMonths < MinAccessLogMonths || *r.AccessLogMonths > MaxAccessLogMonths) {
		fields = append(fields, errs.FieldError{Path: "retention.access_log_months",
			Message: "must be between " + itoa(MinAccessLogMonths) + " and " + itoa(MaxAccessLogMonths) + " months"})
	}
	err := solver.Validate(in)
	var ve *solver.ValidationError
	if err != nil && !errors.As(err, &ve) {
		return err
	}
	if ve != nil {
		for _, p := range ve.Problems {
			fields = append(fields, errs.FieldError{Path: p.Path, Message: p.Message})
		}
	}
	if len(fields) == 0 {
		return nil
	}
	return errs.WithFields(problemsMessage(len(fields), "the settings"), fields)
}

// Validate checks an absence.
func (a *Absence) Validate() error {
	var fields []errs.FieldError
	s, err1 := solver.ParseInstant(a.Start)
	if err1 != nil {
		fields = append(fields, errs.FieldError{Path: "start", Message: err1.Error()})
	}
	e, err2 := solver.ParseInstant(a.End)
	if err2 != nil {
		fields = append(fields, errs.FieldError{Path: "end", Message: err2.Error()})
	}
	if err1 == nil && err2 == nil && !s.Before(e) {
		fields = append(fields, errs.FieldError{Path: "", Message: "the interval is inverted or empty: end " + a.End + " is not after start " + a.Start})
	}
	if len(fields) > 0 {
		return errs.WithFields(problemsMessage(len(fields), "the absence"), fields)
	}
	return nil
}

// Validate checks a location.
func (l *Location) Validate(s Settings, refs Refs) error {
	return validateOne(s, refs, "locations", l.ID, "location", func(in *solver.Instance) {
		in.Locations = append(in.Locations, l.Location)
	})
}

// Validate checks a room.
func (r *Room) Validate(s Settings, refs Refs) error {
	return validateOne(s, refs, "rooms", r.ID, "room", func(in *solver.Instance) {
		in.Rooms = append(in.Rooms, r.Room)
	})
}

// Validate checks an interviewer.
func (e *Interviewer) Validate(s Settings, refs Refs) error {
	return validateOne(s, refs, "interviewers", e.ID, "interviewer", func(in *solver.Instance) {
		in.Interviewers = append(in.Interviewers, e.Interviewer)
	})
}

// Validate checks an interpreter.
func (t *Interpreter) Validate(s Settings, refs Refs) error {
	return validateOne(s, refs, "interpreters", t.ID, "interpreter", func(in *solver.Instance) {
		in.Interpreters = append(in.Interpreters, t.Interpreter)
	})
}

// Validate checks a party.
func (p *Party) Validate(s Settings, refs Refs) error {
	return validateOne(s, refs, "parties", p.ID, "party", func(in *solver.Instance) {
		in.Parties = append(in.Parties, p.Party)
	})
}

// Validate checks an interview request.
func (iv *Interview) Validate(s Settings, refs Refs) error {
	extra := []errs.FieldError{}
	if !iv.Status.Valid() {
		extra = append(extra, errs.FieldError{Path: "status", Message: "must be pending, booked, completed or cancelled, not " + quote(string(iv.Status))})
	}
	err := validateOne(s, refs, "interviews", iv.ID, "interview", func(in *solver.Instance) {
		in.Interviews = append(in.Interviews, iv.Interview)
	})
	if len(extra) == 0 {
		return err
	}
	return errs.WithFields(problemsMessage(len(extra)+len(errs.FieldsOf(err)), "the interview"), append(errs.FieldsOf(err), extra...))
}
