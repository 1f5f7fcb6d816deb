// Rate limits per API key and route class. The in-process limiter is the fallback and the
// embedded default; the Redis-backed limiter (shared across instances) implements the same
// interface.

export type RouteClass = 'generate' | 'read' | 'write' | 'anonymous' | 'webhook';

export interface RateDecision {
  success: boolean;
  limit: number;
  remaining: number;
  /** Unix seconds when the window resets. */
  reset: number;
}

export interface RateLimiter {
  limit(identifier: string, routeClass: RouteClass, nowMs: number): Promise<RateDecision>;
}

/**
 * Requests per 60 s window. `read` allows one generation polled every 0.5 s (120/min) with room
 * for ten such generations at once.
 */
export const DEFAULT_LIMITS: Record<RouteClass, number> = {
  generate: 120,
  read: 1200,
  write: 300,
  anonymous: 120,
  /** Provider and Stripe webhooks, per source address: they are unauthenticated and stored. */
  webhook: 3000,
};

export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limits: Record<RouteClass, number> = DEFAULT_LIMITS,
    private readonly windowMs = 60_000,
  ) {}

  async limit(identifier: string, routeClass: RouteClass, nowMs: number): Promise<RateDecision> {
    const limit = this.limits[routeClass];
    const start = Math.floor(nowMs / this.windowMs) * this.windowMs;
    const key = `${routeClass}:${identifier}`;
    let w = this.windows.get(key);
    if (!w || w.start !== start) {
      if (this.windows.size > 100_000) this.windows.clear();
      w = { start, count: 0 };
      this.windows.set(key, w);
    }
    w.count++;
    return {
      success: w.count <= limit,
      limit,
      remaining: Math.max(0, limit - w.count),
      reset: Math.ceil((start + this.windowMs) / 1000),
    };
  }
}
