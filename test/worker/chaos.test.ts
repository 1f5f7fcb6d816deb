import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MemoryRateLimiter } from '../../src/api/rate-limit.ts';
import { startTestStack } from '../helpers/stack.ts';

const WORKER = fileURLToPath(new URL('./chaos-worker.ts', import.meta.url));
const GENERATIONS = 200;
const KILLS = 6;
const JOBS_BETWEEN_KILLS = 40;

function spawnWorker(env: Record<string, string>): { child: ChildProcess; lines: AsyncIterable<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return { child, lines: createInterface({ input: child.stdout as NodeJS.ReadableStream }) };
}

describe('chaos: the worker is killed with SIGKILL again and again while generations run', () => {
  it(`${GENERATIONS} generations against faulty providers all end terminal within their deadline, holds resolve once, nothing is charged twice or lost`, async () => {
    const storageDir = await mkdtemp(join(tmpdir(), 'seaplane-chaos-'));
    const s = await startTestStack({ worker: false, storageDir, credits: 100, rateLimiter: new MemoryRateLimiter({ generate: 10_000, read: 10_000, write: 10_000, anonymous: 10_000, webhook: 1e9 }) });
    try {
      const ids: string[] = [];
      for (let i = 0; i < GENERATIONS; i++) {
        const r = await s.request('POST', '/v1/generate/image/bfl/flux-schnell', { body: { generation_prompt: `chaos ${i}` } });
        expect(r.status).toBe(200);
        ids.push(r.json.data.generation_id);
      }
      const open = async () => Number((await s.db.selectFrom('api.generations_v').select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', 'in', ['pending', 'processing']).executeTakeFirstOrThrow()).n);

      const env = { DATABASE_URL: s.databaseUrl, STORAGE_DIR: storageDir };
      let kills = 0;
      for (;;) {
        const w = spawnWorker(env);
        const exited = new Promise<void>((resolve) => w.child.once('exit', () => resolve()));
        let jobs = 0;
        let finished = false;
        for await (const line of w.lines) {
          if (line === 'job') jobs++;
          if ((line === 'job' || line === 'tick') && (await open()) === 0) {
            finished = true;
            break;
          }
          if (kills < KILLS && jobs >= JOBS_BETWEEN_KILLS) break;
        }
        if (finished || kills >= KILLS) {
          w.child.kill(finished ? 'SIGTERM' : 'SIGKILL');
          await exited;
          if (finished) break;
          continue;
        }
        w.child.kill('SIGKILL');
        kills++;
        await exited;
      }
      expect(kills).toBe(KILLS);

      const gens = await s.db.selectFrom('api.generations_v').selectAll().where('generation_id', 'in', ids).execute();
      expect(gens.every((g) => g.status === 'succeeded' || g.status === 'failed')).toBe(true);
      expect(gens.every((g) => g.completed_at !== null && g.completed_at <= g.deadline_at)).toBe(true);
      const succeeded = gens.filter((g) => g.status === 'succeeded');
      expect(succeeded.length).toBeGreaterThan(GENERATIONS / 2);
      for (const g of succeeded) {
        expect(g.cost_charged_microcredits).toBe(5_000);
        for (const key of g.output_keys ?? []) await stat(join(storageDir, key)); // no result lost
      }
      for (const g of gens.filter((x) => x.status === 'failed')) expect(g.cost_charged_microcredits).toBe(0);

      // every hold resolved exactly once: one hold transfer, at most one post, and the resolution
      // moves exactly the held amount back out of `held`
      const holds = await s.pool.query(`
        select h.id, h.state, h.amount_microcredits,
          count(*) filter (where t.kind = 'hold') as holds, count(*) filter (where t.kind = 'post') as posts,
          coalesce(sum(t.amount_microcredits) filter (where t.kind in ('post', 'release')), 0) as resolved
        from seaplane.holds h join seaplane.ledger_transfers t on t.hold_id = h.id
        where h.generation_id = any($1::uuid[]) group by h.id`, [ids]);
      expect(holds.rows).toHaveLength(GENERATIONS);
      for (const h of holds.rows) {
        expect(h.state).not.toBe('pending');
        expect(Number(h.holds)).toBe(1);
        expect(Number(h.posts)).toBeLessThanOrEqual(1);
        expect(Number(h.resolved)).toBe(Number(h.amount_microcredits));
      }
      const twice = await s.pool.query(`select generation_id from seaplane.attempts where state = 'succeeded' and generation_id = any($1::uuid[]) group by generation_id having count(*) > 1`, [ids]);
      expect(twice.rows).toEqual([]);
      expect(await s.db.selectFrom('api.ledger_reconciliation_v').selectAll().execute()).toEqual([]);
      const charged = succeeded.length * 5_000;
      const balance = (await s.db.selectFrom('api.accounts_v').select(['available_microcredits', 'held_microcredits']).where('account_id', '=', s.accountId).executeTakeFirstOrThrow());
      expect(balance).toEqual({ available_microcredits: 100_000_000 - charged, held_microcredits: 0 });
    } finally {
      await s.close();
      await rm(storageDir, { recursive: true, force: true });
    }
  }, 180_000);
});
