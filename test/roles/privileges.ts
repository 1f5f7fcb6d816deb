// What the Supabase roles may do with our objects, read from the catalog and tried for real with
// SET ROLE. Shared by the roles test (a database built by the migration runner) and the deploy
// test (a database built from the `supabase:build` migrations alone).
import type pg from 'pg';

export const OUR_SCHEMAS = ['seaplane', 'api', 'seaplane_meta'] as const;
const TABLE_PRIVILEGES = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'] as const;

export interface OurObject {
  kind: 'table' | 'view' | 'sequence' | 'function';
  schema: string;
  /** regclass / regprocedure text */
  name: string;
  /** for functions: a call with typed NULL arguments (permission is checked before the body runs) */
  call?: string;
}

export async function ourObjects(client: pg.ClientBase): Promise<OurObject[]> {
  const rels = await client.query<{ kind: 'table' | 'view' | 'sequence'; schema: string; name: string }>(`
    select case c.relkind when 'v' then 'view' when 'm' then 'view' when 'S' then 'sequence' else 'table' end as kind,
           n.nspname as schema, c.oid::regclass::text as name
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = any($1) and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f') order by 3`, [OUR_SCHEMAS]);
  const fns = await client.query<{ schema: string; name: string; call: string }>(`
    select n.nspname as schema, p.oid::regprocedure::text as name,
           format('select %s(%s)', p.oid::regproc::text,
             coalesce((select string_agg(format('null::%s', format_type(t, null)), ', ' order by i)
                       from unnest(p.proargtypes::oid[]) with ordinality as a(t, i)), '')) as call
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = any($1) and p.prokind = 'f' order by 2`, [OUR_SCHEMAS]);
  return [...rels.rows, ...fns.rows.map((f) => ({ kind: 'function' as const, ...f }))];
}

/** Every privilege `role` holds on our schemas and objects, as readable lines. */
export async function privilegesOf(client: pg.ClientBase, role: string): Promise<string[]> {
  const out: string[] = [];
  for (const schema of OUR_SCHEMAS) {
    for (const p of ['USAGE', 'CREATE']) {
      const r = await client.query<{ ok: boolean }>('select has_schema_privilege($1, $2, $3) as ok', [role, schema, p]);
      if (r.rows[0]?.ok) out.push(`${p} on schema ${schema}`);
    }
  }
  for (const o of await ourObjects(client)) {
    if (o.kind === 'function') {
      const r = await client.query<{ ok: boolean }>('select has_function_privilege($1, $2::regprocedure, $3) as ok', [role, o.name, 'EXECUTE']);
      if (r.rows[0]?.ok) out.push(`EXECUTE on function ${o.name}`);
    } else if (o.kind === 'sequence') {
      for (const p of ['USAGE', 'SELECT', 'UPDATE']) {
        const r = await client.query<{ ok: boolean }>('select has_sequence_privilege($1, $2::regclass, $3) as ok', [role, o.name, p]);
        if (r.rows[0]?.ok) out.push(`${p} on sequence ${o.name}`);
      }
    } else {
      for (const p of TABLE_PRIVILEGES) {
        const r = await client.query<{ ok: boolean }>('select has_table_privilege($1, $2::regclass, $3) as ok', [role, o.name, p]);
        if (r.rows[0]?.ok) out.push(`${p} on ${o.kind} ${o.name}`);
      }
    }
  }
  return out;
}

/** What sql/90_grants.sql gives service_role: api usage, EXECUTE on api functions, SELECT on api views. */
export async function expectedServiceRolePrivileges(client: pg.ClientBase): Promise<string[]> {
  const out = ['USAGE on schema api'];
  for (const o of await ourObjects(client)) {
    if (o.schema !== 'api') continue;
    if (o.kind === 'function') out.push(`EXECUTE on function ${o.name}`);
    else if (o.kind === 'view' || o.kind === 'table') out.push(`SELECT on ${o.kind} ${o.name}`);
  }
  return out;
}

/**
 * Tries every object as `role` inside the caller's transaction (each in a savepoint) and returns
 * the ones that did not fail with permission denied (42501).
 */
export async function reachableAs(client: pg.ClientBase, role: string): Promise<string[]> {
  const reached: string[] = [];
  const objects = await ourObjects(client);
  await client.query(`set local role ${role}`);
  try {
    for (const o of objects) {
      const sql = o.kind === 'function' ? (o.call as string) : `select 1 from ${o.name} limit 0`;
      await client.query('savepoint probe');
      try {
        await client.query(sql);
        reached.push(`${o.kind} ${o.name}`);
      } catch (err) {
        if ((err as { code?: string }).code !== '42501') reached.push(`${o.kind} ${o.name} (ran, then failed with ${(err as { code?: string }).code})`);
      }
      await client.query('rollback to savepoint probe');
    }
  } finally {
    await client.query('reset role');
  }
  return reached;
}
