// Stripe into the ledger over HTTP: the checkout endpoint against a local fake of Stripe's API
// (the real `stripe` client), and the webhook endpoint with payloads signed offline by the
// `stripe` package. Each event applies once, in any order; a wrong signature writes nothing.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { type FakeServer, sendJson, startFakeServer } from '../fakes/http-server.ts';
import { track, untrack } from '../helpers/leaks.ts';
import { ledgerApp, signedEvent, stripeClient } from './app.ts';
import { balances, C, expectLedgerSound, T0 } from './helpers.ts';

let t: TestDatabase;
let fake: FakeServer;
let h: Awaited<ReturnType<typeof ledgerApp>>;
const NOW_S = Math.floor(T0.getTime() / 1000);

beforeAll(async () => {
  t = await createTestDatabase();
  fake = track(await startFakeServer((req, res) => {
    if (req.method === 'POST' && req.path === '/v1/checkout/sessions') {
      const id = `cs_test_${fake.requests.length}`;
      return sendJson(res, 200, { id, object: 'checkout.session', url: `https://checkout.stripe.test/c/pay/${id}`, mode: 'payment', payment_status: 'unpaid' });
    }
    sendJson(res, 404, { error: { type: 'invalid_request_error', message: 'no such route' } });
  }), 'fake stripe');
  h = await ledgerApp(t, { clock: () => T0, stripe: stripeClient(fake.url) });
});
afterAll(async () => {
  await expectLedgerSound(t.db);
  untrack(fake);
  await fake.close();
  await t.close();
});

const deliver = (e: { payload: string; header: string }) => h.call('POST', '/v1/stripe/webhook', { body: e.payload, headers: { 'stripe-signature': e.header } });
const inboxCount = async () => (await sql<{ n: number }>`select count(*)::int as n from seaplane.stripe_events`.execute(t.db)).rows[0]?.n;

function checkout(id: string, accountId: string, opts: { session: string; pi: string; credits?: number; total?: number; customer?: string }) {
  const credits = opts.credits ?? 10;
  return signedEvent(id, 'checkout.session.completed', {
    id: opts.session, object: 'checkout.session', mode: 'payment', payment_status: 'paid', amount_total: opts.total ?? credits * 100,
    currency: 'usd', customer: opts.customer ?? null, payment_intent: opts.pi, client_reference_id: accountId,
    metadata: { seaplane_account_id: accountId, seaplane_pack: 'pack_10', seaplane_microcredits: String(credits * C) },
  }, NOW_S);
}
const refund = (id: string, pi: string, refunded: number) =>
  signedEvent(id, 'charge.refunded', { id: `ch_${pi}`, object: 'charge', payment_intent: pi, amount: 1000, amount_refunded: refunded }, NOW_S);
const dispute = (id: string, type: string, pi: string, disputeId: string, status: string) =>
  signedEvent(id, type, { id: disputeId, object: 'dispute', payment_intent: pi, amount: 1000, status }, NOW_S);

describe('Stripe webhook', () => {
  it('a wrong signature, a missing one or a stale one is a 400 and writes nothing', async () => {
    const { accountId } = await h.account(0);
    const e = checkout('evt_badsig', accountId, { session: 'cs_bad', pi: 'pi_bad' });
    const before = await inboxCount();
    const forged = signedEvent('evt_badsig', 'checkout.session.completed', JSON.parse(e.payload).data.object, NOW_S, 'whsec_someone_else');
    for (const headers of [{ 'stripe-signature': forged.header }, {} as Record<string, string>, { 'stripe-signature': signedEvent('evt_badsig', 'x', {}, NOW_S - 3600).header }]) {
      const r = await h.call('POST', '/v1/stripe/webhook', { body: e.payload, headers });
      expect(r.status).toBe(400);
      expect(r.json.error).toMatchObject({ code: 'BSE2017', type: 'webhook_signature_invalid', retryable: false });
    }
    // a valid signature over a different body
    expect((await h.call('POST', '/v1/stripe/webhook', { body: e.payload.replace('"pi_bad"', '"pi_evil"'), headers: { 'stripe-signature': e.header } })).status).toBe(400);
    expect(await inboxCount()).toBe(before);
    expect((await balances(t.db, accountId)).available).toBe(0);
  });

  it('a completed checkout grants its pack once, however many times and however concurrently it is delivered', async () => {
    const { accountId } = await h.account(0);
    const e = checkout('evt_checkout_1', accountId, { session: 'cs_1', pi: 'pi_1' });
    const results = await Promise.all(Array.from({ length: 20 }, () => deliver(e)));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(results.filter((r) => r.json.data.outcome === 'applied')).toHaveLength(1);
    expect(results.filter((r) => r.json.data.outcome === 'duplicate')).toHaveLength(19);
    expect((await balances(t.db, accountId)).available).toBe(10 * C);
    // another event about the same session (async_payment_succeeded) does not grant again
    const again = signedEvent('evt_checkout_1b', 'checkout.session.async_payment_succeeded', JSON.parse(e.payload).data.object, NOW_S);
    expect((await deliver(again)).json.data.outcome).toBe('applied');
    expect((await balances(t.db, accountId)).available).toBe(10 * C);
  });

  it('refunds claw back in proportion, cumulatively, never more than granted, in any order', async () => {
    const { accountId } = await h.account(0);
    // the full refund's event arrives before the partial one, and both before the checkout
    expect((await deliver(refund('evt_ref_full', 'pi_2', 1000))).json.data.outcome).toBe('deferred');
    expect((await deliver(refund('evt_ref_part', 'pi_2', 400))).json.data.outcome).toBe('deferred');
    expect((await deliver(checkout('evt_checkout_2', accountId, { session: 'cs_2', pi: 'pi_2' }))).json.data.outcome).toBe('applied');
    expect(await balances(t.db, accountId)).toEqual({ available: 0, held: 0, owed: 0 });
    const events = await t.db.selectFrom('api.stripe_events_v').select(['event_id', 'status']).where('event_id', 'in', ['evt_ref_full', 'evt_ref_part']).execute();
    expect(events.every((e) => e.status === 'applied')).toBe(true);

    const { accountId: b } = await h.account(0);
    await deliver(checkout('evt_checkout_3', b, { session: 'cs_3', pi: 'pi_3' }));
    await deliver(refund('evt_ref3_a', 'pi_3', 250));
    expect((await balances(t.db, b)).available).toBe(7.5 * C);
    await deliver(refund('evt_ref3_b', 'pi_3', 600));
    expect((await balances(t.db, b)).available).toBe(4 * C);
  });

  it('a dispute claws back once (created, then lost); the shortfall becomes a receivable that refuses new generations with 402 BSE1007 until a top-up pays it', async () => {
    const { accountId, key } = await h.account(0);
    await deliver(checkout('evt_checkout_4', accountId, { session: 'cs_4', pi: 'pi_4' }));
    // spend 6 of the 10 credits
    await sql`select * from api.hold_post((select hold_id from api.hold_place(${accountId}::uuid, ${6 * C}::bigint, ${T0}::timestamptz, null, ${T0}::timestamptz)), ${6 * C}::bigint, ${T0}::timestamptz)`.execute(t.db);
    expect((await deliver(dispute('evt_dp_created', 'charge.dispute.created', 'pi_4', 'dp_4', 'needs_response'))).json.data.outcome).toBe('applied');
    expect((await deliver(dispute('evt_dp_lost', 'charge.dispute.closed', 'pi_4', 'dp_4', 'lost'))).json.data.outcome).toBe('applied');
    expect(await balances(t.db, accountId)).toEqual({ available: 0, held: 0, owed: 6 * C });

    const gen = () => h.call('POST', '/v1/generate/image/bfl/flux-schnell', { key, body: { generation_prompt: 'a seaplane' } });
    const refused = await gen();
    expect(refused.status).toBe(402);
    expect(refused.json.error).toMatchObject({ code: 'BSE1007', type: 'receivable_outstanding', retryable: false });
    expect((await sql<{ n: number }>`select count(*)::int as n from seaplane.generations where account_id = ${accountId}`.execute(t.db)).rows[0]?.n).toBe(0);

    await deliver(checkout('evt_checkout_5', accountId, { session: 'cs_5', pi: 'pi_5', credits: 10 }));
    expect(await balances(t.db, accountId)).toEqual({ available: 4 * C, held: 0, owed: 0 });
    expect((await gen()).status).toBe(200);
  });

  it('a dispute won after it was opened gives the credits back; won before opened never claws back', async () => {
    const { accountId } = await h.account(0);
    await deliver(checkout('evt_checkout_6', accountId, { session: 'cs_6', pi: 'pi_6' }));
    await deliver(dispute('evt_dp6_created', 'charge.dispute.created', 'pi_6', 'dp_6', 'needs_response'));
    expect((await balances(t.db, accountId)).available).toBe(0);
    await deliver(dispute('evt_dp6_won', 'charge.dispute.closed', 'pi_6', 'dp_6', 'won'));
    expect((await balances(t.db, accountId)).available).toBe(10 * C);

    await deliver(checkout('evt_checkout_7', accountId, { session: 'cs_7', pi: 'pi_7' }));
    await deliver(dispute('evt_dp7_won', 'charge.dispute.closed', 'pi_7', 'dp_7', 'won'));
    expect((await deliver(dispute('evt_dp7_created', 'charge.dispute.created', 'pi_7', 'dp_7', 'needs_response'))).json.data.outcome).toBe('ignored');
    expect((await balances(t.db, accountId)).available).toBe(20 * C);
  });

  it('a paid subscription invoice grants the plan monthly credits once; subscription events set billing fields, newest event wins', async () => {
    const { accountId, key } = await h.account(0);
    const sub = (created: number, status: string, cancel: boolean) => ({
      id: 'sub_1', object: 'subscription', customer: 'cus_sub_1', status, currency: 'usd', cancel_at_period_end: cancel,
      metadata: { seaplane_account_id: accountId },
      items: { data: [{ price: { id: 'price_scale_monthly' }, current_period_start: NOW_S, current_period_end: NOW_S + 30 * 86400 }] },
    });
    const invoice = signedEvent('evt_inv_1', 'invoice.paid', {
      id: 'in_1', object: 'invoice', customer: 'cus_sub_1',
      parent: { type: 'subscription_details', subscription_details: { subscription: 'sub_1', metadata: {} } },
      lines: { data: [{ pricing: { price_details: { price: 'price_scale_monthly' } } }] },
    }, NOW_S);
    // the invoice arrives before anything tells us whose customer cus_sub_1 is
    expect((await deliver(invoice)).json.data.outcome).toBe('deferred');
    await deliver(signedEvent('evt_sub_new', 'customer.subscription.updated', sub(NOW_S + 10, 'active', true), NOW_S + 10));
    await deliver(signedEvent('evt_sub_old', 'customer.subscription.created', sub(NOW_S, 'incomplete', false), NOW_S));
    expect((await balances(t.db, accountId)).available).toBe(100 * C);
    expect((await deliver(invoice)).json.data.outcome).toBe('duplicate');
    const billing = await h.call('GET', '/v1/user/billing', { key });
    expect(billing.json.data).toMatchObject({
      billing_plan: 'Scale', billing_subscription_status: 'active', billing_currency: 'usd', billing_cancel_at_period_end: true,
      billing_period_starts_at: T0.toISOString(), billing_credit_balance: 100,
    });
  });

  it('a checkout naming no Seaplane account (foreign metadata) is recorded and ignored, not a server error', async () => {
    const e = signedEvent('evt_foreign', 'checkout.session.completed', {
      id: 'cs_foreign', object: 'checkout.session', mode: 'payment', payment_status: 'paid', amount_total: 1000, currency: 'usd',
      payment_intent: 'pi_foreign', client_reference_id: 'order-1234', metadata: { seaplane_account_id: 'not-a-uuid', seaplane_microcredits: '1000000' },
    }, NOW_S);
    const r = await deliver(e);
    expect(r.status).toBe(200);
    expect(r.json.data).toMatchObject({ outcome: 'ignored' });
  });

  it('unhandled event types are recorded and ignored', async () => {
    const r = await deliver(signedEvent('evt_other', 'customer.created', { id: 'cus_x', object: 'customer' }, NOW_S));
    expect(r.json.data).toMatchObject({ outcome: 'ignored' });
  });
});

describe('Stripe checkout', () => {
  it('creates a Checkout session for a configured pack, carrying the account and credits in its metadata', async () => {
    const { accountId, key } = await h.account(0);
    const r = await h.call('POST', '/v1/billing/checkout', { key, body: { pack: 'pack_50' } });
    expect(r.status).toBe(200);
    expect(r.json.data).toMatchObject({ pack: 'pack_50', credits: 50, amount: 50, currency: 'usd', checkout_url: expect.stringMatching(/^https:\/\/checkout\.stripe\.test\//) });
    const sent = new URLSearchParams(fake.requests.at(-1)?.body);
    expect(sent.get('mode')).toBe('payment');
    expect(sent.get('metadata[seaplane_account_id]')).toBe(accountId);
    expect(sent.get('metadata[seaplane_microcredits]')).toBe(String(50 * C));
    expect(sent.get('line_items[0][price_data][unit_amount]')).toBe('5000');
    expect(fake.requests.at(-1)?.headers.authorization).toBe('Bearer sk_test_seaplane');
  });

  it('an unknown pack is a 404 naming the packs there are', async () => {
    const { key } = await h.account(0);
    const r = await h.call('POST', '/v1/billing/checkout', { key, body: { pack: 'pack_1000000' } });
    expect(r.status).toBe(404);
    expect(r.json.error).toMatchObject({ code: 'BSE2018', details: { packs: ['pack_10', 'pack_50', 'pack_200'] } });
  });
});
