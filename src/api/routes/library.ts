// The catalog, as the contract's library answers (#16, #17).
import type { Hono } from 'hono';
import { allModels, modelsServedBy } from '../../catalog/index.ts';
import { PROVIDERS } from '../../catalog/providers.ts';
import { PROVIDER_IDS, type CatalogModel, type Pricing } from '../../catalog/types.ts';
import { requireScope } from '../auth.ts';
import type { AppDeps, AppEnv } from '../deps.ts';
import { successBody } from '../envelope.ts';

/** model_pricing: a number (flat per output, or per second) or a map of tier -> number. */
export function presentPricing(p: Pricing): number | Record<string, number> {
  if (p.kind === 'flat') return p.per_output;
  if (p.kind === 'per_second') return p.per_second;
  return { ...p.per_second };
}

export function presentModel(m: CatalogModel) {
  const s = m.schema;
  return {
    model_type: m.model_type,
    model_identifier: m.model_identifier,
    model_name: m.display_name,
    model_lab: m.lab,
    model_pricing: presentPricing(m.pricing),
    model_supported_provider: Object.keys(m.providers),
    model_provider_orders: ['fastest', ...m.provider_orders],
    specific_schema: Object.keys(m.specific_schema),
    schema: {
      generation_prompt: true,
      generation_ratio: s.generation_ratio,
      generation_output_format: s.generation_output_format,
      generation_output_number: s.generation_output_number,
      generation_input_file: s.generation_input_file,
      ...(s.generation_duration ? { generation_duration: s.generation_duration } : {}),
      ...(s.generation_resolution ? { generation_resolution: s.generation_resolution } : {}),
      ...(s.generation_generate_audio !== undefined ? { generation_generate_audio: s.generation_generate_audio } : {}),
    },
  };
}

export function registerLibrary(app: Hono<AppEnv>, deps: AppDeps): void {
  const guard = requireScope(deps, 'library:read', 'read');
  app.get('/v1/library/models', guard, (c) => {
    const models = allModels().map(presentModel);
    return c.json(successBody(c.get('requestId'), 'Models retrieved', { models, models_total: models.length }, deps.clock()));
  });
  app.get('/v1/library/providers', guard, (c) => {
    const providers = PROVIDER_IDS.map((id) => {
      const p = PROVIDERS[id];
      const served = modelsServedBy(id);
      return {
        provider_id: p.provider_id, provider_name: p.provider_name, provider_description: p.provider_description,
        provider_website: p.provider_website, provider_docs: p.provider_docs, provider_status: 'active',
        babysea_implementation: {
          delivery_method: p.delivery_method, cancel_method: p.cancel_method, webhook_verification: p.webhook_verification,
          error_mapping: 'bse_error_codes', cost_tracking: 'per_generation_usd', schema_conversion: 'unified_to_native',
          failover_strategy: 'sequential_provider_chain', health_monitoring: 'circuit_breaker',
          supported_media_types: [...new Set(served.map((m) => m.model_type))].sort(),
          supported_models_total: served.length,
        },
      };
    });
    return c.json(successBody(c.get('requestId'), 'Providers retrieved', { providers, providers_total: providers.length }, deps.clock()));
  });
}
