-- Erasure of a person's data on request (issue 26, point 3). An admin's
-- POST /v1/people/{kind}/{id}/erase pseudonymises an interpreter's,
-- interviewer's or party's record and removes the rest of their data in
-- one transaction (internal/postgres/person_data.go). Each erasure is a
-- row here — who, when, why, whom (the person's id, kept as the
-- pseudonymous id) and the pseudonym their record now bears — and an entry
-- in the audit trail. The rows are never changed or removed.
create table erasures (
    id          bigint generated always as identity primary key,
    at          timestamptz not null,
    actor       text not null check (actor <> ''),
    person_kind text not null check (person_kind in ('interpreter', 'interviewer', 'party')),
    person_id   text not null check (person_id <> ''),
    pseudonym   text not null check (pseudonym <> ''),
    reason      text not null check (reason <> '' and length(reason) <= 1000),
    -- The transaction that made the erasure: only that transaction may
    -- redact the audit trail in its name (audit_log_immutable below).
    txid        xid8 not null default pg_current_xact_id()
);
create index erasures_person on erasures (person_kind, person_id);

create function erasures_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'erasures are recorded for good (% refused)', tg_op
        using errcode = 'insufficient_privilege';
end $$;
create trigger erasures_append_only before update or delete on erasures
    for each row execute function erasures_append_only();
create trigger erasures_no_truncate before truncate on erasures
    for each statement execute function erasures_append_only();

-- The audit trail stays append-only, with one narrow way through: an
-- erasure redacts the person's name and address where the trail quotes
-- them (a clerk's reason, a before/after document). The trigger lets an
-- UPDATE through only when the transaction-local setting
-- interviews.erasure names an erasure recorded in the same transaction,
-- and only of reason, before and after: id, time, actor, interview,
-- booking and action stay as they were. DELETE and TRUNCATE stay refused
-- (TRUNCATE reaches this function through audit_log_no_truncate, 006).
create or replace function audit_log_immutable() returns trigger language plpgsql as $$
declare
    e text := coalesce(current_setting('interviews.erasure', true), '');
begin
    if tg_op = 'UPDATE' and e ~ '^[0-9]{1,18}$'
        and exists (select 1 from erasures where id = e::bigint and txid = pg_current_xact_id())
        and (new.id, new.at, new.actor, new.interview_id, new.booking_id, new.action)
            is not distinct from (old.id, old.at, old.actor, old.interview_id, old.booking_id, old.action) then
        return new;
    end if;
    raise exception 'the audit log is append-only: rows are never changed or deleted'
        using errcode = 'insufficient_privilege';
end $$;
