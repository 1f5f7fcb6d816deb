-- API keys: created, authenticated, revoked. The key itself never reaches the database; only
-- its sha256 does.

create or replace function api.apikey_create(
  p_account_id uuid,
  p_apikey_id text,
  p_name text,
  p_prefix text,
  p_hash bytea,
  p_scopes text[],
  p_expires_at timestamptz default null,
  p_regions text[] default array['us', 'eu', 'jp'],
  p_now timestamptz default now()
) returns text
language plpgsql security definer set search_path = '' as $$
begin
  insert into seaplane.api_keys (id, account_id, name, prefix, hash, scopes, created_at, expires_at, regions)
  values (p_apikey_id, p_account_id, p_name, p_prefix, p_hash, p_scopes, p_now, p_expires_at, p_regions);
  return p_apikey_id;
end;
$$;

-- Looks a key up by hash. outcome: ok | unknown | revoked | expired | wrong_region (the key was
-- not issued for p_region; null p_region skips the check). last_used_at is written at
-- most once a minute per key so a polling client does not turn every read into a write.
-- expires_at lets the API's short-lived key cache honour expiry without asking again.
create or replace function api.apikey_authenticate(
  p_hash bytea,
  p_region text default null,
  p_now timestamptz default now()
) returns table (outcome text, apikey_id text, account_id uuid, scopes text[], expires_at timestamptz)
language plpgsql security definer set search_path = '' as $$
declare
  k seaplane.api_keys%rowtype;
begin
  select * into k from seaplane.api_keys where hash = p_hash;
  if not found then
    return query select 'unknown'::text, null::text, null::uuid, null::text[], null::timestamptz;
    return;
  end if;
  if k.revoked_at is not null and k.revoked_at <= p_now then
    return query select 'revoked'::text, k.id, k.account_id, k.scopes, k.expires_at;
    return;
  end if;
  if k.expires_at is not null and k.expires_at <= p_now then
    return query select 'expired'::text, k.id, k.account_id, k.scopes, k.expires_at;
    return;
  end if;
  if p_region is not null and not (p_region = any (k.regions)) then
    return query select 'wrong_region'::text, k.id, k.account_id, k.scopes, k.expires_at;
    return;
  end if;
  if k.last_used_at is null or k.last_used_at < p_now - interval '60 seconds' then
    update seaplane.api_keys set last_used_at = p_now
    where id = k.id and (last_used_at is null or last_used_at < p_now - interval '60 seconds');
  end if;
  return query select 'ok'::text, k.id, k.account_id, k.scopes, k.expires_at;
end;
$$;

-- Revoking twice is a no-op that keeps the first revocation time.
create or replace function api.apikey_revoke(
  p_apikey_id text,
  p_now timestamptz default now()
) returns table (apikey_id text, revoked_at timestamptz)
language plpgsql security definer set search_path = '' as $$
begin
  return query
  update seaplane.api_keys k set revoked_at = coalesce(k.revoked_at, p_now)
  where k.id = p_apikey_id
  returning k.id, k.revoked_at;
end;
$$;
