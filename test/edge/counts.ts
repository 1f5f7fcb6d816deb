// Row counts of what a generate request may create, read straight from the private tables:
// a rejected request must leave every one of them unchanged.
import type { TestStack } from '../helpers/stack.ts';

export interface Counts {
  generations: number;
  holds: number;
  attempts: number;
  idempotency_keys: number;
  transfers: number;
}

export async function rowCounts(s: TestStack): Promise<Counts> {
  const { rows } = await s.pool.query<Record<keyof Counts, string>>(`select
    (select count(*) from seaplane.generations) as generations,
    (select count(*) from seaplane.holds) as holds,
    (select count(*) from seaplane.attempts) as attempts,
    (select count(*) from seaplane.idempotency_keys) as idempotency_keys,
    (select count(*) from seaplane.ledger_transfers) as transfers`);
  const r = rows[0] as Record<keyof Counts, string>;
  return { generations: Number(r.generations), holds: Number(r.holds), attempts: Number(r.attempts), idempotency_keys: Number(r.idempotency_keys), transfers: Number(r.transfers) };
}

/** Asserts the error envelope of contract §3.3 and returns its error object. */
export function errorOf(json: unknown): { code: string; type: string; message: string; retryable: boolean; details?: Record<string, unknown> } {
  const j = json as { status?: unknown; request_id?: unknown; error?: { code?: unknown; type?: unknown; message?: unknown; retryable?: unknown } };
  if (j?.status !== 'error' || typeof j.request_id !== 'string' || typeof j.error?.code !== 'string' || !/^BSE\d{4}$/.test(j.error.code) ||
    typeof j.error.type !== 'string' || typeof j.error.message !== 'string' || typeof j.error.retryable !== 'boolean') {
    throw new Error(`not an error envelope: ${JSON.stringify(json)}`);
  }
  return j.error as ReturnType<typeof errorOf>;
}
