import { describe, expect, it } from 'vitest';
import { MemoryRateLimiter } from '../../src/api/rate-limit.ts';
import { startTestStack } from '../helpers/stack.ts';

describe('unauthenticated webhook endpoints', () => {
  it('are rate-limited per source address before anything is stored (429 with Retry-After)', async () => {
    // A fixed clock: the limiter's window is a wall-clock minute, and a real clock could cross it mid-test.
    const now = new Date('2026-11-25T12:00:10Z');
    const s = await startTestStack({ worker: false, clock: () => now, rateLimiter: new MemoryRateLimiter({ generate: 100, read: 100, write: 100, anonymous: 100, webhook: 2 }) });
    try {
      const post = () => fetch(`${s.url}/v1/providers/replicate/webhook`, { method: 'POST', body: '{}', headers: { 'x-forwarded-for': '203.0.113.9' } });
      expect((await post()).status).toBe(200);
      expect((await post()).status).toBe(200);
      const limited = await post();
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await limited.json()).error.code).toBe('BSE1029');
      const stored = await s.db.selectFrom('api.provider_webhooks_v').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(stored.n)).toBe(2);
      const other = await fetch(`${s.url}/v1/providers/replicate/webhook`, { method: 'POST', body: '{}', headers: { 'x-forwarded-for': '198.51.100.7' } });
      expect(other.status).toBe(200); // another address has its own window
    } finally {
      await s.close();
    }
  });
});
