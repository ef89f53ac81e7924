package postgres

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/asylum-scheduling/interviews/calendars"
	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
)

// Busy calendars (issue 5): an interpreter's or interviewer's outside ICS
// URL, whose busy times a scheduled job imports as absences with reason
// ImportedReason.

const busySelect = `select coalesce(i.id, t.id), case when i.id is not null then 'interviewer' else 'interpreter' end,
		c.url, c.busy_intervals, c.last_attempt_at, c.last_success_at, c.last_error, c.created_at
	from busy_calendars c left join interviewers i on i.resource_id = c.resource_id
		left join interpreters t on t.resource_id = c.resource_id`

func scanBusy(r pgx.Row) (resources.BusyCalendar, error) {
	var b resources.BusyCalendar
	var raw string
	var attempt, success, created *time.Time
	err := r.Scan(&b.OwnerID, &b.OwnerKind, &raw, &b.BusyIntervals, &attempt, &success, &b.LastError, &created)
	b.URL = calendars.RedactURL(raw)
	b.LastAttemptAt, b.LastSuccessAt = fmtTime(attempt), fmtTime(success)
	if created != nil {
		b.CreatedAt = created.UTC().Format(time.RFC3339)
	}
	return b, err
}

// PutBusyCalendar sets the outside calendar of an interviewer or
// interpreter. A new URL starts afresh: the next
// import fetches it in full; the busy times imported from the old one stay
// until then.
func (db *DB) PutBusyCalendar(ctx context.Context, owner resources.AbsenceOwner, id, rawURL string) (*resources.BusyCalendar, error) {
	if err := calendars.ValidateCalendarURL(rawURL); err != nil {
		return nil, err
	}
	rawURL = strings.TrimSpace(rawURL)
	var out resources.BusyCalendar
	err := WithTx(ctx, db.pool, func(tx pgx.Tx) error {
		rid, err := ownerResource(ctx, tx, owner, id)
		if err != nil {
			return err
		}
		now := db.now()
		if _, err := tx.Exec(ctx, `insert into busy_calendars (resource_id, url, created_at, updated_at) values ($1, $2, $3, $3)
			on conflict (resource_id) do update set url = excluded.url, updated_at = excluded.updated_at,
				etag = null, last_modified = null, body = null, last_error = null
			where busy_calendars.url <> excluded.url`, rid, rawURL, now); err != nil {
			return err
		}
		out, err = scanBusy(tx.QueryRow(ctx, busySelect+` where c.resource_id = $1`, rid))
		return err
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteBusyCalendar removes the outside calendar of an interviewer or
// interpreter and the busy times imported from it.
func (db *DB) DeleteBusyCalendar(ctx context.Context, owner resources.AbsenceOwner, id string) error {
	return WithTx(ctx, db.pool, func(tx pgx.Tx) error {
		rid, err := ownerResource(ctx, tx, owner, id)
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `delete from busy_calendars where resource_id = $1`, rid)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return errs.E(errs.NotFound, "%s %q has no busy calendar", owner, id)
		}
		_, err = tx.Exec(ctx, `delete from absences where resource_id = $1 and reason = $2`, rid, resources.ImportedReason)
		return err
	})
}

// BusyCalendars lists the outside calendars and their import state, by owner.
func (db *DB) BusyCalendars(ctx context.Context) ([]resources.BusyCalendar, error) {
	rows, _ := db.pool.Query(ctx, busySelect+` order by 2, 1`)
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (resources.BusyCalendar, error) { return scanBusy(r) })
	if out == nil {
		out = []resources.BusyCalendar{}
	}
	return out, Translate(err)
}

// BusySources lists the outside calendars to import, by resource.
func (db *DB) BusySources(ctx context.Context) ([]resources.BusySource, error) {
	rows, _ := db.pool.Query(ctx, `select c.resource_id, case when i.id is not null then 'interviewer' else 'interpreter' end,
			coalesce(i.id, t.id, ''), c.url, coalesce(c.etag, ''), coalesce(c.last_modified, ''), c.body
		from busy_calendars c left join interviewers i on i.resource_id = c.resource_id
			left join interpreters t on t.resource_id = c.resource_id
		order by c.resource_id`)
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (resources.BusySource, error) {
		var s resources.BusySource
		err := r.Scan(&s.ResourceID, &s.OwnerKind, &s.OwnerID, &s.URL, &s.ETag, &s.LastModified, &s.Body)
		return s, err
	})
	return out, Translate(err)
}

// BusyImportFailed records a failed fetch or parse of the calendar of
// resource rid (if its URL is still url); the last good import stays.
func (db *DB) BusyImportFailed(ctx context.Context, rid int64, url string, at time.Time, message string) error {
	if len(message) > 1000 {
		message = message[:1000]
	}
	_, err := db.pool.Exec(ctx, `update busy_calendars set last_attempt_at = $3, last_error = $4
		where resource_id = $1 and url = $2`, rid, url, at, message)
	return Translate(err)
}

// StoreBusyImport replaces, in one transaction, the imported absences of
// resource rid by spans (only the differences are written, so unchanged busy
// times keep their absence ids and flags), and records the success with the
// fetch state and the document (body nil: keep the stored one).
func (db *DB) StoreBusyImport(ctx context.Context, rid int64, url string, etag, lastModified string, body []byte,
	spans []resources.BusySpan, at time.Time) (resources.BusyImportResult, error) {
	var res resources.BusyImportResult
	err := WithTx(ctx, db.pool, func(tx pgx.Tx) error {
		res = resources.BusyImportResult{}
		var cur string
		err := tx.QueryRow(ctx, `select url from busy_calendars where resource_id = $1 for update`, rid).Scan(&cur)
		if err == pgx.ErrNoRows || (err == nil && cur != url) {
			res.Stale = true
			return nil
		}
		if err != nil {
			return err
		}
		type key struct{ s, e int64 }
		rows, _ := tx.Query(ctx, `select id, lower(during), upper(during) from absences
			where resource_id = $1 and reason = $2`, rid, resources.ImportedReason)
		have := map[key][]int64{}
		for rows.Next() {
			var id int64
			var s, e time.Time
			if err := rows.Scan(&id, &s, &e); err != nil {
				rows.Close()
				return err
			}
			k := key{s.UnixMicro(), e.UnixMicro()}
			have[k] = append(have[k], id)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		var starts, ends []time.Time
		for _, sp := range spans {
			k := key{sp.Start.UnixMicro(), sp.End.UnixMicro()}
			if ids := have[k]; len(ids) > 0 {
				have[k] = ids[1:]
				res.Kept++
				continue
			}
			starts, ends = append(starts, sp.Start), append(ends, sp.End)
		}
		var gone []int64
		for _, ids := range have {
			gone = append(gone, ids...)
		}
		slices.Sort(gone)
		// Statements only when something changed: every write to absences
		// bumps the state version, which drops cached suggestions and feeds.
		if len(gone) > 0 {
			if _, err := tx.Exec(ctx, `delete from absences where id = any($1)`, gone); err != nil {
				return err
			}
			res.Removed = len(gone)
		}
		if len(starts) > 0 {
			rows, _ := tx.Query(ctx, `insert into absences (resource_id, during, reason, created_at)
				select $1, tstzrange(s, e, '[)'), $2, $5 from unnest($3::timestamptz[], $4::timestamptz[]) as t(s, e)
				order by s returning id`, rid, resources.ImportedReason, starts, ends, at)
			res.Added, err = pgx.CollectRows(rows, pgx.RowTo[int64])
			if err != nil {
				return err
			}
		}
		_, err = tx.Exec(ctx, `update busy_calendars set etag = nullif($2, ''), last_modified = nullif($3, ''),
				body = coalesce($4, body), busy_intervals = $5, last_attempt_at = $6, last_success_at = $6, last_error = null
			where resource_id = $1`, rid, etag, lastModified, body, len(spans), at)
		return err
	})
	return res, err
}

// AbsencesBreakingBookings returns those of the absences ids during which an
// active booking of their interviewer or interpreter takes place.
func (db *DB) AbsencesBreakingBookings(ctx context.Context, ids []int64) ([]int64, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, _ := db.pool.Query(ctx, `select a.id from absences a where a.id = any($1) and exists (
			select 1 from bookings b where b.status = 'active' and tstzrange(b.start_at, b.end_at) && a.during
			and (exists (select 1 from interviewers i where i.id = b.interviewer_id and i.resource_id = a.resource_id)
				or exists (select 1 from interpreters t where t.id = b.interpreter_id and t.resource_id = a.resource_id)))
		order by a.id`, ids)
	out, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	return out, Translate(err)
}
