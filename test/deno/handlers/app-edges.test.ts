// Handler tests of the app's edges (no database reached): CORS preflight, unknown routes and
// methods, a missing key, and the headers every response carries. Written for vitest; also run
// by `deno test` through test/deno/shim.ts (see ../deno-runtime.test.ts).
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/api/app.ts';
import { MemoryRateLimiter } from '../../../src/api/rate-limit.ts';
import { createDb } from '../../../src/db/kysely.ts';
import { createPool } from '../../../src/db/pool.ts';
import { MemoryStore } from './memory-store.ts';

// A pool that is never connected: none of these requests reaches the database.
const pool = createPool('postgres://nobody:nothing@127.0.0.1:1/none', { max: 1 });
const app = createApp({
  db: createDb(pool), store: new MemoryStore(), region: 'us', apiKeyPrefix: 'bye_', clock: () => new Date(),
  rateLimiter: new MemoryRateLimiter(), maxBodyBytes: 1024, providersWithCancel: [],
});
afterAll(() => pool.end());
const request = (method: string, path: string, headers: Record<string, string> = {}) => app.fetch(new Request(`http://seaplane.test${path}`, { method, headers }));

describe('app edges (handler level)', () => {
  it('a CORS preflight answers 200 with the allowed methods and headers, without a key', async () => {
    const res = await request('OPTIONS', '/v1/generate/image/bfl/flux-schnell', { origin: 'https://app.example', 'access-control-request-method': 'POST' });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')).toContain('Idempotency-Key');
  });

  it('an unknown path is 404 BSE2007 in the error envelope, with rate-limit and CORS headers', async () => {
    const res = await request('GET', '/v1/nothing-here');
    expect(res.status).toBe(404);
    const body = await res.json();
    expect(body).toMatchObject({ status: 'error', request_id: expect.stringMatching(/^req_/), error: { code: 'BSE2007', retryable: false } });
    expect(res.headers.get('x-request-id')).toBe(body.request_id);
    expect(res.headers.get('x-ratelimit-limit')).toMatch(/^\d+$/);
    expect(res.headers.get('access-control-expose-headers')).toContain('X-Request-Id');
  });

  it('a known path with the wrong method is 405 BSE2008 and names the allowed methods', async () => {
    const res = await request('PUT', '/v1/content/list');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toContain('GET');
    expect((await res.json()).error.code).toBe('BSE2008');
  });

  it('a request without a key is 401 BSE1001 before anything else is looked at', async () => {
    const res = await request('GET', '/v1/content/list');
    expect(res.status).toBe(401);
    expect((await res.json()).error).toMatchObject({ code: 'BSE1001', type: 'missing_api_key' });
  });
});
