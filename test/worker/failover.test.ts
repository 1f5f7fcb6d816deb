import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorClass } from '../../src/providers/types.ts';
import { scriptedProviders } from '../helpers/script.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

const script = scriptedProviders();
let s: TestStack;
beforeAll(async () => {
  s = await startTestStack({ credits: 10, simulation: script.simulation, breakerTtlMs: 0 });
});
afterAll(async () => {
  await s.close();
});

const PRICE = 5_000; // bfl/flux-schnell, 0.005 credits, the same at every provider
const ORDER = 'replicate, fal, cloudflare';
const fail = (errorClass: ErrorClass) => ({ kind: 'fail' as const, errorClass, retryAfterMs: 0 });

async function run(prompt: string) {
  const before = await balance();
  const r = await s.request('POST', '/v1/generate/image/bfl/flux-schnell', { body: { generation_prompt: prompt, generation_provider_order: ORDER } });
  expect(r.status).toBe(200);
  const id = r.json.data.generation_id as string;
  const status = await s.waitForTerminal(id);
  const g = (await s.request('GET', `/v1/content/${id}`)).json.data;
  const attempts = await s.db.selectFrom('api.attempt_outcomes_v').select(['provider', 'state', 'error_class']).where('generation_id', '=', id).orderBy('submitted_at').execute();
  const held = (await s.db.selectFrom('api.accounts_v').select('held_microcredits').where('account_id', '=', s.accountId).executeTakeFirstOrThrow()).held_microcredits;
  return { status, g, attempts: attempts.map((a) => `${a.provider}:${a.state}`), charged: before - (await balance()), held };
}

async function balance(): Promise<number> {
  return (await s.db.selectFrom('api.accounts_v').select('available_microcredits').where('account_id', '=', s.accountId).executeTakeFirstOrThrow()).available_microcredits ?? 0;
}

describe('failover matrix: every error class does the right thing and charges the right amount', () => {
  for (const errorClass of ['rate_limited', 'provider_unavailable', 'timeout', 'malformed_response'] as const) {
    it(`${errorClass} is retried on the same provider, which then serves and is charged`, async () => {
      const prompt = `retry-${errorClass}`;
      script.set(prompt, { replicate: [fail(errorClass)] });
      const r = await run(prompt);
      expect(r.status).toBe('succeeded');
      expect(r.attempts).toEqual([`replicate:${errorClass === 'timeout' ? 'timed_out' : 'failed'}`, 'replicate:succeeded']);
      expect(r.g.generation_provider_used).toBe('replicate');
      expect(r.charged).toBe(PRICE);
      expect(r.held).toBe(0);
    });

    it(`${errorClass} twice exhausts the provider's tries and fails over to the next`, async () => {
      const prompt = `exhaust-${errorClass}`;
      script.set(prompt, { replicate: [fail(errorClass), fail(errorClass)] });
      const r = await run(prompt);
      expect(r.status).toBe('succeeded');
      expect(r.attempts.slice(-1)).toEqual(['fal:succeeded']);
      expect(r.attempts.filter((a) => a.startsWith('replicate:'))).toHaveLength(2);
      expect(r.g.generation_provider_used).toBe('fal');
      expect(r.charged).toBe(PRICE);
    });
  }

  for (const errorClass of ['out_of_credit', 'auth', 'not_found', 'unknown'] as const) {
    it(`${errorClass} fails over at once, without a retry`, async () => {
      const prompt = `failover-${errorClass}`;
      script.set(prompt, { replicate: [fail(errorClass)] });
      const r = await run(prompt);
      expect(r.status).toBe('succeeded');
      expect(r.attempts).toEqual(['replicate:failed', 'fal:succeeded']);
      expect(r.g.generation_provider_used).toBe('fal');
      expect(r.charged).toBe(PRICE);
    });
  }

  for (const [errorClass, code] of [['bad_request', 'BSE3003'], ['moderation', 'BSE3002']] as const) {
    it(`${errorClass} fails the generation at once (${code}) without burning other providers, and charges nothing`, async () => {
      const prompt = `fast-${errorClass}`;
      script.set(prompt, { replicate: [fail(errorClass)] });
      const r = await run(prompt);
      expect(r.status).toBe('failed');
      expect(r.attempts).toEqual(['replicate:failed']);
      expect(r.g).toMatchObject({ generation_error_code: code, generation_error: expect.any(String), generation_provider_used: null });
      expect(r.charged).toBe(0);
      expect(r.held).toBe(0);
    });
  }

  it('when every provider fails the generation fails with BSE3001 and per-provider errors, and nothing is charged', async () => {
    const prompt = 'all-fail';
    script.set(prompt, { replicate: [fail('auth')], fal: [fail('out_of_credit')], cloudflare: [fail('not_found')] });
    const r = await run(prompt);
    expect(r.status).toBe('failed');
    expect(r.g.generation_error_code).toBe('BSE3001');
    expect(r.g.generation_provider_errors).toEqual([
      { provider: 'replicate', code: 'BSE3106', type: 'auth', message: expect.any(String), retryable: false },
      { provider: 'fal', code: 'BSE3105', type: 'out_of_credit', message: expect.any(String), retryable: false },
      { provider: 'cloudflare', code: 'BSE3109', type: 'not_found', message: expect.any(String), retryable: false },
    ]);
    expect(r.g.generation_credits_refunded).toBe(true);
    expect(r.charged).toBe(0);
  });

  it('an auth or out-of-credit refusal opens that provider breaker at once, and fastest routes around it', async () => {
    script.set('refused', { replicate: [fail('auth')] });
    expect((await run('refused')).status).toBe('succeeded');
    const health = await s.request('GET', '/v1/health/inference/providers');
    const replicate = health.json.data.providers.find((p: { provider: string }) => p.provider === 'replicate');
    expect(replicate.status).toBe('degraded');
    const r = await s.request('POST', '/v1/generate/image/bfl/flux-schnell', { body: { generation_prompt: 'routed around' } });
    expect(r.json.data.generation_provider_order[0]).not.toBe('replicate');
    expect(r.json.data.generation_provider_order).toContain('replicate'); // never shrinks the failover list
    await s.waitForTerminal(r.json.data.generation_id);
  });
});
