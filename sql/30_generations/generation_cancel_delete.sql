-- Cancel and delete, on behalf of an account (another account's id is simply not found).

-- Cancels a generation the caller has locked: voids the
-- hold, cancels open attempts, and enqueues the provider cancel for attempts a provider is
-- running when that provider has a cancel API. Returns whether a provider cancel was sent.
create or replace function seaplane.generation_cancel_locked(
  g seaplane.generations, p_providers_with_cancel text[], p_now timestamptz
) returns boolean
language plpgsql set search_path = '' as $$
declare
  a record;
  v_cancel_sent boolean := false;
begin
  perform seaplane.hold_resolve(g.hold_id, 'voided', null, p_now);
  for a in
    select * from seaplane.attempts
    where generation_id = g.id and state in ('queued', 'submitted', 'running')
    order by id for update
  loop
    update seaplane.attempts set
      state = 'canceled', finished_at = p_now, lease_expires_at = null,
      provider_cancel_sent = (a.provider_job_id is not null and a.provider = any (p_providers_with_cancel))
    where id = a.id;
    if a.provider_job_id is not null and a.provider = any (p_providers_with_cancel) then
      perform graphile_worker.add_job('attempt_cancel', json_build_object('attempt_id', a.id), max_attempts => 3);
      v_cancel_sent := true;
    end if;
  end loop;
  update seaplane.generations set status = 'canceled', completed_at = p_now, credits_refunded = true,
    cost_charged_microcredits = 0
  where id = g.id;
  perform seaplane.outbox_write(g.account_id, 'generation.canceled', jsonb_build_object(
    'account_id', g.account_id, 'model_identifier', g.model_identifier, 'generation_id', g.id,
    'generation_status', 'canceled', 'generation_provider_initialize', g.provider_initialized,
    'credits_refunded', true), p_now);
  return v_cancel_sent;
end;
$$;

-- api.generation_cancel. outcome: canceled | not_found | not_cancelable (already terminal).
create or replace function api.generation_cancel(
  p_account_id uuid,
  p_generation_id uuid,
  p_providers_with_cancel text[],
  p_now timestamptz default now()
) returns table (outcome text, generation_status text, provider_cancel_sent boolean, credits_refunded boolean)
language plpgsql security definer set search_path = '' as $$
declare
  g seaplane.generations%rowtype;
  v_sent boolean;
begin
  perform 1 from seaplane.generations where id = p_generation_id and account_id = p_account_id;
  if not found then
    return query select 'not_found'::text, null::text, false, false;
    return;
  end if;
  select * into g from seaplane.generations where id = p_generation_id for update;
  if not found then
    return query select 'not_found'::text, null::text, false, false;
    return;
  end if;
  if g.status not in ('pending', 'processing') then
    return query select 'not_cancelable'::text, g.status, false, false;
    return;
  end if;
  v_sent := seaplane.generation_cancel_locked(g, p_providers_with_cancel, p_now);
  return query select 'canceled'::text, 'canceled'::text, v_sent, true;
end;
$$;

-- api.generation_delete: cancels first when still running, then removes the record (attempts
-- go with it). Returns the storage keys of its files; the caller removes them.
-- outcome: deleted | not_found.
create or replace function api.generation_delete(
  p_account_id uuid,
  p_generation_id uuid,
  p_providers_with_cancel text[],
  p_now timestamptz default now()
) returns table (outcome text, output_keys text[])
language plpgsql security definer set search_path = '' as $$
declare
  g seaplane.generations%rowtype;
begin
  perform 1 from seaplane.generations where id = p_generation_id and account_id = p_account_id;
  if not found then
    return query select 'not_found'::text, null::text[];
    return;
  end if;
  select * into g from seaplane.generations where id = p_generation_id for update;
  if not found then
    return query select 'not_found'::text, null::text[];
    return;
  end if;
  if g.status in ('pending', 'processing') then
    perform seaplane.generation_cancel_locked(g, p_providers_with_cancel, p_now);
  end if;
  delete from seaplane.generations where id = g.id;
  return query select 'deleted'::text, coalesce(g.output_keys, '{}'::text[]);
end;
$$;
