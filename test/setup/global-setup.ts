// One throwaway embedded Postgres for the whole run, with a migrated template database that
// every test file clones (CREATE DATABASE ... TEMPLATE: ~30 ms).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { migrate } from '../../src/db/migrate.ts';
import { createPool } from '../../src/db/pool.ts';
import { startEmbeddedPostgres } from '../../src/embedded/postgres.ts';
import { freePort } from '../../src/lib/net.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplate: string;
  }
}

export const TEMPLATE = 'seaplane_template';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'seaplane-test-'));
  const server = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: await freePort(), durable: false });
  const admin = createPool(server.url, { max: 1 });
  await admin.query(`create database ${TEMPLATE}`);
  await admin.end();
  const pool = createPool(server.urlFor(TEMPLATE), { max: 2 });
  await migrate(pool);
  await pool.end();
  project.provide('pgAdminUrl', server.url);
  project.provide('pgTemplate', TEMPLATE);
  return async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  };
}
