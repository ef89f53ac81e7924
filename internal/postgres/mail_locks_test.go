package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/pgtest"
	"github.com/asylum-scheduling/interviews/internal/postgres"
)

// The mailer's claim takes its table locks in the order an import does
// (bookings before rooms and locations): an import that holds bookings
// while the claim waits for them gets the rest, and both finish, instead of
// deadlocking (40P01).
func TestClaimMailLocksInTheImportsOrder(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// A running mailer's claim is a prepared statement (here on a pool of
	// its own, warm); the import is another connection.
	url := pgtest.URL(t)
	mailer, importer := pgtest.OpenAt(t, url), pgtest.OpenAt(t, url)
	db := postgres.New(mailer, nil)
	for range 8 {
		_, err := db.ClaimMail(ctx, time.Now(), 0)
		require.NoError(t, err)
	}

	// The import's first steps: the tables up to bookings.
	tx, err := importer.Begin(ctx)
	require.NoError(t, err)
	defer tx.Rollback(ctx)
	_, err = tx.Exec(ctx, `lock table bookings in access exclusive mode`)
	require.NoError(t, err)
	claimed := make(chan error, 1)
	go func() {
		_, err := db.ClaimMail(ctx, time.Now(), 0)
		claimed <- err
	}()
	// The claim now waits for bookings.
	deadline := time.Now().Add(time.Minute)
	for {
		var waiting int
		require.NoError(t, importer.QueryRow(ctx, `select count(*) from pg_locks l join pg_class c on c.oid = l.relation
			where c.relname = 'bookings' and not l.granted`).Scan(&waiting))
		if waiting > 0 {
			break
		}
		require.True(t, time.Now().Before(deadline), "the claim never waited for bookings")
		time.Sleep(20 * time.Millisecond)
	}
	// The import's next tables: a claim that took rooms or locations
	// before bookings would hold them now.
	_, err = tx.Exec(ctx, `lock table interviews, rooms, interpreters, parties, locations in access exclusive mode`)
	require.NoError(t, err, "the import deadlocked with the claim")
	require.NoError(t, tx.Commit(ctx))
	select {
	case err := <-claimed:
		require.NoError(t, err, "the claim deadlocked with the import")
	case <-time.After(time.Minute):
		t.Fatal("the claim did not finish after the import")
	}
}
