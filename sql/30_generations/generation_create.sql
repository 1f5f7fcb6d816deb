-- The accept path. seaplane.generation_prepare claims the idempotency key, checks the credits
-- without a lock and writes the hold, the generation, its first attempt and the idempotency key;
-- seaplane.hold_debit then takes the amount under the account's lock, last, so the lock is held
-- only from there to the commit. api.generation_create does this for one request;
-- api.generations_create for a batch of them in one transaction (the API coalesces concurrent
-- accepts: src/api/accept-batch.ts). Nothing is written unless the outcome is `created`.
-- outcome: created | replayed | idempotency_mismatch | idempotency_in_flight | insufficient_credits
--          | receivable_outstanding
create or replace function seaplane.generation_prepare(
  p_account_id uuid,
  p_apikey_id text,
  p_region text,
  p_model_identifier text,
  p_model_type text,
  p_request jsonb,
  p_provider_order text[],
  p_raw_model_ids text[],
  p_routing jsonb,
  p_cost_estimate_microcredits bigint,
  p_deadline_seconds integer,
  p_idempotency_key text,
  p_fingerprint text,
  p_request_id text,
  p_response_timestamp text,
  p_now timestamptz,
  out outcome text, out http_status integer, out body jsonb, out generation_id uuid,
  out available_id bigint, out fold boolean
) language plpgsql set search_path = '' as $$
declare
  v_replay record;
  h record;
  v_generation_id uuid := gen_random_uuid();
  -- the first attempt's id is the prediction id until a provider gives one (contract §5)
  v_attempt_id uuid := gen_random_uuid();
  v_deadline timestamptz := p_now + make_interval(secs => p_deadline_seconds);
begin
  if p_idempotency_key is not null then
    v_replay := seaplane.idempotency_claim(p_account_id, p_idempotency_key, p_fingerprint, p_now);
    if v_replay.outcome <> 'claimed' then
      outcome := v_replay.outcome; http_status := v_replay.http_status;
      body := v_replay.body; generation_id := v_replay.generation_id;
      return;
    end if;
  end if;

  -- the hold outlives the deadline by a grace period so it never expires under a running attempt
  h := seaplane.hold_prepare(p_account_id, p_cost_estimate_microcredits, v_generation_id,
                             v_deadline + interval '15 minutes', p_now);
  if h.outcome <> 'placed' then
    outcome := h.outcome; http_status := 402;
    return;
  end if;

  -- the generation and its first attempt (what seaplane.attempt_enqueue writes), one statement
  with g as (
    insert into seaplane.generations
      (id, account_id, apikey_id, region, model_identifier, model_type, request, provider_order,
       routing, hold_id, cost_estimate_microcredits, created_at, deadline_at, prediction_id)
    values
      (v_generation_id, p_account_id, p_apikey_id, p_region, p_model_identifier, p_model_type, p_request,
       p_provider_order, p_routing || jsonb_build_object('raw_model_ids', to_jsonb(p_raw_model_ids)),
       h.hold_id, p_cost_estimate_microcredits, p_now, v_deadline, v_attempt_id::text)
  )
  insert into seaplane.attempts
    (id, generation_id, account_id, order_index, try_number, provider, raw_model_id, region, created_at, run_at)
  values (v_attempt_id, v_generation_id, p_account_id, 0, 1, p_provider_order[1], p_raw_model_ids[1],
          p_region, p_now, p_now);

  body := jsonb_build_object(
    'status', 'success', 'request_id', p_request_id, 'message', 'Generation initialized',
    'timestamp', p_response_timestamp,
    'data', jsonb_build_object(
      'model_identifier', p_model_identifier,
      'generation_provider_order', to_jsonb(p_provider_order),
      'generation_prediction_id', v_attempt_id::text,
      'generation_id', v_generation_id::text,
      'generation_initialized', true));

  if p_idempotency_key is not null then
    insert into seaplane.idempotency_keys
      (account_id, key, fingerprint, generation_id, response_status, response_body, created_at, expires_at)
    values (p_account_id, p_idempotency_key, p_fingerprint, v_generation_id, 200, body, p_now,
            p_now + interval '24 hours');
  end if;
  outcome := 'created'; http_status := 200; generation_id := v_generation_id;
  available_id := h.available_id; fold := h.fold;
end;
$$;

create or replace function api.generation_create(
  p_account_id uuid,
  p_apikey_id text,
  p_region text,
  p_model_identifier text,
  p_model_type text,
  p_request jsonb,
  p_provider_order text[],
  p_raw_model_ids text[],
  p_routing jsonb,
  p_cost_estimate_microcredits bigint,
  p_deadline_seconds integer,
  p_idempotency_key text,
  p_fingerprint text,
  p_request_id text,
  p_response_timestamp text,
  p_now timestamptz default now()
) returns table (outcome text, http_status integer, body jsonb, generation_id uuid)
language plpgsql security definer set search_path = '' as $$
declare
  r record;
begin
  -- SE402: a concurrent hold took the credits after hold_prepare checked them; the block's
  -- rollback removes everything generation_prepare wrote.
  begin
    r := seaplane.generation_prepare(p_account_id, p_apikey_id, p_region, p_model_identifier, p_model_type,
      p_request, p_provider_order, p_raw_model_ids, p_routing, p_cost_estimate_microcredits,
      p_deadline_seconds, p_idempotency_key, p_fingerprint, p_request_id, p_response_timestamp, p_now);
    if r.outcome = 'created' then
      perform seaplane.hold_debit(p_account_id, r.available_id, p_cost_estimate_microcredits, r.fold, p_now);
    end if;
  exception when sqlstate 'SE402' then
    return query select 'insufficient_credits'::text, 402, null::jsonb, null::uuid;
    return;
  end;
  return query select r.outcome, r.http_status, r.body, r.generation_id;
end;
$$;

-- The items of a batch (p_items of api.generations_create) as rows: the arguments of
-- api.generation_create without their p_ prefix, plus idx, the caller's position of the item.
-- Without a SET clause, so the planner inlines it into the statements that read it.
create or replace function seaplane.accept_items(p_items jsonb)
returns table (
  idx integer, account_id uuid, apikey_id text, region text, model_identifier text, model_type text,
  request jsonb, provider_order text[], raw_model_ids text[], routing jsonb,
  cost_estimate_microcredits bigint, deadline_seconds integer, idempotency_key text, fingerprint text,
  request_id text, response_timestamp text, now timestamptz)
language sql immutable as $$
  select * from pg_catalog.jsonb_to_recordset(p_items) as x(
    idx integer, account_id uuid, apikey_id text, region text, model_identifier text, model_type text,
    request jsonb, provider_order text[], raw_model_ids text[], routing jsonb,
    cost_estimate_microcredits bigint, deadline_seconds integer, idempotency_key text, fingerprint text,
    request_id text, response_timestamp text, now timestamptz);
$$;

-- A batch of accepts in one transaction: one round trip and one commit for many requests.
-- p_items: a JSON array of objects with the arguments of api.generation_create (without the p_
-- prefix, plus `idx`, the caller's position of the item).
--
-- The common case is written set-wise: the items of every account whose credits (read without
-- a lock) cover all of them at once are created by one INSERT per table (holds, their transfers,
-- generations, first attempts, idempotency keys), which costs a fraction of preparing them one
-- by one (docs/capacity.md). An item with an idempotency key joins them when its key is free: no
-- row for it yet, the first item of the batch with that key, and its advisory lock taken (as
-- seaplane.idempotency_claim takes it). Every other item (a key to replay, compare, expire or
-- wait for; an account short of credits or owing a receivable) is prepared one by one as
-- api.generation_create would, in (account, idx) order, after the set-wise ones: a second item
-- with the same key therefore replays the first, and an item without a key that what the
-- account's earlier items left does not cover is refused (insufficient_credits) as it would be
-- after them.
--
-- Then each account is debited once, for the sum of its created holds: the batch takes no
-- account lock before that point and takes them all in account order, so batches never
-- deadlock each other, and an account's lock is held from its debit to the commit. When an
-- account's credits no longer cover its holds (a concurrent hold took them after the unlocked
-- checks, or items with keys each passed the check but not together), the whole batch raises
-- SE402 and nothing of it remains; the caller then sends the items one by one
-- (api.generation_create), which answers each exactly.
create or replace function api.generations_create(p_items jsonb)
returns table (idx integer, outcome text, http_status integer, body jsonb, generation_id uuid)
language plpgsql security definer set search_path = '' as $$
declare
  i record;
  r record;
  v_done integer[] := '{}';
  -- per account: its created amount, available ledger account, whether to fold, and when
  v_accounts uuid[] := '{}';
  v_sums bigint[] := '{}';
  v_available bigint[] := '{}';
  v_folds boolean[] := '{}';
  v_nows timestamptz[] := '{}';
  k integer;
  v_unlocked bigint;
  v_receivable bigint;
begin
  for r in
    with x as materialized (
      select * from seaplane.accept_items(p_items) x
    ),
    -- the items that can go set-wise: no key, or the batch's first item with a key that has no
    -- row and whose lock this transaction took. SQL may try the lock before the other
    -- conditions: a lock taken for an item that then goes one by one is the one
    -- seaplane.idempotency_claim takes again, which a transaction may; a lock another
    -- transaction holds sends the item one by one, where it is answered in flight.
    free as materialized (
      select x.* from x
      where x.idempotency_key is null
         or (x.idx = (select min(y.idx) from x y where y.account_id = x.account_id and y.idempotency_key = x.idempotency_key)
             and not exists (select 1 from seaplane.idempotency_keys ik
                             where ik.account_id = x.account_id and ik.key = x.idempotency_key)
             and pg_catalog.pg_try_advisory_xact_lock(
                   pg_catalog.hashtextextended(x.account_id::text || '/' || x.idempotency_key, 7310)))
    ),
    -- each account's credits as seaplane.hold_prepare reads them, against the sum of its items
    a as (
      select s.account_id, c.available_id, c.held_id, c.unfolded >= 64 as fold
      from (select f.account_id, sum(f.cost_estimate_microcredits) as total, bool_and(f.cost_estimate_microcredits > 0) as positive
            from free f group by f.account_id) s
      join seaplane.customer_credits_unlocked_v c on c.account_id = s.account_id
      where s.positive and c.receivable >= 0 and c.available >= s.total
    ),
    ids as materialized (
      select f.*, a.available_id, a.held_id, a.fold, coalesce(f.now, now()) as t,
        gen_random_uuid() as gid, gen_random_uuid() as aid, gen_random_uuid() as hid
      from free f join a on a.account_id = f.account_id
    ),
    ok as materialized (
      select ids.*, jsonb_build_object(
        'status', 'success', 'request_id', ids.request_id, 'message', 'Generation initialized',
        'timestamp', ids.response_timestamp,
        'data', jsonb_build_object(
          'model_identifier', ids.model_identifier,
          'generation_provider_order', to_jsonb(ids.provider_order),
          'generation_prediction_id', ids.aid::text,
          'generation_id', ids.gid::text,
          'generation_initialized', true)) as body
      from ids
    ),
    h as (
      insert into seaplane.holds (id, account_id, amount_microcredits, generation_id, expires_at, created_at)
      select ok.hid, ok.account_id, ok.cost_estimate_microcredits, ok.gid,
        ok.t + make_interval(secs => ok.deadline_seconds) + interval '15 minutes', ok.t
      from ok
    ),
    tr as (
      insert into seaplane.ledger_transfers
        (debit_ledger_account_id, credit_ledger_account_id, amount_microcredits, kind, hold_id, created_at)
      select ok.available_id, ok.held_id, ok.cost_estimate_microcredits, 'hold', ok.hid, ok.t from ok
    ),
    g as (
      insert into seaplane.generations
        (id, account_id, apikey_id, region, model_identifier, model_type, request, provider_order,
         routing, hold_id, cost_estimate_microcredits, created_at, deadline_at, prediction_id)
      select ok.gid, ok.account_id, ok.apikey_id, ok.region, ok.model_identifier, ok.model_type, ok.request,
        ok.provider_order, ok.routing || jsonb_build_object('raw_model_ids', to_jsonb(ok.raw_model_ids)),
        ok.hid, ok.cost_estimate_microcredits, ok.t, ok.t + make_interval(secs => ok.deadline_seconds), ok.aid::text
      from ok
    ),
    at as (
      insert into seaplane.attempts
        (id, generation_id, account_id, order_index, try_number, provider, raw_model_id, region, created_at, run_at)
      select ok.aid, ok.gid, ok.account_id, 0, 1, ok.provider_order[1], ok.raw_model_ids[1], ok.region, ok.t, ok.t
      from ok
    ),
    ik as (
      insert into seaplane.idempotency_keys
        (account_id, key, fingerprint, generation_id, response_status, response_body, created_at, expires_at)
      select ok.account_id, ok.idempotency_key, ok.fingerprint, ok.gid, 200, ok.body, ok.t, ok.t + interval '24 hours'
      from ok where ok.idempotency_key is not null
    )
    select ok.idx, ok.account_id, ok.available_id, ok.fold, ok.t, ok.cost_estimate_microcredits as amount, ok.gid, ok.body
    from ok
  loop
    v_done := v_done || r.idx;
    k := array_position(v_accounts, r.account_id);
    if k is null then
      v_accounts := v_accounts || r.account_id; v_sums := v_sums || r.amount;
      v_available := v_available || r.available_id; v_folds := v_folds || r.fold; v_nows := v_nows || r.t;
    else
      v_sums[k] := v_sums[k] + r.amount; v_nows[k] := r.t;
    end if;
    idx := r.idx; outcome := 'created'; http_status := 200; body := r.body; generation_id := r.gid;
    return next;
  end loop;

  if cardinality(v_done) < jsonb_array_length(p_items) then
    for i in
      select * from seaplane.accept_items(p_items) x
      where x.idx <> all (v_done)
      order by x.account_id, x.idx
    loop
      -- An item without a key is answered as it would be after the batch's earlier items of its
      -- account: refused when what they left does not cover it (hold_prepare alone would pass
      -- it on the unlocked balance, and the account's debit would then refuse the whole batch).
      if i.idempotency_key is null and i.cost_estimate_microcredits > 0 then
        select c.available, c.receivable into v_unlocked, v_receivable
        from seaplane.customer_credits_unlocked_v c where c.account_id = i.account_id;
        k := array_position(v_accounts, i.account_id);
        if v_receivable >= 0 and v_unlocked - coalesce(v_sums[k], 0) < i.cost_estimate_microcredits then
          idx := i.idx; outcome := 'insufficient_credits'; http_status := 402; body := null; generation_id := null;
          return next;
          continue;
        end if;
      end if;
      r := seaplane.generation_prepare(i.account_id, i.apikey_id, i.region, i.model_identifier, i.model_type,
        i.request, i.provider_order, i.raw_model_ids, i.routing, i.cost_estimate_microcredits,
        i.deadline_seconds, i.idempotency_key, i.fingerprint, i.request_id, i.response_timestamp,
        coalesce(i.now, now()));
      if r.outcome = 'created' then
        k := array_position(v_accounts, i.account_id);
        if k is null then
          v_accounts := v_accounts || i.account_id; v_sums := v_sums || i.cost_estimate_microcredits;
          v_available := v_available || r.available_id; v_folds := v_folds || r.fold;
          v_nows := v_nows || coalesce(i.now, now());
        else
          v_sums[k] := v_sums[k] + i.cost_estimate_microcredits;
          v_folds[k] := v_folds[k] or r.fold; v_nows[k] := coalesce(i.now, now());
        end if;
      end if;
      idx := i.idx; outcome := r.outcome; http_status := r.http_status; body := r.body;
      generation_id := r.generation_id;
      return next;
    end loop;
  end if;

  -- The debits: the only account locks the batch takes. One statement locks every account's
  -- available row in account order; one UPDATE then takes each account's sum where the cached
  -- balance covers it (seaplane.hold_debit's fast path, for all accounts at once); an account
  -- that must fold its unfolded credits first, or is short, goes through seaplane.hold_debit,
  -- which raises SE402 when the credits are gone.
  if cardinality(v_accounts) > 0 then
    perform 1 from seaplane.ledger_accounts la where la.id = any (v_available)
    order by la.account_id for no key update;
    for i in
      with d as (
        select * from unnest(v_accounts, v_sums, v_available, v_folds, v_nows) as d(account_id, amount, available_id, fold, t)
      ),
      u as (
        update seaplane.ledger_accounts la set balance = la.balance - d.amount
        from d where la.id = d.available_id and la.balance >= d.amount and not d.fold
        returning d.account_id, la.balance
      )
      select d.*, u.account_id is not null as debited, u.balance,
        u.account_id is not null and exists (
          select 1 from seaplane.credit_alert_thresholds t
          where t.account_id = d.account_id and t.armed and t.threshold_microcredits > u.balance) as alert
      from d left join u on u.account_id = d.account_id
      order by d.account_id
    loop
      if not i.debited then
        perform seaplane.hold_debit(i.account_id, i.available_id, i.amount, i.fold, i.t);
      elsif i.alert then
        perform seaplane.credit_alerts_check(i.account_id, i.balance, i.t);
      end if;
    end loop;
  end if;
end;
$$;
