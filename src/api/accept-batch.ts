// Accepts in batches. Every generate request ends in one SQL transaction (claim, hold, insert,
// debit); under load most of that transaction's cost is the round trip, the statement overhead
// and the durable commit, not the rows. This coalescer sends a request alone and at once when
// the database is idle, and otherwise gathers the requests that arrive while a call is
// running into one api.generations_create call: one round trip and one commit for up to
// MAX_BATCH accepts (src/lib/coalesce.ts).
//
// Exactness is kept by the SQL (sql/30_generations/generation_create.sql): each item is written
// as api.generation_create would, accounts are debited in one order, and a batch whose debit
// comes up short (SE402) or that fails for any reason the server reports rolls back whole. Its
// items are then sent one by one through api.generation_create, so each gets exactly the answer
// it would have got alone. An error that never reached the server (a refused connection) fails
// the items unsent, as a single call would.
import type { Db } from '../db/kysely.ts';
import { type FnArgs, type FnRow, isServerError, rpc, rpcOne } from '../db/rpc.ts';
import { coalesce, oneByOne } from '../lib/coalesce.ts';

export type AcceptArgs = FnArgs<'generation_create'>;
export type AcceptRow = FnRow<'generation_create'>;
export type Accept = (args: AcceptArgs) => Promise<AcceptRow>;

/**
 * Accepts in one transaction at most. It bounds how long a batch holds its accounts' locks and
 * how much is sent again one by one when a batch is refused (the bench's 32 clients in a closed
 * loop make batches of ~16-31).
 */
export const MAX_BATCH = 32;
/**
 * Accounts can be split into SHARDS groups, each with one call in flight: batches of different
 * groups lock different accounts, so they would run side by side instead of queueing on each
 * other's account locks. One group is the default: since a batch writes its items set-wise, most
 * of its cost is per call (round trip, statements, commit), and one batch at a time carrying
 * everything that queued behind it accepted ~15-25% more than two smaller ones in parallel
 * (docs/capacity.md). Batches of other API processes still run alongside; all lock accounts in
 * one order.
 */
export const SHARDS = 1;

function item(args: AcceptArgs, idx: number): Record<string, unknown> {
  const out: Record<string, unknown> = { idx };
  for (const [k, v] of Object.entries(args)) out[k.slice(2)] = v; // dates serialize as ISO strings
  return out;
}

export interface AcceptBatcherOptions {
  maxBatch?: number;
  shards?: number;
  /** Told the size of every call sent (diagnostics and tests). */
  onSend?: (size: number) => void;
}

export function acceptBatcher(db: Db, options: AcceptBatcherOptions = {}): Accept {
  const shards = Array.from({ length: options.shards ?? SHARDS }, () => shardBatcher(db, options.maxBatch ?? MAX_BATCH, options.onSend));
  return (args) => (shards[shardOf(args.p_account_id, shards.length)] as Accept)(args);
}

/** A stable small hash of the account id (its last 8 hex digits). */
function shardOf(accountId: string | null, n: number): number {
  return n === 1 || !accountId ? 0 : (Number.parseInt(accountId.slice(-8), 16) || 0) % n;
}

function shardBatcher(db: Db, maxBatch: number, onSend?: (size: number) => void): Accept {
  const one = (args: AcceptArgs) => rpcOne(db, 'generation_create', args);
  return coalesce<AcceptArgs, AcceptRow>(async (batch) => {
    onSend?.(batch.length);
    if (batch.length === 1) return [await one(batch[0] as AcceptArgs)];
    const rows = await rpc(db, 'generations_create', { p_items: batch.map(item) });
    const byIdx = new Map(rows.map((r) => [r.idx, r]));
    return batch.map((_, i) => {
      const r = byIdx.get(i);
      if (r === undefined) throw new Error(`api.generations_create returned no row for item ${i}`);
      return { outcome: r.outcome, http_status: r.http_status, body: r.body, generation_id: r.generation_id };
    });
  }, {
    maxBatch,
    maxInFlight: 1,
    onBatchError: oneByOne(one, isServerError),
  });
}
