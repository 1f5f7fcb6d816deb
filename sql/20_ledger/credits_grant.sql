-- api.credits_grant: credits into a customer's available balance from a system account
-- (promotions for free credits and operator grants, stripe_clearing for purchases).
-- p_reference makes it apply at most once, across all accounts (a reference unique per account
-- only would let one Stripe event grant twice). A grant first pays any receivable the customer
-- owes (settle_receivable), then re-arms the low-balance thresholds the balance is back above.
-- outcome: granted | duplicate.
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
  v_id bigint;
  v_available bigint;
  v_settle bigint;
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
  begin
    v_id := seaplane.ledger_transfer(seaplane.ledger_system_account(p_source), l.available_id,
                                     p_amount_microcredits, 'grant', null, p_reference, p_memo, p_now);
  exception when unique_violation then
    -- the same reference granted to another account at this instant (we hold only our own
    -- account's lock): ledger_transfers_reference_once let one of them in
    select t.id into v_id from seaplane.ledger_transfers t where t.kind = 'grant' and t.reference = p_reference;
    return query select 'duplicate'::text, v_id, l.available_balance;
    return;
  end;
  v_available := l.available_balance + p_amount_microcredits;
  if l.receivable_balance < 0 then
    v_settle := least(v_available, -l.receivable_balance);
    perform seaplane.ledger_transfer(l.available_id, l.receivable_id, v_settle, 'settle_receivable',
                                     null, null, 'receivable paid from a grant', p_now);
    v_available := v_available - v_settle;
  end if;
  update seaplane.credit_alert_thresholds t set armed = true
  where t.account_id = p_account_id and not t.armed and t.threshold_microcredits <= v_available;
  return query select 'granted'::text, v_id, v_available;
end;
$$;
