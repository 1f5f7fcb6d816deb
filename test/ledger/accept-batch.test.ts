// Batched accepts (api.generations_create and src/api/accept-batch.ts): a batch answers each
// item as api.generation_create would, debits each account once in one lock order, and a batch
// that cannot be answered whole rolls back whole and is answered one by one. On the real SQL.
import { sql } from 'kysely';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AcceptArgs, acceptBatcher } from '../../src/api/accept-batch.ts';
import { createDb, type Db } from '../../src/db/kysely.ts';
import { createPool } from '../../src/db/pool.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { track, untrack } from '../helpers/leaks.ts';
import { balances, C, expectLedgerSound, newAccount, rpc, rpcOne, T0 } from './helpers.ts';

let t: TestDatabase;
let wide: pg.Pool;
let wdb: Db;
beforeAll(async () => {
  t = await createTestDatabase();
  wide = track(createPool(t.url, { max: 20 }), 'wide pool');
  wdb = createDb(wide);
});
afterAll(async () => {
  await expectLedgerSound(t.db);
  untrack(wide);
  await wide.end();
  await t.close();
});

function args(accountId: string, i: number, extra: Partial<AcceptArgs> = {}): AcceptArgs {
  return {
    p_account_id: accountId, p_apikey_id: null, p_region: 'us', p_model_identifier: 'bfl/flux-schnell', p_model_type: 'image',
    p_request: { generation_prompt: `batch ${i}` }, p_provider_order: ['fal', 'replicate'], p_raw_model_ids: ['fal-ai/flux/schnell', 'black-forest-labs/flux-schnell'],
    p_routing: { reason: 'static' }, p_cost_estimate_microcredits: 1 * C, p_deadline_seconds: 600, p_idempotency_key: null, p_fingerprint: null,
    p_request_id: `req_${i}`, p_response_timestamp: T0.toISOString(), p_now: T0, ...extra,
  };
}

/** The batch function's item shape: the arguments without their p_ prefix, and the position. */
const item = (a: AcceptArgs, idx: number) => ({ idx, ...Object.fromEntries(Object.entries(a).map(([k, v]) => [k.slice(2), v])) });

async function counts(accountId: string) {
  const r = await sql<{ holds: number; generations: number; attempts: number; keys: number }>`
    select (select count(*)::int from seaplane.holds where account_id = ${accountId}) as holds,
           (select count(*)::int from seaplane.generations where account_id = ${accountId}) as generations,
           (select count(*)::int from seaplane.attempts where account_id = ${accountId}) as attempts,
           (select count(*)::int from seaplane.idempotency_keys where account_id = ${accountId}) as keys`.execute(t.db);
  return r.rows[0];
}

describe('api.generations_create', () => {
  it('answers every item in its position, across accounts, with the body api.generation_create gives, and debits each account its sum', async () => {
    const a = await newAccount(t.db, 10 * C);
    const b = await newAccount(t.db, 10 * C);
    const items = [args(b, 0), args(a, 1, { p_idempotency_key: 'k1', p_fingerprint: 'f1' }), args(b, 2, { p_cost_estimate_microcredits: 3 * C }),
      // the same key and body again in the same batch: a replay of item 1, as it would be one after the other
      args(a, 3, { p_idempotency_key: 'k1', p_fingerprint: 'f1' }), args(a, 4, { p_idempotency_key: 'k1', p_fingerprint: 'other' })];
    const rows = await rpc(t.db, 'generations_create', { p_items: items.map(item) });
    const byIdx = new Map(rows.map((r) => [r.idx, r]));
    expect([0, 1, 2, 3, 4].map((i) => byIdx.get(i)?.outcome)).toEqual(['created', 'created', 'created', 'replayed', 'idempotency_mismatch']);
    const created = byIdx.get(1);
    expect(created?.body).toMatchObject({ status: 'success', request_id: 'req_1', data: { generation_id: created?.generation_id, generation_initialized: true } });
    expect(byIdx.get(3)?.body).toEqual(created?.body);
    expect(byIdx.get(3)?.generation_id).toBe(created?.generation_id);
    expect(await balances(t.db, a)).toMatchObject({ available: 9 * C, held: 1 * C });
    expect(await balances(t.db, b)).toMatchObject({ available: 6 * C, held: 4 * C });
    expect(await counts(a)).toEqual({ holds: 1, generations: 1, attempts: 1, keys: 1 });
    await expectLedgerSound(t.db);
  });

  it('writes set-wise exactly the rows api.generation_create writes one by one', async () => {
    // the same request through both paths, on two accounts alike; every column but ids compared
    const one = await newAccount(t.db, 10 * C);
    const many = await newAccount(t.db, 10 * C);
    const a = (accountId: string, i: number, key: string | null = null) => args(accountId, i, {
      p_apikey_id: 'key_1', p_request: { generation_prompt: 'same' }, p_request_id: 'req_same', p_cost_estimate_microcredits: 2 * C,
      p_idempotency_key: key, p_fingerprint: key === null ? null : 'fp' });
    const single = await rpc(t.db, 'generation_create', a(one, 0, 'key-a'));
    // one item with a free key, one without: both go set-wise
    const batch = await rpc(t.db, 'generations_create', { p_items: [item(a(many, 0, 'key-a'), 0), item(a(many, 1), 1)] });
    expect(batch.map((r) => r.outcome)).toEqual(['created', 'created']);
    const keys = async (accountId: string) => (await sql<Record<string, unknown>>`
      select key, fingerprint, response_status, response_body, created_at, expires_at, generation_id from seaplane.idempotency_keys
      where account_id = ${accountId}`.execute(t.db)).rows;
    const [ks] = await keys(one);
    const km = await keys(many);
    expect(km).toHaveLength(1);
    expect({ ...km[0], response_body: undefined, generation_id: undefined }).toEqual({ ...ks, response_body: undefined, generation_id: undefined });
    expect(km[0]?.generation_id).toBe(batch[0]?.generation_id);
    expect(km[0]?.response_body).toEqual(batch[0]?.body);
    const shape = (body: unknown, generationId: string | null, predictionId: string) =>
      JSON.parse(JSON.stringify(body).replaceAll(generationId ?? '-', 'G').replaceAll(predictionId, 'P'));
    const rows = async (accountId: string) => (await sql<Record<string, unknown>>`
      select g.id as generation_id, g.apikey_id, g.region, g.model_identifier, g.model_type, g.request, g.provider_order, g.routing,
        g.cost_estimate_microcredits, g.status, g.created_at, g.deadline_at, g.prediction_id = a.id::text as prediction_is_attempt, a.id::text as prediction,
        a.order_index, a.try_number, a.provider, a.raw_model_id, a.region as attempt_region, a.state, a.created_at as attempt_created, a.run_at, a.dispatched_at,
        h.amount_microcredits, h.state as hold_state, h.expires_at, h.created_at as hold_created, h.generation_id = g.id as hold_is_generations,
        tr.amount_microcredits as transfer, tr.kind as transfer_kind, tr.created_at as transfer_created,
        tr.debit_ledger_account_id = (select id from seaplane.ledger_accounts where account_id = g.account_id and kind = 'customer_available') as from_available,
        tr.credit_ledger_account_id = (select id from seaplane.ledger_accounts where account_id = g.account_id and kind = 'customer_held') as to_held
      from seaplane.generations g join seaplane.attempts a on a.generation_id = g.id join seaplane.holds h on h.id = g.hold_id
      join seaplane.ledger_transfers tr on tr.hold_id = h.id
      where g.account_id = ${accountId} order by g.created_at, g.id`.execute(t.db)).rows;
    const [s] = await rows(one);
    const m = await rows(many);
    expect(m).toHaveLength(2);
    const strip = (r: Record<string, unknown> | undefined) => ({ ...r, generation_id: undefined, prediction: undefined });
    for (const r of m) expect(strip(r)).toEqual(strip(s));
    expect(s).toMatchObject({ prediction_is_attempt: true, hold_is_generations: true, from_available: true, to_held: true, hold_state: 'pending', state: 'queued' });
    const byId = (id: string | null) => m.find((r) => r.generation_id === id);
    for (const r of batch) {
      expect(shape(r.body, r.generation_id, byId(r.generation_id)?.prediction as string))
        .toEqual(shape(single[0]?.body, single[0]?.generation_id ?? null, s?.prediction as string));
    }
    expect(await balances(t.db, many)).toMatchObject({ available: 6 * C, held: 4 * C });
    await expectLedgerSound(t.db);
  });

  it('takes accounts it cannot cover at once, keyed items and accounts that owe one by one, in the same batch', async () => {
    const covered = await newAccount(t.db, 10 * C);
    const short = await newAccount(t.db, 3 * C); // cannot cover its items' sum: one by one, one is refused
    const owes = await newAccount(t.db, 10 * C);
    await rpcOne(t.db, 'credits_clawback', { p_account_id: owes, p_amount_microcredits: 12 * C, p_reference: `owes:${owes}`, p_now: T0 });
    const items = [args(covered, 0), args(owes, 1), args(covered, 2, { p_idempotency_key: 'kc', p_fingerprint: 'fc' }), args(short, 3, { p_cost_estimate_microcredits: 4 * C }),
      args(covered, 4), args(short, 5, { p_cost_estimate_microcredits: 1 * C })];
    const rows = await rpc(t.db, 'generations_create', { p_items: items.map(item) });
    const byIdx = new Map(rows.map((r) => [r.idx, r]));
    expect([0, 1, 2, 3, 4, 5].map((i) => byIdx.get(i)?.outcome)).toEqual(['created', 'receivable_outstanding', 'created', 'insufficient_credits', 'created', 'created']);
    expect(byIdx.get(1)).toMatchObject({ http_status: 402, generation_id: null });
    expect(await balances(t.db, covered)).toMatchObject({ available: 7 * C, held: 3 * C });
    expect(await balances(t.db, short)).toMatchObject({ available: 2 * C, held: 1 * C });
    expect(await counts(covered)).toEqual({ holds: 3, generations: 3, attempts: 3, keys: 1 });
    expect(await counts(owes)).toEqual({ holds: 0, generations: 0, attempts: 0, keys: 0 });
    // the keyed item replays from the key it claimed in the batch
    const replay = await rpc(t.db, 'generations_create', { p_items: [item(args(covered, 0, { p_idempotency_key: 'kc', p_fingerprint: 'fc' }), 0), item(args(covered, 1), 1)] });
    expect(replay.find((r) => r.idx === 0)).toMatchObject({ outcome: 'replayed', generation_id: byIdx.get(2)?.generation_id });
    expect(await counts(covered)).toEqual({ holds: 4, generations: 4, attempts: 4, keys: 1 });
    await expectLedgerSound(t.db);
  });

  it('answers an item whose key another transaction holds as in flight, and creates the rest', async () => {
    const a = await newAccount(t.db, 10 * C);
    const holder = await wide.connect();
    try {
      // the lock seaplane.idempotency_claim takes while the original request is being accepted
      await holder.query("select pg_advisory_lock(hashtextextended($1::text || '/' || 'busy', 7310))", [a]);
      const rows = await rpc(t.db, 'generations_create', { p_items: [
        item(args(a, 0, { p_idempotency_key: 'busy', p_fingerprint: 'f' }), 0), item(args(a, 1, { p_idempotency_key: 'free', p_fingerprint: 'f' }), 1), item(args(a, 2), 2)] });
      const byIdx = new Map(rows.map((r) => [r.idx, r]));
      expect([0, 1, 2].map((i) => byIdx.get(i)?.outcome)).toEqual(['idempotency_in_flight', 'created', 'created']);
      expect(byIdx.get(0)).toMatchObject({ http_status: 409, generation_id: null });
    } finally {
      await holder.query('select pg_advisory_unlock_all()');
      holder.release();
    }
    expect(await counts(a)).toEqual({ holds: 2, generations: 2, attempts: 2, keys: 1 });
    expect(await balances(t.db, a)).toMatchObject({ available: 8 * C, held: 2 * C });
  });

  it('debits accounts the cached balance covers in one statement, with their low-balance alerts, and folds the others first', async () => {
    const alerting = await newAccount(t.db, 10 * C);
    await rpc(t.db, 'credit_alerts_set', { p_account_id: alerting, p_thresholds_microcredits: [5 * C] });
    // a voided hold's credits wait unfolded: the cached balance (2) alone does not cover 4
    const folding = await newAccount(t.db, 10 * C);
    const h = await rpcOne(t.db, 'hold_place', { p_account_id: folding, p_amount_microcredits: 8 * C, p_expires_at: new Date(T0.getTime() + 3600_000), p_now: T0 });
    await rpcOne(t.db, 'hold_void', { p_hold_id: h.hold_id as string, p_now: T0 });
    const rows = await rpc(t.db, 'generations_create', { p_items: [
      item(args(alerting, 0, { p_cost_estimate_microcredits: 3 * C }), 0), item(args(folding, 1, { p_cost_estimate_microcredits: 2 * C }), 1),
      item(args(alerting, 2, { p_cost_estimate_microcredits: 3 * C }), 2), item(args(folding, 3, { p_cost_estimate_microcredits: 2 * C }), 3)] });
    expect(rows.map((r) => r.outcome)).toEqual(['created', 'created', 'created', 'created']);
    expect(await balances(t.db, alerting)).toMatchObject({ available: 4 * C, held: 6 * C });
    expect(await balances(t.db, folding)).toMatchObject({ available: 6 * C, held: 4 * C });
    const events = (await sql<{ payload: { current_balance: number; thresholds_crossed: unknown } }>`
      select payload from seaplane.outbox_events where account_id = ${alerting} and event = 'credits.low_balance'`.execute(t.db)).rows;
    expect(events.map((e) => e.payload)).toEqual([{ account_id: alerting, current_balance: 4, thresholds_crossed: [{ threshold: 5, balance_at: 4 }] }]);
    await expectLedgerSound(t.db);
  });

  it('answers items without a key as they would be after the account\'s earlier items, without refusing the batch', async () => {
    const a = await newAccount(t.db, 3 * C);
    const b = await newAccount(t.db, 10 * C);
    // each is covered alone (3), not all together (5): 2 is created, the next 2 finds 1 left, 1 fits
    const items = [args(a, 0, { p_cost_estimate_microcredits: 2 * C }), args(b, 1), args(a, 2, { p_cost_estimate_microcredits: 2 * C }),
      args(a, 3, { p_cost_estimate_microcredits: 1 * C })];
    const rows = await rpc(t.db, 'generations_create', { p_items: items.map(item) });
    const byIdx = new Map(rows.map((r) => [r.idx, r]));
    expect([0, 1, 2, 3].map((i) => byIdx.get(i)?.outcome)).toEqual(['created', 'created', 'insufficient_credits', 'created']);
    expect(byIdx.get(2)).toMatchObject({ http_status: 402, body: null, generation_id: null });
    expect(await balances(t.db, a)).toMatchObject({ available: 0, held: 3 * C });
    expect(await counts(a)).toEqual({ holds: 2, generations: 2, attempts: 2, keys: 0 });
    await expectLedgerSound(t.db);
  });

  it("raises SE402 and leaves nothing when keyed items' credits cover each but not their sum", async () => {
    const a = await newAccount(t.db, 2 * C);
    const b = await newAccount(t.db, 10 * C);
    const keyed = (i: number) => ({ p_idempotency_key: `ka${i}`, p_fingerprint: 'fa' });
    const items = [args(a, 0, keyed(0)), args(a, 1, keyed(1)), args(a, 2, keyed(2)), args(b, 3, { p_idempotency_key: 'kb', p_fingerprint: 'fb' })];
    await expect(rpc(t.db, 'generations_create', { p_items: items.map(item) })).rejects.toMatchObject({ code: 'SE402' });
    expect(await counts(a)).toEqual({ holds: 0, generations: 0, attempts: 0, keys: 0 });
    expect(await counts(b)).toEqual({ holds: 0, generations: 0, attempts: 0, keys: 0 });
    expect(await balances(t.db, a)).toMatchObject({ available: 2 * C, held: 0 });
    await expectLedgerSound(t.db);
  });
});

describe('acceptBatcher', () => {
  it('sends what queues behind a call in flight as one batch; a batch that comes up short is answered one by one, exactly', async () => {
    const a = await newAccount(t.db, 2 * C);
    const sent: number[] = [];
    const accept = acceptBatcher(wdb, { shards: 1, onSend: (size) => sent.push(size) });
    // the first goes alone; the three queued behind it (with keys, each checked alone) go as one
    // batch, whose debit (3) exceeds what is left (1): SE402, then one by one: one more is
    // created, two are refused
    const results = await Promise.all([0, 1, 2, 3].map((i) => accept(args(a, i, { p_idempotency_key: `q${i}`, p_fingerprint: 'f' }))));
    expect(sent).toEqual([1, 3]);
    expect(results.map((r) => r.outcome).sort()).toEqual(['created', 'created', 'insufficient_credits', 'insufficient_credits']);
    for (const r of results.filter((x) => x.outcome === 'insufficient_credits')) expect(r).toMatchObject({ http_status: 402, generation_id: null });
    expect(await counts(a)).toEqual({ holds: 2, generations: 2, attempts: 2, keys: 2 });
    expect(await balances(t.db, a)).toMatchObject({ available: 0, held: 2 * C });
  });

  it("fails only the item the server refuses: the batch's others are answered one by one", async () => {
    const a = await newAccount(t.db, 10 * C);
    const sent: number[] = [];
    const accept = acceptBatcher(wdb, { shards: 1, onSend: (size) => sent.push(size) });
    const calls = [args(a, 0), args(a, 1), args(a, 2, { p_cost_estimate_microcredits: 0 }), args(a, 3)].map((x) => accept(x));
    const settled = await Promise.allSettled(calls);
    expect(sent).toEqual([1, 3]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((settled[2] as PromiseRejectedResult).reason).toMatchObject({ code: '22023' });
    expect(await counts(a)).toEqual({ holds: 3, generations: 3, attempts: 3, keys: 0 });
  });

  it('two API processes accepting for the same accounts in opposite orders never deadlock, and every accept lands once', async () => {
    const accounts = await Promise.all(Array.from({ length: 5 }, () => newAccount(t.db, 1000 * C)));
    const deadlocks = async () => (await sql<{ n: number }>`select deadlocks::int as n from pg_stat_database where datname = current_database()`.execute(t.db)).rows[0]?.n;
    const before = await deadlocks();
    const sent: number[] = [];
    const one = acceptBatcher(wdb, { shards: 1, onSend: (size) => sent.push(size) });
    const two = acceptBatcher(createDb(wide), { shards: 1, onSend: (size) => sent.push(size) });
    const n = 200;
    const results = await Promise.all(Array.from({ length: n }, (_, i) => {
      const forward = accounts[i % accounts.length] as string;
      const backward = accounts[accounts.length - 1 - (i % accounts.length)] as string;
      return i % 2 === 0 ? one(args(forward, i)) : two(args(backward, i));
    }));
    expect(results.every((r) => r.outcome === 'created')).toBe(true);
    expect(new Set(results.map((r) => r.generation_id)).size).toBe(n);
    expect(Math.max(...sent)).toBeGreaterThan(1);
    expect(await deadlocks()).toBe(before);
    const held = await Promise.all(accounts.map((x) => balances(t.db, x)));
    expect(held.reduce((s, x) => s + x.held, 0)).toBe(n * C);
    await expectLedgerSound(t.db);
  });
});
