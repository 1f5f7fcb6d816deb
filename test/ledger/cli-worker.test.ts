// `seaplane credits history` and the holds_expire worker task, over a test database.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { holdsExpire } from '../../src/worker/tasks/holds_expire.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { at, balances, C, expectLedgerSound, newAccount, placeHold, rpcOne, T0 } from './helpers.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await expectLedgerSound(t.db);
  await t.close();
});

describe('seaplane credits history', () => {
  it('prints the balances and every journal entry of the account, newest first, as JSON with --json', async () => {
    const a = await newAccount(t.db, 5 * C);
    const hold = (await placeHold(t.db, a, 2 * C)).hold_id as string;
    await rpcOne(t.db, 'hold_post', { p_hold_id: hold, p_amount_microcredits: 1.5 * C, p_now: T0 });
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
    const previous = process.env.DATABASE_URL;
    process.env.DATABASE_URL = t.url;
    try {
      expect(await main(['credits', 'history', '--account', a, '--json'])).toBe(0);
      expect(await main(['credits', 'history', '--account', a])).toBe(0);
    } finally {
      process.env.DATABASE_URL = previous;
      log.mockRestore();
    }
    const out = JSON.parse(lines[0] as string);
    expect(out).toMatchObject({ account_id: a, available: 3.5, held: 0, owed: 0, pending_holds: 0 });
    expect(out.entries.map((e: { ledger: string; kind: string; amount: number }) => [e.ledger, e.kind, e.amount])).toEqual([
      ['available', 'release', 0.5], ['held', 'release', -0.5], ['held', 'post', -1.5], ['available', 'hold', -2], ['held', 'hold', 2], ['available', 'grant', 5],
    ]);
    expect(lines[1]).toMatch(/available 3\.5, held 0, owed 0/);
    expect(lines[1]).toMatch(/grant\s+\+5\.000000/);
  });
});

describe('seaplane credits alerts', () => {
  it('sets the low-balance thresholds of an account, armed where the balance is at or above them', async () => {
    const a = await newAccount(t.db, 3 * C);
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
    const previous = process.env.DATABASE_URL;
    process.env.DATABASE_URL = t.url;
    try {
      expect(await main(['credits', 'alerts', '--account', a, '--thresholds', '5,1.5', '--json'])).toBe(0);
      await expect(main(['credits', 'alerts', '--account', a, '--thresholds', '2,0'])).rejects.toThrow(/positive/);
    } finally {
      process.env.DATABASE_URL = previous;
      log.mockRestore();
    }
    expect(JSON.parse(lines[0] as string)).toEqual({ account_id: a, thresholds: [{ threshold: 5, armed: false }, { threshold: 1.5, armed: true }] });
  });
});

describe('holds_expire worker task', () => {
  it('expires due holds at the injected clock and leaves the others pending', async () => {
    const a = await newAccount(t.db, 10 * C);
    await placeHold(t.db, a, 1 * C, at(60));
    await placeHold(t.db, a, 2 * C, at(600));
    expect(await holdsExpire({ db: t.db, clock: () => at(61) })).toMatchObject({ expired: 1, waiting: 0 });
    expect(await balances(t.db, a)).toMatchObject({ available: 8 * C, held: 2 * C });
    expect(await holdsExpire({ db: t.db, clock: () => at(61) })).toMatchObject({ expired: 0 });
  });
});
