// Image models. Prices are list prices in credits (1 credit = 1 USD) per output image at the
// model's default settings; raw ids are spelled as each provider's API takes them.
import type { CatalogModel, ProviderId } from '../types.ts';
import { ok, ordersFor, SOURCE, unconfirmed } from './offers.ts';

const FORMATS = ['png', 'jpg', 'webp'] as const;
const RATIOS = ['1:1', '16:9', '9:16', '4:3', '3:4', '3:2', '2:3'] as const;
const RATIOS_WIDE = [...RATIOS, '21:9', '9:21'] as const;
const RATIOS_SQUARE_PORTRAIT_LANDSCAPE = ['1:1', '3:2', '2:3'] as const;

const SEED = { type: 'integer', min: 0, max: 2147483647, description: 'Random seed for reproducible output.' } as const;
const NEGATIVE_PROMPT = {
  type: 'string',
  max_length: 2000,
  description: 'What the image should not contain.',
} as const;
const BFL_SAFETY = {
  type: 'integer',
  min: 0,
  max: 5,
  default: 2,
  description: 'Moderation tolerance, 0 (strict) to 5 (permissive).',
} as const;
const PROMPT_UPSAMPLING = { type: 'boolean', default: false, description: 'Let the model rewrite the prompt.' } as const;

type Entry = Omit<CatalogModel, 'default_order' | 'provider_orders'>;

function entry(model: Entry, default_order: readonly ProviderId[]): CatalogModel {
  return { ...model, default_order, provider_orders: ordersFor(default_order) };
}

const BFL_MODELS: readonly CatalogModel[] = [
  entry(
    {
      model_identifier: 'bfl/flux-schnell',
      model_type: 'image',
      lab: 'bfl',
      display_name: 'FLUX.1 [schnell]',
      pricing: { kind: 'flat', per_output: 0.005 },
      schema: {
        generation_ratio: RATIOS_WIDE,
        generation_output_format: FORMATS,
        generation_output_number: 1,
        max_output_number: 4,
        generation_input_file: false,
      },
      specific_schema: {
        seed: SEED,
        steps: { type: 'integer', min: 1, max: 4, default: 4, description: 'Denoising steps.' },
      },
      providers: {
        replicate: ok('black-forest-labs/flux-schnell', SOURCE.replicateGen),
        fal: ok('fal-ai/flux/schnell', SOURCE.falHead),
        cloudflare: ok('@cf/black-forest-labs/flux-1-schnell', `${SOURCE.cloudflare}flux-1-schnell.json`),
      },
    },
    ['replicate', 'fal', 'cloudflare'],
  ),
  entry(
    {
      model_identifier: 'bfl/flux-dev',
      model_type: 'image',
      lab: 'bfl',
      display_name: 'FLUX.1 [dev]',
      pricing: { kind: 'flat', per_output: 0.025 },
      schema: {
        generation_ratio: RATIOS_WIDE,
        generation_output_format: FORMATS,
        generation_output_number: 1,
        max_output_number: 4,
        generation_input_file: false,
      },
      specific_schema: {
        seed: SEED,
        guidance: { type: 'number', min: 0, max: 10, default: 3, description: 'Prompt adherence.' },
        steps: { type: 'integer', min: 1, max: 50, default: 28, description: 'Denoising steps.' },
      },
      providers: {
        bfl: ok('flux-dev', SOURCE.bfl),
        replicate: ok('black-forest-labs/flux-dev', SOURCE.replicateGen),
        fal: ok('fal-ai/flux/dev', SOURCE.falHead),
      },
    },
    ['bfl', 'replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'bfl/flux-pro',
      model_type: 'image',
      lab: 'bfl',
      display_name: 'FLUX.1 [pro]',
      pricing: { kind: 'flat', per_output: 0.05 },
      schema: {
        generation_ratio: RATIOS_WIDE,
        generation_output_format: FORMATS,
        generation_output_number: 1,
        generation_input_file: false,
      },
      specific_schema: {
        seed: SEED,
        guidance: { type: 'number', min: 1.5, max: 5, default: 2.5, description: 'Prompt adherence.' },
        steps: { type: 'integer', min: 1, max: 50, default: 40, description: 'Denoising steps.' },
        prompt_upsampling: PROMPT_UPSAMPLING,
        safety_tolerance: BFL_SAFETY,
      },
      providers: {
        bfl: ok('flux-pro', SOURCE.bfl),
        replicate: ok('black-forest-labs/flux-pro', SOURCE.replicateGen),
      },
    },
    ['bfl', 'replicate'],
  ),
  entry(
    {
      model_identifier: 'bfl/flux-1.1-pro',
      model_type: 'image',
      lab: 'bfl',
      display_name: 'FLUX1.1 [pro]',
      pricing: { kind: 'flat', per_output: 0.04 },
      schema: {
        generation_ratio: RATIOS,
        generation_output_format: FORMATS,
        generation_output_number: 1,
        generation_input_file: false,
      },
      specific_schema: { seed: SEED, prompt_upsampling: PROMPT_UPSAMPLING, safety_tolerance: BFL_SAFETY },
      providers: {
        bfl: ok('flux-pro-1.1', SOURCE.bfl),
        replicate: ok('black-forest-labs/flux-1.1-pro', SOURCE.replicateVercel),
        fal: ok('fal-ai/flux-pro/v1.1', SOURCE.falHead),
      },
    },
    ['bfl', 'replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'bfl/flux-1.1-pro-ultra',
      model_type: 'image',
      lab: 'bfl',
      display_name: 'FLUX1.1 [pro] ultra',
      pricing: { kind: 'flat', per_output: 0.06 },
      schema: {
        generation_ratio: RATIOS_WIDE,
        generation_output_format: FORMATS,
        generation_output_number: 1,
        generation_input_file: true,
        max_input_files: 1,
      },
      specific_schema: {
        seed: SEED,
        raw: { type: 'boolean', default: false, description: 'Less processed, more natural-looking output.' },
        image_prompt_strength: {
          type: 'number',
          min: 0,
          max: 1,
          default: 0.1,
          description: 'Weight of the input image against the prompt.',
        },
        safety_tolerance: BFL_SAFETY,
      },
      providers: {
        bfl: ok('flux-pro-1.1-ultra', SOURCE.bfl),
        replicate: ok('black-forest-labs/flux-1.1-pro-ultra', SOURCE.replicateGen),
        fal: ok('fal-ai/flux-pro/v1.1-ultra', SOURCE.falHead),
      },
    },
    ['bfl', 'replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'bfl/flux-kontext-pro',
      model_type: 'image',
      lab: 'bfl',
      display_name: 'FLUX.1 Kontext [pro]',
      pricing: { kind: 'flat', per_output: 0.04 },
      schema: {
        generation_ratio: RATIOS_WIDE,
        generation_output_format: FORMATS,
        generation_output_number: 1,
        generation_input_file: true,
        max_input_files: 1,
      },
      specific_schema: { seed: SEED, prompt_upsampling: PROMPT_UPSAMPLING, safety_tolerance: BFL_SAFETY },
      providers: {
        bfl: ok('flux-kontext-pro', SOURCE.bfl),
        replicate: ok('black-forest-labs/flux-kontext-pro', SOURCE.replicateGen),
        // fal's editing endpoint; a prompt-only request goes to its sibling `.../kontext/text-to-image`.
        fal: ok('fal-ai/flux-pro/kontext', SOURCE.falHead),
      },
    },
    ['bfl', 'replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'bfl/flux-kontext-max',
      model_type: 'image',
      lab: 'bfl',
      display_name: 'FLUX.1 Kontext [max]',
      pricing: { kind: 'flat', per_output: 0.08 },
      schema: {
        generation_ratio: RATIOS_WIDE,
        generation_output_format: FORMATS,
        generation_output_number: 1,
        generation_input_file: true,
        max_input_files: 1,
      },
      specific_schema: { seed: SEED, prompt_upsampling: PROMPT_UPSAMPLING, safety_tolerance: BFL_SAFETY },
      providers: {
        bfl: ok('flux-kontext-max', SOURCE.bfl),
        replicate: ok('black-forest-labs/flux-kontext-max', SOURCE.replicateCode),
        fal: ok('fal-ai/flux-pro/kontext/max', SOURCE.falHead),
      },
    },
    ['bfl', 'replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'bfl/flux-kontext-dev',
      model_type: 'image',
      lab: 'bfl',
      display_name: 'FLUX.1 Kontext [dev]',
      pricing: { kind: 'flat', per_output: 0.025 },
      schema: {
        generation_ratio: RATIOS_WIDE,
        generation_output_format: FORMATS,
        generation_output_number: 1,
        max_output_number: 4,
        generation_input_file: true,
        max_input_files: 1,
      },
      specific_schema: {
        seed: SEED,
        guidance: { type: 'number', min: 1, max: 10, default: 2.5, description: 'Prompt adherence.' },
        steps: { type: 'integer', min: 4, max: 50, default: 28, description: 'Denoising steps.' },
      },
      providers: {
        replicate: ok('black-forest-labs/flux-kontext-dev', SOURCE.replicateCode),
        fal: ok('fal-ai/flux-kontext/dev', SOURCE.falHead),
      },
    },
    ['replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'bfl/flux-2-pro',
      model_type: 'image',
      lab: 'bfl',
      display_name: 'FLUX.2 [pro]',
      pricing: { kind: 'flat', per_output: 0.03 },
      schema: {
        generation_ratio: RATIOS_WIDE,
        generation_output_format: FORMATS,
        generation_output_number: 1,
        generation_input_file: true,
        max_input_files: 3,
      },
      specific_schema: { seed: SEED, prompt_upsampling: PROMPT_UPSAMPLING, safety_tolerance: BFL_SAFETY },
      providers: {
        bfl: ok('flux-2-pro', SOURCE.bfl),
        replicate: ok('black-forest-labs/flux-2-pro', SOURCE.replicateGen),
        fal: ok('fal-ai/flux-2-pro', SOURCE.falHead),
      },
    },
    ['bfl', 'replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'bfl/flux-2-max',
      model_type: 'image',
      lab: 'bfl',
      display_name: 'FLUX.2 [max]',
      pricing: { kind: 'flat', per_output: 0.07 },
      schema: {
        generation_ratio: RATIOS_WIDE,
        generation_output_format: FORMATS,
        generation_output_number: 1,
        generation_input_file: true,
        max_input_files: 3,
      },
      specific_schema: { seed: SEED, prompt_upsampling: PROMPT_UPSAMPLING, safety_tolerance: BFL_SAFETY },
      providers: {
        bfl: ok('flux-2-max', SOURCE.bfl),
        replicate: ok('black-forest-labs/flux-2-max', SOURCE.replicateGen),
        fal: ok('fal-ai/flux-2-max', SOURCE.falHead),
      },
    },
    ['bfl', 'replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'bfl/flux-2-flex',
      model_type: 'image',
      lab: 'bfl',
      display_name: 'FLUX.2 [flex]',
      pricing: { kind: 'flat', per_output: 0.06 },
      schema: {
        generation_ratio: RATIOS_WIDE,
        generation_output_format: FORMATS,
        generation_output_number: 1,
        generation_input_file: true,
        max_input_files: 3,
      },
      specific_schema: {
        seed: SEED,
        guidance: { type: 'number', min: 1.5, max: 10, default: 4.5, description: 'Prompt adherence.' },
        steps: { type: 'integer', min: 1, max: 50, default: 50, description: 'Denoising steps.' },
        prompt_upsampling: PROMPT_UPSAMPLING,
        safety_tolerance: BFL_SAFETY,
      },
      providers: {
        bfl: ok('flux-2-flex', SOURCE.bfl),
        replicate: ok('black-forest-labs/flux-2-flex', SOURCE.replicateGen),
        fal: ok('fal-ai/flux-2-flex', SOURCE.falHead),
      },
    },
    ['bfl', 'replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'bfl/flux-2-dev',
      model_type: 'image',
      lab: 'bfl',
      display_name: 'FLUX.2 [dev]',
      pricing: { kind: 'flat', per_output: 0.012 },
      schema: {
        generation_ratio: RATIOS_WIDE,
        generation_output_format: FORMATS,
        generation_output_number: 1,
        max_output_number: 4,
        generation_input_file: true,
        max_input_files: 3,
      },
      specific_schema: {
        seed: SEED,
        guidance: { type: 'number', min: 0, max: 20, default: 2.5, description: 'Prompt adherence.' },
        steps: { type: 'integer', min: 4, max: 50, default: 28, description: 'Denoising steps.' },
      },
      providers: {
        replicate: ok('black-forest-labs/flux-2-dev', SOURCE.replicateCode),
        fal: ok('fal-ai/flux-2', SOURCE.falHead),
        cloudflare: ok('@cf/black-forest-labs/flux-2-dev', `${SOURCE.cloudflare}flux-2-dev.json`),
      },
    },
    ['replicate', 'fal', 'cloudflare'],
  ),
  entry(
    {
      model_identifier: 'bfl/flux-2-klein-4b',
      model_type: 'image',
      lab: 'bfl',
      display_name: 'FLUX.2 [klein] 4B',
      pricing: { kind: 'flat', per_output: 0.014 },
      schema: {
        generation_ratio: RATIOS_WIDE,
        generation_output_format: FORMATS,
        generation_output_number: 1,
        max_output_number: 4,
        generation_input_file: true,
        max_input_files: 3,
      },
      specific_schema: {
        seed: SEED,
        steps: { type: 'integer', min: 1, max: 8, default: 4, description: 'Denoising steps.' },
      },
      providers: {
        bfl: ok('flux-2-klein-4b', SOURCE.bfl),
        replicate: ok('black-forest-labs/flux-2-klein-4b', SOURCE.replicateGen),
        fal: ok('fal-ai/flux-2/klein/4b', SOURCE.falHead),
        cloudflare: ok('@cf/black-forest-labs/flux-2-klein-4b', `${SOURCE.cloudflare}flux-2-klein-4b.json`),
      },
    },
    ['bfl', 'replicate', 'fal', 'cloudflare'],
  ),
  entry(
    {
      model_identifier: 'bfl/flux-2-klein-9b',
      model_type: 'image',
      lab: 'bfl',
      display_name: 'FLUX.2 [klein] 9B',
      pricing: { kind: 'flat', per_output: 0.015 },
      schema: {
        generation_ratio: RATIOS_WIDE,
        generation_output_format: FORMATS,
        generation_output_number: 1,
        max_output_number: 4,
        generation_input_file: true,
        max_input_files: 3,
      },
      specific_schema: {
        seed: SEED,
        steps: { type: 'integer', min: 1, max: 8, default: 4, description: 'Denoising steps.' },
      },
      providers: {
        bfl: ok('flux-2-klein-9b', SOURCE.bfl),
        replicate: ok('black-forest-labs/flux-2-klein-9b', SOURCE.replicateCode),
        fal: ok('fal-ai/flux-2/klein/9b', SOURCE.falHead),
        cloudflare: ok('@cf/black-forest-labs/flux-2-klein-9b', `${SOURCE.cloudflare}flux-2-klein-9b.json`),
      },
    },
    ['bfl', 'replicate', 'fal', 'cloudflare'],
  ),
];

const IMAGEN_SAFETY = {
  type: 'string',
  enum: ['block_low_and_above', 'block_medium_and_above', 'block_only_high'],
  default: 'block_only_high',
  description: 'How aggressively unsafe output is filtered.',
} as const;

const GOOGLE_MODELS: readonly CatalogModel[] = [
  entry(
    {
      model_identifier: 'google/imagen-3',
      model_type: 'image',
      lab: 'google',
      display_name: 'Imagen 3',
      pricing: { kind: 'flat', per_output: 0.05 },
      schema: {
        generation_ratio: ['1:1', '16:9', '9:16', '4:3', '3:4'],
        generation_output_format: FORMATS,
        generation_output_number: 1,
        max_output_number: 4,
        generation_input_file: false,
      },
      specific_schema: { negative_prompt: NEGATIVE_PROMPT, safety_filter_level: IMAGEN_SAFETY },
      providers: {
        replicate: ok('google/imagen-3', SOURCE.replicateGen),
        fal: ok('fal-ai/imagen3', SOURCE.falFeb),
      },
    },
    ['replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'google/imagen-4',
      model_type: 'image',
      lab: 'google',
      display_name: 'Imagen 4',
      pricing: { kind: 'flat', per_output: 0.04 },
      schema: {
        generation_ratio: ['1:1', '16:9', '9:16', '4:3', '3:4'],
        generation_output_format: FORMATS,
        generation_output_number: 1,
        max_output_number: 4,
        generation_input_file: false,
      },
      specific_schema: { safety_filter_level: IMAGEN_SAFETY },
      providers: {
        replicate: ok('google/imagen-4', SOURCE.replicateGen),
        fal: ok('fal-ai/imagen4/preview', SOURCE.falFeb),
      },
    },
    ['replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'google/imagen-4-fast',
      model_type: 'image',
      lab: 'google',
      display_name: 'Imagen 4 Fast',
      pricing: { kind: 'flat', per_output: 0.02 },
      schema: {
        generation_ratio: ['1:1', '16:9', '9:16', '4:3', '3:4'],
        generation_output_format: FORMATS,
        generation_output_number: 1,
        max_output_number: 4,
        generation_input_file: false,
      },
      specific_schema: { safety_filter_level: IMAGEN_SAFETY },
      providers: {
        replicate: ok('google/imagen-4-fast', SOURCE.replicateGen),
        fal: ok('fal-ai/imagen4/preview/fast', SOURCE.falFeb),
      },
    },
    ['replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'google/imagen-4-ultra',
      model_type: 'image',
      lab: 'google',
      display_name: 'Imagen 4 Ultra',
      pricing: { kind: 'flat', per_output: 0.06 },
      schema: {
        generation_ratio: ['1:1', '16:9', '9:16', '4:3', '3:4'],
        generation_output_format: FORMATS,
        generation_output_number: 1,
        generation_input_file: false,
      },
      specific_schema: { safety_filter_level: IMAGEN_SAFETY },
      providers: {
        replicate: ok('google/imagen-4-ultra', SOURCE.replicateCode),
        fal: ok('fal-ai/imagen4/preview/ultra', SOURCE.falFeb),
      },
    },
    ['replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'google/nano-banana',
      model_type: 'image',
      lab: 'google',
      display_name: 'Nano Banana (Gemini 2.5 Flash Image)',
      pricing: { kind: 'flat', per_output: 0.039 },
      schema: {
        generation_ratio: [...RATIOS, '21:9', '5:4', '4:5'],
        generation_output_format: FORMATS,
        generation_output_number: 1,
        max_output_number: 4,
        generation_input_file: true,
        max_input_files: 3,
      },
      specific_schema: {},
      providers: {
        replicate: ok('google/nano-banana', SOURCE.replicateGen),
        fal: ok('fal-ai/nano-banana', SOURCE.falHead),
        runway: ok('gemini_2.5_flash', SOURCE.runwayImage),
      },
    },
    ['replicate', 'fal', 'runway'],
  ),
  entry(
    {
      model_identifier: 'google/nano-banana-2',
      model_type: 'image',
      lab: 'google',
      display_name: 'Nano Banana 2 (Gemini 3.1 Flash Image)',
      // Priced at the 1K output the catalog pins; larger sizes cost more and are not offered.
      pricing: { kind: 'flat', per_output: 0.067 },
      schema: {
        generation_ratio: [...RATIOS, '21:9', '5:4', '4:5'],
        generation_output_format: FORMATS,
        generation_output_number: 1,
        max_output_number: 4,
        generation_input_file: true,
        max_input_files: 3,
        generation_resolution: ['1K'],
      },
      specific_schema: { seed: SEED },
      providers: {
        replicate: ok('google/nano-banana-2', SOURCE.replicateGen),
        fal: ok('fal-ai/nano-banana-2', SOURCE.falHead),
        runway: ok('gemini_image3.1_flash', SOURCE.runwayImage),
      },
    },
    ['replicate', 'fal', 'runway'],
  ),
  entry(
    {
      model_identifier: 'google/nano-banana-pro',
      model_type: 'image',
      lab: 'google',
      display_name: 'Nano Banana Pro (Gemini 3 Pro Image)',
      // One price covers 1K and 2K; 4K costs about twice as much and is left out.
      pricing: { kind: 'flat', per_output: 0.15 },
      schema: {
        generation_ratio: [...RATIOS, '21:9', '5:4', '4:5'],
        generation_output_format: FORMATS,
        generation_output_number: 1,
        max_output_number: 4,
        generation_input_file: true,
        max_input_files: 3,
        generation_resolution: ['2K', '1K'],
      },
      specific_schema: { seed: SEED },
      providers: {
        replicate: ok('google/nano-banana-pro', SOURCE.replicateGen),
        fal: ok('fal-ai/nano-banana-pro', SOURCE.falHead),
        runway: ok('gemini_image3_pro', SOURCE.runwayImage),
      },
    },
    ['replicate', 'fal', 'runway'],
  ),
];

const SEEDREAM_WATERMARK = { type: 'boolean', default: false, description: 'Stamp an "AI generated" mark.' } as const;

const BYTEDANCE_MODELS: readonly CatalogModel[] = [
  entry(
    {
      model_identifier: 'bytedance/seedream-3',
      model_type: 'image',
      lab: 'bytedance',
      display_name: 'Seedream 3.0',
      pricing: { kind: 'flat', per_output: 0.03 },
      schema: {
        generation_ratio: [...RATIOS, '21:9'],
        generation_output_format: FORMATS,
        generation_output_number: 1,
        max_output_number: 4,
        generation_input_file: false,
      },
      specific_schema: {
        seed: SEED,
        guidance: { type: 'number', min: 1, max: 10, default: 2.5, description: 'Prompt adherence.' },
      },
      // BytePlus has deactivated seedream-3-0-* internationally (TanStack/ai model-meta.ts), so no byteplus.
      providers: {
        replicate: ok('bytedance/seedream-3', SOURCE.replicateCode),
        fal: ok('fal-ai/bytedance/seedream/v3/text-to-image', SOURCE.falFeb),
      },
    },
    ['replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'bytedance/seedream-4',
      model_type: 'image',
      lab: 'bytedance',
      display_name: 'Seedream 4.0',
      pricing: { kind: 'flat', per_output: 0.03 },
      schema: {
        generation_ratio: [...RATIOS, '21:9'],
        generation_output_format: FORMATS,
        generation_output_number: 1,
        max_output_number: 4,
        generation_input_file: true,
        max_input_files: 10,
        generation_resolution: ['2K', '1K', '4K'],
      },
      specific_schema: { seed: SEED, watermark: SEEDREAM_WATERMARK },
      providers: {
        byteplus: ok('seedream-4-0-250828', SOURCE.byteplus),
        replicate: ok('bytedance/seedream-4', SOURCE.replicateGen),
        fal: ok('fal-ai/bytedance/seedream/v4/text-to-image', SOURCE.falHead),
      },
    },
    ['byteplus', 'replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'bytedance/seedream-4.5',
      model_type: 'image',
      lab: 'bytedance',
      display_name: 'Seedream 4.5',
      pricing: { kind: 'flat', per_output: 0.04 },
      schema: {
        generation_ratio: [...RATIOS, '21:9'],
        generation_output_format: FORMATS,
        generation_output_number: 1,
        max_output_number: 4,
        generation_input_file: true,
        max_input_files: 10,
        generation_resolution: ['2K', '4K'],
      },
      specific_schema: { seed: SEED, watermark: SEEDREAM_WATERMARK },
      providers: {
        byteplus: ok('seedream-4-5-251128', SOURCE.byteplus),
        replicate: ok('bytedance/seedream-4.5', SOURCE.replicateGen),
        fal: ok('fal-ai/bytedance/seedream/v4.5/text-to-image', SOURCE.falHead),
      },
    },
    ['byteplus', 'replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'bytedance/seedream-5-lite',
      model_type: 'image',
      lab: 'bytedance',
      display_name: 'Seedream 5.0 Lite',
      pricing: { kind: 'flat', per_output: 0.035 },
      schema: {
        generation_ratio: [...RATIOS, '21:9'],
        generation_output_format: FORMATS,
        generation_output_number: 1,
        max_output_number: 4,
        generation_input_file: true,
        max_input_files: 10,
        generation_resolution: ['2K'],
      },
      specific_schema: { watermark: SEEDREAM_WATERMARK },
      providers: {
        byteplus: ok('seedream-5-0-lite-260128', SOURCE.byteplus),
        replicate: ok('bytedance/seedream-5-lite', SOURCE.replicateGen),
        fal: ok('bytedance/seedream/v5/lite/text-to-image', SOURCE.falHead),
        runway: ok('seedream5_lite', SOURCE.runwayImage),
      },
    },
    ['byteplus', 'replicate', 'fal', 'runway'],
  ),
  entry(
    {
      model_identifier: 'bytedance/seedream-5-pro',
      model_type: 'image',
      lab: 'bytedance',
      display_name: 'Seedream 5.0 Pro',
      pricing: { kind: 'flat', per_output: 0.05 },
      schema: {
        generation_ratio: [...RATIOS, '21:9'],
        generation_output_format: FORMATS,
        generation_output_number: 1,
        max_output_number: 4,
        generation_input_file: true,
        max_input_files: 10,
        generation_resolution: ['2K', '1K'],
      },
      specific_schema: { watermark: SEEDREAM_WATERMARK },
      providers: {
        byteplus: ok('dola-seedream-5-0-pro-260628', SOURCE.byteplus),
        fal: ok('bytedance/seedream/v5/pro/text-to-image', SOURCE.falHead),
        runway: ok('seedream5_pro', SOURCE.runwayImage),
      },
    },
    ['byteplus', 'fal', 'runway'],
  ),
  entry(
    {
      model_identifier: 'bytedance/sdxl-lightning',
      model_type: 'image',
      lab: 'bytedance',
      display_name: 'SDXL-Lightning',
      pricing: { kind: 'flat', per_output: 0.002 },
      schema: {
        generation_ratio: RATIOS,
        generation_output_format: FORMATS,
        generation_output_number: 1,
        max_output_number: 4,
        generation_input_file: false,
      },
      specific_schema: {
        seed: SEED,
        negative_prompt: NEGATIVE_PROMPT,
        steps: { type: 'integer', min: 1, max: 8, default: 4, description: 'Denoising steps.' },
      },
      providers: {
        replicate: ok('bytedance/sdxl-lightning-4step', SOURCE.replicateVercel),
        fal: ok('fal-ai/fast-lightning-sdxl', SOURCE.falHead),
        cloudflare: ok(
          '@cf/bytedance/stable-diffusion-xl-lightning',
          `${SOURCE.cloudflare}stable-diffusion-xl-lightning.json`,
        ),
      },
    },
    ['replicate', 'fal', 'cloudflare'],
  ),
];

// GPT Image prices depend on quality; the catalog prices the medium 1024x1024 output and accepts
// only `low` and `medium`, so no request can cost more than it is charged.
const GPT_QUALITY = {
  type: 'string',
  enum: ['low', 'medium'],
  default: 'medium',
  description: 'Render quality.',
} as const;
const GPT_BACKGROUND = {
  type: 'string',
  enum: ['auto', 'transparent', 'opaque'],
  default: 'auto',
  description: 'Background transparency (png and webp only).',
} as const;

const OPENAI_MODELS: readonly CatalogModel[] = [
  entry(
    {
      model_identifier: 'openai/gpt-image-1',
      model_type: 'image',
      lab: 'openai',
      display_name: 'GPT Image 1',
      pricing: { kind: 'flat', per_output: 0.042 },
      schema: {
        generation_ratio: RATIOS_SQUARE_PORTRAIT_LANDSCAPE,
        generation_output_format: FORMATS,
        generation_output_number: 1,
        max_output_number: 4,
        generation_input_file: true,
        max_input_files: 4,
      },
      specific_schema: { quality: GPT_QUALITY, background: GPT_BACKGROUND },
      providers: {
        openai: ok('gpt-image-1', SOURCE.openai),
        replicate: ok('openai/gpt-image-1', SOURCE.replicateGen),
        // fal's gpt-image-1 endpoints may require the caller's own OpenAI key (BYOK).
        fal: ok('fal-ai/gpt-image-1/text-to-image', SOURCE.falHead),
      },
    },
    ['openai', 'replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'openai/gpt-image-1-mini',
      model_type: 'image',
      lab: 'openai',
      display_name: 'GPT Image 1 Mini',
      pricing: { kind: 'flat', per_output: 0.011 },
      schema: {
        generation_ratio: RATIOS_SQUARE_PORTRAIT_LANDSCAPE,
        generation_output_format: FORMATS,
        generation_output_number: 1,
        max_output_number: 4,
        generation_input_file: true,
        max_input_files: 4,
      },
      specific_schema: { quality: GPT_QUALITY, background: GPT_BACKGROUND },
      providers: {
        openai: ok('gpt-image-1-mini', SOURCE.openai),
        replicate: unconfirmed(
          'openai/gpt-image-1-mini',
          'code search found this spelling only as an OpenRouter/gateway id, not a Replicate call',
        ),
        fal: ok('fal-ai/gpt-image-1-mini', SOURCE.falHead),
      },
    },
    ['openai', 'replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'openai/gpt-image-1.5',
      model_type: 'image',
      lab: 'openai',
      display_name: 'GPT Image 1.5',
      pricing: { kind: 'flat', per_output: 0.034 },
      schema: {
        generation_ratio: RATIOS_SQUARE_PORTRAIT_LANDSCAPE,
        generation_output_format: FORMATS,
        generation_output_number: 1,
        max_output_number: 4,
        generation_input_file: true,
        max_input_files: 4,
      },
      specific_schema: { quality: GPT_QUALITY, background: GPT_BACKGROUND },
      providers: {
        openai: ok('gpt-image-1.5', SOURCE.openai),
        replicate: ok('openai/gpt-image-1.5', SOURCE.replicateGen),
        fal: ok('fal-ai/gpt-image-1.5', SOURCE.falHead),
      },
    },
    ['openai', 'replicate', 'fal'],
  ),
  entry(
    {
      // Contract §18 names this one `gpt/image-2`; the lab is still OpenAI.
      model_identifier: 'gpt/image-2',
      model_type: 'image',
      lab: 'openai',
      display_name: 'GPT Image 2',
      pricing: { kind: 'flat', per_output: 0.053 },
      schema: {
        generation_ratio: RATIOS_SQUARE_PORTRAIT_LANDSCAPE,
        generation_output_format: FORMATS,
        generation_output_number: 1,
        max_output_number: 4,
        generation_input_file: true,
        max_input_files: 4,
      },
      specific_schema: { quality: GPT_QUALITY },
      providers: {
        openai: ok('gpt-image-2', SOURCE.openai),
        replicate: unconfirmed('openai/gpt-image-2', 'no Replicate model page or Replicate call found by code search'),
        fal: ok('openai/gpt-image-2', SOURCE.falHead),
        runway: ok('gpt_image_2', SOURCE.runwayImage),
      },
    },
    ['openai', 'replicate', 'fal', 'runway'],
  ),
];

const QWEN_GUIDANCE = { type: 'number', min: 0, max: 20, default: 4, description: 'Prompt adherence.' } as const;

const QWEN_MODELS: readonly CatalogModel[] = [
  entry(
    {
      model_identifier: 'qwen/image',
      model_type: 'image',
      lab: 'qwen',
      display_name: 'Qwen-Image',
      pricing: { kind: 'flat', per_output: 0.035 },
      schema: {
        generation_ratio: RATIOS,
        generation_output_format: FORMATS,
        generation_output_number: 1,
        max_output_number: 4,
        generation_input_file: false,
      },
      specific_schema: { seed: SEED, negative_prompt: NEGATIVE_PROMPT, guidance: QWEN_GUIDANCE },
      providers: {
        alibabacloud: ok('qwen-image', SOURCE.alibabacloud),
        replicate: ok('qwen/qwen-image', SOURCE.replicateGen),
        fal: ok('fal-ai/qwen-image', SOURCE.falHead),
      },
    },
    ['alibabacloud', 'replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'qwen/image-max',
      model_type: 'image',
      lab: 'qwen',
      display_name: 'Qwen-Image Max',
      pricing: { kind: 'flat', per_output: 0.075 },
      schema: {
        generation_ratio: RATIOS,
        generation_output_format: FORMATS,
        generation_output_number: 1,
        generation_input_file: false,
      },
      specific_schema: { seed: SEED, negative_prompt: NEGATIVE_PROMPT },
      providers: {
        alibabacloud: ok('qwen-image-max', SOURCE.alibabacloud),
        fal: ok('fal-ai/qwen-image-max/text-to-image', SOURCE.falHead),
      },
    },
    ['alibabacloud', 'fal'],
  ),
  entry(
    {
      model_identifier: 'qwen/image-edit',
      model_type: 'image',
      lab: 'qwen',
      display_name: 'Qwen-Image-Edit',
      pricing: { kind: 'flat', per_output: 0.045 },
      schema: {
        generation_ratio: RATIOS,
        generation_output_format: FORMATS,
        generation_output_number: 1,
        generation_input_file: true,
        max_input_files: 1,
      },
      specific_schema: { seed: SEED, negative_prompt: NEGATIVE_PROMPT, guidance: QWEN_GUIDANCE },
      providers: {
        alibabacloud: ok('qwen-image-edit', SOURCE.alibabacloud),
        replicate: ok('qwen/qwen-image-edit', SOURCE.replicateGen),
        fal: ok('fal-ai/qwen-image-edit', SOURCE.falHead),
      },
    },
    ['alibabacloud', 'replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'qwen/image-edit-plus',
      model_type: 'image',
      lab: 'qwen',
      display_name: 'Qwen-Image-Edit Plus',
      pricing: { kind: 'flat', per_output: 0.03 },
      schema: {
        generation_ratio: RATIOS,
        generation_output_format: FORMATS,
        generation_output_number: 1,
        generation_input_file: true,
        max_input_files: 3,
      },
      specific_schema: { seed: SEED, negative_prompt: NEGATIVE_PROMPT, guidance: QWEN_GUIDANCE },
      providers: {
        alibabacloud: ok('qwen-image-edit-plus', SOURCE.alibabacloud),
        replicate: ok('qwen/qwen-image-edit-plus', SOURCE.replicateCode),
        fal: ok('fal-ai/qwen-image-edit-plus', SOURCE.falHead),
      },
    },
    ['alibabacloud', 'replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'qwen/image-2-pro',
      model_type: 'image',
      lab: 'qwen',
      display_name: 'Qwen-Image 2.0 Pro',
      pricing: { kind: 'flat', per_output: 0.075 },
      schema: {
        generation_ratio: RATIOS,
        generation_output_format: FORMATS,
        generation_output_number: 1,
        generation_input_file: false,
      },
      specific_schema: { seed: SEED, negative_prompt: NEGATIVE_PROMPT },
      providers: {
        replicate: ok('qwen/qwen-image-2-pro', SOURCE.replicateGen),
        fal: ok('fal-ai/qwen-image-2/pro/text-to-image', SOURCE.falHead),
      },
    },
    ['replicate', 'fal'],
  ),
];

const WAN_AND_Z_MODELS: readonly CatalogModel[] = [
  entry(
    {
      model_identifier: 'wan/2.5-t2i-preview',
      model_type: 'image',
      lab: 'wan',
      display_name: 'Wan 2.5 Text-to-Image (preview)',
      pricing: { kind: 'flat', per_output: 0.03 },
      schema: {
        generation_ratio: RATIOS,
        generation_output_format: FORMATS,
        generation_output_number: 1,
        max_output_number: 4,
        generation_input_file: false,
      },
      specific_schema: { seed: SEED, negative_prompt: NEGATIVE_PROMPT },
      providers: {
        alibabacloud: ok('wan2.5-t2i-preview', SOURCE.alibabacloud),
        fal: ok('fal-ai/wan-25-preview/text-to-image', SOURCE.falHead),
      },
    },
    ['alibabacloud', 'fal'],
  ),
  entry(
    {
      model_identifier: 'wan/2.7-image',
      model_type: 'image',
      lab: 'wan',
      display_name: 'Wan 2.7 Image',
      pricing: { kind: 'flat', per_output: 0.03 },
      schema: {
        generation_ratio: RATIOS,
        generation_output_format: FORMATS,
        generation_output_number: 1,
        max_output_number: 4,
        generation_input_file: false,
      },
      specific_schema: { seed: SEED, negative_prompt: NEGATIVE_PROMPT },
      providers: {
        alibabacloud: ok('wan2.7-image', SOURCE.alibabacloud),
        fal: ok('fal-ai/wan/v2.7/text-to-image', SOURCE.falHead),
      },
    },
    ['alibabacloud', 'fal'],
  ),
  entry(
    {
      model_identifier: 'wan/2.7-image-pro',
      model_type: 'image',
      lab: 'wan',
      display_name: 'Wan 2.7 Image Pro',
      pricing: { kind: 'flat', per_output: 0.075 },
      schema: {
        generation_ratio: RATIOS,
        generation_output_format: FORMATS,
        generation_output_number: 1,
        max_output_number: 4,
        generation_input_file: false,
      },
      specific_schema: { seed: SEED, negative_prompt: NEGATIVE_PROMPT },
      providers: {
        alibabacloud: ok('wan2.7-image-pro', SOURCE.alibabacloud),
        replicate: ok('wan-video/wan-2.7-image-pro', SOURCE.replicateGen),
        fal: ok('fal-ai/wan/v2.7/pro/text-to-image', SOURCE.falHead),
      },
    },
    ['alibabacloud', 'replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'z/image-turbo',
      model_type: 'image',
      lab: 'z',
      display_name: 'Z-Image Turbo',
      pricing: { kind: 'flat', per_output: 0.01 },
      schema: {
        generation_ratio: RATIOS,
        generation_output_format: FORMATS,
        generation_output_number: 1,
        max_output_number: 4,
        generation_input_file: false,
      },
      specific_schema: {
        seed: SEED,
        steps: { type: 'integer', min: 1, max: 8, default: 8, description: 'Denoising steps.' },
      },
      providers: {
        alibabacloud: ok('z-image-turbo', SOURCE.alibabacloud),
        replicate: ok('prunaai/z-image-turbo', SOURCE.replicateGen),
        fal: ok('fal-ai/z-image/turbo', SOURCE.falHead),
      },
    },
    ['alibabacloud', 'replicate', 'fal'],
  ),
];

const SD_GUIDANCE = { type: 'number', min: 0, max: 20, default: 4.5, description: 'Classifier-free guidance.' } as const;

const STABILITY_MODELS: readonly CatalogModel[] = [
  entry(
    {
      model_identifier: 'stability/sd-3.5-large',
      model_type: 'image',
      lab: 'stability',
      display_name: 'Stable Diffusion 3.5 Large',
      pricing: { kind: 'flat', per_output: 0.065 },
      schema: {
        generation_ratio: RATIOS_WIDE,
        generation_output_format: FORMATS,
        generation_output_number: 1,
        max_output_number: 4,
        generation_input_file: false,
      },
      specific_schema: {
        seed: SEED,
        negative_prompt: NEGATIVE_PROMPT,
        guidance: SD_GUIDANCE,
        steps: { type: 'integer', min: 1, max: 50, default: 28, description: 'Denoising steps.' },
      },
      providers: {
        replicate: ok('stability-ai/stable-diffusion-3.5-large', SOURCE.replicateGen),
        fal: ok('fal-ai/stable-diffusion-v35-large', SOURCE.falHead),
      },
    },
    ['replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'stability/sd-3.5-large-turbo',
      model_type: 'image',
      lab: 'stability',
      display_name: 'Stable Diffusion 3.5 Large Turbo',
      pricing: { kind: 'flat', per_output: 0.04 },
      schema: {
        generation_ratio: RATIOS_WIDE,
        generation_output_format: FORMATS,
        generation_output_number: 1,
        generation_input_file: false,
      },
      specific_schema: {
        seed: SEED,
        negative_prompt: NEGATIVE_PROMPT,
        steps: { type: 'integer', min: 1, max: 10, default: 4, description: 'Denoising steps.' },
      },
      providers: {
        replicate: ok('stability-ai/stable-diffusion-3.5-large-turbo', SOURCE.replicateGen),
      },
    },
    ['replicate'],
  ),
  entry(
    {
      model_identifier: 'stability/sd-3.5-medium',
      model_type: 'image',
      lab: 'stability',
      display_name: 'Stable Diffusion 3.5 Medium',
      pricing: { kind: 'flat', per_output: 0.035 },
      schema: {
        generation_ratio: RATIOS_WIDE,
        generation_output_format: FORMATS,
        generation_output_number: 1,
        max_output_number: 4,
        generation_input_file: false,
      },
      specific_schema: {
        seed: SEED,
        negative_prompt: NEGATIVE_PROMPT,
        guidance: SD_GUIDANCE,
        steps: { type: 'integer', min: 1, max: 50, default: 40, description: 'Denoising steps.' },
      },
      providers: {
        replicate: ok('stability-ai/stable-diffusion-3.5-medium', SOURCE.replicateGen),
        fal: ok('fal-ai/stable-diffusion-v35-medium', SOURCE.falHead),
      },
    },
    ['replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'stability/sdxl',
      model_type: 'image',
      lab: 'stability',
      display_name: 'Stable Diffusion XL 1.0',
      pricing: { kind: 'flat', per_output: 0.004 },
      schema: {
        generation_ratio: RATIOS,
        generation_output_format: FORMATS,
        generation_output_number: 1,
        max_output_number: 4,
        generation_input_file: false,
      },
      specific_schema: {
        seed: SEED,
        negative_prompt: NEGATIVE_PROMPT,
        guidance: { type: 'number', min: 1, max: 20, default: 7.5, description: 'Classifier-free guidance.' },
        // Workers AI caps SDXL at 20 steps.
        steps: { type: 'integer', min: 1, max: 20, default: 20, description: 'Denoising steps.' },
      },
      providers: {
        replicate: ok('stability-ai/sdxl', SOURCE.replicateGen),
        fal: ok('fal-ai/fast-sdxl', SOURCE.falHead),
        cloudflare: ok(
          '@cf/stabilityai/stable-diffusion-xl-base-1.0',
          'public Workers AI code calling /ai/run/@cf/stabilityai/stable-diffusion-xl-base-1.0 (code search)',
        ),
      },
    },
    ['replicate', 'fal', 'cloudflare'],
  ),
];

const IDEOGRAM_RATIOS = ['1:1', '16:9', '9:16', '4:3', '3:4', '3:2', '2:3', '16:10', '10:16', '3:1', '1:3'] as const;
const IDEOGRAM_V2_STYLE = {
  type: 'string',
  enum: ['auto', 'general', 'realistic', 'design', 'render_3D', 'anime'],
  default: 'auto',
  description: 'Style family.',
} as const;
const IDEOGRAM_V3_STYLE = {
  type: 'string',
  enum: ['auto', 'general', 'realistic', 'design'],
  default: 'auto',
  description: 'Style family.',
} as const;
const MAGIC_PROMPT = {
  type: 'string',
  enum: ['auto', 'on', 'off'],
  default: 'auto',
  description: 'Ideogram MagicPrompt rewriting.',
} as const;

function ideogram(
  slug: string,
  display_name: string,
  per_output: number,
  replicate_id: string,
  fal_id: string,
  replicate_source: string | null,
  v3: boolean,
): CatalogModel {
  return entry(
    {
      model_identifier: `ideogram/${slug}`,
      model_type: 'image',
      lab: 'ideogram',
      display_name,
      pricing: { kind: 'flat', per_output },
      schema: {
        generation_ratio: IDEOGRAM_RATIOS,
        generation_output_format: FORMATS,
        generation_output_number: 1,
        generation_input_file: false,
      },
      specific_schema: {
        seed: SEED,
        negative_prompt: NEGATIVE_PROMPT,
        style: v3 ? IDEOGRAM_V3_STYLE : IDEOGRAM_V2_STYLE,
        magic_prompt: MAGIC_PROMPT,
      },
      providers: {
        replicate: replicate_source
          ? ok(replicate_id, replicate_source)
          : unconfirmed(replicate_id, 'Replicate id only seen in a commented-out list in public code'),
        // Ideogram 3.0 on fal is one endpoint; the speed tier goes in its `rendering_speed` field.
        fal: ok(fal_id, SOURCE.falHead),
      },
    },
    ['replicate', 'fal'],
  );
}

const IDEOGRAM_MODELS: readonly CatalogModel[] = [
  ideogram('v2', 'Ideogram 2.0', 0.08, 'ideogram-ai/ideogram-v2', 'fal-ai/ideogram/v2', SOURCE.replicateGen, false),
  ideogram(
    'v2-turbo',
    'Ideogram 2.0 Turbo',
    0.05,
    'ideogram-ai/ideogram-v2-turbo',
    'fal-ai/ideogram/v2/turbo',
    SOURCE.replicateGen,
    false,
  ),
  ideogram('v2a', 'Ideogram 2a', 0.04, 'ideogram-ai/ideogram-v2a', 'fal-ai/ideogram/v2a', SOURCE.replicateGen, false),
  ideogram('v3-turbo', 'Ideogram 3.0 Turbo', 0.03, 'ideogram-ai/ideogram-v3-turbo', 'fal-ai/ideogram/v3', SOURCE.replicateGen, true),
  ideogram('v3-balanced', 'Ideogram 3.0 Balanced', 0.06, 'ideogram-ai/ideogram-v3-balanced', 'fal-ai/ideogram/v3', null, true),
  ideogram(
    'v3-quality',
    'Ideogram 3.0 Quality',
    0.09,
    'ideogram-ai/ideogram-v3-quality',
    'fal-ai/ideogram/v3',
    'public code citing https://replicate.com/ideogram-ai/ideogram-v3-quality (code search)',
    true,
  ),
];

const RECRAFT_STYLE = {
  type: 'string',
  enum: ['any', 'realistic_image', 'digital_illustration'],
  default: 'any',
  description: 'Raster style family (vector styles are not offered: outputs are png/jpg/webp).',
} as const;

const OTHER_IMAGE_MODELS: readonly CatalogModel[] = [
  entry(
    {
      model_identifier: 'recraft/v3',
      model_type: 'image',
      lab: 'recraft',
      display_name: 'Recraft V3',
      pricing: { kind: 'flat', per_output: 0.04 },
      schema: {
        generation_ratio: RATIOS,
        generation_output_format: FORMATS,
        generation_output_number: 1,
        generation_input_file: false,
      },
      specific_schema: { style: RECRAFT_STYLE },
      providers: {
        replicate: ok('recraft-ai/recraft-v3', SOURCE.replicateGen),
        fal: ok('fal-ai/recraft/v3/text-to-image', SOURCE.falHead),
      },
    },
    ['replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'recraft/20b',
      model_type: 'image',
      lab: 'recraft',
      display_name: 'Recraft 20B',
      pricing: { kind: 'flat', per_output: 0.022 },
      schema: {
        generation_ratio: RATIOS,
        generation_output_format: FORMATS,
        generation_output_number: 1,
        generation_input_file: false,
      },
      specific_schema: { style: RECRAFT_STYLE },
      providers: {
        replicate: ok('recraft-ai/recraft-20b', SOURCE.replicateGen),
        fal: ok('fal-ai/recraft-20b', SOURCE.falHead),
      },
    },
    ['replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'recraft/v4',
      model_type: 'image',
      lab: 'recraft',
      display_name: 'Recraft V4',
      pricing: { kind: 'flat', per_output: 0.04 },
      schema: {
        generation_ratio: RATIOS,
        generation_output_format: FORMATS,
        generation_output_number: 1,
        generation_input_file: false,
      },
      specific_schema: {},
      providers: {
        replicate: ok('recraft-ai/recraft-v4', SOURCE.replicateGen),
        fal: ok('fal-ai/recraft/v4/text-to-image', SOURCE.falHead),
      },
    },
    ['replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'luma/photon',
      model_type: 'image',
      lab: 'luma',
      display_name: 'Luma Photon',
      pricing: { kind: 'flat', per_output: 0.03 },
      schema: {
        generation_ratio: ['1:1', '16:9', '9:16', '4:3', '3:4', '21:9', '9:21'],
        generation_output_format: FORMATS,
        generation_output_number: 1,
        generation_input_file: false,
      },
      specific_schema: {},
      providers: {
        replicate: ok('luma/photon', SOURCE.replicateVercel),
        fal: ok('fal-ai/luma-photon', SOURCE.falHead),
      },
    },
    ['replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'luma/photon-flash',
      model_type: 'image',
      lab: 'luma',
      display_name: 'Luma Photon Flash',
      pricing: { kind: 'flat', per_output: 0.01 },
      schema: {
        generation_ratio: ['1:1', '16:9', '9:16', '4:3', '3:4', '21:9', '9:21'],
        generation_output_format: FORMATS,
        generation_output_number: 1,
        generation_input_file: false,
      },
      specific_schema: {},
      providers: {
        replicate: ok('luma/photon-flash', SOURCE.replicateGen),
        fal: ok('fal-ai/luma-photon/flash', SOURCE.falHead),
      },
    },
    ['replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'minimax/image-01',
      model_type: 'image',
      lab: 'minimax',
      display_name: 'MiniMax Image-01',
      pricing: { kind: 'flat', per_output: 0.01 },
      schema: {
        generation_ratio: ['1:1', '16:9', '4:3', '3:2', '2:3', '3:4', '9:16', '21:9'],
        generation_output_format: FORMATS,
        generation_output_number: 1,
        max_output_number: 4,
        generation_input_file: false,
      },
      specific_schema: {
        prompt_optimizer: { type: 'boolean', default: true, description: 'Let the model rewrite the prompt.' },
      },
      providers: {
        replicate: ok('minimax/image-01', SOURCE.replicateGen),
        fal: ok('fal-ai/minimax/image-01', SOURCE.falHead),
      },
    },
    ['replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'tencent/hunyuan-image-3',
      model_type: 'image',
      lab: 'tencent',
      display_name: 'HunyuanImage 3.0',
      pricing: { kind: 'flat', per_output: 0.08 },
      schema: {
        generation_ratio: RATIOS,
        generation_output_format: FORMATS,
        generation_output_number: 1,
        generation_input_file: false,
      },
      specific_schema: {
        seed: SEED,
        negative_prompt: NEGATIVE_PROMPT,
        guidance: { type: 'number', min: 1, max: 20, default: 7.5, description: 'Prompt adherence.' },
      },
      providers: {
        replicate: ok('tencent/hunyuan-image-3', SOURCE.replicateCode),
        fal: ok('fal-ai/hunyuan-image/v3/text-to-image', SOURCE.falHead),
      },
    },
    ['replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'runway/gen4-image',
      model_type: 'image',
      lab: 'runway',
      display_name: 'Runway Gen-4 Image',
      // 1080p list price (8 credits at $0.01); 720p costs less but the flat price covers both.
      pricing: { kind: 'flat', per_output: 0.08 },
      schema: {
        generation_ratio: ['16:9', '9:16', '1:1', '4:3', '3:4', '21:9'],
        generation_output_format: FORMATS,
        generation_output_number: 1,
        generation_input_file: true,
        max_input_files: 3,
        generation_resolution: ['1080p', '720p'],
      },
      specific_schema: { seed: { type: 'integer', min: 0, max: 4294967295, description: 'Random seed.' } },
      providers: {
        runway: ok('gen4_image', SOURCE.runwayImage),
        replicate: ok('runwayml/gen4-image', SOURCE.replicateCode),
      },
    },
    ['runway', 'replicate'],
  ),
  entry(
    {
      model_identifier: 'runway/gen4-image-turbo',
      model_type: 'image',
      lab: 'runway',
      display_name: 'Runway Gen-4 Image Turbo',
      pricing: { kind: 'flat', per_output: 0.02 },
      schema: {
        generation_ratio: ['16:9', '9:16', '1:1', '4:3', '3:4', '21:9'],
        generation_output_format: FORMATS,
        generation_output_number: 1,
        // Gen-4 Image Turbo needs at least one reference image.
        generation_input_file: true,
        max_input_files: 3,
        generation_resolution: ['1080p', '720p'],
      },
      specific_schema: { seed: { type: 'integer', min: 0, max: 4294967295, description: 'Random seed.' } },
      providers: {
        runway: ok('gen4_image_turbo', SOURCE.runwayImage),
        replicate: ok('runwayml/gen4-image-turbo', SOURCE.replicateCode),
      },
    },
    ['runway', 'replicate'],
  ),
  entry(
    {
      model_identifier: 'leonardo/lucid-origin',
      model_type: 'image',
      lab: 'leonardo',
      display_name: 'Leonardo Lucid Origin',
      pricing: { kind: 'flat', per_output: 0.03 },
      schema: {
        generation_ratio: RATIOS,
        generation_output_format: FORMATS,
        generation_output_number: 1,
        generation_input_file: false,
      },
      specific_schema: {
        seed: SEED,
        guidance: { type: 'number', min: 0, max: 10, default: 4.5, description: 'Prompt adherence.' },
        steps: { type: 'integer', min: 1, max: 40, description: 'Denoising steps.' },
      },
      providers: {
        replicate: ok('leonardoai/lucid-origin', SOURCE.replicateCode),
        cloudflare: ok('@cf/leonardo/lucid-origin', `${SOURCE.cloudflare}lucid-origin.json`),
      },
    },
    ['replicate', 'cloudflare'],
  ),
  entry(
    {
      model_identifier: 'leonardo/phoenix-1.0',
      model_type: 'image',
      lab: 'leonardo',
      display_name: 'Leonardo Phoenix 1.0',
      pricing: { kind: 'flat', per_output: 0.03 },
      schema: {
        generation_ratio: RATIOS,
        generation_output_format: FORMATS,
        generation_output_number: 1,
        generation_input_file: false,
      },
      specific_schema: {
        seed: SEED,
        negative_prompt: NEGATIVE_PROMPT,
        guidance: { type: 'number', min: 2, max: 10, default: 2, description: 'Prompt adherence.' },
        steps: { type: 'integer', min: 1, max: 50, default: 25, description: 'Denoising steps.' },
      },
      providers: {
        replicate: unconfirmed(
          'leonardoai/phoenix-1.0',
          'seen only in a public owner/name model map that does not name the provider',
        ),
        cloudflare: ok('@cf/leonardo/phoenix-1.0', `${SOURCE.cloudflare}phoenix-1.0.json`),
      },
    },
    ['replicate', 'cloudflare'],
  ),
];

export const IMAGE_MODELS: readonly CatalogModel[] = [
  ...BFL_MODELS,
  ...GOOGLE_MODELS,
  ...BYTEDANCE_MODELS,
  ...OPENAI_MODELS,
  ...QWEN_MODELS,
  ...WAN_AND_Z_MODELS,
  ...STABILITY_MODELS,
  ...IDEOGRAM_MODELS,
  ...OTHER_IMAGE_MODELS,
];
