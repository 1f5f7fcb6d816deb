-- The Stripe inbox. The webhook route verifies the signature, reduces the event to a fact
-- (what it means to the ledger) and calls api.stripe_event_apply once per delivery. The event
-- id is the inbox's primary key, so a redelivered or concurrently repeated event applies once.
-- Events may arrive in any order: one whose payment or customer is not known yet is stored as
-- deferred and applied when the checkout (or subscription) that introduces it lands.
-- Locks: the inbox row, advisory locks on the event's payment intent and customer (so two
-- events about one payment take turns and neither misses the other's commit), the payment
-- row, then the customer's ledger rows.
--
-- Facts (jsonb, built by src/api/routes/stripe.ts):
--   checkout_grant {account_id, microcredits, checkout_session, payment_intent, amount_total_minor, currency, customer}
--   refund         {payment_intent, amount_refunded_minor}   (cumulative, as Stripe reports it)
--   dispute        {payment_intent, dispute_id, amount_minor} (created, or closed as lost)
--   dispute_won    {payment_intent, dispute_id}
--   plan_grant     {account_id?, customer, invoice_id, microcredits, plan}
--   billing        {account_id?, customer, plan, status, currency, period_start, period_end,
--                   cancel_at_period_end, event_created}
--   link_customer  {account_id, customer}   (a subscription checkout: invoices follow)
--   ignore         {}

-- The account a subscription fact is about: named in its metadata, or known by customer id.
create or replace function seaplane.stripe_fact_account(p_fact jsonb) returns uuid
language plpgsql stable set search_path = '' as $$
begin
  return coalesce(
    (select a.id from seaplane.accounts a where a.id = (p_fact ->> 'account_id')::uuid),
    (select a.id from seaplane.accounts a where a.stripe_customer_id = p_fact ->> 'customer'));
end;
$$;

-- Refunds and disputes claw back in proportion to the money returned, never more in total
-- than the payment granted. Returns the status and the account.
create or replace function seaplane.stripe_fact_clawback(p_event_id text, p_fact jsonb, p_now timestamptz,
  out status text, out account_id uuid)
language plpgsql set search_path = '' as $$
declare
  p seaplane.stripe_payments%rowtype;
  v_action text := p_fact ->> 'action';
  v_target bigint;
  v_delta bigint;
  v_ref text;
  v_refunded bigint;
  r record;
begin
  select * into p from seaplane.stripe_payments x where x.payment_intent = p_fact ->> 'payment_intent' for update;
  if not found then
    status := 'deferred';
    return;
  end if;
  account_id := p.account_id;
  status := 'applied';
  if v_action = 'refund' then
    v_refunded := least(greatest(p.refunded_minor, (p_fact ->> 'amount_refunded_minor')::bigint), p.amount_total_minor);
    v_target := p.granted_microcredits * v_refunded / p.amount_total_minor;
    v_delta := least(v_target - p.refund_clawed_microcredits,
                     p.granted_microcredits - p.refund_clawed_microcredits - p.dispute_clawed_microcredits);
    update seaplane.stripe_payments set refunded_minor = v_refunded where payment_intent = p.payment_intent;
    if v_delta > 0 then
      perform api.credits_clawback(p.account_id, v_delta, 'stripe:' || p_event_id, 'refund', p_now);
      update seaplane.stripe_payments set refund_clawed_microcredits = refund_clawed_microcredits + v_delta
      where payment_intent = p.payment_intent;
    end if;
    return;
  end if;
  v_ref := 'dispute:' || (p_fact ->> 'dispute_id');
  if v_action = 'dispute' then
    if exists (select 1 from seaplane.stripe_events e where e.status = 'applied'
               and e.fact ->> 'action' = 'dispute_won' and e.fact ->> 'dispute_id' = p_fact ->> 'dispute_id') then
      status := 'ignored';  -- already won: the money came back
      return;
    end if;
    v_delta := least(p.granted_microcredits * least((p_fact ->> 'amount_minor')::bigint, p.amount_total_minor) / p.amount_total_minor,
                     p.granted_microcredits - p.refund_clawed_microcredits - p.dispute_clawed_microcredits);
    if v_delta > 0 then
      r := api.credits_clawback(p.account_id, v_delta, v_ref, 'dispute', p_now);
      if r.outcome <> 'duplicate' then
        update seaplane.stripe_payments set dispute_clawed_microcredits = dispute_clawed_microcredits + v_delta
        where payment_intent = p.payment_intent;
      end if;
    end if;
  elsif v_action = 'dispute_won' then
    select coalesce(sum(t.amount_microcredits), 0) into v_delta from seaplane.ledger_transfers t
    where t.kind in ('clawback', 'receivable') and t.reference = v_ref;
    if v_delta > 0 then
      r := api.credits_grant(p.account_id, v_delta, 'stripe_clearing', 'dispute_won:' || (p_fact ->> 'dispute_id'),
                             'dispute won', p_now);
      if r.outcome = 'granted' then
        update seaplane.stripe_payments set dispute_clawed_microcredits = dispute_clawed_microcredits - v_delta
        where payment_intent = p.payment_intent;
      end if;
    end if;
  end if;
end;
$$;

-- Applies one fact. status: applied | deferred (waits for its payment or customer) | ignored.
create or replace function seaplane.stripe_fact_apply(p_event_id text, p_fact jsonb, p_now timestamptz,
  out status text, out account_id uuid)
language plpgsql set search_path = '' as $$
declare
  v_action text := p_fact ->> 'action';
  v_account uuid;
  v_pi text;
  r record;
begin
  if v_action = 'checkout_grant' then
    select a.id into v_account from seaplane.accounts a where a.id = (p_fact ->> 'account_id')::uuid;
    if v_account is null or (p_fact ->> 'microcredits')::bigint <= 0 then
      status := 'ignored';
      return;
    end if;
    account_id := v_account;
    status := 'applied';
    v_pi := coalesce(p_fact ->> 'payment_intent', p_fact ->> 'checkout_session');
    insert into seaplane.stripe_payments
      (payment_intent, checkout_session, account_id, granted_microcredits, amount_total_minor, currency, created_at)
    values (v_pi, p_fact ->> 'checkout_session', v_account, (p_fact ->> 'microcredits')::bigint,
            greatest((p_fact ->> 'amount_total_minor')::bigint, 1), coalesce(p_fact ->> 'currency', 'usd'), p_now)
    on conflict do nothing;
    if found then
      perform api.credits_grant(v_account, (p_fact ->> 'microcredits')::bigint, 'stripe_clearing',
                                'checkout:' || (p_fact ->> 'checkout_session'), 'credit pack purchase', p_now);
    end if;
    update seaplane.accounts a set stripe_customer_id = p_fact ->> 'customer'
    where a.id = v_account and a.stripe_customer_id is null and p_fact ->> 'customer' is not null
      and not exists (select 1 from seaplane.accounts o where o.stripe_customer_id = p_fact ->> 'customer');
  elsif v_action in ('refund', 'dispute', 'dispute_won') then
    r := seaplane.stripe_fact_clawback(p_event_id, p_fact, p_now);
    status := r.status; account_id := r.account_id;
  elsif v_action in ('plan_grant', 'billing', 'link_customer') then
    v_account := seaplane.stripe_fact_account(p_fact);
    if v_account is null then
      status := 'deferred';
      return;
    end if;
    account_id := v_account; status := 'applied';
    update seaplane.accounts a set stripe_customer_id = p_fact ->> 'customer'
    where a.id = v_account and a.stripe_customer_id is null and p_fact ->> 'customer' is not null
      and not exists (select 1 from seaplane.accounts o where o.stripe_customer_id = p_fact ->> 'customer');
    if v_action = 'link_customer' then
      return;
    elsif v_action = 'plan_grant' then
      if coalesce((p_fact ->> 'microcredits')::bigint, 0) <= 0 then
        status := 'ignored';
        return;
      end if;
      perform api.credits_grant(v_account, (p_fact ->> 'microcredits')::bigint, 'stripe_clearing',
                                'invoice:' || (p_fact ->> 'invoice_id'), 'plan ' || coalesce(p_fact ->> 'plan', '?') || ' monthly grant', p_now);
    else
      update seaplane.accounts a set
        billing_plan = p_fact ->> 'plan', billing_subscription_status = p_fact ->> 'status',
        billing_currency = p_fact ->> 'currency',
        billing_period_starts_at = (p_fact ->> 'period_start')::timestamptz,
        billing_period_ends_at = (p_fact ->> 'period_end')::timestamptz,
        billing_cancel_at_period_end = (p_fact ->> 'cancel_at_period_end')::boolean,
        billing_stripe_event_at = (p_fact ->> 'event_created')::timestamptz, updated_at = p_now
      where a.id = v_account and (a.billing_stripe_event_at is null
                                  or a.billing_stripe_event_at <= (p_fact ->> 'event_created')::timestamptz);
    end if;
  else
    status := 'ignored';
  end if;
end;
$$;

-- api.stripe_event_apply. outcome: applied | deferred | ignored | duplicate (the event id was
-- seen before; status is what it did then, or since).
create or replace function api.stripe_event_apply(
  p_event_id text,
  p_event_type text,
  p_payload jsonb,
  p_fact jsonb,
  p_now timestamptz default now()
) returns table (outcome text, status text, account_id uuid)
language plpgsql security definer set search_path = '' as $$
declare
  e record;
  r record;
  d record;
  k text;
begin
  insert into seaplane.stripe_events (id, type, payload, fact, status, received_at)
  values (p_event_id, p_event_type, p_payload, p_fact, 'deferred', p_now)
  on conflict (id) do nothing;
  if not found then
    select x.status, x.account_id into e from seaplane.stripe_events x where x.id = p_event_id;
    return query select 'duplicate'::text, e.status, e.account_id;
    return;
  end if;
  for k in
    select distinct v from unnest(array[p_fact ->> 'payment_intent', p_fact ->> 'checkout_session', p_fact ->> 'customer']) v
    where v is not null order by v
  loop
    perform pg_advisory_xact_lock(hashtextextended('stripe:' || k, 0));
  end loop;
  r := seaplane.stripe_fact_apply(p_event_id, p_fact, p_now);
  update seaplane.stripe_events x set status = r.status, account_id = r.account_id,
    applied_at = case when r.status = 'applied' then p_now end
  where x.id = p_event_id;
  if r.status = 'applied' then
    -- the events that were waiting for this payment or customer, in the order they came
    for d in
      select x.id, x.fact from seaplane.stripe_events x
      where x.status = 'deferred' and x.id <> p_event_id and (
        x.fact ->> 'payment_intent' = coalesce(p_fact ->> 'payment_intent', p_fact ->> 'checkout_session')
        or x.fact ->> 'customer' = p_fact ->> 'customer')
      order by x.received_at, x.id
      for update
    loop
      e := seaplane.stripe_fact_apply(d.id, d.fact, p_now);
      update seaplane.stripe_events x set status = e.status, account_id = e.account_id,
        applied_at = case when e.status = 'applied' then p_now end
      where x.id = d.id;
    end loop;
  end if;
  return query select r.status, r.status, r.account_id;
end;
$$;
