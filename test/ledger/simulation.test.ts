// A seeded randomized simulation of the ledger against the real SQL functions. A small model in
// TypeScript predicts the result of every step (holds, posts, voids, expiries, grants,
// clawbacks that outrun the balance into receivables, Stripe checkouts, refunds and disputes
// delivered late, twice and out of order, duplicate calls, and "crashes": a step run inside a
// transaction that is rolled back). After every
// step: the journal balances (api.ledger_reconciliation_v is empty), cached balances equal the
// journal and the model, no available balance is negative, and every hold is resolved at most
// once (its transfers net to what its state says). On failure the seed and step are printed;
// rerun with LEDGER_SIM_SEED=<seed>[,<seed>...] [LEDGER_SIM_STEPS=<n>].
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/kysely.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { C, newAccount, rpc, rpcOne, T0 } from './helpers.ts';

const SEEDS = process.env.LEDGER_SIM_SEED ? process.env.LEDGER_SIM_SEED.split(',').map(Number) : [1, 2, 3, 4];
const STEPS = Number(process.env.LEDGER_SIM_STEPS ?? 1000);


function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

interface MAccount { id: string; available: number; held: number; owed: number }
interface MHold { id: string; account: MAccount; amount: number; state: 'pending' | 'posted' | 'voided' | 'expired'; posted: number | null; expiresMs: number }
interface MPayment {
  pi: string; account: MAccount; granted: number; total: number; refunded: number; refundClawed: number; known: boolean;
  disputeClawed: number; dispute: { clawed: number; wonApplied: boolean };
}
interface StripeMsg { id: string; type: string; fact: Record<string, unknown>; payment: MPayment }

class Rollback extends Error {}

class Model {
  accounts: MAccount[] = [];
  holds: MHold[] = [];
  references = new Set<string>();
  clawbackReferences = new Set<string>();
  payments: MPayment[] = [];
  seenEvents = new Set<string>();
  deferred: StripeMsg[] = [];

  grant(a: MAccount, amount: number, ref: string): string {
    if (this.references.has(ref)) return 'duplicate';
    this.references.add(ref);
    a.available += amount;
    const settle = Math.min(a.available, a.owed);
    a.available -= settle;
    a.owed -= settle;
    return 'granted';
  }

  clawback(a: MAccount, amount: number): void {
    const fromAvailable = Math.min(a.available, amount);
    a.available -= fromAvailable;
    a.owed += amount - fromAvailable;
  }

  /** What api.stripe_event_apply does with one fact; returns its status. */
  applyStripe(m: StripeMsg): string {
    const p = m.payment;
    if (m.fact.action === 'checkout_grant') {
      if (p.known) return 'applied';
      p.known = true;
      this.grant(p.account, p.granted, `checkout:${m.fact.checkout_session as string}`);
      return 'applied';
    }
    if (!p.known) return 'deferred';
    if (m.fact.action === 'dispute') {
      if (p.dispute.wonApplied) return 'ignored';
      const delta = Math.min(Math.floor((p.granted * Math.min(m.fact.amount_minor as number, p.total)) / p.total), p.granted - p.refundClawed - p.disputeClawed);
      if (delta > 0 && p.dispute.clawed === 0) {
        this.clawback(p.account, delta);
        p.dispute.clawed = delta;
        p.disputeClawed += delta;
      }
      return 'applied';
    }
    if (m.fact.action === 'dispute_won') {
      const x = p.dispute.clawed;
      if (x > 0 && this.grant(p.account, x, `dispute_won:${m.fact.dispute_id as string}`) === 'granted') p.disputeClawed -= x;
      p.dispute.wonApplied = true;
      return 'applied';
    }
    const refunded = Math.min(Math.max(p.refunded, m.fact.amount_refunded_minor as number), p.total);
    p.refunded = refunded;
    const target = Math.floor((p.granted * refunded) / p.total);
    const delta = Math.min(target - p.refundClawed, p.granted - p.refundClawed - p.disputeClawed);
    if (delta > 0) {
      this.clawback(p.account, delta);
      p.refundClawed += delta;
    }
    return 'applied';
  }

  deliver(m: StripeMsg): string {
    if (this.seenEvents.has(m.id)) return 'duplicate';
    this.seenEvents.add(m.id);
    const status = this.applyStripe(m);
    if (status === 'deferred') this.deferred.push(m);
    if (status === 'applied') {
      const waiting = this.deferred.filter((d) => d.payment === m.payment);
      this.deferred = this.deferred.filter((d) => d.payment !== m.payment);
      for (const d of waiting) this.applyStripe(d);
    }
    return status;
  }
}

async function simulate(db: Db, seed: number, steps: number): Promise<Record<string, number>> {
  const rnd = mulberry32(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const model = new Model();
  for (let i = 0; i < 4; i++) {
    const start = int(0, 20) * C;
    model.accounts.push({ id: await newAccount(db, start), available: start, held: 0, owed: 0 });
  }
  let nowMs = T0.getTime();
  const stripeQueue: StripeMsg[] = [];
  const counts: Record<string, number> = {};
  let n = 0;

  // one step: returns a description, and throws on a wrong prediction
  const step = async (kind: string, crash: boolean): Promise<void> => {
    if (kind === 'place' && model.accounts.some((x) => x.owed > 0)) counts.place_while_owed = (counts.place_while_owed ?? 0) + 1;
    const run = async <R>(fn: (d: Db) => Promise<R>): Promise<R | undefined> => {
      if (!crash) return fn(db);
      await db.transaction().execute(async (trx) => {
        await fn(trx);
        throw new Rollback();
      }).catch((e: unknown) => { if (!(e instanceof Rollback)) throw e; });
      return undefined;
    };
    const now = new Date(nowMs);
    if (kind === 'place') {
      const a = pick(model.accounts);
      const amount = int(1, 10) * C + int(0, 999_999);
      const expiresMs = nowMs + int(1, 120) * 1000;
      const r = await run((d) => rpcOne(d, 'hold_place', { p_account_id: a.id, p_amount_microcredits: amount, p_expires_at: new Date(expiresMs), p_now: now }));
      if (crash) return;
      const expected = a.owed > 0 ? 'receivable_outstanding' : a.available < amount ? 'insufficient_credits' : 'placed';
      expect(r?.outcome, 'hold_place outcome').toBe(expected);
      if (expected === 'placed') {
        a.available -= amount;
        a.held += amount;
        model.holds.push({ id: r?.hold_id as string, account: a, amount, state: 'pending', posted: null, expiresMs });
      }
    } else if (kind === 'post' || kind === 'void') {
      if (model.holds.length === 0) return;
      // mostly pending holds; sometimes a resolved one (a late or duplicate call)
      const pending = model.holds.filter((h) => h.state === 'pending');
      const h = pending.length > 0 && rnd() < 0.8 ? pick(pending) : pick(model.holds);
      const charge = int(0, Math.floor(h.amount * 1.3));
      const r = kind === 'post'
        ? await run((d) => rpcOne(d, 'hold_post', { p_hold_id: h.id, p_amount_microcredits: charge, p_now: now }))
        : await run((d) => rpcOne(d, 'hold_void', { p_hold_id: h.id, p_now: now }));
      if (crash) return;
      if (h.state !== 'pending') {
        expect(r, `${kind} on a resolved hold`).toMatchObject({ outcome: 'noop', state: h.state, posted_microcredits: h.posted });
        return;
      }
      const posted = kind === 'post' ? Math.min(charge, h.amount) : null;
      expect(r, `${kind} on a pending hold`).toMatchObject({ outcome: 'resolved', state: kind === 'post' ? 'posted' : 'voided', posted_microcredits: posted });
      h.state = kind === 'post' ? 'posted' : 'voided';
      h.posted = posted;
      h.account.held -= h.amount;
      h.account.available += h.amount - (posted ?? 0);
    } else if (kind === 'expire') {
      nowMs += int(0, 60) * 1000;
      const at = new Date(nowMs);
      const rows = await run((d) => rpc(d, 'holds_expire', { p_now: at, p_limit: 10_000 }));
      if (crash) return;
      const due = model.holds.filter((h) => h.state === 'pending' && h.expiresMs <= nowMs);
      expect([...(rows ?? [])].filter((x) => x.outcome === 'expired').map((x) => x.hold_id).sort(), `expired holds at ${at.toISOString()}`)
        .toEqual(due.map((h) => h.id).sort());
      for (const h of due) {
        h.state = 'expired';
        h.account.held -= h.amount;
        h.account.available += h.amount;
      }
    } else if (kind === 'grant') {
      const a = pick(model.accounts);
      const amount = int(1, 3) * C;
      // sometimes reuse a reference: a retried grant must not apply twice
      const ref = rnd() < 0.2 && model.references.size > 0 ? pick([...model.references]) : `sim:${seed}:${n}`;
      const r = await run((d) => rpcOne(d, 'credits_grant', { p_account_id: a.id, p_amount_microcredits: amount, p_source: 'promotions', p_reference: ref, p_now: now }));
      if (crash) return;
      expect(r?.outcome, 'grant outcome').toBe(model.grant(a, amount, ref));
      expect(r?.available_microcredits, 'available after grant').toBe(a.available);
    } else if (kind === 'clawback') {
      // a direct clawback (what refunds and disputes do), often larger than what is available
      const a = pick(model.accounts);
      const amount = int(1, 30) * C;
      const ref = rnd() < 0.2 && model.clawbackReferences.size > 0 ? pick([...model.clawbackReferences]) : `simclaw:${seed}:${n}`;
      const r = await run((d) => rpcOne(d, 'credits_clawback', { p_account_id: a.id, p_amount_microcredits: amount, p_reference: ref, p_now: now }));
      if (crash) return;
      if (model.clawbackReferences.has(ref)) {
        expect(r?.outcome, 'duplicate clawback').toBe('duplicate');
        return;
      }
      model.clawbackReferences.add(ref);
      const owedBefore = a.owed;
      model.clawback(a, amount);
      expect(r, 'clawback').toMatchObject({ outcome: a.owed > owedBefore ? 'receivable' : 'clawed_back', owed_microcredits: a.owed, available_microcredits: a.available });
      if (a.owed > 0) counts.owed = (counts.owed ?? 0) + 1;
    } else if (kind === 'checkout') {
      // a purchase: its checkout completion and then either 0-2 cumulative refunds or a dispute
      // (opened, then perhaps lost or won) join the Stripe queue
      const a = pick(model.accounts);
      const total = int(5, 50) * 100;
      const p: MPayment = { pi: `pi_${seed}_${n}`, account: a, granted: total * 10_000, total, refunded: 0, refundClawed: 0, known: false,
        disputeClawed: 0, dispute: { clawed: 0, wonApplied: false } };
      model.payments.push(p);
      stripeQueue.push({ id: `evt_${seed}_${n}_c`, type: 'checkout.session.completed', payment: p,
        fact: { action: 'checkout_grant', account_id: a.id, microcredits: p.granted, checkout_session: `cs_${seed}_${n}`, payment_intent: p.pi, amount_total_minor: total, currency: 'usd', customer: null } });
      if (rnd() < 0.3) {
        const dp = `dp_${seed}_${n}`;
        const amount = rnd() < 0.5 ? total : int(1, total);
        stripeQueue.push({ id: `evt_${seed}_${n}_d`, type: 'charge.dispute.created', payment: p, fact: { action: 'dispute', payment_intent: p.pi, dispute_id: dp, amount_minor: amount } });
        const end = rnd();
        if (end < 0.4) stripeQueue.push({ id: `evt_${seed}_${n}_dl`, type: 'charge.dispute.closed', payment: p, fact: { action: 'dispute', payment_intent: p.pi, dispute_id: dp, amount_minor: amount } });
        else if (end < 0.8) stripeQueue.push({ id: `evt_${seed}_${n}_dw`, type: 'charge.dispute.closed', payment: p, fact: { action: 'dispute_won', payment_intent: p.pi, dispute_id: dp } });
        return;
      }
      let refunded = 0;
      for (let k = int(0, 2); k > 0; k--) {
        refunded = Math.min(total, refunded + int(1, total));
        stripeQueue.push({ id: `evt_${seed}_${n}_r${k}`, type: 'charge.refunded', payment: p, fact: { action: 'refund', payment_intent: p.pi, amount_refunded_minor: refunded } });
      }
    } else if (kind === 'stripe') {
      if (stripeQueue.length === 0) return;
      // any queued event, in any order; a delivered one stays queued sometimes (redelivery)
      const i = Math.floor(rnd() * stripeQueue.length);
      const m = stripeQueue[i] as StripeMsg;
      if (rnd() < 0.7) stripeQueue.splice(i, 1);
      const r = await run((d) => rpcOne(d, 'stripe_event_apply', { p_event_id: m.id, p_event_type: m.type, p_payload: { id: m.id }, p_fact: m.fact, p_now: now }));
      if (crash) return;
      const expected = model.deliver(m);
      expect(r?.outcome, `stripe ${m.type}`).toBe(expected);
      counts[`stripe_${expected}`] = (counts[`stripe_${expected}`] ?? 0) + 1;
      if (model.accounts.some((x) => x.owed > 0)) counts.owed = (counts.owed ?? 0) + 1;
    }
  };

  // spending outpaces grants, so refunds and disputes often find the credits gone (receivables)
  const kinds = ['place', 'place', 'place', 'place', 'post', 'post', 'post', 'void', 'expire', 'grant', 'grant', 'clawback', 'checkout', 'stripe', 'stripe', 'stripe'];
  const ids = model.accounts.map((a) => a.id);
  for (n = 0; n < steps; n++) {
    const kind = pick(kinds);
    const crash = rnd() < 0.05;
    try {
      await step(kind, crash);
      counts[crash ? 'crash' : kind] = (counts[crash ? 'crash' : kind] ?? 0) + 1;
      await checkInvariants(db, model, ids);
    } catch (err) {
      console.error(`ledger simulation failed: seed ${seed}, step ${n} (${kind}${crash ? ', crashed' : ''}); rerun with LEDGER_SIM_SEED=${seed} LEDGER_SIM_STEPS=${n + 1}`);
      throw err;
    }
  }
  return counts;
}

async function checkInvariants(db: Db, model: Model, ids: string[]): Promise<void> {
  const r = await sql<{ recon: number; holds_unsound: number; negative: number; balances: { account_id: string; available: number; held: number; owed: number }[]; hold_states: Record<string, string> | null }>`
    select
      (select count(*)::int from api.ledger_reconciliation_v) as recon,
      (select count(*)::int from seaplane.holds h
         left join (select t.hold_id, sum(case when t.kind = 'hold' then t.amount_microcredits else -t.amount_microcredits end) as net
                    from seaplane.ledger_transfers t where t.hold_id is not null group by t.hold_id) j on j.hold_id = h.id
       where h.account_id = any(${ids}::uuid[])
         and coalesce(j.net, 0) <> case when h.state = 'pending' then h.amount_microcredits else 0 end) as holds_unsound,
      (select count(*)::int from seaplane.ledger_accounts la where la.account_id = any(${ids}::uuid[])
         and (la.balance < 0 and la.kind <> 'customer_receivable')) as negative,
      (select json_agg(json_build_object('account_id', o.account_id, 'available', o.available_microcredits,
         'held', o.held_microcredits, 'owed', o.owed_microcredits)) from api.ledger_accounts_overview_v o
       where o.account_id = any(${ids}::uuid[])) as balances,
      (select json_object_agg(h.id, h.state) from seaplane.holds h where h.account_id = any(${ids}::uuid[])) as hold_states`.execute(db);
  const row = r.rows[0];
  expect(row?.recon, 'reconciliation rows').toBe(0);
  expect(row?.holds_unsound, 'holds whose transfers disagree with their state').toBe(0);
  expect(row?.negative, 'negative customer balances').toBe(0);
  const byId = new Map((row?.balances ?? []).map((b) => [b.account_id, b]));
  for (const a of model.accounts) {
    expect(byId.get(a.id), `balances of ${a.id}`).toEqual({ account_id: a.id, available: a.available, held: a.held, owed: a.owed });
  }
  const states = row?.hold_states ?? {};
  expect(Object.keys(states).length, 'hold count').toBe(model.holds.length);
  for (const h of model.holds) expect(states[h.id], `hold ${h.id}`).toBe(h.state);
}

describe('seeded ledger simulation', () => {
  it.each(SEEDS)(`seed %i: ${STEPS} random steps keep the journal balanced, balances equal to the journal and the model, nothing negative, every hold resolved at most once`, async (seed) => {
    // a database per seed: a seed's run does not depend on the others
    const t = await createTestDatabase();
    let counts: Record<string, number>;
    try {
      counts = await simulate(t.db, seed, STEPS);
    } finally {
      await t.close();
    }
    // the run exercised every kind of step
    for (const k of ['place', 'post', 'void', 'expire', 'grant', 'clawback', 'checkout', 'stripe', 'crash', 'stripe_deferred', 'stripe_duplicate', 'owed', 'place_while_owed']) {
      expect(counts[k] ?? 0, k).toBeGreaterThan(0);
    }
  }, 120_000);
});
