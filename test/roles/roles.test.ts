// The database's public face, as the Supabase roles see it (sql/90_grants.sql is the one file
// that says who may call what): anon and authenticated reach nothing of ours; service_role may
// execute the api functions and read the api views, and touches no table directly.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { expectedServiceRolePrivileges, ourObjects, privilegesOf, reachableAs } from './privileges.ts';

let t: TestDatabase;
let client: pg.PoolClient;
beforeAll(async () => {
  t = await createTestDatabase();
  client = await t.pool.connect();
});
afterAll(async () => {
  client?.release();
  await t.close();
});

async function inRolledBackTransaction<T>(fn: () => Promise<T>): Promise<T> {
  await client.query('begin');
  try {
    return await fn();
  } finally {
    await client.query('rollback');
  }
}

describe('Supabase roles on our schemas (seaplane, api, seaplane_meta)', () => {
  it('there is something to protect: tables, views and functions in every schema of ours', async () => {
    const objects = await ourObjects(client);
    expect(objects.filter((o) => o.schema === 'seaplane' && o.kind === 'table').length).toBeGreaterThan(5);
    expect(objects.filter((o) => o.schema === 'api' && o.kind === 'view').length).toBeGreaterThan(0);
    expect(objects.filter((o) => o.schema === 'api' && o.kind === 'function').length).toBeGreaterThan(5);
    expect(objects.filter((o) => o.schema === 'seaplane_meta').length).toBeGreaterThan(0);
  });

  for (const role of ['anon', 'authenticated'] as const) {
    it(`${role} holds no privilege on any schema, table, view, sequence or function of ours`, async () => {
      expect(await privilegesOf(client, role)).toEqual([]);
    });

    it(`${role} is refused (42501) on every table and view read and every function call, tried with SET ROLE`, async () => {
      expect(await inRolledBackTransaction(() => reachableAs(client, role))).toEqual([]);
    });
  }

  it('service_role holds exactly what sql/90_grants.sql grants: api usage, EXECUTE on api functions, SELECT on api views', async () => {
    expect((await privilegesOf(client, 'service_role')).sort()).toEqual((await expectedServiceRolePrivileges(client)).sort());
  });

  it('service_role reaches no seaplane table or function and no seaplane_meta table, tried with SET ROLE', async () => {
    const reached = await inRolledBackTransaction(() => reachableAs(client, 'service_role'));
    expect(reached.filter((r) => !/^(view|function) api\./.test(r))).toEqual([]);
  });

  it('service_role can call an api function and read an api view for real (account_create, then accounts_v)', async () => {
    const balance = await inRolledBackTransaction(async () => {
      await client.query('set local role service_role');
      const id = (await client.query<{ id: string }>("select api.account_create(p_name => 'role check', p_free_microcredits => 1000) as id")).rows[0]?.id;
      const row = await client.query<{ available_microcredits: number }>('select available_microcredits from api.accounts_v where account_id = $1', [id]);
      return row.rows[0]?.available_microcredits;
    });
    expect(balance).toBe(1000);
  });

  it('no Supabase role can reach the job queue: no usage on schema graphile_worker, so add_job is refused (42501)', async () => {
    for (const role of ['anon', 'authenticated', 'service_role']) {
      const usage = await client.query<{ ok: boolean }>("select has_schema_privilege($1, 'graphile_worker', 'USAGE') as ok", [role]);
      expect(usage.rows[0]?.ok, role).toBe(false);
      const code = await inRolledBackTransaction(async () => {
        await client.query(`set local role ${role}`);
        return client.query("select graphile_worker.add_job('attempt_run', '{}'::json)").then(() => 'ran', (err: { code?: string }) => err.code);
      });
      expect(code, role).toBe('42501');
    }
  });

  it('the checks catch a stray grant (a grant to anon inside a rolled-back transaction shows up in both)', async () => {
    const [held, reached] = await inRolledBackTransaction(async () => {
      await client.query('grant usage on schema seaplane to anon; grant select on seaplane.accounts to anon');
      return [await privilegesOf(client, 'anon'), await reachableAs(client, 'anon')];
    });
    expect(held).toEqual(['USAGE on schema seaplane', 'SELECT on table seaplane.accounts']);
    expect(reached).toEqual(['table seaplane.accounts']);
  });

  it('row-level security is on for every table of ours in schema seaplane', async () => {
    const { rows } = await client.query<{ name: string }>(`
      select c.oid::regclass::text as name from pg_class c
      where c.relnamespace = 'seaplane'::regnamespace and c.relkind in ('r', 'p') and not c.relrowsecurity`);
    expect(rows.map((r) => r.name)).toEqual([]);
  });
});
