// The model catalog's shape. The catalog is data (src/catalog/data/*.ts); validators, the
// /v1/library answers, estimates and the OpenAPI document all derive from it.

export const PROVIDER_IDS = [
  'alibabacloud',
  'bfl',
  'byteplus',
  'cloudflare',
  'fal',
  'openai',
  'replicate',
  'runway',
] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export const REGIONS = ['us', 'eu', 'jp'] as const;
export type Region = (typeof REGIONS)[number];

export type ModelType = 'image' | 'video';

/**
 * Prices are in credits (1 credit = 1 USD of list price), as decimal numbers with at most
 * 6 decimals; the ledger converts them to integer micro-credits.
 * - flat: per generated output (images), `per_output`.
 * - per_second: video, `per_second` × duration.
 * - per_second_tiered: video, rate chosen by tier key: a resolution (`720p`) or a resolution
 *   with an audio mode (`720p_audio`, `720p_noaudio`).
 */
export type Pricing =
  | { kind: 'flat'; per_output: number }
  | { kind: 'per_second'; per_second: number }
  | { kind: 'per_second_tiered'; per_second: Record<string, number> };

/** A model-specific parameter accepted through `specific_schema`. */
export type SpecificParam =
  | { type: 'integer'; min?: number; max?: number; default?: number; description?: string }
  | { type: 'number'; min?: number; max?: number; default?: number; description?: string }
  | { type: 'boolean'; default?: boolean; description?: string }
  | { type: 'string'; enum?: readonly string[]; max_length?: number; default?: string; description?: string };

export interface ModelSchema {
  generation_ratio: readonly string[];
  generation_output_format: readonly string[];
  /** The count apps send (contract §13). */
  generation_output_number: number;
  /** The most outputs one request may ask for (defaults to generation_output_number). */
  max_output_number?: number;
  generation_input_file: boolean;
  /** Most input files accepted when generation_input_file is true. */
  max_input_files?: number;
  /** Video: allowed durations in seconds. */
  generation_duration?: readonly number[];
  /** Allowed resolutions; element 0 is the default. */
  generation_resolution?: readonly string[];
  /** Video: whether audio can be generated (audio-priced models). */
  generation_generate_audio?: boolean;
  /** Video: whether an end frame (`generation_input_file_last_content`) is accepted. */
  generation_input_file_last_content?: boolean;
}

export interface ProviderOffering {
  /** The provider's own model id, spelled as its public docs spell it. */
  raw_model_id: string;
  regions: readonly Region[];
  /** true when the raw id was checked against the provider's public docs. */
  verified: boolean;
  /** Where it was checked (doc URL or repository path), or why it could not be. */
  source?: string;
  /** Price when this provider serves it, if different from the model's list price. */
  pricing?: Pricing;
}

export interface CatalogModel {
  model_identifier: string; // `<lab>/<slug>`, lowercase, [a-z0-9.-], exactly one '/'
  model_type: ModelType;
  lab: string;
  display_name: string;
  pricing: Pricing;
  schema: ModelSchema;
  specific_schema: Readonly<Record<string, SpecificParam>>;
  providers: Readonly<Partial<Record<ProviderId, ProviderOffering>>>;
  /** The static (deterministic) provider order, used when routing fails open. */
  default_order: readonly ProviderId[];
  /** Explicit `generation_provider_order` strings accepted besides `fastest`, e.g. 'bfl, replicate, fal'. */
  provider_orders: readonly string[];
}
