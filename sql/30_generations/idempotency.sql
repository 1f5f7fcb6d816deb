-- Idempotency keys, scoped per account. A transaction-scoped advisory lock on (account, key)
-- tells an in-flight original from a finished one without waiting on it.
-- outcome: claimed | replayed | idempotency_mismatch | idempotency_in_flight
create or replace function seaplane.idempotency_claim(
  p_account_id uuid, p_key text, p_fingerprint text, p_now timestamptz,
  out outcome text, out http_status integer, out body jsonb, out generation_id uuid
) language plpgsql set search_path = '' as $$
declare
  k seaplane.idempotency_keys%rowtype;
  v_status text;
begin
  if not pg_catalog.pg_try_advisory_xact_lock(
       pg_catalog.hashtextextended(p_account_id::text || '/' || p_key, 7310)) then
    outcome := 'idempotency_in_flight'; http_status := 409;
    return;
  end if;
  select * into k from seaplane.idempotency_keys i
  where i.account_id = p_account_id and i.key = p_key;
  if found and k.expires_at <= p_now then
    delete from seaplane.idempotency_keys i where i.account_id = p_account_id and i.key = p_key;
    found := false;
  end if;
  if not found then
    outcome := 'claimed';
    return;
  end if;
  if k.fingerprint <> p_fingerprint then
    outcome := 'idempotency_mismatch'; http_status := 409;
    return;
  end if;
  select g.status into v_status from seaplane.generations g where g.id = k.generation_id;
  outcome := 'replayed'; http_status := k.response_status; generation_id := k.generation_id;
  body := k.response_body;
  if v_status = 'canceled' then
    body := jsonb_set(k.response_body, '{data}', jsonb_build_object(
      'generation_id', k.generation_id::text, 'generation_status', 'canceled'));
  end if;
end;
$$;

-- Removes expired keys; run by a worker cron task. Returns how many were removed.
create or replace function api.idempotency_keys_expire(p_now timestamptz default now())
returns integer
language plpgsql security definer set search_path = '' as $$
declare
  v_count integer;
begin
  delete from seaplane.idempotency_keys where expires_at <= p_now;
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;
