// Where artifacts live. The embedded default stores them on local disk and the API serves them;
// Supabase Storage and S3-compatible stores implement the same interface.

export interface StoredFile {
  data: Uint8Array;
  content_type: string;
}

export interface ArtifactStore {
  /** The bucket (or folder) name shown by /v1/health/storage. */
  readonly bucket: string;
  put(key: string, file: StoredFile): Promise<void>;
  get(key: string): Promise<StoredFile | null>;
  /** Removes the keys that exist; returns how many were removed. */
  delete(keys: readonly string[]): Promise<number>;
  /** The URL a client downloads the file from. */
  publicUrl(key: string): string;
  /** A real round trip (write, read, delete of a probe object). */
  health(): Promise<{ healthy: boolean; latency_ms: number; error?: string }>;
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/**
 * Keys are `<generation uuid>/<attempt uuid>/<n>.<ext>`: nothing else is ever written or served.
 * The attempt in the key means a late or duplicate attempt can only ever remove its own files.
 */
export const ARTIFACT_KEY = new RegExp(`^${UUID}/${UUID}/[0-9]{1,3}\\.(png|jpg|webp|mp4)$`);

export const CONTENT_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  webp: 'image/webp',
  mp4: 'video/mp4',
};

export function artifactKey(generationId: string, attemptId: string, index: number, format: string): string {
  const key = `${generationId}/${attemptId}/${index}.${format}`;
  if (!ARTIFACT_KEY.test(key)) throw new Error(`invalid artifact key ${key}`);
  return key;
}
