// Every hold transition from every starting state, expiry against every generation state,
// receivables and low-balance alerts, against the real SQL functions.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { at, balances, C, expectLedgerSound, holdState, newAccount, placeHold, rpc, rpcOne, T0 } from './helpers.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await expectLedgerSound(t.db);
  await t.close();
});

type Op = 'post' | 'void' | 'expire';
type State = 'pending' | 'posted' | 'voided' | 'expired';

async function apply(op: Op, holdId: string, now: Date): Promise<string | null | undefined> {
  if (op === 'post') return (await rpcOne(t.db, 'hold_post', { p_hold_id: holdId, p_amount_microcredits: 3 * C, p_now: now })).outcome;
  if (op === 'void') return (await rpcOne(t.db, 'hold_void', { p_hold_id: holdId, p_now: now })).outcome;
  const rows = await rpc(t.db, 'holds_expire', { p_now: now });
  return rows.find((r) => r.hold_id === holdId)?.outcome ?? 'not_due';
}

/** A hold of 5 credits on an account of 10, driven into `state`. */
async function holdIn(state: State): Promise<{ accountId: string; holdId: string }> {
  const accountId = await newAccount(t.db, 10 * C);
  const h = await placeHold(t.db, accountId, 5 * C, at(60));
  const holdId = h.hold_id as string;
  if (state !== 'pending') await apply(state === 'posted' ? 'post' : state === 'voided' ? 'void' : 'expire', holdId, at(120));
  return { accountId, holdId };
}

const AFTER: Record<State, { available: number; held: number }> = {
  pending: { available: 5 * C, held: 5 * C },
  posted: { available: 7 * C, held: 0 },
  voided: { available: 10 * C, held: 0 },
  expired: { available: 10 * C, held: 0 },
};

describe('hold transitions from every starting state', () => {
  const resolving: [Op, State][] = [['post', 'posted'], ['void', 'voided'], ['expire', 'expired']];
  it.each(resolving)('pending + %s resolves the hold once, to %s, moving exactly the hold out of held', async (op, to) => {
    const { accountId, holdId } = await holdIn('pending');
    expect(await apply(op, holdId, at(120))).toBe(op === 'expire' ? 'expired' : 'resolved');
    const h = await holdState(t.db, holdId);
    expect(h.state).toBe(to);
    expect(h.posted).toBe(to === 'posted' ? 3 * C : null);
    expect(h.resolved_at).toEqual(at(120));
    expect(await balances(t.db, accountId)).toMatchObject(AFTER[to]);
  });

  it('pending + expire before its expiry time leaves the hold pending', async () => {
    const { accountId, holdId } = await holdIn('pending');
    expect(await apply('expire', holdId, at(59))).toBe('not_due');
    expect((await holdState(t.db, holdId)).state).toBe('pending');
    expect(await balances(t.db, accountId)).toMatchObject(AFTER.pending);
  });

  const late: [State, Op][] = [];
  for (const s of ['posted', 'voided', 'expired'] as const) for (const op of ['post', 'void', 'expire'] as const) late.push([s, op]);
  it.each(late)('%s + %s is a no-op that returns the current state and moves nothing', async (state, op) => {
    const { accountId, holdId } = await holdIn(state);
    const before = await holdState(t.db, holdId);
    const transfers = await sql<{ n: number }>`select count(*)::int as n from seaplane.ledger_transfers where hold_id = ${holdId}`.execute(t.db);
    const outcome = await apply(op, holdId, at(500));
    expect(outcome).toBe(op === 'expire' ? 'not_due' : 'noop');
    if (op !== 'expire') {
      const r = op === 'post'
        ? await rpcOne(t.db, 'hold_post', { p_hold_id: holdId, p_amount_microcredits: 1, p_now: at(501) })
        : await rpcOne(t.db, 'hold_void', { p_hold_id: holdId, p_now: at(501) });
      expect(r).toMatchObject({ outcome: 'noop', state });
    }
    expect(await holdState(t.db, holdId)).toEqual(before);
    const after = await sql<{ n: number }>`select count(*)::int as n from seaplane.ledger_transfers where hold_id = ${holdId}`.execute(t.db);
    expect(after.rows[0]?.n).toBe(transfers.rows[0]?.n);
    expect(await balances(t.db, accountId)).toMatchObject(AFTER[state]);
  });

  it('a post above the hold charges the hold and no more; a post of 0 returns everything', async () => {
    const a = await newAccount(t.db, 10 * C);
    const h1 = (await placeHold(t.db, a, 2 * C)).hold_id as string;
    expect(await rpcOne(t.db, 'hold_post', { p_hold_id: h1, p_amount_microcredits: 9 * C, p_now: T0 })).toMatchObject({ outcome: 'resolved', posted_microcredits: 2 * C });
    const h2 = (await placeHold(t.db, a, 2 * C)).hold_id as string;
    expect(await rpcOne(t.db, 'hold_post', { p_hold_id: h2, p_amount_microcredits: 0, p_now: T0 })).toMatchObject({ outcome: 'resolved', posted_microcredits: 0 });
    expect(await balances(t.db, a)).toMatchObject({ available: 8 * C, held: 0 });
  });

  it('placing more than the available balance is refused with insufficient_credits and writes nothing', async () => {
    const a = await newAccount(t.db, 1 * C);
    const before = await sql<{ n: number }>`select count(*)::int as n from seaplane.holds where account_id = ${a}`.execute(t.db);
    expect(await placeHold(t.db, a, 1 * C + 1)).toMatchObject({ outcome: 'insufficient_credits', hold_id: null });
    const after = await sql<{ n: number }>`select count(*)::int as n from seaplane.holds where account_id = ${a}`.execute(t.db);
    expect(after.rows[0]?.n).toBe(before.rows[0]?.n);
    expect(await placeHold(t.db, a, 1 * C)).toMatchObject({ outcome: 'placed' });
    expect(await balances(t.db, a)).toMatchObject({ available: 0, held: 1 * C });
  });

  it('posting or voiding a hold that does not exist is an error naming the hold', async () => {
    const id = crypto.randomUUID();
    await expect(rpcOne(t.db, 'hold_void', { p_hold_id: id, p_now: T0 })).rejects.toThrow(`hold ${id} not found`);
    await expect(rpcOne(t.db, 'hold_post', { p_hold_id: id, p_amount_microcredits: 1, p_now: T0 })).rejects.toThrow(`hold ${id} not found`);
  });

  it('a hold of zero or less is an error, not a result', async () => {
    const a = await newAccount(t.db, 1 * C);
    await expect(placeHold(t.db, a, 0)).rejects.toThrow(/positive/);
  });
});

// The journal has no foreign keys (they locked the hottest rows): ledger accounts are permanent
// instead, and the reconciliation view reports any reference to an unknown one.
describe('journal integrity without foreign keys', () => {
  it('ledger accounts are permanent: deleting one or changing what it is is refused, for the owner too', async () => {
    const a = await newAccount(t.db, 1 * C);
    await expect(t.pool.query(`delete from seaplane.ledger_accounts where account_id = $1`, [a])).rejects.toThrow(/ledger accounts are permanent/);
    await expect(t.pool.query(`update seaplane.ledger_accounts set kind = 'customer_held' where account_id = $1 and kind = 'customer_available'`, [a])).rejects.toThrow(/ledger accounts are permanent/);
    await expect(t.pool.query(`update seaplane.ledger_accounts set account_id = null where account_id = $1`, [a])).rejects.toThrow(/ledger accounts are permanent/);
    await expect(t.pool.query('truncate seaplane.ledger_accounts cascade')).rejects.toThrow(/ledger accounts are permanent/);
  });

  it('a journal entry or an unfolded credit naming an unknown ledger account shows in the reconciliation view', async () => {
    const c = await t.pool.connect();
    try {
      await c.query('begin');
      await c.query(`insert into seaplane.ledger_transfers (debit_ledger_account_id, credit_ledger_account_id, amount_microcredits, kind)
                     values (987654321, (select id from seaplane.ledger_accounts where kind = 'revenue'), 1, 'grant')`);
      await c.query(`insert into seaplane.ledger_unfolded_credits (ledger_account_id, transfer_id, amount_microcredits) values (987654322, 1, 1)`);
      const r = await c.query(`select ledger_account_id::text as id, problem from api.ledger_reconciliation_v where problem like '%unknown%' order by 1`);
      expect(r.rows).toEqual([
        { id: '987654321', problem: 'a transfer references an unknown ledger account' },
        { id: '987654322', problem: 'an unfolded credit references an unknown ledger account' },
      ]);
    } finally {
      await c.query('rollback');
      c.release();
    }
  });
});

// A generation with its hold, created through api.generation_create (deadline 600 s, hold
// expiry deadline + 15 min).
async function generation(accountId: string): Promise<{ generationId: string; attemptId: string; holdId: string }> {
  const r = await rpcOne(t.db, 'generation_create', {
    p_account_id: accountId, p_apikey_id: null, p_region: 'us', p_model_identifier: 'bfl/flux-schnell', p_model_type: 'image',
    p_request: { generation_prompt: 'x' }, p_provider_order: ['fal'], p_raw_model_ids: ['fal-ai/flux/schnell'], p_routing: {},
    p_cost_estimate_microcredits: 2 * C, p_deadline_seconds: 600, p_idempotency_key: null, p_fingerprint: null,
    p_request_id: 'req_test', p_response_timestamp: T0.toISOString(), p_now: T0,
  });
  expect(r.outcome).toBe('created');
  const g = await sql<{ hold_id: string; attempt_id: string }>`
    select g.hold_id, (select a.id from seaplane.attempts a where a.generation_id = g.id) as attempt_id
    from seaplane.generations g where g.id = ${r.generation_id}`.execute(t.db);
  return { generationId: r.generation_id as string, attemptId: g.rows[0]?.attempt_id as string, holdId: g.rows[0]?.hold_id as string };
}
const EXPIRY = 600 + 15 * 60 + 1; // seconds after T0: past the hold's expiry

describe('hold expiry never runs under a live attempt', () => {
  it('an open generation whose attempt holds a live lease keeps its hold; the attempt can still succeed and be charged', async () => {
    const a = await newAccount(t.db, 10 * C);
    const g = await generation(a);
    await rpcOne(t.db, 'attempt_start', { p_attempt_id: g.attemptId, p_lease_owner: 'w1', p_lease_ms: 3 * 3600_000, p_now: at(1) });
    const rows = await rpc(t.db, 'holds_expire', { p_now: at(EXPIRY) });
    expect(rows.find((r) => r.hold_id === g.holdId)?.outcome).toBe('waiting');
    expect((await holdState(t.db, g.holdId)).state).toBe('pending');
    const s = await rpcOne(t.db, 'attempt_succeed', { p_attempt_id: g.attemptId, p_output_keys: ['k'], p_cost_microcredits: 1 * C, p_predict_ms: 5, p_now: at(EXPIRY + 1) });
    expect(s).toMatchObject({ outcome: 'settled', charged_microcredits: 1 * C });
    expect(await balances(t.db, a)).toMatchObject({ available: 9 * C, held: 0 });
  });

  it('an open generation past its deadline whose lease has lapsed: the hold expires, the generation fails with BSE3004 and is refunded', async () => {
    const a = await newAccount(t.db, 10 * C);
    const g = await generation(a);
    await rpcOne(t.db, 'attempt_start', { p_attempt_id: g.attemptId, p_lease_owner: 'w1', p_lease_ms: 60_000, p_now: at(1) });
    const rows = await rpc(t.db, 'holds_expire', { p_now: at(EXPIRY) });
    expect(rows.find((r) => r.hold_id === g.holdId)?.outcome).toBe('expired');
    const gen = await t.db.selectFrom('api.generations_v').selectAll().where('generation_id', '=', g.generationId).executeTakeFirstOrThrow();
    expect(gen).toMatchObject({ status: 'failed', error_code: 'BSE3004', credits_refunded: true, cost_charged_microcredits: 0 });
    expect(await balances(t.db, a)).toMatchObject({ available: 10 * C, held: 0 });
    // the attempt reporting success afterwards is discarded, never charged
    const s = await rpcOne(t.db, 'attempt_succeed', { p_attempt_id: g.attemptId, p_output_keys: ['k'], p_cost_microcredits: 1 * C, p_predict_ms: 5, p_now: at(EXPIRY + 1) });
    expect(s.outcome).toBe('discarded');
    expect(await balances(t.db, a)).toMatchObject({ available: 10 * C, held: 0 });
  });

  it('a generation that never started (queued attempt) past its deadline has its hold expired', async () => {
    const a = await newAccount(t.db, 10 * C);
    const g = await generation(a);
    const rows = await rpc(t.db, 'holds_expire', { p_now: at(EXPIRY) });
    expect(rows.find((r) => r.hold_id === g.holdId)?.outcome).toBe('expired');
    expect((await rpc(t.db, 'attempt_start', { p_attempt_id: g.attemptId, p_lease_owner: 'w', p_lease_ms: 1000, p_now: at(EXPIRY + 1) }))[0]?.outcome).toBe('noop');
  });

  it('a terminal generation has no pending hold left to expire', async () => {
    const a = await newAccount(t.db, 10 * C);
    const g = await generation(a);
    await rpcOne(t.db, 'generation_cancel', { p_account_id: a, p_generation_id: g.generationId, p_providers_with_cancel: [], p_now: at(2) });
    const rows = await rpc(t.db, 'holds_expire', { p_now: at(EXPIRY) });
    expect(rows.find((r) => r.hold_id === g.holdId)).toBeUndefined();
    expect((await holdState(t.db, g.holdId)).state).toBe('voided');
  });
});

describe('receivables', () => {
  it('a clawback beyond the available balance takes what is there and records the rest as owed; new holds are refused until a grant pays it', async () => {
    const a = await newAccount(t.db, 10 * C);
    await placeHold(t.db, a, 4 * C);
    const r = await rpcOne(t.db, 'credits_clawback', { p_account_id: a, p_amount_microcredits: 8 * C, p_reference: `test:${a}`, p_now: T0 });
    expect(r).toMatchObject({ outcome: 'receivable', clawed_microcredits: 8 * C, owed_microcredits: 2 * C, available_microcredits: 0 });
    expect(await balances(t.db, a)).toEqual({ available: 0, held: 4 * C, owed: 2 * C });
    expect(await placeHold(t.db, a, 1)).toMatchObject({ outcome: 'receivable_outstanding', hold_id: null });
    // the same clawback again is a duplicate
    expect((await rpcOne(t.db, 'credits_clawback', { p_account_id: a, p_amount_microcredits: 8 * C, p_reference: `test:${a}`, p_now: T0 })).outcome).toBe('duplicate');
    // a grant smaller than the debt pays part of it and still blocks
    expect(await rpcOne(t.db, 'credits_grant', { p_account_id: a, p_amount_microcredits: 1 * C, p_source: 'promotions', p_reference: `g1:${a}`, p_now: T0 })).toMatchObject({ outcome: 'granted', available_microcredits: 0 });
    expect(await placeHold(t.db, a, 1)).toMatchObject({ outcome: 'receivable_outstanding' });
    expect(await rpcOne(t.db, 'credits_grant', { p_account_id: a, p_amount_microcredits: 3 * C, p_source: 'promotions', p_reference: `g2:${a}`, p_now: T0 })).toMatchObject({ outcome: 'granted', available_microcredits: 2 * C });
    expect(await balances(t.db, a)).toEqual({ available: 2 * C, held: 4 * C, owed: 0 });
    expect(await placeHold(t.db, a, 1 * C)).toMatchObject({ outcome: 'placed' });
  });

  it('a grant reference applies once across all accounts', async () => {
    const a = await newAccount(t.db, 0);
    const b = await newAccount(t.db, 0);
    expect((await rpcOne(t.db, 'credits_grant', { p_account_id: a, p_amount_microcredits: C, p_source: 'promotions', p_reference: 'once-only', p_now: T0 })).outcome).toBe('granted');
    expect((await rpcOne(t.db, 'credits_grant', { p_account_id: b, p_amount_microcredits: C, p_source: 'promotions', p_reference: 'once-only', p_now: T0 })).outcome).toBe('duplicate');
    expect((await balances(t.db, b)).available).toBe(0);
  });
});

describe('low-balance thresholds', () => {
  const events = async (a: string) => (await sql<{ payload: { current_balance: number; thresholds_crossed: { threshold: number; balance_at: number }[] } }>`
    select payload from seaplane.outbox_events where account_id = ${a} and event = 'credits.low_balance' order by created_at, id`.execute(t.db)).rows.map((r) => r.payload);

  it('each fall below an armed threshold writes one credits.low_balance event; holds coming and going do not repeat it; a grant re-arms', async () => {
    const a = await newAccount(t.db, 10 * C);
    expect(await rpc(t.db, 'credit_alerts_set', { p_account_id: a, p_thresholds_microcredits: [5 * C, 2 * C, 20 * C] })).toEqual([
      { threshold_microcredits: 20 * C, armed: false }, { threshold_microcredits: 5 * C, armed: true }, { threshold_microcredits: 2 * C, armed: true },
    ]);
    const h1 = (await placeHold(t.db, a, 6 * C, at(3600), at(1))).hold_id as string; // 10 -> 4: crosses 5
    await placeHold(t.db, a, 1 * C, at(3600), at(2)); // 4 -> 3: nothing
    expect(await events(a)).toEqual([{ account_id: a, current_balance: 4, thresholds_crossed: [{ threshold: 5, balance_at: 4 }] }]);
    await rpcOne(t.db, 'hold_void', { p_hold_id: h1, p_now: T0 }); // back to 9
    await placeHold(t.db, a, 8 * C, at(3600), at(3)); // 9 -> 1: crosses 2 only (5 is disarmed until a grant)
    expect((await events(a)).map((e) => e.thresholds_crossed)).toEqual([[{ threshold: 5, balance_at: 4 }], [{ threshold: 2, balance_at: 1 }]]);
    await rpcOne(t.db, 'credits_grant', { p_account_id: a, p_amount_microcredits: 30 * C, p_source: 'promotions', p_reference: `top:${a}`, p_now: T0 }); // 31: re-arms all
    await placeHold(t.db, a, 30 * C, at(3600), at(4)); // 31 -> 1: crosses 20, 5 and 2 in one event
    const last = (await events(a)).at(-1);
    expect(last?.thresholds_crossed.map((x) => x.threshold)).toEqual([20, 5, 2]);
    expect(await events(a)).toHaveLength(3);
  });
});
