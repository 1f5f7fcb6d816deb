// The whole contract surface: each of the 17 endpoints answers in the contract's envelope with
// the documented data keys, each is guarded by exactly the scope of contract §16, and CORS
// preflights and exposed headers follow §17.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scope } from '../../src/api/keys.ts';
import { SCOPES } from '../../src/api/keys.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { errorOf } from './counts.ts';

let s: TestStack;
let gen: string;
beforeAll(async () => {
  s = await startTestStack({ credits: 10, worker: false });
  gen = (await s.request('POST', '/v1/generate/image/bfl/flux-schnell', { body: { generation_prompt: 'surface' } })).json.data.generation_id;
});
afterAll(async () => {
  await s.close();
});

interface Endpoint {
  n: number;
  method: string;
  path: () => string;
  scope: Scope;
  body?: unknown;
  keys: string[];
  paginated?: boolean;
}

const E: Endpoint[] = [
  { n: 1, method: 'POST', path: () => '/v1/generate/image/bfl/flux-schnell', scope: 'generation:write', body: { generation_prompt: 'x' }, keys: ['model_identifier', 'generation_provider_order', 'generation_prediction_id', 'generation_id', 'generation_initialized'] },
  { n: 2, method: 'POST', path: () => '/v1/generate/video/google/veo-2', scope: 'generation:write', body: { generation_prompt: 'x', generation_duration: 5 }, keys: ['model_identifier', 'generation_provider_order', 'generation_prediction_id', 'generation_id', 'generation_initialized'] },
  { n: 3, method: 'GET', path: () => `/v1/content/${gen}`, scope: 'generation:read', keys: ['account_id', 'generation_id', 'generation_status', 'generation_provider_order', 'generation_provider_used', 'generation_prediction_id'] },
  { n: 4, method: 'GET', path: () => '/v1/content/list?limit=2&offset=0', scope: 'generation:read', keys: ['generations'], paginated: true },
  { n: 7, method: 'GET', path: () => '/v1/estimate/bfl/flux-schnell?count=3', scope: 'library:read', keys: ['model_identifier', 'model_type', 'assets_count', 'cost_per_generation', 'cost_total_consumed', 'credit_balance', 'credit_balance_can_afford', 'credit_balance_max_affordable'] },
  { n: 8, method: 'GET', path: () => '/v1/status', scope: 'account:read', keys: ['account_id', 'apikey_id', 'apikey_name', 'apikey_prefix', 'apikey_created_at', 'apikey_last_used_at', 'apikey_expires_at'] },
  { n: 9, method: 'GET', path: () => '/v1/usage?days=30', scope: 'account:read', keys: ['account_id', 'usage_period_days', 'usage_credit_balance', 'usage_total_requests', 'usage_total_success', 'usage_total_client_errors', 'usage_total_server_errors', 'usage_total_generations', 'usage_total_provider_submissions', 'usage_total_estimated_cost', 'usage_endpoints', 'usage_providers'] },
  { n: 10, method: 'GET', path: () => '/v1/user/account', scope: 'account:read', keys: ['account_id', 'account_name', 'account_email', 'account_is_personal', 'account_picture_url', 'account_created_at'] },
  { n: 11, method: 'GET', path: () => '/v1/user/billing', scope: 'account:read', keys: ['account_id', 'billing_plan', 'billing_credit_balance', 'billing_subscription_status', 'billing_currency', 'billing_period_starts_at', 'billing_period_ends_at', 'billing_cancel_at_period_end', 'billing_created_at', 'billing_updated_at'] },
  { n: 12, method: 'GET', path: () => '/v1/health/inference/providers', scope: 'health:read', keys: ['service', 'healthy', 'providers', 'providers_total'] },
  { n: 13, method: 'GET', path: () => '/v1/health/inference/models', scope: 'health:read', keys: ['service', 'healthy', 'models', 'models_total'] },
  { n: 14, method: 'GET', path: () => '/v1/health/storage', scope: 'health:read', keys: ['service', 'healthy', 'latency_ms', 'bucket'] },
  { n: 15, method: 'GET', path: () => '/v1/health/cache', scope: 'health:read', keys: ['service', 'healthy', 'latency_ms'] },
  { n: 16, method: 'GET', path: () => '/v1/library/providers', scope: 'library:read', keys: ['providers', 'providers_total'] },
  { n: 17, method: 'GET', path: () => '/v1/library/models', scope: 'library:read', keys: ['models', 'models_total'] },
  // cancel and delete last: they change the generation the reads above use
  { n: 5, method: 'POST', path: () => `/v1/content/generation/cancel/${gen}`, scope: 'generation:delete', keys: ['generation_id', 'generation_status', 'provider_cancel_sent', 'credits_refunded'] },
  { n: 6, method: 'DELETE', path: () => `/v1/content/${gen}`, scope: 'generation:delete', keys: ['generation_id', 'files_deleted'] },
];

describe('the 17 endpoints', () => {
  it('are all covered by this table', () => {
    expect(E.map((e) => e.n).sort((a, b) => a - b)).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
  });

  it.each(E.map((e) => [e.n, e.method, e] as const))('#%i %s answers 200 in the success envelope with the contract keys', async (_, method, e) => {
    const r = await s.request(method, e.path(), { body: e.body });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json).toMatchObject({ status: 'success', request_id: expect.stringMatching(/^req_/), message: expect.any(String), timestamp: expect.any(String), data: expect.any(Object) });
    expect(r.json.idempotency_replayed).toBeUndefined();
    for (const k of e.keys) expect(r.json.data, k).toHaveProperty(k);
    if (e.paginated) expect(r.json).toMatchObject({ total: expect.any(Number), limit: 2, offset: 0 });
  });

  it.each(E.map((e) => [e.n, e.scope, e] as const))('#%i needs %s: every key without it gets 403 BSE1006, never the data', async (_, scope, e) => {
    const without = await s.newKey(SCOPES.filter((x) => x !== scope));
    const r = await s.request(e.method, e.path(), { body: e.body, key: without });
    expect(r.status).toBe(403);
    expect(errorOf(r.json)).toMatchObject({ code: 'BSE1006', retryable: false });
    const only = await s.newKey([scope]);
    expect((await s.request(e.method, e.path(), { body: e.body, key: only })).status).not.toBe(403);
  });
});

describe('CORS (contract §17)', () => {
  it('answers a preflight with the methods and SDK headers allowed, and a JSON body', async () => {
    const r = await fetch(`${s.url}/v1/content/${gen}`, { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' } });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({});
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
    for (const m of ['GET', 'POST', 'DELETE']) expect(r.headers.get('access-control-allow-methods')).toContain(m);
    for (const h of ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-BabySea-SDK-Name', 'X-BabySea-SDK-Version', 'X-BabySea-SDK-Runtime', 'X-BabySea-SDK-Runtime-Version']) {
      expect(r.headers.get('access-control-allow-headers')).toContain(h);
    }
  });

  it('exposes the rate-limit, Retry-After and replay headers on every response', async () => {
    const r = await s.request('GET', '/v1/status');
    for (const h of ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'Retry-After', 'Idempotency-Replayed']) {
      expect(r.headers.get('access-control-expose-headers')).toContain(h);
    }
  });

  it('never redirects: a trailing slash is a 404 envelope, not a 301', async () => {
    const r = await fetch(`${s.url}/v1/status/`, { headers: { authorization: `Bearer ${s.apiKey}` }, redirect: 'manual' });
    expect(r.status).toBe(404);
    errorOf(await r.json());
  });
});
