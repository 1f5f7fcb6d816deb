-- 20261125160000_ledger_stripe
-- What: the tables the credit ledger needs beyond the foundation:
--   - seaplane.stripe_events: the Stripe webhook inbox, keyed by Stripe's event id, with the
--     normalized fact each event carries and what applying it did (applied | deferred | ignored).
--   - seaplane.stripe_payments: one row per paid Checkout session (payment intent -> account,
--     credits granted, amount paid, what refunds and disputes have clawed back so far).
--   - seaplane.credit_alert_thresholds: low-balance thresholds per account, each armed until
--     the available balance falls below it (one credits.low_balance event per crossing).
--   - seaplane.accounts.stripe_customer_id and billing_stripe_event_at (latest subscription
--     event applied, so billing fields arriving out of order keep the newest).
--   - a named CHECK on seaplane.ledger_accounts, customer_receivable_not_positive (a receivable
--     only ever records what the customer owes).
-- Why: issue 3 (Stripe top-ups applied once in any order; clawbacks whose shortfall becomes a
--   receivable; low-balance alerts). Functions live in sql/20_ledger.
-- Locks: CREATE TABLE takes no lock on existing tables beyond the referenced accounts
--   (SHARE ROW EXCLUSIVE on seaplane.accounts for the foreign keys, milliseconds). ALTER TABLE
--   seaplane.accounts ADD COLUMN (nullable, no default) is catalog-only under ACCESS
--   EXCLUSIVE (milliseconds). ADD CONSTRAINT on seaplane.ledger_accounts takes ACCESS
--   EXCLUSIVE while it scans the table to validate (one row per customer ledger account:
--   milliseconds at today's size; on a large table add it NOT VALID and VALIDATE separately).

alter table seaplane.accounts
  add column if not exists stripe_customer_id text,
  add column if not exists billing_stripe_event_at timestamptz;
create unique index if not exists accounts_stripe_customer_idx
  on seaplane.accounts (stripe_customer_id) where stripe_customer_id is not null;

-- A receivable's balance is credits minus debits like every ledger account: a shortfall debits
-- it, so it is negative while the customer owes and zero once paid.
alter table seaplane.ledger_accounts
  add constraint customer_receivable_not_positive check (kind <> 'customer_receivable' or balance <= 0);

create table seaplane.stripe_events (
  id text primary key,
  type text not null,
  -- the verified event as Stripe sent it, for audit and replay
  payload jsonb not null,
  -- what the event means to the ledger, extracted by the webhook route
  fact jsonb not null,
  status text not null,
  account_id uuid references seaplane.accounts (id) on delete set null,
  received_at timestamptz not null,
  applied_at timestamptz,
  constraint stripe_event_id_shape check (id ~ '^evt_[A-Za-z0-9_]+$'),
  constraint stripe_event_status_known check (status in ('applied', 'deferred', 'ignored')),
  constraint stripe_event_applied_has_time check ((status = 'applied') = (applied_at is not null))
);
create index stripe_events_deferred_idx on seaplane.stripe_events ((fact ->> 'payment_intent'))
  where status = 'deferred';
create index stripe_events_deferred_customer_idx on seaplane.stripe_events ((fact ->> 'customer'))
  where status = 'deferred';

create table seaplane.stripe_payments (
  payment_intent text primary key,
  checkout_session text not null unique,
  account_id uuid not null references seaplane.accounts (id) on delete restrict,
  granted_microcredits bigint not null,
  amount_total_minor bigint not null,
  currency text not null,
  refunded_minor bigint not null default 0,
  refund_clawed_microcredits bigint not null default 0,
  dispute_clawed_microcredits bigint not null default 0,
  created_at timestamptz not null,
  constraint stripe_payment_amounts_positive check (granted_microcredits > 0 and amount_total_minor > 0),
  constraint stripe_payment_clawback_within_grant check (
    refund_clawed_microcredits >= 0 and dispute_clawed_microcredits >= 0
    and refund_clawed_microcredits + dispute_clawed_microcredits <= granted_microcredits
  ),
  constraint stripe_payment_refund_within_total check (refunded_minor between 0 and amount_total_minor)
);
create index stripe_payments_account_idx on seaplane.stripe_payments (account_id);

create table seaplane.credit_alert_thresholds (
  account_id uuid not null references seaplane.accounts (id) on delete cascade,
  threshold_microcredits bigint not null,
  -- armed: the balance is at or above the threshold (or was, at the last grant); a fall below
  -- it writes credits.low_balance and disarms it until a grant lifts the balance again.
  armed boolean not null,
  primary key (account_id, threshold_microcredits),
  constraint credit_alert_threshold_positive check (threshold_microcredits > 0)
);

alter table seaplane.stripe_events enable row level security;
alter table seaplane.stripe_payments enable row level security;
alter table seaplane.credit_alert_thresholds enable row level security;
