// The Supabase Storage artifact store against a local fake that speaks Storage's REST protocol
// as @supabase/storage-js uses it (upload with x-upsert, authenticated download, bulk remove by
// prefixes, public URLs). No Supabase server can run here; this checks our side of the wire.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/kysely.ts';
import { createPool } from '../../src/db/pool.ts';
import { freePort } from '../../src/lib/net.ts';
import { createAccount, createKey } from '../../src/ops/accounts.ts';
import { SupabaseStorageStore, supabaseServerKey } from '../../src/storage/supabase.ts';
import { artifactKey } from '../../src/storage/types.ts';
import { startDenoFunction } from '../deno/deno.ts';
import { cloneTemplate } from '../helpers/db.ts';

const SERVICE_KEY = 'service-role-key-for-tests';
const objects = new Map<string, { data: Buffer; type: string }>();
const seen: string[] = [];
let server: Server;
let url: string;
let notFoundStatus = 400; // older Storage servers answer a missing object with 400 + statusCode "404"

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    seen.push(`${req.method} ${req.url}`);
    if (req.headers.authorization !== `Bearer ${SERVICE_KEY}` || req.headers.apikey !== SERVICE_KEY) return json(401, { statusCode: '401', error: 'Unauthorized', message: 'bad key' });
    const m = /^\/storage\/v1\/object\/([^/]+)(?:\/(.+))?$/.exec(decodeURI(req.url ?? ''));
    if (!m) return json(404, { statusCode: '404', error: 'not_found', message: 'no route' });
    const [, bucket, path] = m;
    const id = `${bucket}/${path}`;
    if ((req.method === 'POST' || req.method === 'PUT') && path) {
      if (objects.has(id) && req.headers['x-upsert'] !== 'true') return json(400, { statusCode: '409', error: 'Duplicate', message: 'The resource already exists' });
      objects.set(id, { data: await body(req), type: String(req.headers['content-type']) });
      return json(200, { Key: id, Id: crypto.randomUUID() });
    }
    if (req.method === 'GET' && path) {
      const o = objects.get(id);
      if (!o) return json(notFoundStatus, { statusCode: '404', error: 'not_found', message: 'Object not found' });
      res.writeHead(200, { 'content-type': o.type, 'content-length': o.data.length });
      return res.end(o.data);
    }
    if (req.method === 'DELETE' && !path) {
      const { prefixes } = JSON.parse((await body(req)).toString()) as { prefixes: string[] };
      const removed = prefixes.filter((p) => objects.delete(`${bucket}/${p}`));
      return json(200, removed.map((name) => ({ name, bucket_id: bucket, id: crypto.randomUUID() })));
    }
    return json(400, { statusCode: '400', error: 'bad', message: `unexpected ${req.method}` });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const key = (n = 0) => artifactKey('0b5d2c1e-8f3a-4c6b-9d7e-1a2b3c4d5e6f', '7c9e6679-7425-40de-944b-e07fc1f90ae7', n, 'png');
const png = { data: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]), content_type: 'image/png' };

describe('SupabaseStorageStore', () => {
  const store = () => new SupabaseStorageStore({ url, serviceRoleKey: SERVICE_KEY, bucket: 'seaplane-artifacts' });

  it('put uploads the bytes with their content type (upsert), get returns them, and a missing object is null', async () => {
    await store().put(key(0), png);
    expect(objects.get(`seaplane-artifacts/${key(0)}`)?.type).toBe('image/png');
    await store().put(key(0), png); // a retried write replaces, never fails
    const got = await store().get(key(0));
    expect(got?.content_type).toBe('image/png');
    expect([...(got?.data ?? [])]).toEqual([...png.data]);
    expect(await store().get(key(9))).toBeNull();
    notFoundStatus = 404;
    expect(await store().get(key(9))).toBeNull();
    notFoundStatus = 400;
  });

  it('delete removes the keys that exist in one request and counts only those', async () => {
    await store().put(key(1), png);
    const before = seen.length;
    expect(await store().delete([key(0), key(1), key(2)])).toBe(2);
    expect(seen.slice(before)).toEqual(['DELETE /storage/v1/object/seaplane-artifacts']);
    expect(await store().get(key(1))).toBeNull();
    expect(await store().delete([])).toBe(0);
  });

  it('refuses keys that are not artifact keys, before any request', async () => {
    const before = seen.length;
    await expect(store().put('../etc/passwd', png)).rejects.toThrow(/invalid artifact key/);
    expect(await store().get('not/a/key.png')).toBeNull();
    expect(seen.length).toBe(before);
  });

  it('public URLs point at the public bucket, or at STORAGE_PUBLIC_URL when set (a CDN or custom domain)', () => {
    expect(store().publicUrl(key(0))).toBe(`${url}/storage/v1/object/public/seaplane-artifacts/${key(0)}`);
    const cdn = new SupabaseStorageStore({ url, serviceRoleKey: SERVICE_KEY, bucket: 'b', publicBaseUrl: 'https://files.example.com/' });
    expect(cdn.publicUrl(key(0))).toBe(`https://files.example.com/${key(0)}`);
  });

  it('health does a real round trip (write, read, remove a probe) and reports a refused key as unhealthy', async () => {
    const h = await store().health();
    expect(h).toMatchObject({ healthy: true });
    expect([...objects.keys()].some((k) => k.includes('.health/'))).toBe(false);
    const bad = await new SupabaseStorageStore({ url, serviceRoleKey: 'wrong', bucket: 'seaplane-artifacts' }).health();
    expect(bad.healthy).toBe(false);
    expect(bad.error).toBeDefined();
  });

  it('the server key comes from SUPABASE_SERVICE_ROLE_KEY, SUPABASE_SECRET_KEY or the SUPABASE_SECRET_KEYS dictionary', () => {
    expect(supabaseServerKey({ SUPABASE_SERVICE_ROLE_KEY: 'legacy', SUPABASE_SECRET_KEYS: '{"default":"new"}' })).toBe('legacy');
    expect(supabaseServerKey({ SUPABASE_SECRET_KEY: 'sb_secret_a' })).toBe('sb_secret_a');
    expect(supabaseServerKey({ SUPABASE_SECRET_KEYS: '{"other":"sb_secret_b","default":"sb_secret_c"}' })).toBe('sb_secret_c');
    expect(supabaseServerKey({ SUPABASE_SECRET_KEYS: '{"worker":"sb_secret_d"}' })).toBe('sb_secret_d');
    expect(supabaseServerKey({ SUPABASE_SECRET_KEYS: 'not json' })).toBeUndefined();
    expect(supabaseServerKey({})).toBeUndefined();
  });

  it('the API edge function under Deno uses Supabase Storage when SUPABASE_URL and the service role key are set (no STORAGE_DIR)', async () => {
    const databaseUrl = await cloneTemplate();
    const pool = createPool(databaseUrl, { max: 2 });
    const deno = await startDenoFunction('functions/api/index.ts',
      { DATABASE_URL: databaseUrl, PORT: String(await freePort()), SUPABASE_URL: url, SUPABASE_SECRET_KEYS: JSON.stringify({ default: SERVICE_KEY }), STORAGE_BUCKET: 'edge-bucket' },
      ['--allow-net', '--allow-env', '--allow-read']);
    try {
      const db = createDb(pool);
      const apiKey = (await createKey(db, { accountId: await createAccount(db, { name: 'storage', freeMicrocredits: 0 }) })).api_key;
      const before = seen.length;
      const res = await fetch(`${deno.url}/v1/health/storage`, { headers: { authorization: `Bearer ${apiKey}` } });
      const body = await res.json();
      expect(res.status, JSON.stringify(body)).toBe(200);
      expect(body.data).toMatchObject({ service: 'storage', bucket: 'edge-bucket', healthy: true });
      expect(seen.slice(before).map((l) => l.split(' ')[0])).toEqual(['POST', 'GET', 'DELETE']);
    } finally {
      await deno.stop();
      await pool.end();
    }
  });
});
