// Calls a function of schema `api` with named arguments: the typed equivalent of Supabase's
// rpc(). The function name and argument names come from the generated ApiFunctions type and
// the SQL casts from API_ARG_TYPES, never from input; values are always bound parameters.
import { type Kysely, sql } from 'kysely';
import { preparingPool } from './kysely.ts';
import { API_ARG_TYPES, type ApiFunctions } from './schema.gen.ts';

export type FnName = keyof ApiFunctions;
export type FnArgs<N extends FnName> = ApiFunctions[N]['args'];
export type FnRow<N extends FnName> = ApiFunctions[N]['row'];

/** The statement text per function and argument list, and its prepared statement's name. */
const statements = new Map<string, { name: string; text: string }>();

function argType(name: string, key: string): string {
  const type = API_ARG_TYPES[`${name}.${key}`];
  if (type === undefined) throw new Error(`api.${name} has no argument ${key}`);
  return type;
}

function statementFor(name: string, keys: string[], types: string[]): { name: string; text: string } {
  const id = `${name}(${keys.join(',')})`;
  let st = statements.get(id);
  if (st === undefined) {
    const params = keys.map((k, i) => `"${k}" => $${i + 1}::${types[i]}`);
    st = { name: `seaplane_rpc_${statements.size}`, text: `select * from "api"."${name}"(${params.join(', ')})` };
    statements.set(id, st);
  }
  return st;
}

// biome-ignore lint: any database type works for a function call
export async function rpc<N extends FnName>(db: Kysely<any>, name: N, args: FnArgs<N>): Promise<FnRow<N>[]> {
  const entries = Object.entries(args as Record<string, unknown>).filter(([, v]) => v !== undefined);
  const keys = entries.map(([k]) => k);
  const types = keys.map((k) => argType(name, k));
  const values = entries.map(([, v], i) => ((types[i] === 'jsonb' || types[i] === 'json') && v !== null ? JSON.stringify(v) : v));
  const pool = preparingPool(db);
  if (pool !== undefined) {
    // a named statement: parsed and planned once per connection (identifiers come from the
    // generated types above, never from input)
    const st = statementFor(name, keys, types);
    return (await pool.query({ name: st.name, text: st.text, values })).rows as FnRow<N>[];
  }
  const params = keys.map((k, i) => sql`${sql.id(k)} => ${values[i]}::${sql.raw(types[i] as string)}`);
  const result = await sql<FnRow<N>>`select * from ${sql.id('api', name)}(${sql.join(params)})`.execute(db);
  return result.rows;
}

/** rpc() for functions that return exactly one row. */
export async function rpcOne<N extends FnName>(db: Kysely<any>, name: N, args: FnArgs<N>): Promise<FnRow<N>> {
  const rows = await rpc(db, name, args);
  if (rows.length !== 1) throw new Error(`api.${name} returned ${rows.length} rows, expected 1`);
  return rows[0] as FnRow<N>;
}

/**
 * Whether Postgres itself answered a call with an error (a SQLSTATE): its transaction was then
 * rolled back whole, so nothing of the call remains and it may be sent again.
 */
export function isServerError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
}
