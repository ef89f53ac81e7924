package postgres

// staff_sessions.go keeps the sessions of the agency's staff on the pages
// (signed in with an API token or with the agency's OpenID provider) and the
// OpenID sign-ins under way. Only SHA-256 hashes of the secrets are stored.

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
)

// Kinds of staff sessions: opened with an API token or by an OpenID provider.
const (
	StaffByToken = "token"
	StaffByOIDC  = "oidc"
)

// StaffSession is a signed-in member of staff.
type StaffSession struct {
	Kind    string // StaffByToken or StaffByOIDC
	Subject string // the token's id, or the provider's subject
	Name    string
	Role    resources.Role
	CSRF    string
	Flash   string // a confirmation for the next page
	Created time.Time
	Expires time.Time
}

// CreateStaffSession stores a session (the hash of its secret) and deletes
// sessions that have ended (idle for longer than idle, or expired).
func (db *DB) CreateStaffSession(ctx context.Context, hash []byte, s StaffSession, now time.Time, idle time.Duration) error {
	err := WithTx(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `delete from staff_sessions where expires_at <= $1 or last_seen_at <= $2`, now, now.Add(-idle)); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `insert into staff_sessions (hash, kind, subject, name, role, csrf, created_at, last_seen_at, expires_at)
			values ($1, $2, $3, $4, $5, $6, $7, $7, $8)`, hash, s.Kind, s.Subject, s.Name, string(s.Role), s.CSRF, now, s.Expires)
		return err
	})
	return Translate(err)
}

// StaffSessionByHash returns a live session: not expired, and seen within
// idle. It marks the session seen (at most once a minute).
func (db *DB) StaffSessionByHash(ctx context.Context, hash []byte, now time.Time, idle time.Duration) (*StaffSession, error) {
	var s StaffSession
	var seen time.Time
	var role string
	err := db.pool.QueryRow(ctx, `select kind, subject, name, role, csrf, flash, created_at, expires_at, last_seen_at
		from staff_sessions where hash = $1 and expires_at > $2 and last_seen_at > $3`, hash, now, now.Add(-idle)).
		Scan(&s.Kind, &s.Subject, &s.Name, &role, &s.CSRF, &s.Flash, &s.Created, &s.Expires, &seen)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errs.E(errs.Unauthorized, "not signed in")
	}
	if err != nil {
		return nil, Translate(err)
	}
	s.Role = resources.Role(role)
	if now.Sub(seen) >= time.Minute {
		if _, err := db.pool.Exec(ctx, `update staff_sessions set last_seen_at = $2 where hash = $1`, hash, now); err != nil {
			return nil, Translate(err)
		}
	}
	return &s, nil
}

// SetStaffFlash keeps a confirmation for a session's next page ("" clears it).
func (db *DB) SetStaffFlash(ctx context.Context, hash []byte, msg string) error {
	_, err := db.pool.Exec(ctx, `update staff_sessions set flash = $2 where hash = $1`, hash, msg)
	return Translate(err)
}

// DeleteStaffSession signs one session out.
func (db *DB) DeleteStaffSession(ctx context.Context, hash []byte) error {
	_, err := db.pool.Exec(ctx, `delete from staff_sessions where hash = $1`, hash)
	return Translate(err)
}

// DeleteStaffSessionsOf ends every session of a subject (sign-out
// everywhere, a revoked token) and returns how many there were.
func (db *DB) DeleteStaffSessionsOf(ctx context.Context, kind, subject string) (int64, error) {
	tag, err := db.pool.Exec(ctx, `delete from staff_sessions where kind = $1 and subject = $2`, kind, subject)
	return tag.RowsAffected(), Translate(err)
}

// OIDCLogin is an OpenID sign-in under way.
type OIDCLogin struct {
	Nonce, Verifier, Next string
}

// CreateOIDCLogin stores a sign-in under way by the hash of its state, and
// deletes those that expired.
func (db *DB) CreateOIDCLogin(ctx context.Context, stateHash []byte, l OIDCLogin, now time.Time, ttl time.Duration) error {
	err := WithTx(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `delete from oidc_logins where expires_at <= $1`, now); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `insert into oidc_logins (state_hash, nonce, verifier, next, expires_at) values ($1, $2, $3, $4, $5)`,
			stateHash, l.Nonce, l.Verifier, l.Next, now.Add(ttl))
		return err
	})
	return Translate(err)
}

// TakeOIDCLogin returns and deletes a sign-in under way: a state is good
// for one answer, before it expires.
func (db *DB) TakeOIDCLogin(ctx context.Context, stateHash []byte, now time.Time) (*OIDCLogin, error) {
	var l OIDCLogin
	err := db.pool.QueryRow(ctx, `delete from oidc_logins where state_hash = $1 and expires_at > $2 returning nonce, verifier, next`,
		stateHash, now).Scan(&l.Nonce, &l.Verifier, &l.Next)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errs.E(errs.Unauthorized, "this sign-in has expired or was used: sign in again")
	}
	return &l, Translate(err)
}
