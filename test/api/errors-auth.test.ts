import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

let s: TestStack;
beforeAll(async () => {
  s = await startTestStack({ credits: 1, maxBodyBytes: 8 * 1024 });
});
afterAll(async () => {
  await s.close();
});

const counts = async () => {
  const g = await s.db.selectFrom('api.generations_v').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const a = await s.db.selectFrom('api.accounts_v').select(['available_microcredits', 'held_microcredits']).where('account_id', '=', s.accountId).executeTakeFirstOrThrow();
  return { generations: Number(g.n), available: a.available_microcredits, held: a.held_microcredits };
};

function expectError(r: { status: number; json: any; headers: Headers }, status: number, code: string, retryable = false) {
  expect(r.status).toBe(status);
  expect(r.json).toMatchObject({ status: 'error', request_id: expect.stringMatching(/^req_/), error: { code, type: expect.any(String), message: expect.any(String), retryable } });
  expect(r.headers.get('x-ratelimit-limit')).toMatch(/^\d+$/);
}

describe('authentication and scopes', () => {
  it('a request without a key is 401 BSE1001', async () => {
    expectError(await s.request('GET', '/v1/content/list', { key: null }), 401, 'BSE1001');
  });
  it('a malformed or unknown key is 401 BSE1002', async () => {
    expectError(await s.request('GET', '/v1/content/list', { key: 'bye_doesnotexist1234567890' }), 401, 'BSE1002');
    expectError(await s.request('GET', '/v1/content/list', { key: 'not-our-prefix' }), 401, 'BSE1002');
    expectError(await s.request('GET', '/v1/content/list', { headers: { authorization: 'Basic abc' }, key: null }), 401, 'BSE1001');
  });
  it('a revoked key is 401 BSE1003', async () => {
    const key = await s.newKey();
    const id = (await s.db.selectFrom('api.api_keys_v').select('apikey_id').orderBy('created_at', 'desc').executeTakeFirstOrThrow()).apikey_id;
    expect((await s.request('GET', '/v1/content/list', { key })).status).toBe(200);
    const { rpc } = await import('../../src/db/rpc.ts');
    await rpc(s.db, 'apikey_revoke', { p_apikey_id: id });
    expectError(await s.request('GET', '/v1/content/list', { key }), 401, 'BSE1003');
  });
  it('an expired key is 401 BSE1005', async () => {
    const key = await s.newKey(undefined, new Date(Date.now() - 1000));
    expectError(await s.request('GET', '/v1/content/list', { key }), 401, 'BSE1005');
  });
  it('a key without the endpoint scope is 403 BSE1006, and one with it passes', async () => {
    const key = await s.newKey(['generation:read']);
    expectError(await s.request('POST', '/v1/generate/image/bfl/flux-schnell', { key, body: { generation_prompt: 'x' } }), 403, 'BSE1006');
    expectError(await s.request('GET', '/v1/status', { key }), 403, 'BSE1006');
    expect((await s.request('GET', '/v1/content/list', { key })).status).toBe(200);
  });
  it('status describes the calling key and records its last use', async () => {
    const r = await s.request('GET', '/v1/status');
    expect(r.status).toBe(200);
    expect(r.json.data).toMatchObject({ account_id: s.accountId, apikey_id: expect.stringMatching(/^key_/), apikey_prefix: expect.stringMatching(/^bye_/) });
    expect(typeof r.json.data.apikey_last_used_at).toBe('string');
  });
});

describe('routes', () => {
  it('an unknown route is a JSON 404 BSE2007', async () => {
    expectError(await s.request('GET', '/v1/nope'), 404, 'BSE2007');
    expectError(await s.request('GET', '/', { key: null }), 404, 'BSE2007');
  });
  it('a known path with the wrong method is a JSON 405 BSE2008 with Allow', async () => {
    const r = await s.request('PUT', '/v1/content/list');
    expectError(r, 405, 'BSE2008');
    expect(r.headers.get('allow')).toContain('GET');
    expectError(await s.request('GET', '/v1/generate/image/bfl/flux-schnell'), 405, 'BSE2008');
  });
  it('an OPTIONS preflight answers with the contract CORS headers', async () => {
    const r = await fetch(`${s.url}/v1/content/list`, { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'GET' } });
    expect(r.status).toBe(200);
    expect(r.headers.get('access-control-allow-methods')).toContain('DELETE');
    expect(r.headers.get('access-control-allow-headers')).toContain('Idempotency-Key');
  });
  it('a generation id that is not a UUID, or belongs to another account, is 404 BSE2006', async () => {
    expectError(await s.request('GET', '/v1/content/not-a-uuid'), 404, 'BSE2006');
    const other = await s.newAccount(1);
    const created = await s.request('POST', '/v1/generate/image/bfl/flux-schnell', { key: other.apiKey, body: { generation_prompt: 'theirs' } });
    const id = created.json.data.generation_id as string;
    expectError(await s.request('GET', `/v1/content/${id}`), 404, 'BSE2006');
    expectError(await s.request('POST', `/v1/content/generation/cancel/${id}`), 404, 'BSE2006');
    expectError(await s.request('DELETE', `/v1/content/${id}`), 404, 'BSE2006');
    await s.waitForTerminal(id);
  });
});

describe('bad generate input creates nothing and charges nothing', () => {
  const cases: [string, () => Promise<{ status: number; json: any; headers: Headers }>, number, string][] = [
    ['malformed JSON', () => s.request('POST', '/v1/generate/image/bfl/flux-schnell', { body: '{"generation_prompt": ' }), 400, 'BSE2001'],
    ['a JSON array body', () => s.request('POST', '/v1/generate/image/bfl/flux-schnell', { body: '[1]' }), 400, 'BSE2001'],
    ['a wrong content type', () => s.request('POST', '/v1/generate/image/bfl/flux-schnell', { body: 'generation_prompt=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'BSE2002'],
    ['an unknown model', () => s.request('POST', '/v1/generate/image/acme/nothing', { body: { generation_prompt: 'x' } }), 404, 'BSE2004'],
    ['a model id without a lab', () => s.request('POST', '/v1/generate/image/flux-schnell', { body: { generation_prompt: 'x' } }), 404, 'BSE2004'],
    ['a video model on the image route', () => s.request('POST', '/v1/generate/image/google/veo-2', { body: { generation_prompt: 'x' } }), 400, 'BSE2005'],
    ['an image model on the video route', () => s.request('POST', '/v1/generate/video/bfl/flux-schnell', { body: { generation_prompt: 'x', generation_duration: 5 } }), 400, 'BSE2005'],
    ['an oversized body', () => s.request('POST', '/v1/generate/image/bfl/flux-schnell', { body: { generation_prompt: 'x'.repeat(20_000) } }), 413, 'BSE2009'],
    ['an unknown field', () => s.request('POST', '/v1/generate/image/bfl/flux-schnell', { body: { generation_prompt: 'x', colour: 'red' } }), 422, 'BSE2003'],
    ['a missing prompt', () => s.request('POST', '/v1/generate/image/bfl/flux-schnell', { body: {} }), 422, 'BSE2003'],
    ['a string where a number is meant', () => s.request('POST', '/v1/generate/image/bfl/flux-schnell', { body: { generation_prompt: 'x', generation_output_number: '1' } }), 422, 'BSE2003'],
    ['a bad Idempotency-Key', () => s.request('POST', '/v1/generate/image/bfl/flux-schnell', { body: { generation_prompt: 'x' }, headers: { 'idempotency-key': 'has spaces' } }), 400, 'BSE2011'],
    ['a video duration the model does not offer', () => s.request('POST', '/v1/generate/video/google/veo-2', { body: { generation_prompt: 'x', generation_duration: 3 } }), 422, 'BSE2003'],
  ];
  for (const [name, call, status, code] of cases) {
    it(`${name} is ${status} ${code}`, async () => {
      const before = await counts();
      expectError(await call(), status, code);
      expect(await counts()).toEqual(before);
    });
  }

  it('a route mismatch names the field to add or remove', async () => {
    const r = await s.request('POST', '/v1/generate/image/google/veo-2', { body: { generation_prompt: 'x' } });
    expect(r.json.error.message).toContain('generation_duration is required');
  });

  it('validation reports every problem at once, with the field named', async () => {
    const r = await s.request('POST', '/v1/generate/image/bfl/flux-schnell', { body: { generation_prompt: '', generation_ratio: '5:1', extra: 1 } });
    expect(r.status).toBe(422);
    const fields = (r.json.error.details.issues as { field: string }[]).map((i) => i.field);
    expect(fields).toEqual(expect.arrayContaining(['generation_prompt', 'generation_ratio', 'extra']));
  });

  it('not enough credits is 402 BSE1004 insufficient_credits, not retryable, nothing created', async () => {
    const poor = await s.newAccount(0.001);
    const before = await counts();
    const r = await s.request('POST', '/v1/generate/image/bfl/flux-schnell', { key: poor.apiKey, body: { generation_prompt: 'x' } });
    expectError(r, 402, 'BSE1004');
    expect(r.json.error.type).toBe('insufficient_credits');
    expect((await counts()).generations).toBe(before.generations);
  });
});
