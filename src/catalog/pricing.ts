// Prices from the catalog, in integer micro-credits. Floating point touches only the
// conversion of the catalog's decimal prices (<= 6 decimals), which Math.round makes exact.
import type { CatalogModel, Pricing, ProviderId } from './types.ts';

export const MICRO = 1_000_000;

export function toMicro(credits: number): number {
  return Math.round(credits * MICRO);
}

export function toCredits(micro: number): number {
  return micro / MICRO;
}

export interface PriceInput {
  count: number;
  duration_seconds?: number;
  resolution?: string;
  generate_audio?: boolean;
}

/** The tier key for tiered video pricing: `720p`, or `720p_audio` / `720p_noaudio`. */
export function tierKey(pricing: Extract<Pricing, { kind: 'per_second_tiered' }>, resolution: string, audio: boolean): string {
  const withAudio = `${resolution}_${audio ? 'audio' : 'noaudio'}`;
  return pricing.per_second[withAudio] !== undefined ? withAudio : resolution;
}

/** Per-unit rate in micro-credits: per output (flat) or per second (video). */
export function unitRateMicro(pricing: Pricing, input: PriceInput): number | undefined {
  switch (pricing.kind) {
    case 'flat':
      return toMicro(pricing.per_output);
    case 'per_second':
      return toMicro(pricing.per_second);
    case 'per_second_tiered': {
      if (input.resolution === undefined) return undefined;
      const rate = pricing.per_second[tierKey(pricing, input.resolution, input.generate_audio ?? false)];
      return rate === undefined ? undefined : toMicro(rate);
    }
  }
}

/** Cost of one generation of `count` outputs; undefined when the inputs name no price tier. */
export function priceMicro(pricing: Pricing, input: PriceInput): number | undefined {
  const rate = unitRateMicro(pricing, input);
  if (rate === undefined) return undefined;
  if (pricing.kind === 'flat') return rate * input.count;
  return rate * (input.duration_seconds ?? 0) * input.count;
}

export function providerPricing(model: CatalogModel, provider: ProviderId): Pricing {
  return model.providers[provider]?.pricing ?? model.pricing;
}

/** The hold for a request: the highest price among the providers it may be served by. */
export function holdMicro(model: CatalogModel, order: readonly ProviderId[], input: PriceInput): number | undefined {
  let max: number | undefined;
  for (const p of order) {
    const price = priceMicro(providerPricing(model, p), input);
    if (price === undefined) return undefined;
    max = Math.max(max ?? 0, price);
  }
  return max;
}
