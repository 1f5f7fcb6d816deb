// The worker: graphile-worker on its own pool (a direct connection: it LISTENs), running the
// attempt tasks and the maintenance cron. Signals are the caller's to handle.
import { Logger, type Runner, run } from 'graphile-worker';
import type pg from 'pg';
import { z } from 'zod';
import { rpcOne } from '../db/rpc.ts';
import type { WorkerDeps } from './deps.ts';
import { cancelAttempt, pollAttempt, runAttempt } from './tasks/attempt.ts';

// graphile-worker's info lines (one per job) drown the console; keep warnings and errors.
const quietLogger = new Logger(() => (level, message) => {
  if (level === 'error' || level === 'warning') console.error(`[worker] ${level}: ${message}`);
});

const attemptPayload = z.object({ attempt_id: z.uuid() });

export interface WorkerOptions {
  concurrency: number;
  /** Fallback poll interval; new jobs arrive by LISTEN/NOTIFY at once. */
  pollIntervalMs?: number;
}

export async function startWorker(pool: pg.Pool, deps: WorkerDeps, options: WorkerOptions): Promise<Runner> {
  return run({
    pgPool: pool,
    concurrency: options.concurrency,
    pollInterval: options.pollIntervalMs ?? 1000,
    noHandleSignals: true,
    logger: quietLogger,
    taskList: {
      attempt_run: (payload) => runAttempt(deps, attemptPayload.parse(payload).attempt_id),
      attempt_poll: (payload) => pollAttempt(deps, attemptPayload.parse(payload).attempt_id),
      attempt_cancel: (payload) => cancelAttempt(deps, attemptPayload.parse(payload).attempt_id),
      idempotency_keys_expire: async () => {
        await rpcOne(deps.db, 'idempotency_keys_expire', { p_now: deps.clock() });
      },
    },
    crontab: '17 * * * * idempotency_keys_expire',
  });
}
