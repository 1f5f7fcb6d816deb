// `npm start`: the embedded default. Starts Postgres (or uses DATABASE_URL), migrates, seeds a
// development account and a fresh development key, serves the API with an in-process worker and
// the simulated provider fleet, and prints a curl that works. Ctrl-C stops everything.
import { join, resolve } from 'node:path';
import pg from 'pg';
import { toCredits } from '../catalog/pricing.ts';
import { loadConfig } from '../config.ts';
import { createDb } from '../db/kysely.ts';
import { migrate } from '../db/migrate.ts';
import { createPool } from '../db/pool.ts';
import { type RunningPostgres, startEmbeddedPostgres } from '../embedded/postgres.ts';
import { createAccount, createKey } from '../ops/accounts.ts';
import { startStack } from '../stack.ts';
import { REAL_ADAPTERS } from '../providers/index.ts';

const DEV_ACCOUNT = 'development';
const DEV_CREDITS_MICRO = 10_000_000;

async function ensureDatabase(maintenanceUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: maintenanceUrl });
  await client.connect();
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`create database ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

export async function startCommand(): Promise<number> {
  const started = performance.now();
  const config = loadConfig();
  const log = (line: string) => console.log(`[seaplane] ${line}`);
  let embedded: RunningPostgres | undefined;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: resolve(config.dataDir, 'pg'), port: config.embeddedPostgresPort, log });
    await ensureDatabase(embedded.url, 'seaplane');
    databaseUrl = embedded.urlFor('seaplane');
    log(`embedded Postgres 17 on 127.0.0.1:${config.embeddedPostgresPort} (data in ${join(config.dataDir, 'pg')})`);
  }
  try {
    return await serve(config, databaseUrl, embedded, started, log);
  } catch (err) {
    await embedded?.stop();
    throw err;
  }
}

async function serve(config: ReturnType<typeof loadConfig>, databaseUrl: string, embedded: RunningPostgres | undefined, started: number, log: (line: string) => void): Promise<number> {
  const pool = createPool(databaseUrl, { max: 2, applicationName: 'seaplane-start' });
  const db = createDb(pool);
  let devKey: string;
  let balance: number;
  try {
    await migrate(pool, { log });
    let account = await db.selectFrom('api.accounts_v').select(['account_id', 'available_microcredits']).where('name', '=', DEV_ACCOUNT).executeTakeFirst();
    if (!account) {
      await createAccount(db, { name: DEV_ACCOUNT, freeMicrocredits: DEV_CREDITS_MICRO });
      account = await db.selectFrom('api.accounts_v').select(['account_id', 'available_microcredits']).where('name', '=', DEV_ACCOUNT).executeTakeFirstOrThrow();
    }
    const key = await createKey(db, {
      accountId: account.account_id, name: `npm start ${new Date().toISOString()}`, prefix: config.apiKeyPrefix, regions: [config.region],
      expiresAt: new Date(Date.now() + 7 * 86_400_000),
    });
    devKey = key.api_key;
    balance = toCredits(account.available_microcredits ?? 0);
  } finally {
    await pool.end();
  }

  const stack = await startStack({
    databaseUrl, host: config.host, port: config.port, publicUrl: config.publicUrl, region: config.region, apiKeyPrefix: config.apiKeyPrefix,
    storageDir: config.storageDir, worker: { concurrency: config.workerConcurrency }, realAdapters: REAL_ADAPTERS, env: process.env,
    simulate: config.simulateProviders,
    // providers can only call back to a public https URL; otherwise attempts are polled
    webhookBaseUrl: config.publicUrl.startsWith('https://') ? `${config.publicUrl}/v1/providers` : undefined,
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`
Seaplane is running (ready in ${seconds} s, region ${config.region}).

  API:      ${stack.url}
  API key:  ${devKey}
            (a development key for the "${DEV_ACCOUNT}" account, ${balance} credits; shown once,
             stored hashed, valid 7 days; a new one is made at every start)

Try it:

  curl -s -X POST ${stack.url}/v1/generate/image/bfl/flux-schnell \\
    -H "Authorization: Bearer ${devKey}" -H "Content-Type: application/json" \\
    -d '{"generation_prompt":"a seaplane over a calm bay at dawn"}'

  curl -s ${stack.url}/v1/content/<generation_id> -H "Authorization: Bearer ${devKey}"

Providers without credentials are served by their simulated twins. Ctrl-C stops everything.
`);

  await new Promise<void>((resolveStop) => {
    const stop = () => resolveStop();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  log('stopping');
  await stack.close();
  await embedded?.stop();
  log('stopped');
  return 0;
}
