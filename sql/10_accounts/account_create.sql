-- api.account_create: a new account with its two customer ledger accounts, and an optional
-- promotion grant through the ledger (never a direct balance write).
create or replace function api.account_create(
  p_name text,
  p_email text default null,
  p_is_personal boolean default true,
  p_free_microcredits bigint default 0,
  p_now timestamptz default now()
) returns uuid
language plpgsql security definer set search_path = '' as $$
declare
  v_account_id uuid;
begin
  insert into seaplane.accounts (name, email, is_personal, created_at, updated_at)
  values (p_name, p_email, p_is_personal, p_now, p_now)
  returning id into v_account_id;

  insert into seaplane.ledger_accounts (kind, account_id)
  values ('customer_available', v_account_id), ('customer_held', v_account_id);

  if p_free_microcredits > 0 then
    perform api.credits_grant(v_account_id, p_free_microcredits, 'promotions',
                              'signup:' || v_account_id::text, 'free credits on signup', p_now);
  end if;
  return v_account_id;
end;
$$;
