// A worker process for the chaos test: graphile-worker with the attempt tasks, a faulty
// simulated fleet, short leases and a fast reaper. Prints `ready`, then `job` after every
// finished job and `tick` after every reaper pass, so the parent waits on lines, not on time.
import { createDb } from '../../src/db/kysely.ts';
import { createPool } from '../../src/db/pool.ts';
import { type FleetProfile, fleetSimulation } from '../../src/providers/simulated/fleet.ts';
import { LocalDiskStore } from '../../src/storage/local.ts';
import { buildProviders } from '../../src/worker/providers.ts';
import { startWorker } from '../../src/worker/runner.ts';

const PROFILE: FleetProfile = {
  seed: Number(process.env.CHAOS_SEED ?? 7),
  default: {
    latency_ms: { median: 5, p99: 60 },
    failure_rate: 0.3,
    errors: { provider_unavailable: 4, timeout: 2, rate_limited: 2, malformed_response: 1, out_of_credit: 1, not_found: 1, bad_request: 0.3 },
  },
  providers: { replicate: { async: true }, fal: { async: true } },
};

const leaseMs = Number(process.env.CHAOS_LEASE_MS ?? 1500);
const pool = createPool(process.env.DATABASE_URL as string, { max: 12 });
const worker = await startWorker(pool, {
  db: createDb(pool),
  store: new LocalDiskStore(process.env.STORAGE_DIR as string, 'http://127.0.0.1'),
  providers: buildProviders({ real: [], env: {}, simulate: true, simulation: fleetSimulation(PROFILE) }),
  clock: () => new Date(),
  fetch: globalThis.fetch,
  workerId: `chaos-${process.pid}`,
  leaseMs,
  attemptTimeoutMs: { image: 10_000, video: 10_000 },
  maxTriesPerProvider: 2,
}, { concurrency: 8, pollIntervalMs: 200, reaperIntervalMs: false });
worker.events.on('job:complete', () => process.stdout.write('job\n'));
const reap = setInterval(() => {
  worker.reaper.tick().then(() => process.stdout.write('tick\n'), () => process.stdout.write('tick\n'));
}, 250);
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  clearInterval(reap);
  void worker.stop().then(() => pool.end()).then(() => process.exit(0));
});
