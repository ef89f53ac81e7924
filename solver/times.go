package solver

import (
	"fmt"
	"sync/atomic"
	"time"
)

// Date is a local calendar date, counted in days since 1970-01-01.
type Date int

const dateLayout = "2006-01-02"

// ParseDate reads a local date "YYYY-MM-DD".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a date of the form YYYY-MM-DD", s)
	}
	return Date(t.Unix() / 86400), nil
}

// DateOf returns the local date of t in loc.
func DateOf(t time.Time, loc *time.Location) Date {
	y, m, d := t.In(loc).Date()
	return Date(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// Midnight returns the instant of local midnight starting date d in loc.
func (d Date) Midnight(loc *time.Location) time.Time {
	t := time.Unix(int64(d)*86400, 0).UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
}

// String formats the date as YYYY-MM-DD.
func (d Date) String() string {
	return time.Unix(int64(d)*86400, 0).UTC().Format(dateLayout)
}

// instantCache remembers recently parsed instants: availability lists repeat
// the same few boundaries many times, and validation, checking and
// compilation each read them. Direct-mapped and lock-free; a miss just parses.
var instantCache [4096]atomic.Pointer[parsedInstant]

type parsedInstant struct {
	s string
	t time.Time
}

func fnv32(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * 16777619
	}
	return h
}

// ParseInstant reads an RFC 3339 instant; the offset is required.
func ParseInstant(s string) (time.Time, error) {
	slot := &instantCache[fnv32(s)&uint32(len(instantCache)-1)]
	if e := slot.Load(); e != nil && e.s == s {
		return e.t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not an RFC 3339 instant with an offset (e.g. 2026-12-07T08:30:00+02:00)", s)
	}
	slot.Store(&parsedInstant{s, t})
	return t, nil
}

// FormatInstant writes t as RFC 3339 in loc, e.g. 2026-12-07T08:30:00+02:00.
func FormatInstant(t time.Time, loc *time.Location) string {
	return t.In(loc).Format(time.RFC3339)
}

// ParseClock reads a local clock time "HH:MM" and returns minutes after midnight.
func ParseClock(s string) (int, error) {
	if len(s) != 5 || s[2] != ':' {
		return 0, fmt.Errorf("%q is not a clock time of the form HH:MM", s)
	}
	h, m := 0, 0
	for i, c := range []byte{s[0], s[1], s[3], s[4]} {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("%q is not a clock time of the form HH:MM", s)
		}
		if i < 2 {
			h = h*10 + int(c-'0')
		} else {
			m = m*10 + int(c-'0')
		}
	}
	if h > 23 || m > 59 {
		return 0, fmt.Errorf("%q is not a clock time between 00:00 and 23:59", s)
	}
	return h*60 + m, nil
}
