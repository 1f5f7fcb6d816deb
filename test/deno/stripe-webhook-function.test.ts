// The Stripe webhook edge function under Deno: Stripe's signature is verified with Web Crypto,
// the event lands in the inbox once, and a completed checkout grants its credits once. Any path
// reaches the webhook route (on Supabase the function is called at /functions/v1/stripe-webhook).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../src/db/kysely.ts';
import { createPool, type Pool } from '../../src/db/pool.ts';
import { freePort } from '../../src/lib/net.ts';
import { createAccount } from '../../src/ops/accounts.ts';
import { cloneTemplate } from '../helpers/db.ts';
import { type DenoServer, startDenoFunction } from './deno.ts';

const SECRET = 'whsec_deno_function_test';
let deno: DenoServer;
let pool: Pool;
let db: Db;
let storageDir: string;

beforeAll(async () => {
  const databaseUrl = await cloneTemplate();
  pool = createPool(databaseUrl, { max: 2 });
  db = createDb(pool);
  storageDir = await mkdtemp(join(tmpdir(), 'seaplane-stripe-fn-'));
  deno = await startDenoFunction('functions/stripe-webhook/index.ts', {
    DATABASE_URL: databaseUrl, PORT: String(await freePort()), STORAGE_DIR: storageDir, STRIPE_SECRET_KEY: 'sk_test_deno', STRIPE_WEBHOOK_SECRET: SECRET,
  }, ['--allow-net', '--allow-env', '--allow-read']);
});
afterAll(async () => {
  await deno?.stop();
  await pool?.end();
  if (storageDir) await rm(storageDir, { recursive: true, force: true });
});

function checkout(eventId: string, accountId: string, secret = SECRET) {
  const created = Math.floor(Date.now() / 1000);
  const payload = JSON.stringify({
    id: eventId, object: 'event', api_version: '2025-10-29.clover', created, livemode: false, pending_webhooks: 1,
    request: { id: null, idempotency_key: null }, type: 'checkout.session.completed',
    data: { object: {
      id: `cs_${eventId}`, object: 'checkout.session', mode: 'payment', payment_status: 'paid', amount_total: 1000, currency: 'usd',
      customer: null, payment_intent: `pi_${eventId}`, client_reference_id: accountId,
      metadata: { seaplane_account_id: accountId, seaplane_pack: 'pack_10', seaplane_microcredits: String(10_000_000) },
    } },
  });
  return { payload, header: Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: created }) };
}

const deliver = async (path: string, e: { payload: string; header: string }) => {
  const res = await fetch(`${deno.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': e.header }, body: e.payload });
  return { status: res.status, json: await res.json() };
};
const available = async (accountId: string) => (await db.selectFrom('api.accounts_v').select('available_microcredits').where('account_id', '=', accountId).executeTakeFirstOrThrow()).available_microcredits;

describe('stripe-webhook edge function under Deno', () => {
  it('a signed checkout.session.completed grants its pack once; a redelivery is a duplicate', async () => {
    const accountId = await createAccount(db, { name: 'stripe', freeMicrocredits: 0 });
    const e = checkout('evt_deno_1', accountId);
    const first = await deliver('/stripe-webhook', e);
    expect(first.status, JSON.stringify(first.json)).toBe(200);
    expect(first.json.data).toMatchObject({ event_id: 'evt_deno_1', outcome: 'applied' });
    expect((await deliver('/', e)).json.data.outcome).toBe('duplicate');
    expect(await available(accountId)).toBe(10_000_000);
  });

  it('a wrong signature is 400 BSE2017 and grants nothing', async () => {
    const accountId = await createAccount(db, { name: 'forged', freeMicrocredits: 0 });
    const forged = checkout('evt_deno_forged', accountId, 'whsec_someone_else');
    const r = await deliver('/stripe-webhook', forged);
    expect(r.status).toBe(400);
    expect(r.json.error).toMatchObject({ code: 'BSE2017', type: 'webhook_signature_invalid' });
    expect(await available(accountId)).toBe(0);
  });
});
