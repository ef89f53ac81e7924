-- Retention reaches the access log (migration 016), which itself holds
-- personal data: which member of staff read whose data. A retention run
-- deletes the entries older than settings.retention.access_log_months
-- (default 60) before the run (internal/postgres/retention.go). Nothing
-- else may delete, change or truncate an entry.

-- The access log's cut-off the run applied: the trigger below lets the run
-- delete only entries older than it. Runs recorded before this migration
-- have none, and deleted nothing of the access log.
alter table retention_runs add column access_log_cutoff timestamptz;

-- The access log stays append-only, with one narrow way through: a DELETE
-- passes only when the transaction-local setting interviews.retention_run
-- names a retention run recorded in the same transaction (its txid, 023),
-- and only of an entry older than that run's access_log_cutoff. UPDATE
-- and TRUNCATE (which reaches this function through
-- access_log_no_truncate, 016) stay refused, run or no run. The setting is
-- cast only once it is known to be a number.
create or replace function access_log_append_only() returns trigger language plpgsql as $$
declare
    r text := coalesce(current_setting('interviews.retention_run', true), '');
begin
    if tg_op = 'DELETE' and r ~ '^[0-9]{1,18}$' then
        if exists (select 1 from retention_runs
                where id = r::bigint and txid = pg_current_xact_id() and old.at < access_log_cutoff) then
            return old;
        end if;
    end if;
    raise exception 'the access log is append-only (% refused)', tg_op
        using errcode = 'insufficient_privilege';
end $$;
