-- Issue 23: mails say where an office is (its street address) and how to
-- join remotely (a meeting link, sent only to those who join remotely).
alter table locations add column street_address text not null default '';
alter table locations add column meeting_url text not null default '';

-- Reminders (issue 23 part 4) are outbox rows like the others: kind
-- 'reminder_<hours>h', sequence 0, so that the unique key mail_outbox_once
-- keeps one per booking, recipient and reminder across replicas and
-- restarts. A reminder whose booking was cancelled (or whose interpreter
-- changed) before it went out is 'dropped', never sent.
alter table mail_outbox drop constraint mail_outbox_state_check;
alter table mail_outbox add constraint mail_outbox_state_check
    check (state in ('pending', 'sending', 'sent', 'failed', 'unknown', 'dropped'));
