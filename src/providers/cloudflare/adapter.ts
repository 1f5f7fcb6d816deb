// Cloudflare Workers AI adapter (REST). Written to Cloudflare's docs as published in the
// cloudflare/cloudflare-docs repository: workers-ai/get-started/rest-api.mdx (endpoint, bearer
// token, { result, success, errors, messages } envelope), workers-ai/platform/errors.mdx (error
// codes), and the model schemas in src/content/workers-ai-models/*.json:
// - POST https://api.cloudflare.com/client/v4/accounts/{account_id}/ai/run/{model}, synchronous
// - @cf/black-forest-labs/flux-1-schnell: JSON { prompt, steps } only (additionalProperties:
//   false), answers JSON { result: { image: <base64> } }
// - @cf/black-forest-labs/flux-2-*: multipart/form-data (prompt, width, height, steps,
//   input_image_0..n), answers JSON { result: { image: <base64> } }
// - other text-to-image models (dreamshaper-8-lcm, stable-diffusion-xl-*, lucid-origin, …): JSON
//   { prompt, width, height, seed, num_steps, guidance, negative_prompt, image_b64 }; some answer
//   raw bytes with content-type image/png, others the base64 envelope. Both are handled.
// Workers AI has no job ids, no cancel and no webhooks; one call yields one image, so several
// outputs are several calls. No model schema offers an output format: the image comes as the
// model makes it (PNG or JPEG) and output_format is left to conversion downstream.
import { z } from 'zod';
import { base64ToBytes, downloadOutput, failFromAnswer, type HttpAnswer } from '../http.ts';
import {
  bytesToBase64,
  credential,
  fetchInputFile,
  imageEdge,
  joinUrl,
  pickSpecific,
  sendForBytes,
  sizeForArea,
  sniffImageType,
} from '../shared-async.ts';
import {
  type AdapterContext,
  type ErrorClass,
  type NormalizedRequest,
  type ProviderAdapter,
  ProviderError,
  type ProviderOutput,
  type SubmitResult,
} from '../types.ts';

const EnvelopeSchema = z.object({
  success: z.boolean(),
  errors: z.array(z.object({ code: z.number(), message: z.string() })).default([]),
  result: z.object({ image: z.string().min(1) }).nullish(),
});
const ErrorEnvelopeSchema = z.object({ errors: z.array(z.object({ code: z.number(), message: z.string() })).min(1) });

type Family = 'flux-1-schnell' | 'flux-2' | 'json';

function family(rawModelId: string): Family {
  if (rawModelId.endsWith('/flux-1-schnell')) return 'flux-1-schnell';
  if (rawModelId.includes('/flux-2-')) return 'flux-2';
  return 'json';
}

function runUrl(ctx: AdapterContext, rawModelId: string): string {
  const account = encodeURIComponent(credential(ctx, 'accountId'));
  return joinUrl(ctx.baseUrl, `accounts/${account}/ai/run/${rawModelId}`);
}

function dimensions(req: NormalizedRequest): { width: number; height: number } | undefined {
  if (req.ratio === undefined && req.resolution === undefined) return undefined;
  // Stable Diffusion style models want multiples of 64 within the schemas' 256..2048.
  return sizeForArea(req.ratio, imageEdge(req.resolution) ?? 1024, 64, 256, 2048);
}

/** The JSON body for one call; `index` offsets the seed so several outputs differ. */
export function cloudflareJsonBody(req: NormalizedRequest, index: number): Record<string, unknown> {
  if (family(req.raw_model_id) === 'flux-1-schnell') {
    // The schema allows only prompt and steps: a seed or size would be rejected.
    return { prompt: req.prompt, ...pickSpecific(req.specific, ['steps']) };
  }
  const body: Record<string, unknown> = { prompt: req.prompt, ...dimensions(req) };
  Object.assign(body, pickSpecific(req.specific, ['negative_prompt', 'num_steps', 'steps', 'guidance', 'strength']));
  if (typeof req.specific.seed === 'number') body.seed = req.specific.seed + index;
  return body;
}

async function flux2Form(req: NormalizedRequest, index: number, ctx: AdapterContext): Promise<FormData> {
  const form = new FormData();
  form.append('prompt', req.prompt);
  const dims = dimensions(req);
  if (dims) {
    form.append('width', String(dims.width));
    form.append('height', String(dims.height));
  }
  for (const [key, value] of Object.entries(pickSpecific(req.specific, ['steps', 'guidance']))) form.append(key, String(value));
  // Assumed: flux-2 takes a seed field like the other Workers AI image models.
  if (typeof req.specific.seed === 'number') form.append('seed', String(req.specific.seed + index));
  for (const [i, url] of req.input_files.entries()) {
    const file = await fetchInputFile(ctx, url);
    form.append(`input_image_${i}`, new Blob([file.data], { type: file.content_type }), `input_image_${i}`);
  }
  return form;
}

async function requestBody(req: NormalizedRequest, index: number, ctx: AdapterContext): Promise<string | FormData> {
  if (family(req.raw_model_id) === 'flux-2') return flux2Form(req, index, ctx);
  const body = cloudflareJsonBody(req, index);
  if (family(req.raw_model_id) === 'json' && req.input_files[0]) {
    body.image_b64 = bytesToBase64((await fetchInputFile(ctx, req.input_files[0])).data);
  }
  return JSON.stringify(body);
}

/** Workers AI error code → class, per workers-ai/platform/errors. */
export function cloudflareCodeClass(code: number, message: string): ErrorClass | undefined {
  // Assumed: no documented code for a safety refusal; the message is the only signal.
  if (/nsfw|unsafe|safety|content polic|moderat/i.test(message)) return 'moderation';
  if (code === 3036) return 'out_of_credit'; // daily free allocation of neurons used up
  if (code === 3040) return 'rate_limited'; // out of capacity: no data center to forward to
  if (code === 3023 || code === 5016 || code === 5018 || code === 3041 || code === 10000) return 'auth';
  if (code === 5007 || code === 3042) return 'not_found';
  if (code === 3007 || code === 3008) return 'timeout';
  if (code === 3003 || code === 3006 || code === 5004) return 'bad_request';
  return undefined;
}

function refineHttpError(answer: HttpAnswer): Partial<{ errorClass: ErrorClass; message: string; providerCode: string }> {
  const parsed = ErrorEnvelopeSchema.safeParse(answer.json);
  if (!parsed.success) return {};
  const first = parsed.data.errors[0]!;
  const errorClass = cloudflareCodeClass(first.code, first.message);
  return { ...(errorClass ? { errorClass } : {}), providerCode: String(first.code), message: `cloudflare ${first.code}: ${first.message}` };
}

async function runOnce(req: NormalizedRequest, index: number, ctx: AdapterContext): Promise<ProviderOutput> {
  const headers = { authorization: `Bearer ${credential(ctx, 'apiToken')}` };
  const body = await requestBody(req, index, ctx);
  const answer = await sendForBytes(ctx, { method: 'POST', url: runUrl(ctx, req.raw_model_id), headers, body });
  if (answer.status < 200 || answer.status >= 300) failFromAnswer(answer, ctx, refineHttpError);
  const contentType = answer.headers.get('content-type') ?? '';
  if (contentType.startsWith('image/')) {
    if (answer.bytes.length === 0) throw new ProviderError('malformed_response', 'cloudflare answered an empty image');
    return { kind: 'inline', data: answer.bytes, content_type: contentType.split(';')[0]!.trim() };
  }
  const parsed = EnvelopeSchema.safeParse(answer.json);
  if (!parsed.success) throw new ProviderError('malformed_response', 'cloudflare: unexpected response body', { httpStatus: answer.status });
  const { success, errors, result } = parsed.data;
  if (!success || !result) {
    const first = errors[0];
    const errorClass = first ? (cloudflareCodeClass(first.code, first.message) ?? 'unknown') : 'malformed_response';
    throw new ProviderError(errorClass, `cloudflare: ${first?.message ?? 'success without an image'}`, { providerCode: first ? String(first.code) : undefined });
  }
  const data = base64ToBytes(result.image);
  return { kind: 'inline', data, content_type: sniffImageType(data) };
}

async function submit(req: NormalizedRequest, ctx: AdapterContext): Promise<SubmitResult> {
  // not_found: a request this provider cannot serve, so fail over rather than fail the generation.
  if (req.model_type !== 'image') throw new ProviderError('not_found', 'cloudflare workers ai serves images only here');
  const outputs: ProviderOutput[] = [];
  // Sequential on purpose: parallel calls would spend the account's rate limit all at once.
  for (let i = 0; i < req.output_number; i++) outputs.push(await runOnce(req, i, ctx));
  return { kind: 'completed', outputs };
}

export const cloudflareAdapter: ProviderAdapter = {
  id: 'cloudflare',
  defaultBaseUrl: 'https://api.cloudflare.com/client/v4',
  credentialEnv: { accountId: 'CLOUDFLARE_ACCOUNT_ID', apiToken: 'CLOUDFLARE_API_TOKEN' },
  deliveryMethod: 'synchronous',
  cancelMethod: null,
  webhookVerification: null,
  submit,
  status: () => Promise.reject(new ProviderError('not_found', 'cloudflare workers ai is synchronous: there is no job to poll')),
  download: (output, ctx) => downloadOutput(output, ctx),
};
