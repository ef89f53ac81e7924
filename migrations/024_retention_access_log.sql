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
-- stands only when the transaction-local setting interviews.retention_run
-- names a retention run recorded in the same transaction (its txid, 023)
-- and every entry it deleted is older than that run's access_log_cutoff;
-- otherwise the statement fails and deletes nothing. The check is made
-- once a statement, after it, over the entries it deleted (a transition
-- table): a check per entry made the first run on years of log nine times
-- slower. UPDATE (per entry, as in 016) and TRUNCATE (access_log_no_truncate,
-- 016) stay refused, run or no run. The setting is cast only once it is
-- known to be a number.
create function access_log_retention_delete() returns trigger language plpgsql as $$
declare
    r text := coalesce(current_setting('interviews.retention_run', true), '');
    cutoff timestamptz;
begin
    if r ~ '^[0-9]{1,18}$' then
        select access_log_cutoff into cutoff from retention_runs where id = r::bigint and txid = pg_current_xact_id();
        if cutoff is not null and not exists (select 1 from deleted where at >= cutoff) then
            return null;
        end if;
    end if;
    raise exception 'the access log is append-only (% refused)', tg_op
        using errcode = 'insufficient_privilege';
end $$;

drop trigger access_log_append_only on access_log;
create trigger access_log_append_only before update on access_log
    for each row execute function access_log_append_only();
create trigger access_log_retention_delete after delete on access_log
    referencing old table as deleted
    for each statement execute function access_log_retention_delete();
