// Shared pieces of the ledger tests: accounts with credits, the SQL calls by name, the
// invariants every test checks at its end.
import { sql } from 'kysely';
import { expect } from 'vitest';
import type { Db } from '../../src/db/kysely.ts';
import { rpc, rpcOne } from '../../src/db/rpc.ts';

export const C = 1_000_000; // micro-credits per credit
export const T0 = new Date('2026-11-25T12:00:00Z');
export const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

export async function newAccount(db: Db, microcredits: number): Promise<string> {
  const r = await rpcOne(db, 'account_create', { p_name: 'ledger test', p_free_microcredits: microcredits, p_now: T0 });
  return r.account_create as string;
}

export async function balances(db: Db, accountId: string): Promise<{ available: number; held: number; owed: number }> {
  const r = await db.selectFrom('api.ledger_accounts_overview_v').selectAll().where('account_id', '=', accountId).executeTakeFirstOrThrow();
  return { available: r.available_microcredits ?? 0, held: r.held_microcredits ?? 0, owed: r.owed_microcredits ?? 0 };
}

export async function placeHold(db: Db, accountId: string, amount: number, expiresAt = at(3600), now = T0) {
  return rpcOne(db, 'hold_place', { p_account_id: accountId, p_amount_microcredits: amount, p_expires_at: expiresAt, p_generation_id: null, p_now: now });
}

export async function holdState(db: Db, holdId: string): Promise<{ state: string; posted: number | null; resolved_at: Date | null }> {
  const r = await sql<{ state: string; posted: number | null; resolved_at: Date | null }>`
    select state, posted_microcredits as posted, resolved_at from seaplane.holds where id = ${holdId}`.execute(db);
  return r.rows[0] as { state: string; posted: number | null; resolved_at: Date | null };
}

/** The ledger's invariants: the journal balances, cached balances equal it, nothing negative. */
export async function expectLedgerSound(db: Db): Promise<void> {
  const recon = await db.selectFrom('api.ledger_reconciliation_v').selectAll().execute();
  expect(recon).toEqual([]);
  const negative = await sql<{ n: number }>`
    select count(*)::int as n from seaplane.ledger_accounts
    where (kind in ('customer_available', 'customer_held') and balance < 0) or (kind = 'customer_receivable' and balance > 0)`.execute(db);
  expect(negative.rows[0]?.n).toBe(0);
  // every resolved hold moved out of held exactly its amount; every pending one is still held
  const holds = await sql<{ n: number }>`
    select count(*)::int as n from seaplane.holds h
    where (select coalesce(sum(case when t.kind = 'hold' then t.amount_microcredits else -t.amount_microcredits end), 0)
           from seaplane.ledger_transfers t where t.hold_id = h.id)
          <> case when h.state = 'pending' then h.amount_microcredits else 0 end`.execute(db);
  expect(holds.rows[0]?.n).toBe(0);
}

export { rpc, rpcOne };
