// The shared rate limiter: @upstash/ratelimit over @upstash/redis (Upstash's REST protocol), one
// fixed 60 s window per API key and route class, with limits per billing plan. Redis is never
// allowed to hold a request up: every call races a hard timeout (default 25 ms); on a timeout or
// an error the decision comes from the in-process limiter instead, and Redis is skipped for a
// cool-down (default 5 s) so a dead Redis costs one timeout per cool-down, not one per request.
// The in-process fallback counts per instance, so while Redis is away the effective limit is
// the per-plan limit times the number of instances: a deliberate fail-open.
import { Ratelimit } from '@upstash/ratelimit';
import { Redis } from '@upstash/redis';
import type { Db } from '../db/kysely.ts';
import { DEFAULT_LIMITS, MemoryRateLimiter, type RateDecision, type RateLimiter, type RouteClass } from './rate-limit.ts';

/**
 * Requests per 60 s window by billing plan (accounts.billing_plan, case-insensitive); a plan not
 * listed, or no plan, gets DEFAULT_LIMITS. `read` must allow polling every 0.5 s per waiting
 * generation (120/min each), so even the default allows ten generations polled at once.
 */
export const PLAN_LIMITS: Record<string, Partial<Record<RouteClass, number>>> = {
  free: { generate: 60, read: 1200, write: 120 },
  pro: { generate: 300, read: 3000, write: 600 },
  scale: { generate: 1200, read: 12000, write: 2400 },
};

export function limitsForPlan(plan: string | null | undefined, table = PLAN_LIMITS): Record<RouteClass, number> {
  return { ...DEFAULT_LIMITS, ...(plan ? table[plan.toLowerCase()] : undefined) };
}

/**
 * In-process limits per plan: the embedded default without Redis, and the Redis limiter's
 * fallback. Counts are per process.
 */
export class PlanMemoryRateLimiter implements RateLimiter {
  private readonly byPlan = new Map<string, MemoryRateLimiter>();

  constructor(private readonly o: {
    planLimits?: Record<string, Partial<Record<RouteClass, number>>>;
    planOf?: (identifier: string, nowMs: number) => Promise<string | null>;
    windowSeconds?: number;
  } = {}) {}

  async limit(identifier: string, routeClass: RouteClass, nowMs: number): Promise<RateDecision> {
    const plan = (await this.o.planOf?.(identifier, nowMs).catch(() => null)) ?? null;
    return this.limitForPlan(plan, identifier, routeClass, nowMs);
  }

  limitForPlan(plan: string | null, identifier: string, routeClass: RouteClass, nowMs: number): Promise<RateDecision> {
    const key = plan?.toLowerCase() ?? '';
    let m = this.byPlan.get(key);
    if (!m) {
      m = new MemoryRateLimiter(limitsForPlan(plan, this.o.planLimits ?? PLAN_LIMITS), (this.o.windowSeconds ?? 60) * 1000);
      this.byPlan.set(key, m);
    }
    return m.limit(identifier, routeClass, nowMs);
  }
}

export interface RedisRateLimiterOptions {
  url: string;
  token: string;
  /** Hard ceiling on one Redis decision before falling back. */
  timeoutMs?: number;
  /** After a failure, go straight to the fallback for this long. */
  cooldownMs?: number;
  windowSeconds?: number;
  planLimits?: Record<string, Partial<Record<RouteClass, number>>>;
  /** The billing plan of an identifier (an API key id); see planLookup(). */
  planOf?: (identifier: string, nowMs: number) => Promise<string | null>;
  prefix?: string;
  onFallback?: (reason: string) => void;
}

export class RedisRateLimiter implements RateLimiter {
  private readonly redis: Redis;
  private readonly limiters = new Map<string, Ratelimit>();
  private readonly fallback: PlanMemoryRateLimiter;
  private redisDownUntil = 0;
  private readonly timeoutMs: number;
  private readonly cooldownMs: number;
  private readonly windowSeconds: number;
  /** How many decisions came from the fallback (exposed for health and tests). */
  fallbackCount = 0;
  lastError: string | undefined;

  constructor(private readonly o: RedisRateLimiterOptions) {
    this.timeoutMs = o.timeoutMs ?? 25;
    this.cooldownMs = o.cooldownMs ?? 5_000;
    this.windowSeconds = o.windowSeconds ?? 60;
    this.fallback = new PlanMemoryRateLimiter({ planLimits: o.planLimits, windowSeconds: this.windowSeconds });
    this.redis = new Redis({
      url: o.url,
      token: o.token,
      // No client-side retries with backoff (they would block for seconds) and an abort at
      // the same deadline, so a hung socket is released too.
      retry: false,
      signal: () => AbortSignal.timeout(this.timeoutMs),
      enableTelemetry: false,
      latencyLogging: false,
    });
  }

  private limiterFor(routeClass: RouteClass, limit: number): Ratelimit {
    const key = `${routeClass}:${limit}`;
    let rl = this.limiters.get(key);
    if (!rl) {
      rl = new Ratelimit({
        redis: this.redis,
        limiter: Ratelimit.fixedWindow(limit, `${this.windowSeconds} s`),
        prefix: `${this.o.prefix ?? 'seaplane:rl'}:${routeClass}`,
        timeout: 0, // ours below: theirs would answer "success" on a timeout
        analytics: false,
      });
      this.limiters.set(key, rl);
    }
    return rl;
  }


  async limit(identifier: string, routeClass: RouteClass, nowMs: number): Promise<RateDecision> {
    const plan = (await this.o.planOf?.(identifier, nowMs).catch(() => null)) ?? null;
    const limit = limitsForPlan(plan, this.o.planLimits ?? PLAN_LIMITS)[routeClass];
    if (nowMs >= this.redisDownUntil) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`redis: no answer in ${this.timeoutMs} ms`)), this.timeoutMs);
      });
      try {
        const r = await Promise.race([this.limiterFor(routeClass, limit).limit(identifier), timeout]);
        if (r.reason === 'timeout' || r.limit === 0) throw new Error('redis: timed out');
        return { success: r.success, limit: r.limit, remaining: Math.max(0, r.remaining), reset: Math.ceil(r.reset / 1000) };
      } catch (err) {
        this.redisDownUntil = nowMs + this.cooldownMs;
        this.lastError = err instanceof Error ? err.message : String(err);
        this.o.onFallback?.(this.lastError);
      } finally {
        clearTimeout(timer);
      }
    }
    this.fallbackCount++;
    return this.fallback.limitForPlan(plan, identifier, routeClass, nowMs);
  }

  /** A round trip to Redis for GET /v1/health/cache. */
  async ping(): Promise<{ healthy: boolean; latency_ms: number; error?: string }> {
    const started = performance.now();
    try {
      await Promise.race([
        this.redis.ping(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${this.timeoutMs * 4} ms`)), this.timeoutMs * 4).unref?.()),
      ]);
      return { healthy: true, latency_ms: Math.round((performance.now() - started) * 100) / 100 };
    } catch (err) {
      return { healthy: false, latency_ms: Math.round((performance.now() - started) * 100) / 100, error: err instanceof Error ? err.message : String(err) };
    }
  }
}

/**
 * Billing plan per API key id, read from the database and cached for `ttlMs` so the limiter adds
 * no database round trip to a warm key's requests.
 */
export function planLookup(db: Db, ttlMs = 60_000): (apikeyId: string, nowMs: number) => Promise<string | null> {
  const cache = new Map<string, { plan: string | null; until: number }>();
  return async (apikeyId, nowMs) => {
    const hit = cache.get(apikeyId);
    if (hit && hit.until > nowMs) return hit.plan;
    const row = await db.selectFrom('api.api_keys_v as k').innerJoin('api.accounts_v as a', 'a.account_id', 'k.account_id')
      .select('a.billing_plan').where('k.apikey_id', '=', apikeyId).executeTakeFirst();
    if (cache.size > 100_000) cache.clear();
    cache.set(apikeyId, { plan: row?.billing_plan ?? null, until: nowMs + ttlMs });
    return row?.billing_plan ?? null;
  };
}

/**
 * The Redis limiter when UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN are set (the
 * standard Upstash names), else undefined (the caller uses the in-process limiter).
 * RATE_LIMIT_REDIS_TIMEOUT_MS overrides the hard timeout.
 */
export function rateLimiterFromEnv(env: Record<string, string | undefined>, db: Db): RedisRateLimiter | undefined {
  const url = env.UPSTASH_REDIS_REST_URL;
  const token = env.UPSTASH_REDIS_REST_TOKEN;
  if (!url || !token) return undefined;
  const timeoutMs = env.RATE_LIMIT_REDIS_TIMEOUT_MS ? Number(env.RATE_LIMIT_REDIS_TIMEOUT_MS) : undefined;
  return new RedisRateLimiter({
    url, token, timeoutMs, planOf: planLookup(db),
    onFallback: (reason) => console.warn(`[rate-limit] Redis unavailable (${reason}); using in-process limits`),
  });
}

/** What a server uses when given no limiter: Redis when configured, else per-plan in-process limits. */
export function defaultRateLimiter(env: Record<string, string | undefined>, db: Db): RateLimiter {
  return rateLimiterFromEnv(env, db) ?? new PlanMemoryRateLimiter({ planOf: planLookup(db) });
}
