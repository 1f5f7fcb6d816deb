import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rpc, rpcOne } from '../../src/db/rpc.ts';
import { encodeJob } from '../../src/providers/simulated/adapter.ts';
import { startStack, type Stack, type StackOptions } from '../../src/stack.ts';
import { track, untrack } from '../helpers/leaks.ts';
import { scriptedProviders } from '../helpers/script.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

function latch(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => {
    open = r;
  });
  return { promise, open };
}

async function balance(s: TestStack): Promise<number> {
  return (await s.db.selectFrom('api.accounts_v').select('available_microcredits').where('account_id', '=', s.accountId).executeTakeFirstOrThrow()).available_microcredits ?? 0;
}

/** A second worker process's view of the same database (another "machine" after a crash). */
async function secondStack(databaseUrl: string, options: Partial<StackOptions>): Promise<Stack & { dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'seaplane-files-'));
  const stack = track(await startStack({ databaseUrl, port: 0, storageDir: dir, worker: { concurrency: 2, reaperIntervalMs: false }, ...options }), 'second stack');
  return { ...stack, dir, close: async () => { untrack(stack); await stack.close(); await rm(dir, { recursive: true, force: true }); } };
}

async function waitForJobs(stack: Stack, predicate: () => Promise<boolean>): Promise<void> {
  const events = stack.worker?.events;
  if (!events) throw new Error('no worker');
  await new Promise<void>((resolve, reject) => {
    const check = () => void predicate().then((ok) => { if (ok) { events.off('job:complete', check); resolve(); } }, reject);
    events.on('job:complete', check);
    check();
  });
}

const create = async (s: TestStack, prompt: string) => {
  const r = await s.request('POST', '/v1/generate/image/bfl/flux-schnell', { body: { generation_prompt: prompt, generation_provider_order: 'replicate, fal' } });
  expect(r.status).toBe(200);
  return r.json.data.generation_id as string;
};

const statusOf = async (stack: Stack, id: string) => (await stack.db.selectFrom('api.generations_v').select(['status', 'error_code']).where('generation_id', '=', id).executeTakeFirstOrThrow());

describe('deadlines, leases and cancel', () => {
  it('a generation past its deadline fails with BSE3004 and its hold is released, even while its provider hangs', async () => {
    let nowMs = Date.now();
    const script = scriptedProviders();
    const reached = latch();
    script.set('hangs', { replicate: [async () => { reached.open(); return { kind: 'hang' }; }] });
    const s = await startTestStack({ clock: () => new Date(nowMs), simulation: script.simulation, worker: { concurrency: 2, reaperIntervalMs: false } });
    try {
      const before = await balance(s);
      const id = await create(s, 'hangs');
      await reached.promise;
      expect((await s.worker?.reaper.tick())?.expired).toBe(0);
      nowMs += 601_000;
      expect((await s.worker?.reaper.tick())?.expired).toBe(1);
      expect(await statusOf(s, id)).toEqual({ status: 'failed', error_code: 'BSE3004' });
      expect(await balance(s)).toBe(before);
    } finally {
      await s.close();
    }
  });

  it('a worker that dies between lease and provider answer leaves an attempt another worker re-runs once its lease expires; charged once', async () => {
    const script = scriptedProviders();
    const reached = latch();
    script.set('crash', { replicate: [async () => { reached.open(); return { kind: 'hang' }; }] });
    const s = await startTestStack({ simulation: script.simulation, worker: { concurrency: 2, reaperIntervalMs: false } });
    const before = await balance(s);
    const id = await create(s, 'crash');
    await reached.promise;
    await s.worker?.stop(); // the worker goes away with the attempt leased
    const later = await secondStack(s.databaseUrl, { clock: () => new Date(Date.now() + 61_000), simulation: script.simulation });
    try {
      expect((await later.worker?.reaper.tick())?.rerun).toBe(1);
      await waitForJobs(later, async () => (await statusOf(later, id)).status === 'succeeded');
      const attempts = await later.db.selectFrom('api.attempt_outcomes_v').select(['provider', 'state', 'error_class']).where('generation_id', '=', id).orderBy('submitted_at').execute();
      expect(attempts.map((a) => `${a.provider}:${a.state}:${a.error_class ?? ''}`)).toEqual(['replicate:failed:lease_expired', 'replicate:succeeded:']);
      expect(before - (await balance(s))).toBe(5_000);
    } finally {
      await later.close();
      await s.close();
    }
  });

  it('attempt_start, a retry and a failover commit without waiting for the WAL flush (lost in a crash, they are only rerun); attempt_succeed and a failed generation wait', async () => {
    const s = await startTestStack({ worker: false });
    try {
      const id = await create(s, 'durability');
      const [attempt] = await s.db.selectFrom('api.attempt_outcomes_v').select('attempt_id').where('generation_id', '=', id).execute();
      const attemptId = attempt?.attempt_id as string;
      const c = await s.pool.connect();
      try {
        const commitModeAfter = async (call: string) => {
          await c.query('begin');
          await c.query('set local synchronous_commit = on'); // as production runs (test clusters run with it off)
          await c.query(call, [attemptId]);
          const mode = (await c.query('show synchronous_commit')).rows[0]?.synchronous_commit;
          await c.query('rollback'); // what a crash before the flush leaves behind
          return mode;
        };
        expect(await commitModeAfter(`select * from api.attempt_start($1, 'w', 60000)`)).toBe('off');
        const after = await s.db.selectFrom('api.attempt_outcomes_v').select('state').where('attempt_id', '=', attemptId).executeTakeFirstOrThrow();
        expect(after.state).toBe('queued'); // still due: the dispatcher or the reaper runs it again
        await rpc(s.db, 'attempt_start', { p_attempt_id: attemptId, p_lease_owner: 'w', p_lease_ms: 60_000 });
        expect(await commitModeAfter(`select * from api.attempt_succeed($1, '{}', 0, 1)`)).toBe('on');
        // a retry (or a failover) moves no money and ends nothing: lost in a crash, the attempt is
        // still leased and the reaper runs it again; failing the generation waits for the flush
        expect(await commitModeAfter(`select * from api.attempt_fail($1, 'provider_unavailable', 'down', 2, 0)`)).toBe('off');
        expect(await commitModeAfter(`select * from api.attempt_fail($1, 'bad_request', 'no', 2, 0)`)).toBe('on');
      } finally {
        c.release();
      }
    } finally {
      await s.close();
    }
  });

  it('an attempt the provider is running when its worker dies is polled again by another worker and settles', async () => {
    const s = await startTestStack({ worker: false });
    const id = await create(s, 'async crash');
    const [attempt] = await s.db.selectFrom('api.attempt_outcomes_v').select('attempt_id').where('generation_id', '=', id).execute();
    const attemptId = attempt?.attempt_id as string;
    // what a worker does before it dies: lease, submit (the provider took the job), record its id
    await rpc(s.db, 'attempt_start', { p_attempt_id: attemptId, p_lease_owner: 'dead-worker', p_lease_ms: 60_000 });
    const job = encodeJob('replicate', attemptId, { readyAtMs: Date.now(), outcome: { kind: 'succeed' } });
    await rpcOne(s.db, 'attempt_record_job', { p_attempt_id: attemptId, p_provider_job_id: job, p_lease_ms: 60_000, p_poll_after_ms: 3_600_000 });
    const later = await secondStack(s.databaseUrl, { clock: () => new Date(Date.now() + 61_000) });
    try {
      expect((await later.worker?.reaper.tick())?.repolled).toBe(1);
      await waitForJobs(later, async () => (await statusOf(later, id)).status === 'succeeded');
      const g = await later.db.selectFrom('api.generations_v').select(['prediction_id', 'output_keys']).where('generation_id', '=', id).executeTakeFirstOrThrow();
      expect(g.prediction_id).toBe(job);
      expect(g.output_keys).toHaveLength(1);
    } finally {
      await later.close();
      await s.close();
    }
  });

  it('a polled attempt past its provider timeout times out, and after its retry the order moves on', async () => {
    const s = await startTestStack({
      simulation: { async: (_req, p) => p === 'replicate', latencyMs: (_req, p) => (p === 'replicate' ? 3_600_000 : 0) },
      workerOverrides: { providerTimeoutMs: { replicate: { image: 1 } } },
    });
    try {
      const id = await create(s, 'slow provider');
      expect(await s.waitForTerminal(id)).toBe('succeeded');
      const attempts = await s.db.selectFrom('api.attempt_outcomes_v').select(['provider', 'state', 'error_class']).where('generation_id', '=', id).orderBy('submitted_at').execute();
      expect(attempts.map((a) => `${a.provider}:${a.state}:${a.error_class ?? ''}`)).toEqual(['replicate:timed_out:timeout', 'replicate:timed_out:timeout', 'fal:succeeded:']);
    } finally {
      await s.close();
    }
  });

  it('cancel refunds at once, and a result that arrives afterwards is discarded with its files', async () => {
    const script = scriptedProviders();
    const reached = latch();
    const release = latch();
    script.set('late', { replicate: [async () => { reached.open(); await release.promise; return { kind: 'succeed' }; }] });
    const storageDir = await mkdtemp(join(tmpdir(), 'seaplane-cancel-'));
    const s = await startTestStack({ simulation: script.simulation, storageDir });
    try {
      const before = await balance(s);
      const id = await create(s, 'late');
      await reached.promise;
      const c = await s.request('POST', `/v1/content/generation/cancel/${id}`);
      expect(c.status).toBe(200);
      expect(c.json.data).toEqual({ generation_id: id, generation_status: 'canceled', provider_cancel_sent: false, credits_refunded: true });
      expect(await balance(s)).toBe(before);
      const again = await s.request('POST', `/v1/content/generation/cancel/${id}`);
      expect(again.status).toBe(409);
      expect(again.json.error.code).toBe('BSE2010');
      const done = new Promise<void>((resolve) => s.worker?.events.once('job:complete', () => resolve()));
      release.open();
      await done;
      expect((await statusOf(s, id)).status).toBe('canceled');
      expect(await readdir(join(storageDir, id), { recursive: true }).catch(() => [])).toEqual(
        expect.not.arrayContaining([expect.stringMatching(/\.png$/)]),
      );
      expect(await balance(s)).toBe(before);
      expect((await s.request('GET', `/v1/content/${id}`)).json.data).toMatchObject({ generation_status: 'canceled', generation_output_file: null });
    } finally {
      await s.close();
      await rm(storageDir, { recursive: true, force: true });
    }
  });
});
