// The API edge function (functions/api/index.ts) served by Deno from the `deno` npm package,
// offline, against a cloned test database; the same contract cases as the Node stack run through
// it. Generations complete because a Node worker (the `seaplane worker` code) runs beside it on
// the same database and storage folder: on Supabase too the edge serves only the API.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkerProcess, type WorkerProcess } from '../../src/cli/worker.ts';
import { createDb, type Db } from '../../src/db/kysely.ts';
import { createPool, type Pool } from '../../src/db/pool.ts';
import { freePort } from '../../src/lib/net.ts';
import { createAccount, createKey } from '../../src/ops/accounts.ts';
import { LocalDiskStore } from '../../src/storage/local.ts';
import { defineContractTests } from '../contract/cases.ts';
import { call, type ContractTarget, waitForTerminal } from '../contract/target.ts';
import { cloneTemplate } from '../helpers/db.ts';
import { type DenoServer, processUsage, startDenoFunction } from './deno.ts';

let deno: DenoServer;
let worker: WorkerProcess;
let pool: Pool;
let db: Db;
let storageDir: string;
let target: ContractTarget;

beforeAll(async () => {
  const databaseUrl = await cloneTemplate();
  storageDir = await mkdtemp(join(tmpdir(), 'seaplane-edge-files-'));
  pool = createPool(databaseUrl, { max: 4 });
  db = createDb(pool);
  const port = await freePort();
  deno = await startDenoFunction('functions/api/index.ts', { DATABASE_URL: databaseUrl, PORT: String(port), STORAGE_DIR: storageDir, REGION: 'us' },
    ['--allow-net', '--allow-env', '--allow-read', `--allow-write=${storageDir}`]);
  console.log(`deno edge function ready in ${deno.startupMs} ms`);
  worker = await startWorkerProcess({ databaseUrl, concurrency: 4, store: new LocalDiskStore(storageDir, deno.url), env: {}, simulate: true });
  const accountId = await createAccount(db, { name: 'edge', freeMicrocredits: 10_000_000 });
  target = {
    runtime: 'deno', url: deno.url, db, accountId, apiKey: (await createKey(db, { accountId })).api_key,
    newKey: async (scopes, expiresAt) => (await createKey(db, { accountId, scopes, expiresAt })).api_key,
    waitForTerminal: (id) => waitForTerminal(db, worker.events, id),
  };
});

afterAll(async () => {
  await deno?.stop();
  await worker?.stop();
  await pool?.end();
  if (storageDir) await rm(storageDir, { recursive: true, force: true });
});

describe('HTTP contract, served by the API edge function under Deno', () => {
  defineContractTests(() => target);

  it('the edge function also answers under its Supabase path prefix (/api/v1/...)', async () => {
    const r = await fetch(`${deno.url}/api/v1/content/list`, { headers: { authorization: `Bearer ${target.apiKey}` } });
    expect(r.status).toBe(200);
    expect((await r.json()).status).toBe('success');
  });

  it('the server that answered is Deno, not Node (the X-Request-Id comes from the same app)', async () => {
    expect(deno.output()).toContain('seaplane api (edge) listening on');
    const r = await fetch(`${deno.url}/v1/no-such-endpoint`);
    await r.arrayBuffer();
    expect(r.headers.get('x-request-id')).toMatch(/^req_/);
  });

  it('fits the edge limits with room to spare: 40 generate requests use far less than 2 s CPU each, and memory stays under 256 MB', async () => {
    const before = await processUsage(deno.pid);
    for (let i = 0; i < 40; i++) {
      expect((await call(target, 'POST', '/v1/generate/image/bfl/flux-schnell', { body: { generation_prompt: `cpu ${i}` } })).status).toBe(200);
    }
    const after = await processUsage(deno.pid);
    const cpuPerRequestMs = (after.cpuMs - before.cpuMs) / 40;
    console.log(`deno edge function: ${cpuPerRequestMs.toFixed(1)} ms CPU per generate request (process total, 10 ms ticks), RSS ${after.rssMb} MB`);
    expect(cpuPerRequestMs).toBeLessThan(200);
    expect(after.rssMb).toBeLessThan(256);
  });
});
