package api

import (
	"sync"
)

// listCache keeps rendered list pages while the database's state counters
// stand (postgres.StateVersions): lists of 1,000 resources with their
// availability cost more to encode than to keep. An entry filled after
// reading versions v holds data at least as new as v, and is served only
// while v is still current, so it is never stale. When the counters move the
// whole cache is dropped.
type listCache struct {
	mu      sync.Mutex
	ver     [2]int64
	bodies  map[string][]byte
	size    int
	maxSize int
}

func newListCache(maxBytes int) *listCache {
	return &listCache{bodies: map[string][]byte{}, maxSize: maxBytes}
}

func (c *listCache) get(key string, ver [2]int64) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if ver != c.ver {
		return nil, false
	}
	b, ok := c.bodies[key]
	return b, ok
}

func (c *listCache) put(key string, ver [2]int64, body []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if ver[0] < c.ver[0] || ver[1] < c.ver[1] {
		return // read before a newer state was seen
	}
	if ver != c.ver || c.size+len(body) > c.maxSize {
		c.bodies, c.size, c.ver = map[string][]byte{}, 0, ver
	}
	if len(body) > c.maxSize {
		return
	}
	c.bodies[key] = body
	c.size += len(body)
}
