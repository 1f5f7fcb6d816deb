// `seaplane worker`: graphile-worker outside the edge, on a direct (or session-mode) Postgres
// connection: it LISTENs for new jobs, which the transaction-mode pooler cannot carry. Run as
// many as the load needs: graphile-worker hands each job to one worker (SELECT ... FOR UPDATE
// SKIP LOCKED), and attempt leases make a worker killed mid-job safe (the reaper moves it on).
// Providers with credentials in the environment use their real adapters; the others use their
// simulated twins unless SIMULATE_PROVIDERS=false.
import type pg from 'pg';
import { loadConfig } from '../config.ts';
import { createDb } from '../db/kysely.ts';
import { createPool } from '../db/pool.ts';
import { REAL_ADAPTERS } from '../providers/index.ts';
import type { ProviderAdapter } from '../providers/types.ts';
import { LocalDiskStore } from '../storage/local.ts';
import { SupabaseStorageStore, supabaseServerKey } from '../storage/supabase.ts';
import type { ArtifactStore } from '../storage/types.ts';
import type { WorkerDeps } from '../worker/deps.ts';
import { buildProviders } from '../worker/providers.ts';
import { startWorker, workerPoolSize } from '../worker/runner.ts';

type Env = Record<string, string | undefined>;

export interface WorkerProcessOptions {
  databaseUrl: string;
  concurrency: number;
  store: ArtifactStore;
  env: Env;
  simulate: boolean;
  realAdapters?: readonly ProviderAdapter[];
  /** Where providers with webhooks call back (absent: poll only). */
  webhookBaseUrl?: string;
  workerOverrides?: Partial<WorkerDeps>;
}

type WorkerHandle = Awaited<ReturnType<typeof startWorker>>;

export interface WorkerProcess {
  handle: WorkerHandle;
  /** graphile-worker's events (job:complete, ...) for tests and metrics. */
  events: WorkerHandle['events'];
  pool: pg.Pool;
  workerId: string;
  stop(): Promise<void>;
}

/** Same store choice as the edge function: Supabase Storage when configured, else local disk. */
export function workerStore(env: Env, config = loadConfig(env)): ArtifactStore {
  const key = supabaseServerKey(env);
  if (!env.STORAGE_DIR && env.SUPABASE_URL && key) {
    return new SupabaseStorageStore({
      url: env.SUPABASE_URL, serviceRoleKey: key, bucket: env.STORAGE_BUCKET ?? 'seaplane-artifacts',
      publicBaseUrl: env.STORAGE_PUBLIC_URL,
    });
  }
  return new LocalDiskStore(config.storageDir, config.publicUrl);
}

export async function startWorkerProcess(o: WorkerProcessOptions): Promise<WorkerProcess> {
  const workerId = `worker-${process.pid}-${crypto.randomUUID().slice(0, 8)}`;
  const pool = createPool(o.databaseUrl, { max: workerPoolSize(o.concurrency), applicationName: 'seaplane-worker' });
  const providers = buildProviders({ real: o.realAdapters ?? REAL_ADAPTERS, env: o.env, simulate: o.simulate });
  const deps: WorkerDeps = {
    db: createDb(pool), store: o.store, providers, clock: () => new Date(), fetch: globalThis.fetch, workerId,
    leaseMs: 60_000, attemptTimeoutMs: { image: 120_000, video: 900_000 }, maxTriesPerProvider: 2,
    ...(o.webhookBaseUrl ? { webhookBaseUrl: o.webhookBaseUrl } : {}), ...o.workerOverrides,
  };
  let handle: WorkerHandle;
  try {
    // run() installs or upgrades graphile-worker's own schema first (under its advisory lock).
    handle = await startWorker(pool, deps, { concurrency: o.concurrency });
  } catch (err) {
    await pool.end();
    throw err;
  }
  return {
    handle, events: handle.events, pool, workerId,
    async stop() {
      await handle.stop();
      await pool.end();
    },
  };
}

export async function workerCommand(env: Env = process.env): Promise<number> {
  const config = loadConfig(env);
  // Listen before anything is printed: a supervisor may signal as soon as it sees the line.
  const stopRequested = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  const databaseUrl = config.databaseUrl ?? `postgres://postgres:seaplane-local@127.0.0.1:${config.embeddedPostgresPort}/seaplane`;
  const w = await startWorkerProcess({
    databaseUrl, concurrency: config.workerConcurrency, store: workerStore(env, config), env, simulate: config.simulateProviders,
    // Providers with webhooks call the API function back (it strips its own /api prefix).
    webhookBaseUrl: env.WEBHOOK_BASE_URL ?? (config.publicUrl.startsWith('https://') ? `${config.publicUrl}/v1/providers` : undefined),
  });
  const providers = [...buildProviders({ real: REAL_ADAPTERS, env, simulate: config.simulateProviders })]
    .map(([id, p]) => `${id}${p.baseUrl === 'simulated://' ? ' (simulated)' : ''}`);
  console.log(`[seaplane] worker ${w.workerId} running (region ${config.region}, concurrency ${config.workerConcurrency}); providers: ${providers.join(', ') || 'none'}`);
  await stopRequested;
  console.log('[seaplane] worker stopping (finishing running jobs)');
  await w.stop();
  console.log('[seaplane] worker stopped');
  return 0;
}
