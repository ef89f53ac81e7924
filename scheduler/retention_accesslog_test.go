package scheduler_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/pgtest"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/scheduler"
)

// addAccess appends an access-log entry read at at, whose subject id names
// it.
func (e *retentionEnv) addAccess(t *testing.T, subject string, at time.Time) {
	t.Helper()
	_, err := e.raw.Exec(context.Background(), `insert into access_log (at, actor_kind, actor, role, subject_kind, subject_id, route)
		values ($1, 'token', '7', 'clerk', 'interview', $2, 'GET /v1/interviews/{id}')`, at, subject)
	require.NoError(t, err)
}

// addAudit adds an audit entry at at with reason, tied to interview and
// booking when they are not empty or zero.
func (e *retentionEnv) addAudit(t *testing.T, at time.Time, interview string, booking int64, reason string) {
	t.Helper()
	_, err := e.raw.Exec(context.Background(), `insert into audit_log (at, actor, interview_id, booking_id, action, reason)
		values ($1, 'admin-1', nullif($2, ''), nullif($3, 0), 'noted', $4)`, at, interview, booking, reason)
	require.NoError(t, err)
}

// The access log keeps an entry settings.retention.access_log_months
// (default 60) and the run deletes what is older; the audit trail's
// reasons of entries tied to no interview that keeps its data go to the
// run's marker once older than months_after, and the others stay. The
// preview counts what the run then does.
func TestRetentionPrunesAccessLogAndOtherAuditReasons(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newRetentionEnv(t)
	r := e.retentionService(t)
	st, err := e.db.Settings(ctx)
	require.NoError(t, err)
	loc, err := time.LoadLocation(st.Timezone)
	require.NoError(t, err)
	accessCutoff := scheduler.AccessLogCutoff(e.retention, *st.Retention, loc)
	require.True(t, accessCutoff.Equal(e.retention.In(loc).AddDate(0, -60, 0)), "60 months by default")

	// The access log: two entries older than its cut-off, three not.
	require.Empty(t, e.rows(t, `select id from access_log`), "the setup read nothing")
	for subject, at := range map[string]time.Time{
		"old-year": accessCutoff.AddDate(-1, 0, 0), "old-second": accessCutoff.Add(-time.Second),
		"kept-at": accessCutoff, "kept-second": accessCutoff.Add(time.Second), "kept-hour": e.retention.Add(-time.Hour),
	} {
		e.addAccess(t, subject, at)
	}

	// The audit trail: reasons naming people, each distinctive, on
	// entries tied to no interview, to one gone or to a booking gone (they
	// go when older than the cut-off), and to what stays.
	const (
		plainOld   = "asked by Nina Namesake"        // tied to nothing, before the cut-off
		goneOld    = "note on Olli Orphanname"       // an interview an import removed
		bookingOld = "note on Greta Gonebooking"     // a booking an import removed
		plainNew   = "asked by Kalle Keepname"       // tied to nothing, after the cut-off
		pending    = "waits for Pia Pendname"        // the pending interview: its data stays
		kept       = "booking note Bert Bookingname" // a booking of the kept interview
	)
	before := e.cutoff.Add(-time.Minute)
	e.addAudit(t, before, "", 0, plainOld)
	e.addAudit(t, e.cutoff.Add(-time.Hour), "I-GONE-1", 0, goneOld)
	e.addAudit(t, before, "", 987654, bookingOld)
	e.addAudit(t, e.cutoff.Add(time.Minute), "", 0, plainNew)
	e.addAudit(t, before, e.ids[casePending], 0, pending)
	e.addAudit(t, before, "", e.bookings[caseKept], kept)
	e.addAudit(t, before, "", 0, "")
	e.addAudit(t, before, "", 0, "[erased by retention run 3]")
	gone := []string{plainOld, goneOld, bookingOld}
	stays := []string{plainNew, pending, kept}
	// The reasons of the entries so far, but those of the interviews the
	// run erases.
	var last int64
	require.NoError(t, e.raw.QueryRow(ctx, `select max(id) from audit_log`).Scan(&last))
	otherReasons := `select reason from audit_log where id <= $3 and coalesce(interview_id, '') not in ($1, $2) order by id`
	reasonsBefore := e.rows(t, otherReasons, e.ids[caseOld], e.ids[caseCancelled], last)

	preview, err := r.Preview(ctx)
	require.NoError(t, err)
	require.Equal(t, accessCutoff.UTC().Format(time.RFC3339), preview.AccessLogCutoff)
	require.Equal(t, 60, preview.AccessLogMonths)
	require.EqualValues(t, 2, preview.Counts.AccessLog)
	require.EqualValues(t, len(gone), preview.Counts.OtherAuditReasons)
	require.EqualValues(t, 11, preview.Counts.AuditReasons, "the erased interviews' own, as before")

	run, err := r.Run(ctx, "admin-1")
	require.NoError(t, err)
	require.Equal(t, preview.Counts, run.Counts, "the preview said what the run did")
	require.Equal(t, preview.AccessLogCutoff, run.AccessLogCutoff)
	runs, err := e.db.RetentionRuns(ctx, resources.ListParams{Filters: map[string]string{}})
	require.NoError(t, err)
	require.Equal(t, []resources.RetentionRun{*run}, runs.Items, "the record says what the run removed")

	require.ElementsMatch(t, []string{"kept-at", "kept-second", "kept-hour"}, e.rows(t, `select subject_id from access_log`))
	after := e.hits(t, append(gone, stays...)...)
	for _, n := range gone {
		require.Empty(t, after[n], n)
	}
	for _, n := range stays {
		require.Equal(t, map[string]int{"audit_log.reason": 1}, after[n], n)
	}
	marker := fmt.Sprintf("[erased by retention run %d]", run.ID)
	want := make([]string, len(reasonsBefore))
	for i, reason := range reasonsBefore {
		want[i] = reason
		for _, g := range gone {
			if reason == g {
				want[i] = marker
			}
		}
	}
	require.Equal(t, want, e.rows(t, otherReasons, e.ids[caseOld], e.ids[caseCancelled], last),
		"only the old reasons tied to no interview kept changed; the empty one and an earlier run's marker stay")

	// A second run finds nothing of either left.
	again, err := r.Run(ctx, "admin-1")
	require.NoError(t, err)
	require.Zero(t, again.Counts.Total())

	// The period is the settings': twelve months take the entry of the
	// cut-off and the one after it, not the last hour's.
	twelve := 12
	st.Retention.AccessLogMonths = &twelve
	_, err = e.db.PutSettings(ctx, st, nil)
	require.NoError(t, err)
	preview, err = r.Preview(ctx)
	require.NoError(t, err)
	require.Equal(t, 12, preview.AccessLogMonths)
	require.Equal(t, scheduler.AccessLogCutoff(e.retention, *st.Retention, loc).UTC().Format(time.RFC3339), preview.AccessLogCutoff)
	require.Equal(t, resources.RetentionCounts{AccessLog: 2}, preview.Counts)
	run, err = r.Run(ctx, "admin-1")
	require.NoError(t, err)
	require.Equal(t, preview.Counts, run.Counts)
	require.Equal(t, []string{"kept-hour"}, e.rows(t, `select subject_id from access_log`))
}

// The access log takes a DELETE only in the transaction of a retention run
// that names itself in interviews.retention_run, and only of entries older
// than that run's access_log_cutoff; UPDATE and TRUNCATE it always refuses
// (migration 024).
func TestRetentionAccessLogDeleteIsNarrow(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	raw := pgtest.Open(t)
	// Two entries, a year apart; the runs below delete up to a month
	// after the older.
	for _, at := range []string{"2025-01-10T09:00:00Z", "2026-01-10T09:00:00Z"} {
		_, err := raw.Exec(ctx, `insert into access_log (at, actor_kind, actor, role, subject_kind, subject_id, route)
			values ($1, 'token', '7', 'clerk', 'interview', 'I-1', 'GET /v1/interviews/{id}')`, at)
		require.NoError(t, err)
	}
	var earlier int64
	require.NoError(t, raw.QueryRow(ctx, `insert into retention_runs (at, cutoff, access_log_cutoff, actor, counts)
		values (now(), now(), '2025-02-10T00:00:00Z', 'x', '{}') returning id`).Scan(&earlier))

	newRun := `insert into retention_runs (at, cutoff, access_log_cutoff, actor, counts)
		values (now(), now(), '2025-02-10T00:00:00Z', 'x', '{}')`
	nameRun := `select set_config('interviews.retention_run', (select max(id)::text from retention_runs), true)`
	deleteOld := `delete from access_log where at < '2025-02-01'`
	for _, c := range []struct {
		name    string
		steps   []string
		deleted int64 // rows the last step deleted; -1: refused
	}{
		{"no run named", []string{deleteOld}, -1},
		{"no run named, updating", []string{`update access_log set actor = 'x'`}, -1},
		{"no run named, truncating", []string{`truncate access_log`}, -1},
		{"another transaction's run", []string{fmt.Sprintf(`select set_config('interviews.retention_run', '%d', true)`, earlier),
			deleteOld}, -1},
		{"a run of this transaction, but not named", []string{newRun, deleteOld}, -1},
		{"not a number", []string{newRun, `select set_config('interviews.retention_run', '1 or true', true)`, deleteOld}, -1},
		{"a run without an access-log cut-off", []string{
			`insert into retention_runs (at, cutoff, actor, counts) values (now(), now(), 'x', '{}')`, nameRun, deleteOld}, -1},
		{"named, deleting an entry newer than its cut-off", []string{newRun, nameRun, `delete from access_log`}, -1},
		{"named, updating", []string{newRun, nameRun, `update access_log set actor = 'x' where at < '2025-02-01'`}, -1},
		{"named, truncating", []string{newRun, nameRun, `truncate access_log`}, -1},
		{"named, deleting what its cut-off allows", []string{newRun, nameRun, deleteOld}, 1},
	} {
		// The last step's rows, in a transaction rolled back even when a
		// check fails (an open one would hold the test's database).
		deleted, err := func() (int64, error) {
			tx, err := raw.Begin(ctx)
			require.NoError(t, err)
			defer rollback(t, tx)
			for _, s := range c.steps[:len(c.steps)-1] {
				_, err := tx.Exec(ctx, s)
				require.NoError(t, err, "%s: %s", c.name, s)
			}
			tag, err := tx.Exec(ctx, c.steps[len(c.steps)-1])
			return tag.RowsAffected(), err
		}()
		if c.deleted < 0 {
			require.Error(t, err, c.name)
			require.Contains(t, err.Error(), "append-only", c.name)
			continue
		}
		require.NoError(t, err, c.name)
		require.Equal(t, c.deleted, deleted, c.name)
	}
	var n int
	require.NoError(t, raw.QueryRow(ctx, `select count(*) from access_log`).Scan(&n))
	require.Equal(t, 2, n, "every transaction was rolled back")
}
