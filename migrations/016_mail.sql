-- Issue 23: mails say where an office is (its street address) and how to
-- join remotely (a meeting link, sent only to those who join remotely).
alter table locations add column street_address text not null default '';
alter table locations add column meeting_url text not null default '';
