// The request-log writer: entries queued during a burst go out in a few batch transactions,
// flush() waits for them, a failing database drops (and counts) entries instead of throwing,
// and endpoint labels are route patterns, never raw paths.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointOf, type RequestLogEntry, RequestLogWriter } from '../../src/api/request-log.ts';
import { createDb } from '../../src/db/kysely.ts';
import { createPool } from '../../src/db/pool.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.close();
});

const entry = (i: number): RequestLogEntry => ({
  account_id: null, apikey_id: null, endpoint: '/v1/status', method: 'GET', http_status: 200, error_code: null, latency_ms: 1,
  sdk_name: null, sdk_version: null, sdk_runtime: null, sdk_runtime_version: null, user_agent: 'x'.repeat(600), request_id: `req_${i}`,
  created_at: new Date('2026-11-25T00:00:00Z').toISOString(),
});

describe('RequestLogWriter', () => {
  it('writes a burst of 1000 entries in at most two transactions (batches of 500), all of them, after flush()', async () => {
    const w = new RequestLogWriter(t.db);
    for (let i = 0; i < 1000; i++) w.add(entry(i));
    await w.flush();
    const r = await t.pool.query(`select count(*)::int as n, count(distinct xmin::text)::int as txns, max(length(user_agent))::int as ua from seaplane.request_log where request_id like 'req_%'`);
    expect(r.rows[0]).toEqual({ n: 1000, txns: 2, ua: 512 });
    expect(w.dropped).toBe(0);
  });

  it('drops and counts entries when the database refuses them, and never throws into the request path', async () => {
    const pool = createPool(t.url, { max: 1 });
    await pool.end();
    const errors: unknown[] = [];
    const w = new RequestLogWriter(createDb(pool), { onError: (e) => errors.push(e) });
    w.add(entry(1));
    w.add(entry(2));
    await w.flush();
    expect(w.dropped).toBe(2);
    expect(errors.length).toBeGreaterThan(0);
  });

  it('hands each write to waitUntil when given one (the edge runtime keeps the isolate alive)', async () => {
    const pending: Promise<unknown>[] = [];
    const w = new RequestLogWriter(t.db, { waitUntil: (p) => pending.push(p) });
    w.add(entry(3));
    expect(pending).toHaveLength(1);
    await Promise.all(pending);
    await w.flush();
  });
});

describe('endpointOf', () => {
  it.each([
    ['/v1/generate/image/bfl/flux-schnell', '/v1/generate/image/{model_identifier}'],
    ['/v1/generate/video/google/veo-2', '/v1/generate/video/{model_identifier}'],
    ['/v1/content/list', '/v1/content/list'],
    ['/v1/content/3f1d0c2e-0000-4000-8000-000000000000', '/v1/content/{generation_id}'],
    ['/v1/content/..%2F..%2Fetc', '/v1/content/{generation_id}'],
    ['/v1/content/generation/cancel/abc', '/v1/content/generation/cancel/{generation_id}'],
    ['/v1/estimate/bfl/flux-schnell', '/v1/estimate/{model_identifier}'],
    ['/v1/usage', '/v1/usage'],
    ['/v1/health/inference/models', '/v1/health/inference/models'],
    ['/v1/whatever/secret-id', 'other'],
  ])('%s is logged as %s', (path, label) => {
    expect(endpointOf(path)).toBe(label);
  });
});
