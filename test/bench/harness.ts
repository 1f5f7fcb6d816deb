// Shared pieces for benchmarks: a throwaway embedded Postgres with a migrated database, and
// percentile/ratio printing.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate } from '../../src/db/migrate.ts';
import { createPool } from '../../src/db/pool.ts';
import { startEmbeddedPostgres } from '../../src/embedded/postgres.ts';
import { freePort } from '../../src/lib/net.ts';

export async function withBenchDatabase<T>(fn: (databaseUrl: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'seaplane-bench-'));
  // durable commits, as production would run
  // BENCH_PG_SETTINGS='shared_preload_libraries=pg_stat_statements,...' for diagnostics
  const settings = Object.fromEntries((process.env.BENCH_PG_SETTINGS ?? '').split(',').filter(Boolean).map((kv) => kv.split('=') as [string, string]));
  const server = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: await freePort(), durable: true, settings });
  try {
    const admin = createPool(server.url, { max: 1 });
    await admin.query('create database bench');
    await admin.end();
    const pool = createPool(server.urlFor('bench'), { max: 2 });
    await migrate(pool);
    await pool.end();
    return await fn(server.urlFor('bench'));
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  return sortedMs[Math.min(sortedMs.length - 1, Math.floor((p / 100) * sortedMs.length))] as number;
}

export function report(name: string, value: number, unit: string, baseline?: { value: number; name: string }): void {
  const ratio = baseline ? `  ratio ${(value / baseline.value).toFixed(2)} vs ${baseline.name} (${baseline.value.toFixed(1)} ${unit})` : '';
  console.log(`  ${name}: ${value.toFixed(1)} ${unit}${ratio}`);
}
