// The runtime-neutral API: a Hono app, `(Request) => Response`, served by Node locally and by
// a Supabase edge function under Deno. Every response is JSON in the contract's envelopes and
// carries X-RateLimit-* headers; CORS follows the contract's §17.
import { type Context, Hono } from 'hono';
import type { AppDeps, AppEnv } from './deps.ts';
import { errorBody } from './envelope.ts';
import { ApiError } from './errors.ts';
import { rateHeaders } from './rate-headers.ts';
import { registerAccount } from './routes/account.ts';
import { registerContent } from './routes/content.ts';
import { registerEstimate } from './routes/estimate.ts';
import { registerFiles } from './routes/files.ts';
import { registerGenerate } from './routes/generate.ts';
import { registerProviderWebhooks } from './routes/provider-webhooks.ts';
import { registerHealth } from './routes/health.ts';
import { registerLibrary } from './routes/library.ts';
import { registerStripe } from './routes/stripe.ts';
import { ROUTES } from './routes/table.ts';
import { registerUsage } from './routes/usage.ts';
import { registerOpenApi } from './openapi.ts';
import { MemoryRateLimiter } from './rate-limit.ts';
import { KeyCache } from './auth.ts';
import { breakerCacheFor } from './breakers.ts';
import { workerWaker } from './wake.ts';
import { acceptBatcher } from './accept-batch.ts';
import { RequestLogWriter, requestLogEntry } from './request-log.ts';

export const CORS_HEADERS: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, DELETE, OPTIONS',
  'Access-Control-Allow-Headers':
    'Authorization, Content-Type, Idempotency-Key, X-BabySea-SDK-Name, X-BabySea-SDK-Version, X-BabySea-SDK-Runtime, X-BabySea-SDK-Runtime-Version',
  'Access-Control-Expose-Headers': 'X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, Retry-After, Idempotency-Replayed, X-Request-Id',
  'Access-Control-Max-Age': '600',
};

/** Errors that mean the database was not reached: nothing was sent, so nothing was written. */
function isConnectError(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === '57P03' || code === '53300' ||
    (err instanceof Error && /timeout exceeded when trying to connect|Connection terminated due to connection timeout/.test(err.message));
}

/**
 * Adds headers to every response. Under Node they go on the raw ServerResponse (@hono/node-server's
 * `outgoing` binding), which merges them into the status line it writes; the response's own
 * headers take precedence, as none of these is ever set by a route. Setting them on the web
 * Response instead builds a WHATWG Headers object per response and converts it back: ~15% of
 * the generate route's Node CPU (docs/capacity.md). Elsewhere (Deno), on the web Response.
 */
function setResponseHeaders(c: Context<AppEnv>, headers: readonly (readonly [string, string])[]): void {
  const outgoing = (c.env as { outgoing?: { setHeader?: (name: string, value: string) => unknown; headersSent?: boolean } } | undefined)?.outgoing;
  if (outgoing?.setHeader !== undefined && !outgoing.headersSent) {
    for (const [k, v] of headers) outgoing.setHeader(k, v);
    return;
  }
  for (const [k, v] of headers) c.res.headers.set(k, v);
}

const CORS_ENTRIES = Object.entries(CORS_HEADERS);

export function createApp(appDeps: AppDeps): Hono<AppEnv> {
  const deps: AppDeps = {
    ...appDeps,
    requestLog: appDeps.requestLog ?? new RequestLogWriter(appDeps.db),
    breakers: appDeps.breakers ?? breakerCacheFor(appDeps),
    wakeWorkers: appDeps.wakeWorkers ?? workerWaker(appDeps.db),
    accept: appDeps.accept ?? acceptBatcher(appDeps.db),
    keyCache: appDeps.keyCache ?? new KeyCache(5_000),
  };
  const app = new Hono<AppEnv>();
  // Unauthenticated requests are limited per client address, so even a 401 carries the headers.
  const anonymousLimiter = new MemoryRateLimiter();

  app.use('*', async (c, next) => {
    const startedMs = performance.now();
    c.set('requestId', `req_${crypto.randomUUID().replaceAll('-', '')}`);
    c.set('auth', undefined);
    c.set('rate', undefined);
    if (c.req.method === 'OPTIONS') {
      return c.json({}, 200, CORS_HEADERS);
    }
    await next();
    let rate = c.get('rate');
    if (!rate) {
      const client = c.req.header('x-forwarded-for')?.split(',')[0]?.trim() ?? 'local';
      rate = await anonymousLimiter.limit(client, 'anonymous', deps.clock().getTime());
    }
    setResponseHeaders(c, CORS_ENTRIES);
    setResponseHeaders(c, [...Object.entries(rateHeaders(rate)), ['X-Request-Id', c.get('requestId')]]);
    // Queued, not written here: the writer batches after the response (see request-log.ts).
    const entry = requestLogEntry(c, startedMs, deps.clock());
    deps.requestLog?.add(entry instanceof Promise ? await entry : entry);
  });

  registerGenerate(app, deps);
  registerContent(app, deps);
  registerAccount(app, deps);
  registerLibrary(app, deps);
  registerHealth(app, deps);
  registerFiles(app, deps);
  registerProviderWebhooks(app, deps);
  registerEstimate(app, deps);
  registerStripe(app, deps);
  registerUsage(app, deps);
  registerOpenApi(app, deps);

  app.notFound((c) => {
    const path = new URL(c.req.url).pathname;
    // A path shape that does allow this method but matched no route (e.g. an id with an encoded
    // slash) is not found, not "method not allowed".
    const allowed = ROUTES.filter((r) => r.pattern.test(path)).map((r) => r.method);
    const err = allowed.length > 0 && !allowed.includes(c.req.method)
      ? new ApiError('method_not_allowed', { message: `${c.req.method} is not allowed here; use ${[...new Set(allowed)].join(', ')}.` })
      : new ApiError('route_not_found', { message: `No endpoint ${c.req.method} ${path}.` });
    const headers: Record<string, string> = allowed.length > 0 ? { Allow: [...new Set(allowed)].join(', ') } : {};
    return c.json(errorBody(c.get('requestId'), err), err.spec.status as 404, headers);
  });

  app.onError((err, c) => {
    let apiError: ApiError;
    if (err instanceof ApiError) apiError = err;
    else if (isConnectError(err)) apiError = new ApiError('service_unavailable');
    else {
      console.error(`[${c.get('requestId')}]`, err);
      apiError = new ApiError('internal_error');
    }
    return c.json(errorBody(c.get('requestId'), apiError), apiError.spec.status as 500, apiError.headers);
  });

  return app;
}
