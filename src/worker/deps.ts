// What worker tasks need, injected (tests pin the clock and script the providers).
import type { ProviderId } from '../catalog/types.ts';
import type { Db } from '../db/kysely.ts';
import type { ProviderAdapter } from '../providers/types.ts';
import type { ArtifactStore } from '../storage/types.ts';

export interface WorkerDeps {
  db: Db;
  store: ArtifactStore;
  /** The adapter serving each provider (a real one when configured, else its simulated twin). */
  providers: ReadonlyMap<ProviderId, { adapter: ProviderAdapter; baseUrl: string; credentials: Record<string, string> }>;
  clock: () => Date;
  fetch: typeof fetch;
  workerId: string;
  /** How long an attempt's lease lasts before the reaper may move it on. */
  leaseMs: number;
  /** Per-attempt timeout by model type. */
  attemptTimeoutMs: { image: number; video: number };
  maxTriesPerProvider: number;
  /** Where providers with webhooks call back (absent: poll only). */
  webhookBaseUrl?: string;
  /** Fires when the worker stops: provider calls abort and their attempts are left to the reaper. */
  stopSignal?: AbortSignal;
  /** Asks this process's dispatcher to run now (a failover or an immediate retry was queued). */
  wakeDispatcher?: () => void;
}

/** Backoff before retrying the same provider: 500 ms doubling, at most 10 s. */
export function retryDelayMs(tryNumber: number, hintMs: number | undefined): number {
  if (hintMs !== undefined) return Math.min(hintMs, 60_000);
  return Math.min(500 * 2 ** (tryNumber - 1), 10_000);
}
