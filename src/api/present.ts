// Maps stored rows to the contract's shapes (§6.1 Generation).
import type { ValidatedRequest } from '../catalog/request-schema.ts';
import type { GenerationsV } from '../db/schema.gen.ts';
import type { ArtifactStore } from '../storage/types.ts';
import type { Selectable } from 'kysely';

export type GenerationRow = Selectable<GenerationsV>;

const TERMINAL = new Set(['succeeded', 'failed', 'canceled']);
const seconds = (ms: number) => Math.round(ms) / 1000;

export function presentGeneration(row: GenerationRow, store: ArtifactStore): Record<string, unknown> {
  const req = row.request as ValidatedRequest;
  const out: Record<string, unknown> = {
    account_id: row.account_id,
    generation_id: row.generation_id,
    model_identifier: row.model_identifier,
    generation_provider_order: row.provider_order,
    generation_provider_used: TERMINAL.has(row.status) ? row.provider_used : null,
    generation_prediction_id: row.prediction_id,
    generation_status: row.status,
    generation_prompt: req.generation_prompt,
    generation_ratio: req.generation_ratio,
    generation_output_format: req.generation_output_format,
    generation_output_number: req.generation_output_number,
    generation_input_file: req.generation_input_file.length > 0 ? req.generation_input_file : null,
    generation_output_file: row.output_keys ? row.output_keys.map((k) => store.publicUrl(k)) : null,
    generation_created_at: row.created_at.toISOString(),
    generation_started_at: row.started_at?.toISOString() ?? null,
    generation_completed_at: row.completed_at?.toISOString() ?? null,
    generation_metrics_total_time: row.completed_at ? seconds(row.completed_at.getTime() - row.created_at.getTime()) : null,
    generation_metrics_predict_time: row.predict_ms === null ? null : seconds(row.predict_ms),
  };
  if (req.generation_duration !== undefined) out.generation_duration = req.generation_duration;
  if (req.generation_resolution !== undefined) out.generation_resolution = req.generation_resolution;
  if (req.generation_generate_audio !== undefined) {
    out.generation_generate_audio = req.generation_generate_audio;
    out.generation_audio_mode = req.generation_generate_audio ? 'audio' : 'noaudio';
  }
  if (req.generation_input_file_last_content !== undefined) out.generation_input_file_last_content = req.generation_input_file_last_content;
  if (row.status === 'failed') {
    out.generation_error = row.error_message;
    out.generation_error_code = row.error_code;
    out.generation_provider_errors = row.provider_errors;
  }
  if (row.status === 'failed' || row.status === 'canceled') out.generation_credits_refunded = row.credits_refunded;
  return out;
}
