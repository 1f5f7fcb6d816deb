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

// Webhook-signature plumbing shared by the adapters whose providers sign callbacks.

/** HMAC-SHA256 of `message` (UTF-8) under `key`, with crypto.subtle so it runs under Node and Deno. */
export async function hmacSha256(key: Uint8Array, message: string): Promise<Uint8Array> {
  const cryptoKey = await crypto.subtle.importKey('raw', key as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', cryptoKey, new TextEncoder().encode(message)));
}

/** Compares two byte strings in time that depends only on their lengths. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

export function bytesToHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

/** Decodes lowercase or uppercase hex; undefined when the text is not hex of even length. */
export function hexToBytes(hex: string): Uint8Array | undefined {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return undefined;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/**
 * `16:9` → about `area` pixels at that ratio, each side rounded to `multiple` and kept within
 * [min, max]; undefined when the ratio is not `<w>:<h>`. For providers that take pixels, not ratios.
 */
export function pixelsForRatio(
  ratio: string,
  limits: { multiple: number; min: number; max: number; area?: number },
): { width: number; height: number } | undefined {
  const m = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(ratio.trim());
  if (!m || Number(m[1]) <= 0 || Number(m[2]) <= 0) return undefined;
  const r = Number(m[1]) / Number(m[2]);
  const snap = (v: number) => Math.min(limits.max, Math.max(limits.min, Math.round(v / limits.multiple) * limits.multiple));
  let width = snap(Math.sqrt((limits.area ?? 1024 * 1024) * r));
  let height = snap(width / r);
  if (height === limits.max) width = snap(height * r);
  if (width === limits.max) height = snap(width / r);
  return { width, height };
}
