-- api.credits_grant: credits into a customer's available balance from a system account
-- (promotions for free credits and operator grants, stripe_clearing for purchases).
-- p_reference makes it apply at most once, across all accounts (a reference unique per account
-- only would let one Stripe event grant twice). outcome: granted | duplicate.
create or replace function api.credits_grant(
  p_account_id uuid,
  p_amount_microcredits bigint,
  p_source text,
  p_reference text,
  p_memo text default null,
  p_now timestamptz default now()
) returns table (outcome text, transfer_id bigint, available_microcredits bigint)
language plpgsql security definer set search_path = '' as $$
declare
  l record;
  v_source bigint;
  v_id bigint;
begin
  if p_amount_microcredits <= 0 then
    raise exception 'grant amount must be positive' using errcode = '22023';
  end if;
  if p_source not in ('promotions', 'stripe_clearing') then
    raise exception 'unknown grant source %', p_source using errcode = '22023';
  end if;
  l := seaplane.ledger_lock_customer(p_account_id);
  if p_reference is not null then
    select t.id into v_id from seaplane.ledger_transfers t
    where t.kind = 'grant' and t.reference = p_reference;
    if found then
      return query select 'duplicate'::text, v_id, l.available_balance;
      return;
    end if;
  end if;
  v_source := seaplane.ledger_system_account(p_source);
  v_id := seaplane.ledger_transfer(v_source, l.available_id, p_amount_microcredits, 'grant',
                                   null, p_reference, p_memo, p_now);
  return query select 'granted'::text, v_id, l.available_balance + p_amount_microcredits;
end;
$$;
