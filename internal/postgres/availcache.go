package postgres

import (
	"slices"
	"sync"
	"time"

	"github.com/asylum-scheduling/interviews/solver"
)

// availCacheMax bounds the lists an availCache holds; past it, the cache
// starts afresh (a list page reads at most 1,000 lists, and an agency has
// a few thousand resources).
const availCacheMax = 50_000

// availCache holds formatted availability lists by resource, version
// (migration 007: a version names one list for good) and time zone, for list
// pages: after a change elsewhere, a page of 1,000 interpreters reads their
// versions and only the lists that changed.
type availCache struct {
	mu sync.Mutex
	m  map[availKey][]solver.Interval
}

type availKey struct {
	resource, version int64
	zone              string
}

func newAvailCache() *availCache {
	return &availCache{m: map[availKey][]solver.Interval{}}
}

// get returns a copy of the list of resource at version, formatted in loc.
func (c *availCache) get(resource, version int64, loc *time.Location) ([]solver.Interval, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ivs, ok := c.m[availKey{resource, version, loc.String()}]
	return slices.Clone(ivs), ok
}

// put keeps a copy of the list of resource at version, formatted in loc.
func (c *availCache) put(resource, version int64, loc *time.Location, ivs []solver.Interval) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= availCacheMax {
		clear(c.m)
	}
	c.m[availKey{resource, version, loc.String()}] = slices.Clone(ivs)
}
