// A database of its own for each test file (or test), cloned from the migrated template.
import { inject } from 'vitest';
import type pg from 'pg';
import { createDb, type Db } from '../../src/db/kysely.ts';
import { createPool } from '../../src/db/pool.ts';
import { track, untrack } from './leaks.ts';

export interface TestDatabase {
  url: string;
  pool: pg.Pool;
  db: Db;
  close(): Promise<void>;
}

export async function cloneTemplate(): Promise<string> {
  const adminUrl = inject('pgAdminUrl');
  const name = `t_${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const admin = createPool(adminUrl, { max: 1 });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`create database ${name} template ${inject('pgTemplate')}`);
        break;
      } catch (err) {
        // another file cloning at the same instant holds the template; try again
        if ((err as { code?: string }).code !== '55006' || attempt > 20) throw err;
      }
    }
  } finally {
    await admin.end();
  }
  return adminUrl.replace(/\/postgres$/, `/${name}`);
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const url = await cloneTemplate();
  const pool = track(createPool(url, { max: 10 }), 'database pool');
  const handle: TestDatabase = {
    url, pool, db: createDb(pool),
    async close() {
      untrack(pool);
      await pool.end();
    },
  };
  return handle;
}
