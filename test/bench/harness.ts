// Shared pieces for benchmarks: a throwaway embedded Postgres with a migrated database, and
// percentile/ratio printing.
import { readdirSync, readFileSync } from 'node:fs';
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

/** Fraction of the machine's CPU time that was busy between two readings of /proc/stat (Linux). */
export function cpuMeter(): () => number {
  const read = (): { idle: number; total: number } | undefined => {
    try {
      const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
      return { idle: (f[3] ?? 0) + (f[4] ?? 0), total: f.reduce((a, b) => a + b, 0) };
    } catch {
      return undefined;
    }
  };
  const start = read();
  return () => {
    const end = read();
    if (!start || !end || end.total === start.total) return Number.NaN;
    return 1 - (end.idle - start.idle) / (end.total - start.total);
  };
}

/** CPU seconds per command name between two readings of /proc (Linux; for BENCH_DIAG). */
export function processCpuMeter(): () => Record<string, number> {
  const read = (): Map<string, { name: string; ticks: number }> => {
    const m = new Map<string, { name: string; ticks: number }>();
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
        const label = name === 'postgres' ? `postgres: ${cmd.replace(/^postgres: /, '').split(' ').slice(1, 2).join(' ') || 'server'}` : `${name} ${cmd.includes('bench-worker') ? '(worker)' : ''}`;
        m.set(pid, { name: label, ticks: Number(f[11]) + Number(f[12]) });
      } catch {
        // gone
      }
    }
    return m;
  };
  const start = read();
  return () => {
    const out: Record<string, number> = {};
    for (const [pid, p] of read()) out[p.name] = (out[p.name] ?? 0) + (p.ticks - (start.get(pid)?.ticks ?? 0)) / 100;
    return out;
  };
}
