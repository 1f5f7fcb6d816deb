// fal queue API. Sources checked:
// - Queue docs (docs.fal.ai/model-endpoints/queue): POST https://queue.fal.run/{model_id}[/{subpath}];
//   GET …/{model_id}/requests/{request_id}/status; GET …/requests/{request_id} (the response);
//   PUT …/requests/{request_id}/cancel; submit answers {request_id, response_url, status_url,
//   cancel_url}; the subpath is used to submit but not for status or results.
// - fal-ai/fal-js libs/client/src/queue.ts and types/common.ts: `Authorization: Key <key>`;
//   `fal_webhook` query parameter; statuses IN_QUEUE | IN_PROGRESS | COMPLETED; status/result/cancel
//   built from owner/alias; webhook body {request_id, status: OK | ERROR, payload, error}.
// - Model errors page (fal.ai/docs/documentation/model-apis/errors): body {detail: [{loc, msg, type,
//   …}]} with type content_policy_violation (422) for moderated input; header X-Fal-Retryable.
// - fal-ai/fal issues #1112, #1147, #1162: out of balance is 403 {"detail": "User is locked.
//   Reason: Exhausted balance. …"}.
// - Webhook verification (docs.fal.ai/model-apis/model-endpoints/webhooks, steps as quoted in
//   public implementations): Ed25519 over request_id \n user_id \n timestamp \n hex(sha256(raw body)),
//   hex signature in X-Fal-Webhook-Signature, timestamp within ±300 s, public keys from the JWKS at
//   https://rest.fal.ai/.well-known/jwks.json (cacheable up to 24 h). We could read only excerpts of
//   that page, not its full text.
// ASSUMED (not found in the docs we could read): cancel answers 202 when accepted and 400 when the
// request already completed; a COMPLETED status may carry `error`/`error_type` for a failed run.
import { z } from 'zod';
import { downloadOutput, failFromAnswer, type HttpAnswer, parseBody, send } from '../http.ts';
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
import { falAppPath, falEndpoint, falInput } from './mapping.ts';
import { verifyFalSignature } from './webhook.ts';

const Submitted = z.object({ request_id: z.string().min(1) }).loose();

const QueueStatus = z
  .object({
    status: z.enum(['IN_QUEUE', 'IN_PROGRESS', 'COMPLETED']),
    queue_position: z.number().optional(),
    error: z.string().nullable().optional(),
    error_type: z.string().nullable().optional(),
  })
  .loose();

const FalFile = z.object({ url: z.string().min(1), content_type: z.string().optional() }).loose();
const ResultPayload = z
  .object({
    images: z.array(FalFile).optional(),
    image: FalFile.optional(),
    video: FalFile.optional(),
    has_nsfw_concepts: z.array(z.boolean()).optional(),
  })
  .loose();

const ErrorBody = z
  .object({ detail: z.union([z.string(), z.array(z.object({ msg: z.string().optional(), type: z.string().optional() }).loose())]).optional() })
  .loose();

const WebhookBody = z.object({
  request_id: z.string().min(1),
  status: z.enum(['OK', 'ERROR']),
  payload: z.unknown().optional(),
  error: z.string().nullable().optional(),
  payload_error: z.string().nullable().optional(),
});

function base(ctx: Pick<AdapterContext, 'baseUrl'>): string {
  return ctx.baseUrl.replace(/\/+$/, '');
}

function authHeader(ctx: AdapterContext): Record<string, string> {
  const key = ctx.credentials.apiKey;
  if (!key) throw new ProviderError('auth', 'fal: missing credential apiKey (FAL_KEY)');
  return { authorization: `Key ${key}` };
}

/** The class and text an error body implies: detail[].type content_policy_violation is moderation. */
function classifyBody(status: number, json: unknown): { errorClass?: ErrorClass; message: string; providerCode?: string } {
  const parsed = ErrorBody.safeParse(json);
  const detail = parsed.success ? parsed.data.detail : undefined;
  const items = Array.isArray(detail) ? detail : [];
  const text = typeof detail === 'string' ? detail : items.map((d) => d.msg ?? d.type ?? '').join('; ');
  const message = `fal answered HTTP ${status}${text ? `: ${text}` : ''}`;
  const policy = items.find((d) => d.type === 'content_policy_violation');
  if (policy) return { errorClass: 'moderation', message, providerCode: 'content_policy_violation' };
  if (status === 403 && /exhausted balance|top up your balance|reason: top_up/i.test(text)) return { errorClass: 'out_of_credit', message };
  return { message, providerCode: items[0]?.type };
}

function refine(answer: HttpAnswer) {
  return classifyBody(answer.status, answer.json);
}

function outputsOf(payload: z.infer<typeof ResultPayload>): ProviderOutput[] {
  const files = [...(payload.images ?? []), ...(payload.image ? [payload.image] : []), ...(payload.video ? [payload.video] : [])];
  return files.map((f) => ({ kind: 'url', url: f.url }));
}

/** A result payload → completed, or moderation when the safety checker flagged an output. */
function completedFrom(json: unknown): StatusResult {
  const parsed = ResultPayload.safeParse(json);
  if (!parsed.success) throw new ProviderError('malformed_response', 'fal: result is not an object');
  if (parsed.data.has_nsfw_concepts?.some(Boolean)) {
    return { kind: 'failed', error: new ProviderError('moderation', 'fal: the safety checker flagged an output', { providerCode: 'has_nsfw_concepts' }) };
  }
  const outputs = outputsOf(parsed.data);
  if (outputs.length === 0) throw new ProviderError('malformed_response', 'fal: result has no images or video');
  return { kind: 'completed', outputs };
}

function requestsUrl(req: NormalizedRequest, id: string, ctx: AdapterContext): string {
  return `${base(ctx)}/${falAppPath(req.raw_model_id)}/requests/${encodeURIComponent(id)}`;
}

async function submit(req: NormalizedRequest, ctx: AdapterContext): Promise<SubmitResult> {
  const input = falInput(req);
  const query = req.webhook_url === undefined ? '' : `?fal_webhook=${encodeURIComponent(req.webhook_url)}`;
  const answer = await send(ctx, { method: 'POST', url: `${base(ctx)}/${falEndpoint(req)}${query}`, headers: authHeader(ctx), body: input });
  if (answer.status < 200 || answer.status >= 300) failFromAnswer(answer, ctx, refine);
  return { kind: 'pending', provider_job_id: parseBody(answer, Submitted, 'fal submit').request_id };
}

/** The stored response of a COMPLETED request: the output, or the model's error status and body. */
async function result(req: NormalizedRequest, id: string, ctx: AdapterContext): Promise<StatusResult> {
  const answer = await send(ctx, { method: 'GET', url: requestsUrl(req, id, ctx), headers: authHeader(ctx) });
  if (answer.status >= 200 && answer.status < 300) {
    if (answer.json === undefined) throw new ProviderError('malformed_response', 'fal: result is not JSON', { httpStatus: answer.status });
    return completedFrom(answer.json);
  }
  if (answer.status === 400 || answer.status === 422) {
    const { errorClass, message, providerCode } = classifyBody(answer.status, answer.json);
    return { kind: 'failed', error: new ProviderError(errorClass ?? 'bad_request', message, { httpStatus: answer.status, providerCode }) };
  }
  failFromAnswer(answer, ctx, refine);
}

async function status(providerJobId: string, req: NormalizedRequest, ctx: AdapterContext): Promise<StatusResult> {
  const answer = await send(ctx, { method: 'GET', url: `${requestsUrl(req, providerJobId, ctx)}/status`, headers: authHeader(ctx) });
  if (answer.status < 200 || answer.status >= 300) failFromAnswer(answer, ctx, refine);
  const body = parseBody(answer, QueueStatus, 'fal status');
  if (body.status !== 'COMPLETED') return { kind: 'pending' };
  if (body.error) {
    const errorClass: ErrorClass = body.error_type === 'content_policy_violation' ? 'moderation' : 'provider_unavailable';
    return { kind: 'failed', error: new ProviderError(errorClass, `fal: ${body.error}`, { providerCode: body.error_type ?? undefined }) };
  }
  return result(req, providerJobId, ctx);
}

async function cancel(providerJobId: string, req: NormalizedRequest, ctx: AdapterContext): Promise<boolean> {
  const answer = await send(ctx, { method: 'PUT', url: `${requestsUrl(req, providerJobId, ctx)}/cancel`, headers: authHeader(ctx) });
  if (answer.status >= 200 && answer.status < 300) return true;
  if (answer.status === 400 || answer.status === 404) return false;
  failFromAnswer(answer, ctx, refine);
}

async function verifyWebhook(headers: Headers, rawBody: string, secret: string, ctx: Pick<AdapterContext, 'now' | 'fetch'>): Promise<ProviderWebhookEvent> {
  await verifyFalSignature(headers, rawBody, secret, ctx);
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    throw new ProviderError('malformed_response', 'fal webhook: body is not JSON');
  }
  const body = WebhookBody.safeParse(json);
  if (!body.success) throw new ProviderError('malformed_response', 'fal webhook: unexpected body');
  const { request_id, status: outcome, payload, error, payload_error } = body.data;
  if (outcome === 'OK') {
    if (payload_error) throw new ProviderError('malformed_response', `fal webhook: ${payload_error}`);
    return { provider_job_id: request_id, result: completedFrom(payload) };
  }
  const httpStatus = Number(/status code:? (\d{3})/i.exec(error ?? '')?.[1] ?? NaN);
  const classified = classifyBody(httpStatus, payload);
  const errorClass = classified.errorClass ?? (httpStatus === 422 || httpStatus === 400 ? 'bad_request' : 'provider_unavailable');
  return { provider_job_id: request_id, result: { kind: 'failed', error: new ProviderError(errorClass, `fal: ${error ?? 'request failed'}`, { providerCode: classified.providerCode }) } };
}

export const falAdapter: ProviderAdapter = {
  id: 'fal',
  defaultBaseUrl: 'https://queue.fal.run',
  credentialEnv: { apiKey: 'FAL_KEY' },
  deliveryMethod: 'webhook_with_polling',
  cancelMethod: 'queue_cancel_api',
  webhookVerification: 'ed25519',
  submit,
  status,
  cancel,
  // Outputs live on fal's public CDN (fal.media); the API key is not sent there.
  download: (output, ctx) => downloadOutput(output, ctx),
  verifyWebhook,
};
