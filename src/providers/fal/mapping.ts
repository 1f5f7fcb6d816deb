// NormalizedRequest → fal endpoint and input. Input names come from the endpoint types that fal
// generates from its model registry (fal-ai/fal-js, libs/client/src/types/endpoints.ts, Aug 2026;
// fal-ai/veo2 from the previous revision of that file, where it was last listed):
// - fal-ai/flux/*, fal-ai/flux-pro/v1.1: prompt, image_size (square_hd | square | portrait_4_3 |
//   portrait_16_9 | landscape_4_3 | landscape_16_9 | {width, height}), num_images, seed,
//   output_format jpeg | png; output {images: [{url, content_type}], has_nsfw_concepts}.
// - fal-ai/veo2 (aspect_ratio 16:9 | 9:16 | 1:1, duration "5s".."8s") and
//   fal-ai/veo2/image-to-video (image_url, duration); output {video: {url}}.
// - fal-ai/bytedance/seedance/v1[.5]/pro/{text,image}-to-video: aspect_ratio, resolution,
//   duration "2".."12" (a string), seed, camera_fixed, generate_audio (v1.5), image_url and
//   end_image_url (image-to-video); output {video: {url}}.
import { pixelsForRatio } from '../http.ts';
import type { NormalizedRequest } from '../types.ts';
import { ProviderError } from '../types.ts';

type Family = 'flux' | 'veo2' | 'seedance' | 'generic';

// fal's queue routes `workflows/…` and `comfy/…` apps one segment deeper (fal-js parseEndpointId).
const NAMESPACES = new Set(['workflows', 'comfy']);
const SEGMENT = /^[a-z0-9][a-z0-9._-]*$/i;

function familyOf(rawModelId: string): Family {
  if (rawModelId.startsWith('fal-ai/flux')) return 'flux';
  if (rawModelId === 'fal-ai/veo2' || rawModelId.startsWith('fal-ai/veo2/')) return 'veo2';
  if (rawModelId.startsWith('fal-ai/bytedance/seedance/')) return 'seedance';
  return 'generic';
}

function checkedSegments(endpoint: string): string[] {
  const parts = endpoint.split('/');
  if (parts.length < 2 || !parts.every((p) => SEGMENT.test(p))) throw new ProviderError('bad_request', `fal: bad endpoint id "${endpoint}"`);
  return parts;
}

/**
 * The app part of an endpoint id. The queue docs: the subpath (`/schnell` in fal-ai/flux/schnell)
 * is used to submit, "but not when getting request status or results".
 */
export function falAppPath(endpoint: string): string {
  const parts = checkedSegments(endpoint);
  return parts.slice(0, NAMESPACES.has(parts[0]!) ? 3 : 2).join('/');
}

/** The endpoint to submit to: the catalog names the text-to-video variant; input images need the image one. */
export function falEndpoint(req: NormalizedRequest): string {
  checkedSegments(req.raw_model_id);
  const family = familyOf(req.raw_model_id);
  if (req.input_files.length === 0) return req.raw_model_id;
  if (family === 'seedance') return req.raw_model_id.replace(/\/text-to-video$/, '/image-to-video');
  if (family === 'veo2' && req.raw_model_id === 'fal-ai/veo2') return 'fal-ai/veo2/image-to-video';
  return req.raw_model_id;
}

const IMAGE_SIZES: Readonly<Record<string, string>> = {
  '1:1': 'square_hd',
  '4:3': 'landscape_4_3',
  '3:4': 'portrait_4_3',
  '16:9': 'landscape_16_9',
  '9:16': 'portrait_16_9',
};

function fluxInput(req: NormalizedRequest): Record<string, unknown> {
  if (req.input_files.length > 0) throw new ProviderError('bad_request', `fal: ${req.raw_model_id} takes no input files`);
  const input: Record<string, unknown> = { ...req.specific, prompt: req.prompt, num_images: req.output_number };
  if (req.ratio !== undefined) {
    // Ratios without a named preset go as explicit pixels (ImageSize {width, height}).
    input.image_size = IMAGE_SIZES[req.ratio] ?? pixelsForRatio(req.ratio, { multiple: 16, min: 256, max: 2048 });
    if (input.image_size === undefined) throw new ProviderError('bad_request', `fal: ratio "${req.ratio}" is not <w>:<h>`);
  }
  if (req.output_format !== undefined) {
    const format = ({ png: 'png', jpg: 'jpeg', jpeg: 'jpeg' } as Record<string, string>)[req.output_format];
    // fal's FLUX endpoints make jpeg or png only. This is a gap of this provider, not a bad
    // request, so it fails over (unknown) instead of failing the generation.
    if (format === undefined) throw new ProviderError('unknown', `fal: ${req.raw_model_id} cannot make ${req.output_format}`);
    input.output_format = format;
  }
  return input;
}

function oneVideo(req: NormalizedRequest): void {
  if (req.output_number !== 1) throw new ProviderError('bad_request', `fal: ${req.raw_model_id} makes one video per request`);
  if (req.input_files.length > 1) throw new ProviderError('bad_request', `fal: ${req.raw_model_id} takes one input image`);
}

function veo2Input(req: NormalizedRequest): Record<string, unknown> {
  oneVideo(req);
  const input: Record<string, unknown> = { ...req.specific, prompt: req.prompt };
  if (req.duration_seconds !== undefined) input.duration = `${req.duration_seconds}s`;
  if (req.input_files[0] !== undefined) input.image_url = req.input_files[0];
  else if (req.ratio !== undefined) input.aspect_ratio = req.ratio;
  return input;
}

function seedanceInput(req: NormalizedRequest): Record<string, unknown> {
  oneVideo(req);
  const input: Record<string, unknown> = { ...req.specific, prompt: req.prompt };
  if (req.ratio !== undefined) input.aspect_ratio = req.ratio;
  if (req.resolution !== undefined) input.resolution = req.resolution;
  if (req.duration_seconds !== undefined) input.duration = String(req.duration_seconds);
  if (req.generate_audio !== undefined) input.generate_audio = req.generate_audio;
  if (req.input_files[0] !== undefined) input.image_url = req.input_files[0];
  if (req.last_frame !== undefined) {
    if (req.input_files[0] === undefined) throw new ProviderError('bad_request', 'fal: an end frame needs a first frame');
    input.end_image_url = req.last_frame;
  }
  return input;
}

/** Unknown endpoints get fal's most common names; model-specific fields pass through by name. */
function genericInput(req: NormalizedRequest): Record<string, unknown> {
  const input: Record<string, unknown> = { ...req.specific, prompt: req.prompt };
  if (req.ratio !== undefined) input.aspect_ratio = req.ratio;
  if (req.model_type === 'image') input.num_images = req.output_number;
  if (req.duration_seconds !== undefined) input.duration = String(req.duration_seconds);
  if (req.resolution !== undefined) input.resolution = req.resolution;
  if (req.input_files[0] !== undefined) input.image_url = req.input_files[0];
  return input;
}

export function falInput(req: NormalizedRequest): Record<string, unknown> {
  switch (familyOf(req.raw_model_id)) {
    case 'flux':
      return fluxInput(req);
    case 'veo2':
      return veo2Input(req);
    case 'seedance':
      return seedanceInput(req);
    case 'generic':
      return genericInput(req);
  }
}
