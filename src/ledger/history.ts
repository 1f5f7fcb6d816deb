// `seaplane credits history`: an account's balances and its journal entries, newest first,
// from the operator views (api.ledger_accounts_overview_v, api.ledger_entries_v).
import { toCredits } from '../catalog/pricing.ts';
import type { Db } from '../db/kysely.ts';

export interface CreditsHistory extends Record<string, unknown> {
  account_id: string;
  available: number;
  held: number;
  owed: number;
  pending_holds: number;
  entries: { transfer_id: number; at: string; ledger: string; kind: string; amount: number; hold_id: string | null; reference: string | null; memo: string | null }[];
}

export async function creditsHistory(db: Db, accountId: string, limit = 100): Promise<CreditsHistory> {
  const a = await db.selectFrom('api.ledger_accounts_overview_v').selectAll().where('account_id', '=', accountId).executeTakeFirst();
  if (!a) throw new Error(`no account ${accountId}`);
  const rows = await db.selectFrom('api.ledger_entries_v').selectAll().where('account_id', '=', accountId)
    .orderBy('transfer_id', 'desc').orderBy('ledger_kind').limit(limit).execute();
  return {
    account_id: accountId,
    available: toCredits(a.available_microcredits ?? 0),
    held: toCredits(a.held_microcredits ?? 0),
    owed: toCredits(a.owed_microcredits ?? 0),
    pending_holds: a.pending_holds ?? 0,
    entries: rows.map((r) => ({
      transfer_id: r.transfer_id, at: r.created_at.toISOString(), ledger: r.ledger_kind.replace(/^customer_/, ''),
      kind: r.transfer_kind, amount: toCredits(r.amount_microcredits ?? 0), hold_id: r.hold_id, reference: r.reference, memo: r.memo,
    })),
  };
}

export function formatCreditsHistory(h: CreditsHistory): string {
  const head = `account ${h.account_id}: available ${h.available}, held ${h.held}, owed ${h.owed}, ${h.pending_holds} pending hold(s)`;
  const lines = h.entries.map((e) => `${e.at}  #${e.transfer_id}  ${e.ledger.padEnd(10)} ${e.kind.padEnd(17)} ${(e.amount > 0 ? '+' : '') + e.amount.toFixed(6)}  ${e.reference ?? e.hold_id ?? ''}${e.memo ? `  (${e.memo})` : ''}`);
  return [head, ...(lines.length > 0 ? lines : ['no entries'])].join('\n');
}
