-- api.credits_clawback: takes credits back after the money behind them left (a Stripe refund
-- or dispute). What the available balance covers moves available -> stripe_clearing
-- (clawback); the shortfall is never a silent loss: it debits the customer's receivable
-- (receivable), which blocks new holds until a grant pays it. Held credits are left alone:
-- they belong to generations already running. p_reference applies it at most once.
-- outcome: clawed_back | receivable (part of it became a receivable) | duplicate.
create or replace function api.credits_clawback(
  p_account_id uuid,
  p_amount_microcredits bigint,
  p_reference text,
  p_memo text default null,
  p_now timestamptz default now()
) returns table (outcome text, clawed_microcredits bigint, owed_microcredits bigint, available_microcredits bigint)
language plpgsql security definer set search_path = '' as $$
declare
  l record;
  v_clearing bigint := seaplane.ledger_system_account('stripe_clearing');
  v_from_available bigint;
  v_short bigint;
  v_receivable bigint;
begin
  if p_amount_microcredits <= 0 or p_reference is null then
    raise exception 'a clawback needs a positive amount and a reference' using errcode = '22023';
  end if;
  l := seaplane.ledger_lock_customer(p_account_id);
  if exists (select 1 from seaplane.ledger_transfers t
             where t.kind in ('clawback', 'receivable') and t.reference = p_reference) then
    return query select 'duplicate'::text, 0::bigint, -l.receivable_balance, l.available_balance;
    return;
  end if;
  v_from_available := least(l.available_balance, p_amount_microcredits);
  v_short := p_amount_microcredits - v_from_available;
  if v_from_available > 0 then
    perform seaplane.ledger_transfer(l.available_id, v_clearing, v_from_available, 'clawback',
                                     null, p_reference, p_memo, p_now);
  end if;
  if v_short > 0 then
    v_receivable := seaplane.ledger_receivable_ensure(p_account_id, l.receivable_id);
    perform seaplane.ledger_transfer(v_receivable, v_clearing, v_short, 'receivable',
                                     null, p_reference, p_memo, p_now);
  end if;
  perform seaplane.credit_alerts_check(p_account_id, l.available_balance - v_from_available, p_now);
  return query select case when v_short > 0 then 'receivable' else 'clawed_back' end,
    p_amount_microcredits, v_short - l.receivable_balance, l.available_balance - v_from_available;
end;
$$;
