package scheduler

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/resources"
)

// Access log defaults: a batch is written every FlushEvery or when it
// holds FlushRows reads, whichever comes first.
const (
	AccessFlushEvery = time.Second
	AccessFlushRows  = 200
	accessBuffer     = 8192
	// accessPendingMax bounds the reads kept for another try while the
	// database refuses them; past it the oldest are dropped (and counted in
	// the log), so that an outage cannot exhaust memory.
	accessPendingMax = 100_000
	// accessWriteTimeout bounds one batch's write. A write is never
	// cancelled by the writer's stop: a cancel that arrives after the
	// database committed would report a failure, and the batch would be
	// written twice.
	accessWriteTimeout = 10 * time.Second
)

// Reader is who read personal data: an API token or a staff user.
type Reader struct {
	Kind string // "token" or "oidc"
	ID   string // the token's id or the provider's subject
	Role resources.Role
}

// AccessLog records reads of personal data by staff (issue 26) off the
// request path: Record puts a read in a buffered channel; one goroutine
// (Run) appends them to the store in batches — every AccessFlushEvery or
// AccessFlushRows reads — and flushes what is left when it stops. A full
// buffer makes Record wait (back-pressure) rather than lose a read.
type AccessLog struct {
	db      *postgres.DB
	log     *slog.Logger
	now     func() time.Time
	every   time.Duration
	rows    int
	ch      chan postgres.AccessRow
	flushes chan chan error
	stopped chan struct{}
	once    sync.Once
}

// NewAccessLog returns the access log writer on db; call Run to start it.
func NewAccessLog(db *postgres.DB, log *slog.Logger, now func() time.Time) *AccessLog {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if now == nil {
		now = time.Now
	}
	return &AccessLog{db: db, log: log, now: now, every: AccessFlushEvery, rows: AccessFlushRows,
		ch: make(chan postgres.AccessRow, accessBuffer), flushes: make(chan chan error), stopped: make(chan struct{})}
}

// Record notes that who read subject (kind and id; id "" for a list)
// through route ("GET /v1/interviews/{id}"). It returns at once unless the
// buffer is full; then it waits for room or for ctx.
func (a *AccessLog) Record(ctx context.Context, who Reader, kind, id, route string) {
	if a == nil || who.ID == "" {
		return
	}
	row := postgres.AccessRow{At: a.now(), ActorKind: who.Kind, Actor: who.ID, Role: who.Role, SubjectKind: kind, SubjectID: id, Route: route}
	select {
	case a.ch <- row:
		return
	default:
	}
	select {
	case a.ch <- row:
	case <-ctx.Done():
		a.log.Error("access log: buffer full, a read was not recorded", "subject_kind", kind, "route", route)
	case <-a.stopped:
	}
}

// Flush writes every read recorded before it was called, and returns the
// store's error if any. It needs Run to be running.
func (a *AccessLog) Flush(ctx context.Context) error {
	done := make(chan error, 1)
	select {
	case a.flushes <- done:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Run writes batches until ctx ends, then writes what is left and
// returns. Each write has its own deadline (accessWriteTimeout) and is not
// cancelled by ctx: a write under way when ctx ends is finished first.
func (a *AccessLog) Run(ctx context.Context) {
	t := time.NewTicker(a.every)
	defer t.Stop()
	var batch []postgres.AccessRow
	failing := false // the last write failed: wait for the ticker
	write := func() error {
		if len(batch) == 0 {
			return nil
		}
		wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), accessWriteTimeout)
		defer cancel()
		err := a.db.AppendAccess(wctx, batch)
		failing = err != nil
		if err != nil {
			a.log.Error("access log: write", "rows", len(batch), "error", err.Error())
			if len(batch) > accessPendingMax {
				a.log.Error("access log: reads dropped after failed writes", "rows", len(batch)-accessPendingMax)
				batch = append(batch[:0], batch[len(batch)-accessPendingMax:]...)
			}
			return err
		}
		batch = batch[:0]
		return nil
	}
	drain := func() {
		for {
			select {
			case row := <-a.ch:
				batch = append(batch, row)
			default:
				return
			}
		}
	}
	for {
		select {
		case row := <-a.ch:
			batch = append(batch, row)
			if len(batch) >= a.rows && !failing {
				write()
			}
		case <-t.C:
			write()
		case done := <-a.flushes:
			drain()
			done <- write()
		case <-ctx.Done():
			a.once.Do(func() { close(a.stopped) })
			drain()
			write()
			return
		}
	}
}
