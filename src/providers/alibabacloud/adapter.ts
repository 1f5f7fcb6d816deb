// Alibaba Cloud Model Studio (DashScope) adapter, for the asynchronous "legacy protocol" image and
// video synthesis APIs (Wan models and kin). Written to the official SDK,
// dashscope/dashscope-sdk-python 1.26.2 (aigc/image_synthesis.py, aigc/video_synthesis.py,
// client/base_api.py, common/constants.py), and to the Model Studio API reference and error-code
// pages on alibabacloud.com / help.aliyun.com:
// - POST {base}/api/v1/services/aigc/text2image/image-synthesis (image2image/… for image-edit
//   models), POST …/video-generation/video-synthesis (image2video/… for kf2v models), with
//   `X-DashScope-Async: enable` and `Authorization: Bearer` → { output: { task_id, task_status } }
// - GET {base}/api/v1/tasks/{task_id} → output.task_status PENDING | RUNNING | SUSPENDED |
//   SUCCEEDED | FAILED | CANCELED | UNKNOWN; output.results[].url (images) or output.video_url
// - POST {base}/api/v1/tasks/{task_id}/cancel: "Cancel PENDING task" (SDK), so queued only
// - errors { request_id, code, message }: InvalidApiKey (401), AccessDenied (403), Arrearage,
//   Throttling.* (429), DataInspectionFailed (400), InvalidParameter (400), ModelNotFound (404)
// International (Singapore) base: https://dashscope-intl.aliyuncs.com. No callback URL is
// documented for these endpoints, so delivery is polling only.
import { z } from 'zod';
import { downloadOutput, failFromAnswer, type HttpAnswer, parseBody, send } from '../http.ts';
import { credential, imageEdge, joinUrl, nearestSize, pickSpecific, sizeForArea, videoShortSide } from '../shared-async.ts';
import {
  type AdapterContext,
  type ErrorClass,
  type NormalizedRequest,
  type ProviderAdapter,
  ProviderError,
  type StatusResult,
  type SubmitResult,
} from '../types.ts';

const IMAGE_POLL_MS = 3_000;
const VIDEO_POLL_MS = 15_000;

/** Wan text-to-video output sizes (width*height) per resolution tier, from the Wan API reference. */
const WAN_T2V_SIZES = [
  '832*480', '480*832', '624*624',
  '1280*720', '720*1280', '960*960', '1088*832', '832*1088',
  '1920*1080', '1080*1920', '1440*1440', '1632*1248', '1248*1632',
];

const SubmitSchema = z.object({ output: z.object({ task_id: z.string().min(1), task_status: z.string().optional() }) });
const TaskSchema = z.object({
  output: z.object({
    task_id: z.string(),
    task_status: z.enum(['PENDING', 'RUNNING', 'SUSPENDED', 'SUCCEEDED', 'FAILED', 'CANCELED', 'UNKNOWN']),
    video_url: z.string().nullish(),
    results: z.array(z.object({ url: z.string().nullish(), code: z.string().nullish(), message: z.string().nullish() })).nullish(),
    code: z.string().nullish(),
    message: z.string().nullish(),
  }),
});
const ErrorBodySchema = z.object({ code: z.string(), message: z.string().default('') });

function headers(ctx: AdapterContext): Record<string, string> {
  return { authorization: `Bearer ${credential(ctx, 'apiKey')}` };
}

/** The synthesis path for the request, as the SDK chooses it from the model name. */
export function dashscopePath(req: NormalizedRequest): string {
  const model = req.raw_model_id;
  if (req.model_type === 'image') {
    const i2i = req.input_files.length > 0 && (model.includes('imageedit') || model.includes('-i2i'));
    return `api/v1/services/aigc/${i2i ? 'image2image' : 'text2image'}/image-synthesis`;
  }
  return `api/v1/services/aigc/${model.includes('kf2v') ? 'image2video' : 'video-generation'}/video-synthesis`;
}

export function dashscopeImageBody(req: NormalizedRequest): Record<string, unknown> {
  const input: Record<string, unknown> = { prompt: req.prompt, ...pickSpecific(req.specific, ['negative_prompt', 'function']) };
  if (req.input_files.length > 0) {
    if (req.raw_model_id.includes('imageedit')) input.base_image_url = req.input_files[0];
    else input.images = req.input_files;
  }
  const parameters: Record<string, unknown> = { n: req.output_number };
  if (req.ratio !== undefined || req.resolution !== undefined) {
    // Wan image sizes: any width*height with each side in [512, 1440] (assumed step 16).
    const px = sizeForArea(req.ratio, imageEdge(req.resolution) ?? 1024, 16, 512, 1440);
    parameters.size = `${px.width}*${px.height}`;
  }
  Object.assign(parameters, pickSpecific(req.specific, ['seed', 'prompt_extend', 'watermark']));
  return { model: req.raw_model_id, input, parameters };
}

export function dashscopeVideoBody(req: NormalizedRequest): Record<string, unknown> {
  const input: Record<string, unknown> = { prompt: req.prompt, ...pickSpecific(req.specific, ['negative_prompt']) };
  const parameters: Record<string, unknown> = {};
  const [first] = req.input_files;
  if (req.last_frame) {
    if (first) input.first_frame_url = first;
    input.last_frame_url = req.last_frame;
  } else if (first) {
    input.img_url = first;
  }
  if (first || req.last_frame) {
    // Image-driven models take a resolution tier; the frame fixes the aspect.
    if (req.resolution) parameters.resolution = req.resolution.toUpperCase();
  } else if (req.ratio !== undefined) {
    const size = nearestSize(WAN_T2V_SIZES, req.ratio, videoShortSide(req.resolution), 720);
    // not_found: a request this provider cannot serve, so fail over rather than fail the generation.
    if (!size) throw new ProviderError('not_found', `dashscope has no text-to-video size for ratio ${req.ratio}`);
    parameters.size = size;
  }
  if (req.duration_seconds !== undefined) parameters.duration = req.duration_seconds;
  // Assumed: the `audio` switch of the Wan 2.5+ video models (automatic dubbing).
  if (req.generate_audio !== undefined) parameters.audio = req.generate_audio;
  Object.assign(parameters, pickSpecific(req.specific, ['seed', 'prompt_extend', 'watermark']));
  return { model: req.raw_model_id, input, parameters };
}

/** A DashScope error code (and message) → class; undefined leaves the HTTP status to decide. */
export function dashscopeCodeClass(code: string, message = ''): ErrorClass | undefined {
  if (code === 'Arrearage' || /good standing|overdue|arrear/i.test(message)) return 'out_of_credit';
  if (code.startsWith('DataInspection') || code === 'IPInfringementSuspect') return 'moderation';
  if (code === 'InvalidApiKey' || code.startsWith('AccessDenied')) return 'auth';
  // "Free allocated quota exceeded": the free tier is used up until billing is enabled.
  if (code.startsWith('Throttling')) return /free/i.test(message) ? 'out_of_credit' : 'rate_limited';
  if (code.startsWith('InvalidParameter') || code === 'InvalidURL' || code.startsWith('BadRequest')) return 'bad_request';
  if (code === 'ModelNotFound' || code === 'NotFound') return 'not_found';
  if (code.startsWith('InternalError') || code === 'SystemError' || code === 'ServiceUnavailable') return 'provider_unavailable';
  if (code === 'RequestTimeOut') return 'timeout';
  return undefined;
}

function refineHttpError(answer: HttpAnswer): Partial<{ errorClass: ErrorClass; message: string; providerCode: string }> {
  const parsed = ErrorBodySchema.safeParse(answer.json);
  if (!parsed.success) return {};
  const { code, message } = parsed.data;
  const errorClass = dashscopeCodeClass(code, message);
  return { ...(errorClass ? { errorClass } : {}), providerCode: code, message: `dashscope ${code}: ${message}` };
}

function taskError(code: string | null | undefined, message: string | null | undefined): ProviderError {
  const errorClass = code ? (dashscopeCodeClass(code, message ?? '') ?? 'unknown') : 'unknown';
  return new ProviderError(errorClass, `dashscope task failed: ${code ?? 'no code'}: ${message ?? ''}`, { providerCode: code ?? undefined });
}

function completed(output: z.infer<typeof TaskSchema>['output']): StatusResult {
  if (output.video_url) return { kind: 'completed', outputs: [{ kind: 'url', url: output.video_url }] };
  const results = output.results ?? [];
  const urls = results.flatMap((r) => (r.url ? [r.url] : []));
  if (urls.length > 0) return { kind: 'completed', outputs: urls.map((url) => ({ kind: 'url', url })) };
  // Every image of the batch failed on its own (e.g. each one DataInspectionFailed).
  const firstFailure = results.find((r) => r.code);
  if (firstFailure) return { kind: 'failed', error: taskError(firstFailure.code, firstFailure.message) };
  throw new ProviderError('malformed_response', 'dashscope task succeeded without results or video_url');
}

async function submit(req: NormalizedRequest, ctx: AdapterContext): Promise<SubmitResult> {
  const body = req.model_type === 'image' ? dashscopeImageBody(req) : dashscopeVideoBody(req);
  const url = joinUrl(ctx.baseUrl, dashscopePath(req));
  const answer = await send(ctx, { method: 'POST', url, headers: { ...headers(ctx), 'x-dashscope-async': 'enable' }, body });
  if (answer.status < 200 || answer.status >= 300) failFromAnswer(answer, ctx, refineHttpError);
  const created = parseBody(answer, SubmitSchema, 'dashscope create task');
  const poll_after_ms = req.model_type === 'image' ? IMAGE_POLL_MS : VIDEO_POLL_MS;
  return { kind: 'pending', provider_job_id: created.output.task_id, poll_after_ms };
}

async function status(providerJobId: string, req: NormalizedRequest, ctx: AdapterContext): Promise<StatusResult> {
  const url = joinUrl(ctx.baseUrl, `api/v1/tasks/${encodeURIComponent(providerJobId)}`);
  const answer = await send(ctx, { method: 'GET', url, headers: headers(ctx) });
  if (answer.status < 200 || answer.status >= 300) failFromAnswer(answer, ctx, refineHttpError);
  const { output } = parseBody(answer, TaskSchema, 'dashscope task');
  switch (output.task_status) {
    case 'PENDING':
    case 'RUNNING':
    case 'SUSPENDED':
      return { kind: 'pending', poll_after_ms: req.model_type === 'image' ? IMAGE_POLL_MS : VIDEO_POLL_MS };
    case 'CANCELED':
      return { kind: 'canceled' };
    case 'SUCCEEDED':
      return completed(output);
    case 'FAILED':
      return { kind: 'failed', error: taskError(output.code, output.message) };
    case 'UNKNOWN':
      return { kind: 'failed', error: new ProviderError('not_found', 'dashscope task is unknown (expired or never existed)') };
  }
}

/** Only PENDING tasks can be cancelled; DashScope's refusal for others is not an error here. */
async function cancel(providerJobId: string, _req: NormalizedRequest, ctx: AdapterContext): Promise<boolean> {
  const url = joinUrl(ctx.baseUrl, `api/v1/tasks/${encodeURIComponent(providerJobId)}/cancel`);
  const answer = await send(ctx, { method: 'POST', url, headers: headers(ctx) });
  if (answer.status >= 200 && answer.status < 300) return true;
  if (answer.status === 400 || answer.status === 404 || answer.status === 409) return false;
  return failFromAnswer(answer, ctx, refineHttpError);
}

export const alibabacloudAdapter: ProviderAdapter = {
  id: 'alibabacloud',
  defaultBaseUrl: 'https://dashscope-intl.aliyuncs.com',
  credentialEnv: { apiKey: 'DASHSCOPE_API_KEY' },
  deliveryMethod: 'polling',
  cancelMethod: 'queue_cancel_api',
  webhookVerification: null,
  submit,
  status,
  cancel,
  // Result URLs are pre-signed OSS links (valid about 24 h); no Authorization header.
  download: (output, ctx) => downloadOutput(output, ctx),
};
