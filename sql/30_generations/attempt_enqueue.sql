-- Inserts an attempt and enqueues the worker job that runs it, in the caller's transaction.
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
  -- The job key keeps one job per attempt even when the reaper re-enqueues a backlogged one
  -- (graphile-worker replaces an unlocked job with the same key; a locked one, held by a dead
  -- worker, loses its key to the new job).
  perform graphile_worker.add_job(
    'attempt_run', json_build_object('attempt_id', v_id),
    run_at => p_run_at, max_attempts => 5, job_key => 'attempt_run:' || v_id::text
  );
  return v_id;
end;
$$;

-- The stable code for each provider error class; src/api/errors.ts lists the same codes and a
-- test proves the two agree.
create or replace function seaplane.provider_error_code(p_error_class text) returns text
language sql immutable set search_path = '' as $$
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
language sql set search_path = '' as $$
  insert into seaplane.outbox_events (account_id, event, payload, created_at)
  values (p_account_id, p_event, p_data, p_now);
$$;
