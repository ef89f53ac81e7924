-- Retention (issue 26 point 2): how long personal data stays after an
-- interview has taken place or been cancelled (settings.retention, default
-- 24 months), and what each retention run erased.

alter table settings add column retention jsonb not null default '{}';

-- When the retention erased the interview's personal data (its case
-- reference is then a pseudonym): such an interview is never picked again.
alter table interviews add column erased_at timestamptz;

-- One row per retention run: when, the cut-off it applied, who ran it (the
-- job, or a token name), the counts per kind of data it erased, and the
-- oldest and newest interview it affected (ids only).
create table retention_runs (
    id              bigint generated always as identity primary key,
    at              timestamptz not null,
    cutoff          timestamptz not null,
    actor           text not null,
    counts          jsonb not null,
    first_interview text,
    last_interview  text
);
create index retention_runs_at on retention_runs (at desc, id desc);
