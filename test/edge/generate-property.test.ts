// Property: whatever body arrives at generate (random JSON, valid bodies with one or more
// mutations, raw text), the answer is never a 5xx, an error is always the error envelope, and a
// rejected request leaves no row behind. fast-check prints the seed and the shrunk counterexample
// on failure; rerun with that seed to reproduce.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryRateLimiter } from '../../src/api/rate-limit.ts';
import { allModels } from '../../src/catalog/index.ts';
import type { CatalogModel } from '../../src/catalog/types.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { errorOf, rowCounts } from './counts.ts';

let s: TestStack;
beforeAll(async () => {
  s = await startTestStack({
    credits: 100_000, worker: false, maxBodyBytes: 32 * 1024,
    rateLimiter: new MemoryRateLimiter({ generate: 1_000_000, read: 1_000_000, write: 1_000_000, anonymous: 1_000_000, webhook: 1e9 }),
  });
});
afterAll(async () => {
  await s.close();
});

const models = allModels();
const FIELDS = [
  'generation_prompt', 'generation_ratio', 'generation_output_format', 'generation_output_number', 'generation_input_file',
  'generation_provider_order', 'generation_duration', 'generation_resolution', 'generation_generate_audio',
  'generation_input_file_last_content', 'seed', 'guidance', '__proto__', 'constructor',
];

// Any JSON value, with strings over all UTF-16 units (NUL and lone surrogates included).
const { value: jsonish } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true },
    fc.string({ unit: 'binary', maxLength: 40 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null),
    fc.constantFrom('5', '', '1:1', 'png', 'mp4', '720p', 'fastest', 'https://example.com/a.png', 'https://127.0.0.1/a.png', 'x'.repeat(3000)),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.constantFrom(...FIELDS, 'extra'), tie('value'), { maxKeys: 4 })),
}));

function validBody(m: CatalogModel): Record<string, unknown> {
  const body: Record<string, unknown> = { generation_prompt: 'a seaplane over the bay' };
  if (m.model_type === 'video') body.generation_duration = m.schema.generation_duration?.[0];
  return body;
}

const mutation = fc.oneof(
  fc.record({ op: fc.constant('set' as const), field: fc.constantFrom(...FIELDS), value: jsonish }),
  fc.record({ op: fc.constant('delete' as const), field: fc.constantFrom(...FIELDS) }),
);

const request = fc.record({
  model: fc.constantFrom(...models),
  route: fc.constantFrom('image' as const, 'video' as const, 'match' as const),
  body: fc.oneof(
    { weight: 3, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 4 }).map((ms) => ({ kind: 'mutated' as const, ms })) },
    { weight: 1, arbitrary: jsonish.map((v) => ({ kind: 'json' as const, text: JSON.stringify(v) ?? 'null' })) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }).map((t) => ({ kind: 'raw' as const, text: t })) },
  ),
});

describe('generate under random and mutated bodies', () => {
  it('never answers 5xx, always answers errors in the envelope, and never leaves a row for a rejected request', async () => {
    let accepted = 0;
    let rejectedCount = 0;
    await fc.assert(fc.asyncProperty(request, async ({ model, route, body }) => {
      const r = route === 'match' ? model.model_type : route;
      let text: string;
      if (body.kind === 'mutated') {
        const b = validBody(model);
        for (const m of body.ms) {
          if (m.op === 'delete') delete b[m.field];
          else Object.defineProperty(b, m.field, { value: m.value, enumerable: true, configurable: true, writable: true });
        }
        text = JSON.stringify(b);
      } else text = body.text;
      const before = await rowCounts(s);
      const res = await s.request('POST', `/v1/generate/${r}/${model.model_identifier}`, { body: text });
      const after = await rowCounts(s);
      expect(res.status, text).toBeLessThan(500);
      if (res.status >= 400) {
        errorOf(res.json);
        expect(after, text).toEqual(before);
        rejectedCount++;
      } else {
        expect(res.status).toBe(200);
        expect(res.json).toMatchObject({ status: 'success', data: { generation_initialized: true } });
        expect(after.generations - before.generations).toBe(1);
        expect(after.holds - before.holds).toBe(1);
        accepted++;
      }
    }), { numRuns: 300 });
    // The generator must exercise both outcomes, or the property proves little.
    expect(accepted).toBeGreaterThan(0);
    expect(rejectedCount).toBeGreaterThan(0);
  });
});
