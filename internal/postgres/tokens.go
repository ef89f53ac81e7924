package postgres

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
)

// MaxTokenName bounds a token's name (who or what uses it).
const MaxTokenName = 100

// tokenPrefix marks the service's tokens, so that a leaked one is easy to
// recognise (and to search for in code).
const tokenPrefix = "ivt_"

func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// CreateToken makes a new API token with a name and a role. The token itself
// is returned once and never stored: only its SHA-256.
func (db *DB) CreateToken(ctx context.Context, name string, role resources.Role) (string, *resources.Token, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", nil, errs.Field("name", "name must not be empty")
	}
	if n := utf8.RuneCountInString(name); n > MaxTokenName {
		return "", nil, errs.Field("name", fmt.Sprintf("name must be at most %d characters, not %d", MaxTokenName, n))
	}
	if _, err := resources.ParseRole(string(role)); err != nil {
		return "", nil, err
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", nil, err
	}
	token := tokenPrefix + base64.RawURLEncoding.EncodeToString(b[:])
	var t resources.Token
	var created time.Time
	err := db.pool.QueryRow(ctx, `insert into api_tokens (name, role, hash, created_at) values ($1, $2, $3, $4)
		returning id, name, role, created_at`, name, string(role), hashToken(token), db.now()).
		Scan(&t.ID, &t.Name, &t.Role, &created)
	if err != nil {
		return "", nil, Translate(err)
	}
	t.CreatedAt = created.UTC().Format(time.RFC3339)
	return token, &t, nil
}

// Authenticate returns the live token that token is, or unauthorized.
func (db *DB) Authenticate(ctx context.Context, token string) (*resources.Token, error) {
	if !strings.HasPrefix(token, tokenPrefix) {
		return nil, errs.E(errs.Unauthorized, "invalid or revoked token")
	}
	var t resources.Token
	var created time.Time
	var used *time.Time
	err := db.pool.QueryRow(ctx, `select id, name, role, created_at, last_used_at from api_tokens
		where hash = $1 and revoked_at is null`, hashToken(token)).Scan(&t.ID, &t.Name, &t.Role, &created, &used)
	if err == pgx.ErrNoRows {
		return nil, errs.E(errs.Unauthorized, "invalid or revoked token")
	}
	if err != nil {
		return nil, Translate(err)
	}
	now := db.now()
	if used == nil || now.Sub(*used) > time.Minute {
		// Recorded at most once a minute, to spare a write per request.
		if _, err := db.pool.Exec(ctx, `update api_tokens set last_used_at = $2 where id = $1`, t.ID, now); err != nil {
			return nil, Translate(err)
		}
	}
	t.CreatedAt = created.UTC().Format(time.RFC3339)
	return &t, nil
}

// Tokens lists the tokens (never their secrets), newest last.
func (db *DB) Tokens(ctx context.Context) ([]resources.Token, error) {
	rows, _ := db.pool.Query(ctx, `select id, name, role, created_at, last_used_at, revoked_at from api_tokens order by id`)
	ts, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (resources.Token, error) {
		var t resources.Token
		var created time.Time
		var used, revoked *time.Time
		err := r.Scan(&t.ID, &t.Name, &t.Role, &created, &used, &revoked)
		t.CreatedAt = created.UTC().Format(time.RFC3339)
		t.LastUsedAt, t.RevokedAt = fmtTime(used), fmtTime(revoked)
		return t, err
	})
	if ts == nil {
		ts = []resources.Token{}
	}
	return ts, Translate(err)
}

// RevokeToken revokes a token; it stops working at once.
func (db *DB) RevokeToken(ctx context.Context, id int64) error {
	tag, err := db.pool.Exec(ctx, `update api_tokens set revoked_at = $2 where id = $1 and revoked_at is null`, id, db.now())
	if err != nil {
		return Translate(err)
	}
	if tag.RowsAffected() == 0 {
		return errs.E(errs.NotFound, "token %d not found or already revoked", id)
	}
	return nil
}
