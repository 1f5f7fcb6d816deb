-- Inserts an attempt, queued to run at p_run_at. No job is added here: the dispatcher
-- (api.attempts_dispatch) turns due attempts into jobs in batches, which keeps graphile-worker's
-- NOTIFY out of the accept transaction (see migration 20261125160300_dispatch).
create or replace function seaplane.attempt_enqueue(
  p_generation_id uuid, p_account_id uuid, p_order_index integer, p_try_number integer,
  p_provider text, p_raw_model_id text, p_region text, p_run_at timestamptz, p_now timestamptz,
  p_attempt_id uuid default null
) returns uuid
language plpgsql set search_path = '' as $$
declare
  v_id uuid := coalesce(p_attempt_id, gen_random_uuid());
begin
  insert into seaplane.attempts
    (id, generation_id, account_id, order_index, try_number, provider, raw_model_id, region, created_at, run_at)
  values (v_id, p_generation_id, p_account_id, p_order_index, p_try_number, p_provider, p_raw_model_id, p_region, p_now, p_run_at);
  return v_id;
end;
$$;

-- api.attempts_dispatch: due, undispatched attempts become attempt_run jobs, up to p_limit at a
-- time, in one add_jobs call (one NOTIFY). Rows another dispatcher holds are skipped, so every
-- worker process may dispatch. Returns how many attempts were dispatched. Commits
-- asynchronously: a dispatch lost in a crash leaves its attempts undispatched (and its jobs
-- unwritten), so they are simply dispatched again.
-- Attempts due together share a job, up to p_pack of them ({"attempt_ids": [...]}): the worker
-- that takes it runs them side by side, and graphile-worker's own work (insert, fetch, complete)
-- is paid once per job, not per attempt. At low load a job carries one attempt, so nothing waits
-- for a pack to fill. A job's key is its first attempt's; the reaper may make an attempt due
-- again while an old job still names it, and api.attempt_start, which runs only a queued
-- attempt, makes the second run a no-op.
create or replace function api.attempts_dispatch(
  p_limit integer default 200,
  p_now timestamptz default now(),
  p_pack integer default 8
) returns integer
language plpgsql security definer set search_path = '' as $$
declare
  v_specs graphile_worker.job_spec[];
  v_count integer;
begin
  with due as (
    select x.id from seaplane.attempts x
    where x.state = 'queued' and x.dispatched_at is null and x.run_at <= p_now
    order by x.run_at limit p_limit
    for update skip locked
  ), marked as (
    update seaplane.attempts a set dispatched_at = p_now from due where a.id = due.id returning a.id
  ), packs as (
    select array_agg(n.id) as ids
    from (select m.id, (row_number() over () - 1) / greatest(p_pack, 1) as pack from marked m) n
    group by n.pack
  )
  select array_agg(row('attempt_run', json_build_object('attempt_ids', p.ids), null, null, 5,
                       'attempt_run:' || p.ids[1]::text, null, null)::graphile_worker.job_spec),
         sum(cardinality(p.ids))
  into v_specs, v_count from packs p;
  if v_specs is null then
    return 0;
  end if;
  perform pg_catalog.set_config('synchronous_commit', 'off', true);
  perform graphile_worker.add_jobs(v_specs);
  return v_count;
end;
$$;

-- The stable code for each provider error class; src/api/errors.ts lists the same codes and a
-- test proves the two agree. A pure expression with no SET clause, so the planner inlines it.
create or replace function seaplane.provider_error_code(p_error_class text) returns text
language sql immutable as $$
  select case p_error_class
    when 'rate_limited' then 'BSE3101'
    when 'provider_unavailable' then 'BSE3102'
    when 'timeout' then 'BSE3103'
    when 'malformed_response' then 'BSE3104'
    when 'out_of_credit' then 'BSE3105'
    when 'auth' then 'BSE3106'
    when 'bad_request' then 'BSE3107'
    when 'moderation' then 'BSE3108'
    when 'not_found' then 'BSE3109'
    else 'BSE3199'
  end;
$$;

-- Writes an event to the outbox in the caller's transaction (delivery comes with webhooks).
create or replace function seaplane.outbox_write(
  p_account_id uuid, p_event text, p_data jsonb, p_now timestamptz
) returns void
language plpgsql set search_path = '' as $$
begin
  insert into seaplane.outbox_events (account_id, event, payload, created_at)
  values (p_account_id, p_event, p_data, p_now);
end;
$$;

-- api.attempts_wake: tells idle dispatchers that attempts are due (LISTEN seaplane_attempts). The
-- API sends it after the accept transaction has committed, in a transaction of its own: a NOTIFY
-- inside the accept transaction would serialize every durable commit behind the notify lock.
-- It commits asynchronously (a notifying transaction has an xid, so it would otherwise wait for
-- a WAL flush): the notification is delivered at commit either way, and a lost wake costs only
-- latency, since dispatchers also poll.
create or replace function api.attempts_wake() returns void
language plpgsql security definer set search_path = '' as $$
begin
  perform pg_catalog.set_config('synchronous_commit', 'off', true);
  perform pg_catalog.pg_notify('seaplane_attempts', '');
end;
$$;
