-- What-if scenarios (capacity planning) run as plans of kind 'scenario': the
-- same running, progress, cancelling and recovery after a dead server, but
-- they book nothing and cannot be accepted. scenario holds the variants
-- asked for (capacity-scenario/v1), comparison the result
-- (capacity-comparison/v1).
alter table plans drop constraint if exists plans_kind_check;
alter table plans add constraint plans_kind_check check (kind in ('batch', 'nightly', 'repair', 'scenario'));
alter table plans add column scenario jsonb;
alter table plans add column comparison jsonb;
