// Lookups over the catalog data.
import { MODELS } from './data/index.ts';
import type { CatalogModel, ProviderId } from './types.ts';

const BY_ID = new Map<string, CatalogModel>(MODELS.map((m) => [m.model_identifier, m]));

export function findModel(modelIdentifier: string): CatalogModel | undefined {
  return BY_ID.get(modelIdentifier);
}

export function allModels(): readonly CatalogModel[] {
  return MODELS;
}

export function modelsServedBy(provider: ProviderId): CatalogModel[] {
  return MODELS.filter((m) => m.providers[provider] !== undefined);
}

export { MODELS };
