// fal webhook signatures: Ed25519 over
//   `${request_id}\n${user_id}\n${timestamp}\n${hex(sha256(raw body))}`
// with the hex signature in X-Fal-Webhook-Signature and fal's public keys from a JWKS. Verified with
// crypto.subtle (Ed25519 is in the Web Crypto API in Node ≥ 20 and Deno).
import { z } from 'zod';
import { bytesToHex, hexToBytes } from '../http.ts';
import { type AdapterContext, ProviderError } from '../types.ts';

export const FAL_JWKS_URL = 'https://rest.fal.ai/.well-known/jwks.json';
/** fal's replay window: the timestamp must be within ±5 minutes. */
const TOLERANCE_S = 300;
/** fal allows caching the JWKS up to 24 h; we refresh hourly, and at most once a minute on a miss. */
const JWKS_TTL_MS = 60 * 60 * 1000;
const JWKS_MISS_REFRESH_MS = 60 * 1000;
const JWKS_FETCH_TIMEOUT_MS = 10_000;

const Jwks = z.object({ keys: z.array(z.object({ kty: z.string().optional(), crv: z.string().optional(), x: z.string().min(1) }).loose()) });

// A cache of public keys only, rebuilt from the JWKS at will (no state of record).
const jwksCache = new Map<string, { keys: CryptoKey[]; fetched_ms: number }>();

async function importKeys(json: unknown): Promise<CryptoKey[]> {
  const parsed = Jwks.safeParse(json);
  if (!parsed.success) throw new ProviderError('malformed_response', 'fal webhook: JWKS has no keys');
  const okp = parsed.data.keys.filter((k) => (k.kty ?? 'OKP') === 'OKP' && (k.crv ?? 'Ed25519') === 'Ed25519');
  return Promise.all(okp.map((k) => crypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: k.x }, { name: 'Ed25519' }, false, ['verify'])));
}

async function fetchKeys(url: string, ctx: Pick<AdapterContext, 'fetch'>): Promise<CryptoKey[]> {
  let response: Response;
  try {
    response = await ctx.fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(JWKS_FETCH_TIMEOUT_MS) });
  } catch (cause) {
    throw new ProviderError('provider_unavailable', `fal webhook: JWKS fetch failed: ${String(cause)}`, { cause });
  }
  if (!response.ok) throw new ProviderError('provider_unavailable', `fal webhook: JWKS answered HTTP ${response.status}`, { httpStatus: response.status });
  return importKeys(await response.json().catch(() => undefined));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function anyKeyVerifies(keys: CryptoKey[], signature: Uint8Array, message: Uint8Array): Promise<boolean> {
  for (const key of keys) {
    if (await crypto.subtle.verify({ name: 'Ed25519' }, key, signature as BufferSource, message as BufferSource)) return true;
  }
  return false;
}

/**
 * `keySource` is the JWKS itself (JSON text) or its URL; empty means fal's published JWKS.
 * Cached keys are tried first; on a miss the JWKS is fetched again (keys rotate).
 */
async function verifiesWithJwks(keySource: string, signature: Uint8Array, message: Uint8Array, ctx: Pick<AdapterContext, 'now' | 'fetch'>): Promise<boolean> {
  if (keySource.trim().startsWith('{')) return anyKeyVerifies(await importKeys(parseJson(keySource)), signature, message);
  const url = keySource.trim() === '' ? FAL_JWKS_URL : keySource.trim();
  const cached = jwksCache.get(url);
  const age = cached === undefined ? Infinity : ctx.now() - cached.fetched_ms;
  if (cached !== undefined && age < JWKS_TTL_MS && (await anyKeyVerifies(cached.keys, signature, message))) return true;
  if (cached !== undefined && age < JWKS_MISS_REFRESH_MS) return false;
  const keys = await fetchKeys(url, ctx);
  jwksCache.set(url, { keys, fetched_ms: ctx.now() });
  return anyKeyVerifies(keys, signature, message);
}

/** Throws ProviderError('auth') unless the headers carry a fresh, valid fal signature of rawBody. */
export async function verifyFalSignature(headers: Headers, rawBody: string, keySource: string, ctx: Pick<AdapterContext, 'now' | 'fetch'>): Promise<void> {
  const requestId = headers.get('x-fal-webhook-request-id');
  const userId = headers.get('x-fal-webhook-user-id');
  const timestamp = headers.get('x-fal-webhook-timestamp');
  const signatureHex = headers.get('x-fal-webhook-signature');
  if (!requestId || !userId || !timestamp || !signatureHex) throw new ProviderError('auth', 'fal webhook: missing X-Fal-Webhook-* headers');
  if (!/^\d+$/.test(timestamp) || Math.abs(ctx.now() / 1000 - Number(timestamp)) > TOLERANCE_S) {
    throw new ProviderError('auth', 'fal webhook: timestamp outside the tolerance window');
  }
  const signature = hexToBytes(signatureHex);
  if (signature === undefined || signature.length !== 64) throw new ProviderError('auth', 'fal webhook: signature is not 64 hex-encoded bytes');
  const bodyHash = bytesToHex(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(rawBody))));
  const message = new TextEncoder().encode([requestId, userId, timestamp, bodyHash].join('\n'));
  if (!(await verifiesWithJwks(keySource, signature, message, ctx))) throw new ProviderError('auth', 'fal webhook: signature mismatch');
}
