-- Provider webhooks: the API stores the raw request and enqueues its processing; a worker task
-- verifies the signature with the provider's adapter and settles the attempt (the same
-- idempotent transitions a poll uses, so whichever arrives first wins and the other is a no-op).

create or replace function api.provider_webhook_receive(
  p_provider text,
  p_headers jsonb,
  p_body text,
  p_now timestamptz default now()
) returns uuid
language plpgsql security definer set search_path = '' as $$
declare
  v_id uuid;
begin
  insert into seaplane.provider_webhooks (provider, headers, body, received_at)
  values (p_provider, p_headers, p_body, p_now) returning id into v_id;
  perform graphile_worker.add_job('provider_webhook_process', json_build_object('webhook_id', v_id), max_attempts => 5);
  return v_id;
end;
$$;

create or replace function api.provider_webhook_mark(
  p_webhook_id uuid,
  p_outcome text,
  p_now timestamptz default now()
) returns void
language sql security definer set search_path = '' as $$
  update seaplane.provider_webhooks set processed_at = p_now, outcome = left(p_outcome, 500)
  where id = p_webhook_id and processed_at is null;
$$;

-- Finds the running attempt a provider's job id belongs to.
create or replace function api.attempt_find_by_job(
  p_provider text,
  p_provider_job_id text
) returns table (attempt_id uuid, attempt_state text)
language sql stable security definer set search_path = '' as $$
  select x.id, x.state from seaplane.attempts x
  where x.provider = p_provider and x.provider_job_id = p_provider_job_id
  order by x.created_at desc limit 1;
$$;

-- Processed provider webhooks older than p_keep_days are removed (a worker cron task); ones not
-- processed yet are kept whatever their age. Returns how many were removed.
create or replace function api.provider_webhooks_expire(
  p_keep_days integer default 7,
  p_now timestamptz default now()
) returns integer
language plpgsql security definer set search_path = '' as $$
declare
  v_count integer;
begin
  delete from seaplane.provider_webhooks
  where processed_at is not null and received_at < p_now - make_interval(days => p_keep_days);
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;
