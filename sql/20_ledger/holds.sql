-- Two-phase holds. place: available -> held. post: held -> revenue (the actual cost, at most
-- the hold) and held -> available (the rest). void/expire: held -> available. A hold resolves
-- exactly once (hold_resolved_once); a late or duplicate post/void/expire is a no-op that
-- returns the current state.

-- The body of hold placement, for callers that already hold the customer's ledger lock
-- (generation_create). A customer who owes a receivable (a clawback shortfall) places no new
-- holds until it is paid. outcome: placed | insufficient_credits | receivable_outstanding.
create or replace function seaplane.hold_place_locked(
  l record, p_account_id uuid, p_amount bigint, p_generation_id uuid,
  p_expires_at timestamptz, p_now timestamptz,
  out outcome text, out hold_id uuid
) language plpgsql set search_path = '' as $$
begin
  if p_amount <= 0 then
    raise exception 'hold amount must be positive' using errcode = '22023';
  end if;
  if l.receivable_balance < 0 then
    outcome := 'receivable_outstanding';
    return;
  end if;
  if l.available_balance < p_amount then
    outcome := 'insufficient_credits';
    return;
  end if;
  insert into seaplane.holds (account_id, amount_microcredits, generation_id, expires_at, created_at)
  values (p_account_id, p_amount, p_generation_id, p_expires_at, p_now)
  returning id into hold_id;
  perform seaplane.ledger_transfer(l.available_id, l.held_id, p_amount, 'hold', hold_id, null, null, p_now);
  perform seaplane.credit_alerts_check(p_account_id, l.available_balance - p_amount, p_now);
  outcome := 'placed';
end;
$$;

create or replace function api.hold_place(
  p_account_id uuid,
  p_amount_microcredits bigint,
  p_expires_at timestamptz,
  p_generation_id uuid default null,
  p_now timestamptz default now()
) returns table (outcome text, hold_id uuid)
language plpgsql security definer set search_path = '' as $$
declare
  l record;
  r record;
begin
  l := seaplane.ledger_lock_customer(p_account_id);
  r := seaplane.hold_place_locked(l, p_account_id, p_amount_microcredits, p_generation_id, p_expires_at, p_now);
  return query select r.outcome, r.hold_id;
end;
$$;

-- Resolves a pending hold; the caller holds the customer's ledger lock. p_state: posted |
-- voided | expired. outcome: resolved | noop (already resolved; state is the current one).
create or replace function seaplane.hold_resolve_locked(
  l record, p_hold_id uuid, p_state text, p_post_amount bigint, p_now timestamptz,
  out outcome text, out state text, out posted_microcredits bigint
) language plpgsql set search_path = '' as $$
declare
  h seaplane.holds%rowtype;
  v_post bigint := 0;
begin
  select * into h from seaplane.holds where id = p_hold_id for update;
  if not found then
    raise exception 'hold % not found', p_hold_id using errcode = 'P0002';
  end if;
  if h.state <> 'pending' then
    outcome := 'noop'; state := h.state; posted_microcredits := h.posted_microcredits;
    return;
  end if;
  if p_state = 'posted' then
    v_post := least(greatest(coalesce(p_post_amount, 0), 0), h.amount_microcredits);
    if v_post > 0 then
      perform seaplane.ledger_transfer(l.held_id, seaplane.ledger_system_account('revenue'), v_post,
                                       'post', h.id, null, null, p_now);
    end if;
  end if;
  if h.amount_microcredits - v_post > 0 then
    perform seaplane.ledger_transfer(l.held_id, l.available_id, h.amount_microcredits - v_post,
                                     'release', h.id, null, null, p_now);
  end if;
  update seaplane.holds set
    state = p_state,
    posted_microcredits = case when p_state = 'posted' then v_post end,
    resolved_at = p_now
  where id = h.id;
  outcome := 'resolved'; state := p_state;
  posted_microcredits := case when p_state = 'posted' then v_post end;
end;
$$;

-- The account a hold belongs to; an unknown hold is an error (callers pass ids they were given).
create or replace function seaplane.hold_account(p_hold_id uuid) returns uuid
language plpgsql stable set search_path = '' as $$
declare
  v uuid;
begin
  select h.account_id into v from seaplane.holds h where h.id = p_hold_id;
  if v is null then
    raise exception 'hold % not found', p_hold_id using errcode = 'P0002';
  end if;
  return v;
end;
$$;

create or replace function api.hold_post(
  p_hold_id uuid,
  p_amount_microcredits bigint,
  p_now timestamptz default now()
) returns table (outcome text, state text, posted_microcredits bigint)
language plpgsql security definer set search_path = '' as $$
declare
  l record;
  r record;
begin
  l := seaplane.ledger_lock_customer(seaplane.hold_account(p_hold_id));
  r := seaplane.hold_resolve_locked(l, p_hold_id, 'posted', p_amount_microcredits, p_now);
  return query select r.outcome, r.state, r.posted_microcredits;
end;
$$;

create or replace function api.hold_void(
  p_hold_id uuid,
  p_now timestamptz default now()
) returns table (outcome text, state text, posted_microcredits bigint)
language plpgsql security definer set search_path = '' as $$
declare
  l record;
  r record;
begin
  l := seaplane.ledger_lock_customer(seaplane.hold_account(p_hold_id));
  r := seaplane.hold_resolve_locked(l, p_hold_id, 'voided', null, p_now);
  return query select r.outcome, r.state, r.posted_microcredits;
end;
$$;

-- api.holds_expire: the worker's cron task. Resolves pending holds past expires_at, locking
-- in the global order (ledger rows, generation, hold). A hold whose generation is still open
-- expires only when that generation is past its deadline and no attempt holds a live lease
-- (an attempt that may still be running keeps its hold: it may yet succeed and be charged);
-- the generation then fails with BSE3004 and is refunded. Holds wait until the next run.
-- outcome per hold: expired | noop (resolved meanwhile) | waiting (an attempt may be running).
create or replace function api.holds_expire(
  p_now timestamptz default now(),
  p_limit integer default 500
) returns table (hold_id uuid, outcome text)
language plpgsql security definer set search_path = '' as $$
declare
  c record;
  l record;
  g seaplane.generations%rowtype;
  r record;
begin
  for c in
    select h.id, h.account_id, h.generation_id from seaplane.holds h
    where h.state = 'pending' and h.expires_at <= p_now
    order by h.expires_at, h.id
    limit p_limit
  loop
    l := seaplane.ledger_lock_customer(c.account_id);
    g := null;
    if c.generation_id is not null then
      select * into g from seaplane.generations x where x.id = c.generation_id for update;
    end if;
    if g.id is not null and g.status in ('pending', 'processing') and (
      g.deadline_at > p_now or exists (
        select 1 from seaplane.attempts x
        where x.generation_id = g.id and x.state in ('submitted', 'running') and x.lease_expires_at > p_now))
    then
      hold_id := c.id; outcome := 'waiting';
      return next;
      continue;
    end if;
    r := seaplane.hold_resolve_locked(l, c.id, 'expired', null, p_now);
    if r.outcome = 'resolved' and g.id is not null and g.status in ('pending', 'processing') then
      perform seaplane.generation_fail_locked(l, g, 'BSE3004',
        'The generation did not finish before its deadline.', p_now);
    end if;
    hold_id := c.id; outcome := case when r.outcome = 'resolved' then 'expired' else 'noop' end;
    return next;
  end loop;
end;
$$;
