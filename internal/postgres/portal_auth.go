package postgres

// portal_auth.go keeps the sign-in of people outside the agency: one-time
// links sent by e-mail and the sessions they open. Only SHA-256 hashes of
// the secrets are stored.

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
)

// PortalPeople lists the interpreters and parties with an e-mail address
// (compared case-insensitively), active ones only.
func (db *DB) PortalPeople(ctx context.Context, email string) ([]resources.PortalPerson, error) {
	rows, _ := db.pool.Query(ctx, `select 'interpreter', id, name, email, locale from interpreters
			where lower(email) = lower($1) and email <> '' and active
		union all select 'counsel', id, name, email, locale from parties
			where lower(email) = lower($1) and email <> '' and active
		order by 1, 2`, email)
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (resources.PortalPerson, error) {
		var p resources.PortalPerson
		return p, r.Scan(&p.Role, &p.ID, &p.Name, &p.Email, &p.Locale)
	})
	return out, Translate(err)
}

// PortalPerson returns one person who may sign in, by role and id.
func (db *DB) PortalPerson(ctx context.Context, role, id string) (*resources.PortalPerson, error) {
	table := map[string]string{resources.PortalInterpreter: "interpreters", resources.PortalCounsel: "parties"}[role]
	if table == "" {
		return nil, errs.E(errs.NotFound, "no such person")
	}
	p := resources.PortalPerson{Role: role}
	err := db.pool.QueryRow(ctx, `select id, name, email, locale from `+table+` where id = $1 and active`, id).
		Scan(&p.ID, &p.Name, &p.Email, &p.Locale)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "no such person")
	}
	return &p, Translate(err)
}

// CreateSigninLink stores a sign-in link for a person: the hash of its
// secret, never the secret (its mail is sent at once, not kept in the
// outbox, so the secret is stored nowhere).
func (db *DB) CreateSigninLink(ctx context.Context, p resources.PortalPerson, hash []byte, now time.Time, ttl time.Duration) error {
	_, err := db.pool.Exec(ctx, `insert into signin_links (hash, role, person_id, created_at, expires_at) values ($1, $2, $3, $4, $5)`,
		hash, p.Role, p.ID, now, now.Add(ttl))
	return Translate(err)
}

// UseSigninLink spends a link: it must exist, be unused and not expired;
// afterwards it is used. It returns the person it signs in.
func (db *DB) UseSigninLink(ctx context.Context, hash []byte, now time.Time) (role, person string, err error) {
	err = db.pool.QueryRow(ctx, `update signin_links set used_at = $2 where hash = $1 and used_at is null and expires_at > $2
		returning role, person_id`, hash, now).Scan(&role, &person)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", "", errs.E(errs.Unauthorized, "this sign-in link has been used or has expired: ask for a new one")
	}
	return role, person, Translate(err)
}

// CreatePortalSession stores a session (the hash of its secret).
func (db *DB) CreatePortalSession(ctx context.Context, hash []byte, s resources.PortalSession, now time.Time) error {
	_, err := db.pool.Exec(ctx, `insert into portal_sessions (hash, role, person_id, locale, csrf, created_at, last_seen_at, expires_at)
		values ($1, $2, $3, $4, $5, $6, $6, $7)`, hash, s.Role, s.PersonID, s.Locale, s.CSRF, now, s.ExpiresAt)
	return Translate(err)
}

// PortalSession returns a live session: not expired, and seen within idle.
// It marks the session seen (at most once a minute).
func (db *DB) PortalSession(ctx context.Context, hash []byte, now time.Time, idle time.Duration) (*resources.PortalSession, error) {
	var s resources.PortalSession
	var seen time.Time
	err := db.pool.QueryRow(ctx, `select s.role, s.person_id, s.locale, s.csrf, s.expires_at, s.last_seen_at,
			coalesce(t.name, p.name, '')
		from portal_sessions s left join interpreters t on s.role = 'interpreter' and t.id = s.person_id
			left join parties p on s.role = 'counsel' and p.id = s.person_id
		where s.hash = $1 and s.expires_at > $2 and s.last_seen_at > $3`, hash, now, now.Add(-idle)).
		Scan(&s.Role, &s.PersonID, &s.Locale, &s.CSRF, &s.ExpiresAt, &seen, &s.Name)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errs.E(errs.Unauthorized, "not signed in")
	}
	if err != nil {
		return nil, Translate(err)
	}
	if now.Sub(seen) >= time.Minute {
		if _, err := db.pool.Exec(ctx, `update portal_sessions set last_seen_at = $2 where hash = $1`, hash, now); err != nil {
			return nil, Translate(err)
		}
	}
	return &s, nil
}

// SetPortalLocale keeps the language a signed-in person chose.
func (db *DB) SetPortalLocale(ctx context.Context, hash []byte, locale string) error {
	_, err := db.pool.Exec(ctx, `update portal_sessions set locale = $2 where hash = $1`, hash, locale)
	return Translate(err)
}

// DeletePortalSession signs a session out.
func (db *DB) DeletePortalSession(ctx context.Context, hash []byte) error {
	_, err := db.pool.Exec(ctx, `delete from portal_sessions where hash = $1`, hash)
	return Translate(err)
}

// ClearPortalAuth deletes expired links and sessions (a scheduled job).
func (db *DB) ClearPortalAuth(ctx context.Context, now time.Time) (int64, error) {
	var n int64
	err := WithTx(ctx, db.pool, func(tx pgx.Tx) error {
		a, err := tx.Exec(ctx, `delete from signin_links where expires_at < $1`, now.Add(-24*time.Hour))
		if err != nil {
			return err
		}
		b, err := tx.Exec(ctx, `delete from portal_sessions where expires_at < $1`, now)
		n = a.RowsAffected() + b.RowsAffected()
		return err
	})
	return n, Translate(err)
}
