// Request validation derived from the catalog: one zod schema per (model, route). Unknown
// fields are rejected, documented defaults are filled in, and every problem is reported at once
// with the field named.
import { z } from 'zod';
import type { CatalogModel, ModelType, ProviderId, SpecificParam } from './types.ts';

export const PROMPT_MAX_CHARS = 2000;
export const DEFAULT_MAX_INPUT_FILES = 4;

/** The request after validation, with defaults filled in. */
export interface ValidatedRequest {
  generation_prompt: string;
  generation_ratio: string;
  generation_output_format: string;
  generation_output_number: number;
  generation_input_file: string[];
  generation_provider_order: string;
  generation_duration?: number;
  generation_resolution?: string;
  generation_generate_audio?: boolean;
  generation_input_file_last_content?: string;
  specific: Record<string, unknown>;
}

const PRIVATE_V4: readonly [number, number][] = [
  [0x0a000000, 8], [0x7f000000, 8], [0xa9fe0000, 16], [0xac100000, 12], [0xc0a80000, 16],
  [0x64400000, 10], [0x00000000, 8], [0xe0000000, 4], [0xf0000000, 4],
  // IETF protocol assignments, documentation and benchmarking ranges
  [0xc0000000, 24], [0xc0000200, 24], [0xc6336400, 24], [0xcb007100, 24], [0xc6120000, 15],
];

function ipv4ToInt(host: string): number | undefined {
  const parts = host.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

const isPublicV4 = (v4: number) => !PRIVATE_V4.some(([net, bits]) => v4 >>> (32 - bits) === net >>> (32 - bits));

/** The eight 16-bit groups of an IPv6 literal as the URL parser normalizes it (no embedded dots). */
function ipv6Groups(host: string): number[] | undefined {
  const halves = host.split('::');
  if (halves.length > 2) return undefined;
  const part = (s: string | undefined) => (s ? s.split(':').map((g) => Number.parseInt(g, 16)) : []);
  const head = part(halves[0]);
  const tail = part(halves[1]);
  const groups = halves.length === 2 ? [...head, ...new Array(8 - head.length - tail.length).fill(0), ...tail] : head;
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}

/**
 * IPv6 ranges that are not public unicast, or that embed an IPv4 address (checked in turn):
 * unspecified/loopback/IPv4-compatible (::/96), IPv4-mapped (::ffff:0:0/96), NAT64 (64:ff9b::/96),
 * 6to4 (2002::/16), Teredo and documentation (2001::/32, 2001:db8::/32), discard (100::/64),
 * unique-local (fc00::/7), link-local and site-local (fe80::/10, fec0::/10), multicast (ff00::/8).
 */
function isPublicV6(g: number[]): boolean {
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, h6 = 0, h7 = 0] = g;
  const v4 = (hi: number, lo: number) => ((hi << 16) >>> 0) + lo;
  if (a === 0 && b === 0 && c === 0 && d === 0 && e === 0) {
    if (f === 0) return false; // ::/96: ::, ::1 and the deprecated IPv4-compatible form
    if (f === 0xffff) return isPublicV4(v4(h6, h7));
    return false;
  }
  if (a === 0x64 && b === 0xff9b) return isPublicV4(v4(h6, h7));
  if (a === 0x2002) return isPublicV4(v4(b, c));
  if (a === 0x2001 && (b === 0 || b === 0xdb8)) return false;
  if (a === 0x100 && b === 0 && c === 0 && d === 0) return false;
  if ((a & 0xfe00) === 0xfc00 || (a & 0xffc0) === 0xfe80 || (a & 0xffc0) === 0xfec0 || (a & 0xff00) === 0xff00) return false;
  return true;
}

/**
 * True for an https URL whose host is a public name or address: not loopback, private,
 * link-local (cloud metadata at 169.254.169.254 included), unique-local IPv6, or a bare local name.
 * The WHATWG URL parser has already turned decimal (2130706433), hex (0x7f.1) and short (127.1)
 * IPv4 forms into dotted quads, and IPv6 into compressed hex, so those tricks land here
 * normalized. A public name that resolves to a private address (DNS rebinding) cannot be seen
 * here; whoever fetches the URL must check the address it connects to.
 */
export function isPublicHttpsUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '') return false;
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.+$/, '');
  if (host === '' || host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.internal') || host.endsWith('.local') || !host.includes('.') && !host.includes(':')) return false;
  if (host === 'metadata.google.internal') return false;
  const v4 = ipv4ToInt(host);
  if (v4 !== undefined) return isPublicV4(v4);
  if (host.includes(':')) {
    const groups = ipv6Groups(host);
    return groups !== undefined && isPublicV6(groups);
  }
  return true;
}

/** NUL and unpaired UTF-16 surrogates: valid in JSON text, refused by Postgres jsonb. */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const storableText = (max: number) => z.string().max(max).refine((s) => !UNSTORABLE.test(s), { message: 'must not contain NUL or unpaired surrogate characters' });

const publicUrl = storableText(2048).refine(isPublicHttpsUrl, {
  message: 'must be a public https URL (not loopback, private, link-local or metadata addresses)',
});

function specificParamSchema(p: SpecificParam): z.ZodType {
  switch (p.type) {
    case 'integer': {
      let s = z.number().int();
      if (p.min !== undefined) s = s.min(p.min);
      if (p.max !== undefined) s = s.max(p.max);
      return s;
    }
    case 'number': {
      let s = z.number();
      if (p.min !== undefined) s = s.min(p.min);
      if (p.max !== undefined) s = s.max(p.max);
      return s;
    }
    case 'boolean':
      return z.boolean();
    case 'string':
      if (p.enum && p.enum.length > 0) return z.enum(p.enum as [string, ...string[]]);
      return storableText(p.max_length ?? 2000);
  }
}

const oneOf = (values: readonly string[]) => z.enum(values as [string, ...string[]]);

/** The provider-order strings a model accepts: `fastest`, each explicit order, each single provider. */
export function allowedProviderOrders(model: CatalogModel): string[] {
  const singles = Object.keys(model.providers);
  return [...new Set(['fastest', ...model.provider_orders, ...singles])];
}

export function parseProviderOrder(value: string): ProviderId[] {
  return value.split(', ') as ProviderId[];
}

/** The zod schema of a request body for `model` (shape only; route checks are separate). */
export function requestSchema(model: CatalogModel): z.ZodType<ValidatedRequest> {
  const s = model.schema;
  const maxOutputs = s.max_output_number ?? s.generation_output_number;
  const shape: Record<string, z.ZodType> = {
    generation_prompt: z.string().trim().min(1).max(PROMPT_MAX_CHARS).refine((s) => !UNSTORABLE.test(s), { message: 'must not contain NUL or unpaired surrogate characters' }),
    generation_ratio: oneOf(s.generation_ratio).default(s.generation_ratio[0] as string),
    generation_output_format: oneOf(s.generation_output_format).default(s.generation_output_format[0] as string),
    generation_output_number: z.number().int().min(1).max(maxOutputs).default(s.generation_output_number),
    generation_provider_order: oneOf(allowedProviderOrders(model)).default('fastest'),
  };
  if (s.generation_input_file) {
    shape.generation_input_file = z.array(publicUrl).max(s.max_input_files ?? DEFAULT_MAX_INPUT_FILES).default([]);
  }
  if (s.generation_resolution && s.generation_resolution.length > 0) {
    shape.generation_resolution = oneOf(s.generation_resolution).default(s.generation_resolution[0] as string);
  }
  if (model.model_type === 'video') {
    const durations = s.generation_duration ?? [];
    // A literal set (not a refine) so the OpenAPI document lists the allowed durations.
    shape.generation_duration = z.literal(durations as [number, ...number[]], {
      error: `must be a number, one of ${durations.join(', ')}`,
    });
    if (s.generation_generate_audio) shape.generation_generate_audio = z.boolean().default(false);
    if (s.generation_input_file_last_content) shape.generation_input_file_last_content = publicUrl.optional();
  }
  const specificKeys = Object.keys(model.specific_schema);
  for (const [name, param] of Object.entries(model.specific_schema)) shape[name] = specificParamSchema(param).optional();

  return z.strictObject(shape).transform((body): ValidatedRequest => {
    const specific: Record<string, unknown> = {};
    for (const k of specificKeys) if (body[k] !== undefined) specific[k] = body[k];
    const out: ValidatedRequest = {
      generation_prompt: body.generation_prompt as string,
      generation_ratio: body.generation_ratio as string,
      generation_output_format: body.generation_output_format as string,
      generation_output_number: body.generation_output_number as number,
      generation_input_file: (body.generation_input_file as string[] | undefined) ?? [],
      generation_provider_order: body.generation_provider_order as string,
      specific,
    };
    if (body.generation_duration !== undefined) out.generation_duration = body.generation_duration as number;
    if (body.generation_resolution !== undefined) out.generation_resolution = body.generation_resolution as string;
    if (body.generation_generate_audio !== undefined) out.generation_generate_audio = body.generation_generate_audio as boolean;
    if (body.generation_input_file_last_content !== undefined) out.generation_input_file_last_content = body.generation_input_file_last_content as string;
    return out;
  }) as unknown as z.ZodType<ValidatedRequest>;
}

const cache = new Map<string, z.ZodType<ValidatedRequest>>();

export function cachedRequestSchema(model: CatalogModel): z.ZodType<ValidatedRequest> {
  let s = cache.get(model.model_identifier);
  if (!s) {
    s = requestSchema(model);
    cache.set(model.model_identifier, s);
  }
  return s;
}

/** The route/model-type check of contract §4.1, with the field to add or remove named. */
export function routeMismatch(model: CatalogModel, route: ModelType, body: Record<string, unknown>): string | undefined {
  if (model.model_type === route) return undefined;
  if (model.model_type === 'video') {
    return `${model.model_identifier} is a video model: generation_duration is required (its presence selects /v1/generate/video)`;
  }
  const extra = 'generation_duration' in body ? 'remove generation_duration' : 'use /v1/generate/image';
  return `${model.model_identifier} is an image model: ${extra} (generation_duration selects the video route)`;
}
