package postgres_test

import (
	"context"
	"crypto/sha256"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/resources"
)

func hash(s string) []byte { h := sha256.Sum256([]byte(s)); return h[:] }

// Sessions live until idle or expired, keep a flash, and end per subject:
// a token's id and a provider's subject that look alike are not confused.
func TestStaffSessions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := newDB(t)
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	idle := 8 * time.Hour
	mk := func(id, kind, subject string) {
		require.NoError(t, db.CreateStaffSession(ctx, hash(id), postgres.StaffSession{Kind: kind, Subject: subject, Name: id,
			Role: resources.RoleClerk, CSRF: "c-" + id, Expires: now.Add(12 * time.Hour)}, now, idle))
	}
	mk("a", postgres.StaffByToken, "5")
	mk("b", postgres.StaffByOIDC, "5")
	mk("c", postgres.StaffByOIDC, "5")

	s, err := db.StaffSessionByHash(ctx, hash("a"), now.Add(time.Hour), idle)
	require.NoError(t, err)
	require.Equal(t, postgres.StaffSession{Kind: "token", Subject: "5", Name: "a", Role: resources.RoleClerk, CSRF: "c-a",
		Created: now, Expires: now.Add(12 * time.Hour)}, *stripTZ(s))
	require.NoError(t, db.SetStaffFlash(ctx, hash("a"), "Booked."))
	s, err = db.StaffSessionByHash(ctx, hash("a"), now.Add(time.Hour), idle)
	require.NoError(t, err)
	require.Equal(t, "Booked.", s.Flash)

	// Idle: b was not seen for 8 hours; a was seen an hour in.
	_, err = db.StaffSessionByHash(ctx, hash("b"), now.Add(idle), idle)
	require.Equal(t, errs.Unauthorized, errs.CodeOf(err))
	_, err = db.StaffSessionByHash(ctx, hash("a"), now.Add(idle), idle)
	require.NoError(t, err)
	// Expired at 12 hours, however recently seen.
	_, err = db.StaffSessionByHash(ctx, hash("a"), now.Add(12*time.Hour), idle)
	require.Equal(t, errs.Unauthorized, errs.CodeOf(err))

	// Ending the provider's subject "5" leaves the token 5's session.
	n, err := db.DeleteStaffSessionsOf(ctx, postgres.StaffByOIDC, "5")
	require.NoError(t, err)
	require.EqualValues(t, 2, n)
	_, err = db.StaffSessionByHash(ctx, hash("a"), now.Add(2*time.Hour), idle)
	require.NoError(t, err)
}

// An OpenID sign-in under way is taken once, before it expires.
func TestOIDCLogins(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := newDB(t)
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	l := postgres.OIDCLogin{Nonce: "n", Verifier: "v", Next: "/queue"}
	require.NoError(t, db.CreateOIDCLogin(ctx, hash("s1"), l, now, 10*time.Minute))
	require.NoError(t, db.CreateOIDCLogin(ctx, hash("s2"), l, now, 10*time.Minute))
	got, err := db.TakeOIDCLogin(ctx, hash("s1"), now.Add(time.Minute))
	require.NoError(t, err)
	require.Equal(t, l, *got)
	_, err = db.TakeOIDCLogin(ctx, hash("s1"), now.Add(time.Minute))
	require.Equal(t, errs.Unauthorized, errs.CodeOf(err), "used once")
	_, err = db.TakeOIDCLogin(ctx, hash("s2"), now.Add(10*time.Minute))
	require.Equal(t, errs.Unauthorized, errs.CodeOf(err), "expired")
}

func stripTZ(s *postgres.StaffSession) *postgres.StaffSession {
	cp := *s
	cp.Created, cp.Expires = cp.Created.UTC(), cp.Expires.UTC()
	return &cp
}
