// Workers outside the edge: `seaplane worker` processes scale out on one database. Two workers
// are held at a latch until each has a job in hand (proof both take work at once, no sleeps),
// then every generation must have run exactly once: one attempt, one stored output, one charge.
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkerProcess, type WorkerProcess } from '../../src/cli/worker.ts';
import type { ArtifactStore, StoredFile } from '../../src/storage/types.ts';
import { call, waitForTerminal } from '../contract/target.ts';
import { ROOT, childEnv } from '../deno/deno.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

/** An in-memory store that counts writes and holds them until the gate opens. */
class LatchedMemoryStore implements ArtifactStore {
  readonly bucket = 'memory';
  readonly files = new Map<string, StoredFile>();
  puts = 0;
  constructor(private readonly baseUrl: string, private readonly gate: Promise<void>, private readonly arrived: () => void) {}
  async put(key: string, file: StoredFile): Promise<void> {
    this.puts++;
    if (this.puts === 1) this.arrived();
    // Every write waits until both workers have one in hand: a worker can hold at most its
    // concurrency (3) of the 12 jobs, so the other must take some and the gate must open.
    await this.gate;
    this.files.set(key, file);
  }
  async get(key: string) {
    return this.files.get(key) ?? null;
  }
  async delete(keys: readonly string[]) {
    return keys.filter((k) => this.files.delete(k)).length;
  }
  publicUrl(key: string) {
    return `${this.baseUrl}/files/${key}`;
  }
  async health() {
    return { healthy: true, latency_ms: 0 };
  }
}

let s: TestStack;
beforeAll(async () => {
  s = await startTestStack({ credits: 10, worker: false });
});
afterAll(async () => {
  await s.close();
});

describe('seaplane worker, scaled out', () => {
  it('two workers on one database both take jobs, and each of 12 generations runs exactly once', async () => {
    let arrivals = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    const arrived = () => { if (++arrivals === 2) release(); };
    const stores = [new LatchedMemoryStore(s.url, gate, arrived), new LatchedMemoryStore(s.url, gate, arrived)];
    const workers: WorkerProcess[] = [];
    try {
      for (const store of stores) workers.push(await startWorkerProcess({ databaseUrl: s.pool.options.connectionString as string, concurrency: 3, store, env: {}, simulate: true }));
      const before = (await s.db.selectFrom('api.accounts_v').select('available_microcredits').where('account_id', '=', s.accountId).executeTakeFirstOrThrow()).available_microcredits;
      const ids: string[] = [];
      for (let i = 0; i < 12; i++) {
        const r = await call(s, 'POST', '/v1/generate/image/bfl/flux-schnell', { body: { generation_prompt: `scale out ${i}` } });
        expect(r.status).toBe(200);
        ids.push(r.json.data.generation_id);
      }
      // finished jobs are reported by whichever worker ran them: wait on both
      const events = new EventEmitter();
      for (const w of workers) w.events.on('job:complete', () => events.emit('job:complete'));
      for (const id of ids) expect(await waitForTerminal(s.db, events, id)).toBe('succeeded');

      expect(stores.map((st) => st.puts).every((n) => n > 0)).toBe(true); // both did work (the latch needed both)
      expect(stores[0]!.puts + stores[1]!.puts).toBe(12); // one stored output per generation
      const attempts = await s.pool.query<{ generation_id: string; n: number; owners: string[] }>(
        'select generation_id, count(*)::int as n, array_agg(distinct lease_owner) as owners from seaplane.attempts where generation_id = any($1) group by 1', [ids]);
      expect(attempts.rows).toHaveLength(12);
      expect(attempts.rows.every((r) => r.n === 1)).toBe(true);
      expect(new Set(attempts.rows.flatMap((r) => r.owners))).toEqual(new Set(workers.map((w) => w.workerId)));
      const after = (await s.db.selectFrom('api.accounts_v').select('available_microcredits').where('account_id', '=', s.accountId).executeTakeFirstOrThrow()).available_microcredits;
      expect(Number(before) - Number(after)).toBe(12 * 5_000); // charged once each (0.005 credits)
      const left = await s.pool.query<{ n: number }>("select count(*)::int as n from graphile_worker._private_jobs where task_id in (select id from graphile_worker._private_tasks where identifier like 'attempt_%')");
      expect(left.rows[0]?.n).toBe(0);
    } finally {
      release();
      for (const w of workers) await w.stop();
    }
  });

  it('`seaplane worker` runs as its own process, says which providers it serves, and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'seaplane.js'), 'worker'], {
      cwd: ROOT, env: childEnv({ DATABASE_URL: s.pool.options.connectionString as string, WORKER_CONCURRENCY: '2', STORAGE_DIR: join(tmpdir(), 'seaplane-worker-smoke') }), stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      const onData = (c: Buffer) => {
        out += c.toString();
        if (out.includes('running (region us')) resolve();
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', (c: Buffer) => { out += c.toString(); });
      void exited.then((code) => reject(new Error(`worker exited (${code}) before running:\n${out}`)));
    });
    expect(out).toMatch(/providers: .*bfl \(simulated\)/);
    child.kill('SIGTERM');
    expect(await exited, out).toBe(0);
    expect(out).toContain('worker stopped');
  });
});
