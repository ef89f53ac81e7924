package capacity

import (
	"github.com/asylum-scheduling/interviews/solver"
)

// ScenarioFormat is the format name of a scenario document.
const ScenarioFormat = "capacity-scenario/v1"

// MaxVariants bounds the variants of one scenario (each costs a solve).
const MaxVariants = 5

// Scenario is a capacity-scenario/v1 document: named variants, each a list
// of changes against an instance that is never modified itself
// (docs/formats.md, "Scenarios").
type Scenario struct {
	Format   string    `json:"format"`
	Variants []Variant `json:"variants"`
}

// Variant is one what-if: its changes are applied in order to a copy of the
// base instance.
type Variant struct {
	Name    string   `json:"name"`
	Changes []Change `json:"changes"`
}

// Change is one change of a variant; exactly one of its fields is set.
type Change struct {
	AddInterpreters    *AddInterpreters `json:"add_interpreters,omitempty"`
	RemoveInterpreters *RemovePeople    `json:"remove_interpreters,omitempty"`
	AddInterviewers    *AddInterviewers `json:"add_interviewers,omitempty"`
	RemoveInterviewers *RemovePeople    `json:"remove_interviewers,omitempty"`
	AddRooms           *AddRooms        `json:"add_rooms,omitempty"`
	ExtraSessions      *ExtraSessions   `json:"extra_sessions,omitempty"`
	RemoteShare        *RemoteShare     `json:"remote_share,omitempty"`
	Notice             *Notice          `json:"notice,omitempty"`
	Deadline           *DeadlineRule    `json:"deadline,omitempty"`
}

// Pattern is a weekly availability: on the listed weekdays of the dates
// (clipped to the horizon), between the two clock times.
type Pattern struct {
	// Dates default to the horizon.
	Dates *solver.DateRange `json:"dates,omitempty"`
	// Weekdays are "mon" … "sun"; default Monday to Friday.
	Weekdays []string `json:"weekdays,omitempty"`
	// Hours default to 08:00–16:30.
	Hours *Hours `json:"hours,omitempty"`
}

// Hours are local clock times "HH:MM", start before end.
type Hours struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

// AddInterpreters adds Count interpreters of one language.
type AddInterpreters struct {
	Language string `json:"language"`
	// Dialects are further tags each new interpreter speaks (e.g. "ar-SY"
	// beside "ar"): an interview requiring its dialect needs the exact tag.
	Dialects []string `json:"dialects,omitempty"`
	Count    int      `json:"count"`
	// Modes default to onsite and remote.
	Modes []string `json:"modes,omitempty"`
	// Locations where they work on site; default every location.
	Locations []string `json:"locations,omitempty"`
	// Genders are given to the new interpreters in turn (["f","m"]
	// alternates); default none.
	Genders []string `json:"genders,omitempty"`
	Skills  []string `json:"skills,omitempty"`
	Pattern *Pattern `json:"pattern,omitempty"`
	// MaxMinutesPerDay defaults to no limit.
	MaxMinutesPerDay *int `json:"max_minutes_per_day,omitempty"`
	// CostPerHour defaults to the median rates of the instance's
	// interpreters of the language (of all interpreters when it has none).
	CostPerHour *solver.Rates `json:"cost_per_hour,omitempty"`
}

// RemovePeople removes interpreters or interviewers: the listed ids, or
// Count of those matching Language (interpreters) or Location
// (interviewers), the ones with the most available time last (the last by
// id among equals). Their bookings are dropped and the interviews' references
// to them (preferred, excluded) removed.
type RemovePeople struct {
	IDs      []string `json:"ids,omitempty"`
	Language string   `json:"language,omitempty"`
	Location string   `json:"location,omitempty"`
	Count    int      `json:"count,omitempty"`
}

// AddInterviewers adds Count interviewers at one location.
type AddInterviewers struct {
	Location  string   `json:"location"`
	Count     int      `json:"count"`
	Skills    []string `json:"skills,omitempty"`
	Languages []string `json:"languages,omitempty"`
	Genders   []string `json:"genders,omitempty"`
	Pattern   *Pattern `json:"pattern,omitempty"`
	// MaxInterviewsPerDay defaults to the most common value among the
	// location's interviewers (none when they have none).
	MaxInterviewsPerDay *int `json:"max_interviews_per_day,omitempty"`
}

// AddRooms adds Count rooms at one location.
type AddRooms struct {
	Location string   `json:"location"`
	Count    int      `json:"count"`
	Features []string `json:"features,omitempty"`
	// Pattern nil: always open, like the instance's rooms without
	// availability.
	Pattern *Pattern `json:"pattern,omitempty"`
}

// ExtraSessions opens extra session times: the start times are added to
// the instance's start_times (when it restricts them) and the pattern's
// hours are added to the availability of the chosen resources.
type ExtraSessions struct {
	StartTimes []string `json:"start_times"`
	Pattern    Pattern  `json:"pattern"`
	// Locations whose rooms and interviewers get the hours; default all.
	Locations []string `json:"locations,omitempty"`
	// Resources that get the hours: "interviewers", "rooms",
	// "interpreters", "parties"; default interviewers, rooms and
	// interpreters. Interpreters get them when they work on site at one of
	// the locations or remotely.
	Resources []string `json:"resources,omitempty"`
}

// RemoteShare raises the share of remote interpretation. Interviews: of the
// interviews needing an interpreter (of Languages and at Locations, when
// given), at least this share allow remote interpretation: `onsite` ones
// become `prefer_onsite` in instance order until it holds. Interpreters: at
// least this share of the interpreters (of Languages, working on site at one
// of Locations) work remotely too.
type RemoteShare struct {
	Interviews   *float64 `json:"interviews,omitempty"`
	Interpreters *float64 `json:"interpreters,omitempty"`
	Languages    []string `json:"languages,omitempty"`
	Locations    []string `json:"locations,omitempty"`
}

// Notice changes the notice period. MinDays: no interview (of Languages)
// starts before the horizon's start plus this many days. ShiftDays moves
// every earliest date by this many days (negative: a shorter notice), never
// before the horizon's start. Interviews with a pinned booking keep theirs.
type Notice struct {
	MinDays   *int     `json:"min_days,omitempty"`
	ShiftDays *int     `json:"shift_days,omitempty"`
	Languages []string `json:"languages,omitempty"`
}

// DeadlineRule sets deadlines relative to the earliest date: the soft
// deadline (`deadline`, late cost after it) and the hard last date
// (`latest`), for the interviews of Languages (default all). Interviews with
// a pinned booking keep theirs.
type DeadlineRule struct {
	DeadlineDays *int     `json:"deadline_days,omitempty"`
	LatestDays   *int     `json:"latest_days,omitempty"`
	Languages    []string `json:"languages,omitempty"`
}

// ParseScenario reads a scenario document strictly: unknown fields and
// values of the wrong type are problems at their JSON paths. It checks the
// shape only; Apply (and Run) check the changes against an instance.
func ParseScenario(data []byte) (*Scenario, error) {
	var s Scenario
	if err := decodeStrict("scenario", data, &s); err != nil {
		return nil, err
	}
	return &s, nil
}

// ParseNeedQuery reads a need query (a NeedQuery as JSON) strictly, like
// ParseScenario; Need checks it against an instance.
func ParseNeedQuery(data []byte) (*NeedQuery, error) {
	var q NeedQuery
	if err := decodeStrict("need query", data, &q); err != nil {
		return nil, err
	}
	return &q, nil
}
