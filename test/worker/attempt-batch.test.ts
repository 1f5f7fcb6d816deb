// Batched starts and successes (api.attempts_start, api.attempts_succeed and
// src/worker/attempt-batch.ts): each attempt gets the answer it would get alone, a settlement
// reported twice is charged once, and a batch the server refuses is answered one by one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rpc } from '../../src/db/rpc.ts';
import { attemptBatchers } from '../../src/worker/attempt-batch.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

let s: TestStack;
beforeAll(async () => {
  s = await startTestStack({ worker: false, credits: 100 });
});
afterAll(async () => {
  await s.close();
});

/** A new generation's first attempt (queued, not yet started). */
async function queuedAttempt(i: number): Promise<{ generationId: string; attemptId: string }> {
  const r = await s.request('POST', '/v1/generate/image/bfl/flux-schnell', { body: { generation_prompt: `batch ${i}`, generation_provider_order: 'fal' } });
  expect(r.status).toBe(200);
  const generationId = r.json.data.generation_id as string;
  const attemptId = (await s.db.selectFrom('api.attempt_outcomes_v').select('attempt_id').where('generation_id', '=', generationId).executeTakeFirstOrThrow()).attempt_id as string;
  return { generationId, attemptId };
}

const available = async () => (await s.db.selectFrom('api.accounts_v').select('available_microcredits').where('account_id', '=', s.accountId).executeTakeFirstOrThrow()).available_microcredits ?? 0;
const status = async (id: string) => (await s.db.selectFrom('api.generations_v').select(['status', 'cost_charged_microcredits']).where('generation_id', '=', id).executeTakeFirstOrThrow());

describe('api.attempts_start and api.attempts_succeed', () => {
  it('start several attempts in one call, each as api.attempt_start would; an unknown id has no row, a started one is a noop', async () => {
    const a = await queuedAttempt(1);
    const b = await queuedAttempt(2);
    await rpc(s.db, 'attempt_start', { p_attempt_id: b.attemptId, p_lease_owner: 'other', p_lease_ms: 60_000 });
    const unknown = crypto.randomUUID();
    const rows = await rpc(s.db, 'attempts_start', { p_attempt_ids: [unknown, b.attemptId, a.attemptId], p_lease_owner: 'w', p_lease_ms: 60_000 });
    const byId = new Map(rows.map((r) => [r.attempt_id, r]));
    expect(rows).toHaveLength(2);
    expect(byId.get(a.attemptId)).toMatchObject({ outcome: 'started', attempt_state: 'submitted', generation_id: a.generationId, provider: 'fal' });
    expect(byId.get(b.attemptId)).toMatchObject({ outcome: 'noop', attempt_state: 'submitted' });
    expect((await status(a.generationId)).status).toBe('processing');
  });

  it('settles several attempts in one call; the same attempt twice (a webhook and a poll) settles once, then answers duplicate', async () => {
    const a = await queuedAttempt(3);
    const b = await queuedAttempt(4);
    await rpc(s.db, 'attempts_start', { p_attempt_ids: [a.attemptId, b.attemptId], p_lease_owner: 'w', p_lease_ms: 60_000 });
    const before = await available();
    const item = (attemptId: string, cost: number) => ({ attempt_id: attemptId, output_keys: [`${attemptId}/0.png`], cost_microcredits: cost, predict_ms: 5, now: new Date().toISOString() });
    const rows = await rpc(s.db, 'attempts_succeed', { p_items: [item(a.attemptId, 3000), item(b.attemptId, 4000), item(a.attemptId, 3000)] });
    expect(rows.filter((r) => r.attempt_id === a.attemptId).map((r) => r.outcome)).toEqual(['settled', 'duplicate']);
    expect(rows.find((r) => r.attempt_id === b.attemptId)).toMatchObject({ outcome: 'settled', charged_microcredits: 4000 });
    expect(await status(a.generationId)).toMatchObject({ status: 'succeeded', cost_charged_microcredits: 3000 });
    // each hold released what it did not charge, once: the account got back holds minus 7,000
    const holds = await s.db.selectFrom('api.generations_v').select('cost_estimate_microcredits').where('generation_id', 'in', [a.generationId, b.generationId]).execute();
    const held = holds.reduce((sum, h) => sum + (h.cost_estimate_microcredits ?? 0), 0);
    expect(await available()).toBe(before + held - 7000);
  });
});

describe('attemptBatchers', () => {
  it('starts and settles what queues behind a call in flight as one batch', async () => {
    const sent: string[] = [];
    const batch = attemptBatchers(s.db, { onSend: (call, size) => sent.push(`${call} ${size}`) });
    const attempts = await Promise.all([5, 6, 7, 8].map(queuedAttempt));
    const started = await Promise.all(attempts.map((x) => batch.start(x.attemptId, 'w', 60_000, new Date())));
    expect(started.map((r) => r?.outcome)).toEqual(['started', 'started', 'started', 'started']);
    expect(started.map((r) => r?.generation_id)).toEqual(attempts.map((x) => x.generationId));
    const settled = await Promise.all(attempts.map((x) => batch.succeed({ p_attempt_id: x.attemptId, p_output_keys: [], p_cost_microcredits: 1000, p_predict_ms: 1, p_now: new Date() })));
    expect(settled.map((r) => r.outcome)).toEqual(['settled', 'settled', 'settled', 'settled']);
    expect(sent).toEqual(['start 1', 'start 3', 'succeed 1', 'succeed 3']);
  });

  it('a batch the server refuses is sent again one attempt at a time: only the bad one fails', async () => {
    const sent: string[] = [];
    const batch = attemptBatchers(s.db, { onSend: (call, size) => sent.push(`${call} ${size}`) });
    const attempts = await Promise.all([9, 10, 11].map(queuedAttempt));
    await rpc(s.db, 'attempts_start', { p_attempt_ids: attempts.map((x) => x.attemptId), p_lease_owner: 'w', p_lease_ms: 60_000 });
    // an attempt that does not exist has no hold to post: api.attempt_succeed raises, and so does the batch
    const ids = [attempts[0]?.attemptId, attempts[1]?.attemptId, crypto.randomUUID(), attempts[2]?.attemptId] as string[];
    const results = await Promise.allSettled(ids.map((id) => batch.succeed({ p_attempt_id: id, p_output_keys: [], p_cost_microcredits: 1000, p_predict_ms: 1, p_now: new Date() })));
    expect(sent).toEqual(['succeed 1', 'succeed 3']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((results[2] as PromiseRejectedResult).reason).toMatchObject({ code: 'P0002' });
    for (const x of attempts) expect((await status(x.generationId)).status).toBe('succeeded');
  });
});
