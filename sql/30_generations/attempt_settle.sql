-- Settling attempts. Locks in the global order: the generation, the attempt, the hold (the
-- customer's ledger lock is not needed to resolve a hold). A late or duplicate report is a no-op.

-- api.attempt_succeed: the provider's outputs are stored; the attempt and the generation
-- succeed and the hold is posted at the serving provider's price (never above the hold).
-- outcome: settled | duplicate (this attempt already settled: a webhook and a poll both reported
-- it; the files are the winner's, keep them) | discarded (the generation was already terminal or
-- the attempt was moved on: the caller removes the stored files, which are this attempt's own).
create or replace function api.attempt_succeed(
  p_attempt_id uuid,
  p_output_keys text[],
  p_cost_microcredits bigint,
  p_predict_ms integer,
  p_now timestamptz default now()
) returns table (outcome text, charged_microcredits bigint)
language plpgsql security definer set search_path = '' as $$
declare
  g seaplane.generations%rowtype;
  a seaplane.attempts%rowtype;
  r record;
begin
  select * into g from seaplane.generations
  where id = (select x.generation_id from seaplane.attempts x where x.id = p_attempt_id) for update;
  select * into a from seaplane.attempts where id = p_attempt_id for update;
  if a.state = 'succeeded' then
    return query select 'duplicate'::text, null::bigint;
    return;
  end if;
  if a.state not in ('submitted', 'running') or g.status <> 'processing' then
    if a.state in ('queued', 'submitted', 'running') then
      update seaplane.attempts set state = 'canceled', finished_at = p_now where id = a.id;
    end if;
    return query select 'discarded'::text, null::bigint;
    return;
  end if;
  update seaplane.attempts set
    state = 'succeeded', finished_at = p_now, lease_expires_at = null,
    latency_ms = (extract(epoch from (p_now - a.submitted_at)) * 1000)::integer,
    cost_microcredits = p_cost_microcredits
  where id = a.id;
  r := seaplane.hold_resolve(g.hold_id, 'posted', p_cost_microcredits, p_now);
  update seaplane.generations set
    status = 'succeeded', provider_used = a.provider, output_keys = p_output_keys,
    completed_at = p_now, cost_charged_microcredits = r.posted_microcredits, predict_ms = p_predict_ms
  where id = g.id;
  perform seaplane.outbox_write(g.account_id, 'generation.completed', jsonb_build_object(
    'account_id', g.account_id, 'model_identifier', g.model_identifier, 'generation_id', g.id,
    'generation_status', 'succeeded', 'generation_provider_initialize', g.provider_initialized,
    'generation_provider_used', a.provider, 'generation_prediction_id', coalesce(a.provider_job_id, a.id::text)), p_now);
  return query select 'settled'::text, r.posted_microcredits;
end;
$$;

-- api.attempts_succeed: api.attempt_succeed for the attempts a worker process settles at once, in
-- one transaction and one durable commit (src/worker/attempt-batch.ts). p_items: a JSON array of
-- {attempt_id, output_keys, cost_microcredits, predict_ms, now}. Settled in generation order, the
-- global lock order; the same attempt twice (a webhook and a poll) settles once, then `duplicate`.
create or replace function api.attempts_succeed(p_items jsonb)
returns table (attempt_id uuid, outcome text, charged_microcredits bigint)
language plpgsql security definer set search_path = '' as $$
declare
  x record;
begin
  for x in
    select i.*
    from jsonb_to_recordset(p_items) as i(attempt_id uuid, output_keys text[], cost_microcredits bigint,
                                           predict_ms integer, now timestamptz)
    -- a subquery per item, not a join: the planner guesses 100 items and would scan attempts whole
    order by (select a.generation_id from seaplane.attempts a where a.id = i.attempt_id), i.attempt_id
  loop
    return query select x.attempt_id, s.*
      from api.attempt_succeed(x.attempt_id, x.output_keys, x.cost_microcredits, x.predict_ms, coalesce(x.now, now())) s;
  end loop;
end;
$$;

-- Fails a generation the caller has locked: voids the hold, records the error and the
-- per-provider errors, writes generation.failed.
create or replace function seaplane.generation_fail_locked(
  g seaplane.generations, p_error_code text, p_error_message text, p_now timestamptz
) returns void
language plpgsql set search_path = '' as $$
declare
  v_provider_errors jsonb;
begin
  perform seaplane.hold_resolve(g.hold_id, 'voided', null, p_now);
  select coalesce(jsonb_agg(jsonb_build_object(
      'provider', x.provider, 'code', seaplane.provider_error_code(x.error_class),
      'type', x.error_class, 'message', x.error_message,
      'retryable', x.error_class in ('rate_limited', 'provider_unavailable', 'timeout', 'malformed_response'))
    order by x.order_index, x.try_number), '[]'::jsonb)
  into v_provider_errors
  from seaplane.attempts x where x.generation_id = g.id and x.error_class is not null;
  update seaplane.generations set
    status = 'failed', completed_at = p_now, error_code = p_error_code, error_message = p_error_message,
    provider_errors = v_provider_errors, credits_refunded = true, cost_charged_microcredits = 0
  where id = g.id;
  perform seaplane.outbox_write(g.account_id, 'generation.failed', jsonb_build_object(
    'account_id', g.account_id, 'model_identifier', g.model_identifier, 'generation_id', g.id,
    'generation_status', 'failed', 'generation_provider_initialize', g.provider_initialized,
    'generation_error', p_error_message, 'generation_error_code', p_error_code,
    'credits_refunded', true), p_now);
end;
$$;
