-- Read views: what the API and operators read. Reads go through kysely with the generated
-- types (src/db/schema.gen.ts).

create or replace view api.generations_v with (security_barrier) as
select
  g.id as generation_id, g.account_id, g.apikey_id, g.region, g.model_identifier, g.model_type,
  g.status, g.request, g.provider_order, g.routing, g.provider_initialized, g.provider_used,
  g.prediction_id, g.cost_estimate_microcredits, g.cost_charged_microcredits, g.credits_refunded,
  g.output_keys, g.error_message, g.error_code, g.provider_errors, g.predict_ms,
  g.created_at, g.started_at, g.completed_at, g.deadline_at
from seaplane.generations g;

create or replace view api.api_keys_v as
select k.id as apikey_id, k.account_id, k.name, k.prefix, k.scopes, k.created_at, k.last_used_at,
  k.expires_at, k.revoked_at, k.regions
from seaplane.api_keys k;

create or replace view api.accounts_v as
select a.id as account_id, a.name, a.email, a.is_personal, a.picture_url, a.created_at,
  a.billing_plan, a.billing_subscription_status, a.billing_currency, a.billing_period_starts_at,
  a.billing_period_ends_at, a.billing_cancel_at_period_end, a.updated_at,
  b.available_microcredits, b.held_microcredits
from seaplane.accounts a
join seaplane.customer_balances_v b on b.account_id = a.id;

-- Reconciliation: every customer ledger account whose balance as the engine keeps it differs
-- from its journal (available: cached plus unfolded credits; held: the pending holds;
-- receivable: cached), one row when the system as a whole does not sum to zero, and one per
-- reference to an unknown ledger account. Must return no rows.
create or replace view api.ledger_reconciliation_v as
with journal as (
  select la.id, la.kind, la.account_id,
    case la.kind
      when 'customer_available' then b.available_microcredits
      when 'customer_held' then b.held_microcredits
      else la.balance
    end as cached,
    coalesce((select sum(t.amount_microcredits) from seaplane.ledger_transfers t where t.credit_ledger_account_id = la.id), 0)
    - coalesce((select sum(t.amount_microcredits) from seaplane.ledger_transfers t where t.debit_ledger_account_id = la.id), 0)
      as derived
  from seaplane.ledger_accounts la
  left join seaplane.customer_balances_v b on b.account_id = la.account_id
)
select j.id as ledger_account_id, j.kind, j.account_id, j.cached, j.derived,
  'cached balance differs from journal' as problem
from journal j where j.kind like 'customer_%' and j.cached <> j.derived
union all
select null, null, null, null, sum(j.derived), 'journal does not sum to zero'
from journal j having sum(j.derived) <> 0
union all
-- the journal and the unfolded credits have no foreign keys (see migration
-- 20261125180000_settle_without_account_lock): any reference to an unknown account shows here
select r.ledger_account_id, null, null, null, null, r.what || ' references an unknown ledger account'
from (
  select t.debit_ledger_account_id as ledger_account_id, 'a transfer' as what from seaplane.ledger_transfers t
  union all select t.credit_ledger_account_id, 'a transfer' from seaplane.ledger_transfers t
  union all select u.ledger_account_id, 'an unfolded credit' from seaplane.ledger_unfolded_credits u
) r
where not exists (select 1 from seaplane.ledger_accounts la where la.id = r.ledger_account_id);

-- Attempt outcomes: what routing and the circuit breakers learn from.
create or replace view api.attempt_outcomes_v as
select x.id as attempt_id, x.generation_id, x.region, x.provider, x.raw_model_id, x.state,
  x.error_class, x.latency_ms, x.cost_microcredits, x.submitted_at, x.finished_at
from seaplane.attempts x;

-- What a provider cancel needs for an attempt.
create or replace view api.attempt_jobs_v as
select x.id as attempt_id, x.generation_id, x.provider, x.provider_job_id, x.raw_model_id,
  g.model_identifier, g.request
from seaplane.attempts x join seaplane.generations g on g.id = x.generation_id;

create or replace view api.provider_webhooks_v as
select w.id as webhook_id, w.provider, w.headers, w.body, w.received_at, w.processed_at, w.outcome
from seaplane.provider_webhooks w;
