-- Who may call what: the one grants file. Nothing of ours is reachable by anon or
-- authenticated; service_role (the server's role on Supabase) may call the api functions and
-- read the api views; tables stay private to their owner.
revoke all on schema seaplane from public;
revoke all on all tables in schema seaplane from public, anon, authenticated, service_role;
revoke all on all functions in schema seaplane from public, anon, authenticated, service_role;
revoke all on schema api from public;
revoke all on all functions in schema api from public, anon, authenticated;
revoke all on all tables in schema api from public, anon, authenticated;

grant usage on schema api to service_role;
grant execute on all functions in schema api to service_role;
grant select on all tables in schema api to service_role;
