// The ledger under races: many callers on one account at once. Interleavings are forced with a
// blocker transaction that holds the account's ledger lock until every racer is queued behind
// it (seen in pg_stat_activity), then lets them all go at once. No sleeps.
import { sql } from 'kysely';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../src/db/kysely.ts';
import { createPool } from '../../src/db/pool.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { track, untrack } from '../helpers/leaks.ts';
import { at, balances, C, expectLedgerSound, holdState, newAccount, placeHold, rpc, rpcOne, T0 } from './helpers.ts';

let t: TestDatabase;
let wide: pg.Pool;
let wdb: Db;
beforeAll(async () => {
  t = await createTestDatabase();
  wide = track(createPool(t.url, { max: 30 }), 'wide pool');
  wdb = createDb(wide);
});
afterAll(async () => {
  await expectLedgerSound(t.db);
  untrack(wide);
  await wide.end();
  await t.close();
});

/** Holds rows locked (`lockSql`); releaseWhenQueued() commits once `waiting` racers queue behind it. */
async function blockRows(lockSql: string, params: unknown[]) {
  const client = await t.pool.connect();
  await client.query('begin');
  await client.query(lockSql, params);
  return {
    async releaseWhenQueued(waiting: number) {
      for (;;) {
        // waiters queue on the blocker or on each other (a row lock's queue), all as Lock waits
        const r = await t.pool.query<{ n: number }>(
          "select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'");
        if ((r.rows[0]?.n ?? 0) >= waiting) break;
      }
      await client.query('commit');
      client.release();
    },
  };
}

/** The account's ledger rows, as a grant or a clawback locks them. */
const blockAccount = (accountId: string | string[]) =>
  blockRows('select 1 from seaplane.ledger_accounts where account_id = any($1::uuid[]) for update', [[accountId].flat()]);

/** One hold's row: resolutions (post, void, expire) lock the hold, not the account. */
const blockHold = (holdId: string) => blockRows('select 1 from seaplane.holds where id = $1 for update', [holdId]);

describe('races on one account', () => {
  it('100 concurrent holds of 1 credit against a balance of 10: exactly 10 are placed, the balance ends at 0, never below', async () => {
    const a = await newAccount(t.db, 10 * C);
    const blocker = await blockAccount(a);
    const racers = Array.from({ length: 100 }, () => placeHold(wdb, a, 1 * C));
    await blocker.releaseWhenQueued(25);
    const results = await Promise.all(racers);
    expect(results.filter((r) => r.outcome === 'placed')).toHaveLength(10);
    expect(results.filter((r) => r.outcome === 'insufficient_credits')).toHaveLength(90);
    expect(await balances(t.db, a)).toMatchObject({ available: 0, held: 10 * C });
    // the 90 refused holds passed the unlocked check, wrote their hold, then found the credits
    // gone under the lock (SE402): their block rolled back, so nothing of them remains
    const holds = await sql<{ n: number }>`select count(*)::int as n from seaplane.holds where account_id = ${a}`.execute(t.db);
    expect(holds.rows[0]?.n).toBe(10);
    await expectLedgerSound(t.db);
  });

  it('30 concurrent accepts against credits for 5: exactly 5 generations; the 25 refused after their unlocked check leave no hold, generation, attempt or idempotency key', async () => {
    const a = await newAccount(t.db, 5 * C);
    const blocker = await blockAccount(a);
    const racers = Array.from({ length: 30 }, (_, i) => rpcOne(wdb, 'generation_create', {
      p_account_id: a, p_apikey_id: null, p_region: 'us', p_model_identifier: 'bfl/flux-schnell', p_model_type: 'image',
      p_request: { generation_prompt: `race ${i}` }, p_provider_order: ['fal'], p_raw_model_ids: ['fal-ai/flux/schnell'], p_routing: {},
      p_cost_estimate_microcredits: 1 * C, p_deadline_seconds: 600, p_idempotency_key: `race-${i}`, p_fingerprint: `fp-${i}`,
      p_request_id: `req_${i}`, p_response_timestamp: T0.toISOString(), p_now: T0,
    }));
    // every racer passed the unlocked balance check, wrote its rows and waits on the account's lock
    await blocker.releaseWhenQueued(30);
    const results = await Promise.all(racers);
    expect(results.filter((r) => r.outcome === 'created')).toHaveLength(5);
    expect(results.filter((r) => r.outcome === 'insufficient_credits' && r.http_status === 402 && r.generation_id === null)).toHaveLength(25);
    const n = await sql<{ holds: number; generations: number; attempts: number; keys: number }>`
      select (select count(*)::int from seaplane.holds where account_id = ${a}) as holds,
             (select count(*)::int from seaplane.generations where account_id = ${a}) as generations,
             (select count(*)::int from seaplane.attempts where account_id = ${a}) as attempts,
             (select count(*)::int from seaplane.idempotency_keys where account_id = ${a}) as keys`.execute(t.db);
    expect(n.rows[0]).toEqual({ holds: 5, generations: 5, attempts: 5, keys: 5 });
    expect(await balances(t.db, a)).toMatchObject({ available: 0, held: 5 * C });
    await expectLedgerSound(t.db);
  });

  it("resolving a hold does not wait for the account's ledger lock; the credit it returns is visible at once and folded by the next hold", async () => {
    const a = await newAccount(t.db, 100 * C);
    const holdIds: string[] = [];
    for (let i = 0; i < 70; i++) holdIds.push((await placeHold(t.db, a, 1 * C)).hold_id as string);
    // the account's lock as a hold, a grant or a clawback takes it, held for the whole test
    const locker = await t.pool.connect();
    await locker.query('begin');
    await locker.query(`select 1 from seaplane.ledger_accounts where account_id = $1 and kind = 'customer_available' for no key update`, [a]);
    try {
      for (const h of holdIds) {
        expect((await rpcOne(wdb, 'hold_post', { p_hold_id: h, p_amount_microcredits: C / 4, p_now: at(1) })).outcome).toBe('resolved');
      }
      expect(await balances(t.db, a)).toMatchObject({ available: 30 * C + 70 * (C - C / 4), held: 0 });
      const unfolded = await sql<{ n: number }>`select count(*)::int as n from seaplane.ledger_unfolded_credits`.execute(t.db);
      expect(unfolded.rows[0]?.n).toBe(70);
    } finally {
      await locker.query('commit');
      locker.release();
    }
    // 70 unfolded credits are past the fold threshold: the next hold folds them into the cache
    expect((await placeHold(t.db, a, 1 * C)).outcome).toBe('placed');
    const after = await sql<{ n: number; cached: string }>`
      select (select count(*)::int from seaplane.ledger_unfolded_credits u where u.ledger_account_id = la.id) as n, la.balance::text as cached
      from seaplane.ledger_accounts la where la.account_id = ${a} and la.kind = 'customer_available'`.execute(t.db);
    expect(after.rows[0]).toEqual({ n: 0, cached: String(30 * C + 70 * (C - C / 4) - C) });
    await expectLedgerSound(t.db);
  });

  it('a hold the cached balance cannot cover folds the unfolded credits first and is placed', async () => {
    const a = await newAccount(t.db, 2 * C);
    const h = (await placeHold(t.db, a, 2 * C)).hold_id as string;
    await rpcOne(t.db, 'hold_void', { p_hold_id: h, p_now: at(1) });
    // cached 0, one unfolded credit of 2: only the fold makes the second hold possible
    expect((await placeHold(t.db, a, 2 * C)).outcome).toBe('placed');
    expect(await balances(t.db, a)).toMatchObject({ available: 0, held: 2 * C });
    expect((await placeHold(t.db, a, 1)).outcome).toBe('insufficient_credits');
    await expectLedgerSound(t.db);
  });

  it('post, void and expire racing on one hold resolve it exactly once (20 rounds)', async () => {
    const a = await newAccount(t.db, 100 * C);
    const winners: Record<string, number> = {};
    for (let round = 0; round < 20; round++) {
      const holdId = (await placeHold(t.db, a, 1 * C, at(10))).hold_id as string;
      const blocker = await blockHold(holdId);
      const racers = [
        rpcOne(wdb, 'hold_post', { p_hold_id: holdId, p_amount_microcredits: C / 2, p_now: at(20) }).then((r) => ['post', r.outcome] as const),
        rpcOne(wdb, 'hold_void', { p_hold_id: holdId, p_now: at(20) }).then((r) => ['void', r.outcome] as const),
        rpc(wdb, 'holds_expire', { p_now: at(20) }).then((rows) => ['expire', rows.find((x) => x.hold_id === holdId)?.outcome ?? 'none'] as const),
        rpcOne(wdb, 'hold_void', { p_hold_id: holdId, p_now: at(20) }).then((r) => ['void2', r.outcome] as const),
      ];
      await blocker.releaseWhenQueued(4);
      const results = await Promise.all(racers);
      const resolved = results.filter(([, o]) => o === 'resolved' || o === 'expired');
      expect(resolved).toHaveLength(1);
      const winner = resolved[0]?.[0] as string;
      winners[winner] = (winners[winner] ?? 0) + 1;
      const h = await holdState(t.db, holdId);
      expect(h.state).toBe({ post: 'posted', void: 'voided', void2: 'voided', expire: 'expired' }[winner]);
      const n = await sql<{ n: number }>`select count(*)::int as n from seaplane.ledger_transfers where hold_id = ${holdId} and kind <> 'hold'`.execute(t.db);
      expect(n.rows[0]?.n).toBe(winner === 'post' ? 2 : 1);
    }
    expect(Object.values(winners).reduce((x, y) => x + y, 0)).toBe(20);
    expect((await balances(t.db, a)).held).toBe(0);
  });

  it('the same Stripe event applied 20 times concurrently grants once', async () => {
    const a = await newAccount(t.db, 0);
    const fact = { action: 'checkout_grant', account_id: a, microcredits: 10 * C, checkout_session: 'cs_race', payment_intent: 'pi_race', amount_total_minor: 1000, currency: 'usd', customer: 'cus_race' };
    const blocker = await blockAccount(a);
    const racers = Array.from({ length: 20 }, () => rpcOne(wdb, 'stripe_event_apply', {
      p_event_id: 'evt_race', p_event_type: 'checkout.session.completed', p_payload: { id: 'evt_race' }, p_fact: fact, p_now: T0,
    }));
    await blocker.releaseWhenQueued(1);
    const results = await Promise.all(racers);
    expect(results.filter((r) => r.outcome === 'applied')).toHaveLength(1);
    expect(results.filter((r) => r.outcome === 'duplicate')).toHaveLength(19);
    expect((await balances(t.db, a)).available).toBe(10 * C);
    const grants = await sql<{ n: number }>`select count(*)::int as n from seaplane.ledger_transfers where kind = 'grant' and reference = 'checkout:cs_race'`.execute(t.db);
    expect(grants.rows[0]?.n).toBe(1);
  });
});

describe('races across accounts', () => {
  it('one grant reference raced onto two accounts (the second waits on the first, uncommitted) is granted once; the loser gets duplicate', async () => {
    const [a, b] = await Promise.all([newAccount(t.db, 0), newAccount(t.db, 0)]);
    const first = await t.pool.connect();
    try {
      await first.query('begin');
      const r1 = await first.query(`select outcome from api.credits_grant($1::uuid, $2::bigint, 'promotions', 'raced-reference', null, $3::timestamptz)`, [a, C, T0]);
      expect(r1.rows[0].outcome).toBe('granted');
      // the second grant passes its duplicate check (the first is not committed) and waits on the unique index
      const second = rpcOne(wdb, 'credits_grant', { p_account_id: b, p_amount_microcredits: C, p_source: 'promotions', p_reference: 'raced-reference', p_now: T0 });
      for (;;) {
        const w = await t.pool.query<{ n: number }>("select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'");
        if ((w.rows[0]?.n ?? 0) >= 1) break;
      }
      await first.query('commit');
      expect((await second).outcome).toBe('duplicate');
    } finally {
      first.release();
    }
    expect((await balances(t.db, a)).available + (await balances(t.db, b)).available).toBe(C);
  });
});
