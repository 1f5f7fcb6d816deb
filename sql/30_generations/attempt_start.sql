-- api.attempt_start: queued -> submitted, taking a lease, just before the provider is called.
-- The first start moves the generation pending -> processing (generation.started).
-- It commits asynchronously (no wait for the WAL flush): if a crash loses it, the attempt is
-- back to queued and dispatched, and api.attempts_requeue_stale runs it again, exactly what the
-- reaper does for a submitted attempt whose lease ran out. Money and terminal states
-- (attempt_succeed, attempt_fail) stay durable.
-- outcome: started | noop (the attempt is not queued, or its generation is terminal).
create or replace function api.attempt_start(
  p_attempt_id uuid,
  p_lease_owner text,
  p_lease_ms integer,
  p_now timestamptz default now()
) returns table (
  outcome text, attempt_state text, generation_id uuid, account_id uuid, provider text,
  raw_model_id text, region text, try_number integer, order_index integer,
  model_identifier text, model_type text, request jsonb, deadline_at timestamptz
)
language plpgsql security definer set search_path = '' as $$
declare
  g seaplane.generations%rowtype;
  a seaplane.attempts%rowtype;
begin
  select * into g from seaplane.generations
  where id = (select x.generation_id from seaplane.attempts x where x.id = p_attempt_id)
  for update;
  select * into a from seaplane.attempts where id = p_attempt_id for update;
  if not found then
    return;
  end if;
  if a.state <> 'queued' or g.status not in ('pending', 'processing') then
    if a.state = 'queued' then
      update seaplane.attempts set state = 'canceled', finished_at = p_now where id = a.id;
      a.state := 'canceled';
    end if;
    return query select 'noop'::text, a.state, g.id, g.account_id, a.provider, a.raw_model_id,
      a.region, a.try_number, a.order_index, g.model_identifier, g.model_type, g.request, g.deadline_at;
    return;
  end if;
  perform pg_catalog.set_config('synchronous_commit', 'off', true);
  update seaplane.attempts set
    state = 'submitted', submitted_at = p_now, lease_owner = p_lease_owner,
    lease_expires_at = p_now + make_interval(secs => p_lease_ms / 1000.0)
  where id = a.id;
  if g.status = 'pending' then
    update seaplane.generations set
      status = 'processing', started_at = p_now, provider_initialized = a.provider,
      prediction_id = a.id::text
    where id = g.id;
    perform seaplane.outbox_write(g.account_id, 'generation.started', jsonb_build_object(
      'account_id', g.account_id, 'model_identifier', g.model_identifier,
      'generation_id', g.id, 'generation_status', 'processing',
      'generation_provider_initialize', a.provider, 'generation_prediction_id', a.id), p_now);
  end if;
  return query select 'started'::text, 'submitted'::text, g.id, g.account_id, a.provider,
    a.raw_model_id, a.region, a.try_number, a.order_index, g.model_identifier, g.model_type,
    g.request, g.deadline_at;
end;
$$;

-- api.attempt_record_job: submitted -> running once the provider accepted the job and gave an
-- id; extends the lease and schedules the first poll (the worker slot is released meanwhile).
-- outcome: recorded | noop.
create or replace function api.attempt_record_job(
  p_attempt_id uuid,
  p_provider_job_id text,
  p_lease_ms integer,
  p_poll_after_ms integer,
  p_now timestamptz default now()
) returns table (outcome text, attempt_state text)
language plpgsql security definer set search_path = '' as $$
declare
  a seaplane.attempts%rowtype;
begin
  perform 1 from seaplane.generations
  where id = (select x.generation_id from seaplane.attempts x where x.id = p_attempt_id) for update;
  select * into a from seaplane.attempts where id = p_attempt_id for update;
  if not found or a.state <> 'submitted' then
    return query select 'noop'::text, a.state;
    return;
  end if;
  update seaplane.attempts set
    state = 'running', provider_job_id = p_provider_job_id,
    lease_expires_at = p_now + make_interval(secs => p_lease_ms / 1000.0)
  where id = a.id;
  update seaplane.generations set prediction_id = p_provider_job_id
  where id = a.generation_id and status = 'processing';
  perform seaplane.attempt_schedule_poll(a.id, p_poll_after_ms, p_now);
  return query select 'recorded'::text, 'running'::text;
end;
$$;

create or replace function seaplane.attempt_schedule_poll(p_attempt_id uuid, p_delay_ms integer, p_now timestamptz)
returns void
language plpgsql set search_path = '' as $$
begin
  perform graphile_worker.add_job('attempt_poll', json_build_object('attempt_id', p_attempt_id),
    run_at => p_now + make_interval(secs => greatest(p_delay_ms, 0) / 1000.0), max_attempts => 5,
    job_key => 'attempt_poll:' || p_attempt_id::text);
end;
$$;

-- api.attempt_poll_claim: a running attempt is due a status check; extends its lease and
-- returns what the poll needs. outcome: poll | noop (no longer running).
create or replace function api.attempt_poll_claim(
  p_attempt_id uuid,
  p_lease_ms integer,
  p_now timestamptz default now()
) returns table (
  outcome text, provider_job_id text, generation_id uuid, provider text, raw_model_id text,
  try_number integer, model_identifier text, model_type text, request jsonb, deadline_at timestamptz,
  submitted_at timestamptz
)
language plpgsql security definer set search_path = '' as $$
declare
  g seaplane.generations%rowtype;
  a seaplane.attempts%rowtype;
begin
  select * into g from seaplane.generations
  where id = (select x.generation_id from seaplane.attempts x where x.id = p_attempt_id) for update;
  select * into a from seaplane.attempts where id = p_attempt_id for update;
  if not found or a.state <> 'running' or g.status <> 'processing' then
    return query select 'noop'::text, a.provider_job_id, g.id, a.provider, a.raw_model_id, a.try_number,
      g.model_identifier, g.model_type, g.request, g.deadline_at, a.submitted_at;
    return;
  end if;
  update seaplane.attempts set lease_expires_at = p_now + make_interval(secs => p_lease_ms / 1000.0) where id = a.id;
  return query select 'poll'::text, a.provider_job_id, g.id, a.provider, a.raw_model_id, a.try_number,
    g.model_identifier, g.model_type, g.request, g.deadline_at, a.submitted_at;
end;
$$;

-- api.attempt_poll_again: still pending at the provider; check again after p_delay_ms.
create or replace function api.attempt_poll_again(
  p_attempt_id uuid,
  p_delay_ms integer,
  p_now timestamptz default now()
) returns text
language plpgsql security definer set search_path = '' as $$
begin
  perform 1 from seaplane.attempts where id = p_attempt_id and state = 'running' for update;
  if not found then
    return 'noop';
  end if;
  perform seaplane.attempt_schedule_poll(p_attempt_id, p_delay_ms, p_now);
  return 'scheduled';
end;
$$;

-- api.attempts_start: api.attempt_start for the attempts a worker process starts at once, in one
-- transaction (the worker coalesces concurrent starts: src/worker/attempt-batch.ts). Attempts are
-- started in generation order, the global lock order, so concurrent batches never deadlock. An
-- attempt that does not exist has no row, as with api.attempt_start.
create or replace function api.attempts_start(
  p_attempt_ids uuid[],
  p_lease_owner text,
  p_lease_ms integer,
  p_now timestamptz default now()
) returns table (
  attempt_id uuid, outcome text, attempt_state text, generation_id uuid, account_id uuid, provider text,
  raw_model_id text, region text, try_number integer, order_index integer,
  model_identifier text, model_type text, request jsonb, deadline_at timestamptz
)
language plpgsql security definer set search_path = '' as $$
declare
  x record;
begin
  for x in
    select a.id from seaplane.attempts a where a.id = any(p_attempt_ids) order by a.generation_id, a.id
  loop
    return query select x.id, s.* from api.attempt_start(x.id, p_lease_owner, p_lease_ms, p_now) s;
  end loop;
end;
$$;
