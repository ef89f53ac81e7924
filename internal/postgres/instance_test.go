package postgres_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/generator"
	"github.com/asylum-scheduling/interviews/resources"
)

// An import is audited with its actor and keeps the audit trail and the
// outbox; booking ids go on growing across imports; the audit log refuses
// TRUNCATE.
func TestImportAuditsItselfKeepsTrailAndContinuesIds(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, raw := newDBRaw(t)
	in, err := generator.Generate("S", 5)
	require.NoError(t, err)
	in = withBookings(t, in)
	require.NotEmpty(t, in.Bookings)

	_, err = db.ImportAs(ctx, in, "alice")
	require.NoError(t, err)
	var firstMax int64
	require.NoError(t, raw.QueryRow(ctx, `select max(id) from bookings`).Scan(&firstMax))
	// Rows of the trail and the outbox that name a booking (no foreign key).
	_, err = raw.Exec(ctx, `insert into audit_log (actor, interview_id, booking_id, action) values ('bob', $1, $2, 'booked')`,
		in.Bookings[0].Interview, firstMax)
	require.NoError(t, err)
	_, err = raw.Exec(ctx, `insert into outbox (event, booking_id, payload) values ('booking.created', $1, '{}')`, firstMax)
	require.NoError(t, err)

	_, err = db.Import(ctx, in)
	require.NoError(t, err)
	var n, minID int64
	require.NoError(t, raw.QueryRow(ctx, `select min(id), count(*) from bookings`).Scan(&minID, &n))
	require.Equal(t, int64(len(in.Bookings)), n)
	require.Greater(t, minID, firstMax, "booking ids are never reused")
	var actors []string
	rows, _ := raw.Query(ctx, `select actor from audit_log where action = $1 order by id`, resources.ActionInstanceImported)
	for rows.Next() {
		var a string
		require.NoError(t, rows.Scan(&a))
		actors = append(actors, a)
	}
	require.NoError(t, rows.Err())
	require.Equal(t, []string{"alice", resources.ImportActor}, actors)
	require.NoError(t, raw.QueryRow(ctx, `select count(*) from audit_log where actor = 'bob' and booking_id = $1`, firstMax).Scan(&n))
	require.Equal(t, int64(1), n)
	require.NoError(t, raw.QueryRow(ctx, `select count(*) from outbox where booking_id = $1`, firstMax).Scan(&n))
	require.Equal(t, int64(1), n)

	_, err = raw.Exec(ctx, `truncate audit_log`)
	require.Error(t, err, "the audit log refuses TRUNCATE")
	_, err = raw.Exec(ctx, `truncate outbox, audit_log cascade`)
	require.Error(t, err)
}
