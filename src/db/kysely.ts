import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import type { DB } from './schema.gen.ts';

export type Db = Kysely<DB>;

/** The pools of databases whose api function calls may use named prepared statements (rpc.ts). */
const preparing = new WeakMap<object, pg.Pool>();

/**
 * preparedStatements (default on): rpc() sends api function calls as named prepared statements,
 * parsed and planned once per connection. Turn it off behind a transaction-mode pooler
 * (Supabase's on port 6543, PgBouncer), which does not keep a connection's statements:
 * SEAPLANE_PREPARED_STATEMENTS=off sets the default for every database of the process.
 */
export function createDb(pool: pg.Pool, options: { preparedStatements?: boolean } = {}): Db {
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  if (options.preparedStatements ?? env?.SEAPLANE_PREPARED_STATEMENTS !== 'off') preparing.set(db, pool);
  return db;
}

/** The pool behind `db` when its api calls may be prepared; undefined inside a transaction. */
export function preparingPool(db: object): pg.Pool | undefined {
  return preparing.get(db);
}
