// Local-disk artifact store (the embedded default). Files are written to a temporary name and
// renamed, so a reader never sees half a file.
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ARTIFACT_KEY, type ArtifactStore, CONTENT_TYPES, type StoredFile } from './types.ts';

export class LocalDiskStore implements ArtifactStore {
  readonly bucket: string;
  private readonly root: string;
  private readonly baseUrl: string;

  constructor(root: string, publicBaseUrl: string) {
    this.root = resolve(root);
    this.bucket = `local:${root}`;
    this.baseUrl = publicBaseUrl.replace(/\/+$/, '');
  }

  private path(key: string): string {
    if (!ARTIFACT_KEY.test(key)) throw new Error(`invalid artifact key ${JSON.stringify(key)}`);
    return join(this.root, key);
  }

  async put(key: string, file: StoredFile): Promise<void> {
    const target = this.path(key);
    await mkdir(dirname(target), { recursive: true });
    const tmp = `${target}.${crypto.randomUUID()}.tmp`;
    await writeFile(tmp, file.data);
    await rename(tmp, target);
  }

  async get(key: string): Promise<StoredFile | null> {
    if (!ARTIFACT_KEY.test(key)) return null;
    try {
      const data = await readFile(this.path(key));
      const ext = key.slice(key.lastIndexOf('.') + 1);
      return { data: new Uint8Array(data), content_type: CONTENT_TYPES[ext] ?? 'application/octet-stream' };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async delete(keys: readonly string[]): Promise<number> {
    let removed = 0;
    for (const key of keys) {
      const p = this.path(key);
      const exists = await stat(p).then(() => true, () => false);
      if (!exists) continue;
      await rm(p, { force: true });
      removed++;
    }
    return removed;
  }

  publicUrl(key: string): string {
    return `${this.baseUrl}/files/${key}`;
  }

  async health(): Promise<{ healthy: boolean; latency_ms: number; error?: string }> {
    const started = performance.now();
    const probe = join(this.root, `.health-${crypto.randomUUID()}`);
    try {
      await mkdir(this.root, { recursive: true });
      await writeFile(probe, 'ok');
      await readFile(probe);
      await rm(probe, { force: true });
      return { healthy: true, latency_ms: Math.round((performance.now() - started) * 100) / 100 };
    } catch (err) {
      return { healthy: false, latency_ms: Math.round(performance.now() - started), error: String(err) };
    }
  }
}
