-- 20261125160400_key_regions
-- What: api_keys.regions, the regions a key is valid in.
-- Why: a key issued in one region must not work in another unless it was issued for both. With a
--   database per region that holds by construction; this makes it explicit and configurable when
--   regional deployments share a database (`seaplane keys create --regions us,eu`).
-- Locks: adds a column with a constant default (catalog-only change in PostgreSQL 11+).

alter table seaplane.api_keys add column regions text[] not null default array['us', 'eu', 'jp']::text[];
alter table seaplane.api_keys add constraint api_key_regions_known
  check (cardinality(regions) > 0 and regions <@ array['us', 'eu', 'jp']::text[]);
