// POST /v1/providers/{provider}/webhook: where providers report finished jobs. The raw request
// is stored and processing is queued (the API does not import provider adapters; a worker task
// verifies the signature and settles the attempt). Unknown providers are 404; bodies over 1 MiB
// are 413; anything stored answers 200 so the provider stops retrying.
import type { Hono } from 'hono';
import { PROVIDER_IDS } from '../../catalog/types.ts';
import { rpcOne } from '../../db/rpc.ts';
import type { AppDeps, AppEnv } from '../deps.ts';
import { successBody } from '../envelope.ts';
import { ApiError } from '../errors.ts';
import { applyRateLimit } from '../rate-headers.ts';

const MAX_WEBHOOK_BYTES = 1024 * 1024;

export function registerProviderWebhooks(app: Hono<AppEnv>, deps: AppDeps): void {
  app.post('/v1/providers/:provider/webhook', async (c) => {
    const provider = c.req.param('provider');
    if (!(PROVIDER_IDS as readonly string[]).includes(provider)) throw new ApiError('route_not_found', { message: `No provider ${provider}.` });
    // unauthenticated and stored: bounded per source address before anything is read or written
    await applyRateLimit(c, deps, `ip:${c.req.header('x-forwarded-for')?.split(',')[0]?.trim() ?? 'local'}`, 'webhook');
    const raw = await c.req.arrayBuffer();
    if (raw.byteLength > MAX_WEBHOOK_BYTES) throw new ApiError('payload_too_large');
    const headers: Record<string, string> = {};
    c.req.raw.headers.forEach((v, k) => {
      if (k !== 'authorization' && k !== 'cookie') headers[k] = v;
    });
    const id = await rpcOne(deps.db, 'provider_webhook_receive', {
      p_provider: provider, p_headers: headers, p_body: new TextDecoder().decode(raw), p_now: deps.clock(),
    });
    return c.json(successBody(c.get('requestId'), 'Webhook received', { received: true, webhook_id: id.provider_webhook_receive }, deps.clock()));
  });
}
