// Applies a rate-limit decision to the request: stores it for the X-RateLimit-* headers every
// response carries, and rejects with 429 + Retry-After when the window is spent.
import type { Context } from 'hono';
import type { AppDeps, AppEnv } from './deps.ts';
import { ApiError } from './errors.ts';
import type { RateDecision, RouteClass } from './rate-limit.ts';

export async function applyRateLimit(c: Context<AppEnv>, deps: AppDeps, identifier: string, routeClass: RouteClass): Promise<void> {
  const nowMs = deps.clock().getTime();
  const decision = await deps.rateLimiter.limit(identifier, routeClass, nowMs);
  c.set('rate', decision);
  if (!decision.success) {
    const retryAfter = Math.max(1, decision.reset - Math.floor(nowMs / 1000));
    throw new ApiError('rate_limited', { headers: { 'Retry-After': String(retryAfter) } });
  }
}

export function rateHeaders(decision: RateDecision): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(decision.limit),
    'X-RateLimit-Remaining': String(decision.remaining),
    'X-RateLimit-Reset': String(decision.reset),
  };
}
