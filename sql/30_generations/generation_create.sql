-- api.generation_create: the whole accept path in one transaction. Claims the idempotency key,
-- places the credit hold, inserts the generation and its first attempt, enqueues the attempt,
-- and stores the response for replay. Nothing is written unless the outcome is `created`.
-- outcome: created | replayed | idempotency_mismatch | idempotency_in_flight | insufficient_credits
create or replace function api.generation_create(
  p_account_id uuid,
  p_apikey_id text,
  p_region text,
  p_model_identifier text,
  p_model_type text,
  p_request jsonb,
  p_provider_order text[],
  p_raw_model_ids text[],
  p_routing jsonb,
  p_cost_estimate_microcredits bigint,
  p_deadline_seconds integer,
  p_idempotency_key text,
  p_fingerprint text,
  p_request_id text,
  p_response_timestamp text,
  p_now timestamptz default now()
) returns table (outcome text, http_status integer, body jsonb, generation_id uuid)
language plpgsql security definer set search_path = '' as $$
declare
  v_replay record;
  h record;
  v_generation_id uuid := gen_random_uuid();
  -- the first attempt's id is the prediction id until a provider gives one (contract §5)
  v_attempt_id uuid := gen_random_uuid();
  v_deadline timestamptz := p_now + make_interval(secs => p_deadline_seconds);
  v_body jsonb;
begin
  if p_idempotency_key is not null then
    v_replay := seaplane.idempotency_claim(p_account_id, p_idempotency_key, p_fingerprint, p_now);
    if v_replay.outcome <> 'claimed' then
      return query select v_replay.outcome, v_replay.http_status, v_replay.body, v_replay.generation_id;
      return;
    end if;
  end if;

  -- Everything is written before the account's lock is taken (seaplane.hold_debit, last), so the
  -- lock is held only from there to the commit. SE402: a concurrent hold took the credits after
  -- hold_prepare checked them; the block's rollback removes everything written here.
  begin
    -- the hold outlives the deadline by a grace period so it never expires under a running attempt
    h := seaplane.hold_prepare(p_account_id, p_cost_estimate_microcredits, v_generation_id,
                               v_deadline + interval '15 minutes', p_now);
    if h.outcome <> 'placed' then
      return query select h.outcome, 402, null::jsonb, null::uuid;
      return;
    end if;

    -- the generation and its first attempt (what seaplane.attempt_enqueue writes), one statement
    with g as (
      insert into seaplane.generations
        (id, account_id, apikey_id, region, model_identifier, model_type, request, provider_order,
         routing, hold_id, cost_estimate_microcredits, created_at, deadline_at, prediction_id)
      values
        (v_generation_id, p_account_id, p_apikey_id, p_region, p_model_identifier, p_model_type, p_request,
         p_provider_order, p_routing || jsonb_build_object('raw_model_ids', to_jsonb(p_raw_model_ids)),
         h.hold_id, p_cost_estimate_microcredits, p_now, v_deadline, v_attempt_id::text)
    )
    insert into seaplane.attempts
      (id, generation_id, account_id, order_index, try_number, provider, raw_model_id, region, created_at, run_at)
    values (v_attempt_id, v_generation_id, p_account_id, 0, 1, p_provider_order[1], p_raw_model_ids[1],
            p_region, p_now, p_now);

    v_body := jsonb_build_object(
      'status', 'success', 'request_id', p_request_id, 'message', 'Generation initialized',
      'timestamp', p_response_timestamp,
      'data', jsonb_build_object(
        'model_identifier', p_model_identifier,
        'generation_provider_order', to_jsonb(p_provider_order),
        'generation_prediction_id', v_attempt_id::text,
        'generation_id', v_generation_id::text,
        'generation_initialized', true));

    if p_idempotency_key is not null then
      insert into seaplane.idempotency_keys
        (account_id, key, fingerprint, generation_id, response_status, response_body, created_at, expires_at)
      values (p_account_id, p_idempotency_key, p_fingerprint, v_generation_id, 200, v_body, p_now,
              p_now + interval '24 hours');
    end if;

    perform seaplane.hold_debit(p_account_id, h.available_id, p_cost_estimate_microcredits, h.fold, p_now);
  exception when sqlstate 'SE402' then
    return query select 'insufficient_credits'::text, 402, null::jsonb, null::uuid;
    return;
  end;
  return query select 'created'::text, 200, v_body, v_generation_id;
end;
$$;
