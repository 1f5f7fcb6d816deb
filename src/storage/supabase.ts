// Supabase Storage artifact store (the edge deployment's default), through @supabase/supabase-js
// with the service role key: the worker writes, the API reads and deletes. The bucket is public
// so output URLs work without a signature (keys are unguessable UUID paths, as with the local
// store); STORAGE_PUBLIC_URL may point them at a custom domain or CDN in front of the bucket.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { ARTIFACT_KEY, type ArtifactStore, CONTENT_TYPES, type StoredFile } from './types.ts';

export interface SupabaseStorageOptions {
  /** The project URL, e.g. https://<ref>.supabase.co. */
  url: string;
  serviceRoleKey: string;
  bucket: string;
  /** Base URL files are served from instead of the bucket's public URL (a CDN or custom domain). */
  publicBaseUrl?: string | undefined;
  /** For tests against a fake of the Storage API. */
  fetch?: typeof fetch;
}

/**
 * The server-side key from the environment: SUPABASE_SERVICE_ROLE_KEY (the legacy key, injected
 * into edge functions), SUPABASE_SECRET_KEY (set it for workers), or the first entry of
 * SUPABASE_SECRET_KEYS (the JSON dictionary newer projects inject, preferring "default").
 */
export function supabaseServerKey(env: Record<string, string | undefined>): string | undefined {
  if (env.SUPABASE_SERVICE_ROLE_KEY) return env.SUPABASE_SERVICE_ROLE_KEY;
  if (env.SUPABASE_SECRET_KEY) return env.SUPABASE_SECRET_KEY;
  if (!env.SUPABASE_SECRET_KEYS) return undefined;
  try {
    const keys = JSON.parse(env.SUPABASE_SECRET_KEYS) as Record<string, unknown>;
    const value = keys.default ?? Object.values(keys)[0];
    return typeof value === 'string' && value !== '' ? value : undefined;
  } catch {
    return undefined;
  }
}

class NoRealtime {
  constructor() {
    throw new Error('Seaplane does not use Supabase Realtime');
  }
}

/** Storage answers a missing object with 404, or with 400 and "not_found" on older servers. */
function isNotFound(error: unknown): boolean {
  const e = error as { status?: number; statusCode?: string | number; message?: string; originalError?: { status?: number } } | null;
  const status = e?.status ?? e?.originalError?.status;
  return status === 404 || String(e?.statusCode) === '404' || /not.?found/i.test(e?.message ?? '');
}

export class SupabaseStorageStore implements ArtifactStore {
  readonly bucket: string;
  private readonly client: SupabaseClient;
  private readonly publicBaseUrl: string | undefined;

  constructor(o: SupabaseStorageOptions) {
    this.bucket = o.bucket;
    this.publicBaseUrl = o.publicBaseUrl?.replace(/\/+$/, '');
    this.client = createClient(o.url, o.serviceRoleKey, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      // Storage only. Realtime is never used, and on Node 20 (no global WebSocket) supabase-js
      // refuses to build a client without a transport, so it gets one that is never opened.
      realtime: { transport: NoRealtime as never },
      ...(o.fetch ? { global: { fetch: o.fetch } } : {}),
    });
  }

  private files() {
    return this.client.storage.from(this.bucket);
  }

  private static check(key: string): string {
    if (!ARTIFACT_KEY.test(key)) throw new Error(`invalid artifact key ${JSON.stringify(key)}`);
    return key;
  }

  async put(key: string, file: StoredFile): Promise<void> {
    // Storage writes an object whole (one request), so a reader never sees half a file.
    const { error } = await this.files().upload(SupabaseStorageStore.check(key), file.data, {
      contentType: file.content_type, upsert: true, cacheControl: '3600',
    });
    if (error) throw new Error(`storage upload ${key}: ${error.message}`);
  }

  async get(key: string): Promise<StoredFile | null> {
    if (!ARTIFACT_KEY.test(key)) return null;
    const { data, error } = await this.files().download(key);
    if (error) {
      if (isNotFound(error)) return null;
      throw new Error(`storage download ${key}: ${error.message}`);
    }
    const ext = key.slice(key.lastIndexOf('.') + 1);
    return { data: new Uint8Array(await data.arrayBuffer()), content_type: CONTENT_TYPES[ext] ?? data.type ?? 'application/octet-stream' };
  }

  async delete(keys: readonly string[]): Promise<number> {
    if (keys.length === 0) return 0;
    const { data, error } = await this.files().remove(keys.map(SupabaseStorageStore.check));
    if (error) throw new Error(`storage remove: ${error.message}`);
    return data.length; // Storage returns the objects it removed; missing keys are not listed
  }

  publicUrl(key: string): string {
    if (this.publicBaseUrl) return `${this.publicBaseUrl}/${key}`;
    return this.files().getPublicUrl(key).data.publicUrl;
  }

  async health(): Promise<{ healthy: boolean; latency_ms: number; error?: string }> {
    const started = performance.now();
    const probe = `.health/${crypto.randomUUID()}`;
    const elapsed = () => Math.round((performance.now() - started) * 100) / 100;
    try {
      const up = await this.files().upload(probe, new TextEncoder().encode('ok'), { contentType: 'text/plain', upsert: true });
      if (up.error) throw up.error;
      const down = await this.files().download(probe);
      if (down.error) throw down.error;
      const rm = await this.files().remove([probe]);
      if (rm.error) throw rm.error;
      return { healthy: true, latency_ms: elapsed() };
    } catch (err) {
      return { healthy: false, latency_ms: elapsed(), error: err instanceof Error ? err.message : String(err) };
    }
  }
}
