// Small builders for the catalog data: where each provider's raw model ids were checked, and the
// provider-order strings a model accepts. Everything here is plain data or a pure function of it.
import type { ProviderId, ProviderOffering, Region } from '../types.ts';

export const ALL_REGIONS: readonly Region[] = ['us', 'eu', 'jp'];
/**
 * BytePlus ModelArk serves Seedance video from its Asia-Pacific endpoint only (its EU endpoint has
 * chat and images), so only the `jp` deployment routes video to it; `us`/`eu` fail over.
 */
export const BYTEPLUS_VIDEO_REGIONS: readonly Region[] = ['jp'];

/** Where raw ids were confirmed, per provider (see SOURCES.md). */
export const SOURCE = {
  alibabacloud:
    'DashScope model-name enums and DashScope calls in public code (code search); Model Studio docs https://www.alibabacloud.com/help/en/model-studio',
  bfl: 'public code POSTing to https://api.bfl.ai/v1/<id> (code search); BFL API reference https://docs.bfl.ai',
  byteplus:
    'TanStack/ai packages/ai-byteplus/src/model-meta.ts (ids live-probed against ModelArk ap-southeast, 2026-07-31)',
  cloudflare: 'cloudflare/cloudflare-docs src/content/workers-ai-models/',
  falHead: 'fal-ai/fal-js libs/client/src/types/endpoints.ts (EndpointTypeMap, 2026-08-02)',
  falFeb: 'fal-ai/fal-js libs/client/src/types/{image,video}/endpoint-map.ts @53241327 (2026-02-03)',
  openai: 'openai/openai-node src/resources/images.ts (type ImageModel, 2026-08-21)',
  replicateGen:
    'nodetool-ai/nodetool-replicate src/nodetool/nodes/replicate/gencode.py (ids generated from the Replicate API)',
  replicateCode: 'public code calling api.replicate.com with this id (code search)',
  replicateVercel: 'vercel/ai packages/replicate/src/replicate-image-settings.ts (ReplicateImageModelId)',
  runwayImage: 'runwayml/sdk-node src/resources/text-to-image.ts (2026-07-23)',
  runwayVideo: 'runwayml/sdk-node src/resources/text-to-video.ts, image-to-video.ts (2026-07-23)',
} as const;

function offering(
  raw_model_id: string,
  verified: boolean,
  source: string,
  regions: readonly Region[] = ALL_REGIONS,
): ProviderOffering {
  return { raw_model_id, regions, verified, source };
}

/** A raw id confirmed at `source`. */
export function ok(raw_model_id: string, source: string, regions?: readonly Region[]): ProviderOffering {
  return offering(raw_model_id, true, source, regions);
}

/** A raw id that the lookups could not confirm; `why` says what is missing. */
export function unconfirmed(raw_model_id: string, why: string, regions?: readonly Region[]): ProviderOffering {
  return offering(raw_model_id, false, `unconfirmed: ${why}`, regions);
}

/** The `generation_provider_order` strings the SDK types know (contract §4.4), besides `fastest`. */
export const SDK_PROVIDER_ORDERS: readonly string[] = [
  'replicate',
  'bfl, replicate',
  'openai, replicate',
  'runway, replicate',
  'replicate, fal',
  'alibabacloud, replicate, fal',
  'bfl, replicate, cloudflare',
  'bfl, replicate, fal',
  'byteplus, replicate, fal',
  'openai, replicate, fal',
  'replicate, fal, cloudflare',
];

/**
 * The explicit orders a model accepts: its full static order (what apps build from
 * `model_supported_provider`), then every SDK-typed order that names only providers serving it.
 */
export function ordersFor(default_order: readonly ProviderId[]): string[] {
  const served = new Set<string>(default_order);
  const own = default_order.join(', ');
  const typed = SDK_PROVIDER_ORDERS.filter((order) => order.split(', ').every((p) => served.has(p)));
  return [own, ...typed.filter((order) => order !== own)];
}
