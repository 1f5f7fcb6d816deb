// Configuration from the environment, read once at start. Every knob is in the README's table.
import { REGIONS, type Region } from './catalog/types.ts';

/**
 * graphile-worker jobs one worker process runs at once. A job carries up to 8 attempts that were
 * due together (api.attempts_dispatch), so up to 128 attempts run at once; attempts running
 * together share batched database calls (src/worker/attempt-batch.ts). With zero-latency
 * providers 16 and 32 drained alike with the store on tmpfs; 32 did better with the store on
 * the database's disk but wants 36 connections per worker (docs/capacity.md).
 */
export const DEFAULT_WORKER_CONCURRENCY = 16;

export interface Config {
  /** External Postgres; unset means the embedded default. */
  databaseUrl: string | undefined;
  host: string;
  port: number;
  /** The base URL clients reach the API at (output file URLs are built from it). */
  publicUrl: string;
  region: Region;
  dataDir: string;
  embeddedPostgresPort: number;
  apiKeyPrefix: string;
  /** Credits a new account gets, in micro-credits. */
  freeMicrocredits: number;
  /** Serve providers without credentials with their simulated twins. */
  simulateProviders: boolean;
  workerConcurrency: number;
  storageDir: string;
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got ${JSON.stringify(raw)}`);
  return n;
}

export function loadConfig(env: Env = process.env): Config {
  const region = (env.REGION ?? 'us') as Region;
  if (!REGIONS.includes(region)) throw new Error(`REGION must be one of ${REGIONS.join(', ')}, got ${JSON.stringify(env.REGION)}`);
  const host = env.HOST ?? '127.0.0.1';
  const port = int(env, 'PORT', 8787);
  const dataDir = env.SEAPLANE_DATA_DIR ?? '.seaplane';
  const prefix = env.API_KEY_PREFIX ?? 'bye_';
  if (!/^[a-z]{2,8}_$/.test(prefix)) throw new Error(`API_KEY_PREFIX must look like "bye_", got ${JSON.stringify(prefix)}`);
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    host,
    port,
    publicUrl: (env.PUBLIC_URL ?? `http://${host}:${port}`).replace(/\/+$/, ''),
    region,
    dataDir,
    embeddedPostgresPort: int(env, 'EMBEDDED_POSTGRES_PORT', 54329),
    apiKeyPrefix: prefix,
    freeMicrocredits: Math.round(Number(env.FREE_CREDITS ?? '1') * 1_000_000),
    simulateProviders: (env.SIMULATE_PROVIDERS ?? 'true') !== 'false',
    workerConcurrency: int(env, 'WORKER_CONCURRENCY', DEFAULT_WORKER_CONCURRENCY),
    storageDir: env.STORAGE_DIR ?? `${dataDir}/files`,
  };
}
