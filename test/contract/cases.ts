// The HTTP contract cases, run unchanged against the Node stack (node.test.ts) and against the API
// edge function served by Deno (../deno/edge-function.test.ts): one list, two runtimes, so a
// difference between them is a failing test. Cases share one account and run in order.
import { expect, it } from 'vitest';
import { parsePng } from '../helpers/media.ts';
import { call, type ContractTarget, type Reply } from './target.ts';

export interface ContractCase {
  name: string;
  run(t: ContractTarget): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function expectError(r: Reply, status: number, code: string): void {
  expect(r.status, JSON.stringify(r.json)).toBe(status);
  expect(r.json).toMatchObject({ status: 'error', request_id: expect.stringMatching(/^req_/), error: { code, type: expect.any(String), message: expect.any(String), retryable: expect.any(Boolean) } });
  expect(r.headers.get('x-request-id')).toBe(r.json.request_id);
}

function expectCommonHeaders(r: Reply): void {
  expect(r.headers.get('access-control-allow-origin')).toBe('*');
  expect(r.headers.get('access-control-expose-headers')).toContain('X-RateLimit-Remaining');
  expect(Number(r.headers.get('x-ratelimit-limit'))).toBeGreaterThan(0);
  expect(r.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
  expect(Number(r.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000 - 1);
}

export const CONTRACT_CASES: readonly ContractCase[] = [
  {
    name: 'generate -> get -> list: an image generation succeeds, its PNG downloads, and the list shows it',
    async run(t) {
      const created = await call(t, 'POST', '/v1/generate/image/bfl/flux-schnell', { body: { generation_prompt: 'a seaplane at dawn' } });
      expect(created.status, JSON.stringify(created.json)).toBe(200);
      expect(created.json).toMatchObject({ status: 'success', request_id: expect.stringMatching(/^req_/), data: { model_identifier: 'bfl/flux-schnell', generation_initialized: true } });
      expectCommonHeaders(created);
      const id = created.json.data.generation_id as string;
      expect(id).toMatch(UUID);
      expect(await t.waitForTerminal(id)).toBe('succeeded');

      const got = await call(t, 'GET', `/v1/content/${id}`);
      expect(got.status).toBe(200);
      expect(got.json.data).toMatchObject({ account_id: t.accountId, generation_id: id, generation_status: 'succeeded', generation_output_format: 'png' });
      const fileUrl = got.json.data.generation_output_file[0] as string;
      expect(fileUrl.startsWith(t.url)).toBe(true);
      const file = await fetch(fileUrl);
      expect(file.status).toBe(200);
      expect(file.headers.get('content-type')).toBe('image/png');
      expect(parsePng(new Uint8Array(await file.arrayBuffer())).width).toBeGreaterThan(0);

      const list = await call(t, 'GET', '/v1/content/list?limit=10&offset=0');
      expect(list.status).toBe(200);
      expect(list.json).toMatchObject({ status: 'success', limit: 10, offset: 0 });
      expect(list.json.total).toBeGreaterThanOrEqual(1);
      expect(list.json.data.generations.map((g: { generation_id: string }) => g.generation_id)).toContain(id);
    },
  },
  {
    name: 'the same Idempotency-Key and body replays the first result; a different body is 409 BSE2015',
    async run(t) {
      const key = `contract-${t.runtime}-${crypto.randomUUID()}`;
      const body = { generation_prompt: 'idempotent', generation_output_number: 1 };
      const first = await call(t, 'POST', '/v1/generate/image/bfl/flux-schnell', { body, headers: { 'idempotency-key': key } });
      expect(first.status).toBe(200);
      const again = await call(t, 'POST', '/v1/generate/image/bfl/flux-schnell', { body: { generation_output_number: 1, generation_prompt: 'idempotent' }, headers: { 'idempotency-key': key } });
      expect(again.status).toBe(200);
      expect(again.headers.get('idempotency-replayed')).toBe('true');
      expect(again.json.data.generation_id).toBe(first.json.data.generation_id);
      expectError(await call(t, 'POST', '/v1/generate/image/bfl/flux-schnell', { body: { generation_prompt: 'other' }, headers: { 'idempotency-key': key } }), 409, 'BSE2015');
      expect(await t.waitForTerminal(first.json.data.generation_id)).toBe('succeeded');
    },
  },
  {
    name: 'delete removes the generation; a later GET is 404 BSE2006',
    async run(t) {
      const created = await call(t, 'POST', '/v1/generate/image/bfl/flux-schnell', { body: { generation_prompt: 'to delete' } });
      const id = created.json.data.generation_id as string;
      expect(await t.waitForTerminal(id)).toBe('succeeded');
      const del = await call(t, 'DELETE', `/v1/content/${id}`);
      expect(del.status).toBe(200);
      expect(del.json.data).toMatchObject({ generation_id: id, files_deleted: 1 });
      expectError(await call(t, 'GET', `/v1/content/${id}`), 404, 'BSE2006');
    },
  },
  {
    name: 'auth failures: no key 401 BSE1001, unknown key 401 BSE1002, expired key 401 BSE1005, missing scope 403 BSE1006',
    async run(t) {
      const none = await call(t, 'GET', '/v1/content/list', { key: null });
      expectError(none, 401, 'BSE1001');
      expectCommonHeaders(none);
      expectError(await call(t, 'GET', '/v1/content/list', { key: `bye_${'x'.repeat(32)}` }), 401, 'BSE1002');
      const expired = await t.newKey(undefined, new Date(Date.now() - 60_000));
      expectError(await call(t, 'GET', '/v1/content/list', { key: expired }), 401, 'BSE1005');
      const monitor = await t.newKey(['health:read', 'library:read']);
      expectError(await call(t, 'POST', '/v1/generate/image/bfl/flux-schnell', { key: monitor, body: { generation_prompt: 'x' } }), 403, 'BSE1006');
    },
  },
  {
    name: 'request errors: invalid JSON 400 BSE2001, invalid fields 422 BSE2003, unknown model 404 BSE2004, unknown generation 404 BSE2006',
    async run(t) {
      expectError(await call(t, 'POST', '/v1/generate/image/bfl/flux-schnell', { body: '{"generation_prompt":' }), 400, 'BSE2001');
      const invalid = await call(t, 'POST', '/v1/generate/image/bfl/flux-schnell', { body: { generation_prompt: 'x', generation_output_number: 99 } });
      expectError(invalid, 422, 'BSE2003');
      expectError(await call(t, 'POST', '/v1/generate/image/nobody/no-such-model', { body: { generation_prompt: 'x' } }), 404, 'BSE2004');
      expectError(await call(t, 'GET', `/v1/content/${crypto.randomUUID()}`), 404, 'BSE2006');
    },
  },
  {
    name: 'routing: an unknown path is 404 BSE2007; a known path with the wrong method is 405 BSE2008 with Allow',
    async run(t) {
      const missing = await call(t, 'GET', '/v1/no-such-endpoint');
      expectError(missing, 404, 'BSE2007');
      expectCommonHeaders(missing);
      const wrong = await call(t, 'PUT', '/v1/content/list');
      expectError(wrong, 405, 'BSE2008');
      expect(wrong.headers.get('allow')).toContain('GET');
    },
  },
  {
    name: 'CORS: a preflight answers 200 with the allowed methods and headers, without a key',
    async run(t) {
      const res = await fetch(`${t.url}/v1/generate/image/bfl/flux-schnell`, {
        method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,idempotency-key' },
      });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('access-control-allow-methods')).toContain('POST');
      expect(res.headers.get('access-control-allow-headers')).toContain('Idempotency-Key');
    },
  },
  {
    name: 'every read endpoint answers 200 in the success envelope (status, account, billing, usage, estimate, library, health, OpenAPI)',
    async run(t) {
      const paths = ['/v1/status', '/v1/user/account', '/v1/user/billing', '/v1/usage', '/v1/estimate/bfl/flux-schnell', '/v1/library/providers',
        '/v1/library/models', '/v1/health/inference/providers', '/v1/health/inference/models', '/v1/health/storage', '/v1/health/cache'];
      for (const path of paths) {
        const r = await call(t, 'GET', path);
        expect(r.status, `${path}: ${JSON.stringify(r.json).slice(0, 300)}`).toBe(200);
        expect(r.json, path).toMatchObject({ status: 'success', request_id: r.headers.get('x-request-id'), data: expect.any(Object) });
        expectCommonHeaders(r);
      }
      const openapi = await call(t, 'GET', '/v1/openapi.json');
      expect(openapi.status).toBe(200);
      expect(Object.keys(openapi.json.paths ?? {}).length).toBeGreaterThan(10);
    },
  },
  {
    name: 'library and health answer in the success envelope (models listed, storage round trip healthy)',
    async run(t) {
      const models = await call(t, 'GET', '/v1/library/models');
      expect(models.status).toBe(200);
      expect(models.json.status).toBe('success');
      const storage = await call(t, 'GET', '/v1/health/storage');
      expect(storage.status).toBe(200);
      expect(storage.json.data).toMatchObject({ service: 'storage', healthy: true });
    },
  },
];

/** Registers every case as a test against the target the suite's beforeAll set up. */
export function defineContractTests(target: () => ContractTarget): void {
  for (const c of CONTRACT_CASES) it(c.name, () => c.run(target()));
}
