import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { errorOf, rowCounts } from './counts.ts';

// A pinned, movable clock: the 24 h window is tested by moving it, never by waiting.
let now = new Date('2026-11-25T12:00:00Z');
let s: TestStack;
beforeAll(async () => {
  s = await startTestStack({ credits: 10, worker: false, clock: () => now });
});
afterAll(async () => {
  await s.close();
});

const PATH = '/v1/generate/image/bfl/flux-schnell';
const gen = (key: string, body: unknown = { generation_prompt: 'a seaplane' }, headers: Record<string, string> = {}) =>
  s.request('POST', PATH, { body, headers: { 'idempotency-key': key, ...headers } });

describe('idempotency (contract §10, design §8)', () => {
  it('50 concurrent identical requests with one key create exactly one generation and one hold; the rest replay it or get a retryable BSE2016', async () => {
    const before = await rowCounts(s);
    const key = `race-${crypto.randomUUID()}`;
    const results = await Promise.all(Array.from({ length: 50 }, () => gen(key)));
    const after = await rowCounts(s);
    expect(after.generations - before.generations).toBe(1);
    expect(after.holds - before.holds).toBe(1);
    expect(after.attempts - before.attempts).toBe(1);
    expect(after.idempotency_keys - before.idempotency_keys).toBe(1);

    const ok = results.filter((r) => r.status === 200);
    const busy = results.filter((r) => r.status === 409);
    expect(ok.length + busy.length).toBe(50);
    expect(ok.filter((r) => r.headers.get('idempotency-replayed') !== 'true')).toHaveLength(1);
    expect(new Set(ok.map((r) => r.json.data.generation_id)).size).toBe(1);
    for (const r of ok) expect(r.json.idempotency_replayed).toBeUndefined();
    for (const r of busy) {
      expect(errorOf(r.json)).toMatchObject({ code: 'BSE2016', retryable: true });
      expect(r.headers.get('retry-after')).toBe('1');
      expect(r.headers.get('x-ratelimit-limit')).toMatch(/^\d+$/);
      expect(r.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
      expect(r.headers.get('x-ratelimit-reset')).toMatch(/^\d+$/);
    }
  });

  it('a replay returns the original status and body byte for byte, with Idempotency-Replayed: true only in the header', async () => {
    const key = `replay-${crypto.randomUUID()}`;
    const first = await gen(key);
    expect(first.status).toBe(200);
    expect(first.headers.get('idempotency-replayed')).toBeNull();
    const again = await gen(key);
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotency-replayed')).toBe('true');
    expect(again.json).toEqual(first.json);
  });

  it('the same key with a different body is BSE2015 (409, not retryable) and creates nothing', async () => {
    const key = `mismatch-${crypto.randomUUID()}`;
    expect((await gen(key, { generation_prompt: 'one' })).status).toBe(200);
    const before = await rowCounts(s);
    const r = await gen(key, { generation_prompt: 'two' });
    expect(r.status).toBe(409);
    expect(errorOf(r.json)).toMatchObject({ code: 'BSE2015', type: 'idempotency_key_reused', retryable: false });
    expect(await rowCounts(s)).toEqual(before);
  });

  it('the same key on the other route or another model is BSE2015: the fingerprint covers route and model', async () => {
    const key = `model-${crypto.randomUUID()}`;
    expect((await gen(key)).status).toBe(200);
    const other = await s.request('POST', '/v1/generate/image/bfl/flux-dev', { body: { generation_prompt: 'a seaplane' }, headers: { 'idempotency-key': key } });
    expect(errorOf(other.json).code).toBe('BSE2015');
  });

  it('key order in the body does not matter: a reordered body replays', async () => {
    const key = `order-${crypto.randomUUID()}`;
    const a = await s.request('POST', PATH, { body: '{"generation_prompt":"x","generation_ratio":"1:1","generation_output_number":2}', headers: { 'idempotency-key': key } });
    const b = await s.request('POST', PATH, { body: '{"generation_output_number":2,"generation_ratio":"1:1","generation_prompt":"x"}', headers: { 'idempotency-key': key } });
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(b.headers.get('idempotency-replayed')).toBe('true');
    expect(b.json.data.generation_id).toBe(a.json.data.generation_id);
  });

  it('keys are scoped per account: another account with the same key gets its own generation', async () => {
    const key = `scoped-${crypto.randomUUID()}`;
    const mine = await gen(key);
    const other = await s.newAccount(1);
    const theirs = await s.request('POST', PATH, { body: { generation_prompt: 'a seaplane' }, headers: { 'idempotency-key': key }, key: other.apiKey });
    expect(theirs.status).toBe(200);
    expect(theirs.headers.get('idempotency-replayed')).toBeNull();
    expect(theirs.json.data.generation_id).not.toBe(mine.json.data.generation_id);
  });

  it('a replay of a since-canceled generation returns the canceled shape {generation_id, generation_status}', async () => {
    const key = `cancel-${crypto.randomUUID()}`;
    const first = await gen(key);
    const id = first.json.data.generation_id as string;
    expect((await s.request('POST', `/v1/content/generation/cancel/${id}`)).status).toBe(200);
    const again = await gen(key);
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotency-replayed')).toBe('true');
    expect(again.json.data).toEqual({ generation_id: id, generation_status: 'canceled' });
    expect(again.json).toMatchObject({ status: 'success', request_id: first.json.request_id });
  });

  it('while the original holds the key, a second request is BSE2016 with Retry-After: 1 and X-RateLimit-*, and nothing is created', async () => {
    const key = `held-${crypto.randomUUID()}`;
    // Hold the same advisory lock the original's transaction holds (idempotency_claim).
    const holder = await s.pool.connect();
    try {
      await holder.query(`select pg_advisory_lock(hashtextextended($1::text || '/' || $2, 7310))`, [s.accountId, key]);
      const before = await rowCounts(s);
      const r = await gen(key);
      expect(r.status).toBe(409);
      expect(errorOf(r.json)).toMatchObject({ code: 'BSE2016', retryable: true });
      expect(r.headers.get('retry-after')).toBe('1');
      expect(r.headers.get('x-ratelimit-limit')).toMatch(/^\d+$/);
      expect(await rowCounts(s)).toEqual(before);
    } finally {
      await holder.query('select pg_advisory_unlock_all()');
      holder.release();
    }
    expect((await gen(key)).status).toBe(200);
  });

  it('a key expires after 24 h: the same key then creates a new generation', async () => {
    const key = `expiry-${crypto.randomUUID()}`;
    const first = await gen(key);
    now = new Date(now.getTime() + 24 * 3_600_000 - 1_000);
    const within = await gen(key);
    expect(within.headers.get('idempotency-replayed')).toBe('true');
    now = new Date(now.getTime() + 2_000);
    const after = await gen(key);
    expect(after.status).toBe(200);
    expect(after.headers.get('idempotency-replayed')).toBeNull();
    expect(after.json.data.generation_id).not.toBe(first.json.data.generation_id);
  });

  it('the cleanup task removes keys older than 24 h and keeps younger ones', async () => {
    const key = `cleanup-${crypto.randomUUID()}`;
    await gen(key);
    const { rows: [r1] } = await s.pool.query('select api.idempotency_keys_expire($1::timestamptz) as n', [new Date(now.getTime() + 3_600_000)]);
    const still = await s.pool.query('select 1 from seaplane.idempotency_keys where account_id = $1 and key = $2', [s.accountId, key]);
    expect(still.rowCount).toBe(1);
    const { rows: [r2] } = await s.pool.query('select api.idempotency_keys_expire($1::timestamptz) as n', [new Date(now.getTime() + 24 * 3_600_000)]);
    expect(Number(r2.n)).toBeGreaterThanOrEqual(1);
    expect(Number(r1.n)).toBeGreaterThanOrEqual(0);
    const gone = await s.pool.query('select 1 from seaplane.idempotency_keys where account_id = $1 and key = $2', [s.accountId, key]);
    expect(gone.rowCount).toBe(0);
  });

  it.each([
    ['a space', 'has space'],
    ['a slash', 'a/b'],
    ['a percent-encoded non-ASCII character', 'caf%C3%A9'],
    ['256 characters', 'k'.repeat(256)],
  ])('an Idempotency-Key with %s is BSE2011 (400) and creates nothing', async (_, key) => {
    const before = await rowCounts(s);
    const r = await gen(key, { generation_prompt: 'x' });
    expect(r.status).toBe(400);
    expect(errorOf(r.json)).toMatchObject({ code: 'BSE2011', retryable: false });
    expect(await rowCounts(s)).toEqual(before);
  });

  it('an empty Idempotency-Key is BSE2011', async () => {
    const r = await s.request('POST', PATH, { body: { generation_prompt: 'x' }, headers: { 'idempotency-key': '' } });
    expect(errorOf(r.json).code).toBe('BSE2011');
  });

  it('a 255-character key of every allowed character class is accepted', async () => {
    const key = `Az09_.:-${'x'.repeat(247)}`;
    expect(key).toHaveLength(255);
    expect((await gen(key)).status).toBe(200);
  });
});
