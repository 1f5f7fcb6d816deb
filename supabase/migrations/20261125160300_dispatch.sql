-- 20261125160300_dispatch
-- What: attempts.dispatched_at, and the index the dispatcher reads.
-- Why: graphile-worker's add_job sends a NOTIFY, and a notifying transaction serializes every
--   durable commit behind a database-wide lock: measured here, api.generation_create did 455/s
--   with add_job inside and 1,092/s without (8 clients, durable commits). The accept path now
--   only inserts the queued attempt; each worker's dispatcher turns due attempts into jobs in
--   batches (one add_jobs, one NOTIFY per batch).
-- Locks: adds a nullable column (catalog-only change) and builds one partial index.

alter table seaplane.attempts add column dispatched_at timestamptz;
create index attempts_undispatched_idx on seaplane.attempts (run_at)
  where state = 'queued' and dispatched_at is null;
