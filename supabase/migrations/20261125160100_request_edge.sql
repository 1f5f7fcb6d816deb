-- 20261125160100_request_edge
-- What: the request edge's storage: two columns on seaplane.request_log (the SDK's runtime
--   version header and the request id, for support correlation), an index on
--   seaplane.attempts (account_id, created_at) for the per-provider part of GET /v1/usage, and
--   an index on seaplane.request_log (created_at) for retention deletes.
-- Why: usage analytics (contract section 15) aggregates request_log and attempts per account
--   over 1-90 days; without the attempts index that is a scan of every account's attempts.
-- Locks: ADD COLUMN of nullable columns without defaults takes ACCESS EXCLUSIVE on request_log
--   for a catalog-only change (milliseconds). CREATE INDEX (not CONCURRENTLY: migrations run in
--   one transaction) takes SHARE on attempts and request_log, blocking their writes while the
--   index builds; both tables are new in this release, so the build is instant. On a large
--   deployment run the two CREATE INDEX statements CONCURRENTLY by hand first; IF NOT EXISTS
--   then makes this migration a no-op for them.

alter table seaplane.request_log
  add column if not exists sdk_runtime_version text,
  add column if not exists request_id text;

create index if not exists attempts_account_created_idx
  on seaplane.attempts (account_id, created_at);

create index if not exists request_log_created_idx
  on seaplane.request_log (created_at);
