-- Availability versions: every committed change of a resource's availability
-- gives that resource a new version, drawn from one sequence, so that a
-- version names one availability list for good. Readers outside a
-- transaction may cache the formatted list of a resource under its version
-- (internal/postgres availCache): list pages read the versions, which is
-- cheap, and fetch only the lists they have not seen.
--
-- The versions are kept by statement triggers with transition tables, so
-- they hold for changes made in SQL as much as through the API. They live in
-- their own table rather than on `resource`, so that writing availability
-- never takes a lock on the resource rows that bookings lock.
create sequence availability_version_seq;

create table availability_versions (
    resource_id bigint primary key references resource (id) on delete cascade,
    version     bigint not null
);

create function bump_availability_versions() returns trigger language plpgsql as $$
begin
    if tg_op = 'TRUNCATE' then
        delete from availability_versions;
        return null;
    end if;
    if tg_op in ('INSERT', 'UPDATE') then
        insert into availability_versions (resource_id, version)
            select r.id, nextval('availability_version_seq') from resource r
            where r.id in (select resource_id from new_rows)
            on conflict (resource_id) do update set version = excluded.version;
    end if;
    if tg_op in ('DELETE', 'UPDATE') then
        insert into availability_versions (resource_id, version)
            select r.id, nextval('availability_version_seq') from resource r
            where r.id in (select resource_id from old_rows)
            on conflict (resource_id) do update set version = excluded.version;
    end if;
    return null;
end $$;

create trigger availability_versions_insert after insert on availability
    referencing new table as new_rows
    for each statement execute function bump_availability_versions();
create trigger availability_versions_update after update on availability
    referencing old table as old_rows new table as new_rows
    for each statement execute function bump_availability_versions();
create trigger availability_versions_delete after delete on availability
    referencing old table as old_rows
    for each statement execute function bump_availability_versions();
create trigger availability_versions_truncate after truncate on availability
    for each statement execute function bump_availability_versions();

insert into availability_versions (resource_id, version)
    select resource_id, nextval('availability_version_seq') from (select distinct resource_id from availability) a;
