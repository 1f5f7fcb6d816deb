// Handler tests with a real database: the app's fetch handler (no server) creates a generation,
// reads it back and lists it. Written for vitest; `deno test` runs it through test/deno/shim.ts,
// with pg and kysely under Deno's npm compatibility, against a database cloned from the template.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/api/app.ts';
import { MemoryRateLimiter } from '../../../src/api/rate-limit.ts';
import { createDb, type Db } from '../../../src/db/kysely.ts';
import { createPool, type Pool } from '../../../src/db/pool.ts';
import { createAccount, createKey } from '../../../src/ops/accounts.ts';
import { cloneTemplate } from '../../helpers/db.ts';
import { MemoryStore } from './memory-store.ts';

let pool: Pool;
let db: Db;
let app: ReturnType<typeof createApp>;
let apiKey: string;
let accountId: string;

beforeAll(async () => {
  pool = createPool(await cloneTemplate(), { max: 4 });
  db = createDb(pool);
  app = createApp({
    db, store: new MemoryStore(), region: 'us', apiKeyPrefix: 'bye_', clock: () => new Date(),
    rateLimiter: new MemoryRateLimiter(), maxBodyBytes: 256 * 1024, providersWithCancel: [],
  });
  accountId = await createAccount(db, { name: 'handler', freeMicrocredits: 1_000_000 });
  apiKey = (await createKey(db, { accountId })).api_key;
});
afterAll(async () => {
  await pool.end();
});

async function send(method: string, path: string, body?: unknown) {
  const res = await app.fetch(new Request(`http://seaplane.test${path}`, {
    method, headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  }));
  return { status: res.status, json: await res.json() };
}

describe('generate, get and list (handler level, real database)', () => {
  it('POST /v1/generate creates a pending generation that GET /v1/content/{id} and the list return', async () => {
    const created = await send('POST', '/v1/generate/image/bfl/flux-schnell', { generation_prompt: 'handler test' });
    expect(created.status).toBe(200);
    expect(created.json.data).toMatchObject({ model_identifier: 'bfl/flux-schnell', generation_initialized: true });
    const id = created.json.data.generation_id as string;
    const got = await send('GET', `/v1/content/${id}`);
    expect(got.status).toBe(200);
    expect(got.json.data).toMatchObject({ account_id: accountId, generation_id: id, generation_status: 'pending' });
    const list = await send('GET', '/v1/content/list');
    expect(list.json).toMatchObject({ status: 'success', total: 1, limit: 50, offset: 0 });
  });

  it('an invalid body is 422 BSE2003 and names the field', async () => {
    const r = await send('POST', '/v1/generate/image/bfl/flux-schnell', { generation_prompt: '' });
    expect(r.status).toBe(422);
    expect(r.json.error.code).toBe('BSE2003');
    expect(r.json.error.message).toContain('generation_prompt');
  });
});
