// Health (#12-#15): provider breaker state from recent attempt outcomes, model availability in
// this region, a real storage round trip, and the cache.
import type { Hono } from 'hono';
import { allModels } from '../../catalog/index.ts';
import { PROVIDER_IDS } from '../../catalog/types.ts';
import { BREAKER_WINDOW_SECONDS } from '../../routing/breakers.ts';
import { requireScope } from '../auth.ts';
import { breakerCacheFor } from '../breakers.ts';
import type { AppDeps, AppEnv } from '../deps.ts';
import { successBody } from '../envelope.ts';

export function registerHealth(app: Hono<AppEnv>, deps: AppDeps): void {
  const guard = requireScope(deps, 'health:read', 'read');

  app.get('/v1/health/inference/providers', guard, async (c) => {
    const cache = deps.breakers ?? breakerCacheFor(deps);
    const status = await cache.statuses();
    const providers = PROVIDER_IDS.map((provider) => {
      const w = cache.window(provider);
      return {
        provider, status: status(provider), failure_rate: w.total === 0 ? 0 : Math.round((w.failures / w.total) * 10_000) / 10_000,
        window: { total_attempts: w.total, failures: w.failures, successes: w.successes, duration_seconds: BREAKER_WINDOW_SECONDS },
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
