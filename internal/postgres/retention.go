package postgres

// retention.go erases the personal data of interviews that took place or
// were cancelled before a cut-off (issue 26 point 2). A preview and a run
// share one computation: the interviews due (retentionTargets) and, per
// kind of data, one condition that both counts the rows and picks the rows
// the run changes (retentionKinds).

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/asylum-scheduling/interviews/resources"
)

// retentionLockKey serialises retention runs across replicas: a run waits
// for the one under way and then finds nothing left to do.
const retentionLockKey = `hashtextextended('interviews-retention', 0)`

// retentionTargetsSQL collects, into the transaction's temporary tables,
// the interviews due and the parties that keep nothing else. An interview
// is due when it took place (booked or completed: its last booking that
// was not cancelled ended) or was cancelled (status cancelled: its last
// change, or its last booking's end if later) before the cut-off $1, and
// was not erased before. Pending interviews are never due. A party is
// erased when every interview it is linked to is due; a party linked also
// to an interview that stays is only unlinked.
var retentionTargetsSQL = []string{
	`create temporary table retention_targets (id text primary key, at timestamptz not null) on commit drop`,
	`insert into retention_targets (id, at)
		select id, at from (
			select i.id, case when i.status = 'cancelled' then greatest(i.updated_at, b.last_end) else b.last_end end as at
			from interviews i
			left join (select interview_id, max(end_at) as last_end from bookings where status <> 'cancelled'
				group by interview_id) b on b.interview_id = i.id
			where i.erased_at is null and i.status in ('booked', 'completed', 'cancelled')) d
		where at < $1`,
	`create temporary table retention_bookings (id bigint primary key) on commit drop`,
	`insert into retention_bookings (id) select b.id from bookings b join retention_targets t on t.id = b.interview_id`,
	`create temporary table retention_parties (id text primary key) on commit drop`,
	`insert into retention_parties (id)
		select distinct ip.party_id from interview_parties ip join retention_targets t on t.id = ip.interview_id
		where not exists (select from interview_parties o where o.party_id = ip.party_id
			and not exists (select from retention_targets k where k.id = o.interview_id))`,
	`analyze retention_targets, retention_bookings, retention_parties`,
}

// retentionKind is one kind of personal data the retention erases: from
// (a table with alias x) and where pick its rows; change is what the run
// does to them (an update of x's columns, or delete). The preview counts
// the same rows with the same condition.
type retentionKind struct {
	from, where, change string
	count               func(*resources.RetentionCounts) *int64
}

// retentionKinds in the order the run applies them; $1 is the time of the
// run. The interviews come last: the temporary tables were filled before
// anything changed, so the order does not change what each kind picks.
var retentionKinds = []retentionKind{
	{from: "bookings x", where: "x.id in (select id from retention_bookings) and x.cancel_reason is not null",
		change: "set cancel_reason = null",
		count:  func(c *resources.RetentionCounts) *int64 { return &c.CancelReasons }},
	{from: "booking_origins x", where: "x.booking_id in (select id from retention_bookings) and x.reason <> ''",
		change: "set reason = ''",
		count:  func(c *resources.RetentionCounts) *int64 { return &c.OriginReasons }},
	{from: "interview_flags x", where: "x.interview_id in (select id from retention_targets) and x.reason <> 'erased'",
		change: "set reason = 'erased'",
		count:  func(c *resources.RetentionCounts) *int64 { return &c.FlagReasons }},
	{from: "party_answers x",
		where:  "x.booking_id in (select id from retention_bookings) and (x.change_reason is not null or x.proposals <> '[]')",
		change: "set change_reason = null, proposals = '[]'",
		count:  func(c *resources.RetentionCounts) *int64 { return &c.PartyAnswers }},
	// Mails keep their kind, times and state (the story of what was sent);
	// the address, the recipient's name and link and the server's answer
	// go. A mail still waiting is dropped: it has no address any more.
	{from: "mail_outbox x", where: "x.booking_id in (select id from retention_bookings)",
		change: `set email = '', payload = x.payload - 'name' - 'link', last_error = null,
			state = case when x.state = 'pending' then 'dropped' else x.state end`,
		count: func(c *resources.RetentionCounts) *int64 { return &c.Mails }},
	{from: "occupancy x", where: `x.booking_id in (select id from retention_bookings)
			and x.resource_id in (select resource_id from parties)`,
		change: "delete",
		count:  func(c *resources.RetentionCounts) *int64 { return &c.PartyOccupancy }},
	{from: "interview_parties x", where: "x.interview_id in (select id from retention_targets)",
		change: "delete",
		count:  func(c *resources.RetentionCounts) *int64 { return &c.PartyLinks }},
	{from: "absences x", where: "x.resource_id in (select p.resource_id from parties p join retention_parties r on r.id = p.id)",
		change: "delete",
		count:  func(c *resources.RetentionCounts) *int64 { return &c.PartyAbsences }},
	{from: "signin_links x", where: "x.role = 'counsel' and x.person_id in (select id from retention_parties)",
		change: "delete",
		count:  func(c *resources.RetentionCounts) *int64 { return &c.SigninLinks }},
	{from: "portal_sessions x", where: "x.role = 'counsel' and x.person_id in (select id from retention_parties)",
		change: "delete",
		count:  func(c *resources.RetentionCounts) *int64 { return &c.PortalSessions }},
	// A party that keeps nothing: no name, no address, no longer chosen
	// for new interviews. Its id stays, so that statistics still add up.
	{from: "parties x", where: "x.id in (select id from retention_parties)",
		change: "set name = '', email = '', locale = '', active = false, version = x.version + 1, updated_at = $1",
		count:  func(c *resources.RetentionCounts) *int64 { return &c.Parties }},
	// The case reference becomes a pseudonym drawn from the interview's id
	// (which stays): nothing of the reference is left.
	{from: "interviews x", where: "x.id in (select id from retention_targets)",
		change: `set case_ref = 'erased-' || left(encode(sha256(convert_to(x.id, 'UTF8')), 'hex'), 16),
			erased_at = $1, version = x.version + 1, updated_at = $1`,
		count: func(c *resources.RetentionCounts) *int64 { return &c.Interviews }},
}

// statement returns the kind's count query, or the statement that applies it.
func (k retentionKind) statement(apply bool) string {
	if !apply {
		return "select count(*) from " + k.from + " where " + k.where
	}
	if k.change == "delete" {
		return "delete from " + k.from + " where " + k.where
	}
	return "update " + k.from + " " + k.change + " where " + k.where
}

// retentionDue fills the temporary tables for cutoff in tx and returns
// the first and last interview due ("" when none).
func retentionDue(ctx context.Context, tx pgx.Tx, cutoff time.Time) (first, last string, err error) {
	for i, sql := range retentionTargetsSQL {
		var args []any
		if i == 1 {
			args = []any{cutoff}
		}
		if _, err := tx.Exec(ctx, sql, args...); err != nil {
			return "", "", err
		}
	}
	err = tx.QueryRow(ctx, `select coalesce((select id from retention_targets order by at, id limit 1), ''),
		coalesce((select id from retention_targets order by at desc, id desc limit 1), '')`).Scan(&first, &last)
	return first, last, err
}

// RetentionPreview computes what a retention run at cutoff would erase,
// and changes nothing (its transaction is rolled back).
func (db *DB) RetentionPreview(ctx context.Context, cutoff time.Time) (resources.RetentionCounts, string, string, error) {
	var c resources.RetentionCounts
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		return c, "", "", Translate(err)
	}
	defer rollback(ctx, tx)
	first, last, err := retentionDue(ctx, tx, cutoff)
	if err != nil {
		return c, "", "", Translate(err)
	}
	for _, k := range retentionKinds {
		if err := tx.QueryRow(ctx, k.statement(false)).Scan(k.count(&c)); err != nil {
			return c, "", "", Translate(err)
		}
	}
	return c, first, last, nil
}

// RunRetention erases, in one transaction, the personal data of the
// interviews that took place or were cancelled before cutoff (see
// retentionKinds), and records the run (retention_runs) and an audit entry
// for it and for each interview erased. Runs across replicas wait for each
// other (a transaction advisory lock), so the second finds nothing left:
// a run is idempotent. The audit trail and the access log are not touched.
func (db *DB) RunRetention(ctx context.Context, cutoff, now time.Time, actor string) (*resources.RetentionRun, error) {
	var run *resources.RetentionRun
	err := WithTx(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `select pg_advisory_xact_lock(`+retentionLockKey+`)`); err != nil {
			return err
		}
		first, last, err := retentionDue(ctx, tx, cutoff)
		if err != nil {
			return err
		}
		var c resources.RetentionCounts
		for _, k := range retentionKinds {
			sql := k.statement(true)
			var args []any
			if strings.Contains(sql, "$1") {
				args = []any{now}
			}
			tag, err := tx.Exec(ctx, sql, args...)
			if err != nil {
				return err
			}
			*k.count(&c) = tag.RowsAffected()
		}
		run, err = recordRetention(ctx, tx, resources.RetentionRun{Actor: actor, Counts: c, FirstInterview: first, LastInterview: last},
			cutoff, now)
		return err
	})
	return run, Translate(err)
}

// recordRetention writes the run's row and its audit entries: one for the
// run (its counts) and one per interview it erased.
func recordRetention(ctx context.Context, tx pgx.Tx, run resources.RetentionRun, cutoff, now time.Time) (*resources.RetentionRun, error) {
	counts, err := json.Marshal(run.Counts)
	if err != nil {
		return nil, err
	}
	if err := tx.QueryRow(ctx, `insert into retention_runs (at, cutoff, actor, counts, first_interview, last_interview)
		values ($1, $2, $3, $4, nullif($5, ''), nullif($6, '')) returning id`,
		now, cutoff, run.Actor, counts, run.FirstInterview, run.LastInterview).Scan(&run.ID); err != nil {
		return nil, err
	}
	run.At, run.Cutoff = now.UTC().Format(time.RFC3339), cutoff.UTC().Format(time.RFC3339)
	if run.Counts.Total() == 0 {
		return &run, nil
	}
	after, err := json.Marshal(map[string]any{"run": run.ID, "cutoff": run.Cutoff, "counts": run.Counts})
	if err != nil {
		return nil, err
	}
	if _, err := tx.Exec(ctx, auditSQL, now, run.Actor, nil, nil, resources.ActionRetentionErased, "", nil, string(after)); err != nil {
		return nil, err
	}
	_, err = tx.Exec(ctx, `insert into audit_log (at, actor, interview_id, action, after)
		select $1, $2, t.id, $3, jsonb_build_object('run', $4::bigint) from retention_targets t order by t.at, t.id`,
		now, run.Actor, resources.ActionRetentionErased, run.ID)
	return &run, err
}

const retentionRunSelect = `select id, at, cutoff, actor, counts, coalesce(first_interview, ''), coalesce(last_interview, '')
	from retention_runs`

func scanRetentionRun(r pgx.CollectableRow) (resources.RetentionRun, error) {
	var x resources.RetentionRun
	var at, cutoff time.Time
	var counts []byte
	if err := r.Scan(&x.ID, &at, &cutoff, &x.Actor, &counts, &x.FirstInterview, &x.LastInterview); err != nil {
		return x, err
	}
	x.At, x.Cutoff = at.UTC().Format(time.RFC3339), cutoff.UTC().Format(time.RFC3339)
	if err := json.Unmarshal(counts, &x.Counts); err != nil {
		return x, errors.New("retention run " + strconv.FormatInt(x.ID, 10) + ": unreadable counts")
	}
	return x, nil
}

// RetentionRuns lists the retention runs, newest first (paged by id).
func (db *DB) RetentionRuns(ctx context.Context, p resources.ListParams) (resources.Page[resources.RetentionRun], error) {
	var zero resources.Page[resources.RetentionRun]
	l, err := newList(p)
	if err != nil {
		return zero, err
	}
	if err := l.idAfter(false); err != nil {
		return zero, err
	}
	sql := retentionRunSelect
	if len(l.conds) > 0 {
		sql += " where " + joinAnd(l.conds)
	}
	sql += " order by id desc limit " + strconv.Itoa(l.limit+1)
	rows, _ := db.pool.Query(ctx, sql, l.args...)
	items, err := pgx.CollectRows(rows, scanRetentionRun)
	if err != nil {
		return zero, Translate(err)
	}
	return page(l, items, func(x resources.RetentionRun) string { return strconv.FormatInt(x.ID, 10) }), nil
}
