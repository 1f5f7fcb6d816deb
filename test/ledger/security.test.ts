// SECURITY DEFINER hardening: every definer function of ours pins an empty search_path, so a
// caller who may execute them cannot redirect them to objects of its own, such as a temporary
// table named like a ledger table (pg_temp is searched first when search_path omits it).
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { balances, C, expectLedgerSound, newAccount, T0 } from './helpers.ts';

let t: TestDatabase;
const role = `ledger_caller_${crypto.randomUUID().replaceAll('-', '').slice(0, 8)}`;
beforeAll(async () => {
  t = await createTestDatabase();
  // a non-owner login role with exactly the server's grants (member of service_role)
  await t.pool.query(`create role ${role} login password 'caller' in role service_role`);
});
afterAll(async () => {
  await expectLedgerSound(t.db);
  await t.close();
  const admin = new pg.Client({ connectionString: t.url });
  await admin.connect();
  await admin.query(`drop owned by ${role}`).catch(() => {});
  await admin.end();
  const { createPool } = await import('../../src/db/pool.ts');
  const root = createPool(t.url.replace(/\/[^/]+$/, '/postgres'), { max: 1 });
  await root.query(`drop role if exists ${role}`);
  await root.end();
});

describe('SECURITY DEFINER functions cannot be redirected by the caller', () => {
  it('every SECURITY DEFINER function in schemas api and seaplane sets search_path to empty', async () => {
    const r = await sql<{ fn: string; config: string[] | null }>`
      select p.oid::regprocedure::text as fn, p.proconfig as config from pg_proc p
      where p.pronamespace in ('api'::regnamespace, 'seaplane'::regnamespace) and p.prosecdef`.execute(t.db);
    expect(r.rows.length).toBeGreaterThan(10);
    const unsafe = r.rows.filter((x) => !(x.config ?? []).some((c) => c === 'search_path=""'));
    expect(unsafe).toEqual([]);
  });

  it('a caller with execute rights who shadows ledger_accounts, ledger_transfers and holds with temporary tables still moves the real ledger', async () => {
    const a = await newAccount(t.db, 10 * C);
    const caller = new pg.Client({ connectionString: t.url.replace(/\/\/[^@]+@/, `//${role}:caller@`) });
    await caller.connect();
    try {
      // the caller cannot read the real tables at all
      await expect(caller.query('select * from seaplane.ledger_accounts')).rejects.toThrow(/permission denied/);
      await caller.query(`create temp table ledger_accounts (id bigint, kind text, account_id uuid, balance bigint)`);
      await caller.query(`insert into ledger_accounts values (1, 'customer_available', $1, 1000000000000)`, [a]);
      await caller.query(`create temp table ledger_transfers (id bigint)`);
      await caller.query(`create temp table holds (id uuid, account_id uuid, amount_microcredits bigint, state text)`);
      // unqualified names in the caller's session now resolve to the fakes
      await caller.query(`set search_path = pg_temp, seaplane, public`);
      expect((await caller.query('select balance from ledger_accounts')).rows).toEqual([{ balance: 1_000_000_000_000 }]);
      // a hold larger than the real balance is refused: the function read the real row
      const big = await caller.query(`select * from api.hold_place(p_account_id => $1, p_amount_microcredits => $2, p_expires_at => $3, p_now => $3)`,
        [a, 50 * C, T0]);
      expect(big.rows[0].outcome).toBe('insufficient_credits');
      const ok = await caller.query(`select * from api.hold_place(p_account_id => $1, p_amount_microcredits => $2, p_expires_at => $3, p_now => $3)`,
        [a, 4 * C, T0]);
      expect(ok.rows[0].outcome).toBe('placed');
      expect((await caller.query('select count(*)::int as n from pg_temp.holds')).rows[0].n).toBe(0);
      expect((await caller.query('select count(*)::int as n from pg_temp.ledger_transfers')).rows[0].n).toBe(0);
      expect((await caller.query('select balance from pg_temp.ledger_accounts')).rows).toEqual([{ balance: 1_000_000_000_000 }]);
    } finally {
      await caller.end();
    }
    expect(await balances(t.db, a)).toMatchObject({ available: 6 * C, held: 4 * C });
  });
});
