-- The per-request log behind GET /v1/usage. The API batches entries in memory and writes them
-- with one call per batch after the responses have gone out (src/api/request-log.ts), so the
-- log never sits on the request path. Text fields are clipped: they come from the client.

-- api.request_log_write: inserts a batch. p_entries is a JSON array of objects with the
-- request_log column names; returns how many rows were written.
create or replace function api.request_log_write(p_entries jsonb)
returns integer
language plpgsql security definer set search_path = '' as $$
declare
  v_count integer;
begin
  if p_entries is null or jsonb_typeof(p_entries) <> 'array' then
    return 0;
  end if;
  insert into seaplane.request_log
    (account_id, apikey_id, endpoint, method, http_status, error_code, latency_ms, sdk_name,
     sdk_version, sdk_runtime, sdk_runtime_version, user_agent, request_id, created_at)
  select
    (e->>'account_id')::uuid, left(e->>'apikey_id', 64), left(e->>'endpoint', 200),
    left(e->>'method', 10), (e->>'http_status')::integer, left(e->>'error_code', 16),
    greatest(0, (e->>'latency_ms')::integer), left(e->>'sdk_name', 64), left(e->>'sdk_version', 64),
    left(e->>'sdk_runtime', 32), left(e->>'sdk_runtime_version', 64), left(e->>'user_agent', 512),
    left(e->>'request_id', 64), coalesce((e->>'created_at')::timestamptz, now())
  from jsonb_array_elements(p_entries) e;
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;

-- api.request_log_expire: retention. Removes entries older than p_keep_days (usage reads at most
-- 90 days back); returns how many were removed.
create or replace function api.request_log_expire(p_keep_days integer default 90, p_now timestamptz default now())
returns integer
language plpgsql security definer set search_path = '' as $$
declare
  v_count integer;
begin
  delete from seaplane.request_log where created_at < p_now - make_interval(days => p_keep_days);
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;
