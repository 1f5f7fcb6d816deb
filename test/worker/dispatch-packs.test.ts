// Attempts due together share one graphile-worker job (api.attempts_dispatch, p_pack): every
// attempt is in exactly one job, a worker runs a job's attempts side by side, and a job written
// before packing (one attempt_id) still runs.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rpcOne } from '../../src/db/rpc.ts';
import { startStack, type Stack } from '../../src/stack.ts';
import { track, untrack } from '../helpers/leaks.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

let s: TestStack;
beforeAll(async () => {
  // the API alone: this test dispatches by hand, then brings a worker up
  s = await startTestStack({ worker: false, credits: 100 });
});
afterAll(async () => {
  await s.close();
});

async function generate(i: number): Promise<string> {
  const r = await s.request('POST', '/v1/generate/image/bfl/flux-schnell', { body: { generation_prompt: `pack ${i}`, generation_provider_order: 'fal' } });
  expect(r.status).toBe(200);
  return r.json.data.generation_id as string;
}

async function attemptOf(generationId: string): Promise<string> {
  return (await s.db.selectFrom('api.attempt_outcomes_v').select('attempt_id').where('generation_id', '=', generationId).executeTakeFirstOrThrow()).attempt_id as string;
}

/** A worker on the same database that runs until every given generation has succeeded. */
async function drainWith(generationIds: string[]): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'seaplane-packs-'));
  const w: Stack = track(await startStack({ databaseUrl: s.databaseUrl, port: 0, storageDir: dir, worker: { concurrency: 2, reaperIntervalMs: false } }), 'worker stack');
  try {
    const done = async () => {
      const rows = await s.db.selectFrom('api.generations_v').select('status').where('generation_id', 'in', generationIds).execute();
      return rows.every((r) => r.status === 'succeeded');
    };
    await new Promise<void>((resolve, reject) => {
      const check = () => void done().then((ok) => { if (ok) { w.worker?.events.off('job:complete', check); resolve(); } }, reject);
      w.worker?.events.on('job:complete', check);
      check();
    });
  } finally {
    untrack(w);
    await w.close();
    await rm(dir, { recursive: true, force: true });
  }
}

describe('attempt packs', () => {
  it('20 due attempts with packs of 8 become 3 jobs (8, 8, 4) naming each attempt once, and a worker runs them all', async () => {
    const ids = await Promise.all(Array.from({ length: 20 }, (_, i) => generate(i)));
    const attempts = await Promise.all(ids.map(attemptOf));
    const dispatched = await rpcOne(s.db, 'attempts_dispatch', { p_limit: 200, p_pack: 8 });
    expect(dispatched.attempts_dispatch).toBe(20);
    const jobs = await sql<{ payload: { attempt_ids: string[] }; key: string | null }>`
      select j.payload, j.key from graphile_worker._private_jobs j
      join graphile_worker._private_tasks t on t.id = j.task_id where t.identifier = 'attempt_run'`.execute(s.db);
    expect(jobs.rows.map((j) => j.payload.attempt_ids.length).sort()).toEqual([4, 8, 8]);
    expect(jobs.rows.flatMap((j) => j.payload.attempt_ids).sort()).toEqual([...attempts].sort());
    for (const j of jobs.rows) expect(j.key).toBe(`attempt_run:${j.payload.attempt_ids[0]}`);
    await drainWith(ids);
    const charged = await s.db.selectFrom('api.generations_v').select('cost_charged_microcredits').where('generation_id', 'in', ids).execute();
    expect(charged.every((g) => (g.cost_charged_microcredits ?? 0) > 0)).toBe(true);
  });

  it('a job written before packing, with one attempt_id, still runs its attempt', async () => {
    const id = await generate(100);
    const attemptId = await attemptOf(id);
    // as an older dispatcher left it: marked dispatched, its job carrying a single attempt_id
    await sql`update seaplane.attempts set dispatched_at = now() where id = ${attemptId}`.execute(s.db);
    await sql`select graphile_worker.add_job('attempt_run', json_build_object('attempt_id', ${attemptId}::uuid), max_attempts => 5)`.execute(s.db);
    await drainWith([id]);
  });
});
