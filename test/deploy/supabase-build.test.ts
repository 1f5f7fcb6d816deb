// `npm run supabase:build` output, checked the way a deploy would use it: its migrations alone
// build a fresh database that already has the Supabase roles (as a Supabase project does), the
// roles see only what the grants file allows, and its API function (with its deno.json import
// map) boots under Deno offline and serves a generation end to end, with a Node worker that
// installs graphile-worker's schema on start, as `seaplane worker` does on Supabase.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BOOTSTRAP_MIGRATION, buildSupabase, type BuildResult, definitionsDrift, WORKER_SCHEMA_MIGRATION } from '../../src/cli/supabase-build.ts';
import { startWorkerProcess } from '../../src/cli/worker.ts';
import { createDb } from '../../src/db/kysely.ts';
import { readMigrations } from '../../src/db/migrate.ts';
import { createPool } from '../../src/db/pool.ts';
import { freePort } from '../../src/lib/net.ts';
import { createAccount, createKey } from '../../src/ops/accounts.ts';
import { LocalDiskStore } from '../../src/storage/local.ts';
import { call, waitForTerminal } from '../contract/target.ts';
import { ROOT, startDenoFunction } from '../deno/deno.ts';
import { track, untrack } from '../helpers/leaks.ts';
import { expectedServiceRolePrivileges, privilegesOf } from '../roles/privileges.ts';

let outDir: string;
let build: BuildResult;
let pool: pg.Pool;
let databaseUrl: string;

/** How many schema steps the installed graphile-worker ships. */
const workerSteps = async () => (await readdir(join(ROOT, 'node_modules', 'graphile-worker', 'sql'))).filter((f) => /^\d{6}\.sql$/.test(f)).length;

async function freshDatabase(): Promise<string> {
  const adminUrl = inject('pgAdminUrl');
  const name = `deploy_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = createPool(adminUrl, { max: 1 });
  try {
    await admin.query(`create database ${name}`);
    // anon, authenticated and service_role are cluster-wide and exist here already, as on Supabase.
    const roles = await admin.query<{ rolname: string }>("select rolname from pg_roles where rolname in ('anon', 'authenticated', 'service_role') order by 1");
    expect(roles.rows.map((r) => r.rolname)).toEqual(['anon', 'authenticated', 'service_role']);
  } finally {
    await admin.end();
  }
  return adminUrl.replace(/\/postgres$/, `/${name}`);
}

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'seaplane-supabase-build-'));
  build = await buildSupabase({ outDir, allowDrift: true });
  databaseUrl = await freshDatabase();
  pool = track(createPool(databaseUrl, { max: 4 }), 'deploy database pool');
});

afterAll(async () => {
  untrack(pool);
  await pool?.end();
  await rm(outDir, { recursive: true, force: true });
});

describe('npm run supabase:build', () => {
  it('writes the bootstrap and graphile-worker schema migrations first, then every repository migration verbatim, in order', async () => {
    const repo = await readMigrations();
    expect(build.migrations).toEqual([BOOTSTRAP_MIGRATION, WORKER_SCHEMA_MIGRATION, ...repo.map((m) => m.name)]);
    for (const m of repo) expect(await readFile(join(outDir, 'supabase', 'migrations', m.name), 'utf8')).toBe(m.sql);
    const bootstrap = await readFile(join(outDir, 'supabase', 'migrations', BOOTSTRAP_MIGRATION), 'utf8');
    expect(bootstrap).toContain(await readFile(join(ROOT, 'src', 'db', 'bootstrap.sql'), 'utf8').then((s) => s.trim()));
  });

  it('wires both functions in config.toml with entrypoint, import map and verify_jwt = false, and pins npm imports to the installed versions', async () => {
    const toml = await readFile(join(outDir, 'supabase', 'config.toml'), 'utf8');
    const lock = JSON.parse(await readFile(join(ROOT, 'package-lock.json'), 'utf8'));
    for (const fn of ['api', 'stripe-webhook']) {
      expect(toml).toContain(`[functions.${fn}]\nenabled = true\n# Seaplane authenticates with its own API keys (and Stripe signs its webhooks).\nverify_jwt = false\nentrypoint = "./functions/${fn}/index.ts"\nimport_map = "./functions/${fn}/deno.json"`);
      const map = JSON.parse(await readFile(join(outDir, 'supabase', 'functions', fn, 'deno.json'), 'utf8')).imports as Record<string, string>;
      for (const pkg of ['hono', 'kysely', 'pg', 'zod', '@supabase/supabase-js']) {
        expect(map[pkg]).toBe(`npm:${pkg}@${lock.packages[`node_modules/${pkg}`].version}`);
      }
      expect(Object.values(map).every((v) => v.startsWith('npm:'))).toBe(true);
    }
  });

  it('`seaplane supabase build --allow-drift --out <dir>` (what `npm run supabase:build` runs) writes the bundle and says what to run next', async () => {
    const out = await mkdtemp(join(tmpdir(), 'seaplane-cli-build-'));
    try {
      const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'seaplane.js'), 'supabase', 'build', '--allow-drift', '--out', out], { cwd: ROOT, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/function api: \d+ modules, npm: .*hono/);
      expect(r.stdout).toContain('supabase db push && supabase functions deploy');
      const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
      expect(manifest.migrations).toEqual(build.migrations);
      // a rebuild replaces an earlier build, but never a folder that holds something else
      expect(spawnSync(process.execPath, [join(ROOT, 'bin', 'seaplane.js'), 'supabase', 'build', '--allow-drift', '--out', out], { cwd: ROOT }).status).toBe(0);
      const other = join(out, 'supabase');
      const refused = spawnSync(process.execPath, [join(ROOT, 'bin', 'seaplane.js'), 'supabase', 'build', '--allow-drift', '--out', other], { cwd: ROOT, encoding: 'utf8' });
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain('is not empty and holds no earlier build');
      expect((await readdir(other)).sort()).toEqual(['config.toml', 'functions', 'migrations', 'src']);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it('the repository\'s supabase/config.toml wires both functions (entrypoints that exist, verify_jwt = false)', async () => {
    const toml = await readFile(join(ROOT, 'supabase', 'config.toml'), 'utf8');
    for (const fn of ['api', 'stripe-webhook']) {
      const section = new RegExp(`\\[functions\\.${fn}\\]\\n(?:.*\\n)*?verify_jwt = false\\nentrypoint = "\\.\\./functions/${fn}/index\\.ts"`);
      expect(toml).toMatch(section);
      await readFile(join(ROOT, 'functions', fn, 'index.ts'), 'utf8');
    }
  });

  it('refuses to build while sql/ holds definitions no migration carries (unless --allow-drift)', () => {
    const migrations = [{ name: '1_snap.sql', sql: '-- header\n\n-- sql/a/f.sql\ncreate function f();\n\n-- sql/a/g.sql\nselect 1;\n' }];
    expect(definitionsDrift(migrations, [{ name: 'a/f.sql', sql: 'create function f();\n' }, { name: 'a/g.sql', sql: 'select 1;' }])).toEqual([]);
    expect(definitionsDrift(migrations, [{ name: 'a/f.sql', sql: 'create function f(int);' }, { name: 'a/h.sql', sql: 'x' }])).toEqual([
      'sql/a/f.sql: changed since the newest snapshot migration',
      'sql/a/h.sql: not in the newest snapshot migration',
      'sql/a/g.sql: removed since the newest snapshot migration',
    ]);
  });

  it('its migrations alone apply cleanly, each in its own transaction, to a fresh database with the Supabase roles', async () => {
    for (const name of build.migrations) {
      const sql = await readFile(join(outDir, 'supabase', 'migrations', name), 'utf8');
      const client = await pool.connect();
      try {
        await client.query('begin');
        await client.query(sql).catch((err: Error) => Promise.reject(new Error(`${name}: ${err.message}`)));
        await client.query('commit');
      } finally {
        client.release();
      }
    }
    const { rows } = await pool.query<{ proname: string }>("select proname from pg_proc where pronamespace = 'api'::regnamespace order by 1");
    const names = rows.map((r) => r.proname);
    for (const fn of ['account_create', 'apikey_create', 'apikey_authenticate', 'generation_create', 'credits_grant']) expect(names).toContain(fn);
    // graphile-worker's bookkeeping says every step of the installed release is applied
    const gw = await pool.query<{ n: number }>('select count(*)::int as n from graphile_worker.migrations');
    expect(gw.rows[0]?.n).toBe(await workerSteps());
  });

  it('applying the graphile-worker schema migration again changes nothing (a worker that started first does no harm)', async () => {
    const sql = await readFile(join(outDir, 'supabase', 'migrations', WORKER_SCHEMA_MIGRATION), 'utf8');
    await pool.query(sql);
    const gw = await pool.query<{ n: number }>('select count(*)::int as n from graphile_worker.migrations');
    expect(gw.rows[0]?.n).toBe(await workerSteps());
  });

  it('on that database anon and authenticated hold nothing of ours and service_role holds exactly the grants file', async () => {
    const client = await pool.connect();
    try {
      expect(await privilegesOf(client, 'anon')).toEqual([]);
      expect(await privilegesOf(client, 'authenticated')).toEqual([]);
      expect((await privilegesOf(client, 'service_role')).sort()).toEqual((await expectedServiceRolePrivileges(client)).sort());
    } finally {
      client.release();
    }
  });

  it('its API function boots under Deno from the build folder with its import map and serves a generation end to end', async () => {
    // On Supabase the npm: imports are fetched at deploy; here they resolve from node_modules.
    await symlink(join(ROOT, 'node_modules'), join(outDir, 'node_modules'));
    await writeFile(join(outDir, 'package.json'), JSON.stringify({ type: 'module', dependencies: Object.fromEntries(Object.entries(build.imports).map(([k, v]) => [k, v.slice(v.lastIndexOf('@') + 1)])) }));
    const storageDir = await mkdtemp(join(tmpdir(), 'seaplane-deploy-files-'));
    const port = await freePort();
    const deno = await startDenoFunction(join(outDir, 'supabase', 'functions', 'api', 'index.ts'),
      { DATABASE_URL: databaseUrl, PORT: String(port), STORAGE_DIR: storageDir },
      ['--config', join(outDir, 'supabase', 'functions', 'api', 'deno.json'), '--allow-net', '--allow-env', '--allow-read', `--allow-write=${storageDir}`]);
    const worker = await startWorkerProcess({ databaseUrl, concurrency: 2, store: new LocalDiskStore(storageDir, deno.url), env: {}, simulate: true });
    try {
      const db = createDb(pool);
      const accountId = await createAccount(db, { name: 'deployed', freeMicrocredits: 1_000_000 });
      const apiKey = (await createKey(db, { accountId })).api_key;
      const target = { url: `${deno.url}/api`, apiKey }; // as on Supabase: the function's name prefixes the path
      const created = await call(target, 'POST', '/v1/generate/image/bfl/flux-schnell', { body: { generation_prompt: 'deployed' } });
      expect(created.status, `${JSON.stringify(created.json)}\n${build.drift.length ? `sql/ drift at build time: ${build.drift.join('; ')}` : ''}`).toBe(200);
      expect(await waitForTerminal(db, worker.events, created.json.data.generation_id)).toBe('succeeded');
    } finally {
      await worker.stop();
      await deno.stop();
      await rm(storageDir, { recursive: true, force: true });
    }
  });
});
