package capacity

import (
	"strconv"
	"strings"
)

// Advice is the one sentence of an answer that says what to do, as a code
// and its arguments, so that every reader words it in their own language:
// the catalog key is "adv." + Code (internal/i18n), a plural entry whose
// form N picks, and its fmt verbs take Args in order. Codes:
//
//	need.reprioritise  N held: hold all (targets) (what) interviews by giving them priority; (others priority) moves later; no hire
//	need.held          N targets: the (what) interviews are held already; nothing to add
//	need.none          N targets: no hire needed: the (what) interviews can be held, given priority where needed (no baseline to tell)
//	need.add.<kind>    N count: (count) more (unit: language, gender, mode, places)
//	need.unreached     N max count: not reachable with up to (count) more (kind): (what binds) (count)
//	need.unreachable   N 1: not reachable: (interview): (reason)
//	need.budget        N seconds: not decided within (seconds used): ask again with at least (seconds needed)
//	run.better         N fewer left out: (variant) places (n) more interviews, (priority) less priority left out
//	run.better_soft    N 0: (variant) places as many interviews (of the same priority) at a lower cost or wait
//	run.worse          N more left out: (variant) places (n) fewer interviews
//	run.no_change      N left out: (variant) changes nothing; still binding: (what) (count)
//	run.noise          N left out: (variant) changes nothing beyond the planning's noise; still binding: (what) (count)
//	run.all_placed     N 0: (variant) changes nothing: every interview is placed already
//	run.no_change.bound     N count: (variant) changes nothing: (what binds) are full on the days (from)–(to); (count) stay out
//	run.no_change.bound_at  N count: the same with the offices: (variant), (what binds), (offices), (from), (to), (count)
//	run.noise.bound, run.noise.bound_at: the same, "beyond the planning's noise"
//	var.<change>       a variant's description, one per change (Describe)
type Advice struct {
	Code string `json:"code"`
	N    int    `json:"n"`
	Args []Arg  `json:"args"`
}

// Kinds of an Arg: how a reader words its value.
const (
	// ArgPlain is worded as it is (a number, an id, a name).
	ArgPlain = ""
	// ArgLanguage is a language tag (worded as the language's name).
	ArgLanguage = "language"
	// ArgReason is a solver reason code (catalog key "reason." + value).
	ArgReason = "reason"
	// ArgWord is a catalog word (key "adv.w." + value): a gender ("m",
	// "f"), a mode ("onsite", "remote"), a kind of resource or binding.
	ArgWord = "word"
	// ArgWords is a comma-separated list of catalog words and language
	// tags ("lang:" prefix) and plain values ("=" prefix), worded one by
	// one and joined with ", ".
	ArgWords = "words"
	// ArgOffices is a comma-separated list of location ids, worded as the
	// offices' names (the ids where the reader has no names).
	ArgOffices = "offices"
	// ArgDate is a date "YYYY-MM-DD", worded in the reader's format.
	ArgDate = "date"
	// ArgClocks is a comma-separated list of clock times "HH:MM", worded
	// in the reader's format ("16.30" in Finnish).
	ArgClocks = "clocks"
	// ArgDays is a comma-separated list of weekdays "mon" … "sun", worded
	// as the short names, a run of three or more as a range ("Mon–Fri").
	ArgDays = "days"
	// ArgDialects is a comma-separated list of language tags, worded as
	// the languages' names with their dialect's region ("Arabic
	// (Morocco)"), not the language alone.
	ArgDialects = "dialects"
)

// Arg is one argument of an Advice.
type Arg struct {
	Name  string `json:"name"`
	Value string `json:"value"`
	Kind  string `json:"kind,omitempty"`
}

func plain(name string, v int64) Arg { return Arg{Name: name, Value: strconv.FormatInt(v, 10)} }

// what names the target interviews of a query: its language, else its
// location.
func (q *NeedQuery) what() Arg {
	if q.Language != "" {
		return Arg{Name: "language", Value: q.Language, Kind: ArgLanguage}
	}
	return Arg{Name: "location", Value: q.Location}
}

// unit describes the added unit of a need query: its language, genders,
// modes and places, as ArgWords.
func (q *NeedQuery) unit() Arg {
	var w []string
	switch q.Kind {
	case NeedInterpreters:
		t := q.Interpreters
		w = append(w, "lang:"+t.Language)
		for _, g := range t.Genders {
			w = append(w, "gender."+g)
		}
		for _, m := range t.Modes {
			w = append(w, "mode."+m)
		}
		for _, l := range t.Locations {
			w = append(w, "="+l)
		}
	case NeedInterviewers:
		w = append(w, "="+q.Interviewers.Location)
		for _, g := range q.Interviewers.Genders {
			w = append(w, "gender."+g)
		}
		for _, l := range q.Interviewers.Languages {
			w = append(w, "lang:"+l)
		}
	default:
		w = append(w, "="+q.Rooms.Location)
		for _, f := range q.Rooms.Features {
			w = append(w, "="+f)
		}
	}
	return Arg{Name: "unit", Value: strings.Join(w, ","), Kind: ArgWords}
}

// limitArgs are the "what binds" and "count" arguments of the first limit.
func limitArgs(ls []Limit) []Arg {
	if len(ls) == 0 {
		return []Arg{{Name: "binding", Value: "bind.unknown", Kind: ArgWord}, plain("count", 0)}
	}
	l := ls[0]
	a := Arg{Name: "binding", Value: l.Code, Kind: ArgReason}
	if l.Source == LimitBound {
		a = Arg{Name: "binding", Value: "bind." + l.Code, Kind: ArgWord}
	}
	return []Arg{a, plain("count", int64(l.Count))}
}

// advise sets the answer's sentences: what to do first, then one per
// unreachable case.
func (a *NeedAnswer) advise() {
	q := &a.Query
	var main Advice
	switch {
	case a.Reprioritise != nil:
		main = Advice{Code: "need.reprioritise", N: a.Targets, Args: []Arg{plain("targets", int64(a.Targets)), q.what(),
			plain("others_priority", a.Reprioritise.OthersPriority)}}
	case a.Reached && *a.Count == 0 && a.Baseline != nil:
		main = Advice{Code: "need.held", N: a.Targets, Args: []Arg{plain("targets", int64(a.Targets)), q.what()}}
	case a.Reached && *a.Count == 0:
		// No baseline (the budget left none): held with priority, not
		// known whether without.
		main = Advice{Code: "need.none", N: a.Targets, Args: []Arg{plain("targets", int64(a.Targets)), q.what()}}
	case a.Reached:
		main = Advice{Code: "need.add." + q.Kind, N: *a.Count, Args: []Arg{plain("count", int64(*a.Count)), q.unit()}}
	case a.Targets == 0:
		main = Advice{} // only unreachable cases: their sentences say it
	default:
		var ls []Limit
		if n := len(a.Steps); n > 0 {
			ls = a.Steps[n-1].StillBinding
		}
		main = Advice{Code: "need.unreached", N: q.MaxCount, Args: append([]Arg{plain("count", int64(q.MaxCount)),
			{Name: "kind", Value: "kind." + q.Kind, Kind: ArgWord}}, limitArgs(ls)...)}
	}
	a.Advice = []Advice{}
	if main.Code != "" {
		a.Advice = append(a.Advice, main)
	}
	for _, u := range a.Unreachable {
		a.Advice = append(a.Advice, Advice{Code: "need.unreachable", N: 1, Args: []Arg{{Name: "interview", Value: u.Interview},
			{Name: "reason", Value: u.Reason, Kind: ArgReason}}})
	}
}

// advise sets a variant's sentence from its effect.
func (r *RunResult) advise() {
	e := r.Effect
	name := Arg{Name: "variant", Value: r.Name}
	switch {
	case e == nil:
		return
	case e.Verdict == EffectBetter && e.Unscheduled < 0:
		r.Advice = &Advice{Code: "run.better", N: -e.Unscheduled, Args: []Arg{name, plain("placed", int64(-e.Unscheduled)), plain("priority", -e.UnscheduledPriority)}}
	case e.Verdict == EffectBetter:
		r.Advice = &Advice{Code: "run.better_soft", Args: []Arg{name}}
	case e.Verdict == EffectWorse:
		r.Advice = &Advice{Code: "run.worse", N: max(e.Unscheduled, 0), Args: []Arg{name, plain("placed", int64(max(e.Unscheduled, 0)))}}
	case len(e.StillBinding) == 0:
		r.Advice = &Advice{Code: "run.all_placed", Args: []Arg{name}}
	default:
		code := "run.no_change"
		if e.Verdict == EffectNoise {
			code = "run.noise"
		}
		if l := fullResource(e.StillBinding); l != nil {
			r.Advice = boundAdvice(code, name, l)
			return
		}
		args := append([]Arg{name}, limitArgs(e.StillBinding)...)
		r.Advice = &Advice{Code: code, N: e.StillBinding[0].Count, Args: args}
	}
}

// fullResource is the first of the bound's bindings that is a kind of
// resource being full (not interviews that fit nowhere at all), or nil.
func fullResource(ls []Limit) *Limit {
	for i, l := range ls {
		if l.Source != LimitBound {
			continue
		}
		switch l.Code {
		case "room", "interviewer", "interpreter", "party", "combined":
			if l.From != "" && l.To != "" {
				return &ls[i]
			}
		}
	}
	return nil
}

// boundAdvice says what still blocks a variant from the bound's binding l:
// its kind of resource, its offices when it has any, its days and the
// interviews in question.
func boundAdvice(code string, name Arg, l *Limit) *Advice {
	args := []Arg{name, {Name: "binding", Value: "bind." + l.Code, Kind: ArgWord}}
	code += ".bound"
	if len(l.Locations) > 0 {
		code += "_at"
		args = append(args, Arg{Name: "offices", Value: strings.Join(l.Locations, ","), Kind: ArgOffices})
	}
	args = append(args, Arg{Name: "from", Value: l.From, Kind: ArgDate}, Arg{Name: "to", Value: l.To, Kind: ArgDate},
		plain("count", int64(l.Count)))
	return &Advice{Code: code, N: l.Count, Args: args}
}
