import { describe, expect, it } from 'vitest';
import { rpc } from '../../src/db/rpc.ts';
import { startTestStack } from '../helpers/stack.ts';

describe('the API key cache', () => {
  it('a revocation reaches the API within the cache TTL, and an expiry at once', async () => {
    let nowMs = Date.now();
    const s = await startTestStack({ worker: false, keyCacheTtlMs: 5_000, clock: () => new Date(nowMs) });
    try {
      const key = await s.newKey();
      const id = (await s.db.selectFrom('api.api_keys_v').select('apikey_id').orderBy('created_at', 'desc').executeTakeFirstOrThrow()).apikey_id;
      expect((await s.request('GET', '/v1/content/list', { key })).status).toBe(200);
      await rpc(s.db, 'apikey_revoke', { p_apikey_id: id, p_now: new Date(nowMs) });
      expect((await s.request('GET', '/v1/content/list', { key })).status).toBe(200); // still cached
      nowMs += 5_001;
      const r = await s.request('GET', '/v1/content/list', { key });
      expect(r.status).toBe(401);
      expect(r.json.error.code).toBe('BSE1003');

      const expiring = await s.newKey(undefined, new Date(nowMs + 1_000));
      expect((await s.request('GET', '/v1/content/list', { key: expiring })).status).toBe(200);
      nowMs += 1_001; // inside the cache TTL, past the key's expiry
      expect((await s.request('GET', '/v1/content/list', { key: expiring })).json.error.code).toBe('BSE1005');
    } finally {
      await s.close();
    }
  });
});
