// Package solver assigns start time, room, interviewer and language-matched
// interpreter to asylum interviews.
//
// It implements the interview-instance/v1 and interview-schedule/v1 formats
// (docs/formats.md). The package imports nothing else of this project and does
// no I/O beyond the readers and writers it is handed.
package solver

// Format names of the documents this package reads and writes.
const (
	InstanceFormat = "interview-instance/v1"
	ScheduleFormat = "interview-schedule/v1"
)

// DefaultGrainMinutes is the time grain when an instance gives none.
const DefaultGrainMinutes = 15

// Modes of interpretation, and interpreter_mode requests.
const (
	ModeOnsite = "onsite"
	ModeRemote = "remote"
	ModeNone   = "none"

	WantOnsite       = "onsite"
	WantRemote       = "remote"
	WantPreferOnsite = "prefer_onsite"
	WantAny          = "any"
)

// Party kinds.
const (
	PartyCounsel        = "counsel"
	PartyRepresentative = "representative"
)

// Known room features. Unknown features are a validation error.
var RoomFeatures = []string{"video", "child_friendly", "accessible"}

// Instance is an interview-instance/v1 document, exactly as written.
//
// Dates, instants and clock times are kept as the strings of the document, so
// that decoding never fails on a malformed value: validation reports every
// problem at once with its JSON path. Optional numbers and booleans whose
// default differs from the zero value are pointers.
type Instance struct {
	Format        string         `json:"format"`
	Timezone      string         `json:"timezone"`
	GrainMinutes  *int           `json:"grain_minutes,omitempty"`
	Horizon       DateRange      `json:"horizon"`
	StartTimes    []string       `json:"start_times,omitempty"`
	Locations     []Location     `json:"locations"`
	TravelMinutes []Travel       `json:"travel_minutes,omitempty"`
	Rooms         []Room         `json:"rooms"`
	Interviewers  []Interviewer  `json:"interviewers"`
	Interpreters  []Interpreter  `json:"interpreters"`
	Parties       []Party        `json:"parties,omitempty"`
	Interviews    []Interview    `json:"interviews"`
	Bookings      []Booking      `json:"bookings,omitempty"`
	Weights       map[string]int `json:"weights,omitempty"`
}

// DateRange is a range of local dates, both inclusive ("2026-12-07").
type DateRange struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

// Interval is a half-open interval [start, end) of RFC 3339 instants.
type Interval struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

// Location is a service point (an interview office).
type Location struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Travel is a symmetric travel time between two locations.
type Travel struct {
	From    string `json:"from"`
	To      string `json:"to"`
	Minutes int    `json:"minutes"`
}

// Room is an interview room at a location. A nil Availability means always
// open; an empty, non-nil one means never open.
type Room struct {
	ID           string     `json:"id"`
	Name         string     `json:"name,omitempty"` // display name; ignored by the solver
	Location     string     `json:"location"`
	Features     []string   `json:"features"`
	Availability []Interval `json:"availability"` // null: always open
}

// Interviewer is a caseworker who conducts interviews at one location.
type Interviewer struct {
	ID string `json:"id"`
	// Name, Email and Locale (fi, sv or en) say who the person is and how to
	// write to them; the solver ignores them.
	Name                string     `json:"name,omitempty"`
	Email               string     `json:"email,omitempty"`
	Locale              string     `json:"locale,omitempty"`
	Location            string     `json:"location"`
	Gender              string     `json:"gender,omitempty"`
	Skills              []string   `json:"skills"`
	Languages           []string   `json:"languages"`
	Availability        []Interval `json:"availability"`
	MaxInterviewsPerDay *int       `json:"max_interviews_per_day,omitempty"`
}

// Interpreter is a (usually freelance) interpreter.
type Interpreter struct {
	ID string `json:"id"`
	// Name, Email and Locale (fi, sv or en) say who the person is and how to
	// write to them; the solver ignores them.
	Name             string     `json:"name,omitempty"`
	Email            string     `json:"email,omitempty"`
	Locale           string     `json:"locale,omitempty"`
	Languages        []string   `json:"languages"`
	Gender           string     `json:"gender,omitempty"`
	Skills           []string   `json:"skills"`
	Modes            []string   `json:"modes"`
	Locations        []string   `json:"locations"`
	Availability     []Interval `json:"availability"`
	MaxMinutesPerDay *int       `json:"max_minutes_per_day,omitempty"`
	CostPerHour      *Rates     `json:"cost_per_hour,omitempty"`
}

// Rates are hourly rates in whole euros per mode; a missing rate is 0.
type Rates struct {
	Onsite *int `json:"onsite,omitempty"`
	Remote *int `json:"remote,omitempty"`
}

// Rate returns the hourly rate for mode, 0 when not given.
func (r *Rates) Rate(mode string) int {
	if r == nil {
		return 0
	}
	switch mode {
	case ModeOnsite:
		if r.Onsite != nil {
			return *r.Onsite
		}
	case ModeRemote:
		if r.Remote != nil {
			return *r.Remote
		}
	}
	return 0
}

// Party is a fixed attendee: the applicant's counsel or a minor's
// representative. A nil Availability means always available.
type Party struct {
	ID string `json:"id"`
	// Name, Email and Locale (fi, sv or en) say who the person is and how to
	// write to them; the solver ignores them.
	Name         string     `json:"name,omitempty"`
	Email        string     `json:"email,omitempty"`
	Locale       string     `json:"locale,omitempty"`
	Kind         string     `json:"kind"`
	Availability []Interval `json:"availability"` // null: always available
}

// Interview is one interview request.
type Interview struct {
	ID                   string   `json:"id"`
	Case                 string   `json:"case"`
	Language             string   `json:"language"`
	DialectRequired      bool     `json:"dialect_required,omitempty"`
	NeedsInterpreter     *bool    `json:"needs_interpreter,omitempty"`
	DurationMinutes      int      `json:"duration_minutes"`
	Earliest             string   `json:"earliest"`
	Deadline             string   `json:"deadline,omitempty"`
	Latest               string   `json:"latest,omitempty"`
	Priority             *int     `json:"priority,omitempty"`
	Locations            []string `json:"locations"`
	InterviewerGender    string   `json:"interviewer_gender,omitempty"`
	InterpreterGender    string   `json:"interpreter_gender,omitempty"`
	InterviewerSkills    []string `json:"interviewer_skills,omitempty"`
	InterpreterSkills    []string `json:"interpreter_skills,omitempty"`
	RoomFeatures         []string `json:"room_features,omitempty"`
	InterpreterMode      string   `json:"interpreter_mode,omitempty"`
	Parties              []string `json:"parties,omitempty"`
	ExcludedInterpreters []string `json:"excluded_interpreters,omitempty"`
	ExcludedInterviewers []string `json:"excluded_interviewers,omitempty"`
	PreferredInterviewer string   `json:"preferred_interviewer,omitempty"`
}

// NeedsInterp reports whether the interview needs an interpreter (default true).
func (iv *Interview) NeedsInterp() bool { return iv.NeedsInterpreter == nil || *iv.NeedsInterpreter }

// Prio returns the interview's priority (default 1).
func (iv *Interview) Prio() int {
	if iv.Priority == nil {
		return 1
	}
	return *iv.Priority
}

// WantMode returns the requested interpreter mode (default "any").
func (iv *Interview) WantMode() string {
	if iv.InterpreterMode == "" {
		return WantAny
	}
	return iv.InterpreterMode
}

// Booking is an entry of the current plan. Pinned bookings must stay as they
// are; unpinned ones may be moved or dropped at the `change` price.
type Booking struct {
	Interview   string `json:"interview"`
	Start       string `json:"start"`
	Room        string `json:"room"`
	Interviewer string `json:"interviewer"`
	Interpreter string `json:"interpreter,omitempty"`
	Mode        string `json:"mode"`
	Pinned      bool   `json:"pinned"`
}

// Weight names and their defaults (formats.md, "Objective").
const (
	WeightWaitPerDay   = "wait_per_day"
	WeightLatePerDay   = "late_per_day"
	WeightCost         = "cost"
	WeightRemote       = "remote_when_onsite_preferred"
	WeightDialect      = "dialect_mismatch"
	WeightNotPreferred = "not_preferred_interviewer"
	WeightFairness     = "fairness"
	WeightChange       = "change"
	// WeightChangeResource: a booking kept at its start and location with
	// another room, interviewer, interpreter or mode (its summons stands).
	WeightChangeResource = "change_resource"
)

// DefaultWeights are the weights used for names an instance does not give.
var DefaultWeights = map[string]int{
	WeightWaitPerDay:   10,
	WeightLatePerDay:   200,
	WeightCost:         1,
	WeightRemote:       300,
	WeightDialect:      100,
	WeightNotPreferred: 150,
	WeightFairness:     1,
	WeightChange:       500,

	WeightChangeResource: 100,
}

// Weights are the resolved objective weights.
type Weights struct {
	WaitPerDay, LatePerDay, Cost, Remote, Dialect, NotPreferred, Fairness, Change, ChangeResource int64
}

// ResolveWeights returns the instance's weights with defaults filled in.
// Unknown names and negative values are reported by validation.
func (in *Instance) ResolveWeights() Weights {
	get := func(name string) int64 {
		if v, ok := in.Weights[name]; ok {
			return int64(v)
		}
		return int64(DefaultWeights[name])
	}
	return Weights{
		WaitPerDay:   get(WeightWaitPerDay),
		LatePerDay:   get(WeightLatePerDay),
		Cost:         get(WeightCost),
		Remote:       get(WeightRemote),
		Dialect:      get(WeightDialect),
		NotPreferred: get(WeightNotPreferred),
		Fairness:     get(WeightFairness),
		Change:       get(WeightChange),

		ChangeResource: get(WeightChangeResource),
	}
}

// Grain returns the time grain in minutes (default 15).
func (in *Instance) Grain() int {
	if in.GrainMinutes == nil {
		return DefaultGrainMinutes
	}
	return *in.GrainMinutes
}

// Schedule is an interview-schedule/v1 document.
type Schedule struct {
	Format      string        `json:"format"`
	Assignments []Assignment  `json:"assignments"`
	Unscheduled []Unscheduled `json:"unscheduled"`
	Score       Score         `json:"score"`
	Stats       *Stats        `json:"stats,omitempty"`
}

// Assignment places one interview. Interpreter is empty and Mode is "none"
// when the interview needs no interpreter. Location is the room's location.
type Assignment struct {
	Interview   string `json:"interview"`
	Start       string `json:"start"`
	End         string `json:"end"`
	Location    string `json:"location"`
	Room        string `json:"room"`
	Interviewer string `json:"interviewer"`
	Interpreter string `json:"interpreter,omitempty"`
	Mode        string `json:"mode"`
}

// Reason codes for unscheduled interviews.
const (
	ReasonNoInterpreterLanguage  = "no_interpreter_language"
	ReasonNoInterpreterAvailable = "no_interpreter_available"
	ReasonNoInterviewer          = "no_interviewer"
	ReasonNoRoom                 = "no_room"
	ReasonPartyUnavailable       = "party_unavailable"
	ReasonWindowClosed           = "window_closed"
	ReasonCapacity               = "capacity"
)

// Unscheduled is an interview the schedule does not place, with a reason code
// and a sentence a clerk understands.
type Unscheduled struct {
	Interview string `json:"interview"`
	Reason    string `json:"reason"`
	Detail    string `json:"detail,omitempty"`
}

// Score is the lexicographic objective (hard, medium, soft); lower is better.
type Score struct {
	Hard       int64      `json:"hard"`
	Medium     int64      `json:"medium"`
	Soft       int64      `json:"soft"`
	Components Components `json:"components"`
}

// Components are the soft-objective terms; Soft is their sum.
type Components struct {
	Wait       int64 `json:"wait"`
	Late       int64 `json:"late"`
	Cost       int64 `json:"cost"`
	Remote     int64 `json:"remote"`
	Dialect    int64 `json:"dialect"`
	Continuity int64 `json:"continuity"`
	Fairness   int64 `json:"fairness"`
	Change     int64 `json:"change"`
}

// Sum returns the total of the components.
func (c Components) Sum() int64 {
	return c.Wait + c.Late + c.Cost + c.Remote + c.Dialect + c.Continuity + c.Fairness + c.Change
}

// Less reports whether s is strictly better than t.
func (s Score) Less(t Score) bool {
	if s.Hard != t.Hard {
		return s.Hard < t.Hard
	}
	if s.Medium != t.Medium {
		return s.Medium < t.Medium
	}
	return s.Soft < t.Soft
}

// Stats are optional solver figures.
type Stats struct {
	SolveMS         int64 `json:"solve_ms"`
	FirstFeasibleMS int64 `json:"first_feasible_ms"`
	Iterations      int64 `json:"iterations"`
	Seed            int64 `json:"seed"`
	Workers         int   `json:"workers"`
	// Bound is a proven lower bound on the medium score (ComputeBound) and
	// Gap is medium − bound; 0 proves the medium optimal. Absent when the
	// bound was not ready by the time limit.
	Bound *int64 `json:"bound,omitempty"`
	Gap   *int64 `json:"gap,omitempty"`
	// Binding is the bound's summary of what limits the schedule (its
	// Binding, largest loss first), for callers in the same process that
	// explain a result (capacity's what-if); not part of the format.
	Binding []Binding `json:"-"`
	// Note says what the time limit cut short, if anything.
	Note string `json:"note,omitempty"`
}

// LocationsIDs returns the ids of the instance's locations, in order.
func (in *Instance) LocationsIDs() []string {
	ids := make([]string, len(in.Locations))
	for i, l := range in.Locations {
		ids[i] = l.ID
	}
	return ids
}
