-- 20261125160200_execution
-- What: the provider-webhook inbox (raw webhooks land here and are verified and applied by a
--   worker task, so the API never imports provider adapters), and indexes the lease reaper and
--   the circuit breakers read.
-- Why: async providers report completion by webhook or by poll, whichever comes first; crash
--   recovery moves expired leases on.
-- Locks: creates a new table and two indexes on seaplane.attempts (SHARE lock while building;
--   attempts is small at this point in the project's life).

create table seaplane.provider_webhooks (
  id uuid primary key default gen_random_uuid(),
  provider text not null,
  headers jsonb not null,
  body text not null,
  received_at timestamptz not null default now(),
  processed_at timestamptz,
  outcome text,
  constraint provider_webhook_body_bounded check (octet_length(body) <= 1048576)
);
create index provider_webhooks_unprocessed_idx on seaplane.provider_webhooks (received_at) where processed_at is null;
alter table seaplane.provider_webhooks enable row level security;

create index attempts_provider_job_idx on seaplane.attempts (provider, provider_job_id) where provider_job_id is not null;
create index attempts_queued_run_at_idx on seaplane.attempts (run_at) where state = 'queued';
