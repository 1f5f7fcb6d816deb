import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/kysely.ts';
import { createPool } from '../../src/db/pool.ts';
import { rpc, rpcOne } from '../../src/db/rpc.ts';
import { encodeJob, simulatedSignature } from '../../src/providers/simulated/adapter.ts';
import { LocalDiskStore } from '../../src/storage/local.ts';
import { attemptBatchers } from '../../src/worker/attempt-batch.ts';
import type { WorkerDeps } from '../../src/worker/deps.ts';
import { buildProviders } from '../../src/worker/providers.ts';
import { pollAttempt } from '../../src/worker/tasks/attempt.ts';
import { processProviderWebhook } from '../../src/worker/tasks/provider_webhook.ts';
import { track, untrack } from '../helpers/leaks.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

let s: TestStack;
let storageDir: string;
let deps: WorkerDeps;
let batchedDeps: WorkerDeps;
let workerPool: ReturnType<typeof createPool>;

beforeAll(async () => {
  storageDir = await mkdtemp(join(tmpdir(), 'seaplane-race-'));
  // API only: this test plays the worker's two completion paths itself, at the same instant.
  s = await startTestStack({ worker: false, storageDir, credits: 10 });
  workerPool = track(createPool(s.databaseUrl, { max: 10 }), 'worker pool');
  deps = {
    db: createDb(workerPool), store: new LocalDiskStore(storageDir, s.url), clock: () => new Date(), fetch: globalThis.fetch,
    providers: buildProviders({ real: [], env: {}, simulate: true }), workerId: 'race', leaseMs: 60_000,
    attemptTimeoutMs: { image: 60_000, video: 60_000 }, maxTriesPerProvider: 2,
  };
  batchedDeps = { ...deps, attempts: attemptBatchers(deps.db) };
});
afterAll(async () => {
  untrack(workerPool);
  await workerPool.end();
  await s.close();
  await rm(storageDir, { recursive: true, force: true });
});

/** A generation whose provider has the job running and finished: both a poll and a webhook will say so. */
async function runningGeneration(i: number): Promise<{ id: string; attemptId: string; job: string }> {
  const r = await s.request('POST', '/v1/generate/image/bfl/flux-schnell', { body: { generation_prompt: `race ${i}`, generation_provider_order: 'replicate' } });
  const id = r.json.data.generation_id as string;
  const attemptId = (await s.db.selectFrom('api.attempt_outcomes_v').select('attempt_id').where('generation_id', '=', id).executeTakeFirstOrThrow()).attempt_id;
  await rpc(s.db, 'attempt_start', { p_attempt_id: attemptId, p_lease_owner: 'race', p_lease_ms: 60_000 });
  const job = encodeJob('replicate', attemptId, { readyAtMs: 0, outcome: { kind: 'succeed' } });
  await rpcOne(s.db, 'attempt_record_job', { p_attempt_id: attemptId, p_provider_job_id: job, p_lease_ms: 60_000, p_poll_after_ms: 3_600_000 });
  return { id, attemptId, job };
}

describe('webhook and poll report completion at the same time', () => {
  it('100 times: each generation settles once, is charged once, and keeps its files', async () => {
    const before = (await s.db.selectFrom('api.accounts_v').select('available_microcredits').where('account_id', '=', s.accountId).executeTakeFirstOrThrow()).available_microcredits ?? 0;
    const ids: string[] = [];
    for (let i = 0; i < 100; i++) {
      const g = await runningGeneration(i);
      ids.push(g.id);
      const body = JSON.stringify({ job_id: g.job, status: 'succeeded' });
      const webhook = await fetch(`${s.url}/v1/providers/replicate/webhook`, {
        method: 'POST', body, headers: { 'content-type': 'application/json', 'x-simulated-signature': await simulatedSignature('', body) },
      });
      expect(webhook.status).toBe(200);
      const webhookId = (await webhook.json()).data.webhook_id as string;
      // odd rounds settle through batchers of their own, even rounds through the ones shared per
      // database handle (both reports may share one batch either way)
      const d = i % 2 === 1 ? batchedDeps : deps;
      const [, outcome] = await Promise.all([pollAttempt(d, g.attemptId), processProviderWebhook(d, webhookId)]);
      expect(outcome).toBe('applied: completed');
    }
    const rows = await s.db.selectFrom('api.generations_v').select(['generation_id', 'status', 'cost_charged_microcredits', 'output_keys']).where('generation_id', 'in', ids).execute();
    expect(rows).toHaveLength(100);
    for (const r of rows) {
      expect(r.status).toBe('succeeded');
      expect(r.cost_charged_microcredits).toBe(5_000);
      for (const key of r.output_keys ?? []) await stat(join(storageDir, key)); // throws if the file was lost
    }
    const succeededAttempts = await s.db.selectFrom('api.attempt_outcomes_v').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('generation_id', 'in', ids).where('state', '=', 'succeeded').executeTakeFirstOrThrow();
    expect(Number(succeededAttempts.n)).toBe(100);
    const after = (await s.db.selectFrom('api.accounts_v').select('available_microcredits').where('account_id', '=', s.accountId).executeTakeFirstOrThrow()).available_microcredits ?? 0;
    expect(before - after).toBe(100 * 5_000);
    expect(await s.db.selectFrom('api.ledger_reconciliation_v').selectAll().execute()).toEqual([]);
  });

  it('a webhook with a bad signature changes nothing and records why', async () => {
    const g = await runningGeneration(1000);
    const body = JSON.stringify({ job_id: g.job, status: 'succeeded' });
    const res = await fetch(`${s.url}/v1/providers/replicate/webhook`, { method: 'POST', body, headers: { 'x-simulated-signature': 'forged' } });
    const webhookId = (await res.json()).data.webhook_id as string;
    expect(await processProviderWebhook(deps, webhookId)).toMatch(/^rejected: bad simulated webhook signature/);
    expect((await s.db.selectFrom('api.generations_v').select('status').where('generation_id', '=', g.id).executeTakeFirstOrThrow()).status).toBe('processing');
  });

  it('a webhook for an unknown provider is 404 and stores nothing', async () => {
    const res = await fetch(`${s.url}/v1/providers/acme/webhook`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(404);
  });
});
