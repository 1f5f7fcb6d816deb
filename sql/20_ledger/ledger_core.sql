-- Ledger internals, callable only by the owner. Every movement of credits goes through
-- seaplane.ledger_transfer; callers lock the customer's ledger rows first
-- (seaplane.ledger_lock_customer), always in the same order: available, then held.

create or replace function seaplane.ledger_system_account(p_kind text) returns bigint
language sql stable set search_path = '' as $$
  select id from seaplane.ledger_accounts where kind = p_kind and account_id is null;
$$;

-- Locks and returns the customer's ledger rows. Raises if the account has none.
create or replace function seaplane.ledger_lock_customer(
  p_account_id uuid,
  out available_id bigint, out available_balance bigint,
  out held_id bigint, out held_balance bigint
) language plpgsql set search_path = '' as $$
declare
  r record;
begin
  for r in
    select la.id, la.kind, la.balance from seaplane.ledger_accounts la
    where la.account_id = p_account_id and la.kind in ('customer_available', 'customer_held')
    order by la.id
    for update
  loop
    if r.kind = 'customer_available' then
      available_id := r.id; available_balance := r.balance;
    else
      held_id := r.id; held_balance := r.balance;
    end if;
  end loop;
  if available_id is null or held_id is null then
    raise exception 'account % has no ledger accounts', p_account_id using errcode = 'P0002';
  end if;
end;
$$;

-- Appends one transfer and moves the cached balances of customer ledger accounts. A customer
-- balance going below zero violates customer_balance_not_negative: callers check first and
-- return a result; the constraint is the last line of defence.
create or replace function seaplane.ledger_transfer(
  p_debit bigint, p_credit bigint, p_amount bigint, p_kind text,
  p_hold_id uuid, p_reference text, p_memo text, p_now timestamptz
) returns bigint
language plpgsql set search_path = '' as $$
declare
  v_id bigint;
begin
  insert into seaplane.ledger_transfers
    (debit_ledger_account_id, credit_ledger_account_id, amount_microcredits, kind, hold_id, reference, memo, created_at)
  values (p_debit, p_credit, p_amount, p_kind, p_hold_id, p_reference, p_memo, p_now)
  returning id into v_id;
  update seaplane.ledger_accounts set balance = balance - p_amount
  where id = p_debit and kind like 'customer_%';
  update seaplane.ledger_accounts set balance = balance + p_amount
  where id = p_credit and kind like 'customer_%';
  return v_id;
end;
$$;
