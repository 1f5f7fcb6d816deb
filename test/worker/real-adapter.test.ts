// A generation through a real adapter (Replicate's), against the local fake of its protocol:
// submit -> the provider's job id is recorded -> polled by scheduled jobs until it succeeds ->
// the output is downloaded and stored. And a cancel that reaches the provider's cancel API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REAL_ADAPTERS } from '../../src/providers/index.ts';
import { startReplicateFake, REPLICATE_TEST_TOKEN, type ReplicateFake } from '../fakes/providers/replicate.ts';
import { FAKE_PNG } from '../fakes/providers/scripted.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

let fake: ReplicateFake;
let s: TestStack;
beforeAll(async () => {
  fake = await startReplicateFake();
  s = await startTestStack({ realAdapters: REAL_ADAPTERS, env: { REPLICATE_API_TOKEN: REPLICATE_TEST_TOKEN, REPLICATE_BASE_URL: fake.url } });
});
afterAll(async () => {
  await s.close();
  await fake.close();
});

/** Resolves with the provider job id once the attempt has handed the job to the provider. */
async function providerJob(generationId: string): Promise<string> {
  const read = async () => (await s.db.selectFrom('api.attempt_outcomes_v').innerJoin('api.attempt_jobs_v', 'api.attempt_jobs_v.attempt_id', 'api.attempt_outcomes_v.attempt_id')
    .select(['api.attempt_jobs_v.provider_job_id as job', 'api.attempt_outcomes_v.state as state']).where('api.attempt_outcomes_v.generation_id', '=', generationId).executeTakeFirst());
  return new Promise((resolve, reject) => {
    const check = () => void read().then((r) => {
      if (r?.job && r.state === 'running') {
        s.worker?.events.off('job:complete', check);
        resolve(r.job);
      }
    }, reject);
    s.worker?.events.on('job:complete', check);
    check();
  });
}

describe('a real provider adapter in the execution path', () => {
  it('replicate: submitted, polled until it succeeds, downloaded, stored and charged', async () => {
    const r = await s.request('POST', '/v1/generate/image/bfl/flux-schnell', { body: { generation_prompt: 'real adapter', generation_provider_order: 'replicate' } });
    const id = r.json.data.generation_id as string;
    const job = await providerJob(id);
    expect(fake.requests.some((q) => q.method === 'POST' && q.path === '/v1/models/black-forest-labs/flux-schnell/predictions')).toBe(true);
    fake.setStatus(job, 'succeeded', { output: [fake.fileUrl('out.png')] });
    expect(await s.waitForTerminal(id)).toBe('succeeded');
    const g = (await s.request('GET', `/v1/content/${id}`)).json.data;
    expect(g.generation_prediction_id).toBe(job);
    expect(g.generation_provider_used).toBe('replicate');
    // the stored file is the provider's bytes, byte for byte
    expect(Buffer.from(await (await fetch(g.generation_output_file[0])).arrayBuffer())).toEqual(Buffer.from(FAKE_PNG));
  });

  it('replicate: a cancel while the provider runs the job reaches its cancel API', async () => {
    const r = await s.request('POST', '/v1/generate/image/bfl/flux-schnell', { body: { generation_prompt: 'cancel me', generation_provider_order: 'replicate' } });
    const id = r.json.data.generation_id as string;
    const job = await providerJob(id);
    const sent = new Promise<void>((resolve) => {
      const check = ({ job: j }: { job: { task_identifier: string } }) => {
        if (j.task_identifier === 'attempt_cancel') {
          s.worker?.events.off('job:complete', check);
          resolve();
        }
      };
      s.worker?.events.on('job:complete', check);
    });
    const c = await s.request('POST', `/v1/content/generation/cancel/${id}`);
    expect(c.json.data).toMatchObject({ generation_status: 'canceled', provider_cancel_sent: true, credits_refunded: true });
    await sent;
    expect(fake.requests.some((q) => q.method === 'POST' && q.path === `/v1/predictions/${job}/cancel`)).toBe(true);
  });
});
