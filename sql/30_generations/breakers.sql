-- Circuit-breaker inputs per provider in a region: outcomes of attempts that finished in the
-- window (cancellations and lost leases are not the provider's doing and do not count), and
-- whether the provider refused us for credit or credentials lately (those open the breaker at
-- once: failing over is right, retrying is not).
create or replace function api.provider_breakers(
  p_region text,
  p_window_seconds integer,
  p_now timestamptz default now()
) returns table (provider text, total integer, failures integer, successes integer, hard_failures integer)
language sql stable security definer set search_path = '' as $$
  select x.provider,
    count(*)::integer,
    count(*) filter (where x.state in ('failed', 'timed_out'))::integer,
    count(*) filter (where x.state = 'succeeded')::integer,
    count(*) filter (where x.error_class in ('out_of_credit', 'auth'))::integer
  from seaplane.attempts x
  where x.region = p_region and x.finished_at > p_now - make_interval(secs => p_window_seconds)
    and x.finished_at <= p_now
    and x.state in ('succeeded', 'failed', 'timed_out')
    and coalesce(x.error_class, '') not in ('lease_expired', 'bad_request', 'moderation')
  group by x.provider;
$$;
