// The OpenAPI 3.1 document of the public API, generated from the same zod schemas that validate
// requests (one request schema per model, from the catalog) plus zod descriptions of the
// contract's response shapes. Served without auth at GET /v1/openapi.json; built once per
// process (the catalog is static).
import type { Hono } from 'hono';
import { z } from 'zod';
import { allModels } from '../catalog/index.ts';
import { requestSchema } from '../catalog/request-schema.ts';
import type { AppDeps, AppEnv } from './deps.ts';
import { ERRORS } from './errors.ts';

type Json = Record<string, unknown>;

const toSchema = (s: z.ZodType): Json => {
  const out = z.toJSONSchema(s, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }) as Json;
  delete out.$schema;
  return out;
};

const iso = z.string().describe('ISO-8601 time');
const nullableIso = iso.nullable();

// Response shapes of contract §5, §6, §12-§15 (what clients may rely on; extra keys may appear).
const DATA: Record<string, z.ZodType> = {
  GenerationData: z.union([
    z.object({
      model_identifier: z.string(), generation_provider_order: z.array(z.string()), generation_prediction_id: z.string(),
      generation_id: z.string(), generation_initialized: z.literal(true),
    }),
    z.object({ generation_id: z.string(), generation_status: z.literal('canceled') }).describe('An idempotent replay of a since-canceled generation.'),
  ]),
  Generation: z.looseObject({
    account_id: z.string(), generation_id: z.string(), model_identifier: z.string(),
    generation_provider_order: z.array(z.string()), generation_provider_used: z.string().nullable(),
    generation_prediction_id: z.string().nullable(),
    generation_status: z.enum(['pending', 'processing', 'succeeded', 'failed', 'canceled']),
    generation_prompt: z.string(), generation_ratio: z.string(), generation_output_format: z.string(),
    generation_output_number: z.number(), generation_input_file: z.array(z.string()).nullable(),
    generation_output_file: z.array(z.string()).nullable(), generation_created_at: iso,
    generation_started_at: nullableIso, generation_completed_at: nullableIso,
    generation_metrics_total_time: z.number().nullable().describe('seconds'), generation_metrics_predict_time: z.number().nullable().describe('seconds'),
    generation_error: z.string().optional(), generation_error_code: z.string().optional(),
  }),
  GenerationList: z.object({ generations: z.array(z.looseObject({ account_id: z.string(), generation_id: z.string() })) }),
  GenerationCancelData: z.object({
    generation_id: z.string(), generation_status: z.literal('canceled'), provider_cancel_sent: z.boolean(), credits_refunded: z.boolean(),
  }),
  GenerationDeleteData: z.object({ generation_id: z.string(), files_deleted: z.number().int() }),
  EstimateData: z.looseObject({
    model_identifier: z.string(), model_type: z.enum(['image', 'video']), assets_count: z.number(),
    cost_per_second: z.number().optional(), duration_seconds: z.number().optional(), resolution: z.string().optional(),
    cost_per_generation: z.number(), cost_total_consumed: z.number(), credit_balance: z.number().nullable(),
    credit_balance_can_afford: z.boolean().nullable(), credit_balance_max_affordable: z.number().nullable(),
  }),
  StatusData: z.object({
    account_id: z.string(), apikey_id: z.string(), apikey_name: z.string().nullable(), apikey_prefix: z.string().nullable(),
    apikey_created_at: nullableIso, apikey_last_used_at: nullableIso, apikey_expires_at: nullableIso,
  }),
  UsageData: z.object({
    account_id: z.string(), usage_period_days: z.number().int(), usage_credit_balance: z.number(),
    usage_total_requests: z.number().int(), usage_total_success: z.number().int(), usage_total_client_errors: z.number().int(),
    usage_total_server_errors: z.number().int(), usage_total_generations: z.number().int(),
    usage_total_provider_submissions: z.number().int(), usage_total_estimated_cost: z.number(),
    usage_endpoints: z.array(z.object({
      endpoint: z.string(), total_requests: z.number().int(), success_count: z.number().int(), client_error_count: z.number().int(),
      server_error_count: z.number().int(), error_codes: z.record(z.string(), z.number().int()),
    })),
    usage_providers: z.array(z.object({
      provider: z.string(), total_submissions: z.number().int(), used_count: z.number().int(), cancelled_count: z.number().int(),
      discarded_count: z.number().int(), failed_count: z.number().int(), total_estimated_cost: z.number(), wasted_estimated_cost: z.number(),
    })),
  }),
  AccountData: z.object({
    account_id: z.string(), account_name: z.string(), account_email: z.string().nullable(), account_is_personal: z.boolean(),
    account_picture_url: z.string().nullable(), account_created_at: iso,
  }),
  BillingData: z.object({
    account_id: z.string(), billing_plan: z.string().nullable(), billing_credit_balance: z.number(),
    billing_subscription_status: z.string().nullable(), billing_currency: z.string().nullable(),
    billing_period_starts_at: nullableIso, billing_period_ends_at: nullableIso, billing_cancel_at_period_end: z.boolean().nullable(),
    billing_created_at: nullableIso, billing_updated_at: nullableIso,
  }),
  HealthProvidersData: z.object({
    service: z.literal('providers'), healthy: z.boolean(), providers_total: z.number().int(),
    providers: z.array(z.object({
      provider: z.string(), status: z.enum(['healthy', 'recovering', 'degraded', 'unknown']), failure_rate: z.number(),
      window: z.object({ total_attempts: z.number(), failures: z.number(), successes: z.number(), duration_seconds: z.number() }),
    })),
  }),
  HealthModelsData: z.object({
    service: z.literal('models'), healthy: z.boolean(), models_total: z.number().int(),
    models: z.array(z.looseObject({
      model_identifier: z.string(), model_type: z.enum(['image', 'video', 'unknown']), model_pricing: z.number().optional(),
      providers: z.record(z.string(), z.object({ available: z.boolean(), raw_model_id: z.string().nullable() })),
    })),
  }),
  HealthStorageData: z.object({ service: z.literal('storage'), healthy: z.boolean(), latency_ms: z.number(), bucket: z.string(), error: z.string().optional() }),
  HealthCacheData: z.object({ service: z.literal('redis'), healthy: z.boolean(), latency_ms: z.number(), error: z.string().optional() }),
  LibraryProvidersData: z.object({ providers: z.array(z.looseObject({ provider_id: z.string(), provider_name: z.string() })), providers_total: z.number().int() }),
  LibraryModelsData: z.object({
    models: z.array(z.looseObject({
      model_type: z.enum(['image', 'video']), model_identifier: z.string(),
      model_pricing: z.union([z.number(), z.record(z.string(), z.number())]).optional(),
      model_supported_provider: z.array(z.string()), specific_schema: z.array(z.string()), schema: z.looseObject({}),
    })),
    models_total: z.number().int(),
  }),
};

const listQuery = z.object({
  limit: z.number().int().min(1).max(100).default(50).describe('Page size, 1-100.'),
  offset: z.number().int().min(0).default(0).describe('Items to skip.'),
});
// Query parameters as clients send them (the routes parse the strings strictly to these).
const usageQuery = z.object({ days: z.number().int().min(1).max(90).default(30).describe('Days to report, 1-90.') });
const estimateQuery = z.object({
  count: z.number().int().min(1).optional(), duration: z.number().optional(), resolution: z.string().optional(),
  audio: z.enum(['true', 'false']).optional(),
});

const errorEnvelope = z.object({
  status: z.literal('error'),
  request_id: z.string(),
  error: z.object({
    code: z.string().regex(/^BSE\d{4}$/), type: z.string(), message: z.string(), retryable: z.boolean(),
    details: z.looseObject({}).optional(),
    provider_errors: z.array(z.object({ provider: z.string(), code: z.string(), type: z.string(), message: z.string(), retryable: z.boolean() })).optional(),
  }),
});

const modelSchemaName = (id: string) => `GenerationRequest.${id.replace('/', '.')}`;

interface Op {
  method: 'get' | 'post' | 'delete';
  path: string;
  id: string;
  summary: string;
  scope?: string;
  data: string;
  paginated?: boolean;
  query?: z.ZodObject;
  body?: 'image' | 'video';
}

const OPS: readonly Op[] = [
  { method: 'post', path: '/v1/generate/image/{model_namespace}/{model_name}', id: 'generateImage', summary: 'Create an image generation', scope: 'generation:write', data: 'GenerationData', body: 'image' },
  { method: 'post', path: '/v1/generate/video/{model_namespace}/{model_name}', id: 'generateVideo', summary: 'Create a video generation', scope: 'generation:write', data: 'GenerationData', body: 'video' },
  { method: 'get', path: '/v1/content/{generation_id}', id: 'getGeneration', summary: 'Get a generation', scope: 'generation:read', data: 'Generation' },
  { method: 'get', path: '/v1/content/list', id: 'listGenerations', summary: 'List generations, newest first', scope: 'generation:read', data: 'GenerationList', paginated: true, query: listQuery },
  { method: 'post', path: '/v1/content/generation/cancel/{generation_id}', id: 'cancelGeneration', summary: 'Cancel a pending or processing generation', scope: 'generation:delete', data: 'GenerationCancelData' },
  { method: 'delete', path: '/v1/content/{generation_id}', id: 'deleteGeneration', summary: 'Delete a generation and its files', scope: 'generation:delete', data: 'GenerationDeleteData' },
  { method: 'get', path: '/v1/estimate/{model_namespace}/{model_name}', id: 'estimate', summary: 'Estimate the cost of a generation', scope: 'library:read', data: 'EstimateData', query: estimateQuery },
  { method: 'get', path: '/v1/status', id: 'status', summary: 'The calling API key', scope: 'account:read', data: 'StatusData' },
  { method: 'get', path: '/v1/usage', id: 'usage', summary: 'Usage analytics over 1-90 days', scope: 'account:read', data: 'UsageData', query: usageQuery },
  { method: 'get', path: '/v1/user/account', id: 'account', summary: 'The account', scope: 'account:read', data: 'AccountData' },
  { method: 'get', path: '/v1/user/billing', id: 'billing', summary: 'Billing and credit balance', scope: 'account:read', data: 'BillingData' },
  { method: 'get', path: '/v1/health/inference/providers', id: 'healthProviders', summary: 'Provider circuit-breaker state', scope: 'health:read', data: 'HealthProvidersData' },
  { method: 'get', path: '/v1/health/inference/models', id: 'healthModels', summary: 'Model availability per provider', scope: 'health:read', data: 'HealthModelsData' },
  { method: 'get', path: '/v1/health/storage', id: 'healthStorage', summary: 'Artifact storage round trip', scope: 'health:read', data: 'HealthStorageData' },
  { method: 'get', path: '/v1/health/cache', id: 'healthCache', summary: 'Cache (Redis) round trip', scope: 'health:read', data: 'HealthCacheData' },
  { method: 'get', path: '/v1/library/providers', id: 'libraryProviders', summary: 'Inference providers', scope: 'library:read', data: 'LibraryProvidersData' },
  { method: 'get', path: '/v1/library/models', id: 'libraryModels', summary: 'Models with schema and pricing', scope: 'library:read', data: 'LibraryModelsData' },
];

const rateHeaders = {
  'X-RateLimit-Limit': { $ref: '#/components/headers/X-RateLimit-Limit' },
  'X-RateLimit-Remaining': { $ref: '#/components/headers/X-RateLimit-Remaining' },
  'X-RateLimit-Reset': { $ref: '#/components/headers/X-RateLimit-Reset' },
};

function operation(op: Op, models: { image: string[]; video: string[] }): Json {
  const params: Json[] = [];
  for (const name of op.path.match(/\{([a-z_]+)\}/g) ?? []) {
    const n = name.slice(1, -1);
    params.push({ name: n, in: 'path', required: true, schema: n === 'generation_id' ? { type: 'string', format: 'uuid' } : { type: 'string', pattern: '^[a-z0-9.-]+$' } });
  }
  if (op.query) {
    const js = toSchema(op.query) as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, schema] of Object.entries(js.properties ?? {})) {
      params.push({ name, in: 'query', required: false, schema });
    }
  }
  if (op.body) params.push({ $ref: '#/components/parameters/IdempotencyKey' });
  const success: Json = {
    allOf: [{ $ref: op.paginated ? '#/components/schemas/PaginatedEnvelope' : '#/components/schemas/SuccessEnvelope' },
      { type: 'object', properties: { data: { $ref: `#/components/schemas/${op.data}` } }, required: ['data'] }],
  };
  const responses: Json = {
    200: {
      description: 'Success',
      headers: op.body ? { ...rateHeaders, 'Idempotency-Replayed': { description: 'Exactly "true" on an idempotent replay.', schema: { type: 'string', enum: ['true'] } } } : rateHeaders,
      content: { 'application/json': { schema: success } },
    },
    429: { $ref: '#/components/responses/RateLimited' },
    default: { $ref: '#/components/responses/Error' },
  };
  return {
    operationId: op.id,
    summary: op.summary,
    ...(op.scope ? { description: `Requires the \`${op.scope}\` scope.`, security: [{ bearer: [] }] } : {}),
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(op.body ? {
      requestBody: {
        required: true,
        content: { 'application/json': { schema: { anyOf: models[op.body].map((id) => ({ $ref: `#/components/schemas/${modelSchemaName(id)}` })) } } },
      },
    } : {}),
    responses,
  };
}

export function buildOpenApiDocument(): Json {
  const schemas: Record<string, Json> = {};
  const models = { image: [] as string[], video: [] as string[] };
  for (const m of allModels()) {
    schemas[modelSchemaName(m.model_identifier)] = { ...toSchema(requestSchema(m)), title: m.model_identifier, 'x-seaplane-model': m.model_identifier };
    models[m.model_type].push(m.model_identifier);
  }
  for (const [name, s] of Object.entries(DATA)) schemas[name] = toSchema(s);
  schemas.SuccessEnvelope = {
    type: 'object',
    properties: { status: { const: 'success' }, request_id: { type: 'string' }, message: { type: 'string' }, timestamp: { type: 'string' }, data: {} },
    required: ['status', 'request_id', 'message', 'timestamp', 'data'],
  };
  schemas.PaginatedEnvelope = {
    allOf: [{ $ref: '#/components/schemas/SuccessEnvelope' }, {
      type: 'object', properties: { total: { type: 'integer' }, limit: { type: 'integer' }, offset: { type: 'integer' } }, required: ['total', 'limit', 'offset'],
    }],
  };
  schemas.ErrorEnvelope = { ...toSchema(errorEnvelope), 'x-error-codes': Object.values(ERRORS).map((e) => e.code) };

  const paths: Record<string, Json> = {};
  for (const op of OPS) (paths[op.path] ??= {})[op.method] = operation(op, models);
  paths['/v1/openapi.json'] = {
    get: { operationId: 'openapi', summary: 'This document', security: [], responses: { 200: { description: 'The OpenAPI 3.1 document', content: { 'application/json': { schema: { type: 'object' } } } } } },
  };

  return {
    openapi: '3.1.0',
    info: {
      title: 'Seaplane API', version: '1.0.0',
      description: 'Wire-compatible with the BabySea API. Every response is JSON; errors use the error envelope with a stable BSE code. See docs/api.md.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    paths,
    components: {
      schemas,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API key: `Authorization: Bearer bye_…`' } },
      parameters: {
        IdempotencyKey: {
          name: 'Idempotency-Key', in: 'header', required: false,
          description: 'Replays the first response for 24 h; a different body with the same key is BSE2015, a concurrent one BSE2016.',
          schema: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,255}$' },
        },
      },
      headers: {
        'X-RateLimit-Limit': { description: 'Requests allowed in the window', schema: { type: 'integer' } },
        'X-RateLimit-Remaining': { description: 'Requests left in the window', schema: { type: 'integer' } },
        'X-RateLimit-Reset': { description: 'Unix seconds when the window resets', schema: { type: 'integer' } },
        'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } },
      },
      responses: {
        Error: { description: 'An error envelope', headers: rateHeaders, content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorEnvelope' } } } },
        RateLimited: {
          description: 'Rate limited (BSE1029)',
          headers: { ...rateHeaders, 'Retry-After': { $ref: '#/components/headers/Retry-After' } },
          content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorEnvelope' } } },
        },
      },
    },
  };
}

let cached: Json | undefined;

export function registerOpenApi(app: Hono<AppEnv>, _deps: AppDeps): void {
  app.get('/v1/openapi.json', (c) => {
    cached ??= buildOpenApiDocument();
    return c.json(cached);
  });
}
