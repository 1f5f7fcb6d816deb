-- 20261125180000_settle_without_account_lock
-- What: resolving a hold (post, void, expire) no longer takes the customer's ledger lock.
--   * The credit a resolution gives back to `available` (the unposted rest of the hold) is
--     journaled at once and recorded in ledger_unfolded_credits; whoever next takes the
--     account's ledger lock folds those rows into the cached available balance.
--   * The `held` ledger account is no longer cached: its balance is the sum of the account's
--     pending holds (and the journal; the reconciliation view proves both agree).
-- Why: every accept and every settlement of one account used to serialize on the account's
--   available row through a commit flush, so one busy account topped out near 600 hold+post
--   pairs/s. Only movements that can take `available` down need that lock: a credit that is
--   applied late only makes the cached balance look lower, never lets it go negative.
--   Readers add the unfolded rows (seaplane.available_balance).
-- Also: the journal (ledger_transfers), holds and unfolded credits lose their foreign keys to
--   ledger_accounts and accounts. Each check took a KEY SHARE lock on the referenced row, and
--   the referenced rows are the hottest ones (a busy customer's available and held rows, the
--   revenue row every post credits): the checks cost ~14% of one busy account's hold+post
--   throughput. Instead ledger accounts are permanent (a trigger refuses deleting them or
--   changing what they are), only the ledger functions write these tables, with ids they have
--   just read, and api.ledger_reconciliation_v reports any reference to an unknown account.

create table seaplane.ledger_unfolded_credits (
  ledger_account_id bigint not null,
  transfer_id bigint not null,
  amount_microcredits bigint not null,
  constraint unfolded_amount_positive check (amount_microcredits > 0),
  primary key (ledger_account_id, transfer_id)
);
alter table seaplane.ledger_unfolded_credits enable row level security;

-- The held balance is derived from pending holds from now on.
alter table seaplane.ledger_accounts drop constraint system_balance_not_cached;
update seaplane.ledger_accounts set balance = 0 where kind = 'customer_held';
alter table seaplane.ledger_accounts
  add constraint balance_cached_only_for_available_and_receivable
  check (kind in ('customer_available', 'customer_receivable') or balance = 0);

create index holds_pending_account_idx on seaplane.holds (account_id) include (amount_microcredits)
  where state = 'pending';

-- A busy account's available row is updated by every hold it places: leave room on its pages
-- for the new versions, so the updates stay heap-only (HOT) and the indexes do not bloat.
alter table seaplane.ledger_accounts set (fillfactor = 50);

alter table seaplane.ledger_transfers
  drop constraint ledger_transfers_debit_ledger_account_id_fkey,
  drop constraint ledger_transfers_credit_ledger_account_id_fkey;
alter table seaplane.holds drop constraint holds_account_id_fkey;

-- Ledger accounts are permanent, for every role, the owner included: the journal refers to them.
create function seaplane.ledger_accounts_permanent() returns trigger
language plpgsql set search_path = '' as $$
begin
  raise exception 'ledger accounts are permanent: % of what a ledger account is is not allowed', tg_op
    using errcode = 'P0001';
end;
$$;
create trigger ledger_accounts_permanent
  before delete or truncate on seaplane.ledger_accounts
  for each statement execute function seaplane.ledger_accounts_permanent();
create trigger ledger_accounts_identity_fixed
  before update of id, kind, account_id on seaplane.ledger_accounts
  for each row execute function seaplane.ledger_accounts_permanent();
