// Black Forest Labs (FLUX API). Sources checked:
// - OpenAPI document https://api.bfl.ai/openapi.json (copy in tryAGI/BlackForestLabs,
//   src/libs/BlackForestLabs/openapi.json, May 2026): POST /v1/<endpoint> with header `x-key`,
//   answer AsyncResponse {id, polling_url} or, with webhook_url, AsyncWebhookResponse
//   {id, status, webhook_url}; GET /v1/get_result?id= → ResultResponse {id, status, result,
//   progress, details, preview}; StatusResponse enum: Task not found | Pending | Request Moderated |
//   Content Moderated | Ready | Error; 422 HTTPValidationError {detail: [{loc, msg, type}]}.
//   The document has no cancel endpoint, so this adapter has none.
// - BFL's own integration guide (black-forest-labs/skills, skills/bfl-api/references/*.md):
//   result.sample is a signed URL that expires after ~10 minutes; 402 means no credits; 429 rate
//   limit with Retry-After; webhook signature header `X-BFL-Signature: sha256=<hex HMAC-SHA256 of
//   the raw body under webhook_secret>`; webhook body {id, status, result | error, message,
//   timestamp}. We did not find this webhook format on docs.bfl.ai itself, so it rests on that guide.
import { z } from 'zod';
import {
  constantTimeEqual,
  downloadOutput,
  failFromAnswer,
  hexToBytes,
  hmacSha256,
  type HttpAnswer,
  parseBody,
  send,
} from '../http.ts';
import {
  type AdapterContext,
  type NormalizedRequest,
  type ProviderAdapter,
  ProviderError,
  type ProviderWebhookEvent,
  type StatusResult,
  type SubmitResult,
} from '../types.ts';
import { bflEndpoint, bflPayload } from './mapping.ts';

/** Webhooks older (or further in the future) than this are replays. */
const WEBHOOK_TOLERANCE_MS = 5 * 60 * 1000;

const MODERATION_TEXT = /moderat|content[ _]policy|nsfw|safety/i;
const CREDIT_TEXT = /insufficient[ _]credits?|not enough credits|out of credits/i;

const STATUS = z.enum(['Task not found', 'Pending', 'Request Moderated', 'Content Moderated', 'Ready', 'Error']);

const Submitted = z.object({
  id: z.string().min(1),
  polling_url: z.string().optional(),
  status: z.string().optional(),
});

const Result = z.object({
  id: z.string().optional(),
  status: STATUS,
  result: z.unknown().optional(),
  details: z.record(z.string(), z.unknown()).nullable().optional(),
  error: z.string().nullable().optional(),
  message: z.string().nullable().optional(),
});

const ReadyResult = z.object({ sample: z.string().url() });

const WebhookBody = Result.extend({ id: z.string().min(1), timestamp: z.string().optional() });

function base(ctx: Pick<AdapterContext, 'baseUrl'>): string {
  return ctx.baseUrl.replace(/\/+$/, '');
}

function apiKey(ctx: AdapterContext): string {
  const key = ctx.credentials.apiKey;
  if (!key) throw new ProviderError('auth', 'bfl: missing credential apiKey (BFL_API_KEY)');
  return key;
}

/** FastAPI errors carry `detail` (a string or a list of {msg}); the guide shows {error, message}. */
function errorText(json: unknown): string {
  const parsed = z
    .object({
      detail: z.union([z.string(), z.array(z.object({ msg: z.string() }).loose())]).optional(),
      message: z.string().optional(),
      error: z.string().optional(),
    })
    .loose()
    .safeParse(json);
  if (!parsed.success) return '';
  const { detail, message, error } = parsed.data;
  const details = typeof detail === 'string' ? detail : (detail ?? []).map((d) => d.msg).join('; ');
  return [error, message, details].filter((s) => s !== undefined && s !== '').join(': ');
}

function refine(answer: HttpAnswer): { errorClass?: 'moderation' | 'out_of_credit'; message?: string; providerCode?: string } {
  const text = errorText(answer.json);
  const message = text === '' ? undefined : `bfl answered HTTP ${answer.status}: ${text}`;
  if (CREDIT_TEXT.test(text)) return { errorClass: 'out_of_credit', message };
  if ((answer.status === 400 || answer.status === 422) && MODERATION_TEXT.test(text)) return { errorClass: 'moderation', message };
  return { message };
}

function failedWith(body: z.infer<typeof Result>): StatusResult {
  const text = [body.error, body.message, body.details ? JSON.stringify(body.details) : undefined].filter(Boolean).join(': ');
  switch (body.status) {
    case 'Request Moderated':
    case 'Content Moderated':
      return { kind: 'failed', error: new ProviderError('moderation', `bfl: ${body.status}`, { providerCode: body.status }) };
    case 'Task not found':
      return { kind: 'failed', error: new ProviderError('not_found', 'bfl: task not found', { providerCode: body.status }) };
    default: {
      // The guide counts generation_timeout and internal_error as retryable, policy errors as final.
      const errorClass = MODERATION_TEXT.test(text) ? 'moderation' : 'provider_unavailable';
      return { kind: 'failed', error: new ProviderError(errorClass, `bfl: generation failed${text ? `: ${text}` : ''}`, { providerCode: body.error ?? 'Error' }) };
    }
  }
}

function toStatus(body: z.infer<typeof Result>): StatusResult {
  if (body.status === 'Pending') return { kind: 'pending' };
  if (body.status !== 'Ready') return failedWith(body);
  const ready = ReadyResult.safeParse(body.result);
  if (!ready.success) throw new ProviderError('malformed_response', 'bfl: Ready without result.sample');
  return { kind: 'completed', outputs: [{ kind: 'url', url: ready.data.sample }] };
}

async function submit(req: NormalizedRequest, ctx: AdapterContext): Promise<SubmitResult> {
  const endpoint = bflEndpoint(req.raw_model_id);
  const answer = await send(ctx, {
    method: 'POST',
    url: `${base(ctx)}/v1/${endpoint}`,
    headers: { 'x-key': apiKey(ctx) },
    body: bflPayload(req, ctx.credentials.webhookSecret),
  });
  if (answer.status < 200 || answer.status >= 300) failFromAnswer(answer, ctx, refine);
  const body = parseBody(answer, Submitted, 'bfl submit');
  return { kind: 'pending', provider_job_id: body.id };
}

// The interface hands status() only the job id, so we poll {baseUrl}/v1/get_result?id= rather than
// the returned polling_url; BFL may answer polling_url on a regional host (api.eu / api.us), so a
// deployment pinned to a region should set baseUrl to that region's endpoint.
async function status(providerJobId: string, _req: NormalizedRequest, ctx: AdapterContext): Promise<StatusResult> {
  const answer = await send(ctx, {
    method: 'GET',
    url: `${base(ctx)}/v1/get_result?id=${encodeURIComponent(providerJobId)}`,
    headers: { 'x-key': apiKey(ctx) },
  });
  if (answer.status < 200 || answer.status >= 300) failFromAnswer(answer, ctx, refine);
  return toStatus(parseBody(answer, Result, 'bfl get_result'));
}

async function verifyWebhook(
  headers: Headers,
  rawBody: string,
  secret: string,
  ctx: Pick<AdapterContext, 'now' | 'fetch'>,
): Promise<ProviderWebhookEvent> {
  if (secret === '') throw new ProviderError('auth', 'bfl webhook: no webhook secret configured');
  const header = headers.get('x-bfl-signature') ?? '';
  const provided = header.startsWith('sha256=') ? hexToBytes(header.slice('sha256='.length)) : undefined;
  if (provided === undefined) throw new ProviderError('auth', 'bfl webhook: missing or malformed X-BFL-Signature');
  const expected = await hmacSha256(new TextEncoder().encode(secret), rawBody);
  if (!constantTimeEqual(provided, expected)) throw new ProviderError('auth', 'bfl webhook: signature mismatch');
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    throw new ProviderError('malformed_response', 'bfl webhook: body is not JSON');
  }
  const parsed = WebhookBody.safeParse(json);
  if (!parsed.success) throw new ProviderError('malformed_response', 'bfl webhook: unexpected body');
  // The signature covers only the body, so replay protection rests on the signed `timestamp` field.
  if (parsed.data.timestamp !== undefined) {
    const sentMs = Date.parse(parsed.data.timestamp);
    if (Number.isNaN(sentMs) || Math.abs(ctx.now() - sentMs) > WEBHOOK_TOLERANCE_MS) {
      throw new ProviderError('auth', 'bfl webhook: timestamp outside the tolerance window');
    }
  }
  return { provider_job_id: parsed.data.id, result: toStatus(parsed.data) };
}

export const bflAdapter: ProviderAdapter = {
  id: 'bfl',
  defaultBaseUrl: 'https://api.bfl.ai',
  credentialEnv: { apiKey: 'BFL_API_KEY', webhookSecret: 'BFL_WEBHOOK_SECRET' },
  deliveryMethod: 'webhook_with_polling',
  cancelMethod: null,
  webhookVerification: 'hmac_sha256',
  submit,
  status,
  // result.sample is a pre-signed URL on BFL's delivery storage: no x-key (it must not leak there).
  download: (output, ctx) => downloadOutput(output, ctx),
  verifyWebhook,
};
