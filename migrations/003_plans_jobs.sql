-- Batch plans, repair plans after absences, scheduled job runs.

-- A plan is a solver run over a window of dates, around the current
-- bookings. Its result stays for a manager to review and accept; nothing is
-- booked until then. A plan left 'running' by a server that died is marked
-- failed when a server starts.
create table plans (
    id            bigint generated always as identity primary key,
    kind          text not null default 'batch' check (kind in ('batch', 'nightly', 'repair')),
    status        text not null default 'running' check (status in ('running', 'done', 'failed', 'accepted', 'cancelled')),
    created_by    text not null, -- token name, or job:NAME
    from_date     date not null,
    to_date       date not null,
    time_limit_ms int not null check (time_limit_ms >= 0),
    absence_id    bigint references absences (id) on delete set null, -- repair plans
    created_at    timestamptz not null default now(),
    finished_at   timestamptz,
    progress      jsonb,  -- while running: elapsed, scheduled, score
    result        jsonb,  -- when done: score, assignments, unscheduled, diff
    error         text,
    accepted_at   timestamptz,
    accepted_by   text,
    accept_result jsonb,  -- per item: booked or conflict
    check (from_date <= to_date)
);
create index plans_running on plans (status) where status = 'running';

-- Bookings that an absence breaks (the interviewer or interpreter is away
-- during the booking). One row per booking and absence.
create table booking_flags (
    booking_id bigint not null references bookings (id) on delete cascade,
    absence_id bigint not null references absences (id) on delete cascade,
    flagged_at timestamptz not null default now(),
    primary key (booking_id, absence_id)
);
create index booking_flags_absence on booking_flags (absence_id);

-- Runs of scheduled jobs. A job fires on every replica; a PostgreSQL advisory
-- lock keyed by the job's name lets one run it at a time, and the unique
-- (job, slot) lets it run once per scheduled time. The other replicas record
-- 'skipped'.
create table job_runs (
    id          bigint generated always as identity primary key,
    job         text not null,
    slot        timestamptz not null, -- the scheduled time this run serves
    started_at  timestamptz not null,
    finished_at timestamptz,
    outcome     text not null check (outcome in ('running', 'ok', 'failed', 'skipped')),
    detail      text not null default ''
);
create unique index job_runs_once on job_runs (job, slot) where outcome <> 'skipped';
create index job_runs_recent on job_runs (started_at desc, id desc);
