// NormalizedRequest → OpenAI Images API bodies. Names and enums from OpenAI's OpenAPI document
// (openai/openai-openapi openapi.json, 2.3.0, Aug 2026): CreateImageRequest (model, prompt, n,
// quality, response_format, output_format png|jpeg|webp, output_compression, size, moderation,
// background) and EditImageBodyJsonParam (the JSON form of /images/edits: `images` as
// [{image_url}] references, up to 16, and the same output fields).
import type { NormalizedRequest } from '../types.ts';
import { ProviderError } from '../types.ts';

/** GPT image models: 1024x1024, 1536x1024 (landscape), 1024x1536 (portrait), or auto. */
const GPT_IMAGE_SIZES: Readonly<Record<string, string>> = { '1:1': '1024x1024', '3:2': '1536x1024', '2:3': '1024x1536' };
/** dall-e-3: 1024x1024, 1792x1024, 1024x1792. */
const DALL_E_3_SIZES: Readonly<Record<string, string>> = { '1:1': '1024x1024', '16:9': '1792x1024', '9:16': '1024x1792' };
/** dall-e-2: squares only (256, 512, 1024). */
const DALL_E_2_SIZES: Readonly<Record<string, string>> = { '1:1': '1024x1024' };
const OUTPUT_FORMATS: Readonly<Record<string, string>> = { png: 'png', jpg: 'jpeg', jpeg: 'jpeg', webp: 'webp' };

export function isDallE(model: string): boolean {
  return model.startsWith('dall-e');
}

function sizeFor(model: string, ratio: string | undefined): string | undefined {
  if (ratio === undefined) return undefined;
  const table = model === 'dall-e-3' ? DALL_E_3_SIZES : isDallE(model) ? DALL_E_2_SIZES : GPT_IMAGE_SIZES;
  const size = table[ratio];
  // Not a bad request (the catalog allowed the ratio); this provider cannot draw it: fail over.
  if (size === undefined) throw new ProviderError('unknown', `openai: ${model} has no size for ratio ${ratio}`);
  return size;
}

/** The JSON body, and whether it goes to /images/edits (input images) or /images/generations. */
export function openaiPayload(req: NormalizedRequest): { path: '/v1/images/generations' | '/v1/images/edits'; body: Record<string, unknown> } {
  const model = req.raw_model_id;
  const body: Record<string, unknown> = { ...req.specific, model, prompt: req.prompt, n: req.output_number };
  const size = sizeFor(model, req.ratio);
  if (size !== undefined) body.size = size;
  if (isDallE(model)) {
    // dall-e models answer URLs by default; ask for the bytes, which is what GPT image models send.
    body.response_format = 'b64_json';
  } else if (req.output_format !== undefined) {
    const format = OUTPUT_FORMATS[req.output_format];
    if (format === undefined) throw new ProviderError('bad_request', `openai: output format "${req.output_format}" is not offered`);
    body.output_format = format;
  }
  if (req.input_files.length === 0) return { path: '/v1/images/generations', body };
  if (isDallE(model)) throw new ProviderError('bad_request', `openai: ${model} edits take multipart uploads, which this adapter does not send`);
  if (req.input_files.length > 16) throw new ProviderError('bad_request', 'openai: at most 16 input images');
  body.images = req.input_files.map((url) => ({ image_url: url }));
  return { path: '/v1/images/edits', body };
}

/** The media type of inline image bytes, from the answer's output_format (png by default). */
export function contentTypeFor(format: string | undefined): string {
  if (format === 'jpeg' || format === 'jpg') return 'image/jpeg';
  if (format === 'webp') return 'image/webp';
  return 'image/png';
}
