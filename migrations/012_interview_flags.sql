-- A clerk flags an interview to the managers when nothing fits it: the
-- reason, who and when; a manager resolves it.
create table interview_flags (
    id           bigint generated always as identity primary key,
    interview_id text not null references interviews (id) on delete cascade,
    reason       text not null check (reason <> '' and length(reason) <= 1000),
    actor        text not null,
    created_at   timestamptz not null,
    resolved_at  timestamptz,
    resolved_by  text
);
create index interview_flags_open on interview_flags (created_at) where resolved_at is null;
