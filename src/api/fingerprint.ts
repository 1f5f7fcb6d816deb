// The idempotency fingerprint: route, model and a canonical form of the JSON body (object keys
// sorted at every depth), so the caller's key order does not matter.
import { hex, sha256 } from './keys.ts';

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export async function requestFingerprint(route: string, model: string, body: unknown): Promise<string> {
  return hex(await sha256(`${route}\n${model}\n${canonicalJson(body)}`));
}
