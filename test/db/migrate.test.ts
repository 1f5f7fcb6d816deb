import { readFile } from 'node:fs/promises';
import { inject, describe, expect, it } from 'vitest';
import { checkDrift, generateTypesFresh, SCHEMA_TYPES_FILE, withScratchPostgres } from '../../src/cli/db.ts';
import { migrate } from '../../src/db/migrate.ts';
import { createPool } from '../../src/db/pool.ts';
import { track, untrack } from '../helpers/leaks.ts';

async function emptyDatabase(): Promise<string> {
  const admin = createPool(inject('pgAdminUrl'), { max: 1 });
  const name = `m_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`;
  await admin.query(`create database ${name}`);
  await admin.end();
  return inject('pgAdminUrl').replace(/\/postgres$/, `/${name}`);
}

async function withPool<T>(url: string, fn: (pool: ReturnType<typeof createPool>) => Promise<T>): Promise<T> {
  const pool = track(createPool(url, { max: 4 }), 'pool');
  try {
    return await fn(pool);
  } finally {
    untrack(pool);
    await pool.end();
  }
}

describe('the migration runner', () => {
  it('applies everything once; a second run changes nothing', async () => {
    await withPool(await emptyDatabase(), async (pool) => {
      const first = await migrate(pool);
      expect(first.applied.length).toBeGreaterThan(0);
      expect(first.definitionsApplied).toBe(true);
      expect(await migrate(pool)).toEqual({ applied: [], definitionsApplied: false });
    });
  });

  it('two processes migrating one empty database at once both succeed and apply each migration once', async () => {
    const url = await emptyDatabase();
    await withPool(url, (a) => withPool(url, async (b) => {
      const [ra, rb] = await Promise.all([migrate(a), migrate(b)]);
      expect([...ra.applied, ...rb.applied].sort()).toEqual((await a.query('select name from seaplane_meta.migrations order by name')).rows.map((r) => r.name));
    }));
  });

  it('refuses a migration that was edited after it was applied', async () => {
    await withPool(await emptyDatabase(), async (pool) => {
      await migrate(pool);
      await pool.query("update seaplane_meta.migrations set checksum = 'edited' where name = (select min(name) from seaplane_meta.migrations)");
      await expect(migrate(pool)).rejects.toThrow(/was edited after it was applied/);
    });
  });

  it('sql/ and supabase/migrations define the same functions, views and grants (no drift)', async () => {
    expect(await withScratchPostgres(checkDrift)).toEqual([]);
  });

  it('the generated kysely types match the migrated schema', async () => {
    const fresh = await withScratchPostgres(generateTypesFresh);
    expect(fresh).toBe(await readFile(SCHEMA_TYPES_FILE, 'utf8'));
  });
});
