-- Issue 23 part 6 (the portal). A counsel asking for another time proposes
-- up to three (a day and a part of it: morning, afternoon or day), which
-- the clerks see in Needs attention.
alter table party_answers add column proposals jsonb not null default '[]';

-- A released interpreter's assignment keeps showing how they were to join
-- (a declined remote assignment is remote, not the room's).
alter table bookings add column released_mode text;
