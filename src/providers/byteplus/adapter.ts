// BytePlus ModelArk (Ark) adapter. Written to the official SDK, byteplus-sdk/byteplus-python-sdk-v2
// (byteplussdkarkruntime: resources/images, resources/content_generation/tasks, types/*), whose
// default base is https://ark.ap-southeast.bytepluses.com/api/v3, and to the Ark public error-code
// table (volcengine.com/docs/82379/1299023, the same Ark API):
// - POST /api/v3/images/generations (synchronous, OpenAI-like): model, prompt, image, size,
//   seed, response_format (url | b64_json), watermark, sequential_image_generation(+_options
//   .max_images), output_format → { model, created, data: [{ url | b64_json, size }], usage, error }
// - POST /api/v3/contents/generations/tasks: model, content[] (text | image_url with role
//   first_frame | last_frame | reference_image), ratio, duration, resolution, generate_audio, seed,
//   camera_fixed, watermark, callback_url, … → { id }
// - GET /api/v3/contents/generations/tasks/{id} → status queued | running | succeeded | failed |
//   cancelled, content.video_url, error { code, message }
// - DELETE /api/v3/contents/generations/tasks/{id}: cancels a queued task (deletes a finished one)
// - errors { error: { code, message, type } }: 401 AuthenticationError, 403 AccountOverdueError,
//   404 ModelNotOpen / InvalidEndpointOrModel.NotFound, 400 InvalidParameter and the
//   *SensitiveContentDetected family, 429 RateLimitExceeded.* / QuotaExceeded / ServerOverloaded.
import { z } from 'zod';
import { base64ToBytes, downloadOutput, failFromAnswer, type HttpAnswer, parseBody, send } from '../http.ts';
import { credential, imageEdge, joinUrl, pickSpecific, sizeForArea, sniffImageType } from '../shared-async.ts';
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

const IMAGES_PATH = 'api/v3/images/generations';
const TASKS_PATH = 'api/v3/contents/generations/tasks';
const VIDEO_POLL_MS = 10_000;

const ErrorSchema = z.object({ code: z.string(), message: z.string().default('') });
const ErrorBodySchema = z.object({ error: ErrorSchema });
const ImagesSchema = z.object({
  data: z.array(
    z.object({ url: z.string().nullish(), b64_json: z.string().nullish(), error: ErrorSchema.nullish() }),
  ),
  error: ErrorSchema.nullish(),
});
const CreatedSchema = z.object({ id: z.string().min(1) });
const TaskSchema = z.object({
  id: z.string(),
  // `expired` (execution_expires_after passed before the task ran) is seen in third-party
  // gateways' docs for this API, not in the SDK's status comment: handled defensively.
  status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled', 'expired']),
  content: z.object({ video_url: z.string().nullish() }).nullish(),
  error: ErrorSchema.nullish(),
});
const CallbackSchema = z.object({ id: z.string().min(1) });

/**
 * Recommended Seedream sizes at 2K (pixel counts from the Seedream 4.0 size guidance; assumed,
 * the table is not in the SDK). 1K and 4K scale these by 1/2 and 2.
 */
const SEEDREAM_2K: Readonly<Record<string, readonly [number, number]>> = {
  '1:1': [2048, 2048],
  '4:3': [2304, 1728],
  '3:4': [1728, 2304],
  '16:9': [2560, 1440],
  '9:16': [1440, 2560],
  '3:2': [2496, 1664],
  '2:3': [1664, 2496],
  '21:9': [3024, 1296],
  '9:21': [1296, 3024],
};

function headers(ctx: AdapterContext): Record<string, string> {
  return { authorization: `Bearer ${credential(ctx, 'apiKey')}` };
}

/** `size`: a pixel size for the ratio at the resolution's scale, else the bare `1K`/`2K`/`4K`. */
export function seedreamSize(req: NormalizedRequest): string | undefined {
  const defaultEdge = req.raw_model_id.includes('seedream-3') ? 1024 : 2048;
  const edge = imageEdge(req.resolution) ?? defaultEdge;
  if (req.ratio === undefined) return req.resolution?.toUpperCase();
  const known = SEEDREAM_2K[req.ratio];
  if (known) return `${Math.round((known[0] * edge) / 2048)}x${Math.round((known[1] * edge) / 2048)}`;
  const px = sizeForArea(req.ratio, edge, 16, 256, 4096);
  return `${px.width}x${px.height}`;
}

export function byteplusImageBody(req: NormalizedRequest): Record<string, unknown> {
  const body: Record<string, unknown> = { model: req.raw_model_id, prompt: req.prompt, response_format: 'url' };
  const size = seedreamSize(req);
  if (size) body.size = size;
  if (req.input_files.length === 1) body.image = req.input_files[0];
  if (req.input_files.length > 1) body.image = req.input_files;
  if (req.output_number > 1) {
    body.sequential_image_generation = 'auto';
    body.sequential_image_generation_options = { max_images: req.output_number };
  }
  if (req.output_format === 'png' || req.output_format === 'jpg') {
    body.output_format = req.output_format === 'jpg' ? 'jpeg' : 'png';
  }
  return { ...body, ...pickSpecific(req.specific, ['seed', 'watermark', 'guidance_scale', 'optimize_prompt']) };
}

function videoContent(req: NormalizedRequest): unknown[] {
  const image = (url: string, role: string) => ({ type: 'image_url', image_url: { url }, role });
  const content: unknown[] = [{ type: 'text', text: req.prompt }];
  const [first] = req.input_files;
  if (req.last_frame) {
    if (first) content.push(image(first, 'first_frame'));
    content.push(image(req.last_frame, 'last_frame'));
  } else if (req.input_files.length === 1 && first) {
    content.push(image(first, 'first_frame'));
  } else {
    for (const url of req.input_files) content.push(image(url, 'reference_image'));
  }
  return content;
}

export function byteplusVideoBody(req: NormalizedRequest): Record<string, unknown> {
  const body: Record<string, unknown> = { model: req.raw_model_id, content: videoContent(req) };
  if (req.ratio !== undefined) body.ratio = req.ratio;
  if (req.duration_seconds !== undefined) body.duration = req.duration_seconds;
  if (req.resolution !== undefined) body.resolution = req.resolution.toLowerCase();
  if (req.generate_audio !== undefined) body.generate_audio = req.generate_audio;
  if (req.webhook_url !== undefined) body.callback_url = req.webhook_url;
  const specific = pickSpecific(req.specific, ['seed', 'camera_fixed', 'watermark', 'return_last_frame', 'service_tier', 'draft', 'frames']);
  return { ...body, ...specific };
}

/** An Ark error code → class; undefined leaves the HTTP status to decide. */
export function byteplusCodeClass(code: string): ErrorClass | undefined {
  if (/SensitiveContentDetected|RiskDetection/i.test(code)) return 'moderation';
  if (code === 'AccountOverdueError') return 'out_of_credit';
  // Assumed: the "safe experience mode" spending cap the account owner set.
  if (code === 'SetLimitExceeded') return 'out_of_credit';
  if (code === 'AuthenticationError' || code === 'AccessDenied') return 'auth';
  if (code === 'ModelNotOpen' || code.startsWith('InvalidEndpointOrModel')) return 'not_found';
  if (code.startsWith('RateLimitExceeded') || code.startsWith('QuotaExceeded') || code === 'ServerOverloaded') return 'rate_limited';
  if (code.startsWith('InternalServiceError')) return 'provider_unavailable';
  if (code.startsWith('InvalidParameter') || code.startsWith('MissingParameter')) return 'bad_request';
  return undefined;
}

function refineHttpError(answer: HttpAnswer): Partial<{ errorClass: ErrorClass; message: string; providerCode: string }> {
  const parsed = ErrorBodySchema.safeParse(answer.json);
  if (!parsed.success) return {};
  const { code, message } = parsed.data.error;
  const errorClass = byteplusCodeClass(code);
  return { ...(errorClass ? { errorClass } : {}), providerCode: code, message: `byteplus ${code}: ${message}` };
}

function errorFrom(error: { code: string; message: string } | null | undefined, fallback: string): ProviderError {
  if (!error) return new ProviderError('unknown', fallback);
  return new ProviderError(byteplusCodeClass(error.code) ?? 'unknown', `byteplus ${error.code}: ${error.message}`, { providerCode: error.code });
}

function imageOutputs(body: z.infer<typeof ImagesSchema>): ProviderOutput[] {
  const outputs: ProviderOutput[] = [];
  for (const item of body.data) {
    if (item.url) outputs.push({ kind: 'url', url: item.url });
    else if (item.b64_json) {
      const data = base64ToBytes(item.b64_json);
      outputs.push({ kind: 'inline', data, content_type: sniffImageType(data) });
    }
  }
  return outputs;
}

async function submitImage(req: NormalizedRequest, ctx: AdapterContext): Promise<SubmitResult> {
  const url = joinUrl(ctx.baseUrl, IMAGES_PATH);
  const answer = await send(ctx, { method: 'POST', url, headers: headers(ctx), body: byteplusImageBody(req) });
  if (answer.status < 200 || answer.status >= 300) failFromAnswer(answer, ctx, refineHttpError);
  const body = parseBody(answer, ImagesSchema, 'byteplus images');
  const outputs = imageOutputs(body);
  if (outputs.length === 0) {
    throw errorFrom(body.error ?? body.data.find((d) => d.error)?.error, 'byteplus images answered without an image');
  }
  return { kind: 'completed', outputs };
}

async function submitVideo(req: NormalizedRequest, ctx: AdapterContext): Promise<SubmitResult> {
  const url = joinUrl(ctx.baseUrl, TASKS_PATH);
  const answer = await send(ctx, { method: 'POST', url, headers: headers(ctx), body: byteplusVideoBody(req) });
  if (answer.status < 200 || answer.status >= 300) failFromAnswer(answer, ctx, refineHttpError);
  const created = parseBody(answer, CreatedSchema, 'byteplus create task');
  return { kind: 'pending', provider_job_id: created.id, poll_after_ms: VIDEO_POLL_MS };
}

function taskResult(task: z.infer<typeof TaskSchema>): StatusResult {
  switch (task.status) {
    case 'queued':
    case 'running':
      return { kind: 'pending', poll_after_ms: VIDEO_POLL_MS };
    case 'cancelled':
      return { kind: 'canceled' };
    case 'expired':
      return { kind: 'failed', error: new ProviderError('timeout', 'byteplus task expired before it ran') };
    case 'failed':
      return { kind: 'failed', error: errorFrom(task.error, 'byteplus task failed without an error body') };
    case 'succeeded': {
      const url = task.content?.video_url;
      if (!url) throw new ProviderError('malformed_response', 'byteplus task succeeded without content.video_url');
      return { kind: 'completed', outputs: [{ kind: 'url', url }] };
    }
  }
}

async function status(providerJobId: string, _req: NormalizedRequest, ctx: AdapterContext): Promise<StatusResult> {
  const url = joinUrl(ctx.baseUrl, `${TASKS_PATH}/${encodeURIComponent(providerJobId)}`);
  const answer = await send(ctx, { method: 'GET', url, headers: headers(ctx) });
  if (answer.status < 200 || answer.status >= 300) failFromAnswer(answer, ctx, refineHttpError);
  return taskResult(parseBody(answer, TaskSchema, 'byteplus task'));
}

/** Only queued tasks can be cancelled; Ark refuses a running one, which is not an error here. */
async function cancel(providerJobId: string, _req: NormalizedRequest, ctx: AdapterContext): Promise<boolean> {
  const url = joinUrl(ctx.baseUrl, `${TASKS_PATH}/${encodeURIComponent(providerJobId)}`);
  const answer = await send(ctx, { method: 'DELETE', url, headers: headers(ctx) });
  if (answer.status >= 200 && answer.status < 300) return true;
  if (answer.status === 400 || answer.status === 404 || answer.status === 409) return false;
  return failFromAnswer(answer, ctx, refineHttpError);
}

/**
 * Ark documents no signature on callback_url requests, so a callback is never trusted as an
 * outcome: it only names the task, and the result says "poll now" so the runner confirms it
 * through the authenticated status call. A forged callback can cause an early poll, nothing more.
 */
async function verifyWebhook(_headers: Headers, rawBody: string): Promise<ProviderWebhookEvent> {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch (cause) {
    throw new ProviderError('malformed_response', 'byteplus callback is not JSON', { cause });
  }
  const parsed = CallbackSchema.safeParse(json);
  if (!parsed.success) throw new ProviderError('malformed_response', 'byteplus callback has no task id');
  return { provider_job_id: parsed.data.id, result: { kind: 'pending', poll_after_ms: 0 } };
}

export const byteplusAdapter: ProviderAdapter = {
  id: 'byteplus',
  defaultBaseUrl: 'https://ark.ap-southeast.bytepluses.com',
  credentialEnv: { apiKey: 'ARK_API_KEY' },
  // Video tasks accept callback_url; images answer synchronously (submit returns completed).
  deliveryMethod: 'webhook_with_polling',
  cancelMethod: 'queue_cancel_api',
  webhookVerification: null,
  submit: (req, ctx) => (req.model_type === 'image' ? submitImage(req, ctx) : submitVideo(req, ctx)),
  status,
  cancel,
  download: (output, ctx) => downloadOutput(output, ctx),
  verifyWebhook,
};
