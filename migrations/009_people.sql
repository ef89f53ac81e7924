-- People and rooms carry a display name, and people an e-mail address and a
-- locale (fi, sv or en: the language of their messages and pages). All are
-- optional ('' when not given); the solver ignores them.
alter table rooms add column name text not null default '';
alter table interviewers add column name text not null default '',
    add column email text not null default '',
    add column locale text not null default '' check (locale in ('', 'fi', 'sv', 'en'));
alter table interpreters add column name text not null default '',
    add column email text not null default '',
    add column locale text not null default '' check (locale in ('', 'fi', 'sv', 'en'));
alter table parties add column name text not null default '',
    add column email text not null default '',
    add column locale text not null default '' check (locale in ('', 'fi', 'sv', 'en'));

-- Sign-in by e-mail address looks people up case-insensitively.
create index interpreters_email on interpreters (lower(email)) where email <> '';
create index parties_email on parties (lower(email)) where email <> '';
