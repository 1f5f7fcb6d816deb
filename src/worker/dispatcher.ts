// The dispatcher every worker process runs: turns due attempts into graphile-worker jobs in
// batches (api.attempts_dispatch, one add_jobs and one NOTIFY per batch). It wakes on
// `seaplane_attempts` notifications (the API sends one after each accept commits; a failing
// attempt wakes its own process), keeps polling every 1 ms while batches come back non-empty,
// and otherwise polls every `idleMaxMs` (default 250) for retries that come due and for a missed
// wake-up. Measured (npm run bench, execution): accept -> provider submit p50 ~4 ms at 100/s.
import type pg from 'pg';
import { rpcOne } from '../db/rpc.ts';
import type { WorkerDeps } from './deps.ts';

export const DISPATCH_BATCH = 200;
export const DISPATCH_CHANNEL = 'seaplane_attempts';
const BUSY_DELAY_MS = 1;
export const DISPATCH_IDLE_MAX_MS = 250;

export interface Dispatcher {
  /** One dispatch now; resolves with how many attempts became jobs. */
  tick(): Promise<number>;
  /** Dispatch as soon as possible (coalesced with a pass already under way). */
  wake(): void;
  stop(): Promise<void>;
}

export function startDispatcher(deps: WorkerDeps, options: { auto: boolean; idleMaxMs?: number; listenPool?: pg.Pool }): Dispatcher {
  const idleMaxMs = options.idleMaxMs ?? DISPATCH_IDLE_MAX_MS;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let passing = false;
  let wakeAgain = false;
  let listener: pg.PoolClient | undefined;
  const tick = async () => (await rpcOne(deps.db, 'attempts_dispatch', { p_limit: DISPATCH_BATCH, p_now: deps.clock() })).attempts_dispatch ?? 0;

  const pass = () => {
    if (stopped) return;
    if (passing) {
      wakeAgain = true;
      return;
    }
    passing = true;
    clearTimeout(timer);
    running = tick().then(
      (n) => (n > 0 ? BUSY_DELAY_MS : idleMaxMs),
      (err: unknown) => {
        console.error('[dispatcher]', err instanceof Error ? err.message : err);
        return idleMaxMs;
      },
    ).then((delay) => {
      passing = false;
      if (stopped) return;
      if (wakeAgain) {
        wakeAgain = false;
        pass();
      } else {
        timer = setTimeout(pass, delay);
      }
    });
  };

  // LISTEN on a connection of its own; when that connection drops (a database restart), listen
  // again a second later. Polling carries on meanwhile, so a lost connection costs latency only.
  const listen = (pool: pg.Pool) => {
    void pool.connect().then(async (client) => {
      if (stopped) return client.release();
      listener = client;
      client.on('notification', (msg) => {
        if (msg.channel === DISPATCH_CHANNEL) pass();
      });
      client.once('error', () => {
        if (listener !== client) return; // stop() already released it
        listener = undefined;
        client.release(true);
        if (!stopped) setTimeout(() => listen(pool), 1000).unref?.();
      });
      await client.query(`listen ${DISPATCH_CHANNEL}`);
    }).catch((err: unknown) => {
      console.error('[dispatcher] listen failed, polling only for now:', err instanceof Error ? err.message : err);
      if (!stopped) setTimeout(() => listen(pool), 1000).unref?.();
    });
  };

  if (options.auto) {
    if (options.listenPool) listen(options.listenPool);
    pass();
  }
  return {
    tick: () => {
      const p = running.then(tick);
      running = p.catch(() => undefined);
      return p;
    },
    wake: () => {
      if (options.auto) pass();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running.catch(() => undefined);
      const client = listener;
      listener = undefined;
      if (client) {
        await client.query(`unlisten ${DISPATCH_CHANNEL}`).catch(() => undefined);
        client.release();
      }
    },
  };
}
