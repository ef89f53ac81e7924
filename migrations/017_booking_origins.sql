-- How each booking came about (issue 26, oversight of the automation): one
-- row per booking and per move of it — a suggestion taken (its rank), a
-- plan accepted (its id), an automatic request of the next interpreter, or
-- by hand (the soft objectives the hand placement worsened, and the
-- clerk's reason) — with the solver's build and the settings' version it
-- was checked with. Rows name bookings and token names, never a person.
create table booking_origins (
    id               bigint generated always as identity primary key,
    booking_id       bigint not null references bookings (id),
    at               timestamptz not null,
    action           text not null check (action in ('booked', 'rescheduled')),
    origin           text not null check (origin in ('suggestion', 'plan', 'automatic', 'hand')),
    suggestion_rank  int check (suggestion_rank >= 1),
    plan_id          bigint references plans (id) on delete set null,
    rules            text[] not null default '{}',
    reason           text not null default '',
    actor            text not null default '', -- the token's name, or system
    solver_version   text not null,
    settings_version bigint not null,
    check (origin = 'suggestion' or suggestion_rank is null)
);
create index booking_origins_at on booking_origins (at);
create index booking_origins_booking on booking_origins (booking_id);
