// Shared HTTP plumbing for provider adapters: one place that turns transport failures and
// HTTP statuses into ProviderError classes, reads retry hints, and validates bodies with zod.
import type { z } from 'zod';
import { type AdapterContext, type DownloadedFile, type ErrorClass, ProviderError, type ProviderOutput } from './types.ts';

/** Retry-After is either delta-seconds or an HTTP date; returns milliseconds, or undefined. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/** The conventional mapping of an HTTP status to an error class; adapters refine it from bodies. */
export function classifyStatus(status: number): ErrorClass {
  if (status === 429) return 'rate_limited';
  if (status === 401 || status === 403) return 'auth';
  if (status === 402) return 'out_of_credit';
  if (status === 404) return 'not_found';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 400 || status === 409 || status === 413 || status === 415 || status === 422) return 'bad_request';
  if (status >= 500) return 'provider_unavailable';
  return 'unknown';
}

export interface HttpCall {
  method: 'GET' | 'POST' | 'DELETE' | 'PUT';
  url: string;
  headers?: Record<string, string>;
  /** Serialized as JSON when it is not a string. */
  body?: unknown;
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

/** Sends a request; transport errors and aborts become ProviderError('timeout' | 'provider_unavailable'). */
export async function send(ctx: AdapterContext, call: HttpCall): Promise<HttpAnswer> {
  const headers: Record<string, string> = { accept: 'application/json', ...call.headers };
  let body: string | undefined;
  if (call.body !== undefined) {
    body = typeof call.body === 'string' ? call.body : JSON.stringify(call.body);
    headers['content-type'] ??= 'application/json';
  }
  let response: Response;
  let text: string;
  try {
    response = await ctx.fetch(call.url, { method: call.method, headers, body, signal: ctx.signal });
    text = await response.text();
  } catch (cause) {
    if (ctx.signal.aborted) throw new ProviderError('timeout', `${call.method} ${call.url} timed out`, { cause });
    throw new ProviderError('provider_unavailable', `${call.method} ${call.url} failed: ${String(cause)}`, { cause });
  }
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** Parses a 2xx body with the schema; a body that does not fit is a malformed_response. */
export function parseBody<T>(answer: HttpAnswer, schema: z.ZodType<T>, what: string): T {
  const parsed = schema.safeParse(answer.json);
  if (!parsed.success) {
    throw new ProviderError('malformed_response', `${what}: unexpected response body (${parsed.error.issues[0]?.message ?? 'not JSON'})`, {
      httpStatus: answer.status,
    });
  }
  return parsed.data;
}

/** Throws the ProviderError for a non-2xx answer, with the status class and retry hint. */
export function failFromAnswer(answer: HttpAnswer, ctx: Pick<AdapterContext, 'now'>, refine?: (a: HttpAnswer) => Partial<{ errorClass: ErrorClass; message: string; providerCode: string }>): never {
  const extra = refine?.(answer) ?? {};
  const errorClass = extra.errorClass ?? classifyStatus(answer.status);
  const message = extra.message ?? `provider answered HTTP ${answer.status}: ${answer.text.slice(0, 300)}`;
  throw new ProviderError(errorClass, message, {
    httpStatus: answer.status,
    providerCode: extra.providerCode,
    retryAfterMs: parseRetryAfter(answer.headers.get('retry-after'), ctx.now()),
  });
}

/** Downloads an output; inline outputs are returned as they are. */
export async function downloadOutput(output: ProviderOutput, ctx: AdapterContext, headers: Record<string, string> = {}): Promise<DownloadedFile> {
  if (output.kind === 'inline') return { data: output.data, content_type: output.content_type };
  let response: Response;
  try {
    response = await ctx.fetch(output.url, { headers, signal: ctx.signal });
  } catch (cause) {
    throw new ProviderError(ctx.signal.aborted ? 'timeout' : 'provider_unavailable', `download failed: ${String(cause)}`, { cause });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new ProviderError(response.status >= 500 ? 'provider_unavailable' : 'not_found', `download answered HTTP ${response.status}`, {
      httpStatus: response.status,
    });
  }
  const data = new Uint8Array(await response.arrayBuffer());
  return { data, content_type: response.headers.get('content-type') ?? 'application/octet-stream' };
}

/** Decodes a base64 string (standard or url-safe) to bytes, the same under Node and Deno. */
export function base64ToBytes(b64: string): Uint8Array {
  const clean = b64.replace(/^data:[^,]*,/, '').replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(clean);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
