-- 20261125000100_foundation
-- What: the first tables of Seaplane: accounts and API keys, the credit ledger (ledger accounts,
--   an append-only transfer journal, two-phase holds), generations and their attempts,
--   idempotency keys, the webhook outbox, and the per-request log.
-- Why: every state of record lives here; TypeScript only calls the functions in schema `api`
--   (defined in sql/ and snapshotted by the next migration).
-- Locks: creates new objects only; nothing existing is locked.
-- Tables live in the private schema `seaplane`, which the Supabase API never exposes. RLS is on
-- for every table with no policies, so only roles that bypass RLS (the owner, service code
-- through SECURITY DEFINER functions) can touch rows.

create schema if not exists seaplane;
create schema if not exists api;

-- Accounts ----------------------------------------------------------------------------------
create table seaplane.accounts (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  email text,
  is_personal boolean not null default true,
  picture_url text,
  billing_plan text,
  billing_subscription_status text,
  billing_currency text,
  billing_period_starts_at timestamptz,
  billing_period_ends_at timestamptz,
  billing_cancel_at_period_end boolean,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint account_name_not_blank check (length(btrim(name)) between 1 and 200)
);

create table seaplane.api_keys (
  id text primary key,
  account_id uuid not null references seaplane.accounts (id) on delete cascade,
  name text,
  prefix text not null,
  -- sha256 of the whole key; the key itself is shown once and never stored.
  hash bytea not null,
  scopes text[] not null,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  expires_at timestamptz,
  revoked_at timestamptz,
  constraint api_key_hash_unique unique (hash),
  constraint api_key_id_prefixed check (id ~ '^key_[A-Za-z0-9]+$'),
  constraint api_key_scopes_known check (
    cardinality(scopes) > 0 and scopes <@ array[
      'generation:write', 'generation:read', 'generation:delete',
      'account:read', 'health:read', 'library:read'
    ]::text[]
  )
);
create index api_keys_account_idx on seaplane.api_keys (account_id);

-- Ledger ------------------------------------------------------------------------------------
-- Amounts are integer micro-credits (1 credit = 1 USD of list price = 1,000,000 micro-credits).
-- Every movement is a transfer from one ledger account to another, so the journal is balanced
-- by construction; a customer's credits sit in two ledger accounts, `available` and `held`, and
-- a hold is a transfer between them (TigerBeetle's pending transfer, made of plain transfers).
create table seaplane.ledger_accounts (
  id bigint generated always as identity primary key,
  kind text not null,
  account_id uuid references seaplane.accounts (id) on delete restrict,
  -- cached: sum(credits) - sum(debits) over the journal; the reconciliation view proves it.
  balance bigint not null default 0,
  constraint ledger_account_kind_known check (
    kind in ('customer_available', 'customer_held', 'customer_receivable',
             'stripe_clearing', 'revenue', 'promotions', 'refunds')
  ),
  constraint ledger_account_customer_kinds_have_owner check (
    (kind like 'customer_%') = (account_id is not null)
  ),
  constraint customer_balance_not_negative check (
    kind not in ('customer_available', 'customer_held') or balance >= 0
  ),
  constraint ledger_account_one_per_kind unique nulls not distinct (account_id, kind)
);

create table seaplane.ledger_transfers (
  id bigint generated always as identity primary key,
  debit_ledger_account_id bigint not null references seaplane.ledger_accounts (id),
  credit_ledger_account_id bigint not null references seaplane.ledger_accounts (id),
  amount_microcredits bigint not null,
  kind text not null,
  hold_id uuid,
  -- an external reference that must apply at most once (a Stripe event id, a grant key)
  reference text,
  memo text,
  created_at timestamptz not null default now(),
  constraint transfer_amount_positive check (amount_microcredits > 0),
  constraint transfer_between_two_accounts check (debit_ledger_account_id <> credit_ledger_account_id),
  constraint transfer_kind_known check (
    kind in ('grant', 'hold', 'post', 'release', 'refund', 'clawback', 'receivable', 'settle_receivable')
  )
);
create index ledger_transfers_debit_idx on seaplane.ledger_transfers (debit_ledger_account_id, id);
create index ledger_transfers_credit_idx on seaplane.ledger_transfers (credit_ledger_account_id, id);
create unique index ledger_transfers_reference_once on seaplane.ledger_transfers (kind, reference)
  where reference is not null;

create table seaplane.holds (
  id uuid primary key default gen_random_uuid(),
  account_id uuid not null references seaplane.accounts (id),
  amount_microcredits bigint not null,
  state text not null default 'pending',
  posted_microcredits bigint,
  generation_id uuid,
  expires_at timestamptz not null,
  created_at timestamptz not null default now(),
  resolved_at timestamptz,
  constraint hold_amount_positive check (amount_microcredits > 0),
  constraint hold_state_known check (state in ('pending', 'posted', 'voided', 'expired')),
  constraint hold_resolved_once check ((state = 'pending') = (resolved_at is null)),
  constraint hold_post_within_amount check (
    (state = 'posted') = (posted_microcredits is not null)
    and (posted_microcredits is null or posted_microcredits between 0 and amount_microcredits)
  )
);
create index holds_pending_expiry_idx on seaplane.holds (expires_at) where state = 'pending';
create index holds_account_idx on seaplane.holds (account_id, created_at desc);

-- Generations and attempts -------------------------------------------------------------------
create table seaplane.generations (
  id uuid primary key default gen_random_uuid(),
  account_id uuid not null references seaplane.accounts (id) on delete cascade,
  apikey_id text,
  region text not null default 'us',
  model_identifier text not null,
  model_type text not null,
  status text not null default 'pending',
  -- the validated, normalized request (input echo + model-specific fields)
  request jsonb not null,
  provider_order text[] not null,
  -- how the order was chosen: { reason: ranked|cache_miss|cache_error|stale|static|explicit, ... }
  routing jsonb not null default '{}'::jsonb,
  provider_initialized text,
  provider_used text,
  prediction_id text,
  hold_id uuid references seaplane.holds (id),
  cost_estimate_microcredits bigint not null,
  cost_charged_microcredits bigint,
  credits_refunded boolean not null default false,
  output_keys text[],
  error_message text,
  error_code text,
  provider_errors jsonb,
  predict_ms integer,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  completed_at timestamptz,
  deadline_at timestamptz not null,
  constraint generation_status_known check (status in ('pending', 'processing', 'succeeded', 'failed', 'canceled')),
  constraint generation_model_type_known check (model_type in ('image', 'video')),
  constraint generation_terminal_has_completed_at check (
    (status in ('succeeded', 'failed', 'canceled')) = (completed_at is not null)
  ),
  constraint generation_succeeded_has_outputs check (
    status <> 'succeeded' or (output_keys is not null and provider_used is not null)
  ),
  constraint generation_failed_has_error check (
    status <> 'failed' or (error_message is not null and error_code is not null)
  ),
  constraint generation_provider_order_not_empty check (cardinality(provider_order) > 0)
);
create index generations_account_created_idx on seaplane.generations (account_id, created_at desc, id desc);
create index generations_open_deadline_idx on seaplane.generations (deadline_at)
  where status in ('pending', 'processing');

create table seaplane.attempts (
  id uuid primary key default gen_random_uuid(),
  generation_id uuid not null references seaplane.generations (id) on delete cascade,
  account_id uuid not null,
  -- position in the resolved provider order, and the try number on that provider
  order_index integer not null,
  try_number integer not null default 1,
  provider text not null,
  raw_model_id text not null,
  region text not null,
  state text not null default 'queued',
  provider_job_id text,
  lease_owner text,
  lease_expires_at timestamptz,
  created_at timestamptz not null default now(),
  run_at timestamptz not null default now(),
  submitted_at timestamptz,
  finished_at timestamptz,
  latency_ms integer,
  cost_microcredits bigint,
  error_class text,
  error_message text,
  provider_cancel_sent boolean not null default false,
  constraint attempt_state_known check (
    state in ('queued', 'submitted', 'running', 'succeeded', 'failed', 'timed_out', 'canceled')
  ),
  constraint attempt_terminal_has_finished_at check (
    (state in ('succeeded', 'failed', 'timed_out', 'canceled')) = (finished_at is not null)
  ),
  constraint attempt_once_per_try unique (generation_id, order_index, try_number)
);
create index attempts_generation_idx on seaplane.attempts (generation_id, created_at);
create index attempts_open_lease_idx on seaplane.attempts (lease_expires_at)
  where state in ('submitted', 'running');
create index attempts_outcomes_idx on seaplane.attempts (region, provider, finished_at)
  where finished_at is not null;

-- Idempotency ----------------------------------------------------------------------------------
create table seaplane.idempotency_keys (
  account_id uuid not null references seaplane.accounts (id) on delete cascade,
  key text not null,
  fingerprint text not null,
  generation_id uuid,
  response_status integer not null,
  response_body jsonb not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  primary key (account_id, key),
  constraint idempotency_key_format check (key ~ '^[A-Za-z0-9_.:-]{1,255}$')
);
create index idempotency_keys_expiry_idx on seaplane.idempotency_keys (expires_at);

-- Outbox (webhook events written in the same transaction as the change they report) ----------
create table seaplane.outbox_events (
  id uuid primary key default gen_random_uuid(),
  account_id uuid not null references seaplane.accounts (id) on delete cascade,
  event text not null,
  payload jsonb not null,
  created_at timestamptz not null default now(),
  dispatched_at timestamptz,
  constraint outbox_event_known check (
    event in ('generation.started', 'generation.completed', 'generation.failed',
              'generation.canceled', 'credits.low_balance', 'webhook.test')
  )
);
create index outbox_undispatched_idx on seaplane.outbox_events (created_at) where dispatched_at is null;

-- Request log (usage analytics) ------------------------------------------------------------
create table seaplane.request_log (
  id bigint generated always as identity primary key,
  account_id uuid,
  apikey_id text,
  endpoint text not null,
  method text not null,
  http_status integer not null,
  error_code text,
  latency_ms integer not null,
  sdk_name text,
  sdk_version text,
  sdk_runtime text,
  user_agent text,
  created_at timestamptz not null default now()
);
create index request_log_account_created_idx on seaplane.request_log (account_id, created_at);

alter table seaplane.accounts enable row level security;
alter table seaplane.api_keys enable row level security;
alter table seaplane.ledger_accounts enable row level security;
alter table seaplane.ledger_transfers enable row level security;
alter table seaplane.holds enable row level security;
alter table seaplane.generations enable row level security;
alter table seaplane.attempts enable row level security;
alter table seaplane.idempotency_keys enable row level security;
alter table seaplane.outbox_events enable row level security;
alter table seaplane.request_log enable row level security;

-- The journal is append-only for every role, the owner included.
create function seaplane.ledger_transfers_append_only() returns trigger
language plpgsql set search_path = '' as $$
begin
  raise exception 'ledger_transfers is append-only: % is not allowed', tg_op
    using errcode = 'P0001';
end;
$$;
create trigger ledger_transfers_append_only
  before update or delete or truncate on seaplane.ledger_transfers
  for each statement execute function seaplane.ledger_transfers_append_only();

-- System ledger accounts. Their balances are not cached (they would be hot rows shared by
-- every customer); the reconciliation view derives them from the journal.
alter table seaplane.ledger_accounts
  add constraint system_balance_not_cached check (kind like 'customer_%' or balance = 0);
insert into seaplane.ledger_accounts (kind)
values ('stripe_clearing'), ('revenue'), ('promotions'), ('refunds');
