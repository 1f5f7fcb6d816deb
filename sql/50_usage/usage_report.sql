-- api.usage_report: the `data` of GET /v1/usage (contract section 15) for one account over the
-- last p_days days, aggregated here so only one small JSON object crosses the wire.
--   usage_endpoints: from request_log, per "METHOD /path/{pattern}", with counts per error code.
--   usage_providers: from attempts, per provider:
--     total_submissions  attempts the provider was actually called for (submitted_at set)
--     used_count         attempts that succeeded and served the generation
--     cancelled_count    submitted attempts canceled with their generation
--     discarded_count    submitted attempts abandoned by failover after the attempt deadline
--                        (timed_out): the provider may still finish and bill them
--     failed_count       attempts the provider failed
--     total_estimated_cost   recorded attempt costs, in credits
--     wasted_estimated_cost  recorded costs of attempts that did not serve the generation
--   Costs are what adapters recorded (cost_microcredits); an attempt without a recorded cost
--   adds nothing rather than an invented number.
create or replace function api.usage_report(
  p_account_id uuid,
  p_days integer,
  p_now timestamptz default now()
) returns jsonb
language sql stable security definer set search_path = '' as $$
  with
  since as (select p_now - make_interval(days => p_days) as t),
  req as (
    select r.method || ' ' || r.endpoint as endpoint, r.http_status, r.error_code
    from seaplane.request_log r, since
    where r.account_id = p_account_id and r.created_at > since.t and r.created_at <= p_now
  ),
  per_endpoint as (
    select endpoint,
      count(*) as total_requests,
      count(*) filter (where http_status < 400) as success_count,
      count(*) filter (where http_status between 400 and 499) as client_error_count,
      count(*) filter (where http_status >= 500) as server_error_count
    from req group by endpoint
  ),
  per_code as (
    select endpoint, jsonb_object_agg(error_code, n order by error_code) as error_codes
    from (select endpoint, error_code, count(*) as n from req where error_code is not null
          group by endpoint, error_code) c
    group by endpoint
  ),
  att as (
    select a.provider, a.state, a.submitted_at, coalesce(a.cost_microcredits, 0) as cost
    from seaplane.attempts a, since
    where a.account_id = p_account_id and a.created_at > since.t and a.created_at <= p_now
  ),
  per_provider as (
    select provider,
      count(*) filter (where submitted_at is not null) as total_submissions,
      count(*) filter (where state = 'succeeded') as used_count,
      count(*) filter (where state = 'canceled' and submitted_at is not null) as cancelled_count,
      count(*) filter (where state = 'timed_out') as discarded_count,
      count(*) filter (where state = 'failed') as failed_count,
      sum(cost) as cost,
      sum(cost) filter (where state <> 'succeeded') as wasted
    from att group by provider
  ),
  gens as (
    select count(*) as n from seaplane.generations g, since
    where g.account_id = p_account_id and g.created_at > since.t and g.created_at <= p_now
  )
  select jsonb_build_object(
    'account_id', p_account_id::text,
    'usage_period_days', p_days,
    'usage_credit_balance', coalesce((select b.available_microcredits from seaplane.customer_balances_v b
       where b.account_id = p_account_id), 0) / 1000000.0,
    'usage_total_requests', (select count(*) from req),
    'usage_total_success', (select count(*) from req where http_status < 400),
    'usage_total_client_errors', (select count(*) from req where http_status between 400 and 499),
    'usage_total_server_errors', (select count(*) from req where http_status >= 500),
    'usage_total_generations', (select n from gens),
    'usage_total_provider_submissions', coalesce((select sum(total_submissions) from per_provider), 0),
    'usage_total_estimated_cost', coalesce((select sum(cost) from per_provider), 0) / 1000000.0,
    'usage_endpoints', coalesce((
      select jsonb_agg(jsonb_build_object(
        'endpoint', e.endpoint, 'total_requests', e.total_requests, 'success_count', e.success_count,
        'client_error_count', e.client_error_count, 'server_error_count', e.server_error_count,
        'error_codes', coalesce(c.error_codes, '{}'::jsonb))
        order by e.total_requests desc, e.endpoint)
      from per_endpoint e left join per_code c on c.endpoint = e.endpoint), '[]'::jsonb),
    'usage_providers', coalesce((
      select jsonb_agg(jsonb_build_object(
        'provider', p.provider, 'total_submissions', p.total_submissions, 'used_count', p.used_count,
        'cancelled_count', p.cancelled_count, 'discarded_count', p.discarded_count,
        'failed_count', p.failed_count, 'total_estimated_cost', p.cost / 1000000.0,
        'wasted_estimated_cost', coalesce(p.wasted, 0) / 1000000.0)
        order by p.provider)
      from per_provider p), '[]'::jsonb)
  );
$$;
