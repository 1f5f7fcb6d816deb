// The API's breaker cache: provider outcomes of this region from SQL, refreshed every 2 s.
import { rpc } from '../db/rpc.ts';
import { BREAKER_WINDOW_SECONDS, BreakerCache } from '../routing/breakers.ts';
import type { AppDeps } from './deps.ts';

export function breakerCacheFor(deps: Pick<AppDeps, 'db' | 'region' | 'clock'>, ttlMs = 2000): BreakerCache {
  return new BreakerCache(
    async () => (await rpc(deps.db, 'provider_breakers', { p_region: deps.region, p_window_seconds: BREAKER_WINDOW_SECONDS, p_now: deps.clock() }))
      .map((r) => ({ provider: r.provider ?? '', total: r.total ?? 0, failures: r.failures ?? 0, successes: r.successes ?? 0, hard_failures: r.hard_failures ?? 0 })),
    () => deps.clock().getTime(),
    ttlMs,
  );
}
