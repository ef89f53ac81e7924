-- Staff sessions in the database (issue 15), so that a restart or another
-- replica keeps people signed in. Only the SHA-256 of a session's secret
-- (its cookie) is kept. A session is opened by an API token (kind 'token',
-- subject: the token's id) or by the agency's OpenID provider (kind 'oidc',
-- subject: the provider's subject of the user). It ends after idle time
-- without use (last_seen_at) or at expires_at, whichever comes first.
create table staff_sessions (
    hash         bytea primary key,
    kind         text not null check (kind in ('token', 'oidc')),
    subject      text not null,
    name         text not null,
    role         text not null,
    csrf         text not null,
    flash        text not null default '',
    created_at   timestamptz not null,
    last_seen_at timestamptz not null,
    expires_at   timestamptz not null
);
create index staff_sessions_subject on staff_sessions (kind, subject);
create index staff_sessions_expires on staff_sessions (expires_at);

-- OpenID sign-ins under way: the state sent to the provider (its SHA-256),
-- the nonce and the PKCE verifier to check the answer with, and the page to
-- go to after. Each is used once and lives minutes.
create table oidc_logins (
    state_hash bytea primary key,
    nonce      text not null,
    verifier   text not null,
    next       text not null,
    expires_at timestamptz not null
);
create index oidc_logins_expires on oidc_logins (expires_at);
