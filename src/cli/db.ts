// `seaplane db ...`: migrate the configured database; check sql/ against the migrations; write
// the generated kysely types; snapshot sql/ into a new migration. `check` and `types` run on a
// throwaway embedded Postgres, so they need no database of yours.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config.ts';
import { generateSchemaTypes } from '../db/codegen.ts';
import { definitionsOf, diffDefinitions, writeSnapshotMigration } from '../db/drift.ts';
import { migrate } from '../db/migrate.ts';
import { createPool } from '../db/pool.ts';
import { startEmbeddedPostgres } from '../embedded/postgres.ts';
import { freePort } from '../lib/net.ts';

export const SCHEMA_TYPES_FILE = fileURLToPath(new URL('../db/schema.gen.ts', import.meta.url));

/** Runs fn against a fresh, empty embedded cluster; `db(name)` creates a database on it. */
export async function withScratchPostgres<T>(fn: (db: (name: string) => Promise<string>) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'seaplane-scratch-'));
  const server = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: await freePort(), durable: false });
  const admin = createPool(server.url, { max: 1 });
  try {
    return await fn(async (name) => {
      await admin.query(`create database "${name.replace(/[^a-z0-9_]/g, '')}"`);
      return server.urlFor(name);
    });
  } finally {
    await admin.end();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

export async function checkDrift(db: (name: string) => Promise<string>): Promise<string[]> {
  const a = createPool(await db('from_migrations'), { max: 2 });
  const b = createPool(await db('from_sql'), { max: 2 });
  try {
    await migrate(a, { definitions: false });
    await migrate(b);
    return diffDefinitions(await definitionsOf(a), await definitionsOf(b));
  } finally {
    await a.end();
    await b.end();
  }
}

export async function generateTypesFresh(db: (name: string) => Promise<string>): Promise<string> {
  const pool = createPool(await db('types'), { max: 2 });
  try {
    await migrate(pool);
    const client = await pool.connect();
    try {
      return await generateSchemaTypes(client);
    } finally {
      client.release();
    }
  } finally {
    await pool.end();
  }
}

export async function dbCommand(sub: string | undefined, args: string[]): Promise<number> {
  switch (sub) {
    case 'migrate': {
      const config = loadConfig();
      const url = config.databaseUrl ?? `postgres://postgres:seaplane-local@127.0.0.1:${config.embeddedPostgresPort}/seaplane`;
      const pool = createPool(url, { max: 2 });
      try {
        const r = await migrate(pool, { log: (l) => console.log(l) });
        console.log(r.applied.length === 0 && !r.definitionsApplied ? 'up to date' : 'migrated');
      } finally {
        await pool.end();
      }
      return 0;
    }
    case 'check': {
      const problems = await withScratchPostgres(checkDrift);
      if (problems.length === 0) {
        console.log('sql/ and supabase/migrations agree');
        return 0;
      }
      console.error(`sql/ and supabase/migrations have drifted:\n  ${problems.join('\n  ')}\nrun \`npx seaplane db snapshot <name>\` to add a migration`);
      return 1;
    }
    case 'types': {
      await writeFile(SCHEMA_TYPES_FILE, await withScratchPostgres(generateTypesFresh));
      console.log(`wrote ${SCHEMA_TYPES_FILE}`);
      return 0;
    }
    case 'snapshot': {
      const name = args[0];
      if (!name) throw new Error('usage: seaplane db snapshot <name>');
      console.log(`wrote ${await writeSnapshotMigration(name)}`);
      return 0;
    }
    default:
      throw new Error('usage: seaplane db migrate | check | types | snapshot <name>');
  }
}
