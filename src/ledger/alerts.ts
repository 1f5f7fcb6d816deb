// `seaplane credits alerts`: sets an account's low-balance thresholds (api.credit_alerts_set).
import { toCredits, toMicro } from '../catalog/pricing.ts';
import type { Db } from '../db/kysely.ts';
import { rpc } from '../db/rpc.ts';

/** Parses "5,1.5,0.5" (credits) into micro-credits; an empty list clears the thresholds. */
export function parseThresholds(text: string): number[] {
  const parts = text.split(',').map((p) => p.trim()).filter((p) => p !== '');
  return parts.map((p) => {
    if (!/^\d+(\.\d{1,6})?$/.test(p) || Number(p) <= 0) throw new Error(`threshold ${JSON.stringify(p)} must be a positive number of credits`);
    return toMicro(Number(p));
  });
}

export async function setCreditAlerts(db: Db, accountId: string, thresholdsMicro: number[]) {
  const rows = await rpc(db, 'credit_alerts_set', { p_account_id: accountId, p_thresholds_microcredits: thresholdsMicro });
  return { account_id: accountId, thresholds: rows.map((r) => ({ threshold: toCredits(r.threshold_microcredits ?? 0), armed: r.armed === true })) };
}
