// Runway API adapter. Written to the public API as the official SDK encodes it (runwayml/sdk-node
// 4.12.0, generated from Runway's OpenAPI spec) and to docs.dev.runwayml.com:
// - POST /v1/text_to_image, /v1/image_to_video, /v1/text_to_video → { id }
// - GET /v1/tasks/{id} → status PENDING | THROTTLED | RUNNING | SUCCEEDED (output: string[]) |
//   FAILED (failure, failureCode) | CANCELLED
// - DELETE /v1/tasks/{id}: cancels a pending, throttled or running task (deletes a finished one)
// - headers Authorization: Bearer <key> and X-Runway-Version: 2024-11-06
// - HTTP errors (api-details/errors): 400 { error }, 401 bad key, 404, 429 (limits reached),
//   502/503/504 load shedding. Task failure codes (api-details/task-failures): SAFETY.INPUT.*,
//   SAFETY.OUTPUT.*, INPUT_PREPROCESSING.SAFETY.TEXT (moderation, do not retry),
//   INTERNAL.BAD_OUTPUT.* (may retry, unlikely to succeed), INPUT_PREPROCESSING.INTERNAL.
// Runway documents no webhooks for these endpoints, so delivery is polling only.
import { z } from 'zod';
import { downloadOutput, failFromAnswer, type HttpAnswer, parseBody, send } from '../http.ts';
import { credential, imageEdge, joinUrl, nearestSize, parseSize, videoShortSide } from '../shared-async.ts';
import {
  type AdapterContext,
  type ErrorClass,
  type NormalizedRequest,
  type ProviderAdapter,
  ProviderError,
  type StatusResult,
  type SubmitResult,
} from '../types.ts';
import {
  RUNWAY_AUDIO_MODELS,
  RUNWAY_NEGATIVE_PROMPT_MODELS,
  RUNWAY_OUTPUT_COUNT_MODELS,
  RUNWAY_OUTPUT_FORMAT_MODELS,
  RUNWAY_RATIOS,
  RUNWAY_SEED_MODELS,
  type RunwayEndpoint,
} from './ratios.ts';

export const RUNWAY_API_VERSION = '2024-11-06';
/** "Consumers of this API should not expect updates more frequent than once every five seconds." */
const POLL_AFTER_MS = 5_000;

const CreatedSchema = z.object({ id: z.string().min(1) });
const TaskSchema = z.object({
  id: z.string(),
  status: z.enum(['PENDING', 'THROTTLED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED']),
  output: z.array(z.string()).nullish(),
  failure: z.string().nullish(),
  failureCode: z.string().nullish(),
});
const ErrorBodySchema = z.object({ error: z.string() });
/**
 * ErrorClass has no "this provider cannot serve that request" member; not_found (fail over, no
 * retry) is the nearest: bad_request would fail the whole generation although another provider
 * in the order may serve it.
 */
const UNSUPPORTED = 'not_found';

function headers(ctx: AdapterContext): Record<string, string> {
  return { authorization: `Bearer ${credential(ctx, 'apiKey')}`, 'x-runway-version': RUNWAY_API_VERSION };
}

export function runwayEndpoint(req: NormalizedRequest): RunwayEndpoint {
  if (req.model_type === 'image') return 'v1/text_to_image';
  return req.input_files.length > 0 || req.last_frame ? 'v1/image_to_video' : 'v1/text_to_video';
}

/** Seaplane ratios are aspect ratios; Runway wants one of the model's pixel sizes. */
function runwayRatio(req: NormalizedRequest, endpoint: RunwayEndpoint): string | undefined {
  if (req.ratio === undefined) return undefined;
  if (parseSize(req.ratio) && !/^\d{1,2}:\d{1,2}$/.test(req.ratio)) return req.ratio;
  const candidates = RUNWAY_RATIOS[endpoint][req.raw_model_id];
  if (!candidates) return undefined;
  const isImage = endpoint === 'v1/text_to_image';
  const shortSide = isImage ? imageEdge(req.resolution) : videoShortSide(req.resolution);
  const size = nearestSize(candidates, req.ratio, shortSide, isImage ? 1080 : 720);
  // Not a bad request in itself, only one this provider cannot serve: fail over (see UNSUPPORTED).
  if (!size) throw new ProviderError(UNSUPPORTED, `runway model ${req.raw_model_id} has no size for ratio ${req.ratio}`);
  return size;
}

function promptImage(req: NormalizedRequest): unknown {
  const [first, ...rest] = req.input_files;
  if (req.last_frame) {
    const frames: { uri: string; position: 'first' | 'last' }[] = [];
    if (first) frames.push({ uri: first, position: 'first' });
    frames.push({ uri: req.last_frame, position: 'last' });
    return frames;
  }
  if (first && rest.length === 0) return first;
  return req.input_files.map((uri) => ({ uri }));
}

function imageFields(req: NormalizedRequest): Record<string, unknown> {
  const model = req.raw_model_id;
  const body: Record<string, unknown> = {};
  if (req.input_files.length > 0) body.referenceImages = req.input_files.map((uri) => ({ uri }));
  if (req.output_number > 1) {
    if (!RUNWAY_OUTPUT_COUNT_MODELS.has(model)) {
      throw new ProviderError(UNSUPPORTED, `runway model ${model} returns one image per task`);
    }
    body.outputCount = req.output_number;
  }
  if (req.output_format && RUNWAY_OUTPUT_FORMAT_MODELS.has(model)) {
    body.outputFormat = req.output_format === 'jpg' ? 'jpeg' : req.output_format;
  }
  for (const key of ['quality', 'background'] as const) {
    if (req.specific[key] !== undefined) body[key] = req.specific[key];
  }
  return body;
}

function videoFields(req: NormalizedRequest, endpoint: RunwayEndpoint): Record<string, unknown> {
  const model = req.raw_model_id;
  const body: Record<string, unknown> = {};
  if (endpoint === 'v1/image_to_video') body.promptImage = promptImage(req);
  if (req.duration_seconds !== undefined) body.duration = req.duration_seconds;
  if (req.generate_audio !== undefined && RUNWAY_AUDIO_MODELS.has(model)) body.audio = req.generate_audio;
  if (req.specific.negative_prompt !== undefined && RUNWAY_NEGATIVE_PROMPT_MODELS.has(model)) {
    body.negativePrompt = req.specific.negative_prompt;
  }
  // happyhorse_1_0 image_to_video takes a quality tier instead of a ratio.
  if (endpoint === 'v1/image_to_video' && model === 'happyhorse_1_0' && req.resolution) {
    body.resolution = req.resolution.toUpperCase();
  }
  return body;
}

/** The native request body for the endpoint `runwayEndpoint(req)` names. */
export function runwayBody(req: NormalizedRequest): Record<string, unknown> {
  const endpoint = runwayEndpoint(req);
  const body: Record<string, unknown> = { model: req.raw_model_id, promptText: req.prompt };
  const ratio = runwayRatio(req, endpoint);
  if (ratio !== undefined) body.ratio = ratio;
  if (req.specific.seed !== undefined && RUNWAY_SEED_MODELS.has(req.raw_model_id)) body.seed = req.specific.seed;
  if (req.specific.contentModeration !== undefined) body.contentModeration = req.specific.contentModeration;
  const extra = endpoint === 'v1/text_to_image' ? imageFields(req) : videoFields(req, endpoint);
  return { ...body, ...extra };
}

/** HTTP 400 carries `{ error }`; Runway answers 400 when the organization lacks credits. */
function refineHttpError(answer: HttpAnswer): Partial<{ errorClass: ErrorClass; message: string }> {
  const parsed = ErrorBodySchema.safeParse(answer.json);
  if (!parsed.success) return {};
  const message = `runway: ${parsed.data.error}`;
  // Assumed from observed messages ("You do not have enough credits"), not a documented code.
  if (answer.status === 400 && /credits?/i.test(parsed.data.error)) return { errorClass: 'out_of_credit', message };
  return { message };
}

/** Task failureCode → class, per docs.dev.runwayml.com/api-details/task-failures. */
export function runwayFailureClass(code: string | null | undefined): ErrorClass {
  if (!code) return 'unknown';
  if (code.startsWith('SAFETY.') || code.startsWith('INPUT_PREPROCESSING.SAFETY')) return 'moderation';
  // "You may retry these generations, but they are not likely to succeed": fail over instead.
  if (code.startsWith('INTERNAL.BAD_OUTPUT')) return 'unknown';
  if (code.startsWith('INTERNAL') || code === 'INPUT_PREPROCESSING.INTERNAL') return 'provider_unavailable';
  // ASSET.* (an input asset that cannot be read) is assumed: the page lists it without detail.
  if (code.startsWith('ASSET.')) return 'bad_request';
  return 'unknown';
}

async function submit(req: NormalizedRequest, ctx: AdapterContext): Promise<SubmitResult> {
  const endpoint = runwayEndpoint(req);
  const body = runwayBody(req);
  const answer = await send(ctx, { method: 'POST', url: joinUrl(ctx.baseUrl, endpoint), headers: headers(ctx), body });
  if (answer.status < 200 || answer.status >= 300) failFromAnswer(answer, ctx, refineHttpError);
  const created = parseBody(answer, CreatedSchema, 'runway create task');
  return { kind: 'pending', provider_job_id: created.id, poll_after_ms: POLL_AFTER_MS };
}

async function status(providerJobId: string, _req: NormalizedRequest, ctx: AdapterContext): Promise<StatusResult> {
  const url = joinUrl(ctx.baseUrl, `v1/tasks/${encodeURIComponent(providerJobId)}`);
  const answer = await send(ctx, { method: 'GET', url, headers: headers(ctx) });
  if (answer.status < 200 || answer.status >= 300) failFromAnswer(answer, ctx, refineHttpError);
  const task = parseBody(answer, TaskSchema, 'runway task');
  switch (task.status) {
    case 'PENDING':
    case 'THROTTLED':
    case 'RUNNING':
      return { kind: 'pending', poll_after_ms: POLL_AFTER_MS };
    case 'CANCELLED':
      return { kind: 'canceled' };
    case 'SUCCEEDED': {
      const urls = task.output ?? [];
      if (urls.length === 0) throw new ProviderError('malformed_response', 'runway task succeeded without output');
      return { kind: 'completed', outputs: urls.map((url) => ({ kind: 'url', url })) };
    }
    case 'FAILED': {
      const code = task.failureCode ?? undefined;
      const error = new ProviderError(runwayFailureClass(code), `runway task failed: ${task.failure ?? code ?? 'no reason given'}`, {
        providerCode: code,
      });
      return { kind: 'failed', error };
    }
  }
}

async function cancel(providerJobId: string, _req: NormalizedRequest, ctx: AdapterContext): Promise<boolean> {
  const url = joinUrl(ctx.baseUrl, `v1/tasks/${encodeURIComponent(providerJobId)}`);
  const answer = await send(ctx, { method: 'DELETE', url, headers: { ...headers(ctx), accept: '*/*' } });
  if (answer.status === 404) return false;
  if (answer.status < 200 || answer.status >= 300) failFromAnswer(answer, ctx, refineHttpError);
  return true;
}

export const runwayAdapter: ProviderAdapter = {
  id: 'runway',
  defaultBaseUrl: 'https://api.dev.runwayml.com',
  credentialEnv: { apiKey: 'RUNWAYML_API_SECRET' },
  deliveryMethod: 'polling',
  cancelMethod: 'prediction_cancel_api',
  webhookVerification: null,
  submit,
  status,
  cancel,
  // Output URLs are pre-signed and expire in 24-48 h; they take no Authorization header.
  download: (output, ctx) => downloadOutput(output, ctx),
};
