// Ledger throughput: hold+post pairs per second (each pair is two transactions: the hold at
// accept time, the post at success) on one hot account and spread over 1,000 accounts, against
// baselines measured in the same run on the same database, on one hot row and over 1,000 rows:
// - the issue's baseline, a plain `UPDATE balance` + `INSERT entry` transaction (BEGIN, UPDATE,
//   INSERT, COMMIT: pgbench's shape, the "ledger transaction" of limits.md);
// - a stricter one: the same two writes as one statement (one round trip, the lock held only
//   for the statement and the commit).
// No ledger, no hold, no checks in either. Ratios are printed per pair (the issue's target: hot
// >= 0.6 against the plain transaction) and per transaction (a pair is two commits).
import { sql } from 'kysely';
import type pg from 'pg';
import { createDb, type Db } from '../../src/db/kysely.ts';
import { createPool } from '../../src/db/pool.ts';
import { rpcOne } from '../../src/db/rpc.ts';
import { withBenchDatabase } from './harness.ts';

const CLIENTS = 8;
const SECONDS = Number(process.env.LEDGER_BENCH_SECONDS ?? 4);
const SPREAD_ACCOUNTS = 1000;

/** Runs `op` on CLIENTS concurrent loops for SECONDS; returns completed operations per second. */
async function rate(op: (i: number) => Promise<void>): Promise<number> {
  const until = performance.now() + SECONDS * 1000;
  let done = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, async (_, c) => {
    for (let i = c; performance.now() < until; i += CLIENTS) {
      await op(i);
      done++;
    }
  }));
  return done / ((performance.now() - started) / 1000);
}

async function holdPost(db: Db, accountId: string, now: Date): Promise<void> {
  const h = await rpcOne(db, 'hold_place', { p_account_id: accountId, p_amount_microcredits: 10_000, p_expires_at: new Date(now.getTime() + 3_600_000), p_now: now });
  if (h.outcome !== 'placed') throw new Error(`hold ${h.outcome}`);
  await rpcOne(db, 'hold_post', { p_hold_id: h.hold_id as string, p_amount_microcredits: 5_000, p_now: now });
}

/** The plain transaction: four statements on one connection. */
async function baseline(pool: pg.Pool, row: number): Promise<void> {
  const c = await pool.connect();
  try {
    await c.query('begin');
    await c.query({ name: 'bench_update', text: 'update bench_balances set balance = balance - 5000 where id = $1', values: [row] });
    await c.query({ name: 'bench_insert', text: 'insert into bench_entries (balance_id, amount) values ($1, 5000)', values: [row] });
    await c.query('commit');
  } finally {
    c.release();
  }
}

/** The same two writes as one statement. */
async function baselineOneStatement(pool: pg.Pool, row: number): Promise<void> {
  await pool.query({
    name: 'bench_cte',
    text: `with u as (update bench_balances set balance = balance - 5000 where id = $1 returning id)
           insert into bench_entries (balance_id, amount) select id, 5000 from u`,
    values: [row],
  });
}

export async function run(): Promise<void> {
  await withBenchDatabase(async (url) => {
    const pool = createPool(url, { max: CLIENTS + 2 });
    const db = createDb(pool);
    try {
      const now = new Date();
      const make = async () => (await rpcOne(db, 'account_create', { p_name: 'bench', p_free_microcredits: 1_000_000_000_000 })).account_create as string;
      const hot = await make();
      const spread: string[] = [];
      for (let i = 0; i < SPREAD_ACCOUNTS; i++) spread.push(await make());
      await sql`create table bench_balances (id integer primary key, balance bigint not null)`.execute(db);
      await sql`create table bench_entries (id bigint generated always as identity primary key, balance_id integer not null, amount bigint not null, created_at timestamptz not null default now())`.execute(db);
      await sql`insert into bench_balances select g, 1000000000000 from generate_series(0, ${SPREAD_ACCOUNTS}) g`.execute(db);
      // only the baseline's tables: a table analyzed while empty gets cached generic plans that scan it
      // whole (seen here: PL/pgSQL plans of the hold lookups, built while holds was empty, kept
      // scanning it as it grew); the engine's tables are left as a fresh deployment has them
      await sql`vacuum analyze bench_balances, bench_entries`.execute(db);

      console.log(`  ${CLIENTS} concurrent clients, ${SECONDS} s per measurement, durable commits`);
      const spreadRow = (i: number) => 1 + ((i * 7919) % SPREAD_ACCOUNTS);
      const baseHot = await rate(() => baseline(pool, 0));
      const strictHot = await rate(() => baselineOneStatement(pool, 0));
      const pairsHot = await rate(() => holdPost(db, hot, now));
      const baseSpread = await rate((i) => baseline(pool, spreadRow(i)));
      const strictSpread = await rate((i) => baselineOneStatement(pool, spreadRow(i)));
      const pairsSpread = await rate((i) => holdPost(db, spread[(i * 7919) % SPREAD_ACCOUNTS] as string, now));

      const line = (name: string, pairs: number, base: number, strict: number) =>
        console.log(`  ${name}: ${pairs.toFixed(1)} pairs/s (${(pairs * 2).toFixed(1)} ledger tx/s)\n` +
          `    baseline transaction ${base.toFixed(1)} tx/s: ratio ${(pairs / base).toFixed(2)} per pair, ${((pairs * 2) / base).toFixed(2)} per transaction\n` +
          `    one-statement baseline ${strict.toFixed(1)} tx/s: ratio ${(pairs / strict).toFixed(2)} per pair, ${((pairs * 2) / strict).toFixed(2)} per transaction`);
      line('one hot account', pairsHot, baseHot, strictHot);
      line(`${SPREAD_ACCOUNTS} accounts`, pairsSpread, baseSpread, strictSpread);
      console.log(`  target: hot ratio per pair >= 0.6 against the baseline transaction (${(pairsHot / baseHot).toFixed(2)})`);
      const recon = await db.selectFrom('api.ledger_reconciliation_v').selectAll().execute();
      console.log(`  reconciliation after the run: ${recon.length === 0 ? 'clean' : `${recon.length} problem rows`}`);
    } finally {
      await pool.end();
    }
  });
}
