// API key material: generation, hashing and shape checks. Runs on Web Crypto so the same code
// serves under Node and Deno.

export const SCOPES = [
  'generation:write',
  'generation:read',
  'generation:delete',
  'account:read',
  'health:read',
  'library:read',
] as const;
export type Scope = (typeof SCOPES)[number];

export const SCOPE_PRESETS: Record<string, readonly Scope[]> = {
  full_access: SCOPES,
  generate_only: ['generation:write', 'generation:read', 'library:read'],
  read_only: ['generation:read', 'account:read', 'health:read', 'library:read'],
  monitor_only: ['health:read', 'library:read'],
};

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A uniformly random base62 string (rejection sampling, no modulo bias). */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const b of crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (b < 248 && out.length < length) out += ALPHABET[b % 62];
    }
  }
  return out;
}

export async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}

export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export interface NewKey {
  id: string;
  /** The secret, shown once. */
  key: string;
  /** What is shown later: the prefix and the first characters. */
  displayPrefix: string;
  hash: Uint8Array;
}

/** 32 base62 characters: ~190 bits, so a plain sha256 at rest is enough (no slow hash needed). */
export async function newApiKey(prefix: string): Promise<NewKey> {
  const key = `${prefix}${randomBase62(32)}`;
  return { id: `key_${randomBase62(16)}`, key, displayPrefix: `${key.slice(0, prefix.length + 6)}…`, hash: await sha256(key) };
}

export function parseScopes(list: string): Scope[] {
  const scopes = list.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0) throw new Error(`unknown scope(s): ${unknown.join(', ')}; known: ${SCOPES.join(', ')}`);
  if (scopes.length === 0) throw new Error('at least one scope is required');
  return [...new Set(scopes)] as Scope[];
}
