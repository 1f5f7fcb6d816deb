// Stripe: POST /v1/billing/checkout creates a Checkout session for a credit pack (packs are
// configuration); POST /v1/stripe/webhook verifies Stripe's signature over the raw body, reduces
// the event to a ledger fact and applies it once through api.stripe_event_apply (the inbox is
// keyed by the event id). Signature checks use Web Crypto (createSubtleCryptoProvider), so the
// same code runs under Deno. A wrong signature is a 400 and writes nothing.
import type { Hono } from 'hono';
import Stripe from 'stripe';
import { rpcOne } from '../../db/rpc.ts';
import { checkoutMetadata, type StripeConfig, stripeFact } from '../../ledger/stripe.ts';
import { requireScope } from '../auth.ts';
import { readJsonObject } from '../body.ts';
import type { AppDeps, AppEnv, AuthContext } from '../deps.ts';
import { successBody } from '../envelope.ts';
import { ApiError } from '../errors.ts';
import { applyRateLimit } from '../rate-headers.ts';

const cryptoProvider = Stripe.createSubtleCryptoProvider();

export function registerStripe(app: Hono<AppEnv>, deps: AppDeps): void {
  const stripe = deps.stripe;
  if (!stripe) return;

  app.post('/v1/billing/checkout', requireScope(deps, 'account:read', 'write'), async (c) => {
    const auth = c.get('auth') as AuthContext;
    const body = await readJsonObject(c, deps.maxBodyBytes);
    const pack = stripe.packs.find((p) => p.id === body.pack);
    if (!pack) {
      throw new ApiError('credit_pack_not_found', { message: `No credit pack ${JSON.stringify(body.pack)}.`, details: { packs: stripe.packs.map((p) => p.id) } });
    }
    const metadata = checkoutMetadata(auth.accountId, pack);
    const session = await stripe.client.checkout.sessions.create({
      mode: 'payment',
      client_reference_id: auth.accountId,
      line_items: [{ quantity: 1, price_data: { currency: pack.currency, unit_amount: pack.amount_minor, product_data: { name: pack.name } } }],
      metadata,
      payment_intent_data: { metadata },
      success_url: stripe.successUrl,
      cancel_url: stripe.cancelUrl,
    });
    return c.json(successBody(c.get('requestId'), 'Checkout session created', {
      checkout_session_id: session.id, checkout_url: session.url, pack: pack.id, credits: pack.credits,
      amount: pack.amount_minor / 100, currency: pack.currency,
    }, deps.clock()));
  });

  app.post('/v1/stripe/webhook', async (c) => {
    // unauthenticated (the signature is checked inside): bounded per source address first
    await applyRateLimit(c, deps, `ip:${c.req.header('x-forwarded-for')?.split(',')[0]?.trim() ?? 'local'}`, 'webhook');
    const r = await handleWebhook(c.req.raw, c.get('requestId'), deps, stripe);
    return c.json(r.body, r.status as 200);
  });
}

/** Verifies and applies one delivery. Exported for the standalone edge entry point. */
export async function handleWebhook(req: Request, requestId: string, deps: AppDeps, stripe: StripeConfig): Promise<{ status: number; body: unknown }> {
  const raw = await req.text();
  let event: Stripe.Event;
  try {
    event = await stripe.client.webhooks.constructEventAsync(
      raw, req.headers.get('stripe-signature') ?? '', stripe.webhookSecret, 300, cryptoProvider,
      deps.clock().getTime(),
    );
  } catch {
    throw new ApiError('webhook_signature_invalid');
  }
  const fact = stripeFact(event, stripe.plans);
  const r = await rpcOne(deps.db, 'stripe_event_apply', {
    p_event_id: event.id, p_event_type: event.type, p_payload: event, p_fact: fact, p_now: deps.clock(),
  });
  return { status: 200, body: successBody(requestId, 'Event received', { event_id: event.id, outcome: r.outcome, status: r.status }, deps.clock()) };
}
