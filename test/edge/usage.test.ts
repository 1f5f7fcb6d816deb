// GET /v1/usage: every request is logged (endpoint pattern, status, error code, latency, SDK
// headers) and the report aggregates the log and the provider attempts in SQL (contract §15).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rpcOne } from '../../src/db/rpc.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { errorOf } from './counts.ts';

let now = new Date('2026-11-20T09:00:00Z');
let s: TestStack;
beforeAll(async () => {
  s = await startTestStack({ credits: 10, worker: false, clock: () => now });
});
afterAll(async () => {
  await s.close();
});

const SDK = {
  'x-babysea-sdk-name': 'babysea-node', 'x-babysea-sdk-version': '1.4.0', 'x-babysea-sdk-runtime': 'node',
  'x-babysea-sdk-runtime-version': '20.19.0', 'user-agent': 'babysea-node/1.4.0 (node/20.19.0)',
};
const IMAGE = '/v1/generate/image/bfl/flux-schnell';
const create = async () => {
  const r = await s.request('POST', IMAGE, { body: { generation_prompt: 'usage' }, headers: SDK });
  expect(r.status).toBe(200);
  return r.json.data as { generation_id: string; generation_prediction_id: string };
};
const start = (attemptId: string) => rpcOne(s.db, 'attempt_start', { p_attempt_id: attemptId, p_lease_owner: 'test', p_lease_ms: 60_000, p_now: now });

describe('usage analytics', () => {
  let providers: string[] = [];

  it('records each request with its endpoint pattern, status, code, latency, request id and SDK headers', async () => {
    const bad = await s.request('GET', '/v1/content/not-a-uuid', { headers: SDK });
    expect(bad.status).toBe(404);
    await s.request('GET', `/v1/content/${crypto.randomUUID()}`, { headers: SDK });
    await s.request('POST', IMAGE, { body: { generation_prompt: 'x', nope: 1 }, headers: SDK });
    await s.request('GET', '/v1/status', { headers: SDK });

    // G1: the first provider times out (discarded), the second serves it for 0.004 credits.
    const g1 = await create();
    await start(g1.generation_prediction_id);
    const f = await rpcOne(s.db, 'attempt_fail', { p_attempt_id: g1.generation_prediction_id, p_error_class: 'timeout', p_error_message: 'slow', p_max_tries_per_provider: 1, p_retry_delay_ms: 0, p_now: now });
    expect(f.outcome).toBe('failover');
    await start(f.next_attempt_id as string);
    const ok = await rpcOne(s.db, 'attempt_succeed', { p_attempt_id: f.next_attempt_id, p_output_keys: [`${g1.generation_id}/0.png`], p_cost_microcredits: 4_000, p_predict_ms: 500, p_now: now });
    expect(ok.outcome).not.toBe('noop');
    // G2: canceled while its first provider runs it.
    const g2 = await create();
    await start(g2.generation_prediction_id);
    expect((await s.request('POST', `/v1/content/generation/cancel/${g2.generation_id}`, { headers: SDK })).status).toBe(200);
    // G3: the first provider fails with a non-retryable class: fail over, still open.
    const g3 = await create();
    await start(g3.generation_prediction_id);
    await rpcOne(s.db, 'attempt_fail', { p_attempt_id: g3.generation_prediction_id, p_error_class: 'auth', p_error_message: 'bad key', p_max_tries_per_provider: 1, p_retry_delay_ms: 0, p_now: now });

    const usage = await s.request('GET', '/v1/usage?days=7', { headers: SDK });
    expect(usage.status).toBe(200);
    const logged = await s.pool.query('select * from seaplane.request_log where account_id = $1 order by id', [s.accountId]);
    const first = logged.rows[0];
    expect(first).toMatchObject({
      endpoint: '/v1/content/{generation_id}', method: 'GET', http_status: 404, error_code: 'BSE2006', apikey_id: expect.stringMatching(/^key_/),
      sdk_name: 'babysea-node', sdk_version: '1.4.0', sdk_runtime: 'node', sdk_runtime_version: '20.19.0', user_agent: SDK['user-agent'],
      request_id: bad.json.request_id,
    });
    expect(first.latency_ms).toBeGreaterThanOrEqual(0);
    expect(logged.rows.map((r) => r.endpoint)).not.toContain('/v1/content/not-a-uuid');
    providers = (await s.pool.query('select distinct provider from seaplane.attempts where account_id = $1', [s.accountId])).rows.map((r) => r.provider);
    expect(providers.length).toBeGreaterThan(0);
  });

  it('reports per endpoint and per provider exactly as contract §15', async () => {
    const r = await s.request('GET', '/v1/usage?days=7');
    expect(r.status).toBe(200);
    const d = r.json.data;
    expect(Object.keys(d).sort()).toEqual([
      'account_id', 'usage_credit_balance', 'usage_endpoints', 'usage_period_days', 'usage_providers', 'usage_total_client_errors',
      'usage_total_estimated_cost', 'usage_total_generations', 'usage_total_provider_submissions', 'usage_total_requests',
      'usage_total_server_errors', 'usage_total_success',
    ]);
    expect(d).toMatchObject({ account_id: s.accountId, usage_period_days: 7, usage_total_generations: 3, usage_total_server_errors: 0 });
    // 4 probes + 3 generates + 1 cancel + the first usage call
    expect(d.usage_total_requests).toBe(9);
    expect(d.usage_total_client_errors).toBe(3);
    expect(d.usage_total_success).toBe(6);
    const byEndpoint = Object.fromEntries(d.usage_endpoints.map((e: { endpoint: string }) => [e.endpoint, e]));
    expect(byEndpoint['GET /v1/content/{generation_id}']).toEqual({
      endpoint: 'GET /v1/content/{generation_id}', total_requests: 2, success_count: 0, client_error_count: 2, server_error_count: 0, error_codes: { BSE2006: 2 },
    });
    expect(byEndpoint['POST /v1/generate/image/{model_identifier}']).toMatchObject({ total_requests: 4, success_count: 3, client_error_count: 1, error_codes: { BSE2003: 1 } });
    expect(byEndpoint['GET /v1/usage']).toMatchObject({ total_requests: 1, error_codes: {} });

    const att = (await s.pool.query('select provider, state, submitted_at, cost_microcredits from seaplane.attempts where account_id = $1', [s.accountId])).rows;
    const sum = (p: string, f: (a: (typeof att)[number]) => boolean) => att.filter((a) => a.provider === p && f(a)).length;
    for (const p of d.usage_providers) {
      expect(p).toEqual({
        provider: p.provider,
        total_submissions: sum(p.provider, (a) => a.submitted_at !== null),
        used_count: sum(p.provider, (a) => a.state === 'succeeded'),
        cancelled_count: sum(p.provider, (a) => a.state === 'canceled' && a.submitted_at !== null),
        discarded_count: sum(p.provider, (a) => a.state === 'timed_out'),
        failed_count: sum(p.provider, (a) => a.state === 'failed'),
        total_estimated_cost: att.filter((a) => a.provider === p.provider).reduce((x, a) => x + Number(a.cost_microcredits ?? 0), 0) / 1e6,
        wasted_estimated_cost: 0,
      });
    }
    const totals = d.usage_providers.reduce((acc: Record<string, number>, p: Record<string, number>) => {
      for (const k of ['total_submissions', 'used_count', 'cancelled_count', 'discarded_count', 'failed_count']) acc[k] = (acc[k] ?? 0) + (p[k] as number);
      return acc;
    }, {});
    expect(totals).toEqual({ total_submissions: 4, used_count: 1, cancelled_count: 1, discarded_count: 1, failed_count: 1 });
    expect(d.usage_total_provider_submissions).toBe(4); // G3's failover attempt is queued, not submitted
    expect(d.usage_total_estimated_cost).toBe(0.004);
    expect(d.usage_credit_balance).toBeCloseTo(10 - 0.004 - 0.005, 6); // G3 still holds its 0.005
  });

  it('defaults to 30 days and counts only the window', async () => {
    now = new Date(now.getTime() + 8 * 86_400_000);
    const week = await s.request('GET', '/v1/usage?days=7');
    expect(week.json.data).toMatchObject({ usage_period_days: 7, usage_total_requests: 0, usage_total_generations: 0, usage_endpoints: [], usage_providers: [] });
    const month = await s.request('GET', '/v1/usage');
    expect(month.json.data.usage_period_days).toBe(30);
    expect(month.json.data.usage_total_generations).toBe(3);
  });

  it('needs account:read: a generate-only key gets BSE1006', async () => {
    const key = await s.newKey(['generation:write', 'generation:read', 'library:read']);
    const r = await s.request('GET', '/v1/usage', { key });
    expect(r.status).toBe(403);
    expect(errorOf(r.json).code).toBe('BSE1006');
  });

  it('request_log_expire removes entries older than 90 days and keeps younger ones', async () => {
    // Entries of the first tests are 8 days older than those written since the clock moved.
    const cutoffNow = new Date(now.getTime() - 8 * 86_400_000 + 91 * 86_400_000);
    const r = await rpcOne(s.db, 'request_log_expire', { p_keep_days: 90, p_now: cutoffNow });
    expect(r.request_log_expire).toBe(10);
    const left = await s.pool.query('select count(*) filter (where created_at < $2)::int as old, count(*)::int as n from seaplane.request_log where account_id = $1', [s.accountId, new Date(cutoffNow.getTime() - 90 * 86_400_000)]);
    expect(left.rows[0].old).toBe(0);
    expect(left.rows[0].n).toBeGreaterThan(0);
  });
});
