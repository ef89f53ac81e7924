-- Placeholder: migration 020 belongs to branch erase (issue 26 point 3),
-- which replaces this file when it is merged (take theirs). tern refuses a
-- gap in the numbers, so 021 needs a 020 to run before it.
select 1;
