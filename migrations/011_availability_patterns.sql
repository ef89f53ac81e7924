-- An interpreter's weekly pattern with dated exceptions, as they last
-- entered it in the portal: kept so that the form shows it again. The
-- availability itself is the intervals the pattern gave (table
-- availability), which is what the solver reads.
create table availability_patterns (
    interpreter_id text primary key references interpreters (id) on delete cascade,
    pattern        jsonb not null,
    updated_at     timestamptz not null
);
