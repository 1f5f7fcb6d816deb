// The stored, validated request as an adapter's NormalizedRequest.
import type { ValidatedRequest } from '../catalog/request-schema.ts';
import type { ModelType } from '../catalog/types.ts';
import type { NormalizedRequest } from '../providers/types.ts';

export function normalizeRequest(a: {
  generation_id: string; attempt_id: string; model_identifier: string; model_type: ModelType; raw_model_id: string; request: ValidatedRequest;
}, webhookUrl?: string): NormalizedRequest {
  const r = a.request;
  const out: NormalizedRequest = {
    generation_id: a.generation_id,
    attempt_id: a.attempt_id,
    model_identifier: a.model_identifier,
    model_type: a.model_type,
    raw_model_id: a.raw_model_id,
    prompt: r.generation_prompt,
    ratio: r.generation_ratio,
    output_format: r.generation_output_format,
    output_number: r.generation_output_number,
    input_files: r.generation_input_file,
    specific: r.specific,
  };
  if (r.generation_duration !== undefined) out.duration_seconds = r.generation_duration;
  if (r.generation_resolution !== undefined) out.resolution = r.generation_resolution;
  if (r.generation_generate_audio !== undefined) out.generate_audio = r.generation_generate_audio;
  if (r.generation_input_file_last_content !== undefined) out.last_frame = r.generation_input_file_last_content;
  if (webhookUrl !== undefined) out.webhook_url = webhookUrl;
  return out;
}
