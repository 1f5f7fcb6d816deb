// Cache key names. A region is one deployment (its own database, workers and cache keys), and
// regions may share one Redis, so every key starts with the region: a ranking published in `us`
// can never be read as `eu`'s. Keys are built here only, never by string concatenation elsewhere.
import { REGIONS, type Region } from '../catalog/types.ts';

export const CACHE_KEY_ROOT = 'seaplane';

/** Model identifiers are `lab/model`: lowercase letters, digits, dots, dashes and one slash. */
const MODEL_IDENTIFIER = /^[a-z0-9][a-z0-9.-]*\/[a-z0-9][a-z0-9.-]*$/;

function regionPrefix(region: Region): string {
  if (!REGIONS.includes(region)) throw new Error(`unknown region ${JSON.stringify(region)}`);
  return `${CACHE_KEY_ROOT}:${region}`;
}

/** The ranking snapshot of one model in one region (published by the ranking refresh). */
export function rankingKey(region: Region, modelIdentifier: string): string {
  if (!MODEL_IDENTIFIER.test(modelIdentifier)) throw new Error(`invalid model identifier ${JSON.stringify(modelIdentifier)}`);
  return `${regionPrefix(region)}:ranking:v1:${modelIdentifier}`;
}

/** Every key of a region starts with this (for SCAN or a flush when a region is retired). */
export function regionKeyPattern(region: Region): string {
  return `${regionPrefix(region)}:*`;
}
