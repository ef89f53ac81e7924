package postgres

// retention.go erases the personal data of interviews that took place or
// were cancelled before a cut-off (issue 26 point 2), the audit trail's
// reasons of the entries tied to no such interview written before it, and
// the access log's entries written before a cut-off of its own. A preview
// and a run share one computation: the interviews due (retentionTargets)
// and, per kind of data, one condition that both counts the rows and picks
// the rows the run changes (retentionKinds).

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

// RetentionCutoffs are the cut-offs of one retention run: Data for the
// interviews' personal data and the audit trail's reasons
// (settings.retention.months_after), AccessLog for the access log
// (settings.retention.access_log_months).
type RetentionCutoffs struct {
	Data, AccessLog time.Time
}

// retentionTargetsSQL collects, into the transaction's temporary tables,
// the cut-offs ($1 data, $2 access log: retention_cutoffs, one row) and
// the interviews due and the parties that keep nothing else. An interview
// is due when it took place (booked or completed: its last booking that
// was not cancelled ended) or was cancelled (status cancelled: its last
// change, or its last booking's end if later) before the data cut-off, and
// was not erased before. Pending interviews are never due. A party is
// erased when every interview it is linked to is due; a party linked also
// to an interview that stays is only unlinked.
//
// Each interview due gets its pseudonym (drawn from its id, which stays:
// nothing of the case reference is left) and quoted: a regular expression
// that finds its case reference as a whole word, whatever the case ("" for
// an empty reference, which quotes nothing).
var retentionTargetsSQL = []string{
	`create temporary table retention_cutoffs (data timestamptz not null, access_log timestamptz not null) on commit drop`,
	`insert into retention_cutoffs (data, access_log) values ($1, $2)`,
	`create temporary table retention_targets (id text primary key, at timestamptz not null,
		pseudonym text not null, quoted text not null) on commit drop`,
	`insert into retention_targets (id, at, pseudonym, quoted)
		select id, at, 'erased-' || left(encode(sha256(convert_to(id, 'UTF8')), 'hex'), 16),
			case when case_ref = '' then '' else
				case when case_ref ~ '^\w' then '\m' else '' end
				|| regexp_replace(case_ref, '([.*+?^${}()|\[\]\\])', '\\\1', 'g')
				|| case when case_ref ~ '\w$' then '\M' else '' end end
		from (
			select i.id, i.case_ref,
				case when i.status = 'cancelled' then greatest(i.updated_at, b.last_end) else b.last_end end as at
			from interviews i
			left join (select interview_id, max(end_at) as last_end from bookings where status <> 'cancelled'
				group by interview_id) b on b.interview_id = i.id
			where i.erased_at is null and i.status in ('booked', 'completed', 'cancelled')) d
		where at < (select data from retention_cutoffs)`,
	`create temporary table retention_bookings (id bigint primary key) on commit drop`,
	`insert into retention_bookings (id) select b.id from bookings b join retention_targets t on t.id = b.interview_id`,
	`create temporary table retention_parties (id text primary key) on commit drop`,
	`insert into retention_parties (id)
		select distinct ip.party_id from interview_parties ip join retention_targets t on t.id = ip.interview_id
		where not exists (select from interview_parties o where o.party_id = ip.party_id
			and not exists (select from retention_targets k where k.id = o.interview_id))`,
	`analyze retention_cutoffs, retention_targets, retention_bookings, retention_parties`,
}

// retentionKind is one kind of personal data the retention erases: from
// (a table with alias x) and where pick its rows; change is what the run
// does to them (an update of x's columns, or delete). The preview counts
// the same rows with the same condition.
type retentionKind struct {
	from, where, change string
	count               func(*resources.RetentionCounts) *int64
}

// retentionMarker is what a run writes for an audit entry's reason:
// "[erased by retention run N]". retentionMarked finds a reason that is
// one already (a later run leaves it as it is).
const (
	retentionMarker = `'[erased by retention run ' || current_setting('interviews.retention_run') || ']'`
	retentionMarked = `'^\[erased by retention run [0-9]+\]$'`
)

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
	// The audit trail keeps its entries (id, time, actor, action, interview
	// and booking), and loses the free text of those of the interviews and
	// their bookings: a reason becomes a marker naming the run, a case
	// reference quoted in a before/after document (in any string value, at
	// any depth) the interview's pseudonym. Migration 023 lets this through
	// because the run names itself in interviews.retention_run.
	{from: "audit_log x", where: `x.id in (select a.id from retention_targets t join audit_log a on a.interview_id = t.id
			union all select a.id from retention_bookings b join audit_log a on a.booking_id = b.id)
			and x.reason <> ''`,
		change: `set reason = ` + retentionMarker,
		count:  func(c *resources.RetentionCounts) *int64 { return &c.AuditReasons }},
	// The other entries' reasons written before the cut-off go the same
	// way: those of entries tied to no interview that keeps its data —
	// none (a person's erasure), an interview gone (an import replaced
	// it) or one a run erased before — and to no booking of one. The
	// interviews this run erases are not erased yet here: their entries
	// are the kind above's.
	{from: "audit_log x", where: `x.at < (select data from retention_cutoffs) and x.reason <> ''
			and x.reason !~ ` + retentionMarked + `
			and not exists (select from interviews i where i.id = x.interview_id and i.erased_at is null)
			and not exists (select from bookings b join interviews i on i.id = b.interview_id
				where b.id = x.booking_id and i.erased_at is null)`,
		change: `set reason = ` + retentionMarker,
		count:  func(c *resources.RetentionCounts) *int64 { return &c.OtherAuditReasons }},
	{from: "audit_log x", where: `x.interview_id in (select id from retention_targets)
			and exists (select from retention_targets t where t.id = x.interview_id and t.quoted <> ''
				and (audit_redact_text(x.before, t.quoted, t.pseudonym) is distinct from x.before
					or audit_redact_text(x.after, t.quoted, t.pseudonym) is distinct from x.after))`,
		change: `set before = (select audit_redact_text(x.before, t.quoted, t.pseudonym) from retention_targets t where t.id = x.interview_id),
			after = (select audit_redact_text(x.after, t.quoted, t.pseudonym) from retention_targets t where t.id = x.interview_id)`,
		count: func(c *resources.RetentionCounts) *int64 { return &c.AuditDocuments }},
	// The access log's entries older than its own cut-off go. Migration
	// 024 lets this through because the run names itself in
	// interviews.retention_run with that cut-off in its row.
	{from: "access_log x", where: "x.at < (select access_log from retention_cutoffs)",
		change: "delete",
		count:  func(c *resources.RetentionCounts) *int64 { return &c.AccessLog }},
	// The case reference becomes the interview's pseudonym.
	{from: "interviews x", where: "x.id in (select id from retention_targets)",
		change: `set case_ref = (select pseudonym from retention_targets t where t.id = x.id),
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

// retentionDue fills the temporary tables for the cut-offs in tx and
// returns the first and last interview due ("" when none).
func retentionDue(ctx context.Context, tx pgx.Tx, cutoffs RetentionCutoffs) (first, last string, err error) {
	for i, sql := range retentionTargetsSQL {
		var args []any
		if i == 1 {
			args = []any{cutoffs.Data, cutoffs.AccessLog}
		}
		if _, err := tx.Exec(ctx, sql, args...); err != nil {
			return "", "", err
		}
	}
	err = tx.QueryRow(ctx, `select coalesce((select id from retention_targets order by at, id limit 1), ''),
		coalesce((select id from retention_targets order by at desc, id desc limit 1), '')`).Scan(&first, &last)
	return first, last, err
}

// RetentionPreview computes what a retention run at cutoffs would erase,
// and changes nothing (its transaction is rolled back).
func (db *DB) RetentionPreview(ctx context.Context, cutoffs RetentionCutoffs) (resources.RetentionCounts, string, string, error) {
	var c resources.RetentionCounts
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		return c, "", "", Translate(err)
	}
	defer rollback(ctx, tx)
	first, last, err := retentionDue(ctx, tx, cutoffs)
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
// interviews that took place or were cancelled before cutoffs.Data, the
// audit trail's reasons of other entries written before it, and the access
// log's entries written before cutoffs.AccessLog (see retentionKinds), and
// records the run (retention_runs) and an audit entry for it and for each
// interview erased. Runs across replicas wait for each other (a
// transaction advisory lock), so the second finds nothing left: a run is
// idempotent. The audit trail keeps its entries and loses their free text
// only; the access log loses whole entries, and only those older than its
// cut-off (the run's row names the transaction that may do either, and the
// access log's cut-off).
func (db *DB) RunRetention(ctx context.Context, cutoffs RetentionCutoffs, now time.Time, actor string) (*resources.RetentionRun, error) {
	var run *resources.RetentionRun
	err := WithTx(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `select pg_advisory_xact_lock(`+retentionLockKey+`)`); err != nil {
			return err
		}
		first, last, err := retentionDue(ctx, tx, cutoffs)
		if err != nil {
			return err
		}
		run, err = startRetention(ctx, tx, resources.RetentionRun{Actor: actor, FirstInterview: first, LastInterview: last},
			cutoffs, now)
		if err != nil {
			return err
		}
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
			*k.count(&run.Counts) = tag.RowsAffected()
		}
		return recordRetention(ctx, tx, run, now)
	})
	return run, Translate(err)
}

// startRetention writes the run's row (its counts come at the end) and
// names it in the transaction's interviews.retention_run setting, which
// lets migration 023's trigger take the run's redactions of the audit
// trail, and migration 024's its deletions from the access log (of entries
// older than the row's access_log_cutoff only).
func startRetention(ctx context.Context, tx pgx.Tx, run resources.RetentionRun, cutoffs RetentionCutoffs,
	now time.Time) (*resources.RetentionRun, error) {
	if err := tx.QueryRow(ctx, `insert into retention_runs (at, cutoff, access_log_cutoff, actor, counts, first_interview, last_interview)
		values ($1, $2, $3, $4, '{}', nullif($5, ''), nullif($6, '')) returning id`,
		now, cutoffs.Data, cutoffs.AccessLog, run.Actor, run.FirstInterview, run.LastInterview).Scan(&run.ID); err != nil {
		return nil, err
	}
	run.At, run.Cutoff = now.UTC().Format(time.RFC3339), cutoffs.Data.UTC().Format(time.RFC3339)
	run.AccessLogCutoff = cutoffs.AccessLog.UTC().Format(time.RFC3339)
	_, err := tx.Exec(ctx, `select set_config('interviews.retention_run', $1, true)`, strconv.FormatInt(run.ID, 10))
	return &run, err
}

// recordRetention writes the run's counts and its audit entries: one for
// the run (its counts) and one per interview it erased.
func recordRetention(ctx context.Context, tx pgx.Tx, run *resources.RetentionRun, now time.Time) error {
	counts, err := json.Marshal(run.Counts)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `update retention_runs set counts = $2 where id = $1`, run.ID, counts); err != nil {
		return err
	}
	if run.Counts.Total() == 0 {
		return nil
	}
	after, err := json.Marshal(map[string]any{"run": run.ID, "cutoff": run.Cutoff, "counts": run.Counts})
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, auditSQL, now, run.Actor, nil, nil, resources.ActionRetentionErased, "", nil, string(after)); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `insert into audit_log (at, actor, interview_id, action, after)
		select $1, $2, t.id, $3, jsonb_build_object('run', $4::bigint) from retention_targets t order by t.at, t.id`,
		now, run.Actor, resources.ActionRetentionErased, run.ID)
	return err
}

const retentionRunSelect = `select id, at, cutoff, access_log_cutoff, actor, counts, coalesce(first_interview, ''),
	coalesce(last_interview, '') from retention_runs`

func scanRetentionRun(r pgx.CollectableRow) (resources.RetentionRun, error) {
	var x resources.RetentionRun
	var at, cutoff time.Time
	var accessLogCutoff *time.Time
	var counts []byte
	if err := r.Scan(&x.ID, &at, &cutoff, &accessLogCutoff, &x.Actor, &counts, &x.FirstInterview, &x.LastInterview); err != nil {
		return x, err
	}
	x.At, x.Cutoff = at.UTC().Format(time.RFC3339), cutoff.UTC().Format(time.RFC3339)
	if accessLogCutoff != nil {
		x.AccessLogCutoff = accessLogCutoff.UTC().Format(time.RFC3339)
	}
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
