// Resolves a request's provider order at accept time. `fastest` will read the ranking snapshot
// (adaptive routing); until a ranking exists it fails open to the model's static order, and the
// generation's routing record says so. Providers that do not offer the model in this region are
// dropped; an explicit order is kept as the caller gave it.
import { parseProviderOrder } from '../catalog/request-schema.ts';
import type { CatalogModel, ProviderId, Region } from '../catalog/types.ts';

export interface ResolvedOrder {
  order: ProviderId[];
  rawModelIds: string[];
  routing: { reason: 'static' | 'explicit'; requested: string; region: Region };
}

export function resolveOrder(model: CatalogModel, requested: string, region: Region): ResolvedOrder | undefined {
  const candidates = requested === 'fastest' ? [...model.default_order] : parseProviderOrder(requested);
  const order = candidates.filter((p) => model.providers[p]?.regions.includes(region));
  if (order.length === 0) return undefined;
  return {
    order,
    rawModelIds: order.map((p) => model.providers[p]?.raw_model_id as string),
    routing: { reason: requested === 'fastest' ? 'static' : 'explicit', requested, region },
  };
}
