// GET /v1/estimate/{model} (contract §12): what a generation with these options would reserve,
// and whether the calling account's available balance covers it. The estimate is the hold the
// generate route would place with the default (`fastest`) order: the highest price among the
// providers that may serve it, so "can afford" here means the generate call will not be refused
// for credits (absent other spending meanwhile).
import type { Hono } from 'hono';
import { z } from 'zod';
import { findModel } from '../../catalog/index.ts';
import { holdMicro, toCredits } from '../../catalog/pricing.ts';
import type { CatalogModel } from '../../catalog/types.ts';
import { resolveOrder } from '../../routing/order.ts';
import { requireScope } from '../auth.ts';
import type { AppDeps, AppEnv, AuthContext } from '../deps.ts';
import { successBody } from '../envelope.ts';
import { ApiError } from '../errors.ts';

const query = z.object({
  count: z.coerce.number().int().min(1).optional(),
  duration: z.coerce.number().positive().optional(),
  resolution: z.string().min(1).max(32).optional(),
  audio: z.enum(['true', 'false']).optional(),
}).strict();

function invalid(message: string): never {
  throw new ApiError('invalid_query', { message });
}

interface EstimateInput {
  count: number;
  duration?: number;
  resolution?: string;
  audio: boolean;
}

const MAX_ESTIMATE_COUNT = 10_000;

function parseInput(model: CatalogModel, raw: Record<string, string>): EstimateInput {
  const parsed = query.safeParse(raw);
  if (!parsed.success) invalid(`Invalid query: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; ')}`);
  const q = parsed.data;
  const s = model.schema;
  // count is how many assets to price (the contract's example: count 5 of bfl/flux-schnell is
  // 0.025), not one request's output number, so it is not capped by the model's per-request maximum
  const count = q.count ?? 1;
  if (count > MAX_ESTIMATE_COUNT) invalid(`count must be between 1 and ${MAX_ESTIMATE_COUNT}`);
  if (model.model_type === 'image') {
    if (q.duration !== undefined) invalid(`${model.model_identifier} is an image model: duration does not apply`);
  }
  const durations = s.generation_duration ?? [];
  const duration = model.model_type === 'video' ? (q.duration ?? durations[0]) : undefined;
  if (duration !== undefined && durations.length > 0 && !durations.includes(duration)) {
    invalid(`duration must be one of ${durations.join(', ')} for ${model.model_identifier}`);
  }
  const resolutions = s.generation_resolution ?? [];
  const resolution = q.resolution ?? resolutions[0];
  if (q.resolution !== undefined && !resolutions.includes(q.resolution)) {
    invalid(resolutions.length === 0 ? `${model.model_identifier} takes no resolution` : `resolution must be one of ${resolutions.join(', ')}`);
  }
  if (q.audio === 'true' && !s.generation_generate_audio) invalid(`${model.model_identifier} does not generate audio`);
  return { count, duration, resolution, audio: q.audio === 'true' };
}

export function registerEstimate(app: Hono<AppEnv>, deps: AppDeps): void {
  app.get('/v1/estimate/:ns/:name', requireScope(deps, 'library:read', 'read'), async (c) => {
    const id = `${c.req.param('ns')}/${c.req.param('name')}`;
    const model = findModel(id);
    if (!model) throw new ApiError('model_not_found', { message: `No model ${JSON.stringify(id)}; see GET /v1/library/models.` });
    const input = parseInput(model, c.req.query());
    const resolved = resolveOrder(model, 'fastest', deps.region);
    if (!resolved) throw new ApiError('model_not_found', { message: `${model.model_identifier} is not offered in region ${deps.region}.` });
    const priceInput = { count: 1, duration_seconds: input.duration, resolution: input.resolution, generate_audio: input.audio };
    const perGeneration = holdMicro(model, resolved.order, priceInput);
    if (perGeneration === undefined || perGeneration <= 0) throw new ApiError('price_unavailable');

    let balance: number | null = null;
    try {
      const row = await deps.db.selectFrom('api.accounts_v').select('available_microcredits')
        .where('account_id', '=', (c.get('auth') as AuthContext).accountId).executeTakeFirst();
      balance = row ? (row.available_microcredits ?? 0) : null;
    } catch {
      balance = null; // the contract's null: the balance could not be looked up
    }
    const total = perGeneration * input.count;
    const video = model.model_type === 'video';
    return c.json(successBody(c.get('requestId'), 'Estimate calculated', {
      model_identifier: model.model_identifier,
      model_type: model.model_type,
      assets_count: input.count,
      ...(video && input.duration ? { cost_per_second: toCredits(Math.round(perGeneration / input.duration)), duration_seconds: input.duration } : {}),
      ...(video && model.pricing.kind === 'per_second_tiered' && input.resolution ? { resolution: input.resolution } : {}),
      cost_per_generation: toCredits(perGeneration),
      cost_total_consumed: toCredits(total),
      credit_balance: balance === null ? null : toCredits(balance),
      credit_balance_can_afford: balance === null ? null : balance >= total,
      credit_balance_max_affordable: balance === null ? null : Math.floor(balance / perGeneration),
    }, deps.clock()));
  });
}
