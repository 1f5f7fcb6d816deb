-- Low-balance thresholds. A threshold is armed while the available balance is at or above it;
-- the first movement that takes the balance below an armed threshold writes one
-- credits.low_balance event (all thresholds crossed by that movement in one event) and
-- disarms them. A grant that lifts the balance back to a threshold re-arms it
-- (api.credits_grant). Holds released by a void do not re-arm: the customer hears once per
-- fall, not on every hold that comes and goes around the line.

-- Micro-credits as the API shows credits (a JSON number).
-- A pure expression with no SET clause, so the planner inlines it.
create or replace function seaplane.ledger_credits(p_microcredits bigint) returns double precision
language sql immutable as $$
  select p_microcredits::double precision / 1000000;
$$;

-- Called with the customer's ledger lock held, after a movement out of available.
create or replace function seaplane.credit_alerts_check(
  p_account_id uuid, p_available bigint, p_now timestamptz
) returns void
language plpgsql set search_path = '' as $$
declare
  v_crossed jsonb;
begin
  with crossed as (
    update seaplane.credit_alert_thresholds t set armed = false
    where t.account_id = p_account_id and t.armed and t.threshold_microcredits > p_available
    returning t.threshold_microcredits
  )
  select jsonb_agg(jsonb_build_object(
      'threshold', seaplane.ledger_credits(c.threshold_microcredits),
      'balance_at', seaplane.ledger_credits(p_available)) order by c.threshold_microcredits desc)
  into v_crossed from crossed c;
  if v_crossed is not null then
    perform seaplane.outbox_write(p_account_id, 'credits.low_balance', jsonb_build_object(
      'account_id', p_account_id, 'current_balance', seaplane.ledger_credits(p_available),
      'thresholds_crossed', v_crossed), p_now);
  end if;
end;
$$;

-- api.credit_alerts_set: replaces an account's thresholds. Each starts armed when the balance
-- is at or above it (a balance already below a new threshold does not alert until it has
-- been topped up past it). Returns the thresholds as stored.
create or replace function api.credit_alerts_set(
  p_account_id uuid,
  p_thresholds_microcredits bigint[]
) returns table (threshold_microcredits bigint, armed boolean)
language plpgsql security definer set search_path = '' as $$
declare
  l record;
begin
  l := seaplane.ledger_lock_customer(p_account_id);
  delete from seaplane.credit_alert_thresholds t where t.account_id = p_account_id;
  insert into seaplane.credit_alert_thresholds (account_id, threshold_microcredits, armed)
  select distinct p_account_id, x, l.available_balance >= x from unnest(p_thresholds_microcredits) x;
  return query select t.threshold_microcredits, t.armed from seaplane.credit_alert_thresholds t
    where t.account_id = p_account_id order by t.threshold_microcredits desc;
end;
$$;
