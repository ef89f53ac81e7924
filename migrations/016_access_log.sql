-- The access log (issue 26): every read of personal data by staff, through
-- the API or the pages — who (an API token's id or a staff user's OpenID
-- subject, and the role), what (the kind of record and its id; '' for a
-- list), when, and through which route. Rows carry ids, never names. The
-- table is append-only: a trigger refuses UPDATE and DELETE.
create table access_log (
    id           bigint generated always as identity primary key,
    at           timestamptz not null,
    actor_kind   text not null check (actor_kind in ('token', 'oidc')),
    actor        text not null check (actor <> ''),
    role         text not null,
    subject_kind text not null check (subject_kind <> ''),
    subject_id   text not null,
    route        text not null
);
create index access_log_subject on access_log (subject_kind, subject_id, id);
create index access_log_actor on access_log (actor, id);
create index access_log_at on access_log (at);

create function access_log_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'the access log is append-only (% refused)', tg_op
        using errcode = 'insufficient_privilege';
end $$;
create trigger access_log_append_only before update or delete on access_log
    for each row execute function access_log_append_only();
create trigger access_log_no_truncate before truncate on access_log
    for each statement execute function access_log_append_only();

-- The auditor reads the access log and nothing else.
alter table api_tokens drop constraint api_tokens_role_check;
alter table api_tokens add constraint api_tokens_role_check check (role in ('clerk', 'manager', 'admin', 'auditor'));
