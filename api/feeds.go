package api

import (
	"encoding/json"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/asylum-scheduling/interviews/internal/httprec"
	"github.com/asylum-scheduling/interviews/internal/ratelimit"

	"github.com/go-chi/chi/v5"
	"golang.org/x/text/language"

	"github.com/asylum-scheduling/interviews/calendars"
	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
)

// Calendar feeds (issue 5): GET|HEAD /feeds/{token}.ics, public (the token
// in the URL is the secret), and their management under /v1/feeds, plus the
// outside busy calendars of interpreters and interviewers.

// FeedUIDDomain ends every event UID: "booking-123@" + FeedUIDDomain. It is
// fixed, not the host name, so that a UID stays the same whichever address
// a client subscribed with.
const FeedUIDDomain = calendars.UIDDomain

// RateLimit is a token bucket: Burst requests at once, refilled at
// PerSecond. A zero Burst means no limit.
type RateLimit struct {
	PerSecond float64
	Burst     int
}

// Default feed rate limits: calendar apps poll about hourly.
var (
	// DefaultFeedTokenLimit: per feed token (also unknown ones).
	DefaultFeedTokenLimit = RateLimit{PerSecond: 0.1, Burst: 20}
	// DefaultFeedIPLimit: per client address, all tokens together.
	DefaultFeedIPLimit = RateLimit{PerSecond: 5, Burst: 200}
)

// feedCacheMaxBytes bounds the rendered bodies kept in memory.
const feedCacheMaxBytes = 64 << 20

// FeedService serves the calendar feeds: rate limits per token and per
// client, and a cache of rendered bodies (valid while the state version
// stands), shared by every request of the server.
type FeedService struct {
	mu       sync.Mutex
	base     string // public base URL of feed links; "" = from the request
	byToken  *ratelimit.Limiter
	byIP     *ratelimit.Limiter
	cache    map[string]*renderedFeed // by owner kind and id
	inflight map[string]*feedFlight
	size     int
}

// FeedOptions configure a FeedService.
type FeedOptions struct {
	// BaseURL is the public base URL of feed links, such as
	// https://interviews.example.org ("": from each request).
	BaseURL string
	// TokenLimit and IPLimit limit feed requests per token and per client
	// address (nil: the defaults; a zero Burst: no limit).
	TokenLimit, IPLimit *RateLimit
}

// NewFeedService returns the feed service.
func NewFeedService(o FeedOptions) *FeedService {
	tok, ip := DefaultFeedTokenLimit, DefaultFeedIPLimit
	if o.TokenLimit != nil {
		tok = *o.TokenLimit
	}
	if o.IPLimit != nil {
		ip = *o.IPLimit
	}
	return &FeedService{
		base:     strings.TrimRight(o.BaseURL, "/"),
		byToken:  ratelimit.New(tok.PerSecond, tok.Burst),
		byIP:     ratelimit.New(ip.PerSecond, ip.Burst),
		cache:    map[string]*renderedFeed{},
		inflight: map[string]*feedFlight{},
	}
}

// renderedFeed is a feed body, valid while the state version stands and
// until the window moves an event in or out.
type renderedFeed struct {
	version    int64
	validUntil time.Time
	body       []byte
	etag       string
	lastMod    time.Time
}

// mountFeeds mounts the public feed route (no bearer token).
func (s *Server) mountFeeds(r chi.Router) {
	r.Group(func(r chi.Router) {
		r.Use(timeout(s.requestTimeout))
		r.Get("/feeds/{token}.ics", s.serveFeed)
		r.Head("/feeds/{token}.ics", s.serveFeed)
	})
}

// mountFeedAdmin mounts /v1/feeds and the busy calendars (inside /v1).
func (s *Server) mountFeedAdmin(r chi.Router) {
	r.Group(func(r chi.Router) {
		r.Use(require(resources.RoleManager))
		r.Get("/feeds", s.h(s.listFeeds))
		r.Post("/feeds", s.h(s.createFeed))
		r.Post("/feeds/{id}/rotate", s.h(s.rotateFeed))
		r.Delete("/feeds/{id}", s.h(s.revokeFeed))
		r.Get("/busy-calendars", s.h(s.listBusyCalendars))
		for _, owner := range []resources.AbsenceOwner{resources.AbsenceOfInterviewer, resources.AbsenceOfInterpreter} {
			r.Put("/"+owner.String()+"s/{id}/busy-calendar", s.h(func(w http.ResponseWriter, r *http.Request) error {
				var req struct {
					URL string `json:"url"`
				}
				if err := decode(r, &req); err != nil {
					return err
				}
				out, err := s.records.PutBusyCalendar(r.Context(), owner, chi.URLParam(r, "id"), req.URL)
				if err != nil {
					return err
				}
				writeJSON(w, http.StatusOK, out)
				return nil
			}))
			r.Delete("/"+owner.String()+"s/{id}/busy-calendar", s.h(func(w http.ResponseWriter, r *http.Request) error {
				if err := s.records.DeleteBusyCalendar(r.Context(), owner, chi.URLParam(r, "id")); err != nil {
					return err
				}
				w.WriteHeader(http.StatusNoContent)
				return nil
			}))
		}
	})
}

// ---- management

type feedRequest struct {
	OwnerKind string `json:"owner_kind"`
	OwnerID   string `json:"owner_id"`
}

type feedCreated struct {
	resources.FeedToken
	URL string `json:"url"`
}

func (s *Server) feedURL(r *http.Request, token string) string {
	f := s.feeds
	f.mu.Lock()
	base := f.base
	f.mu.Unlock()
	if base == "" {
		scheme := "http"
		if s.proxies.HTTPS(r) {
			scheme = "https"
		}
		base = scheme + "://" + r.Host
	}
	return base + "/feeds/" + token + ".ics"
}

func (s *Server) createFeed(w http.ResponseWriter, r *http.Request) error {
	var req feedRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	token, f, err := s.records.CreateFeedToken(r.Context(), req.OwnerKind, req.OwnerID, TokenFrom(r.Context()).Name)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, feedCreated{FeedToken: *f, URL: s.feedURL(r, token)})
	return nil
}

func (s *Server) listFeeds(w http.ResponseWriter, r *http.Request) error {
	if err := onlyParams(r, "owner_kind", "owner_id"); err != nil {
		return err
	}
	q := r.URL.Query()
	fs, err := s.db.FeedTokens(r.Context(), q.Get("owner_kind"), q.Get("owner_id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": fs})
	return nil
}

func feedID(r *http.Request) (int64, error) { return pathID(r, "id", "feed") }

func (s *Server) rotateFeed(w http.ResponseWriter, r *http.Request) error {
	id, err := feedID(r)
	if err != nil {
		return err
	}
	token, f, err := s.records.RotateFeedToken(r.Context(), id)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, feedCreated{FeedToken: *f, URL: s.feedURL(r, token)})
	return nil
}

func (s *Server) revokeFeed(w http.ResponseWriter, r *http.Request) error {
	id, err := feedID(r)
	if err != nil {
		return err
	}
	if err := s.records.RevokeFeedToken(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) listBusyCalendars(w http.ResponseWriter, r *http.Request) error {
	if err := onlyParams(r); err != nil {
		return err
	}
	bs, err := s.db.BusyCalendars(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": bs})
	return nil
}

// ---- the feed

func (s *Server) serveFeed(w http.ResponseWriter, r *http.Request) {
	rec := &httprec.Recorder{ResponseWriter: w}
	defer func() { s.observer.FeedAnswered(rec.Answered()) }()
	s.answerFeed(rec, r)
}

// answerFeed answers a feed request: rate limits, the token, the body from
// the cache or rendered afresh, conditional GET.
func (s *Server) answerFeed(w http.ResponseWriter, r *http.Request) {
	f := s.feeds
	token := chi.URLParam(r, "token")
	now := s.now()
	if ok, wait := f.byIP.Allow("ip:"+s.proxies.Client(r), now); !ok {
		tooMany(w, wait)
		return
	}
	if ok, wait := f.byToken.Allow(token, now); !ok {
		tooMany(w, wait)
		return
	}
	ctx := r.Context()
	ft, err := s.db.FeedByToken(ctx, token)
	if err != nil {
		writeProblem(w, r, s.log, err)
		return
	}
	c, err := f.rendered(r, ft, now, func() (*renderedFeed, error) { return s.renderFeed(r, ft, now) })
	if err != nil {
		if errs.Is(err, errs.NotFound) {
			err = errs.E(errs.NotFound, "no such feed") // the owner is gone: as for an unknown token
		}
		writeProblem(w, r, s.log, err)
		return
	}
	lastMod := c.lastMod
	changed := ft.ChangedAt
	if ft.BodyETag != c.etag {
		if changed, err = s.records.FeedBodyChanged(ctx, ft.ID, c.etag, now); err != nil {
			writeProblem(w, r, s.log, err)
			return
		}
	}
	if changed.After(lastMod) && !changed.After(now) {
		lastMod = changed
	}
	calendars.ServeFeed(w, r, c.body, lastMod)
}

// feedFlight is a rendering under way, which other requests for the same
// owner wait for instead of rendering too.
type feedFlight struct {
	done chan struct{}
	c    *renderedFeed
	err  error
}

// fresh: rendered at the state version v or later, and still in its window.
func (c *renderedFeed) fresh(v int64, now time.Time) bool {
	return c != nil && c.version >= v && now.Before(c.validUntil)
}

// rendered returns the owner's cached feed if it is fresh, else renders it
// once for all the requests that want it at the same time.
func (f *FeedService) rendered(r *http.Request, ft *resources.FeedLookup, now time.Time, render func() (*renderedFeed, error)) (*renderedFeed, error) {
	key := ft.OwnerKind + "\x00" + ft.OwnerID
	f.mu.Lock()
	if c := f.cache[key]; c.fresh(ft.StateVersion, now) {
		f.mu.Unlock()
		return c, nil
	}
	if fl := f.inflight[key]; fl != nil {
		f.mu.Unlock()
		select {
		case <-fl.done:
		case <-r.Context().Done():
			return nil, r.Context().Err()
		}
		if fl.err == nil && fl.c.fresh(ft.StateVersion, now) {
			return fl.c, nil
		}
		return render() // it failed, or is older than this request's state: no waiting twice
	}
	fl := &feedFlight{done: make(chan struct{})}
	f.inflight[key] = fl
	f.mu.Unlock()
	defer close(fl.done)
	fl.c, fl.err = render()
	f.mu.Lock()
	delete(f.inflight, key)
	f.mu.Unlock()
	if fl.err == nil {
		f.store(key, fl.c)
	}
	return fl.c, fl.err
}

func (f *FeedService) store(key string, c *renderedFeed) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if old := f.cache[key]; old != nil && old.version > c.version {
		return // a newer rendering got there first
	}
	if old := f.cache[key]; old != nil {
		f.size -= len(old.body)
	}
	if f.size+len(c.body) > feedCacheMaxBytes {
		f.cache, f.size = map[string]*renderedFeed{}, 0
	}
	f.cache[key] = c
	f.size += len(c.body)
}

// feedHistory is how far back bookings are read beyond the window, so that
// those which recently left it still count for Last-Modified.
const feedHistory = 30 * 24 * time.Hour

func (s *Server) renderFeed(r *http.Request, ft *resources.FeedLookup, now time.Time) (*renderedFeed, error) {
	w := resources.FeedWindow{
		From:           now.Add(-calendars.WindowBack - feedHistory),
		To:             now.Add(calendars.WindowAhead),
		CancelledAfter: now.Add(-calendars.CancelledKeep - feedHistory),
	}
	data, err := s.db.FeedData(r.Context(), ft.OwnerKind, ft.OwnerID, w, now)
	if err != nil {
		return nil, err
	}
	feed := calendars.Feed{Name: feedName(ft.OwnerKind, data.OwnerLabel), Events: make([]calendars.Event, 0, len(data.Items))}
	valid := now.Add(calendars.WindowAhead) // re-render at least this often
	later := func(t time.Time) {
		if t.After(now) && t.Before(valid) {
			valid = t
		}
	}
	for _, it := range data.Items {
		e := feedEvent(it)
		feed.Events = append(feed.Events, e)
		later(e.Start.Add(-calendars.WindowAhead))
		later(e.End.Add(calendars.WindowBack))
		if e.Status == calendars.StatusCancelled {
			later(e.Updated.Add(calendars.CancelledKeep))
		}
		if it.Hold {
			later(it.Expires)
		}
		later(e.Updated) // a change stamped in the future
	}
	body, err := calendars.Render(feed, now)
	if err != nil {
		return nil, err
	}
	return &renderedFeed{version: data.StateVersion, validUntil: valid, body: body, etag: calendars.ETag(body),
		lastMod: calendars.LastModified(feed, now)}, nil
}

func feedName(kind, label string) string {
	switch kind {
	case resources.FeedOffice:
		return "Asylum interviews · office " + label
	default:
		return "Asylum interviews · " + kind + " " + label
	}
}

// feedEvent maps a booking or hold to an event: the interview's id as the
// opaque reference, never its case number; no person's name.
func feedEvent(it resources.FeedItem) calendars.Event {
	e := calendars.Event{
		UID:       "booking-" + strconv.FormatInt(it.ID, 10) + "@" + FeedUIDDomain,
		Sequence:  it.Sequence,
		Updated:   it.Updated.UTC(),
		Start:     it.Start.UTC(),
		End:       it.End.UTC(),
		Status:    calendars.StatusConfirmed,
		Mode:      it.Mode,
		Office:    it.Office,
		Room:      it.Room,
		Reference: it.Interview,
	}
	if _, err := language.Parse(it.Language); err == nil {
		e.Language = it.Language
	}
	switch {
	case it.Hold:
		e.UID = "hold-" + strconv.FormatInt(it.ID, 10) + "@" + FeedUIDDomain
		e.Status = calendars.StatusTentative
	case it.Status == "cancelled":
		e.Status = calendars.StatusCancelled
	}
	switch e.Mode {
	case calendars.ModeOnsite, calendars.ModeRemote, calendars.ModeNone:
	default:
		e.Mode = calendars.ModeNone
	}
	if e.Mode == calendars.ModeRemote {
		e.JoinInfo = "Video link is sent by the office before the interview; room " + it.Room
	}
	return e
}

// RateLimited is the body of a 429 answer.
type RateLimited struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Code   string `json:"code"`
}

func tooMany(w http.ResponseWriter, wait time.Duration) {
	secs := int(math.Ceil(wait.Seconds()))
	if secs < 1 {
		secs = 1
	}
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusTooManyRequests)
	json.NewEncoder(w).Encode(RateLimited{Type: ProblemType + "rate_limited", Title: http.StatusText(http.StatusTooManyRequests),
		Status: http.StatusTooManyRequests, Detail: "too many requests for this feed: try again in " + strconv.Itoa(secs) + " s",
		Code: "rate_limited"})
}
