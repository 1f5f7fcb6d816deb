// Resolves a request's provider order at accept time. `fastest` will read the ranking snapshot
// (adaptive routing); until a ranking exists it fails open to the model's static order, and the
// generation's routing record says so. Providers that do not offer the model in this region are
// dropped; an explicit order is kept as the caller gave it.
import { parseProviderOrder } from '../catalog/request-schema.ts';
import type { CatalogModel, ProviderId, Region } from '../catalog/types.ts';
import { type BreakerStatus, demoteDegraded } from './breakers.ts';

export interface ResolvedOrder {
  order: ProviderId[];
  rawModelIds: string[];
  routing: { reason: 'static' | 'explicit'; requested: string; region: Region; demoted?: ProviderId[] };
}

/**
 * `fastest` takes the static order with degraded providers (open breakers) moved to the back;
 * an explicit order is the caller's and is kept as given.
 */
export function resolveOrder(model: CatalogModel, requested: string, region: Region, breaker: (p: ProviderId) => BreakerStatus = () => 'unknown'): ResolvedOrder | undefined {
  const candidates = requested === 'fastest' ? [...model.default_order] : parseProviderOrder(requested);
  const offered = candidates.filter((p) => model.providers[p]?.regions.includes(region));
  if (offered.length === 0) return undefined;
  const { order, demoted } = requested === 'fastest' ? demoteDegraded(offered, breaker) : { order: offered, demoted: [] };
  return {
    order,
    rawModelIds: order.map((p) => model.providers[p]?.raw_model_id as string),
    routing: { reason: requested === 'fastest' ? 'static' : 'explicit', requested, region, ...(demoted.length > 0 ? { demoted } : {}) },
  };
}
