// docs/api.md is the edge's reference: its error table must list every code of the catalogue
// with the same status and retryability, and its rate-limit table the limits in force.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERRORS } from '../../src/api/errors.ts';
import { DEFAULT_LIMITS } from '../../src/api/rate-limit.ts';
import { PLAN_LIMITS } from '../../src/api/rate-limit-redis.ts';

const doc = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');

describe('docs/api.md', () => {
  it('lists every error code with its HTTP status, type and retryability', () => {
    for (const e of Object.values(ERRORS)) {
      const row = doc.split('\n').find((l) => l.startsWith(`| \`${e.code}\` |`));
      expect(row, `${e.code} is missing from docs/api.md`).toBeDefined();
      expect(row).toContain(`| ${e.status} | \`${e.type}\` | ${e.retryable ? 'yes' : 'no'} |`);
    }
  });

  it('states the default and per-plan rate limits in force', () => {
    const row = (cls: string) => doc.split('\n').find((l) => l.startsWith(`| \`${cls}\` |`)) ?? '';
    for (const cls of ['generate', 'read', 'write'] as const) {
      const cells = row(cls).split('|').map((c) => c.trim());
      expect(cells[3]).toBe(`${DEFAULT_LIMITS[cls]}/min`);
      expect(cells.slice(4, 7)).toEqual(['free', 'pro', 'scale'].map((p) => String(PLAN_LIMITS[p]?.[cls] ?? DEFAULT_LIMITS[cls])));
    }
  });
});
