// Package ratelimit limits how often something may happen per key: token
// buckets in memory, swept as they refill.
package ratelimit

import (
	"math"
	"sync"
	"time"
)

// Limiter is a set of token buckets by key, in memory (per replica): Burst
// at once, refilled at PerSecond. A zero Burst means no limit.
type Limiter struct {
	mu        sync.Mutex
	perSecond float64
	burst     int
	buckets   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

// New returns a limiter of burst requests at once per key, refilled at
// perSecond.
func New(perSecond float64, burst int) *Limiter {
	return &Limiter{perSecond: perSecond, burst: burst, buckets: map[string]*bucket{}}
}

// Allow takes a token from key's bucket; when there is none it says how
// long until there is.
func (l *Limiter) Allow(key string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.burst <= 0 {
		return true, 0
	}
	burst := float64(l.burst)
	if now.Sub(l.lastSweep) > time.Minute || len(l.buckets) > 100_000 {
		// Drop the buckets that have refilled: they are as good as new.
		for k, b := range l.buckets {
			if l.perSecond > 0 && b.tokens+now.Sub(b.last).Seconds()*l.perSecond >= burst {
				delete(l.buckets, k)
			}
		}
		l.lastSweep = now
	}
	b := l.buckets[key]
	if b == nil {
		b = &bucket{tokens: burst, last: now}
		l.buckets[key] = b
	}
	if d := now.Sub(b.last); d > 0 {
		b.tokens = math.Min(burst, b.tokens+d.Seconds()*l.perSecond)
		b.last = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	if l.perSecond <= 0 {
		return false, time.Hour
	}
	return false, time.Duration((1 - b.tokens) / l.perSecond * float64(time.Second))
}
