-- Crash recovery and deadlines, run by every worker's reaper loop (src/worker/reaper.ts). Each
-- function takes a bounded batch, locks in the global order (generation, attempt, hold), skips
-- rows another reaper holds, and rechecks its condition after locking, so reapers on many worker
-- processes can run at once. graphile-worker's own 4-hour job lock is never relied on.

-- Generations past their deadline fail (BSE3004): open attempts become timed_out (running ones
-- get a provider cancel job), the hold is voided. Returns how many generations were expired.
create or replace function api.generations_expire_due(
  p_limit integer default 100,
  p_now timestamptz default now()
) returns integer
language plpgsql security definer set search_path = '' as $$
declare
  r record;
  g seaplane.generations%rowtype;
  v_count integer := 0;
begin
  for r in
    select id, account_id from seaplane.generations
    where status in ('pending', 'processing') and deadline_at <= p_now
    order by deadline_at limit p_limit
  loop
    select * into g from seaplane.generations where id = r.id for update skip locked;
    continue when not found or g.status not in ('pending', 'processing') or g.deadline_at > p_now;
    update seaplane.attempts set
      state = 'timed_out', finished_at = p_now, lease_expires_at = null,
      error_class = 'timeout', error_message = 'the generation deadline passed'
    where generation_id = g.id and state in ('queued', 'submitted', 'running');
    perform graphile_worker.add_job('attempt_cancel', json_build_object('attempt_id', x.id), max_attempts => 3)
    from seaplane.attempts x where x.generation_id = g.id and x.provider_job_id is not null and x.finished_at = p_now;
    perform seaplane.generation_fail_locked(g, 'BSE3004',
      'The generation did not finish before its deadline (' || to_char(g.deadline_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || ')', p_now);
    v_count := v_count + 1;
  end loop;
  return v_count;
end;
$$;

-- Attempts whose lease expired. A submitted attempt (no provider job id known) is re-run on the
-- same provider as a new try: the worker died between the lease and the provider's answer. A
-- running attempt (the provider has the job) is polled again. lease_expired is not a provider
-- failure and does not count against the provider's health.
create or replace function api.attempts_reap(
  p_lease_ms integer,
  p_limit integer default 100,
  p_now timestamptz default now()
) returns table (rerun integer, repolled integer)
language plpgsql security definer set search_path = '' as $$
declare
  r record;
  g seaplane.generations%rowtype;
  a seaplane.attempts%rowtype;
  v_rerun integer := 0;
  v_repolled integer := 0;
begin
  for r in
    select id, generation_id from seaplane.attempts
    where state in ('submitted', 'running') and lease_expires_at < p_now
    order by lease_expires_at limit p_limit
  loop
    select * into g from seaplane.generations where id = r.generation_id for update skip locked;
    continue when not found;
    select * into a from seaplane.attempts where id = r.id for update;
    continue when a.state not in ('submitted', 'running') or a.lease_expires_at >= p_now;
    if g.status not in ('pending', 'processing') then
      update seaplane.attempts set state = 'canceled', finished_at = p_now, lease_expires_at = null where id = a.id;
    elsif a.state = 'submitted' then
      update seaplane.attempts set state = 'failed', finished_at = p_now, lease_expires_at = null,
        error_class = 'lease_expired', error_message = 'the worker running this attempt stopped before the provider answered'
      where id = a.id;
      perform seaplane.attempt_enqueue(g.id, g.account_id, a.order_index, a.try_number + 1, a.provider,
        a.raw_model_id, a.region, p_now, p_now);
      v_rerun := v_rerun + 1;
    else
      update seaplane.attempts set lease_expires_at = p_now + make_interval(secs => p_lease_ms / 1000.0) where id = a.id;
      perform seaplane.attempt_schedule_poll(a.id, 0, pg_catalog.now());
      v_repolled := v_repolled + 1;
    end if;
  end loop;
  return query select v_rerun, v_repolled;
end;
$$;

-- Queued attempts dispatched long ago whose job has not started (its worker died holding the
-- job, which graphile-worker would keep locked for hours): make them due for dispatch again.
-- A second run of the same attempt is a no-op (attempt_start moves only queued attempts).
create or replace function api.attempts_requeue_stale(
  p_stale_ms integer,
  p_limit integer default 100,
  p_now timestamptz default now()
) returns integer
language plpgsql security definer set search_path = '' as $$
declare
  v_count integer;
begin
  with stale as (
    select x.id from seaplane.attempts x
    join seaplane.generations g on g.id = x.generation_id
    where x.state = 'queued' and x.dispatched_at < p_now - make_interval(secs => p_stale_ms / 1000.0)
      and g.status in ('pending', 'processing')
    order by x.dispatched_at limit p_limit
    for update of x skip locked
  )
  update seaplane.attempts a set dispatched_at = null from stale where a.id = stale.id;
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;
