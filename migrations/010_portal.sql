-- The people outside the agency take part (issue 11): interpreters confirm
-- or decline their assignments, counsels and representatives acknowledge
-- their clients' summons or ask for another time, both sign in with a link
-- sent by e-mail, and every booking change is mailed to them with an
-- iCalendar invitation.

-- How long an interpreter has to answer a request, and whether the system
-- requests the next-best interpreter by itself after a decline or expiry.
alter table settings add column confirmation jsonb not null default '{}';

-- The interpreter part of a booking: requested, then confirmed, declined or
-- expired. A declined or expired request frees the interpreter at once
-- (interpreter_id and mode go to null/none); the columns keep the story.
alter table bookings
    add column interpreter_status text check (interpreter_status in ('requested', 'confirmed', 'declined', 'expired')),
    add column interpreter_due timestamptz,
    add column interpreter_answered_at timestamptz,
    add column released_interpreter text,
    add column release_reason text check (release_reason in ('unavailable', 'conflict_of_interest', 'other', 'stepped_aside', 'expired'));
update bookings set interpreter_status = 'confirmed' where interpreter_id is not null;

-- When an interpreter asked at requested must answer for an interview at
-- start: within the settings' hours (48) and never later than the settings'
-- hours (24) before the start; a request made after that point is due
-- within the settings' hours or two hours, whichever is less, and by the
-- start at the latest.
create function interpreter_answer_due(requested timestamptz, start timestamptz) returns timestamptz
language sql stable as $$
    select case when least(requested + w, start - b) > requested then least(requested + w, start - b)
        else least(requested + least(w, interval '2 hours'), start) end
    from (select make_interval(hours => coalesce((confirmation->>'answer_within_hours')::int, 48)) w,
            make_interval(hours => coalesce((confirmation->>'answer_before_start_hours')::int, 24)) b
        from settings) c
$$;
create index bookings_interpreter_due on bookings (interpreter_due)
    where interpreter_status = 'requested' and status = 'active';
create index bookings_interpreter_start on bookings (interpreter_id, start_at);

-- A counsel's or representative's answer to a summons: acknowledged (at the
-- booking's sequence they saw), or a request for another time.
create table party_answers (
    booking_id      bigint not null references bookings (id) on delete cascade,
    party_id        text not null references parties (id) on delete cascade,
    sequence        int not null,
    acknowledged_at timestamptz,
    change_reason   text,
    change_asked_at timestamptz,
    change_handled  boolean not null default false,
    primary key (booking_id, party_id)
);

-- Mails to people: one row per change and recipient, never two (the unique
-- key), written in the change's transaction. A row is claimed (sending)
-- before it is handed to the SMTP server and marked sent after: a crash in
-- between leaves it 'unknown', never sent twice.
create table mail_outbox (
    id              bigint generated always as identity primary key,
    booking_id      bigint not null,
    sequence        int not null default 0,
    recipient_kind  text not null check (recipient_kind in ('interpreter', 'party')),
    recipient_id    text not null,
    email           text not null,
    locale          text not null default 'en',
    kind            text not null, -- booked, moved, cancelled, released
    method          text not null, -- REQUEST or CANCEL
    payload         jsonb not null,
    state           text not null default 'pending' check (state in ('pending', 'sending', 'sent', 'failed', 'unknown')),
    attempts        int not null default 0,
    next_attempt_at timestamptz not null,
    created_at      timestamptz not null,
    claimed_at      timestamptz,
    sent_at         timestamptz,
    last_error      text
);
create unique index mail_outbox_once on mail_outbox (booking_id, sequence, recipient_kind, recipient_id, kind);
create index mail_outbox_due on mail_outbox (next_attempt_at) where state = 'pending';
create index mail_outbox_open on mail_outbox (state, created_at) where state <> 'sent';

-- One-time sign-in links (only the SHA-256 of the secret is kept) and the
-- sessions of people outside the agency.
create table signin_links (
    hash       bytea primary key,
    role       text not null check (role in ('interpreter', 'counsel')),
    person_id  text not null,
    created_at timestamptz not null,
    expires_at timestamptz not null,
    used_at    timestamptz
);
create index signin_links_expires on signin_links (expires_at);

create table portal_sessions (
    hash         bytea primary key,
    role         text not null check (role in ('interpreter', 'counsel')),
    person_id    text not null,
    locale       text not null default '',
    csrf         text not null,
    created_at   timestamptz not null,
    last_seen_at timestamptz not null,
    expires_at   timestamptz not null
);
create index portal_sessions_person on portal_sessions (role, person_id);
