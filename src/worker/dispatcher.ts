// The dispatcher every worker process runs: turns due attempts into graphile-worker jobs in
// batches (api.attempts_dispatch). It polls fast while it finds work and backs off when idle:
// 1 ms between batches under load, doubling to `idleMaxMs` (default 10) when there is nothing
// to do. Measured (npm run bench, execution): accept -> provider submit p50 ~5-10 ms at
// 100 generations/s. The price is ~100 cheap index probes a second per idle worker process;
// raise DISPATCH_IDLE_MS where many workers sit idle.
import { rpcOne } from '../db/rpc.ts';
import type { WorkerDeps } from './deps.ts';

export const DISPATCH_BATCH = 200;
const BUSY_DELAY_MS = 1;
export const DISPATCH_IDLE_MAX_MS = 10;

export interface Dispatcher {
  /** One dispatch now; resolves with how many attempts became jobs. */
  tick(): Promise<number>;
  stop(): Promise<void>;
}

export function startDispatcher(deps: WorkerDeps, options: { auto: boolean; idleMaxMs?: number }): Dispatcher {
  const idleMaxMs = options.idleMaxMs ?? DISPATCH_IDLE_MAX_MS;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let delay = BUSY_DELAY_MS;
  const tick = async () => (await rpcOne(deps.db, 'attempts_dispatch', { p_limit: DISPATCH_BATCH, p_now: deps.clock() })).attempts_dispatch ?? 0;
  const loop = () => {
    if (stopped) return;
    running = tick().then(
      (n) => {
        delay = n > 0 ? BUSY_DELAY_MS : Math.min(idleMaxMs, delay * 2);
      },
      (err: unknown) => {
        delay = idleMaxMs;
        console.error('[dispatcher]', err instanceof Error ? err.message : err);
      },
    ).finally(() => {
      if (!stopped) timer = setTimeout(loop, delay);
    });
  };
  if (options.auto) loop();
  return {
    tick: () => {
      const p = running.then(tick);
      running = p.catch(() => undefined);
      return p;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running.catch(() => undefined);
    },
  };
}
