// Video models. Prices are list prices in credits (1 credit = 1 USD) per second of output; tier
// keys are resolutions, or resolution plus audio mode (`720p_audio`, `720p_noaudio`) where audio
// can be switched. Raw ids are spelled as each provider's API takes them.
import type { CatalogModel, ProviderId } from '../types.ts';
import { BYTEPLUS_VIDEO_REGIONS, ok, ordersFor, SOURCE } from './offers.ts';

const MP4 = ['mp4'] as const;
const LANDSCAPE_PORTRAIT = ['16:9', '9:16'] as const;
const LANDSCAPE_PORTRAIT_SQUARE = ['16:9', '9:16', '1:1'] as const;
const FIVE_RATIOS = ['16:9', '9:16', '1:1', '4:3', '3:4'] as const;
const SEEDANCE_RATIOS = ['16:9', '9:16', '1:1', '4:3', '3:4', '21:9'] as const;

const SEED = { type: 'integer', min: 0, max: 2147483647, description: 'Random seed for reproducible output.' } as const;
const NEGATIVE_PROMPT = {
  type: 'string',
  max_length: 2000,
  description: 'What the video should not contain.',
} as const;
const WATERMARK = { type: 'boolean', default: false, description: 'Add the provider watermark.' } as const;
const PROMPT_EXTEND = { type: 'boolean', default: true, description: 'Let the model rewrite the prompt.' } as const;

/** Integer seconds from `from` to `to`, inclusive. */
function seconds(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** Audio-tiered prices: the same resolution priced with and without generated audio. */
function audioTiers(rates: Record<string, { audio: number; noaudio: number }>): Record<string, number> {
  const tiers: Record<string, number> = {};
  for (const [resolution, rate] of Object.entries(rates)) {
    tiers[`${resolution}_audio`] = rate.audio;
    tiers[`${resolution}_noaudio`] = rate.noaudio;
  }
  return tiers;
}

type Entry = Omit<CatalogModel, 'default_order' | 'provider_orders'>;

function entry(model: Entry, default_order: readonly ProviderId[]): CatalogModel {
  return { ...model, default_order, provider_orders: ordersFor(default_order) };
}

const GOOGLE_MODELS: readonly CatalogModel[] = [
  entry(
    {
      model_identifier: 'google/veo-2',
      model_type: 'video',
      lab: 'google',
      display_name: 'Veo 2',
      pricing: { kind: 'per_second', per_second: 0.5 },
      schema: {
        generation_ratio: LANDSCAPE_PORTRAIT,
        generation_output_format: MP4,
        generation_output_number: 1,
        generation_input_file: true,
        max_input_files: 1,
        generation_duration: [5, 6, 7, 8],
      },
      specific_schema: { seed: SEED, negative_prompt: NEGATIVE_PROMPT },
      providers: {
        replicate: ok('google/veo-2', SOURCE.replicateGen),
        fal: ok('fal-ai/veo2', SOURCE.falFeb),
      },
    },
    ['replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'google/veo-3',
      model_type: 'video',
      lab: 'google',
      display_name: 'Veo 3',
      pricing: {
        kind: 'per_second_tiered',
        per_second: audioTiers({ '720p': { audio: 0.4, noaudio: 0.2 }, '1080p': { audio: 0.4, noaudio: 0.2 } }),
      },
      schema: {
        generation_ratio: LANDSCAPE_PORTRAIT,
        generation_output_format: MP4,
        generation_output_number: 1,
        generation_input_file: true,
        max_input_files: 1,
        // 8 s is the one length every provider takes (Runway's veo3 is fixed at 8 s).
        generation_duration: [8],
        generation_resolution: ['720p', '1080p'],
        generation_generate_audio: true,
      },
      specific_schema: { seed: SEED, negative_prompt: NEGATIVE_PROMPT },
      providers: {
        replicate: ok('google/veo-3', 'aviv90/tasker-server services/replicate/models.ts (code search)'),
        fal: ok('fal-ai/veo3', SOURCE.falFeb),
        runway: ok('veo3', SOURCE.runwayVideo),
      },
    },
    ['replicate', 'fal', 'runway'],
  ),
  entry(
    {
      model_identifier: 'google/veo-3-fast',
      model_type: 'video',
      lab: 'google',
      display_name: 'Veo 3 Fast',
      pricing: {
        kind: 'per_second_tiered',
        per_second: audioTiers({ '720p': { audio: 0.15, noaudio: 0.1 }, '1080p': { audio: 0.15, noaudio: 0.1 } }),
      },
      schema: {
        generation_ratio: LANDSCAPE_PORTRAIT,
        generation_output_format: MP4,
        generation_output_number: 1,
        generation_input_file: true,
        max_input_files: 1,
        generation_duration: [4, 6, 8],
        generation_resolution: ['720p', '1080p'],
        generation_generate_audio: true,
      },
      specific_schema: { seed: SEED, negative_prompt: NEGATIVE_PROMPT },
      providers: {
        replicate: ok('google/veo-3-fast', SOURCE.replicateCode),
        fal: ok('fal-ai/veo3/fast', SOURCE.falFeb),
      },
    },
    ['replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'google/veo-3.1',
      model_type: 'video',
      lab: 'google',
      display_name: 'Veo 3.1',
      pricing: {
        kind: 'per_second_tiered',
        per_second: audioTiers({ '720p': { audio: 0.4, noaudio: 0.2 }, '1080p': { audio: 0.4, noaudio: 0.2 } }),
      },
      schema: {
        generation_ratio: LANDSCAPE_PORTRAIT,
        generation_output_format: MP4,
        generation_output_number: 1,
        generation_input_file: true,
        max_input_files: 1,
        generation_duration: [4, 6, 8],
        generation_resolution: ['720p', '1080p'],
        generation_generate_audio: true,
        generation_input_file_last_content: true,
      },
      specific_schema: { seed: SEED, negative_prompt: NEGATIVE_PROMPT },
      providers: {
        replicate: ok('google/veo-3.1', SOURCE.replicateGen),
        fal: ok('fal-ai/veo3.1', SOURCE.falHead),
        runway: ok('veo3.1', SOURCE.runwayVideo),
      },
    },
    ['replicate', 'fal', 'runway'],
  ),
  entry(
    {
      model_identifier: 'google/veo-3.1-fast',
      model_type: 'video',
      lab: 'google',
      display_name: 'Veo 3.1 Fast',
      pricing: {
        kind: 'per_second_tiered',
        per_second: audioTiers({ '720p': { audio: 0.15, noaudio: 0.1 }, '1080p': { audio: 0.15, noaudio: 0.1 } }),
      },
      schema: {
        generation_ratio: LANDSCAPE_PORTRAIT,
        generation_output_format: MP4,
        generation_output_number: 1,
        generation_input_file: true,
        max_input_files: 1,
        generation_duration: [4, 6, 8],
        generation_resolution: ['720p', '1080p'],
        generation_generate_audio: true,
        generation_input_file_last_content: true,
      },
      specific_schema: { seed: SEED, negative_prompt: NEGATIVE_PROMPT },
      providers: {
        replicate: ok('google/veo-3.1-fast', SOURCE.replicateGen),
        fal: ok('fal-ai/veo3.1/fast', SOURCE.falHead),
        runway: ok('veo3.1_fast', SOURCE.runwayVideo),
      },
    },
    ['replicate', 'fal', 'runway'],
  ),
];

const CAMERA_FIXED = { type: 'boolean', default: false, description: 'Keep the camera still.' } as const;

const BYTEDANCE_MODELS: readonly CatalogModel[] = [
  entry(
    {
      model_identifier: 'bytedance/seedance-1-lite',
      model_type: 'video',
      lab: 'bytedance',
      display_name: 'Seedance 1.0 Lite',
      pricing: { kind: 'per_second_tiered', per_second: { '480p': 0.018, '720p': 0.036, '1080p': 0.072 } },
      schema: {
        generation_ratio: SEEDANCE_RATIOS,
        generation_output_format: MP4,
        generation_output_number: 1,
        generation_input_file: true,
        max_input_files: 1,
        generation_duration: [5, 10],
        generation_resolution: ['720p', '480p', '1080p'],
        generation_input_file_last_content: true,
      },
      specific_schema: { seed: SEED, camera_fixed: CAMERA_FIXED },
      // BytePlus has deactivated the seedance-1-0-lite-* ids internationally (TanStack/ai model-meta.ts).
      providers: {
        replicate: ok('bytedance/seedance-1-lite', SOURCE.replicateCode),
        fal: ok('fal-ai/bytedance/seedance/v1/lite/text-to-video', SOURCE.falFeb),
      },
    },
    ['replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'bytedance/seedance-1-pro',
      model_type: 'video',
      lab: 'bytedance',
      display_name: 'Seedance 1.0 Pro',
      pricing: { kind: 'per_second_tiered', per_second: { '480p': 0.03, '720p': 0.06, '1080p': 0.15 } },
      schema: {
        generation_ratio: SEEDANCE_RATIOS,
        generation_output_format: MP4,
        generation_output_number: 1,
        generation_input_file: true,
        max_input_files: 1,
        generation_duration: [5, 10],
        generation_resolution: ['1080p', '720p', '480p'],
        generation_input_file_last_content: true,
      },
      specific_schema: { seed: SEED, camera_fixed: CAMERA_FIXED, watermark: WATERMARK },
      providers: {
        byteplus: ok('seedance-1-0-pro-250528', SOURCE.byteplus, BYTEPLUS_VIDEO_REGIONS),
        replicate: ok('bytedance/seedance-1-pro', SOURCE.replicateCode),
        // fal splits modes; image-to-video requests go to the sibling `.../pro/image-to-video`.
        fal: ok('fal-ai/bytedance/seedance/v1/pro/text-to-video', SOURCE.falHead),
      },
    },
    ['byteplus', 'replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'bytedance/seedance-1-pro-fast',
      model_type: 'video',
      lab: 'bytedance',
      display_name: 'Seedance 1.0 Pro Fast',
      pricing: { kind: 'per_second_tiered', per_second: { '480p': 0.015, '720p': 0.025, '1080p': 0.06 } },
      schema: {
        generation_ratio: SEEDANCE_RATIOS,
        generation_output_format: MP4,
        generation_output_number: 1,
        generation_input_file: true,
        max_input_files: 1,
        generation_duration: seconds(2, 12),
        generation_resolution: ['1080p', '720p', '480p'],
      },
      specific_schema: { seed: SEED, camera_fixed: CAMERA_FIXED, watermark: WATERMARK },
      providers: {
        byteplus: ok('seedance-1-0-pro-fast-251015', SOURCE.byteplus, BYTEPLUS_VIDEO_REGIONS),
        replicate: ok('bytedance/seedance-1-pro-fast', SOURCE.replicateCode),
        fal: ok('fal-ai/bytedance/seedance/v1/pro/fast/text-to-video', SOURCE.falHead),
      },
    },
    ['byteplus', 'replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'bytedance/seedance-1.5-pro',
      model_type: 'video',
      lab: 'bytedance',
      display_name: 'Seedance 1.5 Pro',
      pricing: {
        kind: 'per_second_tiered',
        per_second: audioTiers({ '720p': { audio: 0.1, noaudio: 0.05 }, '1080p': { audio: 0.2, noaudio: 0.1 } }),
      },
      schema: {
        generation_ratio: SEEDANCE_RATIOS,
        generation_output_format: MP4,
        generation_output_number: 1,
        generation_input_file: true,
        max_input_files: 1,
        generation_duration: seconds(4, 12),
        generation_resolution: ['720p', '1080p'],
        generation_generate_audio: true,
        generation_input_file_last_content: true,
      },
      specific_schema: { seed: SEED, camera_fixed: CAMERA_FIXED, watermark: WATERMARK },
      providers: {
        byteplus: ok('seedance-1-5-pro-251215', SOURCE.byteplus, BYTEPLUS_VIDEO_REGIONS),
        replicate: ok('bytedance/seedance-1.5-pro', SOURCE.replicateGen),
        fal: ok('fal-ai/bytedance/seedance/v1.5/pro/text-to-video', SOURCE.falHead),
      },
    },
    ['byteplus', 'replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'bytedance/seedance-2.0',
      model_type: 'video',
      lab: 'bytedance',
      display_name: 'Seedance 2.0',
      // Audio is generated at no extra cost, so both audio tiers carry the same rate.
      pricing: {
        kind: 'per_second_tiered',
        per_second: audioTiers({
          '480p': { audio: 0.135, noaudio: 0.135 },
          '720p': { audio: 0.304, noaudio: 0.304 },
          '1080p': { audio: 0.684, noaudio: 0.684 },
        }),
      },
      schema: {
        generation_ratio: SEEDANCE_RATIOS,
        generation_output_format: MP4,
        generation_output_number: 1,
        generation_input_file: true,
        max_input_files: 9,
        generation_duration: seconds(4, 15),
        generation_resolution: ['720p', '480p', '1080p'],
        generation_generate_audio: true,
        generation_input_file_last_content: true,
      },
      specific_schema: { seed: SEED, watermark: WATERMARK },
      providers: {
        byteplus: ok('dreamina-seedance-2-0-260128', SOURCE.byteplus, BYTEPLUS_VIDEO_REGIONS),
        replicate: ok('bytedance/seedance-2.0', SOURCE.replicateGen),
        fal: ok('bytedance/seedance-2.0/text-to-video', SOURCE.falHead),
        runway: ok('seedance2', SOURCE.runwayVideo),
      },
    },
    ['byteplus', 'replicate', 'fal', 'runway'],
  ),
  entry(
    {
      model_identifier: 'bytedance/seedance-2.0-fast',
      model_type: 'video',
      lab: 'bytedance',
      display_name: 'Seedance 2.0 Fast',
      pricing: {
        kind: 'per_second_tiered',
        per_second: audioTiers({
          '480p': { audio: 0.108, noaudio: 0.108 },
          '720p': { audio: 0.242, noaudio: 0.242 },
        }),
      },
      schema: {
        generation_ratio: SEEDANCE_RATIOS,
        generation_output_format: MP4,
        generation_output_number: 1,
        generation_input_file: true,
        max_input_files: 9,
        generation_duration: seconds(4, 15),
        generation_resolution: ['720p', '480p'],
        generation_generate_audio: true,
        generation_input_file_last_content: true,
      },
      specific_schema: { seed: SEED, watermark: WATERMARK },
      providers: {
        byteplus: ok('dreamina-seedance-2-0-fast-260128', SOURCE.byteplus, BYTEPLUS_VIDEO_REGIONS),
        replicate: ok('bytedance/seedance-2.0-fast', SOURCE.replicateCode),
        fal: ok('bytedance/seedance-2.0/fast/text-to-video', SOURCE.falHead),
        runway: ok('seedance2_fast', SOURCE.runwayVideo),
      },
    },
    ['byteplus', 'replicate', 'fal', 'runway'],
  ),
  entry(
    {
      model_identifier: 'bytedance/seedance-2.0-mini',
      model_type: 'video',
      lab: 'bytedance',
      display_name: 'Seedance 2.0 Mini',
      pricing: {
        kind: 'per_second_tiered',
        per_second: audioTiers({
          '480p': { audio: 0.06, noaudio: 0.06 },
          '720p': { audio: 0.12, noaudio: 0.12 },
        }),
      },
      schema: {
        generation_ratio: SEEDANCE_RATIOS,
        generation_output_format: MP4,
        generation_output_number: 1,
        generation_input_file: true,
        max_input_files: 9,
        generation_duration: seconds(4, 15),
        generation_resolution: ['720p', '480p'],
        generation_generate_audio: true,
        generation_input_file_last_content: true,
      },
      specific_schema: { seed: SEED, watermark: WATERMARK },
      providers: {
        byteplus: ok('dreamina-seedance-2-0-mini-260615', SOURCE.byteplus, BYTEPLUS_VIDEO_REGIONS),
        fal: ok('bytedance/seedance-2.0/mini/text-to-video', SOURCE.falHead),
        runway: ok('seedance2_mini', SOURCE.runwayVideo),
      },
    },
    ['byteplus', 'fal', 'runway'],
  ),
];

const WAN_MODELS: readonly CatalogModel[] = [
  entry(
    {
      model_identifier: 'wan/2.2-t2v',
      model_type: 'video',
      lab: 'wan',
      display_name: 'Wan 2.2 A14B Text-to-Video',
      pricing: { kind: 'per_second_tiered', per_second: { '480p': 0.04, '720p': 0.08 } },
      schema: {
        generation_ratio: LANDSCAPE_PORTRAIT_SQUARE,
        generation_output_format: MP4,
        generation_output_number: 1,
        generation_input_file: false,
        generation_duration: [5],
        generation_resolution: ['720p', '480p'],
      },
      specific_schema: { seed: SEED, negative_prompt: NEGATIVE_PROMPT },
      providers: {
        replicate: ok('wan-video/wan-2.2-t2v-fast', SOURCE.replicateGen),
        fal: ok('fal-ai/wan/v2.2-a14b/text-to-video', SOURCE.falHead),
      },
    },
    ['replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'wan/2.2-i2v',
      model_type: 'video',
      lab: 'wan',
      display_name: 'Wan 2.2 A14B Image-to-Video',
      pricing: { kind: 'per_second_tiered', per_second: { '480p': 0.04, '720p': 0.08 } },
      schema: {
        generation_ratio: LANDSCAPE_PORTRAIT_SQUARE,
        generation_output_format: MP4,
        generation_output_number: 1,
        generation_input_file: true,
        max_input_files: 1,
        generation_duration: [5],
        generation_resolution: ['720p', '480p'],
        generation_input_file_last_content: true,
      },
      specific_schema: { seed: SEED, negative_prompt: NEGATIVE_PROMPT },
      providers: {
        replicate: ok('wan-video/wan-2.2-i2v-fast', SOURCE.replicateGen),
        fal: ok('fal-ai/wan/v2.2-a14b/image-to-video', SOURCE.falFeb),
      },
    },
    ['replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'wan/2.5-t2v',
      model_type: 'video',
      lab: 'wan',
      display_name: 'Wan 2.5 Text-to-Video (preview)',
      pricing: { kind: 'per_second_tiered', per_second: { '480p': 0.05, '720p': 0.1, '1080p': 0.15 } },
      schema: {
        generation_ratio: LANDSCAPE_PORTRAIT_SQUARE,
        generation_output_format: MP4,
        generation_output_number: 1,
        generation_input_file: false,
        generation_duration: [5, 10],
        generation_resolution: ['720p', '480p', '1080p'],
      },
      specific_schema: { seed: SEED, negative_prompt: NEGATIVE_PROMPT, prompt_extend: PROMPT_EXTEND },
      providers: {
        alibabacloud: ok('wan2.5-t2v-preview', SOURCE.alibabacloud),
        replicate: ok('wan-video/wan-2.5-t2v', SOURCE.replicateCode),
        fal: ok('fal-ai/wan-25-preview/text-to-video', SOURCE.falHead),
      },
    },
    ['alibabacloud', 'replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'wan/2.5-i2v',
      model_type: 'video',
      lab: 'wan',
      display_name: 'Wan 2.5 Image-to-Video (preview)',
      pricing: { kind: 'per_second_tiered', per_second: { '480p': 0.05, '720p': 0.1, '1080p': 0.15 } },
      schema: {
        generation_ratio: LANDSCAPE_PORTRAIT_SQUARE,
        generation_output_format: MP4,
        generation_output_number: 1,
        generation_input_file: true,
        max_input_files: 1,
        generation_duration: [5, 10],
        generation_resolution: ['720p', '480p', '1080p'],
      },
      specific_schema: { seed: SEED, negative_prompt: NEGATIVE_PROMPT, prompt_extend: PROMPT_EXTEND },
      providers: {
        alibabacloud: ok('wan2.5-i2v-preview', SOURCE.alibabacloud),
        replicate: ok('wan-video/wan-2.5-i2v', SOURCE.replicateCode),
        fal: ok('fal-ai/wan-25-preview/image-to-video', SOURCE.falHead),
      },
    },
    ['alibabacloud', 'replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'wan/2.6-t2v',
      model_type: 'video',
      lab: 'wan',
      display_name: 'Wan 2.6 Text-to-Video',
      pricing: { kind: 'per_second_tiered', per_second: { '720p': 0.1, '1080p': 0.15 } },
      schema: {
        generation_ratio: FIVE_RATIOS,
        generation_output_format: MP4,
        generation_output_number: 1,
        generation_input_file: false,
        generation_duration: [5, 10, 15],
        generation_resolution: ['720p', '1080p'],
      },
      specific_schema: { seed: SEED, negative_prompt: NEGATIVE_PROMPT, prompt_extend: PROMPT_EXTEND },
      providers: {
        alibabacloud: ok('wan2.6-t2v', SOURCE.alibabacloud),
        replicate: ok('wan-video/wan-2.6-t2v', SOURCE.replicateGen),
        fal: ok('wan/v2.6/text-to-video', SOURCE.falFeb),
      },
    },
    ['alibabacloud', 'replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'wan/2.6-i2v',
      model_type: 'video',
      lab: 'wan',
      display_name: 'Wan 2.6 Image-to-Video',
      pricing: { kind: 'per_second_tiered', per_second: { '720p': 0.1, '1080p': 0.15 } },
      schema: {
        generation_ratio: FIVE_RATIOS,
        generation_output_format: MP4,
        generation_output_number: 1,
        generation_input_file: true,
        max_input_files: 1,
        generation_duration: [5, 10, 15],
        generation_resolution: ['720p', '1080p'],
      },
      specific_schema: { seed: SEED, negative_prompt: NEGATIVE_PROMPT, prompt_extend: PROMPT_EXTEND },
      providers: {
        alibabacloud: ok('wan2.6-i2v', SOURCE.alibabacloud),
        replicate: ok('wan-video/wan-2.6-i2v', SOURCE.replicateCode),
        fal: ok('wan/v2.6/image-to-video', SOURCE.falHead),
      },
    },
    ['alibabacloud', 'replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'wan/2.6-i2v-flash',
      model_type: 'video',
      lab: 'wan',
      display_name: 'Wan 2.6 Image-to-Video Flash',
      pricing: {
        kind: 'per_second_tiered',
        per_second: audioTiers({ '720p': { audio: 0.05, noaudio: 0.025 }, '1080p': { audio: 0.075, noaudio: 0.0375 } }),
      },
      schema: {
        generation_ratio: FIVE_RATIOS,
        generation_output_format: MP4,
        generation_output_number: 1,
        generation_input_file: true,
        max_input_files: 1,
        generation_duration: [5, 10, 15],
        generation_resolution: ['720p', '1080p'],
        generation_generate_audio: true,
      },
      specific_schema: { seed: SEED, negative_prompt: NEGATIVE_PROMPT, prompt_extend: PROMPT_EXTEND },
      providers: {
        alibabacloud: ok('wan2.6-i2v-flash', SOURCE.alibabacloud),
        fal: ok('wan/v2.6/image-to-video/flash', SOURCE.falHead),
      },
    },
    ['alibabacloud', 'fal'],
  ),
  entry(
    {
      model_identifier: 'wan/2.7-t2v',
      model_type: 'video',
      lab: 'wan',
      display_name: 'Wan 2.7 Text-to-Video',
      pricing: { kind: 'per_second_tiered', per_second: { '720p': 0.1, '1080p': 0.15 } },
      schema: {
        generation_ratio: FIVE_RATIOS,
        generation_output_format: MP4,
        generation_output_number: 1,
        generation_input_file: false,
        generation_duration: seconds(2, 15),
        generation_resolution: ['720p', '1080p'],
      },
      specific_schema: { seed: SEED, negative_prompt: NEGATIVE_PROMPT, prompt_extend: PROMPT_EXTEND },
      providers: {
        alibabacloud: ok('wan2.7-t2v', SOURCE.alibabacloud),
        fal: ok('fal-ai/wan/v2.7/text-to-video', SOURCE.falHead),
      },
    },
    ['alibabacloud', 'fal'],
  ),
  entry(
    {
      model_identifier: 'wan/2.7-i2v',
      model_type: 'video',
      lab: 'wan',
      display_name: 'Wan 2.7 Image-to-Video',
      pricing: { kind: 'per_second_tiered', per_second: { '720p': 0.1, '1080p': 0.15 } },
      schema: {
        generation_ratio: FIVE_RATIOS,
        generation_output_format: MP4,
        generation_output_number: 1,
        generation_input_file: true,
        max_input_files: 1,
        generation_duration: seconds(2, 15),
        generation_resolution: ['720p', '1080p'],
      },
      specific_schema: { seed: SEED, negative_prompt: NEGATIVE_PROMPT, prompt_extend: PROMPT_EXTEND },
      providers: {
        alibabacloud: ok('wan2.7-i2v', SOURCE.alibabacloud),
        fal: ok('fal-ai/wan/v2.7/image-to-video', SOURCE.falHead),
      },
    },
    ['alibabacloud', 'fal'],
  ),
];

function happyhorse(
  version: '1.0' | '1.1',
  mode: 't2v' | 'i2v',
  per_second_1080p: number,
  fal_id: string,
  runway: boolean,
): CatalogModel {
  const default_order: ProviderId[] = runway ? ['alibabacloud', 'fal', 'runway'] : ['alibabacloud', 'fal'];
  return entry(
    {
      model_identifier: `happyhorse/${version}-${mode}`,
      model_type: 'video',
      lab: 'happyhorse',
      display_name: `HappyHorse ${version} ${mode === 't2v' ? 'Text-to-Video' : 'Image-to-Video'}`,
      pricing: { kind: 'per_second_tiered', per_second: { '720p': 0.154, '1080p': per_second_1080p } },
      schema: {
        generation_ratio: FIVE_RATIOS,
        generation_output_format: MP4,
        generation_output_number: 1,
        generation_input_file: mode === 'i2v',
        ...(mode === 'i2v' ? { max_input_files: 1 } : {}),
        generation_duration: seconds(3, 15),
        generation_resolution: ['720p', '1080p'],
      },
      specific_schema: { seed: SEED, watermark: WATERMARK },
      providers: {
        alibabacloud: ok(`happyhorse-${version}-${mode}`, SOURCE.alibabacloud),
        fal: ok(fal_id, SOURCE.falHead),
        // Runway's one HappyHorse id serves both its text_to_video and image_to_video endpoints.
        ...(runway ? { runway: ok('happyhorse_1_0', SOURCE.runwayVideo) } : {}),
      },
    },
    default_order,
  );
}

const HAPPYHORSE_MODELS: readonly CatalogModel[] = [
  happyhorse('1.0', 't2v', 0.264, 'alibaba/happy-horse/text-to-video', true),
  happyhorse('1.0', 'i2v', 0.264, 'alibaba/happy-horse/image-to-video', true),
  happyhorse('1.1', 't2v', 0.198, 'alibaba/happy-horse/v1.1/text-to-video', false),
  happyhorse('1.1', 'i2v', 0.198, 'alibaba/happy-horse/v1.1/image-to-video', false),
];

const KLING_CFG = { type: 'number', min: 0, max: 1, default: 0.5, description: 'Prompt adherence.' } as const;

const KLING_MODELS: readonly CatalogModel[] = [
  entry(
    {
      model_identifier: 'kling/v1.6-standard',
      model_type: 'video',
      lab: 'kling',
      display_name: 'Kling 1.6 Standard',
      pricing: { kind: 'per_second', per_second: 0.056 },
      schema: {
        generation_ratio: LANDSCAPE_PORTRAIT_SQUARE,
        generation_output_format: MP4,
        generation_output_number: 1,
        generation_input_file: true,
        max_input_files: 1,
        generation_duration: [5, 10],
      },
      specific_schema: { negative_prompt: NEGATIVE_PROMPT, cfg_scale: KLING_CFG },
      providers: {
        replicate: ok('kwaivgi/kling-v1.6-standard', SOURCE.replicateCode),
        fal: ok('fal-ai/kling-video/v1.6/standard/text-to-video', SOURCE.falHead),
      },
    },
    ['replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'kling/v1.6-pro',
      model_type: 'video',
      lab: 'kling',
      display_name: 'Kling 1.6 Pro',
      pricing: { kind: 'per_second', per_second: 0.095 },
      schema: {
        generation_ratio: LANDSCAPE_PORTRAIT_SQUARE,
        generation_output_format: MP4,
        generation_output_number: 1,
        generation_input_file: true,
        max_input_files: 1,
        generation_duration: [5, 10],
        generation_input_file_last_content: true,
      },
      specific_schema: { negative_prompt: NEGATIVE_PROMPT, cfg_scale: KLING_CFG },
      providers: {
        replicate: ok('kwaivgi/kling-v1.6-pro', SOURCE.replicateCode),
        fal: ok('fal-ai/kling-video/v1.6/pro/text-to-video', SOURCE.falHead),
      },
    },
    ['replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'kling/v2.1',
      model_type: 'video',
      lab: 'kling',
      display_name: 'Kling 2.1 (image-to-video)',
      // 720p is Kling's standard mode, 1080p its pro mode.
      pricing: { kind: 'per_second_tiered', per_second: { '720p': 0.05, '1080p': 0.09 } },
      schema: {
        generation_ratio: LANDSCAPE_PORTRAIT_SQUARE,
        generation_output_format: MP4,
        generation_output_number: 1,
        generation_input_file: true,
        max_input_files: 1,
        generation_duration: [5, 10],
        generation_resolution: ['720p', '1080p'],
        generation_input_file_last_content: true,
      },
      specific_schema: { negative_prompt: NEGATIVE_PROMPT, cfg_scale: KLING_CFG },
      providers: {
        replicate: ok('kwaivgi/kling-v2.1', SOURCE.replicateGen),
        // fal's standard (720p) endpoint; 1080p is the sibling `.../v2.1/pro/image-to-video`.
        fal: ok('fal-ai/kling-video/v2.1/standard/image-to-video', SOURCE.falHead),
      },
    },
    ['replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'kling/v2.1-master',
      model_type: 'video',
      lab: 'kling',
      display_name: 'Kling 2.1 Master',
      pricing: { kind: 'per_second', per_second: 0.28 },
      schema: {
        generation_ratio: LANDSCAPE_PORTRAIT_SQUARE,
        generation_output_format: MP4,
        generation_output_number: 1,
        generation_input_file: true,
        max_input_files: 1,
        generation_duration: [5, 10],
      },
      specific_schema: { negative_prompt: NEGATIVE_PROMPT, cfg_scale: KLING_CFG },
      providers: {
        replicate: ok('kwaivgi/kling-v2.1-master', 'aviv90/tasker-server services/replicate/models.ts (code search)'),
        fal: ok('fal-ai/kling-video/v2.1/master/text-to-video', SOURCE.falHead),
      },
    },
    ['replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'kling/v2.5-turbo-pro',
      model_type: 'video',
      lab: 'kling',
      display_name: 'Kling 2.5 Turbo Pro',
      pricing: { kind: 'per_second', per_second: 0.07 },
      schema: {
        generation_ratio: LANDSCAPE_PORTRAIT_SQUARE,
        generation_output_format: MP4,
        generation_output_number: 1,
        generation_input_file: true,
        max_input_files: 1,
        generation_duration: [5, 10],
        generation_input_file_last_content: true,
      },
      specific_schema: { negative_prompt: NEGATIVE_PROMPT, cfg_scale: KLING_CFG },
      providers: {
        replicate: ok('kwaivgi/kling-v2.5-turbo-pro', SOURCE.replicateCode),
        fal: ok('fal-ai/kling-video/v2.5-turbo/pro/text-to-video', SOURCE.falHead),
      },
    },
    ['replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'kling/v2.6-pro',
      model_type: 'video',
      lab: 'kling',
      display_name: 'Kling 2.6 Pro',
      pricing: { kind: 'per_second_tiered', per_second: audioTiers({ '1080p': { audio: 0.14, noaudio: 0.07 } }) },
      schema: {
        generation_ratio: LANDSCAPE_PORTRAIT_SQUARE,
        generation_output_format: MP4,
        generation_output_number: 1,
        generation_input_file: true,
        max_input_files: 1,
        generation_duration: [5, 10],
        generation_resolution: ['1080p'],
        generation_generate_audio: true,
      },
      specific_schema: { negative_prompt: NEGATIVE_PROMPT, cfg_scale: KLING_CFG },
      providers: {
        replicate: ok('kwaivgi/kling-v2.6', SOURCE.replicateGen),
        fal: ok('fal-ai/kling-video/v2.6/pro/text-to-video', SOURCE.falHead),
      },
    },
    ['replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'kling/v3-pro',
      model_type: 'video',
      lab: 'kling',
      display_name: 'Kling 3.0 Pro',
      pricing: { kind: 'per_second_tiered', per_second: audioTiers({ '1080p': { audio: 0.168, noaudio: 0.112 } }) },
      schema: {
        generation_ratio: LANDSCAPE_PORTRAIT_SQUARE,
        generation_output_format: MP4,
        generation_output_number: 1,
        generation_input_file: true,
        max_input_files: 1,
        generation_duration: seconds(3, 15),
        generation_resolution: ['1080p'],
        generation_generate_audio: true,
        generation_input_file_last_content: true,
      },
      specific_schema: { negative_prompt: NEGATIVE_PROMPT, cfg_scale: KLING_CFG },
      providers: {
        // Replicate's one Kling 3.0 model takes the pro/standard choice as an input field.
        replicate: ok('kwaivgi/kling-v3-video', SOURCE.replicateCode),
        fal: ok('fal-ai/kling-video/v3/pro/text-to-video', SOURCE.falHead),
      },
    },
    ['replicate', 'fal'],
  ),
];

const PROMPT_OPTIMIZER = { type: 'boolean', default: true, description: 'Let the model rewrite the prompt.' } as const;

const MINIMAX_MODELS: readonly CatalogModel[] = [
  entry(
    {
      model_identifier: 'minimax/video-01',
      model_type: 'video',
      lab: 'minimax',
      display_name: 'MiniMax Video-01 (Hailuo)',
      // $0.50 per 6-second clip.
      pricing: { kind: 'per_second', per_second: 0.083334 },
      schema: {
        generation_ratio: ['16:9'],
        generation_output_format: MP4,
        generation_output_number: 1,
        generation_input_file: true,
        max_input_files: 1,
        generation_duration: [6],
      },
      specific_schema: { prompt_optimizer: PROMPT_OPTIMIZER },
      providers: {
        replicate: ok('minimax/video-01', SOURCE.replicateGen),
        fal: ok('fal-ai/minimax/video-01', SOURCE.falHead),
      },
    },
    ['replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'minimax/hailuo-02',
      model_type: 'video',
      lab: 'minimax',
      display_name: 'MiniMax Hailuo 02',
      pricing: { kind: 'per_second_tiered', per_second: { '768p': 0.045, '1080p': 0.08 } },
      schema: {
        generation_ratio: ['16:9'],
        generation_output_format: MP4,
        generation_output_number: 1,
        generation_input_file: true,
        max_input_files: 1,
        // 1080p clips are 6 s only; the validator has to reject 1080p with 10 s.
        generation_duration: [6, 10],
        generation_resolution: ['768p', '1080p'],
        generation_input_file_last_content: true,
      },
      specific_schema: { prompt_optimizer: PROMPT_OPTIMIZER },
      providers: {
        replicate: ok('minimax/hailuo-02', SOURCE.replicateGen),
        fal: ok('fal-ai/minimax/hailuo-02/standard/text-to-video', SOURCE.falHead),
      },
    },
    ['replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'minimax/hailuo-02-fast',
      model_type: 'video',
      lab: 'minimax',
      display_name: 'MiniMax Hailuo 02 Fast (image-to-video)',
      pricing: { kind: 'per_second', per_second: 0.017 },
      schema: {
        generation_ratio: ['16:9'],
        generation_output_format: MP4,
        generation_output_number: 1,
        generation_input_file: true,
        max_input_files: 1,
        generation_duration: [6, 10],
        generation_resolution: ['512p'],
      },
      specific_schema: { prompt_optimizer: PROMPT_OPTIMIZER },
      providers: {
        replicate: ok('minimax/hailuo-02-fast', SOURCE.replicateCode),
        fal: ok('fal-ai/minimax/hailuo-02-fast/image-to-video', SOURCE.falHead),
      },
    },
    ['replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'minimax/hailuo-2.3',
      model_type: 'video',
      lab: 'minimax',
      display_name: 'MiniMax Hailuo 2.3',
      pricing: { kind: 'per_second_tiered', per_second: { '768p': 0.047, '1080p': 0.082 } },
      schema: {
        generation_ratio: ['16:9'],
        generation_output_format: MP4,
        generation_output_number: 1,
        generation_input_file: true,
        max_input_files: 1,
        generation_duration: [6, 10],
        generation_resolution: ['768p', '1080p'],
      },
      specific_schema: { prompt_optimizer: PROMPT_OPTIMIZER },
      providers: {
        replicate: ok('minimax/hailuo-2.3', SOURCE.replicateCode),
        fal: ok('fal-ai/minimax/hailuo-2.3/standard/text-to-video', SOURCE.falHead),
      },
    },
    ['replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'minimax/hailuo-2.3-fast',
      model_type: 'video',
      lab: 'minimax',
      display_name: 'MiniMax Hailuo 2.3 Fast (image-to-video)',
      pricing: { kind: 'per_second_tiered', per_second: { '768p': 0.032, '1080p': 0.055 } },
      schema: {
        generation_ratio: ['16:9'],
        generation_output_format: MP4,
        generation_output_number: 1,
        generation_input_file: true,
        max_input_files: 1,
        generation_duration: [6, 10],
        generation_resolution: ['768p', '1080p'],
      },
      specific_schema: { prompt_optimizer: PROMPT_OPTIMIZER },
      providers: {
        replicate: ok('minimax/hailuo-2.3-fast', SOURCE.replicateCode),
        fal: ok('fal-ai/minimax/hailuo-2.3-fast/standard/image-to-video', SOURCE.falHead),
      },
    },
    ['replicate', 'fal'],
  ),
];

const LUMA_RATIOS = ['16:9', '9:16', '1:1', '4:3', '3:4', '21:9', '9:21'] as const;
const LOOP = { type: 'boolean', default: false, description: 'Make the last frame match the first.' } as const;
const PIXVERSE_STYLE = {
  type: 'string',
  enum: ['anime', '3d_animation', 'clay', 'comic', 'cyberpunk'],
  description: 'Optional visual style.',
} as const;

const OTHER_VIDEO_MODELS: readonly CatalogModel[] = [
  entry(
    {
      model_identifier: 'luma/ray-2',
      model_type: 'video',
      lab: 'luma',
      display_name: 'Luma Ray 2 (720p)',
      pricing: { kind: 'per_second', per_second: 0.18 },
      schema: {
        generation_ratio: LUMA_RATIOS,
        generation_output_format: MP4,
        generation_output_number: 1,
        generation_input_file: true,
        max_input_files: 1,
        generation_duration: [5, 9],
        generation_resolution: ['720p'],
        generation_input_file_last_content: true,
      },
      specific_schema: { loop: LOOP },
      providers: {
        replicate: ok('luma/ray-2-720p', SOURCE.replicateCode),
        fal: ok('fal-ai/luma-dream-machine/ray-2', SOURCE.falHead),
      },
    },
    ['replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'luma/ray-flash-2',
      model_type: 'video',
      lab: 'luma',
      display_name: 'Luma Ray Flash 2 (720p)',
      pricing: { kind: 'per_second', per_second: 0.06 },
      schema: {
        generation_ratio: LUMA_RATIOS,
        generation_output_format: MP4,
        generation_output_number: 1,
        generation_input_file: true,
        max_input_files: 1,
        generation_duration: [5, 9],
        generation_resolution: ['720p'],
        generation_input_file_last_content: true,
      },
      specific_schema: { loop: LOOP },
      providers: {
        replicate: ok('luma/ray-flash-2-720p', SOURCE.replicateCode),
        fal: ok('fal-ai/luma-dream-machine/ray-2-flash', SOURCE.falHead),
      },
    },
    ['replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'pixverse/v4.5',
      model_type: 'video',
      lab: 'pixverse',
      display_name: 'PixVerse v4.5',
      pricing: {
        kind: 'per_second_tiered',
        per_second: { '360p': 0.03, '540p': 0.03, '720p': 0.04, '1080p': 0.08 },
      },
      schema: {
        generation_ratio: FIVE_RATIOS,
        generation_output_format: MP4,
        generation_output_number: 1,
        generation_input_file: true,
        max_input_files: 1,
        // 1080p clips are 5 s only.
        generation_duration: [5, 8],
        generation_resolution: ['720p', '360p', '540p', '1080p'],
      },
      specific_schema: { seed: SEED, negative_prompt: NEGATIVE_PROMPT, style: PIXVERSE_STYLE },
      providers: {
        replicate: ok('pixverse/pixverse-v4.5', SOURCE.replicateCode),
        fal: ok('fal-ai/pixverse/v4.5/text-to-video', SOURCE.falHead),
      },
    },
    ['replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'pixverse/v5',
      model_type: 'video',
      lab: 'pixverse',
      display_name: 'PixVerse v5',
      pricing: {
        kind: 'per_second_tiered',
        per_second: { '360p': 0.03, '540p': 0.03, '720p': 0.04, '1080p': 0.08 },
      },
      schema: {
        generation_ratio: FIVE_RATIOS,
        generation_output_format: MP4,
        generation_output_number: 1,
        generation_input_file: true,
        max_input_files: 1,
        generation_duration: [5, 8],
        generation_resolution: ['720p', '360p', '540p', '1080p'],
      },
      specific_schema: { seed: SEED, negative_prompt: NEGATIVE_PROMPT, style: PIXVERSE_STYLE },
      providers: {
        replicate: ok('pixverse/pixverse-v5', SOURCE.replicateGen),
        fal: ok('fal-ai/pixverse/v5/text-to-video', SOURCE.falHead),
      },
    },
    ['replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'runway/gen4-turbo',
      model_type: 'video',
      lab: 'runway',
      display_name: 'Runway Gen-4 Turbo (image-to-video)',
      pricing: { kind: 'per_second', per_second: 0.05 },
      schema: {
        generation_ratio: ['16:9', '9:16', '4:3', '3:4', '1:1', '21:9'],
        generation_output_format: MP4,
        generation_output_number: 1,
        generation_input_file: true,
        max_input_files: 1,
        generation_duration: [5, 10],
      },
      specific_schema: { seed: { type: 'integer', min: 0, max: 4294967295, description: 'Random seed.' } },
      providers: {
        runway: ok('gen4_turbo', SOURCE.runwayVideo),
        replicate: ok('runwayml/gen4-turbo', SOURCE.replicateGen),
      },
    },
    ['runway', 'replicate'],
  ),
  entry(
    {
      model_identifier: 'runway/gen4.5',
      model_type: 'video',
      lab: 'runway',
      display_name: 'Runway Gen-4.5',
      pricing: { kind: 'per_second', per_second: 0.12 },
      schema: {
        generation_ratio: ['16:9', '9:16', '4:3', '3:4', '1:1', '21:9'],
        generation_output_format: MP4,
        generation_output_number: 1,
        generation_input_file: true,
        max_input_files: 1,
        generation_duration: seconds(2, 10),
      },
      specific_schema: { seed: { type: 'integer', min: 0, max: 4294967295, description: 'Random seed.' } },
      providers: {
        runway: ok('gen4.5', SOURCE.runwayVideo),
        replicate: ok('runwayml/gen-4.5', SOURCE.replicateGen),
      },
    },
    ['runway', 'replicate'],
  ),
  entry(
    {
      model_identifier: 'lightricks/ltx-video',
      model_type: 'video',
      lab: 'lightricks',
      display_name: 'LTX-Video',
      pricing: { kind: 'per_second', per_second: 0.004 },
      schema: {
        generation_ratio: LANDSCAPE_PORTRAIT,
        generation_output_format: MP4,
        generation_output_number: 1,
        generation_input_file: true,
        max_input_files: 1,
        generation_duration: [5],
      },
      specific_schema: { seed: SEED, negative_prompt: NEGATIVE_PROMPT },
      providers: {
        replicate: ok('lightricks/ltx-video', SOURCE.replicateGen),
        fal: ok('fal-ai/ltx-video', SOURCE.falHead),
      },
    },
    ['replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'lightricks/ltx-2-pro',
      model_type: 'video',
      lab: 'lightricks',
      display_name: 'LTX-2 Pro',
      // Audio is included at no extra cost.
      pricing: {
        kind: 'per_second_tiered',
        per_second: audioTiers({
          '1080p': { audio: 0.06, noaudio: 0.06 },
          '1440p': { audio: 0.12, noaudio: 0.12 },
          '2160p': { audio: 0.24, noaudio: 0.24 },
        }),
      },
      schema: {
        generation_ratio: ['16:9'],
        generation_output_format: MP4,
        generation_output_number: 1,
        generation_input_file: true,
        max_input_files: 1,
        generation_duration: [6, 8, 10],
        generation_resolution: ['1080p', '1440p', '2160p'],
        generation_generate_audio: true,
      },
      specific_schema: { seed: SEED },
      providers: {
        replicate: ok('lightricks/ltx-2-pro', SOURCE.replicateGen),
        fal: ok('fal-ai/ltx-2/text-to-video', SOURCE.falFeb),
      },
    },
    ['replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'lightricks/ltx-2-fast',
      model_type: 'video',
      lab: 'lightricks',
      display_name: 'LTX-2 Fast',
      pricing: {
        kind: 'per_second_tiered',
        per_second: audioTiers({
          '1080p': { audio: 0.04, noaudio: 0.04 },
          '1440p': { audio: 0.08, noaudio: 0.08 },
          '2160p': { audio: 0.16, noaudio: 0.16 },
        }),
      },
      schema: {
        generation_ratio: ['16:9'],
        generation_output_format: MP4,
        generation_output_number: 1,
        generation_input_file: true,
        max_input_files: 1,
        generation_duration: [6, 8, 10],
        generation_resolution: ['1080p', '1440p', '2160p'],
        generation_generate_audio: true,
      },
      specific_schema: { seed: SEED },
      providers: {
        replicate: ok('lightricks/ltx-2-fast', SOURCE.replicateGen),
        fal: ok('fal-ai/ltx-2/text-to-video/fast', SOURCE.falFeb),
      },
    },
    ['replicate', 'fal'],
  ),
  entry(
    {
      model_identifier: 'tencent/hunyuan-video',
      model_type: 'video',
      lab: 'tencent',
      display_name: 'HunyuanVideo',
      pricing: { kind: 'per_second', per_second: 0.08 },
      schema: {
        generation_ratio: LANDSCAPE_PORTRAIT,
        generation_output_format: MP4,
        generation_output_number: 1,
        generation_input_file: false,
        generation_duration: [5],
      },
      specific_schema: { seed: SEED },
      providers: {
        replicate: ok('tencent/hunyuan-video', SOURCE.replicateGen),
        fal: ok('fal-ai/hunyuan-video', SOURCE.falHead),
      },
    },
    ['replicate', 'fal'],
  ),
];

export const VIDEO_MODELS: readonly CatalogModel[] = [
  ...GOOGLE_MODELS,
  ...BYTEDANCE_MODELS,
  ...WAN_MODELS,
  ...HAPPYHORSE_MODELS,
  ...KLING_MODELS,
  ...MINIMAX_MODELS,
  ...OTHER_VIDEO_MODELS,
];
