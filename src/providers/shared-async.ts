// Generic helpers shared by the provider adapters, on top of http.ts: credentials, sizes from
// ratios, byte-level requests (raw image answers, multipart bodies) and small encodings. Web APIs
// only, so the adapters also run under Deno.
import { sniffFormat } from '../storage/sniff.ts';
import { CONTENT_TYPES } from '../storage/types.ts';
import type { HttpAnswer } from './http.ts';
import { type AdapterContext, ProviderError } from './types.ts';

/** A credential from ctx, or ProviderError('auth') naming the missing one. */
export function credential(ctx: Pick<AdapterContext, 'credentials'>, name: string): string {
  const value = ctx.credentials[name];
  if (value === undefined || value.trim() === '') {
    throw new ProviderError('auth', `missing credential "${name}"`);
  }
  return value;
}

/** Joins a base URL and a path without doubling or dropping the slash between them. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/** Copies the entries of `source` whose key is in `keys` (and whose value is defined), renamed by `rename`. */
export function pickSpecific(
  source: Readonly<Record<string, unknown>>,
  keys: readonly string[],
  rename: Readonly<Record<string, string>> = {},
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const value = source[key];
    if (value !== undefined) out[rename[key] ?? key] = value;
  }
  return out;
}

/** `16:9` → 1.777…; undefined for anything that is not `<w>:<h>` with positive numbers. */
export function parseRatio(ratio: string | undefined): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*[:x*]\s*(\d+(?:\.\d+)?)\s*$/i.exec(ratio ?? '');
  if (!m) return undefined;
  const w = Number(m[1]);
  const h = Number(m[2]);
  return w > 0 && h > 0 ? w / h : undefined;
}

/** Video resolution label to its short side in pixels: `720p` → 720, `4k` → 2160. */
export function videoShortSide(resolution: string | undefined): number | undefined {
  const r = (resolution ?? '').trim().toLowerCase();
  const p = /^(\d+)p$/.exec(r);
  if (p) return Number(p[1]);
  if (r === '4k') return 2160;
  if (r === '2k') return 1440;
  return undefined;
}

/** Image resolution label to an edge length: `1K` → 1024, `2K` → 2048, `1080p` → 1080. */
export function imageEdge(resolution: string | undefined): number | undefined {
  const r = (resolution ?? '').trim().toLowerCase();
  const k = /^(\d+(?:\.\d+)?)k$/.exec(r);
  if (k) return Math.round(Number(k[1]) * 1024);
  return videoShortSide(r);
}

export interface PixelSize {
  width: number;
  height: number;
}

/** Parses `1280:720`, `1280*720` or `1280x720`. */
export function parseSize(size: string): PixelSize | undefined {
  const m = /^(\d+)[:x*](\d+)$/i.exec(size.trim());
  return m ? { width: Number(m[1]), height: Number(m[2]) } : undefined;
}

/**
 * Picks, among sizes a provider documents, the one whose aspect is nearest `ratio` and, among
 * those, whose short side is nearest `shortSide` (or `defaultShortSide`). Undefined when the
 * ratio does not parse or no candidate is within 3% of it.
 */
export function nearestSize(
  candidates: readonly string[],
  ratio: string | undefined,
  shortSide: number | undefined,
  defaultShortSide: number,
): string | undefined {
  const aspect = parseRatio(ratio);
  if (aspect === undefined) return undefined;
  const target = shortSide ?? defaultShortSide;
  let best: { size: string; score: number } | undefined;
  for (const size of candidates) {
    const px = parseSize(size);
    if (!px) continue;
    const drift = Math.abs(px.width / px.height - aspect) / aspect;
    if (drift > 0.03) continue;
    const score = drift * 10_000 + Math.abs(Math.min(px.width, px.height) - target);
    if (!best || score < best.score) best = { size, score };
  }
  return best?.size;
}

/** A size of about `edge`² pixels with the given aspect, each side a multiple of `step`, clamped. */
export function sizeForArea(ratio: string | undefined, edge: number, step: number, min: number, max: number): PixelSize {
  const aspect = parseRatio(ratio) ?? 1;
  const round = (v: number) => Math.min(max, Math.max(min, Math.round(v / step) * step));
  return { width: round(edge * Math.sqrt(aspect)), height: round(edge / Math.sqrt(aspect)) };
}

/** Standard base64 of bytes (btoa works on binary strings, so go through one in chunks). */
export function bytesToBase64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin);
}

/** The image type from the magic bytes; providers that return bare base64 do not say. */
export function sniffImageType(bytes: Uint8Array): string {
  const format = sniffFormat(bytes);
  return format === undefined ? 'application/octet-stream' : (CONTENT_TYPES[format] as string);
}

export interface ByteCall {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  /** A JSON string (content-type set here) or a FormData (fetch sets the multipart boundary). */
  body?: string | FormData;
}

/** An answer whose body was read as bytes: for endpoints that may answer with a raw image. */
export interface ByteAnswer extends HttpAnswer {
  bytes: Uint8Array;
}

/**
 * Like http.ts `send`, but keeps the body as bytes (send() reads text, which would corrupt a
 * binary image) and accepts multipart bodies. Transport failures are classified the same way.
 */
export async function sendForBytes(ctx: AdapterContext, call: ByteCall): Promise<ByteAnswer> {
  const headers: Record<string, string> = { accept: 'application/json, image/*', ...call.headers };
  if (typeof call.body === 'string') headers['content-type'] ??= 'application/json';
  let response: Response;
  let bytes: Uint8Array;
  try {
    response = await ctx.fetch(call.url, { method: call.method, headers, body: call.body, signal: ctx.signal });
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (cause) {
    if (ctx.signal.aborted) throw new ProviderError('timeout', `${call.method} ${call.url} timed out`, { cause });
    throw new ProviderError('provider_unavailable', `${call.method} ${call.url} failed: ${String(cause)}`, { cause });
  }
  const contentType = response.headers.get('content-type') ?? '';
  const text = contentType.startsWith('image/') ? '' : new TextDecoder().decode(bytes);
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json, bytes };
}

/** Fetches an input file (URL or data: URI) as bytes, for providers that want uploads, not URLs. */
export async function fetchInputFile(ctx: AdapterContext, url: string): Promise<{ data: Uint8Array<ArrayBuffer>; content_type: string }> {
  let response: Response;
  try {
    response = await ctx.fetch(url, { signal: ctx.signal });
  } catch (cause) {
    if (ctx.signal.aborted) throw new ProviderError('timeout', `input file fetch timed out`, { cause });
    throw new ProviderError('bad_request', `input file could not be fetched: ${String(cause)}`, { cause });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new ProviderError('bad_request', `input file answered HTTP ${response.status}`, { httpStatus: response.status });
  }
  const data = new Uint8Array(await response.arrayBuffer());
  return { data, content_type: response.headers.get('content-type') ?? sniffImageType(data) };
}
