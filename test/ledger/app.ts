// The API app over a test database, called in process (app.request), with a pinned clock and
// optionally Stripe: a real `stripe` client pointed at a local fake of Stripe's API.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Stripe from 'stripe';
import { createApp } from '../../src/api/app.ts';
import { MemoryRateLimiter } from '../../src/api/rate-limit.ts';
import { DEFAULT_PACKS, type StripeConfig } from '../../src/ledger/stripe.ts';
import { createKey } from '../../src/ops/accounts.ts';
import { LocalDiskStore } from '../../src/storage/local.ts';
import type { TestDatabase } from '../helpers/db.ts';
import { newAccount } from './helpers.ts';

export const WEBHOOK_SECRET = 'whsec_test_seaplane_ledger';
export const PLANS = [{ price_id: 'price_scale_monthly', plan: 'Scale', monthly_credits: 100 }];

export function stripeClient(fakeUrl: string): Stripe {
  const u = new URL(fakeUrl);
  return new Stripe('sk_test_seaplane', {
    host: u.hostname, port: Number(u.port), protocol: 'http', maxNetworkRetries: 0,
    httpClient: Stripe.createFetchHttpClient(),
  });
}

export async function ledgerApp(t: TestDatabase, options: { clock: () => Date; stripe?: Stripe }) {
  const stripe: StripeConfig | undefined = options.stripe && {
    client: options.stripe, webhookSecret: WEBHOOK_SECRET, packs: DEFAULT_PACKS, plans: PLANS,
    successUrl: 'https://app.example/paid', cancelUrl: 'https://app.example/canceled',
  };
  const app = createApp({
    db: t.db, region: 'us', apiKeyPrefix: 'bye_', store: new LocalDiskStore(await mkdtemp(join(tmpdir(), 'seaplane-ledger-')), 'http://127.0.0.1'),
    rateLimiter: new MemoryRateLimiter(), providersWithCancel: [], clock: options.clock, maxBodyBytes: 256 * 1024,
    requestLog: { add() {}, flush: async () => {} } as never, stripe,
  });
  return {
    app,
    async account(microcredits: number): Promise<{ accountId: string; key: string }> {
      const accountId = await newAccount(t.db, microcredits);
      return { accountId, key: (await createKey(t.db, { accountId })).api_key };
    },
    async call(method: string, path: string, init: { key?: string; body?: string | object; headers?: Record<string, string> } = {}) {
      const headers: Record<string, string> = { ...init.headers };
      if (init.key) headers.authorization = `Bearer ${init.key}`;
      let body: string | undefined;
      if (init.body !== undefined) {
        body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await app.request(path, { method, headers, body });
      return { status: res.status, json: (await res.json()) as any };
    },
  };
}

/** A Stripe event as Stripe sends it, signed for the test endpoint secret. */
export function signedEvent(id: string, type: string, object: Record<string, unknown>, createdSeconds: number, secret = WEBHOOK_SECRET) {
  const payload = JSON.stringify({
    id, object: 'event', api_version: '2025-10-29.clover', created: createdSeconds, livemode: false,
    pending_webhooks: 1, request: { id: null, idempotency_key: null }, type, data: { object },
  }, null, 2);
  const header = Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: createdSeconds });
  return { payload, header };
}
