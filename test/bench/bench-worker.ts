// The worker process of the execution benchmark (production runs workers apart from the API):
// zero-latency simulated providers; replicate fails every prompt that starts with "fo " (not
// found, so the attempt fails over at once). Prints `ready`, `submit <prompt> <epoch ms>` for
// every provider call, and `done` for every attempt of a finished attempt_run job.
import { createDb } from '../../src/db/kysely.ts';
import { createPool } from '../../src/db/pool.ts';
import { attemptBatchers } from '../../src/worker/attempt-batch.ts';
import { LocalDiskStore } from '../../src/storage/local.ts';
import { buildProviders } from '../../src/worker/providers.ts';
import { startWorker, workerPoolSize } from '../../src/worker/runner.ts';
import { DEFAULT_WORKER_CONCURRENCY } from '../../src/config.ts';

const now = () => performance.timeOrigin + performance.now();
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? DEFAULT_WORKER_CONCURRENCY);
const pool = createPool(process.env.DATABASE_URL as string, { max: workerPoolSize(concurrency) });
const lines: string[] = [];
const flush = () => {
  if (lines.length > 0) process.stdout.write(`${lines.splice(0).join('\n')}\n`);
};
// BENCH_DIAG: count the database calls per kind and the sizes of the coalesced batches
const calls = new Map<string, number>();
const count = (k: string, n = 1) => calls.set(k, (calls.get(k) ?? 0) + n);
if (process.env.BENCH_DIAG) {
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...a: unknown[]) => unknown;
    (client as unknown as { query: (...a: unknown[]) => unknown }).query = (...a: unknown[]) => {
      const q = a[0] as string | { text?: string };
      const text = typeof q === 'string' ? q : (q?.text ?? '');
      count((/"api"\."(\w+)"|graphile_worker\.(\w+)|(\w+)/.exec(text.replace(/\s+/g, ' ').trim()) ?? []).slice(1).find(Boolean) ?? '?');
      return query(...a);
    };
  });
}
const worker = await startWorker(pool, {
  db: createDb(pool),
  store: new LocalDiskStore(process.env.STORAGE_DIR as string, 'http://127.0.0.1'),
  providers: buildProviders({
    real: [], env: {}, simulate: true,
    simulation: {
      decide: (req, provider) => {
        lines.push(`submit ${provider} ${now().toFixed(3)} ${req.prompt}`);
        return req.prompt.startsWith('fo ') && provider === 'replicate' ? { kind: 'fail', errorClass: 'not_found' } : { kind: 'succeed' };
      },
    },
  }),
  clock: () => new Date(),
  fetch: globalThis.fetch,
  workerId: `bench-${process.pid}`,
  leaseMs: 60_000,
  attemptTimeoutMs: { image: 60_000, video: 60_000 },
  maxTriesPerProvider: 2,
  ...(process.env.BENCH_DIAG ? { attempts: attemptBatchers(createDb(pool), { onSend: (call, size) => { count(`${call} calls`); count(`${call} items`, size); } }) } : {}),
}, { concurrency, reaperIntervalMs: false, dispatchIdleMaxMs: process.env.DISPATCH_IDLE_MS ? Number(process.env.DISPATCH_IDLE_MS) : undefined });
worker.events.on('job:complete', ({ job }) => {
  // one `done` per attempt: a job carries the attempts that were due together
  if (job.task_identifier === 'attempt_run') for (const _ of (job.payload as { attempt_ids?: string[] }).attempt_ids ?? [0]) lines.push('done');
});
const timer = setInterval(flush, 20);
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  clearInterval(timer);
  flush();
  if (process.env.BENCH_DIAG) console.error('  worker database calls:', Object.fromEntries([...calls].sort((a, b) => b[1] - a[1])));
  void worker.stop().then(() => pool.end()).then(() => process.exit(0));
});
