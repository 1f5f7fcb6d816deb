-- Ledger internals, callable only by the owner. Every movement of credits goes through
-- seaplane.ledger_transfer; callers lock the customer's ledger first
-- (seaplane.ledger_lock_customer: the available row is the account's lock).
--
-- Balances: every ledger account's balance is sum(credits) - sum(debits) over the journal.
-- Customer accounts cache it in ledger_accounts.balance, updated in the same statement group
-- as the transfer, so hold placement reads one locked row. System accounts (stripe_clearing,
-- revenue, promotions, refunds) do not cache it, by design: every customer's post credits
-- revenue, so a cached revenue balance would be one hot row that serializes all customers.
-- Their balances are derived from the journal (api.ledger_accounts_overview_v) and the
-- reconciliation view proves the cached customer balances equal the journal.

create or replace function seaplane.ledger_system_account(p_kind text) returns bigint
language sql stable set search_path = '' as $$
  select id from seaplane.ledger_accounts where kind = p_kind and account_id is null;
$$;

-- Locks the customer's ledger and returns its rows (available, held, and the receivable when
-- one exists). The available row is the account's lock: every movement on a customer's credits
-- takes it first, so one row lock serializes them all (held and receivable rows are written
-- only under it, and are read after it is granted, when the previous holder has committed).
-- Raises if the account has no ledger rows. receivable_balance is <= 0: minus what the
-- customer owes after a clawback shortfall.
create or replace function seaplane.ledger_lock_customer(
  p_account_id uuid,
  out available_id bigint, out available_balance bigint,
  out held_id bigint, out held_balance bigint,
  out receivable_id bigint, out receivable_balance bigint
) language plpgsql set search_path = '' as $$
declare
  r record;
begin
  select la.id, la.balance into available_id, available_balance from seaplane.ledger_accounts la
  where la.account_id = p_account_id and la.kind = 'customer_available'
  for update;
  receivable_balance := 0;
  -- a new statement: its snapshot sees everything the previous lock holder committed
  for r in
    select la.id, la.kind, la.balance from seaplane.ledger_accounts la
    where la.account_id = p_account_id and la.kind in ('customer_held', 'customer_receivable')
  loop
    if r.kind = 'customer_held' then
      held_id := r.id; held_balance := r.balance;
    else
      receivable_id := r.id; receivable_balance := r.balance;
    end if;
  end loop;
  if available_id is null or held_id is null then
    raise exception 'account % has no ledger accounts', p_account_id using errcode = 'P0002';
  end if;
end;
$$;

-- The customer's receivable ledger account, created on first need (most accounts never owe).
-- The caller holds the customer's ledger lock, so two callers cannot both create it.
create or replace function seaplane.ledger_receivable_ensure(p_account_id uuid, p_receivable_id bigint)
returns bigint
language plpgsql set search_path = '' as $$
declare
  v_id bigint := p_receivable_id;
begin
  if v_id is null then
    insert into seaplane.ledger_accounts (kind, account_id) values ('customer_receivable', p_account_id)
    returning id into v_id;
  end if;
  return v_id;
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
  -- one statement for both sides (system rows are not cached, so they match no row here)
  update seaplane.ledger_accounts
  set balance = balance + case when id = p_credit then p_amount else -p_amount end
  where id in (p_debit, p_credit) and kind like 'customer_%';
  return v_id;
end;
$$;
