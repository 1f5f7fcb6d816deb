// Regions that share one database: a key works in the regions it was issued for, and in no other.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAccount, createKey } from '../../src/ops/accounts.ts';
import { startStack } from '../../src/stack.ts';
import { cloneTemplate } from '../helpers/db.ts';
import { track, untrack } from '../helpers/leaks.ts';

describe('API keys and regions', () => {
  it('a key issued for us is refused in eu on the same database, unless it was issued for both', async () => {
    const databaseUrl = await cloneTemplate();
    const dir = await mkdtemp(join(tmpdir(), 'seaplane-regions-'));
    const us = track(await startStack({ databaseUrl, port: 0, storageDir: dir, region: 'us', worker: false, keyCacheTtlMs: 0 }), 'us stack');
    const eu = track(await startStack({ databaseUrl, port: 0, storageDir: dir, region: 'eu', worker: false, keyCacheTtlMs: 0 }), 'eu stack');
    try {
      const accountId = await createAccount(us.db, { name: 'regional', freeMicrocredits: 0 });
      const usOnly = (await createKey(us.db, { accountId, regions: ['us'] })).api_key;
      const both = (await createKey(us.db, { accountId, regions: ['us', 'eu'] })).api_key;
      const get = (url: string, key: string) => fetch(`${url}/v1/status`, { headers: { authorization: `Bearer ${key}` } });
      expect((await get(us.url, usOnly)).status).toBe(200);
      const refused = await get(eu.url, usOnly);
      expect(refused.status).toBe(401);
      expect((await refused.json()).error).toMatchObject({ code: 'BSE1002', message: 'The API key is not valid in region eu.' });
      expect((await get(us.url, both)).status).toBe(200);
      expect((await get(eu.url, both)).status).toBe(200);
    } finally {
      untrack(us);
      untrack(eu);
      await us.close();
      await eu.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
