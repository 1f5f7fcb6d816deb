-- Roles a Supabase project has and our grants rely on. On Supabase they exist already; on a
-- plain Postgres this creates them (without login) so the same migrations apply to both.
do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'anon') then
    create role anon nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'authenticated') then
    create role authenticated nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'service_role') then
    create role service_role nologin noinherit bypassrls;
  end if;
end
$$;
create schema if not exists seaplane_meta;
create table if not exists seaplane_meta.migrations (
  name text primary key,
  checksum text not null,
  applied_at timestamptz not null default now()
);
create table if not exists seaplane_meta.definitions (
  id integer primary key default 1 check (id = 1),
  checksum text not null,
  applied_at timestamptz not null default now()
);
