-- api.attempt_fail: the provider failed this attempt. Decides what follows, in SQL:
-- - bad_request or moderation: the request itself is at fault; the generation fails at once
--   without burning the other providers.
-- - a retryable class (rate_limited, provider_unavailable, timeout, malformed_response) with
--   tries left on this provider: retry it after p_retry_delay_ms.
-- - otherwise, a next provider in the resolved order: fail over to it now.
-- - otherwise: the generation fails, the hold is voided, nothing is charged.
-- outcome: retry | failover | failed | noop (late or duplicate report).
-- A retry or a failover commits asynchronously, as api.attempt_start does: it moves no money and
-- ends nothing, and if a database crash loses it, the attempt is still leased to the provider
-- that failed, so the reaper runs it there again when the lease runs out (one extra try). The
-- next provider's submit does not wait for the WAL flush. A failed generation commits durably.
create or replace function api.attempt_fail(
  p_attempt_id uuid,
  p_error_class text,
  p_error_message text,
  p_max_tries_per_provider integer,
  p_retry_delay_ms integer,
  p_now timestamptz default now()
) returns table (outcome text, next_attempt_id uuid, generation_status text)
language plpgsql security definer set search_path = '' as $$
declare
  g seaplane.generations%rowtype;
  a seaplane.attempts%rowtype;
  v_retryable boolean := p_error_class in ('rate_limited', 'provider_unavailable', 'timeout', 'malformed_response');
  v_next uuid;
  v_next_index integer;
begin
  select * into g from seaplane.generations
  where id = (select x.generation_id from seaplane.attempts x where x.id = p_attempt_id) for update;
  select * into a from seaplane.attempts where id = p_attempt_id for update;
  if a.state not in ('queued', 'submitted', 'running') then
    return query select 'noop'::text, null::uuid, g.status;
    return;
  end if;
  update seaplane.attempts set
    state = case when p_error_class = 'timeout' then 'timed_out' else 'failed' end,
    finished_at = p_now, lease_expires_at = null, error_class = p_error_class,
    error_message = left(p_error_message, 1000),
    latency_ms = (extract(epoch from (p_now - coalesce(a.submitted_at, p_now))) * 1000)::integer
  where id = a.id;
  if g.status not in ('pending', 'processing') then
    return query select 'noop'::text, null::uuid, g.status;
    return;
  end if;

  if p_error_class in ('bad_request', 'moderation') then
    perform seaplane.generation_fail_locked(g,
      case p_error_class when 'moderation' then 'BSE3002' else 'BSE3003' end,
      case p_error_class when 'moderation' then 'The request was rejected by content moderation: '
                         else 'The provider rejected the request: ' end || left(p_error_message, 500),
      p_now);
    return query select 'failed'::text, null::uuid, 'failed'::text;
  elsif v_retryable and a.try_number < p_max_tries_per_provider then
    perform pg_catalog.set_config('synchronous_commit', 'off', true);
    v_next := seaplane.attempt_enqueue(g.id, g.account_id, a.order_index, a.try_number + 1, a.provider,
      a.raw_model_id, a.region, p_now + make_interval(secs => greatest(p_retry_delay_ms, 0) / 1000.0), p_now);
    return query select 'retry'::text, v_next, g.status;
  elsif a.order_index + 1 < cardinality(g.provider_order) then
    perform pg_catalog.set_config('synchronous_commit', 'off', true);
    v_next_index := a.order_index + 1;
    v_next := seaplane.attempt_enqueue(g.id, g.account_id, v_next_index, 1, g.provider_order[v_next_index + 1],
      g.routing -> 'raw_model_ids' ->> v_next_index, a.region, p_now, p_now);
    return query select 'failover'::text, v_next, g.status;
  else
    perform seaplane.generation_fail_locked(g, 'BSE3001',
      'Every provider in the order failed: ' || array_to_string(g.provider_order, ', '), p_now);
    return query select 'failed'::text, null::uuid, 'failed'::text;
  end if;
end;
$$;
