// Replicate predictions API. Sources checked:
// - HTTP API reference (replicate.com/docs/reference/http, copied in the index): POST
//   /v1/models/{owner}/{name}/predictions for official models, POST /v1/predictions with `version`
//   (64-hex id, or owner/name:id) otherwise; `Authorization: Bearer`; optional `Prefer: wait=n`
//   (1-60 s); body {input, webhook, webhook_events_filter: start|output|logs|completed};
//   GET /v1/predictions/{id}; POST /v1/predictions/{id}/cancel; status starting | processing |
//   succeeded | failed | canceled; `error` holds the failure; output files are HTTPS URLs, and
//   "you'll need to pass the Authorization header to request them".
// - Rate limits page (replicate.com/docs/topics/predictions/rate-limits): 429 with
//   {"detail":"Request was throttled. Your rate limit resets in ~30s."}.
// - Error codes page (replicate.com/docs/reference/error-codes): E#### codes in `error`.
// - Webhooks (replicate.com/docs/topics/webhooks/verify-webhook and replicate-javascript
//   lib/util.js validateWebhook): headers webhook-id, webhook-timestamp (seconds), webhook-signature
//   (space-delimited `v1,<base64>`); HMAC-SHA256 over `${id}.${timestamp}.${body}` with the base64
//   key after `whsec_` (Standard Webhooks). The 5-minute tolerance is the Standard Webhooks default.
// We do not send `Prefer: wait`: the runner polls from a worker, so holding a socket buys nothing;
// a create answer that is already terminal is still honoured.
import { z } from 'zod';
import {
  base64ToBytes,
  classifyStatus,
  constantTimeEqual,
  downloadOutput,
  type HttpAnswer,
  hmacSha256,
  parseBody,
  parseRetryAfter,
  send,
} from '../http.ts';
import {
  type AdapterContext,
  type ErrorClass,
  type NormalizedRequest,
  type ProviderAdapter,
  ProviderError,
  type ProviderOutput,
  type ProviderWebhookEvent,
  type StatusResult,
  type SubmitResult,
} from '../types.ts';
import { parseModelId, replicateInput } from './mapping.ts';

const WEBHOOK_TOLERANCE_S = 5 * 60;
const MODERATION_TEXT = /\bE005\b|nsfw|sensitive|flagged|safety|moderat|content policy/i;

const Prediction = z.object({
  id: z.string().min(1),
  status: z.enum(['starting', 'processing', 'succeeded', 'failed', 'canceled']),
  output: z.unknown().optional(),
  error: z.unknown().optional(),
  data_removed: z.boolean().optional(),
});
type Prediction = z.infer<typeof Prediction>;

const Problem = z.object({ detail: z.unknown().optional(), title: z.string().optional() }).loose();

function base(ctx: Pick<AdapterContext, 'baseUrl'>): string {
  return ctx.baseUrl.replace(/\/+$/, '');
}

function authHeader(ctx: AdapterContext): Record<string, string> {
  const token = ctx.credentials.apiKey;
  if (!token) throw new ProviderError('auth', 'replicate: missing credential apiKey (REPLICATE_API_TOKEN)');
  return { authorization: `Bearer ${token}` };
}

function problemText(answer: HttpAnswer): string {
  const parsed = Problem.safeParse(answer.json);
  if (!parsed.success) return answer.text.slice(0, 300);
  const detail = typeof parsed.data.detail === 'string' ? parsed.data.detail : JSON.stringify(parsed.data.detail ?? '');
  return [parsed.data.title, detail].filter((s) => s !== undefined && s !== '' && s !== '""').join(': ');
}

/** Non-2xx → ProviderError. 429 bodies say "resets in ~30s" when there is no Retry-After header. */
function fail(answer: HttpAnswer, ctx: AdapterContext): never {
  const text = problemText(answer);
  let errorClass: ErrorClass = classifyStatus(answer.status);
  if ((answer.status === 400 || answer.status === 422) && MODERATION_TEXT.test(text)) errorClass = 'moderation';
  if (/insufficient credit|billing/i.test(text) && answer.status !== 429) errorClass = 'out_of_credit';
  let retryAfterMs = parseRetryAfter(answer.headers.get('retry-after'), ctx.now());
  const resets = /resets in ~?(\d+)\s*s/i.exec(text);
  if (retryAfterMs === undefined && answer.status === 429 && resets) retryAfterMs = Number(resets[1]) * 1000;
  throw new ProviderError(errorClass, `replicate answered HTTP ${answer.status}: ${text}`, { httpStatus: answer.status, retryAfterMs });
}

/** Output is a URL, a list of URLs, or (sync mode with data URLs) data: URIs. */
function collectOutputs(output: unknown, into: ProviderOutput[] = []): ProviderOutput[] {
  if (typeof output === 'string') {
    const data = /^data:([^;,]+)(;base64)?,/.exec(output);
    if (data && data[2]) into.push({ kind: 'inline', data: base64ToBytes(output), content_type: data[1]! });
    else if (/^https?:\/\//.test(output)) into.push({ kind: 'url', url: output });
  } else if (Array.isArray(output)) {
    for (const item of output) collectOutputs(item, into);
  }
  return into;
}

function failure(prediction: Prediction): ProviderError {
  const text = typeof prediction.error === 'string' ? prediction.error : JSON.stringify(prediction.error ?? 'unknown error');
  const code = /\bE\d{3,4}\b/.exec(text)?.[0];
  let errorClass: ErrorClass = 'unknown';
  if (MODERATION_TEXT.test(text)) errorClass = 'moderation';
  else if (code === 'E6716' || /timed? ?out/i.test(text)) errorClass = 'timeout';
  else if (code === 'E1000') errorClass = 'provider_unavailable';
  return new ProviderError(errorClass, `replicate prediction failed: ${text}`, { providerCode: code });
}

function toStatus(prediction: Prediction): StatusResult {
  switch (prediction.status) {
    case 'starting':
    case 'processing':
      return { kind: 'pending' };
    case 'canceled':
      return { kind: 'canceled' };
    case 'failed':
      return { kind: 'failed', error: failure(prediction) };
    case 'succeeded': {
      const outputs = collectOutputs(prediction.output);
      if (outputs.length > 0) return { kind: 'completed', outputs };
      // Outputs are deleted an hour after an API prediction; afterwards `output` is null.
      if (prediction.data_removed) throw new ProviderError('not_found', 'replicate: prediction output was removed');
      throw new ProviderError('malformed_response', 'replicate: succeeded without file outputs');
    }
  }
}

async function submit(req: NormalizedRequest, ctx: AdapterContext): Promise<SubmitResult> {
  const model = parseModelId(req.raw_model_id);
  const body: Record<string, unknown> = { input: replicateInput(req) };
  if (model.version !== undefined) body.version = model.version;
  if (req.webhook_url !== undefined) {
    body.webhook = req.webhook_url;
    body.webhook_events_filter = ['completed'];
  }
  const path = model.version === undefined ? `/v1/models/${model.owner}/${model.name}/predictions` : '/v1/predictions';
  const answer = await send(ctx, { method: 'POST', url: `${base(ctx)}${path}`, headers: authHeader(ctx), body });
  if (answer.status < 200 || answer.status >= 300) fail(answer, ctx);
  const prediction = parseBody(answer, Prediction, 'replicate create prediction');
  const result = toStatus(prediction);
  if (result.kind === 'completed') return { kind: 'completed', provider_job_id: prediction.id, outputs: result.outputs };
  if (result.kind === 'failed') throw result.error;
  return { kind: 'pending', provider_job_id: prediction.id };
}

async function status(providerJobId: string, _req: NormalizedRequest, ctx: AdapterContext): Promise<StatusResult> {
  const url = `${base(ctx)}/v1/predictions/${encodeURIComponent(providerJobId)}`;
  const answer = await send(ctx, { method: 'GET', url, headers: authHeader(ctx) });
  if (answer.status < 200 || answer.status >= 300) fail(answer, ctx);
  return toStatus(parseBody(answer, Prediction, 'replicate get prediction'));
}

async function cancel(providerJobId: string, _req: NormalizedRequest, ctx: AdapterContext): Promise<boolean> {
  const url = `${base(ctx)}/v1/predictions/${encodeURIComponent(providerJobId)}/cancel`;
  const answer = await send(ctx, { method: 'POST', url, headers: authHeader(ctx) });
  if (answer.status >= 200 && answer.status < 300) return true;
  // Unknown or already finished: nothing left to cancel.
  if (answer.status === 404 || answer.status === 409 || answer.status === 400) return false;
  fail(answer, ctx);
}

/** Replicate's own hosts get the token; any other host never sees it. */
function isReplicateHost(url: string, ctx: AdapterContext): boolean {
  const target = new URL(url);
  if (target.origin === new URL(ctx.baseUrl).origin) return true;
  return target.protocol === 'https:' && (target.hostname === 'replicate.delivery' || target.hostname.endsWith('.replicate.delivery'));
}

async function download(output: ProviderOutput, ctx: AdapterContext) {
  if (output.kind === 'url' && isReplicateHost(output.url, ctx)) return downloadOutput(output, ctx, authHeader(ctx));
  return downloadOutput(output, ctx);
}

async function verifyWebhook(headers: Headers, rawBody: string, secret: string, ctx: Pick<AdapterContext, 'now' | 'fetch'>): Promise<ProviderWebhookEvent> {
  const id = headers.get('webhook-id');
  const timestamp = headers.get('webhook-timestamp');
  const signatures = headers.get('webhook-signature');
  if (!id || !timestamp || !signatures) throw new ProviderError('auth', 'replicate webhook: missing webhook-* headers');
  if (!/^\d+$/.test(timestamp) || Math.abs(ctx.now() / 1000 - Number(timestamp)) > WEBHOOK_TOLERANCE_S) {
    throw new ProviderError('auth', 'replicate webhook: timestamp outside the tolerance window');
  }
  const key = safeBase64(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret);
  if (key === undefined || key.length === 0) throw new ProviderError('auth', 'replicate webhook: signing secret is not whsec_<base64>');
  const expected = await hmacSha256(key, `${id}.${timestamp}.${rawBody}`);
  const matches = signatures.split(' ').some((entry) => {
    const [version, sig] = entry.split(',', 2);
    const provided = version === 'v1' && sig ? safeBase64(sig) : undefined;
    return provided !== undefined && constantTimeEqual(provided, expected);
  });
  if (!matches) throw new ProviderError('auth', 'replicate webhook: signature mismatch');
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    throw new ProviderError('malformed_response', 'replicate webhook: body is not JSON');
  }
  const prediction = Prediction.safeParse(json);
  if (!prediction.success) throw new ProviderError('malformed_response', 'replicate webhook: not a prediction object');
  return { provider_job_id: prediction.data.id, result: toStatus(prediction.data) };
}

function safeBase64(text: string): Uint8Array | undefined {
  try {
    return base64ToBytes(text);
  } catch {
    return undefined;
  }
}

export const replicateAdapter: ProviderAdapter = {
  id: 'replicate',
  defaultBaseUrl: 'https://api.replicate.com',
  // webhookSecret: the whsec_… key from GET /v1/webhooks/default/secret, for verifyWebhook.
  credentialEnv: { apiKey: 'REPLICATE_API_TOKEN', webhookSecret: 'REPLICATE_WEBHOOK_SECRET' },
  deliveryMethod: 'webhook_with_polling',
  cancelMethod: 'prediction_cancel_api',
  webhookVerification: 'hmac_sha256',
  submit,
  status,
  cancel,
  download,
  verifyWebhook,
};
