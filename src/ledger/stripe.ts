// Stripe, as the ledger sees it: the configuration (credit packs, subscription plans, the
// injected client) and the reduction of a verified event to a fact that api.stripe_event_apply
// applies. Events are read defensively (fields moved between Stripe API versions: an invoice's
// subscription lives under `parent.subscription_details` since 2025, a subscription's period
// under its items), so the reduction does not depend on the account's pinned API version.
import type Stripe from 'stripe';
import { toMicro } from '../catalog/pricing.ts';

/** A credit pack sold through Checkout. Packs are configuration, never hard-coded prices. */
export interface CreditPack {
  id: string;
  name: string;
  credits: number;
  /** What the customer pays, in the currency's minor unit (cents). */
  amount_minor: number;
  currency: string;
}

/** A subscription plan: its Stripe price id and the credits each paid invoice grants. */
export interface PlanGrant {
  price_id: string;
  plan: string;
  monthly_credits: number;
}

export interface StripeConfig {
  client: Stripe;
  /** The endpoint's signing secret (whsec_...). */
  webhookSecret: string;
  packs: readonly CreditPack[];
  plans?: readonly PlanGrant[];
  successUrl: string;
  cancelUrl: string;
}

/** The packs of a default deployment: 1 credit = 1 USD of list price. */
export const DEFAULT_PACKS: readonly CreditPack[] = [
  { id: 'pack_10', name: '10 credits', credits: 10, amount_minor: 1_000, currency: 'usd' },
  { id: 'pack_50', name: '50 credits', credits: 50, amount_minor: 5_000, currency: 'usd' },
  { id: 'pack_200', name: '200 credits', credits: 200, amount_minor: 20_000, currency: 'usd' },
];

export type StripeFact =
  | { action: 'checkout_grant'; account_id: string; microcredits: number; checkout_session: string; payment_intent: string | null; amount_total_minor: number; currency: string; customer: string | null }
  | { action: 'link_customer'; account_id: string; customer: string }
  | { action: 'refund'; payment_intent: string; amount_refunded_minor: number }
  | { action: 'dispute'; payment_intent: string; dispute_id: string; amount_minor: number }
  | { action: 'dispute_won'; payment_intent: string; dispute_id: string }
  | { action: 'plan_grant'; account_id: string | null; customer: string | null; invoice_id: string; microcredits: number; plan: string | null }
  | { action: 'billing'; account_id: string | null; customer: string | null; plan: string | null; status: string | null; currency: string | null; period_start: string | null; period_end: string | null; cancel_at_period_end: boolean | null; event_created: string }
  | { action: 'ignore'; reason: string };

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' ? (v as Obj) : {});
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
/** An expandable Stripe field: an id, or the expanded object with its id. */
const idOf = (v: unknown): string | null => str(v) ?? str(obj(v).id);
const unixIso = (v: unknown): string | null => (typeof v === 'number' ? new Date(v * 1000).toISOString() : null);

const ACCOUNT_KEY = 'seaplane_account_id';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** An account id from Stripe metadata: ours are UUIDs; anything else names no account. */
const accountIdOf = (v: unknown): string | null => { const s = str(v); return s && UUID.test(s) ? s : null; };

function checkoutFact(session: Obj): StripeFact {
  const meta = obj(session.metadata);
  const accountId = accountIdOf(meta[ACCOUNT_KEY]) ?? accountIdOf(session.client_reference_id);
  if (!accountId) return { action: 'ignore', reason: 'checkout session without a Seaplane account' };
  const customer = idOf(session.customer);
  if (session.mode === 'subscription') {
    return customer ? { action: 'link_customer', account_id: accountId, customer } : { action: 'ignore', reason: 'subscription checkout without a customer' };
  }
  if (session.payment_status !== 'paid') return { action: 'ignore', reason: `checkout payment_status ${String(session.payment_status)}` };
  const microcredits = Number(meta.seaplane_microcredits);
  if (!Number.isSafeInteger(microcredits) || microcredits <= 0) return { action: 'ignore', reason: 'checkout session without a credit amount' };
  return {
    action: 'checkout_grant', account_id: accountId, microcredits, checkout_session: String(session.id),
    payment_intent: idOf(session.payment_intent), amount_total_minor: num(session.amount_total),
    currency: str(session.currency) ?? 'usd', customer,
  };
}

function invoiceFact(invoice: Obj, plans: readonly PlanGrant[]): StripeFact {
  const details = obj(obj(invoice.parent).subscription_details);
  const subscription = idOf(details.subscription) ?? idOf(invoice.subscription);
  if (!subscription) return { action: 'ignore', reason: 'invoice without a subscription' };
  const lines = (obj(invoice.lines).data ?? []) as unknown[];
  let grant: PlanGrant | undefined;
  for (const line of lines) {
    const l = obj(line);
    const price = str(obj(obj(l.pricing).price_details).price) ?? idOf(l.price);
    grant = plans.find((p) => p.price_id === price);
    if (grant) break;
  }
  if (!grant) return { action: 'ignore', reason: 'invoice for no configured plan' };
  return {
    action: 'plan_grant', account_id: accountIdOf(obj(details.metadata)[ACCOUNT_KEY]), customer: idOf(invoice.customer),
    invoice_id: String(invoice.id), microcredits: toMicro(grant.monthly_credits), plan: grant.plan,
  };
}

function subscriptionFact(sub: Obj, created: number, plans: readonly PlanGrant[], deleted: boolean): StripeFact {
  const item = obj(((obj(sub.items).data ?? []) as unknown[])[0]);
  const priceId = idOf(item.price);
  const plan = plans.find((p) => p.price_id === priceId)?.plan ?? str(obj(item.price).nickname) ?? priceId;
  return {
    action: 'billing', account_id: accountIdOf(obj(sub.metadata)[ACCOUNT_KEY]), customer: idOf(sub.customer),
    plan: deleted ? null : plan, status: str(sub.status), currency: str(sub.currency),
    period_start: unixIso(item.current_period_start ?? sub.current_period_start),
    period_end: unixIso(item.current_period_end ?? sub.current_period_end),
    cancel_at_period_end: typeof sub.cancel_at_period_end === 'boolean' ? sub.cancel_at_period_end : null,
    event_created: new Date(created * 1000).toISOString(),
  };
}

/** What a verified event means to the ledger. */
export function stripeFact(event: Stripe.Event, plans: readonly PlanGrant[] = []): StripeFact {
  const o = obj(event.data.object);
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded':
      return checkoutFact(o);
    case 'charge.refunded': {
      const pi = idOf(o.payment_intent);
      return pi ? { action: 'refund', payment_intent: pi, amount_refunded_minor: num(o.amount_refunded) } : { action: 'ignore', reason: 'charge without a payment intent' };
    }
    case 'charge.dispute.created':
    case 'charge.dispute.closed': {
      const pi = idOf(o.payment_intent);
      if (!pi) return { action: 'ignore', reason: 'dispute without a payment intent' };
      if (event.type === 'charge.dispute.created' || o.status === 'lost') {
        return { action: 'dispute', payment_intent: pi, dispute_id: String(o.id), amount_minor: num(o.amount) };
      }
      if (o.status === 'won') return { action: 'dispute_won', payment_intent: pi, dispute_id: String(o.id) };
      return { action: 'ignore', reason: `dispute closed as ${String(o.status)}` };
    }
    case 'invoice.paid':
      return invoiceFact(o, plans);
    case 'customer.subscription.created':
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted':
      return subscriptionFact(o, event.created, plans, event.type === 'customer.subscription.deleted');
    default:
      return { action: 'ignore', reason: `event type ${event.type} is not handled` };
  }
}

/** The metadata a checkout session carries so its completion grants the right account. */
export function checkoutMetadata(accountId: string, pack: CreditPack): Record<string, string> {
  return { [ACCOUNT_KEY]: accountId, seaplane_pack: pack.id, seaplane_microcredits: String(toMicro(pack.credits)) };
}

/**
 * Stripe configuration from the environment (the edge functions and `npm start`):
 * STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET (both, or Stripe is off), optional
 * STRIPE_CREDIT_PACKS and STRIPE_PLANS (JSON arrays of CreditPack / PlanGrant),
 * STRIPE_SUCCESS_URL and STRIPE_CANCEL_URL. The client uses fetch, so it runs under Deno.
 */
export function stripeConfigFromEnv(env: Record<string, string | undefined>, StripeCtor: typeof Stripe): StripeConfig | undefined {
  const key = env.STRIPE_SECRET_KEY;
  const webhookSecret = env.STRIPE_WEBHOOK_SECRET;
  if (!key || !webhookSecret) return undefined;
  const publicUrl = (env.PUBLIC_URL ?? 'http://127.0.0.1:8787').replace(/\/+$/, '');
  return {
    client: new StripeCtor(key, { httpClient: StripeCtor.createFetchHttpClient() }),
    webhookSecret,
    packs: env.STRIPE_CREDIT_PACKS ? (JSON.parse(env.STRIPE_CREDIT_PACKS) as CreditPack[]) : DEFAULT_PACKS,
    plans: env.STRIPE_PLANS ? (JSON.parse(env.STRIPE_PLANS) as PlanGrant[]) : [],
    successUrl: env.STRIPE_SUCCESS_URL ?? `${publicUrl}/billing/success`,
    cancelUrl: env.STRIPE_CANCEL_URL ?? `${publicUrl}/billing/canceled`,
  };
}
