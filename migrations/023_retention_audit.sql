-- Retention reaches the audit trail's free text (issue 26 point 2). A
-- retention run replaces the reasons of the audit entries of the
-- interviews it erases, and of their bookings, with a marker naming the
-- run, and the case references quoted in their before/after documents
-- with the interview's pseudonym (internal/postgres/retention.go). The
-- entries themselves stay: id, time, actor, action, interview and booking.

-- The transaction that made the run: only that transaction may redact the
-- audit trail in its name. Runs recorded before this migration get the
-- migration's own transaction, which never comes again.
alter table retention_runs add column txid xid8 not null default pg_current_xact_id();

-- The audit trail stays append-only, with two narrow ways through, each
-- named by a transaction-local setting: interviews.erasure names an
-- erasure (020) and interviews.retention_run a retention run, recorded in
-- the same transaction. Either lets an UPDATE of reason, before and after
-- through; id, time, actor, interview, booking and action stay as they
-- were. DELETE and TRUNCATE stay refused (TRUNCATE reaches this function
-- through audit_log_no_truncate, 006). The settings are checked one at a
-- time, so that a setting that is not a number is never cast.
create or replace function audit_log_immutable() returns trigger language plpgsql as $$
declare
    e text := coalesce(current_setting('interviews.erasure', true), '');
    r text := coalesce(current_setting('interviews.retention_run', true), '');
    named boolean := false;
begin
    if tg_op = 'UPDATE'
        and (new.id, new.at, new.actor, new.interview_id, new.booking_id, new.action)
            is not distinct from (old.id, old.at, old.actor, old.interview_id, old.booking_id, old.action) then
        if e ~ '^[0-9]{1,18}$' then
            named := exists (select 1 from erasures where id = e::bigint and txid = pg_current_xact_id());
        end if;
        if not named and r ~ '^[0-9]{1,18}$' then
            named := exists (select 1 from retention_runs where id = r::bigint and txid = pg_current_xact_id());
        end if;
        if named then
            return new;
        end if;
    end if;
    raise exception 'the audit log is append-only: rows are never changed or deleted'
        using errcode = 'insufficient_privilege';
end $$;

-- audit_redact_text(doc, pattern, replacement) is the document doc with
-- every match of the regular expression pattern (whatever the case)
-- replaced in each string value, at any depth; keys, numbers and the
-- document's shape stay. A retention run replaces with it the case
-- references quoted in the audit trail's before/after documents.
create function audit_redact_text(doc jsonb, pattern text, replacement text) returns jsonb
    language plpgsql immutable strict as $$
begin
    case jsonb_typeof(doc)
    when 'string' then
        return to_jsonb(regexp_replace(doc #>> '{}', pattern, replacement, 'gi'));
    when 'object' then
        return (select coalesce(jsonb_object_agg(k, audit_redact_text(v, pattern, replacement)), '{}'::jsonb)
            from jsonb_each(doc) e(k, v));
    when 'array' then
        return (select coalesce(jsonb_agg(audit_redact_text(v, pattern, replacement) order by n), '[]'::jsonb)
            from jsonb_array_elements(doc) with ordinality a(v, n));
    else
        return doc;
    end case;
end $$;
