// POST /v1/generate/{image|video}/{model}: validate, resolve the order, price the hold, then one
// SQL transaction (api.generation_create, or api.generations_create for a batch of concurrent
// requests: ../accept-batch.ts) claims the idempotency key, holds the credits, creates the
// generation and enqueues its first attempt.
import type { Context, Hono } from 'hono';
import { holdMicro } from '../../catalog/pricing.ts';
import { cachedRequestSchema, routeMismatch, type ValidatedRequest } from '../../catalog/request-schema.ts';
import { findModel } from '../../catalog/index.ts';
import type { CatalogModel, ModelType } from '../../catalog/types.ts';
import { rpcOne } from '../../db/rpc.ts';
import { resolveOrder } from '../../routing/order.ts';
import { requireScope } from '../auth.ts';
import { readJsonObject } from '../body.ts';
import type { AppDeps, AppEnv, AuthContext } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { requestFingerprint } from '../fingerprint.ts';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{1,255}$/;
export const DEADLINE_SECONDS: Record<ModelType, number> = { image: 600, video: 1800 };

function validate(model: CatalogModel, body: Record<string, unknown>): ValidatedRequest {
  const parsed = cachedRequestSchema(model).safeParse(body);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({
    field: i.path.length > 0 ? i.path.join('.') : ((i as { keys?: string[] }).keys ?? []).join(', '),
    message: i.code === 'unrecognized_keys' ? `unknown field(s) for ${model.model_identifier}: ${(i as { keys?: string[] }).keys?.join(', ')}` : i.message,
  }));
  const summary = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
  throw new ApiError('validation_error', { message: `Invalid request: ${summary}`, details: { issues } });
}

async function create(c: Context<AppEnv>, deps: AppDeps, route: ModelType, modelId: string): Promise<Response> {
  const auth = c.get('auth') as AuthContext;
  const idempotencyKey = c.req.header('idempotency-key');
  if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) throw new ApiError('invalid_idempotency_key');
  const body = await readJsonObject(c, deps.maxBodyBytes);
  const model = findModel(modelId);
  if (!model) throw new ApiError('model_not_found', { message: `No model ${JSON.stringify(modelId)}; see GET /v1/library/models.` });
  const mismatch = routeMismatch(model, route, body);
  if (mismatch) throw new ApiError('model_type_mismatch', { message: mismatch });
  const request = validate(model, body);
  const breaker = deps.breakers ? await deps.breakers.statuses() : undefined;
  const resolved = resolveOrder(model, request.generation_provider_order, deps.region, breaker);
  if (!resolved) throw new ApiError('model_not_found', { message: `${model.model_identifier} is not offered in region ${deps.region}.` });
  const hold = holdMicro(model, resolved.order, {
    count: request.generation_output_number,
    duration_seconds: request.generation_duration,
    resolution: request.generation_resolution,
    generate_audio: request.generation_generate_audio,
  });
  if (hold === undefined || hold <= 0) throw new ApiError('price_unavailable');

  const now = deps.clock();
  const accept = deps.accept ?? ((args) => rpcOne(deps.db, 'generation_create', args));
  const row = await accept({
    p_account_id: auth.accountId,
    p_apikey_id: auth.apikeyId,
    p_region: deps.region,
    p_model_identifier: model.model_identifier,
    p_model_type: model.model_type,
    p_request: request,
    p_provider_order: resolved.order,
    p_raw_model_ids: resolved.rawModelIds,
    p_routing: resolved.routing,
    p_cost_estimate_microcredits: hold,
    p_deadline_seconds: DEADLINE_SECONDS[model.model_type],
    p_idempotency_key: idempotencyKey ?? null,
    p_fingerprint: idempotencyKey === undefined ? null : await requestFingerprint(route, model.model_identifier, body),
    p_request_id: c.get('requestId'),
    p_response_timestamp: now.toISOString(),
    p_now: now,
  });
  switch (row.outcome) {
    case 'created':
      deps.wakeWorkers?.();
      return c.json(row.body as object, 200);
    case 'replayed':
      return c.json(row.body as object, (row.http_status ?? 200) as 200, { 'Idempotency-Replayed': 'true' });
    case 'idempotency_mismatch':
      throw new ApiError('idempotency_mismatch');
    case 'idempotency_in_flight':
      throw new ApiError('idempotency_in_flight', { headers: { 'Retry-After': '1' } });
    case 'insufficient_credits':
      throw new ApiError('insufficient_credits', { details: { required_credits: hold / 1_000_000 } });
    case 'receivable_outstanding':
      throw new ApiError('receivable_outstanding');
    default:
      throw new Error(`generation_create returned ${String(row.outcome)}`);
  }
}

export function registerGenerate(app: Hono<AppEnv>, deps: AppDeps): void {
  const guard = requireScope(deps, 'generation:write', 'generate');
  for (const route of ['image', 'video'] as const) {
    app.post(`/v1/generate/${route}/:ns/:name`, guard, (c) => create(c, deps, route, `${c.req.param('ns')}/${c.req.param('name')}`));
    app.post(`/v1/generate/${route}/*`, guard, () => {
      throw new ApiError('model_not_found', { message: 'Model identifiers look like <lab>/<model>, e.g. bfl/flux-schnell.' });
    });
  }
}
