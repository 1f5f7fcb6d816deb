// Calls a function of schema `api` with named arguments: the typed equivalent of Supabase's
// rpc(). The function name and argument names come from the generated ApiFunctions type and
// the SQL casts from API_ARG_TYPES, never from input; values are always bound parameters.
import { type Kysely, sql } from 'kysely';
import { API_ARG_TYPES, type ApiFunctions } from './schema.gen.ts';

export type FnName = keyof ApiFunctions;
export type FnArgs<N extends FnName> = ApiFunctions[N]['args'];
export type FnRow<N extends FnName> = ApiFunctions[N]['row'];

// biome-ignore lint: any database type works for a function call
export async function rpc<N extends FnName>(db: Kysely<any>, name: N, args: FnArgs<N>): Promise<FnRow<N>[]> {
  const params = Object.entries(args as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => {
      const type = API_ARG_TYPES[`${name}.${k}`];
      if (type === undefined) throw new Error(`api.${name} has no argument ${k}`);
      const value = (type === 'jsonb' || type === 'json') && v !== null ? JSON.stringify(v) : v;
      return sql`${sql.id(k)} => ${value}::${sql.raw(type)}`;
    });
  const result = await sql<FnRow<N>>`select * from ${sql.id('api', name)}(${sql.join(params)})`.execute(db);
  return result.rows;
}

/** rpc() for functions that return exactly one row. */
export async function rpcOne<N extends FnName>(db: Kysely<any>, name: N, args: FnArgs<N>): Promise<FnRow<N>> {
  const rows = await rpc(db, name, args);
  if (rows.length !== 1) throw new Error(`api.${name} returned ${rows.length} rows, expected 1`);
  return rows[0] as FnRow<N>;
}
