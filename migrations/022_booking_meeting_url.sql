-- Issue 23 part 2: a booking's own meeting link for remote participation
-- (an https URL; empty: the office's, locations.meeting_url). Sent only to
-- those who join remotely.
alter table bookings add column meeting_url text not null default '';
