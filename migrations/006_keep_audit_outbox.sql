-- An instance import replaces the domain state but keeps the audit trail and
-- the outbox (issue: review of POST /v1/instance).
--
-- audit_log and outbox refer to interviews and bookings by plain ids, without
-- foreign keys, so that their rows outlive an import that removes the rows
-- they name: the audit trail is never deleted, and undelivered notifications
-- are still delivered (with their stored payload). Booking and outbox ids are
-- never reused (an import does not restart their identities), so a webhook
-- receiver's de-duplication by X-Delivery id and references by booking id
-- stay sound.
alter table audit_log drop constraint if exists audit_log_interview_id_fkey;
alter table audit_log drop constraint if exists audit_log_booking_id_fkey;
alter table outbox drop constraint if exists outbox_booking_id_fkey;

-- The audit log refuses TRUNCATE too (UPDATE and DELETE are refused by
-- audit_log_immutable since 002).
create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_log_immutable();
