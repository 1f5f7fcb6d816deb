-- Ledger internals, callable only by the owner. Every movement of credits goes through
-- seaplane.ledger_transfer (callers lock the customer's ledger first,
-- seaplane.ledger_lock_customer: the available row is the account's lock), except hold
-- resolution (seaplane.hold_resolve), which credits available without the lock through
-- ledger_unfolded_credits; the next holder of the lock folds those rows in.
--
-- Balances: every ledger account's balance is sum(credits) - sum(debits) over the journal.
-- Customer available and receivable accounts cache it in ledger_accounts.balance, updated in
-- the same statement group as the transfer (available: plus ledger_unfolded_credits), so hold
-- placement reads one locked row. The held account's balance is its pending holds. System
-- accounts (stripe_clearing, revenue, promotions, refunds) do not cache it, by design: every
-- customer's post credits revenue, so a cached revenue balance would be one hot row that
-- serializes all customers.
-- Their balances are derived from the journal (api.ledger_accounts_overview_v) and the
-- reconciliation view proves the cached customer balances equal the journal.

-- Internal helpers called once per transaction are plpgsql, not SQL functions: PL/pgSQL caches
-- its statements' plans per session, where a non-inlined SQL function is planned on every call.
create or replace function seaplane.ledger_system_account(p_kind text) returns bigint
language plpgsql stable set search_path = '' as $$
begin
  return (select id from seaplane.ledger_accounts where kind = p_kind and account_id is null);
end;
$$;

-- Locks the customer's ledger and returns its rows (available and held ids, the available
-- balance, and the receivable when one exists). The available row is the account's lock: every
-- movement that can take available down (a hold, a clawback) or that must read it exactly takes
-- it first. Credits that were written without the lock (the unposted rest of a resolved hold,
-- ledger_unfolded_credits) are folded into the cached balance here, so the holder sees every
-- committed credit. Raises if the account has no ledger rows. receivable_balance is <= 0: minus
-- what the customer owes after a clawback shortfall.
create or replace function seaplane.ledger_lock_customer(
  p_account_id uuid,
  out available_id bigint, out available_balance bigint,
  out held_id bigint,
  out receivable_id bigint, out receivable_balance bigint
) language plpgsql set search_path = '' as $$
declare
  v_folded bigint;
begin
  select la.id, la.balance into available_id, available_balance from seaplane.ledger_accounts la
  where la.account_id = p_account_id and la.kind = 'customer_available'
  for no key update; -- as seaplane.hold_debit; does not block the foreign-key checks of inserts
  if available_id is null then
    raise exception 'account % has no ledger accounts', p_account_id using errcode = 'P0002';
  end if;
  -- new statements: their snapshots see everything the previous lock holder committed, and a
  -- credit committed after this delete stays for the next holder
  with f as (
    delete from seaplane.ledger_unfolded_credits u where u.ledger_account_id = available_id
    returning u.amount_microcredits
  ) select sum(f.amount_microcredits) into v_folded from f;
  if v_folded is not null then
    update seaplane.ledger_accounts set balance = balance + v_folded where id = available_id;
    available_balance := available_balance + v_folded;
  end if;
  select max(la.id) filter (where la.kind = 'customer_held'),
         max(la.id) filter (where la.kind = 'customer_receivable'),
         coalesce(sum(la.balance) filter (where la.kind = 'customer_receivable'), 0)
  into held_id, receivable_id, receivable_balance
  from seaplane.ledger_accounts la
  where la.account_id = p_account_id and la.kind in ('customer_held', 'customer_receivable');
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
  -- one statement for both sides (only available and receivable rows are cached)
  update seaplane.ledger_accounts
  set balance = balance + case when id = p_credit then p_amount else -p_amount end
  where id in (p_debit, p_credit) and kind in ('customer_available', 'customer_receivable');
  return v_id;
end;
$$;
