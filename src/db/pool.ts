// Postgres connections. One driver (node-postgres) for the API, the worker and the CLI; it
// sends unnamed statements only, so it also works through Supabase's pooler in transaction
// mode.
import pg from 'pg';

// bigint columns hold integer micro-credits and counts; parse them as numbers, refusing any
// value JavaScript cannot hold exactly rather than rounding money silently.
pg.types.setTypeParser(20, (value: string) => {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`bigint ${value} exceeds Number.MAX_SAFE_INTEGER`);
  return n;
});

export type Pool = pg.Pool;

export function createPool(connectionString: string, options: { max?: number; applicationName?: string } = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'seaplane',
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}
