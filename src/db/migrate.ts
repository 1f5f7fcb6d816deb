// The migration runner: Supabase roles bootstrap, graphile-worker's schema, then
// supabase/migrations/* in name order (each once, checksummed: a landed migration that was
// edited is refused), then the current definitions in sql/ (re-applied only when they changed).
// A session advisory lock makes two processes starting at once take turns.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Logger, runMigrations as runWorkerMigrations } from 'graphile-worker';
import type pg from 'pg';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const MIGRATIONS_DIR = join(ROOT, 'supabase', 'migrations');
export const DEFINITIONS_DIR = join(ROOT, 'sql');
const BOOTSTRAP_FILE = fileURLToPath(new URL('./bootstrap.sql', import.meta.url));
const MIGRATION_LOCK_KEY = 7_310_001;
const quietLogger = new Logger(() => (level, message) => {
  if (level === 'error') console.error(`[graphile-worker] ${message}`);
});

export interface MigrateOptions {
  /** Apply sql/ after the migrations (false: the migrations alone, for the drift check). */
  definitions?: boolean;
  log?: (line: string) => void;
}

export interface MigrateResult {
  applied: string[];
  definitionsApplied: boolean;
}

export interface SqlFile {
  name: string;
  sql: string;
}

async function sqlFilesIn(dir: string): Promise<SqlFile[]> {
  const out: SqlFile[] = [];
  async function walk(d: string): Promise<void> {
    const entries = await readdir(d, { withFileTypes: true });
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(d, e.name);
      if (e.isDirectory()) await walk(full);
      else if (e.name.endsWith('.sql')) out.push({ name: relative(dir, full), sql: await readFile(full, 'utf8') });
    }
  }
  await walk(dir);
  return out;
}

export const readMigrations = (): Promise<SqlFile[]> => sqlFilesIn(MIGRATIONS_DIR);
export const readDefinitions = (): Promise<SqlFile[]> => sqlFilesIn(DEFINITIONS_DIR);

export function checksum(parts: readonly SqlFile[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p.name).update('\0').update(p.sql).update('\0');
  return h.digest('hex');
}

/**
 * Drops every view in `api` and every function in `api` and `seaplane` that no trigger uses, so
 * sql/ is applied as the whole current truth (a removed or re-typed function does not linger).
 */
export const DROP_DEFINITIONS_SQL = `
do $drop$
declare r record;
begin
  -- names, not regclass/regprocedure: a view already dropped by an earlier cascade must not come
  -- back as a bare OID
  for r in select format('%I.%I', n.nspname, c.relname) as obj from pg_class c join pg_namespace n on n.oid = c.relnamespace
           where n.nspname = 'api' and c.relkind = 'v' loop
    execute format('drop view if exists %s cascade', r.obj);
  end loop;
  for r in select format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)) as fn
           from pg_proc p join pg_namespace n on n.oid = p.pronamespace
           where n.nspname in ('api', 'seaplane')
             and not exists (select 1 from pg_depend d where d.refobjid = p.oid and d.classid = 'pg_trigger'::regclass) loop
    execute format('drop function if exists %s', r.fn);
  end loop;
end
$drop$;
`;

async function inTransaction(client: pg.PoolClient, fn: () => Promise<void>): Promise<void> {
  await client.query('begin');
  try {
    await fn();
    await client.query('commit');
  } catch (err) {
    await client.query('rollback');
    throw err;
  }
}

export async function migrate(pool: pg.Pool, options: MigrateOptions = {}): Promise<MigrateResult> {
  const log = options.log ?? (() => {});
  const client = await pool.connect();
  const applied: string[] = [];
  let definitionsApplied = false;
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(await readFile(BOOTSTRAP_FILE, 'utf8'));
    await runWorkerMigrations({ pgPool: pool, logger: quietLogger });

    const done = new Map<string, string>(
      (await client.query<{ name: string; checksum: string }>('select name, checksum from seaplane_meta.migrations')).rows.map((r) => [r.name, r.checksum]),
    );
    for (const m of await readMigrations()) {
      const sum = checksum([m]);
      const previous = done.get(m.name);
      if (previous !== undefined) {
        if (previous !== sum) throw new Error(`migration ${m.name} was edited after it was applied (checksum differs); add a new migration instead`);
        continue;
      }
      await inTransaction(client, async () => {
        await client.query(m.sql);
        await client.query('insert into seaplane_meta.migrations (name, checksum) values ($1, $2)', [m.name, sum]);
      });
      applied.push(m.name);
      log(`applied migration ${m.name}`);
    }

    if (options.definitions !== false) {
      const defs = await readDefinitions();
      const sum = checksum(defs);
      const current = await client.query<{ checksum: string }>('select checksum from seaplane_meta.definitions');
      if (current.rows[0]?.checksum !== sum) {
        await inTransaction(client, async () => {
          await client.query(DROP_DEFINITIONS_SQL);
          for (const d of defs) await client.query(d.sql).catch((err: Error) => Promise.reject(new Error(`sql/${d.name}: ${err.message}`)));
          await client.query(
            'insert into seaplane_meta.definitions (id, checksum) values (1, $1) on conflict (id) do update set checksum = excluded.checksum, applied_at = now()',
            [sum],
          );
        });
        definitionsApplied = true;
        log(`applied ${defs.length} definition files from sql/`);
      }
    }
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
    client.release();
  }
  return { applied, definitionsApplied };
}
