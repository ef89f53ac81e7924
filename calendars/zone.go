package calendars

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// A zone turns a wall-clock reading into an instant and back. Wall-clock
// readings are time.Time values in time.UTC whose fields are the local clock;
// recurrences are expanded on them, so that a weekly 08:30 stays 08:30 across
// a daylight-saving change.
type zone interface {
	toUTC(wall time.Time) time.Time
	toWall(t time.Time) time.Time
}

// locZone is an IANA zone (or the caller's location for floating times and dates).
type locZone struct{ loc *time.Location }

func (z locZone) toUTC(w time.Time) time.Time {
	return time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), 0, z.loc).UTC()
}

func (z locZone) toWall(t time.Time) time.Time {
	t = t.In(z.loc)
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
}

// utcZone is for date-times written with a trailing Z.
type utcZone struct{}

func (utcZone) toUTC(w time.Time) time.Time  { return w }
func (utcZone) toWall(t time.Time) time.Time { return t.UTC() }

// transition is a change of UTC offset at an instant.
type transition struct {
	at     time.Time
	offset time.Duration // offset from then on
}

// vtimezone is a zone defined by a VTIMEZONE's STANDARD and DAYLIGHT
// observances, expanded into transitions up to a horizon.
type vtimezone struct {
	initial     time.Duration // offset before the first transition
	transitions []transition  // sorted by at
}

func (z *vtimezone) offsetAt(t time.Time) time.Duration {
	i, _ := slices.BinarySearchFunc(z.transitions, t, func(tr transition, t time.Time) int {
		if tr.at.After(t) {
			return 1
		}
		return -1
	})
	if i == 0 {
		return z.initial
	}
	return z.transitions[i-1].offset
}

func (z *vtimezone) toWall(t time.Time) time.Time { return t.UTC().Add(z.offsetAt(t)) }

func (z *vtimezone) toUTC(w time.Time) time.Time {
	off := z.offsetAt(w.Add(-z.offsetAt(w)))
	u := w.Add(-off)
	if z.offsetAt(u) == off {
		return u
	}
	// In a gap (spring forward): read the clock with the offset before the change.
	return w.Add(-z.offsetAt(u))
}

// zones resolves TZIDs for one VCALENDAR.
type zones struct {
	float   locZone          // floating times and dates
	defined map[string]*node // VTIMEZONEs by TZID
	built   map[string]zone  // resolved so far
	horizon time.Time        // VTIMEZONE transitions are expanded up to here
	iana    map[string]*time.Location
	budget  *budget // shared by every recurrence expanded for the document
}

func newZones(cal *node, loc *time.Location, horizon time.Time, iana map[string]*time.Location, left *budget) *zones {
	z := &zones{
		float:   locZone{loc},
		defined: map[string]*node{},
		built:   map[string]zone{},
		horizon: horizon,
		iana:    iana,
		budget:  left,
	}
	for _, k := range cal.kids {
		if k.Name == "VTIMEZONE" {
			if id := strings.TrimSpace(propValue(k, "TZID")); id != "" {
				z.defined[id] = k
			}
		}
	}
	return z
}

// lookup resolves a TZID: first as an IANA name (also after a vendor prefix
// such as "/freeassociation.sourceforge.net/Europe/Helsinki"), then from the
// document's VTIMEZONE with that TZID (Outlook's "FLE Standard Time", say).
func (z *zones) lookup(tzid string, line int) (zone, error) {
	if tzid == "" {
		return z.float, nil
	}
	if zz, ok := z.built[tzid]; ok {
		return zz, nil
	}
	var zz zone
	if loc := loadIANA(tzid, z.iana); loc != nil {
		zz = locZone{loc}
	} else if def, ok := z.defined[tzid]; ok {
		vt, err := buildVTimezone(def, z.horizon, z.budget)
		if err != nil {
			return nil, err
		}
		zz = vt
	} else {
		return nil, errAt(line, "unknown time zone %q: not an IANA name and no VTIMEZONE defines it", tzid)
	}
	z.built[tzid] = zz
	return zz, nil
}

func loadIANA(tzid string, cache map[string]*time.Location) *time.Location {
	if loc, ok := cache[tzid]; ok {
		return loc
	}
	var found *time.Location
	for name := tzid; name != ""; {
		// "Local" and "" would be the server's own zone: never a calendar's.
		if name != "Local" && len(name) < 64 {
			if loc, err := time.LoadLocation(name); err == nil {
				found = loc
				break
			}
		}
		i := strings.IndexByte(name, '/')
		if i < 0 {
			break
		}
		name = name[i+1:]
	}
	cache[tzid] = found
	return found
}

// buildVTimezone expands a VTIMEZONE's observances into transitions.
func buildVTimezone(def *node, horizon time.Time, left *budget) (*vtimezone, error) {
	z := &vtimezone{}
	var first time.Time
	for _, obs := range def.kids {
		if obs.Name != "STANDARD" && obs.Name != "DAYLIGHT" {
			continue
		}
		from, err := utcOffsetProp(obs, "TZOFFSETFROM")
		if err != nil {
			return nil, err
		}
		to, err := utcOffsetProp(obs, "TZOFFSETTO")
		if err != nil {
			return nil, err
		}
		dp := obs.Props.Get("DTSTART")
		if dp == nil {
			return nil, errAt(obs.line, "%s in VTIMEZONE has no DTSTART", obs.Name)
		}
		start, err := parseWall(dp.Value, obs.propLine("DTSTART", 0), "DTSTART")
		if err != nil {
			return nil, err
		}
		// Onsets are local times on the clock of TZOFFSETFROM.
		onsets := []time.Time{start}
		rules := obs.Props.Values("RRULE")
		for i := range rules {
			line := obs.propLine("RRULE", i)
			untilToWall := func(u time.Time) time.Time { return u.Add(from) }
			more, err := expandRRule(rules[i].Value, start, false, untilToWall, time.Time{}, horizon.Add(from), left, line)
			if err != nil {
				return nil, err
			}
			onsets = append(onsets, more...)
		}
		for i, rp := range obs.Props.Values("RDATE") {
			for _, v := range strings.Split(rp.Value, ",") {
				w, err := parseWall(v, obs.propLine("RDATE", i), "RDATE")
				if err != nil {
					return nil, err
				}
				onsets = append(onsets, w)
			}
		}
		for _, o := range onsets {
			at := o.Add(-from)
			if at.After(horizon) {
				continue
			}
			z.transitions = append(z.transitions, transition{at: at, offset: to})
			if first.IsZero() || at.Before(first) {
				first, z.initial = at, from
			}
		}
	}
	if len(z.transitions) == 0 {
		return nil, errAt(def.line, "VTIMEZONE has no STANDARD or DAYLIGHT observance")
	}
	slices.SortStableFunc(z.transitions, func(a, b transition) int { return a.at.Compare(b.at) })
	return z, nil
}

// utcOffsetProp reads a UTC offset such as "+0200", "-0500" or "+053000".
func utcOffsetProp(obs *node, name string) (time.Duration, error) {
	p := obs.Props.Get(name)
	line := obs.propLine(name, 0)
	if p == nil {
		return 0, errAt(obs.line, "%s in VTIMEZONE has no %s", obs.Name, name)
	}
	v := strings.TrimSpace(p.Value)
	if (len(v) != 5 && len(v) != 7) || (v[0] != '+' && v[0] != '-') {
		return 0, errAt(line, "%s %q is not a UTC offset like +0200", name, v)
	}
	var parts [3]int
	for i := 0; 1+2*i < len(v); i++ {
		n, err := strconv.Atoi(v[1+2*i : 3+2*i])
		if err != nil || n < 0 {
			return 0, errAt(line, "%s %q is not a UTC offset like +0200", name, v)
		}
		parts[i] = n
	}
	if parts[0] > 23 || parts[1] > 59 || parts[2] > 59 {
		return 0, errAt(line, "%s %q is out of range", name, v)
	}
	d := time.Duration(parts[0])*time.Hour + time.Duration(parts[1])*time.Minute + time.Duration(parts[2])*time.Second
	if v[0] == '-' {
		d = -d
	}
	return d, nil
}

// parseWall reads a DATE-TIME without zone (or a DATE) as a wall-clock reading.
func parseWall(v string, line int, what string) (time.Time, error) {
	v = strings.TrimSpace(v)
	layout := "20060102T150405"
	if len(v) == 8 {
		layout = "20060102"
	}
	t, err := time.Parse(layout, strings.TrimSuffix(v, "Z"))
	if err != nil {
		return time.Time{}, errAt(line, "%s %q is not a date-time like 19700329T030000", what, v)
	}
	return t, nil
}

// propValue is the value of the first property called name, or "".
func propValue(n *node, name string) string {
	if p := n.Props.Get(name); p != nil {
		return p.Value
	}
	return ""
}
