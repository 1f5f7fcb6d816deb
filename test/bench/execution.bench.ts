// Execution benchmarks (issue 5):
// 1. completed generations/s with zero-latency simulated providers, against graphile-worker
//    running no-op jobs on the same database (target ratio >= 0.5);
// 2. accept -> provider-submit latency p50/p99 at 100 generations/s (targets 5 ms / 25 ms);
// 3. failure -> next-provider-submit p99 (target 50 ms).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger, run as runGraphile } from 'graphile-worker';
import { MemoryRateLimiter } from '../../src/api/rate-limit.ts';
import { createPool } from '../../src/db/pool.ts';
import { createAccount, createKey } from '../../src/ops/accounts.ts';
import { startStack } from '../../src/stack.ts';
import { percentile, report, withBenchDatabase } from './harness.ts';

const CONCURRENCY = 8;
const N = 1000;
const unlimited = () => new MemoryRateLimiter({ generate: 1e9, read: 1e9, write: 1e9, anonymous: 1e9 });

async function noopBaseline(url: string): Promise<number> {
  const pool = createPool(url, { max: CONCURRENCY + 4 });
  let done = 0;
  let finish!: () => void;
  const all = new Promise<void>((r) => { finish = r; });
  await pool.query(`select graphile_worker.add_job('noop', '{}'::json) from generate_series(1, $1)`, [N]);
  const started = performance.now();
  const runner = await runGraphile({ pgPool: pool, concurrency: CONCURRENCY, noHandleSignals: true, pollInterval: 100, logger: new Logger(() => () => {}), taskList: { noop: async () => { if (++done === N) finish(); } } });
  await all;
  const seconds = (performance.now() - started) / 1000;
  await runner.stop();
  await pool.end();
  return N / seconds;
}

async function withStack<T>(url: string, options: Parameters<typeof startStack>[0] extends infer O ? Partial<O> : never, fn: (s: Awaited<ReturnType<typeof startStack>>, key: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'seaplane-bench-files-'));
  const s = await startStack({ databaseUrl: url, port: 0, storageDir: dir, rateLimiter: unlimited(), ...options });
  try {
    const accountId = await createAccount(s.db, { name: 'bench', freeMicrocredits: 1e12 });
    const key = (await createKey(s.db, { accountId })).api_key;
    return await fn(s, key);
  } finally {
    await s.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const generate = (url: string, key: string, prompt: string, order = 'fastest') => fetch(`${url}/v1/generate/image/bfl/flux-schnell`, {
  method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
  body: JSON.stringify({ generation_prompt: prompt, generation_provider_order: order }),
}).then((r) => r.json() as Promise<{ data: { generation_id: string } }>);

async function completedPerSecond(url: string): Promise<number> {
  // accept N with no worker running, then measure the worker draining them
  await withStack(url, { worker: false }, async (s, key) => {
    for (let i = 0; i < N; i += 50) await Promise.all(Array.from({ length: 50 }, (_, j) => generate(s.url, key, `bench ${i + j}`)));
  });
  let rate = 0;
  await withStack(url, { worker: { concurrency: CONCURRENCY, reaperIntervalMs: false } }, async (s) => {
    const started = performance.now();
    // every attempt succeeds at once here, so N finished attempt_run jobs are N generations
    let done = 0;
    await new Promise<void>((resolve) => {
      s.worker?.events.on('job:complete', ({ job }) => {
        if (job.task_identifier === 'attempt_run' && ++done === N) resolve();
      });
    });
    rate = N / ((performance.now() - started) / 1000);
  });
  return rate;
}

async function latencies(url: string): Promise<{ submit: number[]; failover: number[] }> {
  const acceptedAt = new Map<string, number>();
  const submitAt = new Map<string, number>();
  const failedAt = new Map<string, number>();
  const failover: number[] = [];
  await withStack(url, {
    worker: { concurrency: CONCURRENCY, reaperIntervalMs: false },
    simulation: {
      decide: (req, provider) => {
        const t = performance.now();
        if (!submitAt.has(req.prompt)) submitAt.set(req.prompt, t);
        if (req.prompt.startsWith('fo ') && provider === 'replicate') {
          failedAt.set(req.prompt, performance.now());
          return { kind: 'fail', errorClass: 'not_found' };
        }
        const f = failedAt.get(req.prompt);
        if (f !== undefined) failover.push(t - f);
        return { kind: 'succeed' };
      },
    },
  }, async (s, key) => {
    const sends: Promise<unknown>[] = [];
    const started = performance.now();
    for (let i = 0; i < 1000; i++) {
      // 100 generations/s: each request leaves at its slot on the schedule
      const due = started + i * 10;
      await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
      const prompt = i % 5 === 0 ? `fo ${i}` : `lat ${i}`;
      sends.push(generate(s.url, key, prompt, 'replicate, fal').then(() => acceptedAt.set(prompt, performance.now())));
    }
    await Promise.all(sends);
    await new Promise<void>((resolve) => {
      const check = () => void s.db.selectFrom('api.generations_v').select((eb) => eb.fn.countAll<number>().as('n')).where('status', 'in', ['pending', 'processing']).executeTakeFirstOrThrow().then((r) => {
        if (Number(r.n) === 0) { s.worker?.events.off('job:complete', check); resolve(); }
      });
      s.worker?.events.on('job:complete', check);
      check();
    });
  });
  // accept = the response arrived; the submit may even come first (the job starts on NOTIFY)
  const submit = [...acceptedAt].map(([p, a]) => Math.max(0, (submitAt.get(p) ?? a) - a)).sort((a, b) => a - b);
  return { submit, failover: failover.sort((a, b) => a - b) };
}

export async function run(): Promise<void> {
  await withBenchDatabase(async (url) => {
    const baseline = await noopBaseline(url);
    const completed = await completedPerSecond(url);
    report('completed generations/s (zero-latency providers)', completed, '/s', { value: baseline, name: 'graphile-worker no-op jobs' });
    if (process.env.BENCH_ONLY_THROUGHPUT) return;
    const l = await latencies(url);
    console.log(`  accept -> provider submit at 100/s: p50 ${percentile(l.submit, 50).toFixed(2)} ms, p99 ${percentile(l.submit, 99).toFixed(2)} ms (targets 5 / 25 ms; n=${l.submit.length})`);
    console.log(`  failure -> next provider submit: p50 ${percentile(l.failover, 50).toFixed(2)} ms, p99 ${percentile(l.failover, 99).toFixed(2)} ms (target p99 50 ms; n=${l.failover.length})`);
  });
}
