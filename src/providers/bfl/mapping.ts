// NormalizedRequest → the BFL request body. Field names and limits follow BFL's OpenAPI document
// (https://api.bfl.ai/openapi.json, read from the copy in tryAGI/BlackForestLabs,
// src/libs/BlackForestLabs/openapi.json, May 2026): FluxPro11Inputs, FluxUltraInput,
// FluxKontextProInputs, Flux2Inputs, Flux2KleinInputs.
import { pixelsForRatio } from '../http.ts';
import type { NormalizedRequest } from '../types.ts';
import { ProviderError } from '../types.ts';

/** How an endpoint takes its shape: explicit pixels (with the schema's limits) or an aspect ratio. */
type SizeMode =
  | { kind: 'aspect_ratio' }
  | { kind: 'pixels'; multiple: number; min: number; max: number };

interface BflFamily {
  size: SizeMode;
  /** How many `input_image`, `input_image_2`, … fields the endpoint accepts (0: none). */
  max_input_images: number;
}

// FluxPro11Inputs / FluxDevInputs: width and height multiples of 32 in [256, 1440].
const PIXELS_32: SizeMode = { kind: 'pixels', multiple: 32, min: 256, max: 1440 };
// Flux2Inputs / Flux2KleinInputs: width and height >= 64; the API guide asks for multiples of 16.
const PIXELS_16: SizeMode = { kind: 'pixels', multiple: 16, min: 64, max: 2048 };

function familyOf(endpoint: string): BflFamily {
  if (endpoint === 'flux-pro-1.1' || endpoint === 'flux-dev') return { size: PIXELS_32, max_input_images: 0 };
  if (endpoint.startsWith('flux-2-klein')) return { size: PIXELS_16, max_input_images: 4 };
  if (endpoint.startsWith('flux-2-')) return { size: PIXELS_16, max_input_images: 8 };
  if (endpoint.startsWith('flux-kontext')) return { size: { kind: 'aspect_ratio' }, max_input_images: 4 };
  // flux-pro-1.1-ultra and anything newer that we have not mapped: aspect_ratio, no input images.
  return { size: { kind: 'aspect_ratio' }, max_input_images: 0 };
}

/** OutputFormat enum in the OpenAPI document: jpeg | png | webp. */
const OUTPUT_FORMATS: Readonly<Record<string, string>> = { png: 'png', jpg: 'jpeg', jpeg: 'jpeg', webp: 'webp' };

function sizeFields(family: BflFamily, ratio: string | undefined): Record<string, unknown> {
  if (ratio === undefined) return {};
  if (family.size.kind === 'aspect_ratio') return { aspect_ratio: ratio };
  const size = pixelsForRatio(ratio, family.size);
  if (size === undefined) throw new ProviderError('bad_request', `bfl: ratio "${ratio}" is not <w>:<h>`);
  return size;
}

function inputImageFields(family: BflFamily, files: readonly string[], endpoint: string): Record<string, unknown> {
  if (files.length > family.max_input_images) {
    throw new ProviderError('bad_request', `bfl: ${endpoint} accepts ${family.max_input_images} input image(s), got ${files.length}`);
  }
  const out: Record<string, unknown> = {};
  files.forEach((file, i) => {
    out[i === 0 ? 'input_image' : `input_image_${i + 1}`] = file;
  });
  return out;
}

/** The JSON body for POST /v1/<endpoint>. `webhookSecret` is sent only with a webhook URL. */
export function bflPayload(req: NormalizedRequest, webhookSecret: string | undefined): Record<string, unknown> {
  const endpoint = req.raw_model_id;
  // One task yields one `result.sample`: there is no count parameter in any BFL input schema.
  if (req.output_number !== 1) {
    throw new ProviderError('bad_request', `bfl: one output per request, got output_number=${req.output_number}`);
  }
  const family = familyOf(endpoint);
  const body: Record<string, unknown> = {
    // Model-specific fields (seed, safety_tolerance, prompt_upsampling, raw, steps, guidance) pass
    // through as BFL names them; the mapped fields below win over them.
    ...req.specific,
    prompt: req.prompt,
    ...sizeFields(family, req.ratio),
    ...inputImageFields(family, req.input_files, endpoint),
  };
  if (req.output_format !== undefined) {
    const format = OUTPUT_FORMATS[req.output_format];
    if (format === undefined) throw new ProviderError('bad_request', `bfl: output format "${req.output_format}" is not offered`);
    body.output_format = format;
  }
  if (req.webhook_url !== undefined) {
    body.webhook_url = req.webhook_url;
    if (webhookSecret !== undefined && webhookSecret !== '') body.webhook_secret = webhookSecret;
  }
  return body;
}

/** Endpoint names are path segments: refuse anything that could step outside /v1/. */
export function bflEndpoint(rawModelId: string): string {
  if (!/^[a-z0-9][a-z0-9.-]*$/i.test(rawModelId)) throw new ProviderError('bad_request', `bfl: bad endpoint name "${rawModelId}"`);
  return rawModelId;
}
