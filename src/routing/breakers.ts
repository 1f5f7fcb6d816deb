// Circuit breakers per (provider, region), from the outcomes of recent attempts. Read on the
// accept path through a short-lived in-process copy, so a burst of requests costs one query per
// refresh, and a provider that started failing is skipped within seconds.
import type { ProviderId } from '../catalog/types.ts';

export type BreakerStatus = 'healthy' | 'recovering' | 'degraded' | 'unknown';

export interface BreakerWindow {
  provider: string;
  total: number;
  failures: number;
  successes: number;
  /** Credit or credential refusals in the window: they open the breaker at once. */
  hard_failures: number;
}

export const BREAKER_WINDOW_SECONDS = 300;
/** Fewer outcomes than this and the breaker does not judge (unknown). */
export const BREAKER_MIN_SAMPLES = 5;

export function breakerStatus(w: Pick<BreakerWindow, 'total' | 'failures' | 'hard_failures'>): BreakerStatus {
  if (w.hard_failures > 0) return 'degraded';
  if (w.total < BREAKER_MIN_SAMPLES) return 'unknown';
  const rate = w.failures / w.total;
  if (rate >= 0.5) return 'degraded';
  if (rate >= 0.2) return 'recovering';
  return 'healthy';
}

/** Keeps every provider (the failover list never shrinks); degraded ones go to the back. */
export function demoteDegraded(order: readonly ProviderId[], status: (p: ProviderId) => BreakerStatus): { order: ProviderId[]; demoted: ProviderId[] } {
  const demoted = order.filter((p) => status(p) === 'degraded');
  if (demoted.length === 0 || demoted.length === order.length) return { order: [...order], demoted: [] };
  return { order: [...order.filter((p) => !demoted.includes(p)), ...demoted], demoted };
}

/** The last breaker windows, refreshed at most every `ttlMs`; a failed refresh keeps the last copy. */
export class BreakerCache {
  private windows = new Map<string, BreakerWindow>();
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private inflight: Promise<void> | undefined;

  constructor(
    private readonly load: () => Promise<BreakerWindow[]>,
    private readonly now: () => number,
    private readonly ttlMs = 2000,
  ) {}

  async statuses(): Promise<(p: string) => BreakerStatus> {
    if (this.now() - this.fetchedAt >= this.ttlMs) {
      this.inflight ??= this.load().then(
        (rows) => {
          this.windows = new Map(rows.map((r) => [r.provider, r]));
          this.fetchedAt = this.now();
        },
        (err: unknown) => {
          console.error('[breakers] refresh failed, keeping the last copy:', err instanceof Error ? err.message : err);
          this.fetchedAt = this.now(); // fail open: keep the last copy, retry after the ttl
        },
      ).finally(() => {
        this.inflight = undefined;
      });
      await this.inflight;
    }
    return (p) => {
      const w = this.windows.get(p);
      return w ? breakerStatus(w) : 'unknown';
    };
  }

  window(p: string): BreakerWindow {
    return this.windows.get(p) ?? { provider: p, total: 0, failures: 0, successes: 0, hard_failures: 0 };
  }
}
