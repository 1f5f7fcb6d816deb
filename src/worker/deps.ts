// What worker tasks need, injected (tests pin the clock and script the providers).
import type { ModelType, ProviderId } from '../catalog/types.ts';
import type { Db } from '../db/kysely.ts';
import type { ProviderAdapter } from '../providers/types.ts';
import type { ArtifactStore } from '../storage/types.ts';
import type { AttemptBatchers } from './attempt-batch.ts';

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
  /** Per-provider overrides of the attempt timeout (see DEFAULT_PROVIDER_TIMEOUTS_MS). */
  providerTimeoutMs?: Partial<Record<ProviderId, Partial<Record<ModelType, number>>>>;
  maxTriesPerProvider: number;
  /** Where providers with webhooks call back (absent: poll only). */
  webhookBaseUrl?: string;
  /** Fires when the worker stops: provider calls abort and their attempts are left to the reaper. */
  stopSignal?: AbortSignal;
  /** Starts and successes coalesced into batches (absent: ones shared per `db`, attempt-batch.ts). */
  attempts?: AttemptBatchers;
  /** Asks this process's dispatcher to run now (a failover or an immediate retry was queued). */
  wakeDispatcher?: () => void;
}

/**
 * How long one attempt may take at a provider, from submit to result, before it times out and the
 * order moves on. Synchronous providers answer within the call; async ones are polled, and the
 * poll enforces the same bound. Overrides where a provider is known to be slower than the default.
 */
export const DEFAULT_PROVIDER_TIMEOUTS_MS: WorkerDeps['providerTimeoutMs'] = {
  openai: { image: 240_000 },
  runway: { video: 1_200_000 },
  alibabacloud: { video: 1_200_000 },
};

export function attemptTimeoutFor(deps: Pick<WorkerDeps, 'attemptTimeoutMs' | 'providerTimeoutMs'>, provider: ProviderId, type: ModelType): number {
  return deps.providerTimeoutMs?.[provider]?.[type] ?? DEFAULT_PROVIDER_TIMEOUTS_MS?.[provider]?.[type] ?? deps.attemptTimeoutMs[type];
}

/** Backoff before retrying the same provider: 500 ms doubling, at most 10 s. */
export function retryDelayMs(tryNumber: number, hintMs: number | undefined): number {
  if (hintMs !== undefined) return Math.min(hintMs, 60_000);
  return Math.min(500 * 2 ** (tryNumber - 1), 10_000);
}
