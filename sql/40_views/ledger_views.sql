-- Ledger read views for operators, the CLI and the API.

-- A customer's balances as the engine keeps them, the one place they are computed: available is
-- the cached balance plus the credits not yet folded into it (ledger_unfolded_credits), held is
-- the pending holds. Internal (schema seaplane): the api views and functions read it with their
-- owner's rights.
create or replace view seaplane.customer_balances_v as
select a.id as account_id,
  (select coalesce(sum(la.balance + coalesce((select sum(u.amount_microcredits)
     from seaplane.ledger_unfolded_credits u where u.ledger_account_id = la.id), 0)), 0)
   from seaplane.ledger_accounts la where la.account_id = a.id and la.kind = 'customer_available')::bigint
    as available_microcredits,
  (select coalesce(sum(h.amount_microcredits), 0) from seaplane.holds h
   where h.account_id = a.id and h.state = 'pending')::bigint as held_microcredits
from seaplane.accounts a;

-- One row per journal entry per customer ledger account it touched, signed from that
-- account's side (+ into it, - out of it). `seaplane credits history` reads it.
create or replace view api.ledger_entries_v with (security_barrier) as
select t.id as transfer_id, la.account_id, la.kind as ledger_kind, t.kind as transfer_kind,
  case when t.credit_ledger_account_id = la.id then t.amount_microcredits else -t.amount_microcredits end
    as amount_microcredits,
  t.hold_id, t.reference, t.memo, t.created_at
from seaplane.ledger_transfers t
join seaplane.ledger_accounts la
  on la.id in (t.debit_ledger_account_id, t.credit_ledger_account_id) and la.account_id is not null;

-- The operator's overview: every account's balances, open holds, what it owes and its most
-- recent entries (newest first, at most 5).
create or replace view api.ledger_accounts_overview_v as
select a.id as account_id, a.name,
  b.available_microcredits, b.held_microcredits,
  -coalesce(re.balance, 0) as owed_microcredits,
  (select count(*) from seaplane.holds h where h.account_id = a.id and h.state = 'pending') as pending_holds,
  (select min(h.expires_at) from seaplane.holds h where h.account_id = a.id and h.state = 'pending') as next_hold_expires_at,
  (select coalesce(jsonb_agg(jsonb_build_object(
      'transfer_id', e.transfer_id, 'ledger_kind', e.ledger_kind, 'transfer_kind', e.transfer_kind,
      'amount_microcredits', e.amount_microcredits, 'reference', e.reference, 'created_at', e.created_at)
      order by e.transfer_id desc), '[]'::jsonb)
   from (select * from api.ledger_entries_v x where x.account_id = a.id order by x.transfer_id desc limit 5) e)
    as recent_entries
from seaplane.accounts a
join seaplane.customer_balances_v b on b.account_id = a.id
left join seaplane.ledger_accounts re on re.account_id = a.id and re.kind = 'customer_receivable';

-- Every ledger account's balance derived from the journal, system accounts included (their
-- balances are not cached: revenue would be a hot row shared by every customer's post).
create or replace view api.ledger_balances_v as
select la.id as ledger_account_id, la.kind, la.account_id,
  (coalesce((select sum(t.amount_microcredits) from seaplane.ledger_transfers t where t.credit_ledger_account_id = la.id), 0)
  - coalesce((select sum(t.amount_microcredits) from seaplane.ledger_transfers t where t.debit_ledger_account_id = la.id), 0))::bigint
    as balance_microcredits
from seaplane.ledger_accounts la;

-- The Stripe inbox, for operators (payloads stay in the table).
create or replace view api.stripe_events_v as
select e.id as event_id, e.type, e.status, e.account_id, e.fact, e.received_at, e.applied_at
from seaplane.stripe_events e;
