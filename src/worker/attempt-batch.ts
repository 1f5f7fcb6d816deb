// Starts and successes in batches. A worker process runs many attempts at once (graphile-worker's
// concurrency, jobs fetched 16 at a time), so their api.attempt_start and api.attempt_succeed
// calls arrive together. Each was a transaction and a round trip of its own: at saturation the
// worker's CPU went mostly to socket writes and Postgres's to per-transaction overhead. These
// coalescers (src/lib/coalesce.ts) send a call alone and at once when nothing is in flight, and
// otherwise gather what queues behind it into one api.attempts_start / api.attempts_succeed call:
// one transaction, in the global lock order, for many attempts.
//
// A batch the server refuses as a whole (any SQL error rolls it back entirely) is sent again
// one attempt at a time, so each attempt gets exactly the answer it would have got alone; an
// error that never reached the server fails its attempts as a single call would (their leases
// then expire and the reaper moves them on).
import type { Db } from '../db/kysely.ts';
import { type FnArgs, type FnRow, isServerError, rpc } from '../db/rpc.ts';
import { coalesce, oneByOne } from '../lib/coalesce.ts';

export type StartRow = FnRow<'attempt_start'>;
export type SucceedArgs = Omit<FnArgs<'attempt_succeed'>, 'p_now'> & { p_now: Date };
export type SucceedRow = FnRow<'attempt_succeed'>;

export interface AttemptBatchers {
  /** api.attempt_start; undefined when the attempt does not exist. */
  start(attemptId: string, leaseOwner: string, leaseMs: number, now: Date): Promise<StartRow | undefined>;
  succeed(args: SucceedArgs): Promise<SucceedRow>;
}

/** Attempts in one transaction at most. */
export const MAX_BATCH = 32;

interface StartItem { attemptId: string; leaseOwner: string; leaseMs: number; now: Date }

const shared = new WeakMap<Db, AttemptBatchers>();

/**
 * The batchers a task uses: the deps' own (a worker's, or a test's with onSend), else one shared
 * per database handle, so every caller on a database coalesces with the others.
 */
export function attemptCalls(deps: { db: Db; attempts?: AttemptBatchers }): AttemptBatchers {
  if (deps.attempts) return deps.attempts;
  let calls = shared.get(deps.db);
  if (calls === undefined) {
    calls = attemptBatchers(deps.db);
    shared.set(deps.db, calls);
  }
  return calls;
}

export function attemptBatchers(db: Db, options: { maxBatch?: number; onSend?: (call: 'start' | 'succeed', size: number) => void } = {}): AttemptBatchers {
  const maxBatch = options.maxBatch ?? MAX_BATCH;
  const startOne = async (s: StartItem) => (await rpc(db, 'attempt_start', { p_attempt_id: s.attemptId, p_lease_owner: s.leaseOwner, p_lease_ms: s.leaseMs, p_now: s.now }))[0];
  const start = coalesce<StartItem, StartRow | undefined>(async (items) => {
    options.onSend?.('start', items.length);
    if (items.length === 1) return [await startOne(items[0] as StartItem)];
    // one lease owner and length per process; the batch's clock is its latest item's
    const first = items[0] as StartItem;
    const now = new Date(Math.max(...items.map((s) => s.now.getTime())));
    const rows = await rpc(db, 'attempts_start', { p_attempt_ids: items.map((s) => s.attemptId), p_lease_owner: first.leaseOwner, p_lease_ms: first.leaseMs, p_now: now });
    const byId = new Map(rows.map(({ attempt_id, ...row }) => [attempt_id, row as StartRow]));
    return items.map((s) => byId.get(s.attemptId));
  }, { maxBatch, maxInFlight: 1, onBatchError: oneByOne(startOne, isServerError) });

  const succeedOne = async (a: SucceedArgs) => {
    const rows = await rpc(db, 'attempt_succeed', a);
    if (rows.length !== 1) throw new Error(`api.attempt_succeed returned ${rows.length} rows, expected 1`);
    return rows[0] as SucceedRow;
  };
  const succeed = coalesce<SucceedArgs, SucceedRow>(async (items) => {
    options.onSend?.('succeed', items.length);
    if (items.length === 1) return [await succeedOne(items[0] as SucceedArgs)];
    const rows = await rpc(db, 'attempts_succeed', {
      p_items: items.map((a) => ({ attempt_id: a.p_attempt_id, output_keys: a.p_output_keys, cost_microcredits: a.p_cost_microcredits, predict_ms: a.p_predict_ms, now: a.p_now })),
    });
    // an attempt settled twice in one batch answers `settled` then `duplicate`, in that order
    const byId = new Map<string, SucceedRow[]>();
    for (const { attempt_id, ...row } of rows) byId.set(attempt_id as string, [...(byId.get(attempt_id as string) ?? []), row]);
    return items.map((a) => {
      const row = byId.get(a.p_attempt_id as string)?.shift();
      if (row === undefined) throw new Error(`api.attempts_succeed returned no row for attempt ${a.p_attempt_id}`);
      return row;
    });
  }, { maxBatch, maxInFlight: 1, onBatchError: oneByOne(succeedOne, isServerError) });

  return { start: (attemptId, leaseOwner, leaseMs, now) => start({ attemptId, leaseOwner, leaseMs, now }), succeed };
}
