package api_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/resources"
)

// Every /v1 answer holds personal data: successes and errors alike carry
// Cache-Control: no-store and nosniff.
func TestPrivateHeadersOnEveryAPIAnswer(t *testing.T) {
	t.Parallel()
	e, _, _ := newBookingEnv(t, nil)
	for _, c := range []struct {
		role         resources.Role
		method, path string
		status       int
	}{
		{resources.RoleClerk, "GET", "/v1/interviews?limit=2", 200},
		{resources.RoleClerk, "GET", "/v1/interviews/I-1", 200},
		{resources.RoleClerk, "GET", "/v1/bookings", 200},
		{resources.RoleClerk, "GET", "/v1/instance", 200},
		{resources.RoleManager, "GET", "/v1/plans", 200},
		{resources.RoleClerk, "GET", "/v1/interviews/nobody", 404},
		{"", "GET", "/v1/interviews", 401},
	} {
		r := e.do(c.role, c.method, c.path, nil)
		require.Equal(t, c.status, r.Status, "%s %s: %s", c.method, c.path, r.Body)
		require.Equal(t, "no-store", r.Header.Get("Cache-Control"), "%s %s", c.method, c.path)
		require.Equal(t, "nosniff", r.Header.Get("X-Content-Type-Options"), "%s %s", c.method, c.path)
	}
}

// Problem answers outside /v1 carry the same headers: a 405 too.
func TestPrivateHeadersOnProblemsElsewhere(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, c := range []struct {
		method, path string
		status       int
	}{
		{"DELETE", "/healthz", 405},
		{"POST", "/openapi.yaml", 405},
		{"GET", "/feeds/nope.ics", 404},
		{"GET", "/no/such/endpoint", 404},
	} {
		r := e.do("", c.method, c.path, nil)
		require.Equal(t, c.status, r.Status, "%s %s: %s", c.method, c.path, r.Body)
		require.Equal(t, "application/problem+json", r.Header.Get("Content-Type"), "%s %s", c.method, c.path)
		require.Equal(t, "no-store", r.Header.Get("Cache-Control"), "%s %s", c.method, c.path)
		require.Equal(t, "nosniff", r.Header.Get("X-Content-Type-Options"), "%s %s", c.method, c.path)
	}
}

// A calendar feed has its own caching rule: a calendar app may keep a copy
// but asks again (private, no-cache) and gets 304 while nothing changed; it
// is never sniffed either.
func TestFeedHeadersKeepConditionalGET(t *testing.T) {
	t.Parallel()
	e, _ := newFeedEnv(t)
	_, path := e.newFeed("interpreter", "t1")
	r := e.do("", "GET", path, nil)
	require.Equal(t, 200, r.Status, "%s", r.Body)
	require.Equal(t, "private, no-cache", r.Header.Get("Cache-Control"))
	require.Equal(t, "nosniff", r.Header.Get("X-Content-Type-Options"))
	r = e.do("", "GET", path, nil, "If-None-Match", r.Header.Get("ETag"))
	require.Equal(t, 304, r.Status)
	require.Equal(t, "private, no-cache", r.Header.Get("Cache-Control"))
}
