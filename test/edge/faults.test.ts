// A database the API cannot reach: every request, generate included, is a retryable 503
// BSE5003 in the error envelope with rate-limit headers (nothing was written, so the SDK's
// automatic retry is safe), and the request log drops its entries instead of failing requests.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../src/lib/net.ts';
import { startStack } from '../../src/stack.ts';
import { errorOf } from './counts.ts';

describe('when the database is unreachable', () => {
  it('generate and reads answer 503 BSE5003, retryable, in the envelope, with X-RateLimit-*', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'seaplane-edge-faults-'));
    const port = await freePort(); // nothing listens there
    const s = await startStack({ databaseUrl: `postgres://postgres:x@127.0.0.1:${port}/none`, port: 0, storageDir: dir, worker: false });
    try {
      for (const [method, path, body] of [
        ['POST', '/v1/generate/image/bfl/flux-schnell', '{"generation_prompt":"x"}'],
        ['GET', '/v1/content/list', undefined],
      ] as const) {
        const r = await fetch(`${s.url}${path}`, {
          method, body, headers: { authorization: 'Bearer bye_abcdefghijklmnopqrstuvwxyz012345', ...(body ? { 'content-type': 'application/json' } : {}) },
        });
        expect(r.status).toBe(503);
        expect(errorOf(await r.json())).toMatchObject({ code: 'BSE5003', retryable: true });
        expect(r.headers.get('x-ratelimit-limit')).toMatch(/^\d+$/);
      }
    } finally {
      await s.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
