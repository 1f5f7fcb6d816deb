// The contract between the attempt runner and a provider adapter. Adapters are called from
// worker tasks only, never on the request path. They do not touch the database: the runner
// records every outcome through SQL functions.
import type { ModelType, ProviderId } from '../catalog/types.ts';

/** The request as Seaplane normalized it, before the adapter maps it to the native payload. */
export interface NormalizedRequest {
  generation_id: string;
  attempt_id: string;
  model_identifier: string;
  model_type: ModelType;
  /** The provider's own model id from the catalog. */
  raw_model_id: string;
  prompt: string;
  ratio?: string;
  /** `png` | `jpg` | `webp` for images, `mp4` for video. */
  output_format?: string;
  output_number: number;
  duration_seconds?: number;
  resolution?: string;
  generate_audio?: boolean;
  input_files: string[];
  /** End frame for image-to-video. */
  last_frame?: string;
  /** Model-specific parameters, already validated against the catalog's specific_schema. */
  specific: Record<string, unknown>;
  /** Where the provider should call back when it supports webhooks (absent: poll only). */
  webhook_url?: string;
}

/**
 * How a provider failure is classified. The runner decides from the class:
 * - retry the same provider (within bounds): rate_limited, provider_unavailable, timeout, malformed_response
 * - fail over to the next provider and mark this one unhealthy: out_of_credit, auth
 * - fail the whole generation at once (the request itself is bad): bad_request, moderation
 * - fail over without retry: not_found, unknown
 */
export type ErrorClass =
  | 'rate_limited'
  | 'provider_unavailable'
  | 'timeout'
  | 'malformed_response'
  | 'out_of_credit'
  | 'auth'
  | 'bad_request'
  | 'moderation'
  | 'not_found'
  | 'unknown';

export const RETRYABLE_CLASSES: ReadonlySet<ErrorClass> = new Set([
  'rate_limited',
  'provider_unavailable',
  'timeout',
  'malformed_response',
]);

export class ProviderError extends Error {
  readonly errorClass: ErrorClass;
  readonly retryable: boolean;
  /** HTTP status the provider answered, when there was one. */
  readonly httpStatus?: number;
  /** The provider's own error code or type, when it gave one. */
  readonly providerCode?: string;
  /** A retry hint from the provider (Retry-After and the like), in milliseconds. */
  readonly retryAfterMs?: number;

  constructor(
    errorClass: ErrorClass,
    message: string,
    extra: { httpStatus?: number; providerCode?: string; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.name = 'ProviderError';
    this.errorClass = errorClass;
    this.retryable = RETRYABLE_CLASSES.has(errorClass);
    this.httpStatus = extra.httpStatus;
    this.providerCode = extra.providerCode;
    this.retryAfterMs = extra.retryAfterMs;
  }
}

/** An output as the provider gives it: a URL to download, or bytes it returned inline. */
export type ProviderOutput =
  | { kind: 'url'; url: string }
  | { kind: 'inline'; data: Uint8Array; content_type: string };

export type SubmitResult =
  /** The provider answered synchronously with the outputs. */
  | { kind: 'completed'; provider_job_id?: string; outputs: ProviderOutput[] }
  /** The provider accepted the job; poll `status` (or wait for its webhook). */
  | { kind: 'pending'; provider_job_id: string; poll_after_ms?: number };

export type StatusResult =
  | { kind: 'pending'; poll_after_ms?: number }
  | { kind: 'completed'; outputs: ProviderOutput[] }
  | { kind: 'failed'; error: ProviderError }
  | { kind: 'canceled' };

/** A provider's webhook, verified and parsed. */
export interface ProviderWebhookEvent {
  provider_job_id: string;
  result: StatusResult;
}

export interface DownloadedFile {
  data: Uint8Array;
  content_type: string;
}

export interface AdapterContext {
  /** Injected so tests and the simulated fleet can stand in; defaults to globalThis.fetch. */
  fetch: typeof fetch;
  /** The provider API's base URL (overridable to point at a local fake). */
  baseUrl: string;
  /** Credentials from the environment, e.g. { apiKey } or { accountId, apiToken }. */
  credentials: Readonly<Record<string, string>>;
  /** Aborts the call when the attempt's timeout or the generation's deadline passes. */
  signal: AbortSignal;
  /** Injected clock, milliseconds since the epoch. */
  now: () => number;
}

export interface ProviderAdapter {
  readonly id: ProviderId;
  /** The documented production base URL. */
  readonly defaultBaseUrl: string;
  /** Environment variables holding credentials, by credential name. */
  readonly credentialEnv: Readonly<Record<string, string>>;
  readonly deliveryMethod: 'webhook_with_polling' | 'synchronous' | 'polling';
  readonly cancelMethod: 'prediction_cancel_api' | 'queue_cancel_api' | null;
  readonly webhookVerification: 'hmac_sha256' | 'ed25519' | null;

  submit(req: NormalizedRequest, ctx: AdapterContext): Promise<SubmitResult>;
  status(providerJobId: string, req: NormalizedRequest, ctx: AdapterContext): Promise<StatusResult>;
  /** Best-effort cancel; resolves true when the provider accepted it. */
  cancel?(providerJobId: string, req: NormalizedRequest, ctx: AdapterContext): Promise<boolean>;
  download(output: ProviderOutput, ctx: AdapterContext): Promise<DownloadedFile>;
  /**
   * Verifies a webhook the provider sent us and parses it. Throws ProviderError('auth') on a bad
   * signature. `secret` is the webhook signing secret (or public key material) for this provider.
   */
  verifyWebhook?(
    headers: Headers,
    rawBody: string,
    secret: string,
    ctx: Pick<AdapterContext, 'now' | 'fetch'>,
  ): Promise<ProviderWebhookEvent>;
}
