-- Server secrets shared by all replicas and kept across restarts, e.g. the
-- key that signs suggestion ids. Created by the server on first use.
create table server_secrets (
    name       text primary key check (name <> ''),
    value      bytea not null check (length(value) >= 32),
    created_at timestamptz not null default now()
);
