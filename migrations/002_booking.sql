-- Booking workflow: holds, idempotency keys, audit trail, outbox, and a
-- state version that tells the suggestion cache when to look again.

-- A hold reserves the resources of one option for a caller until expires_at.
-- Its occupancy rows (hold_id set, booking_id null) block others at once; an
-- expired hold stops blocking at once too: suggestions ignore it, and every
-- booking or hold deletes the expired holds in its way before it writes.
create table holds (
    id             bigint generated always as identity primary key,
    interview_id   text not null references interviews (id) on delete cascade,
    actor          text not null, -- token name of the caller
    start_at       timestamptz not null,
    end_at         timestamptz not null,
    room_id        text not null references rooms (id) on delete cascade,
    interviewer_id text not null references interviewers (id) on delete cascade,
    interpreter_id text references interpreters (id) on delete cascade,
    mode           text not null check (mode in ('onsite', 'remote', 'none')),
    expires_at     timestamptz not null,
    created_at     timestamptz not null default now(),
    check (start_at < end_at),
    check ((mode = 'none') = (interpreter_id is null))
);
create index holds_interview on holds (interview_id);
create index holds_expires on holds (expires_at);

alter table occupancy add column hold_id bigint references holds (id) on delete cascade;
alter table occupancy add constraint occupancy_one_owner check (booking_id is null or hold_id is null);
create index occupancy_hold on occupancy (hold_id) where hold_id is not null;

-- Idempotency keys of booking requests: the first answer is kept for 24 h
-- and replayed for the same request; another request with the key is refused.
-- A key is written in the transaction of the change it answers, so a failed
-- request leaves none behind.
create table idempotency_keys (
    key          text primary key check (key <> '' and length(key) <= 200),
    actor        text not null,
    request_hash bytea not null,
    status       int,
    response     jsonb,
    created_at   timestamptz not null default now(),
    expires_at   timestamptz not null
);
create index idempotency_keys_expires on idempotency_keys (expires_at);

-- The audit trail of booking changes: who, when, what (before and after),
-- why. Rows are never changed or deleted (a trigger refuses it); only an
-- instance import, which replaces the whole state, empties the table.
create table audit_log (
    id           bigint generated always as identity primary key,
    at           timestamptz not null default now(),
    actor        text not null,
    interview_id text references interviews (id),
    booking_id   bigint references bookings (id),
    action       text not null, -- booked, held, rescheduled, cancelled, flagged, plan_accepted
    reason       text not null default '',
    before       jsonb,
    after        jsonb
);
create index audit_log_interview on audit_log (interview_id, id);
create index audit_log_booking on audit_log (booking_id, id);

create function audit_log_immutable() returns trigger language plpgsql as $$
begin
    raise exception 'the audit log is append-only: rows are never changed or deleted'
        using errcode = 'insufficient_privilege';
end $$;
create trigger audit_log_immutable before update or delete on audit_log
    for each row execute function audit_log_immutable();

-- Events for the counsels' and representatives' systems, written in the
-- transaction of the change and delivered later with retries.
create table outbox (
    id              bigint generated always as identity primary key,
    created_at      timestamptz not null default now(),
    event           text not null, -- booking.created, booking.rescheduled, booking.cancelled
    booking_id      bigint not null references bookings (id),
    payload         jsonb not null,
    attempts        int not null default 0,
    next_attempt_at timestamptz not null default now(),
    delivered_at    timestamptz,
    last_error      text
);
create index outbox_pending on outbox (next_attempt_at) where delivered_at is null;

-- The state version grows with every transaction that changes what
-- suggestions depend on, so that a compiled planner can be kept while the
-- version stands; static_version grows only with changes of what is not a
-- booking, hold or interview status (settings, resources, availability,
-- absences, interview requests), so that after a booking only the bookings
-- and holds need to be read again. Statement triggers mark the transaction
-- (once per kind: transaction-local flags) by inserting a row into
-- state_dirty; a deferred constraint trigger on that row bumps the counter at
-- commit time, in the same transaction as the change: a reader sees the
-- versions and the data of one snapshot together. The counters' row is
-- locked only while committing, after every other lock of the transaction,
-- so it can never take part in a deadlock.
create table state_version (
    id             boolean primary key default true check (id),
    version        bigint not null default 1,
    static_version bigint not null default 1
);
insert into state_version default values;

create table state_dirty (
    id     bigint generated always as identity primary key,
    static boolean not null
);

-- mark_state_dirty('static') marks a change of the static state (and so of
-- the state); mark_state_dirty() a change of bookings, holds or statuses.
create function mark_state_dirty() returns trigger language plpgsql as $$
begin
    if coalesce(current_setting('interviews.state_dirty', true), '') <> 'y' then
        perform set_config('interviews.state_dirty', 'y', true);
        insert into state_dirty (static) values (false);
    end if;
    if tg_nargs > 0 and tg_argv[0] = 'static'
        and coalesce(current_setting('interviews.static_dirty', true), '') <> 'y' then
        perform set_config('interviews.static_dirty', 'y', true);
        insert into state_dirty (static) values (true);
    end if;
    return null;
end $$;

create function bump_state_version() returns trigger language plpgsql as $$
begin
    if new.static then
        update state_version set static_version = static_version + 1;
    else
        update state_version set version = version + 1;
    end if;
    delete from state_dirty where id = new.id;
    return null;
end $$;

create constraint trigger state_dirty_bump after insert on state_dirty
    deferrable initially deferred for each row execute function bump_state_version();

do $$
declare t text;
begin
    foreach t in array array['settings', 'locations', 'travel_times', 'resource', 'availability', 'absences',
        'rooms', 'interviewers', 'interpreters', 'interpreter_locations', 'parties',
        'interview_locations', 'interview_parties', 'interview_excluded_interpreters',
        'interview_excluded_interviewers']
    loop
        execute format('create trigger %I after insert or update or delete or truncate on %I
            for each statement execute function mark_state_dirty(''static'')', t || '_state_version', t);
    end loop;
    foreach t in array array['bookings', 'holds', 'occupancy']
    loop
        execute format('create trigger %I after insert or update or delete or truncate on %I
            for each statement execute function mark_state_dirty()', t || '_state_version', t);
    end loop;
end $$;

-- Interview requests: a new, deleted or edited request changes the static
-- state; a change of status alone (booked, pending again) does not.
create trigger interviews_state_version after insert or delete or truncate on interviews
    for each statement execute function mark_state_dirty('static');
create trigger interviews_state_version_edit after update of case_ref, language, dialect_required, needs_interpreter,
    duration_minutes, earliest, deadline, latest, priority, interviewer_gender, interpreter_gender, interviewer_skills,
    interpreter_skills, room_features, interpreter_mode, preferred_interviewer on interviews
    for each statement execute function mark_state_dirty('static');
create trigger interviews_state_version_status after update on interviews
    for each statement execute function mark_state_dirty();
