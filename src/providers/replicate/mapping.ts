// NormalizedRequest → Replicate's create-prediction request. The envelope (input, version, webhook,
// webhook_events_filter) and the two routes follow Replicate's HTTP API reference
// (replicate.com/docs/reference/http: predictions.create, models.predictions.create). The names
// *inside* `input` belong to each model; Replicate publishes them only on each model's API page,
// which we could not read here. The table below uses the names seen in public client code for these
// models (aspect_ratio, num_outputs, output_format, image, last_frame_image, duration, resolution)
// and is marked ASSUMED until checked against the model pages.
import type { NormalizedRequest } from '../types.ts';
import { ProviderError } from '../types.ts';

interface ModelInputs {
  /** Input that takes the number of outputs (absent: the model makes exactly one). */
  count?: string;
  /** Input that takes the input file(s): one URL, or an array of URLs. */
  files?: { field: string; array: boolean };
  /** Input that takes the end frame (image-to-video). */
  last_frame?: string;
  /** Our output format → the model's `output_format` value (absent: the model has none, e.g. video). */
  formats?: Readonly<Record<string, string>>;
}

const FLUX_FORMATS = { png: 'png', jpg: 'jpg', webp: 'webp' } as const;

// ASSUMED per-model input names (see the header comment).
const MODELS: Readonly<Record<string, ModelInputs>> = {
  'black-forest-labs/flux-schnell': { count: 'num_outputs', formats: FLUX_FORMATS },
  'black-forest-labs/flux-1.1-pro': { files: { field: 'image_prompt', array: false }, formats: FLUX_FORMATS },
  'openai/gpt-image-1': {
    count: 'number_of_images',
    files: { field: 'input_images', array: true },
    formats: { png: 'png', jpg: 'jpeg', webp: 'webp' },
  },
  'google/veo-2': { files: { field: 'image', array: false } },
  'bytedance/seedance-1-pro': { files: { field: 'image', array: false }, last_frame: 'last_frame_image' },
  'bytedance/seedance-1.5-pro': { files: { field: 'image', array: false }, last_frame: 'last_frame_image' },
};

const DEFAULT_IMAGE: ModelInputs = { count: 'num_outputs', files: { field: 'image', array: false }, formats: FLUX_FORMATS };
const DEFAULT_VIDEO: ModelInputs = { files: { field: 'image', array: false }, last_frame: 'last_frame_image' };

function inputsFor(req: NormalizedRequest): ModelInputs {
  return MODELS[modelName(req.raw_model_id)] ?? (req.model_type === 'video' ? DEFAULT_VIDEO : DEFAULT_IMAGE);
}

function fileFields(req: NormalizedRequest, inputs: ModelInputs): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (req.input_files.length > 0) {
    if (inputs.files === undefined) throw new ProviderError('bad_request', `replicate: ${req.raw_model_id} takes no input files`);
    if (!inputs.files.array && req.input_files.length > 1) {
      throw new ProviderError('bad_request', `replicate: ${req.raw_model_id} takes one input file, got ${req.input_files.length}`);
    }
    out[inputs.files.field] = inputs.files.array ? [...req.input_files] : req.input_files[0];
  }
  if (req.last_frame !== undefined) {
    if (inputs.last_frame === undefined) throw new ProviderError('bad_request', `replicate: ${req.raw_model_id} takes no end frame`);
    out[inputs.last_frame] = req.last_frame;
  }
  return out;
}

function countAndFormat(req: NormalizedRequest, inputs: ModelInputs): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (inputs.count !== undefined) out[inputs.count] = req.output_number;
  else if (req.output_number !== 1) throw new ProviderError('bad_request', `replicate: ${req.raw_model_id} makes one output per prediction`);
  if (req.output_format !== undefined && inputs.formats !== undefined) {
    const format = inputs.formats[req.output_format];
    if (format === undefined) throw new ProviderError('bad_request', `replicate: output format "${req.output_format}" is not offered`);
    out.output_format = format;
  }
  return out;
}

/** The model's `input` object. Model-specific fields (seed, camera_fixed, …) pass through by name. */
export function replicateInput(req: NormalizedRequest): Record<string, unknown> {
  const inputs = inputsFor(req);
  const input: Record<string, unknown> = { ...req.specific, prompt: req.prompt };
  if (req.ratio !== undefined) input.aspect_ratio = req.ratio;
  if (req.duration_seconds !== undefined) input.duration = req.duration_seconds;
  if (req.resolution !== undefined) input.resolution = req.resolution;
  if (req.generate_audio !== undefined) input.generate_audio = req.generate_audio;
  return { ...input, ...countAndFormat(req, inputs), ...fileFields(req, inputs) };
}

const SEGMENT = /^[a-z0-9][a-z0-9._-]*$/i;

/** `owner/name` (official model) or `owner/name:version`; anything else is refused. */
export function parseModelId(rawModelId: string): { owner: string; name: string; version?: string } {
  const [model = '', version] = rawModelId.split(':', 2);
  const [owner = '', name = '', extra] = model.split('/');
  if (!SEGMENT.test(owner) || !SEGMENT.test(name) || extra !== undefined || (version !== undefined && !/^[a-f0-9]{64}$/.test(version))) {
    throw new ProviderError('bad_request', `replicate: bad model id "${rawModelId}"`);
  }
  return { owner, name, version };
}

function modelName(rawModelId: string): string {
  return rawModelId.split(':', 1)[0] ?? rawModelId;
}
