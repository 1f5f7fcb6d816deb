// Tenant isolation: account B's key on account A's ids is 404 on every endpoint that takes an
// id (never 403, never data), A's generation is untouched, and B's reads never include A's rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { errorOf } from './counts.ts';

let s: TestStack;
let b: { accountId: string; apiKey: string };
let aGeneration: string;
beforeAll(async () => {
  s = await startTestStack({ credits: 10, worker: false });
  b = await s.newAccount(10);
  const created = await s.request('POST', '/v1/generate/image/bfl/flux-schnell', { body: { generation_prompt: 'account A only' }, headers: { 'idempotency-key': 'a-key' } });
  expect(created.status).toBe(200);
  aGeneration = created.json.data.generation_id;
});
afterAll(async () => {
  await s.close();
});

describe("account B's key on account A's ids", () => {
  it.each([
    ['GET', '/v1/content/{id}'],
    ['POST', '/v1/content/generation/cancel/{id}'],
    ['DELETE', '/v1/content/{id}'],
  ])('%s %s is 404 BSE2006 with no data', async (method, pattern) => {
    const r = await s.request(method, pattern.replace('{id}', aGeneration), { key: b.apiKey });
    expect(r.status).toBe(404);
    expect(errorOf(r.json).code).toBe('BSE2006');
    expect(JSON.stringify(r.json)).not.toContain('account A only');
    expect(r.json.data).toBeUndefined();
  });

  it("leaves A's generation pending and readable by A", async () => {
    const r = await s.request('GET', `/v1/content/${aGeneration}`);
    expect(r.status).toBe(200);
    expect(r.json.data.generation_status).toBe('pending');
  });

  it("B's list, usage and status show nothing of A", async () => {
    const list = await s.request('GET', '/v1/content/list', { key: b.apiKey });
    expect(list.json).toMatchObject({ total: 0, data: { generations: [] } });
    const usage = await s.request('GET', '/v1/usage', { key: b.apiKey });
    expect(usage.json.data.account_id).toBe(b.accountId);
    expect(usage.json.data.usage_total_generations).toBe(0);
    expect(JSON.stringify(usage.json.data.usage_endpoints)).not.toContain('/v1/generate');
    const status = await s.request('GET', '/v1/status', { key: b.apiKey });
    expect(status.json.data.account_id).toBe(b.accountId);
    const account = await s.request('GET', '/v1/user/account', { key: b.apiKey });
    expect(account.json.data.account_id).toBe(b.accountId);
  });

  it("A's idempotency key used by B does not replay A's generation", async () => {
    const r = await s.request('POST', '/v1/generate/image/bfl/flux-schnell', { body: { generation_prompt: 'account A only' }, headers: { 'idempotency-key': 'a-key' }, key: b.apiKey });
    expect(r.status).toBe(200);
    expect(r.headers.get('idempotency-replayed')).toBeNull();
    expect(r.json.data.generation_id).not.toBe(aGeneration);
  });
});
