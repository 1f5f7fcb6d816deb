// Rate limits: per key and route class, per plan, shared through Redis (@upstash/ratelimit over
// the Upstash REST bridge in front of a real redis-server), falling back to in-process limits
// within milliseconds when Redis is unreachable. Headers on every response; 429 + Retry-After.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryRateLimiter } from '../../src/api/rate-limit.ts';
import { planLookup, RedisRateLimiter } from '../../src/api/rate-limit-redis.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { hasRedis, NO_REDIS_REASON, startBlackhole, startRedisStack, type UpstashBridge } from '../fakes/upstash-bridge.ts';
import { errorOf } from './counts.ts';

if (!hasRedis) console.warn(`[rate-limit.test] skipping the Redis-backed tests: ${NO_REDIS_REASON}`);

const TINY = { tiny: { generate: 2, read: 3, write: 2 }, scale: { read: 12_000 } };

describe('Redis-backed limits (real redis-server behind the Upstash REST bridge)', () => {
  let redis: (UpstashBridge & { redis: { stop(): Promise<void> } }) | undefined;
  beforeAll(async () => {
    if (hasRedis) redis = await startRedisStack();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  // @upstash/ratelimit buckets by Date.now(): pin the clock mid-window so no test straddles a
  // window boundary (only Date is faked; timers and I/O run for real).
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-25T12:30:00Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it.skipIf(!hasRedis)('two API instances share one window per key and route class through Redis', async () => {
    const r = redis as UpstashBridge;
    const prefix = `t:${crypto.randomUUID()}`;
    const a = new RedisRateLimiter({ url: r.url, token: r.token, prefix, planLimits: TINY, planOf: async () => 'tiny', timeoutMs: 500, windowSeconds: 3600 });
    const b = new RedisRateLimiter({ url: r.url, token: r.token, prefix, planLimits: TINY, planOf: async () => 'tiny', timeoutMs: 500, windowSeconds: 3600 });
    // hour-long windows: Redis keeps real time, and a window edge between these calls would reset them
    const now = Date.now();
    const d1 = await a.limit('key_1', 'read', now);
    const d2 = await b.limit('key_1', 'read', now);
    const d3 = await a.limit('key_1', 'read', now);
    const d4 = await b.limit('key_1', 'read', now);
    expect([d1, d2, d3, d4].map((d) => [d.success, d.remaining])).toEqual([[true, 2], [true, 1], [true, 0], [false, 0]]);
    expect(d4.limit).toBe(3);
    expect(d4.reset).toBeGreaterThanOrEqual(Math.floor(now / 1000));
    // another route class and another key have their own windows
    expect((await a.limit('key_1', 'generate', now)).success).toBe(true);
    expect((await a.limit('key_2', 'read', now)).remaining).toBe(2);
    expect(a.fallbackCount + b.fallbackCount).toBe(0);
    expect(r.commands).toContain('EVALSHA');
  });

  it.skipIf(!hasRedis)('through the API: the plan sets the limit, a spent window is 429 BSE1029 with Retry-After and X-RateLimit-*', async () => {
    const r = redis as UpstashBridge;
    let lookup: ((id: string, now: number) => Promise<string | null>) | undefined;
    const limiter = new RedisRateLimiter({ url: r.url, token: r.token, prefix: `t:${crypto.randomUUID()}`, planLimits: TINY, planOf: (id, now) => (lookup as NonNullable<typeof lookup>)(id, now), timeoutMs: 500, windowSeconds: 3600 });
    const s = await startTestStack({ worker: false, rateLimiter: limiter });
    try {
      lookup = planLookup(s.db, 0);
      await s.pool.query(`update seaplane.accounts set billing_plan = 'Scale' where id = $1`, [s.accountId]);
      const scale = await s.request('GET', '/v1/status');
      expect(scale.headers.get('x-ratelimit-limit')).toBe('12000');
      await s.pool.query(`update seaplane.accounts set billing_plan = 'Tiny' where id = $1`, [s.accountId]);
      const statuses: number[] = [];
      let last = scale;
      for (let i = 0; i < 4; i++) {
        last = await s.request('GET', '/v1/status');
        statuses.push(last.status);
      }
      // the first Tiny request already finds the 1 request made under Scale in the window
      expect(statuses).toEqual([200, 200, 429, 429]);
      expect(errorOf(last.json)).toMatchObject({ code: 'BSE1029', type: 'rate_limited', retryable: true });
      expect(last.headers.get('x-ratelimit-limit')).toBe('3');
      expect(last.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(Number(last.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000 - 1);
      expect(Number(last.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(last.headers.get('retry-after'))).toBeLessThanOrEqual(3600);
      const cache = await s.request('GET', '/v1/health/cache', { key: await s.newKey(['health:read']) });
      expect(cache.json.data).toMatchObject({ service: 'redis', healthy: true });
    } finally {
      await s.close();
    }
  });
});

describe('when Redis is unreachable', () => {
  it('a Redis that never answers costs at most the hard timeout, then the in-process limiter decides', async () => {
    const hole = await startBlackhole();
    try {
      const limiter = new RedisRateLimiter({ url: hole.url, token: 't', timeoutMs: 25, cooldownMs: 5_000 });
      const t0 = performance.now();
      const d = await limiter.limit('key_1', 'read', 1_000_000);
      const firstMs = performance.now() - t0;
      expect(d).toMatchObject({ success: true, limit: 1200, remaining: 1199 });
      expect(firstMs).toBeLessThan(250); // 25 ms timeout; generous slack for a loaded CI machine
      expect(limiter.fallbackCount).toBe(1);
      expect(limiter.lastError).toContain('no answer');
      // within the cool-down Redis is not tried again: no timeout paid
      const t1 = performance.now();
      for (let i = 0; i < 20; i++) await limiter.limit('key_1', 'read', 1_000_000 + i);
      expect(performance.now() - t1).toBeLessThan(50);
      expect(limiter.fallbackCount).toBe(21);
    } finally {
      await hole.stop();
    }
  });

  it('a refused connection falls back at once and the fallback keeps counting per key', async () => {
    const limiter = new RedisRateLimiter({ url: 'http://127.0.0.1:9', token: 't', planLimits: TINY, planOf: async () => 'tiny', timeoutMs: 1_000 });
    const t0 = performance.now();
    const ds = [];
    for (let i = 0; i < 4; i++) ds.push(await limiter.limit('key_x', 'read', 5_000_000));
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(ds.map((d) => d.success)).toEqual([true, true, true, false]);
    expect(ds[3]?.limit).toBe(3);
  });

  it.skipIf(!hasRedis)('after the cool-down Redis is tried again, and used when it answers', async () => {
    const r = await startRedisStack();
    try {
      const limiter = new RedisRateLimiter({ url: r.url, token: r.token, prefix: `t:${crypto.randomUUID()}`, cooldownMs: 1_000, timeoutMs: 50 });
      r.hang = true;
      await limiter.limit('k', 'read', 10_000);
      expect(limiter.fallbackCount).toBe(1);
      r.hang = false;
      const seen = r.commands.length;
      await limiter.limit('k', 'read', 10_500); // still cooling down: Redis is not asked
      expect(limiter.fallbackCount).toBe(2);
      expect(r.commands.length).toBe(seen);
      const d = await limiter.limit('k', 'read', 11_000); // cool-down over
      expect(limiter.fallbackCount).toBe(2);
      expect(r.commands.length).toBeGreaterThan(seen);
      expect(d).toMatchObject({ success: true, limit: 1200, remaining: 1199 });
    } finally {
      await r.stop();
    }
  });

  it('the API keeps answering, with rate-limit headers, when its Redis hangs', async () => {
    const hole = await startBlackhole();
    const s = await startTestStack({ worker: false, rateLimiter: new RedisRateLimiter({ url: hole.url, token: 't', timeoutMs: 25 }) });
    try {
      const t0 = performance.now();
      const r = await s.request('GET', '/v1/status');
      expect(r.status).toBe(200);
      expect(r.headers.get('x-ratelimit-limit')).toBe('1200');
      expect(performance.now() - t0).toBeLessThan(1_000);
      const cache = await s.request('GET', '/v1/health/cache');
      expect(cache.json.data).toMatchObject({ service: 'redis', healthy: false });
    } finally {
      await s.close();
      await hole.stop();
    }
  });
});

describe('in-process limits and headers', () => {
  let s: TestStack;
  let now = new Date('2026-11-25T12:00:00.000Z');
  beforeAll(async () => {
    s = await startTestStack({ worker: false, clock: () => now, rateLimiter: new MemoryRateLimiter() });
  });
  afterAll(async () => {
    await s.close();
  });

  it('every response carries X-RateLimit-Limit/Remaining/Reset: success, error, 404 and unauthenticated', async () => {
    for (const [path, key] of [['/v1/status', undefined], ['/v1/content/nope', undefined], ['/v1/nothing', undefined], ['/v1/status', null], ['/v1/openapi.json', null]] as const) {
      const r = await s.request('GET', path, key === null ? { key: null } : {});
      expect(r.headers.get('x-ratelimit-limit'), path).toMatch(/^\d+$/);
      expect(r.headers.get('x-ratelimit-remaining'), path).toMatch(/^\d+$/);
      expect(r.headers.get('x-ratelimit-reset'), path).toMatch(/^\d+$/);
    }
  });

  it('polling one generation every 0.5 s for a minute stays within the default read limit', async () => {
    const created = await s.request('POST', '/v1/generate/image/bfl/flux-schnell', { body: { generation_prompt: 'poll' } });
    const id = created.json.data.generation_id;
    const start = now.getTime();
    // 2026-11-25T12:00:00Z starts a 60 s window; 120 polls at 0.5 s fill it
    for (let i = 0; i < 120; i++) {
      now = new Date(start + i * 500);
      const r = await s.request('GET', `/v1/content/${id}`);
      expect(r.status).toBe(200);
    }
  });

  it('the 121st request of a spent generate window is 429 with Retry-After counting to the window end', async () => {
    now = new Date('2026-11-25T13:00:10.000Z');
    const key = await s.newKey(['generation:write']);
    const bodies: number[] = [];
    for (let i = 0; i < 121; i++) {
      const r = await s.request('POST', '/v1/generate/image/bfl/flux-nope', { body: { generation_prompt: 'x' }, key });
      bodies.push(r.status);
      if (i === 120) {
        expect(r.status).toBe(429);
        expect(r.headers.get('retry-after')).toBe('50');
        expect(r.headers.get('x-ratelimit-reset')).toBe(String(Date.parse('2026-11-25T13:01:00Z') / 1000));
        expect(errorOf(r.json).retryable).toBe(true);
      }
    }
    expect(bodies.filter((b) => b === 404)).toHaveLength(120);
  });
});

describe('per-plan limits without Redis (the embedded default)', () => {
  it("the account's billing plan sets each route class's limit; no plan gets the defaults", async () => {
    const s = await startTestStack({ worker: false });
    try {
      const none = await s.request('GET', '/v1/status');
      expect(none.headers.get('x-ratelimit-limit')).toBe('1200');
      const scale = await s.newAccount(1);
      await s.pool.query(`update seaplane.accounts set billing_plan = 'Scale' where id = $1`, [scale.accountId]);
      expect((await s.request('GET', '/v1/status', { key: scale.apiKey })).headers.get('x-ratelimit-limit')).toBe('12000');
      const free = await s.newAccount(1);
      await s.pool.query(`update seaplane.accounts set billing_plan = 'free' where id = $1`, [free.accountId]);
      const r = await s.request('POST', '/v1/generate/image/bfl/flux-schnell', { body: { generation_prompt: 'x' }, key: free.apiKey });
      expect(r.headers.get('x-ratelimit-limit')).toBe('60');
    } finally {
      await s.close();
    }
  });
});
