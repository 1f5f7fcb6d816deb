// Bearer API-key authentication and scope checks, as route middleware.
import type { MiddlewareHandler } from 'hono';
import { rpcOne } from '../db/rpc.ts';
import type { AppDeps, AppEnv, AuthContext } from './deps.ts';
import { ApiError } from './errors.ts';
import { type Scope, sha256 } from './keys.ts';
import type { RouteClass } from './rate-limit.ts';
import { applyRateLimit } from './rate-headers.ts';

const KEY_SHAPE = /^[A-Za-z0-9_-]{8,200}$/;

/**
 * Accepted keys, remembered for a few seconds per API instance: at saturation the key lookup was
 * a second database round trip on every request. The price is that a revocation reaches an
 * instance within `ttlMs` (5 s by default); expiry is still checked on every request. Only
 * accepted keys are kept, so a new key works at once. Keys live in memory only, as the
 * Authorization headers they came in.
 */
export class KeyCache {
  private readonly entries = new Map<string, { auth: AuthContext; expiresMs: number | null; untilMs: number }>();

  constructor(readonly ttlMs: number, private readonly maxEntries = 10_000) {}

  get(key: string, nowMs: number): AuthContext | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.untilMs <= nowMs || (e.expiresMs !== null && e.expiresMs <= nowMs)) {
      this.entries.delete(key);
      return undefined;
    }
    return e.auth;
  }

  set(key: string, auth: AuthContext, expiresAt: Date | null, nowMs: number): void {
    if (this.ttlMs <= 0) return;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, { auth, expiresMs: expiresAt?.getTime() ?? null, untilMs: nowMs + this.ttlMs });
  }
}

export async function authenticate(deps: AppDeps, header: string | undefined): Promise<AuthContext> {
  if (!header) throw new ApiError('missing_api_key');
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m?.[1]) throw new ApiError('missing_api_key');
  const key = m[1];
  if (!key.startsWith(deps.apiKeyPrefix) || !KEY_SHAPE.test(key)) throw new ApiError('invalid_api_key');
  const now = deps.clock();
  const cached = deps.keyCache?.get(key, now.getTime());
  if (cached) return cached;
  const row = await rpcOne(deps.db, 'apikey_authenticate', { p_hash: await sha256(key), p_region: deps.region, p_now: now });
  switch (row.outcome) {
    case 'ok': {
      const auth = { apikeyId: row.apikey_id as string, accountId: row.account_id as string, scopes: (row.scopes ?? []) as Scope[] };
      deps.keyCache?.set(key, auth, row.expires_at, now.getTime());
      return auth;
    }
    case 'revoked':
      throw new ApiError('api_key_revoked');
    case 'expired':
      throw new ApiError('api_key_expired');
    case 'wrong_region':
      throw new ApiError('invalid_api_key', { message: `The API key is not valid in region ${deps.region}.` });
    default:
      throw new ApiError('invalid_api_key');
  }
}

/** Authenticates, rate-limits per key and route class, then checks the scope. */
export function requireScope(deps: AppDeps, scope: Scope, routeClass: RouteClass): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const auth = await authenticate(deps, c.req.header('authorization'));
    c.set('auth', auth);
    await applyRateLimit(c, deps, auth.apikeyId, routeClass);
    if (!auth.scopes.includes(scope)) {
      throw new ApiError('insufficient_scope', { message: `This endpoint requires the ${scope} scope.`, details: { required_scope: scope } });
    }
    await next();
  };
}
