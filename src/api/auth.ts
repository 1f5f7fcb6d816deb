// Bearer API-key authentication and scope checks, as route middleware.
import type { MiddlewareHandler } from 'hono';
import { rpcOne } from '../db/rpc.ts';
import type { AppDeps, AppEnv, AuthContext } from './deps.ts';
import { ApiError } from './errors.ts';
import { type Scope, sha256 } from './keys.ts';
import type { RouteClass } from './rate-limit.ts';
import { applyRateLimit } from './rate-headers.ts';

const KEY_SHAPE = /^[A-Za-z0-9_-]{8,200}$/;

export async function authenticate(deps: AppDeps, header: string | undefined): Promise<AuthContext> {
  if (!header) throw new ApiError('missing_api_key');
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m?.[1]) throw new ApiError('missing_api_key');
  const key = m[1];
  if (!key.startsWith(deps.apiKeyPrefix) || !KEY_SHAPE.test(key)) throw new ApiError('invalid_api_key');
  const row = await rpcOne(deps.db, 'apikey_authenticate', { p_hash: await sha256(key), p_now: deps.clock() });
  switch (row.outcome) {
    case 'ok':
      return { apikeyId: row.apikey_id as string, accountId: row.account_id as string, scopes: (row.scopes ?? []) as Scope[] };
    case 'revoked':
      throw new ApiError('api_key_revoked');
    case 'expired':
      throw new ApiError('api_key_expired');
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
