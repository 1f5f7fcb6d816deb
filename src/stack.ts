// Assembles a running Seaplane on Node: the API server and an in-process worker over one
// database. `npm start` and the HTTP tests both use it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type pg from 'pg';
import Stripe from 'stripe';
import { createApp } from './api/app.ts';
import { KeyCache } from './api/auth.ts';
import { breakerCacheFor } from './api/breakers.ts';
import type { RateLimiter } from './api/rate-limit.ts';
import { defaultRateLimiter } from './api/rate-limit-redis.ts';
import { RequestLogWriter } from './api/request-log.ts';
import { PROVIDERS } from './catalog/providers.ts';
import type { Region } from './catalog/types.ts';
import { createDb, type Db } from './db/kysely.ts';
import { createPool } from './db/pool.ts';
import type { SimulationOptions } from './providers/simulated/adapter.ts';
import type { ProviderAdapter } from './providers/types.ts';
import { LocalDiskStore } from './storage/local.ts';
import type { WorkerDeps } from './worker/deps.ts';
import { stripeConfigFromEnv } from './ledger/stripe.ts';
import { buildProviders } from './worker/providers.ts';
import { startWorker, type WorkerHandle, workerPoolSize } from './worker/runner.ts';
import { DEFAULT_WORKER_CONCURRENCY } from './config.ts';

export interface StackOptions {
  databaseUrl: string;
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** Overrides the URL output files are served from (default: the server's own URL). */
  publicUrl?: string;
  region?: Region;
  apiKeyPrefix?: string;
  storageDir: string;
  clock?: () => Date;
  worker?: false | { concurrency: number; reaperIntervalMs?: number | false };
  realAdapters?: readonly ProviderAdapter[];
  env?: Record<string, string | undefined>;
  simulate?: boolean;
  simulation?: SimulationOptions;
  rateLimiter?: RateLimiter;
  maxBodyBytes?: number;
  workerOverrides?: Partial<WorkerDeps>;
  /** Public base of /v1/providers, for providers that call back by webhook (https only in production). */
  webhookBaseUrl?: string;
  /** How long an accepted API key is remembered (default 5 s; 0: ask the database every time). */
  keyCacheTtlMs?: number;
  /** How long the API keeps its copy of the circuit breakers (default 2 s). */
  breakerTtlMs?: number;
}

export interface Stack {
  url: string;
  pool: pg.Pool;
  db: Db;
  worker: WorkerHandle | undefined;
  close(): Promise<void>;
}

export async function startStack(o: StackOptions): Promise<Stack> {
  const clock = o.clock ?? (() => new Date());
  const pool = createPool(o.databaseUrl, { max: 20, applicationName: 'seaplane-api' });
  const db = createDb(pool);
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'EADDRINUSE' ? new Error(`port ${o.port} on ${o.host ?? '127.0.0.1'} is in use: stop what holds it, or set PORT`) : err);
    });
    server.listen(o.port, o.host ?? '127.0.0.1', resolve);
  }).catch(async (err: unknown) => {
    await pool.end();
    throw err;
  });
  const address = server.address() as AddressInfo;
  const url = `http://${o.host ?? '127.0.0.1'}:${address.port}`;
  const store = new LocalDiskStore(o.storageDir, o.publicUrl ?? url);
  const providers = buildProviders({ real: o.realAdapters ?? [], env: o.env ?? {}, simulate: o.simulate ?? true, simulation: o.simulation });
  const requestLog = new RequestLogWriter(db, { onError: (err) => console.error('[request-log] write failed:', err) });
  const app = createApp({
    db, store, clock, region: o.region ?? 'us', apiKeyPrefix: o.apiKeyPrefix ?? 'bye_', requestLog,
    rateLimiter: o.rateLimiter ?? defaultRateLimiter(o.env ?? {}, db), maxBodyBytes: o.maxBodyBytes ?? 256 * 1024,
    breakers: breakerCacheFor({ db, region: o.region ?? 'us', clock }, o.breakerTtlMs),
    keyCache: new KeyCache(o.keyCacheTtlMs ?? 5_000),
    // Stripe (credit packs, the webhook) when STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET are set
    stripe: stripeConfigFromEnv(o.env ?? {}, Stripe),
    providersWithCancel: [...providers].filter(([, p]) => p.adapter.cancel !== undefined && PROVIDERS[p.adapter.id].cancel_method !== null).map(([id]) => id),
  });
  server.on('request', getRequestListener(app.fetch));

  let worker: WorkerHandle | undefined;
  let workerPool: pg.Pool | undefined;
  if (o.worker !== false) {
    const concurrency = o.worker?.concurrency ?? DEFAULT_WORKER_CONCURRENCY;
    workerPool = createPool(o.databaseUrl, { max: workerPoolSize(concurrency), applicationName: 'seaplane-worker' });
    const workerDeps: WorkerDeps = {
      db: createDb(workerPool), store, providers, clock, fetch: globalThis.fetch, workerId: `worker-${process.pid}-${crypto.randomUUID().slice(0, 8)}`,
      leaseMs: 60_000, attemptTimeoutMs: { image: 120_000, video: 900_000 }, maxTriesPerProvider: 2, webhookBaseUrl: o.webhookBaseUrl, ...o.workerOverrides,
    };
    worker = await startWorker(workerPool, workerDeps, { concurrency, reaperIntervalMs: o.worker?.reaperIntervalMs });
  }

  return {
    url, pool, db, worker,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await requestLog.flush();
      await worker?.stop();
      await workerPool?.end();
      await pool.end();
    },
  };
}
