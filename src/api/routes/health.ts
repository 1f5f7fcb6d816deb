// Health (#12-#15): provider breaker state from recent attempt outcomes, model availability in
// this region, a real storage round trip, and the cache.
import type { Hono } from 'hono';
import { allModels } from '../../catalog/index.ts';
import { PROVIDER_IDS } from '../../catalog/types.ts';
import { requireScope } from '../auth.ts';
import type { AppDeps, AppEnv } from '../deps.ts';
import { successBody } from '../envelope.ts';

export const HEALTH_WINDOW_SECONDS = 300;

/** Breaker state from a window of outcomes: too few to judge, healthy, recovering, degraded. */
export function breakerStatus(total: number, failures: number): 'healthy' | 'recovering' | 'degraded' | 'unknown' {
  if (total < 5) return 'unknown';
  const rate = failures / total;
  if (rate >= 0.5) return 'degraded';
  if (rate >= 0.2) return 'recovering';
  return 'healthy';
}

export function registerHealth(app: Hono<AppEnv>, deps: AppDeps): void {
  const guard = requireScope(deps, 'health:read', 'read');

  app.get('/v1/health/inference/providers', guard, async (c) => {
    const since = new Date(deps.clock().getTime() - HEALTH_WINDOW_SECONDS * 1000);
    const rows = await deps.db.selectFrom('api.attempt_outcomes_v')
      .select((eb) => ['provider', eb.fn.countAll<number>().as('total'),
        eb.fn.count<number>('attempt_id').filterWhere('state', '=', 'succeeded').as('successes')])
      .where('region', '=', deps.region).where('finished_at', '>', since).where('state', '!=', 'canceled')
      .groupBy('provider').execute();
    const providers = PROVIDER_IDS.map((provider) => {
      const r = rows.find((x) => x.provider === provider);
      const total = Number(r?.total ?? 0);
      const successes = Number(r?.successes ?? 0);
      const failures = total - successes;
      return {
        provider, status: breakerStatus(total, failures), failure_rate: total === 0 ? 0 : Math.round((failures / total) * 10_000) / 10_000,
        window: { total_attempts: total, failures, successes, duration_seconds: HEALTH_WINDOW_SECONDS },
      };
    });
    const healthy = providers.every((p) => p.status !== 'degraded');
    return c.json(successBody(c.get('requestId'), 'Provider health retrieved', { service: 'providers', healthy, providers, providers_total: providers.length }, deps.clock()));
  });

  app.get('/v1/health/inference/models', guard, (c) => {
    const models = allModels().map((m) => ({
      model_identifier: m.model_identifier,
      model_type: m.model_type,
      ...(m.pricing.kind === 'flat' ? { model_pricing: m.pricing.per_output } : m.pricing.kind === 'per_second' ? { model_pricing: m.pricing.per_second } : {}),
      providers: Object.fromEntries(PROVIDER_IDS.filter((p) => m.providers[p]).map((p) => [p, {
        available: m.providers[p]?.regions.includes(deps.region) ?? false,
        raw_model_id: m.providers[p]?.raw_model_id ?? null,
      }])),
    }));
    return c.json(successBody(c.get('requestId'), 'Model health retrieved', { service: 'models', healthy: true, models, models_total: models.length }, deps.clock()));
  });

  app.get('/v1/health/storage', guard, async (c) => {
    const h = await deps.store.health();
    return c.json(successBody(c.get('requestId'), 'Storage health retrieved', { service: 'storage', bucket: deps.store.bucket, ...h }, deps.clock()));
  });

  app.get('/v1/health/cache', guard, async (c) => {
    // A real round trip when the rate limiter is Redis-backed (rate-limit-redis.ts).
    const redis = deps.rateLimiter as { ping?: () => Promise<{ healthy: boolean; latency_ms: number; error?: string }> };
    if (typeof redis.ping === 'function') {
      return c.json(successBody(c.get('requestId'), 'Cache health retrieved', { service: 'redis', ...(await redis.ping()) }, deps.clock()));
    }
    // Redis is optional in this deployment: routing and rate limits run on in-process state.
    return c.json(successBody(c.get('requestId'), 'Cache health retrieved', {
      service: 'redis', healthy: false, latency_ms: 0, error: 'Redis is not configured; routing and rate limits use in-process state',
    }, deps.clock()));
  });
}
