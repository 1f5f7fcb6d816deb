// An in-memory ArtifactStore: a real implementation of the interface (not a mock of our code),
// for handler tests that run without a disk or a storage server.
import type { ArtifactStore, StoredFile } from '../../../src/storage/types.ts';

export class MemoryStore implements ArtifactStore {
  readonly bucket = 'memory';
  readonly files = new Map<string, StoredFile>();
  constructor(private readonly baseUrl = 'http://memory.invalid') {}
  async put(key: string, file: StoredFile): Promise<void> {
    this.files.set(key, { data: new Uint8Array(file.data), content_type: file.content_type });
  }
  async get(key: string): Promise<StoredFile | null> {
    return this.files.get(key) ?? null;
  }
  async delete(keys: readonly string[]): Promise<number> {
    return keys.filter((k) => this.files.delete(k)).length;
  }
  publicUrl(key: string): string {
    return `${this.baseUrl}/files/${key}`;
  }
  async health() {
    return { healthy: true, latency_ms: 0 };
  }
}
