// OpenAI Images API. Sources checked:
// - OpenAPI document (openai/openai-openapi openapi.json 2.3.0, server https://api.openai.com/v1):
//   POST /images/generations (CreateImageRequest, JSON) and POST /images/edits (multipart, or JSON
//   EditImageBodyJsonParam with `images: [{image_url}]`); both answer ImagesResponse {created,
//   data: [{b64_json | url, revised_prompt}], output_format, size, quality, usage}; errors are
//   ErrorResponse {error: {message, type, param, code}}. Synchronous: no job, no cancel, no webhook.
// - Rate-limit guide (platform.openai.com/docs/guides/rate-limits): x-ratelimit-reset-requests
//   ("1s") and x-ratelimit-reset-tokens ("6m0s").
// - Error guide and reports: 429 with type/code insufficient_quota is an empty balance, not a rate
//   limit; image refusals are 400 {type: image_generation_user_error, code: moderation_blocked}
//   (content_policy_violation for DALL·E).
import { z } from 'zod';
import { base64ToBytes, classifyStatus, downloadOutput, type HttpAnswer, parseBody, parseRetryAfter, send } from '../http.ts';
import {
  type AdapterContext,
  type ErrorClass,
  type NormalizedRequest,
  type ProviderAdapter,
  ProviderError,
  type ProviderOutput,
  type StatusResult,
  type SubmitResult,
} from '../types.ts';
import { contentTypeFor, openaiPayload } from './mapping.ts';

const ImagesResponse = z.object({
  created: z.number(),
  data: z.array(z.object({ b64_json: z.string().optional(), url: z.string().optional() }).loose()).min(1),
  output_format: z.string().optional(),
});

const ErrorResponse = z.object({
  error: z.object({ message: z.string(), type: z.string().nullable().optional(), code: z.string().nullable().optional() }).loose(),
});

const CREDIT_CODES = new Set(['insufficient_quota', 'billing_hard_limit_reached', 'billing_not_active']);
const MODERATION_CODES = new Set(['moderation_blocked', 'content_policy_violation']);

function base(ctx: Pick<AdapterContext, 'baseUrl'>): string {
  return ctx.baseUrl.replace(/\/+$/, '');
}

function authHeader(ctx: AdapterContext): Record<string, string> {
  const key = ctx.credentials.apiKey;
  if (!key) throw new ProviderError('auth', 'openai: missing credential apiKey (OPENAI_API_KEY)');
  return { authorization: `Bearer ${key}` };
}

/** "1s", "6m0s", "20ms", "1h2m3.5s" → milliseconds. */
export function parseResetDuration(value: string | null): number | undefined {
  if (value === null || !/^(\d+(\.\d+)?(ms|h|m|s))+$/.test(value.trim())) return undefined;
  const unit: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
  let total = 0;
  for (const [, n, , u] of value.trim().matchAll(/(\d+(\.\d+)?)(ms|h|m|s)/g)) total += Number(n) * unit[u!]!;
  return Math.round(total);
}

function retryHint(answer: HttpAnswer, ctx: AdapterContext): number | undefined {
  const retryAfter = parseRetryAfter(answer.headers.get('retry-after'), ctx.now());
  if (retryAfter !== undefined) return retryAfter;
  const resets = [answer.headers.get('x-ratelimit-reset-requests'), answer.headers.get('x-ratelimit-reset-tokens')]
    .map(parseResetDuration)
    .filter((ms): ms is number => ms !== undefined);
  return resets.length > 0 ? Math.max(...resets) : undefined;
}

function fail(answer: HttpAnswer, ctx: AdapterContext): never {
  const parsed = ErrorResponse.safeParse(answer.json);
  const error = parsed.success ? parsed.data.error : undefined;
  const code = error?.code ?? error?.type ?? undefined;
  let errorClass: ErrorClass = classifyStatus(answer.status);
  if ((error?.code && CREDIT_CODES.has(error.code)) || (error?.type && CREDIT_CODES.has(error.type))) errorClass = 'out_of_credit';
  else if (error?.code && MODERATION_CODES.has(error.code)) errorClass = 'moderation';
  const message = `openai answered HTTP ${answer.status}: ${error?.message ?? answer.text.slice(0, 300)}`;
  const retryAfterMs = errorClass === 'rate_limited' ? retryHint(answer, ctx) : undefined;
  throw new ProviderError(errorClass, message, { httpStatus: answer.status, providerCode: code, retryAfterMs });
}

async function submit(req: NormalizedRequest, ctx: AdapterContext): Promise<SubmitResult> {
  const { path, body } = openaiPayload(req);
  const answer = await send(ctx, { method: 'POST', url: `${base(ctx)}${path}`, headers: authHeader(ctx), body });
  if (answer.status < 200 || answer.status >= 300) fail(answer, ctx);
  const images = parseBody(answer, ImagesResponse, 'openai images');
  const format = images.output_format ?? (typeof body.output_format === 'string' ? body.output_format : undefined);
  const outputs: ProviderOutput[] = images.data.map((item) => {
    if (item.b64_json !== undefined) return { kind: 'inline', data: safeBase64(item.b64_json), content_type: contentTypeFor(format) };
    if (item.url !== undefined) return { kind: 'url', url: item.url };
    throw new ProviderError('malformed_response', 'openai: image without b64_json or url', { httpStatus: answer.status });
  });
  return { kind: 'completed', outputs };
}

function safeBase64(b64: string): Uint8Array {
  try {
    return base64ToBytes(b64);
  } catch (cause) {
    throw new ProviderError('malformed_response', 'openai: b64_json is not base64', { cause });
  }
}

/** Synchronous provider: submit returns the images, so there is never a job to poll. */
async function status(): Promise<StatusResult> {
  return { kind: 'failed', error: new ProviderError('not_found', 'openai images are synchronous; there is no job to poll') };
}

export const openaiAdapter: ProviderAdapter = {
  id: 'openai',
  defaultBaseUrl: 'https://api.openai.com',
  credentialEnv: { apiKey: 'OPENAI_API_KEY' },
  deliveryMethod: 'synchronous',
  cancelMethod: null,
  webhookVerification: null,
  submit,
  status,
  // Inline bytes come back as they are; a dall-e URL is a signed blob URL, fetched without the key.
  download: (output, ctx) => downloadOutput(output, ctx),
};
