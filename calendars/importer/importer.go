// Package importer imports the outside busy calendars of interpreters and
// interviewers (issue 5 §4): a scheduled job fetches each one with a
// conditional GET, expands its busy times over the planning horizon with
// calendars.Busy, and stores them as absences with reason "imported", which
// cut holes in availability for suggestions and plans at once. A fetch or
// parse that fails keeps the last good import and records the error.
package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/asylum-scheduling/interviews/calendars"
	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/scheduler"
)

// JobName is the name of the scheduled import job.
const JobName = "import-busy-calendars"

// DefaultSpec runs the import every 30 minutes.
const DefaultSpec = "*/30 * * * *"

// Limits of one import.
const (
	// Ahead is how far ahead busy times are imported when the planning
	// horizon ends sooner (or is not set).
	Ahead = 180 * 24 * time.Hour
	// MaxAhead bounds the import window, whatever the horizon says.
	MaxAhead = 2 * 366 * 24 * time.Hour
	// MaxIntervals is the most busy intervals one calendar may yield in the window.
	MaxIntervals = 5000
	// Concurrency is how many calendars are fetched at once.
	Concurrency = 4
)

// Importer imports busy calendars.
type Importer struct {
	DB     *postgres.DB
	Client *http.Client // SafeClient(nil) unless a test says otherwise
	Log    *slog.Logger
	Now    func() time.Time
	// Actor names the importer in the audit trail when it flags bookings.
	Actor string
}

// New returns an importer whose HTTP client refuses loopback, private and
// other non-public addresses.
func New(db *postgres.DB, log *slog.Logger, now func() time.Time) *Importer {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.NewJSONHandler(io.Discard, nil))
	}
	return &Importer{DB: db, Client: SafeClient(nil), Log: log, Now: now, Actor: "job:" + JobName}
}

// Job is the scheduled job that runs the import at now.
func (im *Importer) Job(spec string) scheduler.Job {
	return scheduler.Job{Name: JobName, Spec: spec, Run: func(ctx context.Context) (string, error) {
		sum, err := im.ImportBusyCalendars(ctx, im.Now())
		return sum.String(), err
	}}
}

// Summary counts what one import did.
type Summary struct {
	Calendars   int `json:"calendars"`
	Fetched     int `json:"fetched"`      // 200: a new document
	NotModified int `json:"not_modified"` // 304: the stored document, over the current window
	Failed      int `json:"failed"`       // fetch or parse failed: the last good import stays
	Added       int `json:"added"`        // absences written
	Removed     int `json:"removed"`      // absences deleted
	Flagged     int `json:"flagged"`      // new absences that break a booking
}

func (s Summary) String() string {
	return fmt.Sprintf("%d calendars: %d fetched, %d not modified, %d failed; %d busy times added, %d removed; %d absences break bookings",
		s.Calendars, s.Fetched, s.NotModified, s.Failed, s.Added, s.Removed, s.Flagged)
}

// Window returns the span busy times are imported over at now: from the
// start of today (in loc) to the end of the planning horizon, or Ahead,
// whichever is later, and at most MaxAhead.
func Window(now time.Time, loc *time.Location, horizonEnd string) (time.Time, time.Time) {
	if loc == nil {
		loc = time.UTC
	}
	l := now.In(loc)
	from := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
	to := from.Add(Ahead)
	if d, err := time.ParseInLocation("2006-01-02", horizonEnd, loc); err == nil {
		if end := d.AddDate(0, 0, 1); end.After(to) {
			to = end
		}
	}
	if to.After(from.Add(MaxAhead)) {
		to = from.Add(MaxAhead)
	}
	return from.UTC(), to.UTC()
}

// ImportBusyCalendars imports every outside calendar at now. A calendar that
// fails is recorded and counted, not returned as an error: the error is for
// the job itself failing (the database unreachable).
func (im *Importer) ImportBusyCalendars(ctx context.Context, now time.Time) (Summary, error) {
	var sum Summary
	st, err := im.DB.Settings(ctx)
	if err != nil {
		return sum, err
	}
	loc, err := time.LoadLocation(st.Timezone)
	if err != nil {
		loc = time.UTC
	}
	horizonEnd := ""
	if st.Horizon != nil {
		horizonEnd = st.Horizon.End
	}
	from, to := Window(now, loc, horizonEnd)
	srcs, err := im.DB.BusySources(ctx)
	if err != nil {
		return sum, err
	}
	sum.Calendars = len(srcs)

	var mu sync.Mutex
	var firstErr error
	work := make(chan resources.BusySource)
	var wg sync.WaitGroup
	for range min(Concurrency, max(1, len(srcs))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for src := range work {
				one, err := im.importOne(ctx, src, now, from, to, loc)
				mu.Lock()
				sum.Fetched += one.Fetched
				sum.NotModified += one.NotModified
				sum.Failed += one.Failed
				sum.Added += one.Added
				sum.Removed += one.Removed
				sum.Flagged += one.Flagged
				if err != nil && firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
			}
		}()
	}
	for _, src := range srcs {
		select {
		case work <- src:
		case <-ctx.Done():
		}
	}
	close(work)
	wg.Wait()
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	return sum, firstErr
}

// importOne imports one calendar. Failures of the calendar are recorded;
// only database failures are returned.
func (im *Importer) importOne(ctx context.Context, src resources.BusySource, now, from, to time.Time, loc *time.Location) (Summary, error) {
	var one Summary
	fail := func(err error) (Summary, error) {
		one.Failed = 1
		msg := err.Error()
		im.Log.WarnContext(ctx, "busy calendar import failed", "owner_kind", src.OwnerKind, "owner", src.OwnerID, "error", msg)
		return one, im.DB.BusyImportFailed(ctx, src.ResourceID, src.URL, now, msg)
	}
	prev := calendars.FetchState{}
	if src.Body != nil { // a conditional GET only when the document it validates is kept
		prev = calendars.FetchState{ETag: src.ETag, LastModified: src.LastModified}
	}
	res, err := calendars.Fetch(ctx, im.Client, src.URL, prev)
	if err != nil {
		if ctx.Err() != nil {
			return one, ctx.Err()
		}
		return fail(err)
	}
	body, store := res.Body, res.Body
	if res.NotModified {
		if src.Body == nil {
			return fail(errors.New("the server answered 304 Not Modified to a request without validators"))
		}
		body, store = src.Body, nil
		one.NotModified = 1
	} else {
		one.Fetched = 1
	}
	ivs, err := calendars.Busy(body, from, to, loc)
	if err != nil {
		// Not stored: the next fetch asks for the whole document again.
		return fail(err)
	}
	if len(ivs) > MaxIntervals {
		return fail(fmt.Errorf("the calendar has %d busy times in the next %d days, more than the limit of %d",
			len(ivs), int(to.Sub(from).Hours()/24), MaxIntervals))
	}
	spans := make([]resources.BusySpan, len(ivs))
	for i, iv := range ivs {
		spans[i] = resources.BusySpan{Start: iv.Start, End: iv.End}
	}
	r, err := im.DB.StoreBusyImport(ctx, src.ResourceID, src.URL, res.State.ETag, res.State.LastModified, store, spans, now)
	if err != nil {
		return one, err
	}
	if r.Stale {
		return Summary{}, nil
	}
	one.Added, one.Removed = len(r.Added), r.Removed
	// Bookings the new busy times break are flagged for a repair, as for an
	// absence entered by hand.
	broken, err := im.DB.AbsencesBreakingBookings(ctx, r.Added)
	if err != nil {
		return one, err
	}
	for _, id := range broken {
		if _, err := im.DB.FlagAbsence(ctx, id, im.Actor); err != nil && !errs.Is(err, errs.NotFound) {
			return one, err
		}
	}
	one.Flagged = len(broken)
	return one, nil
}

// AddrAllowed reports whether an outside calendar may be fetched from ip:
// only public unicast addresses (no loopback, private, link-local, CGNAT,
// multicast, unspecified or documentation ranges).
func AddrAllowed(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() || !ip.IsGlobalUnicast() || ip.IsPrivate() || ip.IsLoopback() || ip.IsLinkLocalUnicast() ||
		ip.IsMulticast() || ip.IsUnspecified() {
		return false
	}
	for _, p := range blocked {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

var blocked = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"), // carrier-grade NAT
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("192.0.2.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("64:ff9b::/96"), // NAT64 can reach private IPv4
	netip.MustParsePrefix("2001:db8::/32"),
}

// ErrAddrNotAllowed is the error of a connection to a refused address.
var ErrAddrNotAllowed = errors.New("the calendar's address is not a public internet address")

// Policy decides whether a connection for a URL's host may go to the
// address the host resolved to.
type Policy func(host string, ip netip.Addr) bool

// SafeClient returns the HTTP client of the import: every connection, also
// after a redirect, is checked after name resolution by allow (nil: public
// addresses only, AddrAllowed; an operator's AllowList.Allows admits named
// hosts and ranges of the own network), so that a calendar URL cannot reach
// the service's own network unless it is listed. No proxy from the
// environment is used (it would hide the address).
func SafeClient(allow Policy) *http.Client {
	if allow == nil {
		allow = func(_ string, ip netip.Addr) bool { return AddrAllowed(ip) }
	}
	base := net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	dial := func(ctx context.Context, network, address string) (net.Conn, error) {
		host, _, err := net.SplitHostPort(address)
		if err != nil {
			return nil, err
		}
		d := base
		// Control sees the resolved address of each attempt: a DNS answer
		// cannot lead past the check.
		d.Control = func(_, resolved string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(resolved)
			if err != nil || !allow(host, ap.Addr()) {
				return ErrAddrNotAllowed
			}
			return nil
		}
		return d.DialContext(ctx, network, address)
	}
	tr := &http.Transport{
		Proxy:                 nil,
		DialContext:           dial,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          16,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 20 * time.Second,
	}
	return &http.Client{Transport: tr, Timeout: calendars.FetchTimeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 5 {
				return errors.New("too many redirects")
			}
			if s := strings.ToLower(req.URL.Scheme); s != "http" && s != "https" {
				return fmt.Errorf("redirect to a %s URL", s)
			}
			return nil
		}}
}
