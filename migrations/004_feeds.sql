-- Calendar feeds and busy-calendar import (issue 5).

-- A feed token lets a calendar app read one owner's feed at
-- /feeds/{token}.ics without an API token. Only the SHA-256 of the token is
-- stored. The owner is named by kind and id, without a foreign key, so that
-- subscriptions survive an instance import that keeps the same ids; a feed
-- whose owner is gone answers 404 like an unknown token.
create table feed_tokens (
    id          bigint generated always as identity primary key,
    owner_kind  text not null check (owner_kind in ('interpreter', 'interviewer', 'room', 'office')),
    owner_id    text not null check (owner_id <> ''),
    hash        bytea not null unique check (length(hash) = 32),
    created_by  text not null default '',
    created_at  timestamptz not null default now(),
    rotated_at  timestamptz,
    revoked_at  timestamptz,
    -- The ETag of the body last served and when it last changed: the feed's
    -- Last-Modified never goes back, even when an event leaves it because a
    -- booking moved to someone else.
    body_etag   text,
    changed_at  timestamptz,
    last_used_at timestamptz
);
create index feed_tokens_owner on feed_tokens (owner_kind, owner_id);

-- An interpreter's or interviewer's outside calendar (ICS URL). A scheduled
-- job fetches it (conditional GET) and turns its busy times into absences
-- with reason 'imported'. The last good document is kept, so that a 304 or
-- a failed fetch still yields the busy times over a moving horizon.
create table busy_calendars (
    resource_id     bigint primary key references resource (id) on delete cascade,
    url             text not null check (url <> '' and length(url) <= 2048),
    etag            text,
    last_modified   text,
    body            bytea,
    busy_intervals  int,
    last_attempt_at timestamptz,
    last_success_at timestamptz,
    last_error      text,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now()
);

create index absences_imported on absences (resource_id) where reason = 'imported';
