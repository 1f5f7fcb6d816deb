// The reaper loop every worker process runs: expires generations past their deadline, moves
// expired attempt leases on, and re-enqueues queued attempts whose job a dead worker still holds.
// All of it is SQL that skips rows another reaper holds, so N workers may reap at once.
import { rpcOne } from '../db/rpc.ts';
import type { WorkerDeps } from './deps.ts';

export interface Reaper {
  /** One pass now (also what the timer runs). */
  tick(): Promise<{ expired: number; rerun: number; repolled: number; requeued: number }>;
  stop(): Promise<void>;
}

/** intervalMs false: no timer; the caller runs tick() (tests drive it with a pinned clock). */
export function startReaper(deps: WorkerDeps, intervalMs: number | false): Reaper {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const tick = async () => {
    const now = deps.clock();
    const expired = (await rpcOne(deps.db, 'generations_expire_due', { p_limit: 100, p_now: now })).generations_expire_due ?? 0;
    const reaped = await rpcOne(deps.db, 'attempts_reap', { p_lease_ms: deps.leaseMs, p_limit: 100, p_now: now });
    const requeued = (await rpcOne(deps.db, 'attempts_requeue_stale', { p_stale_ms: deps.leaseMs, p_limit: 100, p_now: now })).attempts_requeue_stale ?? 0;
    return { expired, rerun: reaped.rerun ?? 0, repolled: reaped.repolled ?? 0, requeued };
  };
  const timer = intervalMs === false ? undefined : setInterval(() => {
    if (stopped) return;
    running = running.then(tick).catch((err: unknown) => console.error('[reaper]', err));
  }, intervalMs);
  timer?.unref?.();
  return {
    tick: () => {
      const p = running.then(tick);
      running = p.catch(() => undefined);
      return p;
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
