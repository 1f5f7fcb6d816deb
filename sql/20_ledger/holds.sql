-- Two-phase holds. place: available -> held. post: held -> revenue (the actual cost, at most
-- the hold) and held -> available (the rest). void/expire: held -> available. A hold resolves
-- exactly once (hold_resolved_once); a late or duplicate post/void/expire is a no-op that
-- returns the current state. Placing takes the customer's ledger lock at its end (it takes
-- available down); resolving takes only the hold's row lock (it gives available back through
-- ledger_unfolded_credits), so settlements never queue behind an account's accepts.

-- A customer's credits as a hold reads them without a lock: the available ledger account, its
-- cached balance plus the credits waiting unfolded, the held account, what is owed (a
-- receivable, negative) and how many credits wait unfolded. seaplane.hold_prepare reads one
-- account through it, api.generations_create a batch's accounts; a view, so the planner inlines
-- it into each.
create or replace view seaplane.customer_credits_unlocked_v as
select av.account_id, av.id as available_id, he.id as held_id, av.balance + u.total as available,
  coalesce(re.balance, 0) as receivable, u.n as unfolded
from seaplane.ledger_accounts av
join seaplane.ledger_accounts he on he.account_id = av.account_id and he.kind = 'customer_held'
left join seaplane.ledger_accounts re on re.account_id = av.account_id and re.kind = 'customer_receivable'
cross join lateral (
  select coalesce(sum(x.amount_microcredits), 0) as total, count(*)::integer as n
  from seaplane.ledger_unfolded_credits x where x.ledger_account_id = av.id
) u
where av.kind = 'customer_available';

-- Placing a hold is two steps, so that the account's lock is held only at the very end of the
-- caller's transaction (from the lock to the commit), as in a one-row UPDATE:
--   1. seaplane.hold_prepare reads the balance without a lock and, when it suffices, inserts
--      the hold and its transfer (available -> held);
--   2. seaplane.hold_debit takes the account's lock and the amount from available in one UPDATE;
--      it folds the unfolded credits in first when the cached balance alone does not cover the
--      hold or enough of them have piled up. When a concurrent hold took the credits between the two steps it
--      raises SE402; callers run both steps (and whatever they write between them) in one block
--      that catches SE402, so nothing of a refused hold remains.
-- A customer who owes a receivable (a clawback shortfall) places no new holds until it is paid.
-- outcome: placed | insufficient_credits | receivable_outstanding (nothing written unless placed).
create or replace function seaplane.hold_prepare(
  p_account_id uuid, p_amount bigint, p_generation_id uuid, p_expires_at timestamptz, p_now timestamptz,
  out outcome text, out hold_id uuid, out available_id bigint, out fold boolean
) language plpgsql set search_path = '' as $$
declare
  v_held bigint;
  v_available bigint;
  v_receivable bigint;
  v_unfolded integer;
begin
  if p_amount <= 0 then
    raise exception 'hold amount must be positive' using errcode = '22023';
  end if;
  select c.available_id, c.available, c.held_id, c.receivable, c.unfolded
  into available_id, v_available, v_held, v_receivable, v_unfolded
  from seaplane.customer_credits_unlocked_v c where c.account_id = p_account_id;
  -- fold once enough credits have piled up, so that readers never sum many rows
  fold := v_unfolded >= 64;
  if available_id is null or v_held is null then
    raise exception 'account % has no ledger accounts', p_account_id using errcode = 'P0002';
  end if;
  if v_receivable < 0 then
    outcome := 'receivable_outstanding';
    return;
  end if;
  if v_available < p_amount then
    outcome := 'insufficient_credits';
    return;
  end if;
  hold_id := gen_random_uuid();
  with h as (
    insert into seaplane.holds (id, account_id, amount_microcredits, generation_id, expires_at, created_at)
    values (hold_id, p_account_id, p_amount, p_generation_id, p_expires_at, p_now)
  )
  insert into seaplane.ledger_transfers
    (debit_ledger_account_id, credit_ledger_account_id, amount_microcredits, kind, hold_id, created_at)
  values (available_id, v_held, p_amount, 'hold', hold_id, p_now);
  outcome := 'placed';
end;
$$;

create or replace function seaplane.hold_debit(
  p_account_id uuid, p_available_id bigint, p_amount bigint, p_fold boolean, p_now timestamptz
) returns void
language plpgsql set search_path = '' as $$
declare
  l record;
  v_balance bigint;
  v_alert boolean;
begin
  -- fast path: one statement takes the lock and the amount, as a one-row UPDATE would
  update seaplane.ledger_accounts set balance = balance - p_amount
  where id = p_available_id and balance >= p_amount and not p_fold
  returning balance, exists (select 1 from seaplane.credit_alert_thresholds t
    where t.account_id = p_account_id and t.armed and t.threshold_microcredits > balance)
  into v_balance, v_alert;
  if not found then
    -- the cached balance does not cover the hold without the unfolded credits, or enough of them
    -- have piled up (p_fold): take the lock the usual way, which folds them in, then decide
    l := seaplane.ledger_lock_customer(p_account_id);
    if l.available_balance < p_amount then
      raise exception 'insufficient credits: a concurrent hold took them' using errcode = 'SE402';
    end if;
    v_balance := l.available_balance - p_amount;
    update seaplane.ledger_accounts set balance = v_balance where id = p_available_id;
    v_alert := exists (select 1 from seaplane.credit_alert_thresholds t
                       where t.account_id = p_account_id and t.armed and t.threshold_microcredits > v_balance);
  end if;
  if v_alert then
    perform seaplane.credit_alerts_check(p_account_id, v_balance, p_now);
  end if;
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
  r record;
begin
  begin
    r := seaplane.hold_prepare(p_account_id, p_amount_microcredits, p_generation_id, p_expires_at, p_now);
    if r.outcome = 'placed' then
      perform seaplane.hold_debit(p_account_id, r.available_id, p_amount_microcredits, r.fold, p_now);
    end if;
  exception when sqlstate 'SE402' then
    return query select 'insufficient_credits'::text, null::uuid;
    return;
  end;
  return query select r.outcome, r.hold_id;
end;
$$;

-- Resolves a pending hold under its row lock; the customer's ledger lock is not needed.
-- p_state: posted | voided | expired. outcome: resolved | noop (already resolved; state is the
-- current one).
create or replace function seaplane.hold_resolve(
  p_hold_id uuid, p_state text, p_post_amount bigint, p_now timestamptz,
  out outcome text, out state text, out posted_microcredits bigint
) language plpgsql set search_path = '' as $$
declare
  h record;
  v_post bigint := 0;
begin
  -- the hold, locked, with the ledger accounts its resolution moves credits between
  select x.id, x.account_id, x.amount_microcredits, x.state, x.posted_microcredits,
    (select la.id from seaplane.ledger_accounts la where la.account_id = x.account_id and la.kind = 'customer_available') as available_id,
    (select la.id from seaplane.ledger_accounts la where la.account_id = x.account_id and la.kind = 'customer_held') as held_id,
    (select la.id from seaplane.ledger_accounts la where la.account_id is null and la.kind = 'revenue') as revenue_id
  into h
  from seaplane.holds x where x.id = p_hold_id for update of x;
  if not found then
    raise exception 'hold % not found', p_hold_id using errcode = 'P0002';
  end if;
  if h.state <> 'pending' then
    outcome := 'noop'; state := h.state; posted_microcredits := h.posted_microcredits;
    return;
  end if;
  if p_state = 'posted' then
    v_post := least(greatest(coalesce(p_post_amount, 0), 0), h.amount_microcredits);
  end if;
  -- held -> revenue (the cost) and held -> available (the rest, recorded in
  -- ledger_unfolded_credits for the next holder of the account's lock to fold in)
  with t as (
    insert into seaplane.ledger_transfers
      (debit_ledger_account_id, credit_ledger_account_id, amount_microcredits, kind, hold_id, created_at)
    select h.held_id, x.credit, x.amount, x.kind, h.id, p_now
    from (values (h.revenue_id, v_post, 'post'), (h.available_id, h.amount_microcredits - v_post, 'release')) x (credit, amount, kind)
    where x.amount > 0
    returning id, kind, credit_ledger_account_id, amount_microcredits
  )
  insert into seaplane.ledger_unfolded_credits (ledger_account_id, transfer_id, amount_microcredits)
  select t.credit_ledger_account_id, t.id, t.amount_microcredits from t where t.kind = 'release';
  update seaplane.holds set
    state = p_state,
    posted_microcredits = case when p_state = 'posted' then v_post end,
    resolved_at = p_now
  where id = h.id;
  outcome := 'resolved'; state := p_state;
  posted_microcredits := case when p_state = 'posted' then v_post end;
end;
$$;

create or replace function api.hold_post(
  p_hold_id uuid,
  p_amount_microcredits bigint,
  p_now timestamptz default now()
) returns table (outcome text, state text, posted_microcredits bigint)
language plpgsql security definer set search_path = '' as $$
declare
  r record;
begin
  r := seaplane.hold_resolve(p_hold_id, 'posted', p_amount_microcredits, p_now);
  return query select r.outcome, r.state, r.posted_microcredits;
end;
$$;

create or replace function api.hold_void(
  p_hold_id uuid,
  p_now timestamptz default now()
) returns table (outcome text, state text, posted_microcredits bigint)
language plpgsql security definer set search_path = '' as $$
declare
  r record;
begin
  r := seaplane.hold_resolve(p_hold_id, 'voided', null, p_now);
  return query select r.outcome, r.state, r.posted_microcredits;
end;
$$;

-- api.holds_expire: the worker's cron task. Resolves pending holds past expires_at, locking
-- in the global order (generation, hold). A hold whose generation is still open
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
  g seaplane.generations%rowtype;
  r record;
begin
  for c in
    select h.id, h.account_id, h.generation_id from seaplane.holds h
    where h.state = 'pending' and h.expires_at <= p_now
    order by h.expires_at, h.id
    limit p_limit
  loop
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
    r := seaplane.hold_resolve(c.id, 'expired', null, p_now);
    if r.outcome = 'resolved' and g.id is not null and g.status in ('pending', 'processing') then
      perform seaplane.generation_fail_locked(g, 'BSE3004',
        'The generation did not finish before its deadline.', p_now);
    end if;
    hold_id := c.id; outcome := case when r.outcome = 'resolved' then 'expired' else 'noop' end;
    return next;
  end loop;
end;
$$;
