// Builds the API for a Supabase edge function (Deno): the same runtime-neutral app the Node
// server runs, with edge dependencies. One pg pool per isolate, created on first import and kept
// for the isolate's life (an isolate serves many requests; Supabase recycles it after its wall
// clock limit). Through Supabase's pooler in transaction mode this works because node-postgres
// sends unnamed statements only (no prepared statements), and the API never LISTENs.
import Stripe from 'stripe';
import { createApp } from '../../src/api/app.ts';
import { defaultRateLimiter } from '../../src/api/rate-limit-redis.ts';
import { PROVIDERS } from '../../src/catalog/providers.ts';
import { PROVIDER_IDS } from '../../src/catalog/types.ts';
import { loadConfig } from '../../src/config.ts';
import { createDb } from '../../src/db/kysely.ts';
import { createPool } from '../../src/db/pool.ts';
import { stripeConfigFromEnv } from '../../src/ledger/stripe.ts';
import { SupabaseStorageStore, supabaseServerKey } from '../../src/storage/supabase.ts';
import type { ArtifactStore } from '../../src/storage/types.ts';

type Env = Record<string, string | undefined>;

/**
 * DATABASE_URL (set it to the pooler's transaction-mode URL, port 6543) wins over
 * SUPABASE_DB_URL, which Supabase injects into every function (a direct connection).
 */
export function edgeDatabaseUrl(env: Env): string {
  const url = env.DATABASE_URL || env.SUPABASE_DB_URL;
  if (!url) throw new Error('set DATABASE_URL (the pooler URL, transaction mode) or SUPABASE_DB_URL');
  return url;
}

/**
 * Supabase Storage when the function runs on Supabase (SUPABASE_URL and a server key are injected
 * there, see supabaseServerKey); the local-disk store when STORAGE_DIR is set (tests and `deno run` locally).
 * The local store is imported lazily so node:fs is never loaded on the Supabase path.
 */
export async function edgeStore(env: Env, publicUrl: string): Promise<ArtifactStore> {
  if (env.STORAGE_DIR) {
    const { LocalDiskStore } = await import('../../src/storage/local.ts');
    return new LocalDiskStore(env.STORAGE_DIR, publicUrl);
  }
  const key = supabaseServerKey(env);
  if (env.SUPABASE_URL && key) {
    return new SupabaseStorageStore({
      url: env.SUPABASE_URL, serviceRoleKey: key, bucket: env.STORAGE_BUCKET ?? 'seaplane-artifacts',
      publicBaseUrl: env.STORAGE_PUBLIC_URL,
    });
  }
  throw new Error('no artifact store: set SUPABASE_URL and a server key (Supabase Storage) or STORAGE_DIR');
}

/** Providers whose cancel API Seaplane calls (from the catalog: the edge never loads adapters). */
export const PROVIDERS_WITH_CANCEL = PROVIDER_IDS.filter((id) => PROVIDERS[id].cancel_method !== null);

export async function createEdgeApp(env: Env) {
  const config = loadConfig(env);
  // Few connections per isolate: the pooler multiplexes them; many isolates run at once.
  const pool = createPool(edgeDatabaseUrl(env), { max: Number(env.EDGE_DB_POOL_MAX ?? 3), applicationName: `seaplane-edge-${config.region}` });
  const store = await edgeStore(env, config.publicUrl);
  // the pooler (transaction mode) does not keep a connection's prepared statements
  const db = createDb(pool, { preparedStatements: false });
  const stripe = stripeConfigFromEnv(env, Stripe);
  const app = createApp({
    db, store, region: config.region, apiKeyPrefix: config.apiKeyPrefix, clock: () => new Date(),
    // Shared limits through Upstash Redis when configured; an isolate's own counters otherwise
    // (per isolate, so the effective limit grows with the number of warm isolates).
    rateLimiter: defaultRateLimiter(env, db), maxBodyBytes: 256 * 1024, providersWithCancel: PROVIDERS_WITH_CANCEL,
    ...(stripe ? { stripe } : {}),
  });
  return { app, pool, config };
}

/**
 * On Supabase a function sees its own name as the first path segment (`/api/v1/content/list`
 * for https://<ref>.supabase.co/functions/v1/api/v1/content/list). Contract paths never start
 * with it, so it is stripped when present; served directly (tests, `deno run`) nothing changes.
 */
export function stripFunctionPrefix(name: string, handler: (req: Request) => Response | Promise<Response>) {
  const prefix = `/${name}`;
  return (req: Request): Response | Promise<Response> => {
    const url = new URL(req.url);
    if (url.pathname !== prefix && !url.pathname.startsWith(`${prefix}/`)) return handler(req);
    url.pathname = url.pathname.slice(prefix.length) || '/';
    return handler(new Request(url, req));
  };
}

/** The line a function prints when it listens (tests wait for it instead of sleeping). */
export function listenOptions(env: Env, what: string) {
  const port = env.PORT ? Number(env.PORT) : undefined;
  return {
    ...(port !== undefined ? { port, hostname: env.HOST ?? '127.0.0.1' } : {}),
    onListen: ({ hostname, port: p }: { hostname: string; port: number }) => console.log(`seaplane ${what} (edge) listening on http://${hostname}:${p}`),
  };
}
