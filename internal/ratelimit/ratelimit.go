// Package ratelimit limits how often something may happen per key: token
// buckets in memory, swept as they refill, their number capped.
package ratelimit

import (
	"container/list"
	"hash/maphash"
	"math"
	"sync"
	"time"
)

// DefaultMaxKeys is how many keys a limiter remembers at most unless told
// otherwise: about 7 MB, whatever the keys' length.
const DefaultMaxKeys = 50_000

// Limiter is a set of token buckets by key, in memory (per replica): Burst
// at once, refilled at PerSecond. A zero Burst means no limit.
//
// Keys are kept as 64-bit hashes under a per-limiter random seed, so a
// caller's keys (addresses, tokens) are not held in memory and a long key
// costs no more than a short one. At most MaxKeys are remembered: past
// that the bucket used longest ago is forgotten (it starts full again when
// its key comes back). Callers put a per-client budget in front of any
// limiter whose keys a client can choose, so that flooding it with new keys
// is itself limited.
type Limiter struct {
	mu        sync.Mutex
	perSecond float64
	burst     int
	max       int
	seed      maphash.Seed
	buckets   map[uint64]*list.Element // of *bucket
	byUse     *list.List               // front: used most recently
	lastSweep time.Time
}

type bucket struct {
	key    uint64
	tokens float64
	last   time.Time
}

// New returns a limiter of burst requests at once per key, refilled at
// perSecond, remembering at most DefaultMaxKeys keys.
func New(perSecond float64, burst int) *Limiter {
	return NewCapped(perSecond, burst, DefaultMaxKeys)
}

// NewCapped is New remembering at most maxKeys keys (at least 1).
func NewCapped(perSecond float64, burst, maxKeys int) *Limiter {
	return &Limiter{perSecond: perSecond, burst: burst, max: max(1, maxKeys), seed: maphash.MakeSeed(),
		buckets: map[uint64]*list.Element{}, byUse: list.New()}
}

// Len is how many keys the limiter remembers now.
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

// Allow takes a token from key's bucket; when there is none it says how
// long until there is.
func (l *Limiter) Allow(key string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.burst <= 0 {
		return true, 0
	}
	if now.Sub(l.lastSweep) > time.Minute {
		l.sweep(now)
	}
	b := l.bucketOf(maphash.String(l.seed, key), now)
	burst := float64(l.burst)
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

// bucketOf finds or makes the bucket of a hashed key and marks it used,
// forgetting the one used longest ago when the limiter is full.
func (l *Limiter) bucketOf(h uint64, now time.Time) *bucket {
	if e, ok := l.buckets[h]; ok {
		l.byUse.MoveToFront(e)
		return e.Value.(*bucket)
	}
	for len(l.buckets) >= l.max {
		oldest := l.byUse.Back()
		delete(l.buckets, oldest.Value.(*bucket).key)
		l.byUse.Remove(oldest)
	}
	b := &bucket{key: h, tokens: float64(l.burst), last: now}
	l.buckets[h] = l.byUse.PushFront(b)
	return b
}

// sweep drops the buckets that have refilled: they are as good as new.
func (l *Limiter) sweep(now time.Time) {
	burst := float64(l.burst)
	for h, e := range l.buckets {
		b := e.Value.(*bucket)
		if l.perSecond > 0 && b.tokens+now.Sub(b.last).Seconds()*l.perSecond >= burst {
			delete(l.buckets, h)
			l.byUse.Remove(e)
		}
	}
	l.lastSweep = now
}

// Gate is the budget of an expensive or guessable action, such as signing
// in: one limiter per client address, and one for the whole server (against
// many addresses at once). Every route of the action takes from the same
// gate, so a client cannot go around it by switching routes.
type Gate struct {
	perClient, all *Limiter
}

// NewGate returns a gate of clientBurst attempts at once per client,
// refilled at clientPerSecond, and allBurst for the whole server, refilled
// at allPerSecond.
func NewGate(clientPerSecond float64, clientBurst int, allPerSecond float64, allBurst int) *Gate {
	return &Gate{perClient: New(clientPerSecond, clientBurst), all: New(allPerSecond, allBurst)}
}

// Allow takes one attempt from the client's budget and the server's, or
// says how long to wait. A client refused by its own budget takes nothing
// from the server's.
func (g *Gate) Allow(client string, now time.Time) (bool, time.Duration) {
	if ok, wait := g.perClient.Allow(client, now); !ok {
		return false, wait
	}
	return g.all.Allow("all", now)
}
