package postgres

import (
	"context"
	"errors"
	"io"
	"net"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Backstops against a database that stops answering. Every call runs under
// its request's context and deadline; these bound what a context cannot:
// connecting (a frozen server accepts the socket but never answers), a
// statement or lock wait that outlives every request limit, a session left
// idle inside a transaction.
const (
	ConnectTimeout       = 5 * time.Second
	StatementTimeout     = 3 * time.Minute // longer than the longest request (an instance import, 2 min)
	LockTimeout          = 30 * time.Second
	IdleInTransaction    = time.Minute
	rollbackTimeout      = 5 * time.Second
	healthCheckPeriod    = 10 * time.Second
	maxConnectionIdle    = 5 * time.Minute
	maxConnectionLife    = time.Hour
	connectionLifeJitter = 5 * time.Minute
)

// guardConnections sets the pool's timeouts and the sessions' backstops.
func guardConnections(cfg *pgxpool.Config) {
	if cfg.ConnConfig.ConnectTimeout == 0 || cfg.ConnConfig.ConnectTimeout > ConnectTimeout {
		cfg.ConnConfig.ConnectTimeout = ConnectTimeout
	}
	rp := cfg.ConnConfig.RuntimeParams
	for name, d := range map[string]time.Duration{
		"statement_timeout":                   StatementTimeout,
		"lock_timeout":                        LockTimeout,
		"idle_in_transaction_session_timeout": IdleInTransaction,
	} {
		if _, set := rp[name]; !set {
			rp[name] = strconv.FormatInt(d.Milliseconds(), 10)
		}
	}
	cfg.HealthCheckPeriod = healthCheckPeriod
	cfg.MaxConnIdleTime = maxConnectionIdle
	cfg.MaxConnLifetime = maxConnectionLife
	cfg.MaxConnLifetimeJitter = connectionLifeJitter
}

// rollback ends a transaction that did not commit. It runs on after the
// request's context ended (that is often why), but not forever: a frozen
// server gets a few seconds, then the connection is dropped.
func rollback(ctx context.Context, tx pgx.Tx) {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), rollbackTimeout)
	defer cancel()
	tx.Rollback(rctx)
}

// unreachable reports whether err says the database could not be reached or
// the connection broke: the server is down, restarting, frozen or the
// network is gone. Such errors are worth a retry later, not a 500.
func unreachable(err error) bool {
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) {
		return true
	}
	return pgconn.Timeout(err) || pgconn.SafeToRetry(err)
}
