// The worker: graphile-worker on its own pool (a direct connection: it LISTENs), running the
// attempt tasks and the maintenance cron. Signals are the caller's to handle.
import { setMaxListeners } from 'node:events';
import { Logger, type Runner, run } from 'graphile-worker';
import type pg from 'pg';
import { z } from 'zod';
import { rpcOne } from '../db/rpc.ts';
import type { WorkerDeps } from './deps.ts';
import { type Dispatcher, startDispatcher } from './dispatcher.ts';
import { type Reaper, startReaper } from './reaper.ts';
import { cancelAttempt, pollAttempt, runAttempt } from './tasks/attempt.ts';
import { holdsExpire } from './tasks/holds_expire.ts';
import { processProviderWebhook } from './tasks/provider_webhook.ts';

// graphile-worker's info lines (one per job) drown the console; keep warnings and errors.
const quietLogger = new Logger(() => (level, message) => {
  if (level === 'error' || level === 'warning') console.error(`[worker] ${level}: ${message}`);
});

const attemptPayload = z.object({ attempt_id: z.uuid() });
// api.attempts_dispatch packs attempts due together into one job; jobs written before packing
// carry one attempt_id
const attemptRunPayload = z.union([z.object({ attempt_ids: z.array(z.uuid()).min(1) }), attemptPayload])
  .transform((p) => ('attempt_ids' in p ? p.attempt_ids : [p.attempt_id]));

/** Runs a job's attempts side by side; the job fails (and graphile-worker retries it) if any threw. */
async function runAttempts(deps: WorkerDeps, attemptIds: string[]): Promise<void> {
  const results = await Promise.allSettled(attemptIds.map((id) => runAttempt(deps, id)));
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed.length > 0) throw failed[0]?.reason;
}
const webhookPayload = z.object({ webhook_id: z.uuid() });

/**
 * A worker process's pool: graphile-worker advises at least one connection per concurrent job;
 * a few more for LISTEN, the dispatcher and the reaper.
 */
export function workerPoolSize(concurrency: number): number {
  return concurrency + 4;
}

export interface WorkerOptions {
  concurrency: number;
  /** Fallback poll interval; new jobs arrive by LISTEN/NOTIFY at once. */
  pollIntervalMs?: number;
  /** How often this process reaps expired leases and deadlines (false: never, for tests that tick it). */
  reaperIntervalMs?: number | false;
  /** Run the dispatcher loop (default true; tests may tick it by hand). */
  dispatch?: boolean;
  /** Jobs graphile-worker fetches and locks at once (1: one at a time). */
  localQueueSize?: number;
  /** The dispatcher's longest wait between polls when idle (ms). */
  dispatchIdleMaxMs?: number;
}

export interface WorkerHandle {
  runner: Runner;
  events: Runner['events'];
  reaper: Reaper;
  dispatcher: Dispatcher;
  stop(): Promise<void>;
}

export async function startWorker(pool: pg.Pool, workerDeps: WorkerDeps, options: WorkerOptions): Promise<WorkerHandle> {
  const stopping = new AbortController();
  // every in-flight provider call listens for the stop (concurrency may exceed Node's default of 10)
  setMaxListeners(0, stopping.signal);
  let dispatcher: Dispatcher | undefined;
  const deps: WorkerDeps = {
    ...workerDeps, stopSignal: stopping.signal, wakeDispatcher: () => dispatcher?.wake(),
  };
  const runner = await run({
    pgPool: pool,
    concurrency: options.concurrency,
    pollInterval: options.pollIntervalMs ?? 1000,
    noHandleSignals: true,
    logger: quietLogger,
    // Fetch jobs in batches and complete them in batches: graphile-worker's own two transactions
    // per job were a third of a generation's database work. A worker that dies with fetched jobs
    // leaves them locked, which the reaper already covers (attempts_requeue_stale).
    preset: { worker: { localQueue: { size: options.localQueueSize ?? Math.max(16, options.concurrency) }, completeJobBatchDelay: 1 } },
    taskList: {
      attempt_run: (payload) => runAttempts(deps, attemptRunPayload.parse(payload)),
      attempt_poll: (payload) => pollAttempt(deps, attemptPayload.parse(payload).attempt_id),
      attempt_cancel: (payload) => cancelAttempt(deps, attemptPayload.parse(payload).attempt_id),
      provider_webhook_process: async (payload) => {
        await processProviderWebhook(deps, webhookPayload.parse(payload).webhook_id);
      },
      holds_expire: async () => void (await holdsExpire(deps)),
      idempotency_keys_expire: async () => {
        await rpcOne(deps.db, 'idempotency_keys_expire', { p_now: deps.clock() });
      },
      request_log_expire: async () => {
        await rpcOne(deps.db, 'request_log_expire', { p_now: deps.clock() });
      },
      provider_webhooks_expire: async () => {
        await rpcOne(deps.db, 'provider_webhooks_expire', { p_now: deps.clock() });
      },
    },
    crontab: '17 * * * * idempotency_keys_expire\n* * * * * holds_expire\n41 3 * * * request_log_expire\n47 3 * * * provider_webhooks_expire',
  });
  dispatcher = startDispatcher(deps, { auto: options.dispatch !== false, idleMaxMs: options.dispatchIdleMaxMs, listenPool: pool });
  const reaper = startReaper(deps, options.reaperIntervalMs ?? Math.max(1000, Math.floor(deps.leaseMs / 4)));
  let stopped: Promise<void> | undefined;
  return {
    runner,
    events: runner.events,
    reaper,
    dispatcher: dispatcher as Dispatcher,
    stop() {
      stopped ??= (async () => {
        // Abort in-flight provider calls: their attempts keep their leases and the reaper moves
      // them on, here or in another worker process.
        stopping.abort();
        await dispatcher?.stop();
        await reaper.stop();
        await runner.stop();
      })();
      return stopped;
    },
  };
}
