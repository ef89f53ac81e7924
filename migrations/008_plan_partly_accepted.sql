-- A plan whose accept left items that could not be applied is
-- partly_accepted (its failed items are named in accept_result and may be
-- accepted again), never accepted.
alter table plans drop constraint if exists plans_status_check;
alter table plans add constraint plans_status_check
    check (status in ('running', 'done', 'failed', 'accepted', 'partly_accepted', 'cancelled'));
