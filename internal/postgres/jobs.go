package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
)

// jobLockSQL takes the session advisory lock of a job, keyed by its name.
const jobLockKey = `hashtextextended('interviews-job:' || $1, 0)`

// RunJob runs fn as the run of job name for the scheduled time slot, at most
// once across every replica on this database: a session advisory lock keyed
// by the name lets one replica run it at a time, and the unique (job, slot)
// of job_runs lets only the first run of a slot happen. A replica that does
// not get to run it records a skipped run. fn's detail and error become the
// run's detail and outcome.
func (db *DB) RunJob(ctx context.Context, name string, slot time.Time, fn func(context.Context) (string, error)) (*resources.JobRun, error) {
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return nil, Translate(err)
	}
	defer conn.Release()
	var got bool
	if err := conn.QueryRow(ctx, `select pg_try_advisory_lock(`+jobLockKey+`)`, name).Scan(&got); err != nil {
		return nil, Translate(err)
	}
	if !got {
		return db.skipRun(ctx, name, slot, "another replica is running this job")
	}
	defer func() {
		// Unlock on the same session; should that fail the connection is
		// not fit for reuse: closing it drops the lock.
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if _, err := conn.Exec(uctx, `select pg_advisory_unlock(`+jobLockKey+`)`, name); err != nil {
			conn.Conn().Close(uctx)
		}
	}()
	var id int64
	err = conn.QueryRow(ctx, `insert into job_runs (job, slot, started_at, outcome) values ($1, $2, $3, 'running')
		on conflict (job, slot) where outcome <> 'skipped' do nothing returning id`, name, slot, db.now()).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return db.skipRun(ctx, name, slot, "already run for this time")
	}
	if err != nil {
		return nil, Translate(err)
	}
	detail, ferr := runSafely(ctx, fn)
	outcome := resources.JobOK
	if ferr != nil {
		outcome = resources.JobFailed
		if detail != "" {
			detail += ": "
		}
		detail += errs.MessageOf(ferr)
		if errs.CodeOf(ferr) == errs.Internal {
			detail += " (see the server log)"
		}
	}
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if _, err := conn.Exec(wctx, `update job_runs set outcome = $2, detail = $3, finished_at = $4 where id = $1`,
		id, outcome, detail, db.now()); err != nil {
		return nil, Translate(err)
	}
	run, err := db.jobRun(wctx, id)
	if err != nil {
		return nil, err
	}
	if ferr != nil {
		return run, ferr
	}
	return run, nil
}

func runSafely(ctx context.Context, fn func(context.Context) (string, error)) (detail string, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("job panicked: %v", p)
		}
	}()
	return fn(ctx)
}

func (db *DB) skipRun(ctx context.Context, name string, slot time.Time, why string) (*resources.JobRun, error) {
	now := db.now()
	var id int64
	err := db.pool.QueryRow(ctx, `insert into job_runs (job, slot, started_at, finished_at, outcome, detail)
		values ($1, $2, $3, $3, 'skipped', $4) returning id`, name, slot, now, why).Scan(&id)
	if err != nil {
		return nil, Translate(err)
	}
	return db.jobRun(ctx, id)
}

const jobRunSelect = `select id, job, slot, started_at, finished_at, outcome, detail from job_runs`

func scanJobRun(r pgx.CollectableRow) (resources.JobRun, error) {
	var j resources.JobRun
	var slot, started time.Time
	var finished *time.Time
	err := r.Scan(&j.ID, &j.Job, &slot, &started, &finished, &j.Outcome, &j.Detail)
	j.Slot, j.StartedAt, j.FinishedAt = slot.UTC().Format(time.RFC3339), started.UTC().Format(time.RFC3339), fmtTime(finished)
	return j, err
}

func (db *DB) jobRun(ctx context.Context, id int64) (*resources.JobRun, error) {
	rows, _ := db.pool.Query(ctx, jobRunSelect+` where id = $1`, id)
	j, err := pgx.CollectExactlyOneRow(rows, scanJobRun)
	if err != nil {
		return nil, Translate(err)
	}
	return &j, nil
}

// JobRuns lists job runs, newest first. Filters: job, outcome.
func (db *DB) JobRuns(ctx context.Context, p resources.ListParams) (resources.Page[resources.JobRun], error) {
	var zero resources.Page[resources.JobRun]
	l, err := newList(p, "job", "outcome")
	if err != nil {
		return zero, err
	}
	l.equal(p, "job", "outcome")
	if err := l.idAfter(false); err != nil {
		return zero, err
	}
	sql := jobRunSelect
	if len(l.conds) > 0 {
		sql += " where " + joinAnd(l.conds)
	}
	sql += " order by id desc limit " + strconv.Itoa(l.limit+1)
	rows, _ := db.pool.Query(ctx, sql, l.args...)
	items, err := pgx.CollectRows(rows, scanJobRun)
	if err != nil {
		return zero, Translate(err)
	}
	return page(l, items, func(x resources.JobRun) string { return strconv.FormatInt(x.ID, 10) }), nil
}

// FailStaleJobRuns marks failed the runs left 'running' by a server that
// died: those of jobs whose advisory lock nobody holds.
func (db *DB) FailStaleJobRuns(ctx context.Context) (int64, error) {
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return 0, Translate(err)
	}
	defer conn.Release()
	rows, _ := conn.Query(ctx, `select distinct job from job_runs where outcome = 'running'`)
	jobs, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return 0, Translate(err)
	}
	var n int64
	for _, job := range jobs {
		var got bool
		if err := conn.QueryRow(ctx, `select pg_try_advisory_lock(`+jobLockKey+`)`, job).Scan(&got); err != nil {
			return n, Translate(err)
		}
		if !got {
			continue // running now, elsewhere
		}
		tag, err := conn.Exec(ctx, `update job_runs set outcome = 'failed', detail = 'server stopped during the run', finished_at = $2
			where job = $1 and outcome = 'running'`, job, db.now())
		if _, uerr := conn.Exec(ctx, `select pg_advisory_unlock(`+jobLockKey+`)`, job); uerr != nil && err == nil {
			err = uerr
		}
		if err != nil {
			return n, Translate(err)
		}
		n += tag.RowsAffected()
	}
	return n, nil
}

// PruneJobRuns deletes runs that started before cutoff.
func (db *DB) PruneJobRuns(ctx context.Context, cutoff time.Time) (int64, error) {
	tag, err := db.pool.Exec(ctx, `delete from job_runs where started_at < $1 and outcome <> 'running'`, cutoff)
	if err != nil {
		return 0, Translate(err)
	}
	return tag.RowsAffected(), nil
}
