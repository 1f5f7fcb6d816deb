// What the edge functions load. The API code is runtime-neutral: no node: builtin is reached by
// a static import from either entry point (pg reaches Deno's Node compatibility on its own, as an
// npm package); node:fs and node:path are only behind the lazy import of the local-disk store,
// which the Supabase path never takes. Every import is a relative path or a bare npm name.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importGraph, packageOf } from '../../src/cli/supabase-build.ts';
import { ROOT } from './deno.ts';

describe('edge function imports', () => {
  for (const fn of ['api', 'stripe-webhook']) {
    it(`functions/${fn} reaches no node: builtin statically, and no jsr:, npm: or URL import at all`, async () => {
      const g = await importGraph(join(ROOT, 'functions', fn, 'index.ts'));
      expect([...g.bare].filter((s) => s.startsWith('node:'))).toEqual([]);
      expect([...g.bare, ...g.lazyBare].filter((s) => /^(jsr:|npm:|https?:|file:)/.test(s))).toEqual([]);
      expect(g.files.map((f) => f.slice(ROOT.length)).filter((f) => f.startsWith('src/worker/') || f.startsWith('src/providers/') || f.startsWith('src/embedded/'))).toEqual([]);
      expect([...g.lazyBare].filter((s) => s.startsWith('node:')).sort()).toEqual(['node:fs/promises', 'node:path']);
    });
  }

  it('the npm packages they import are all dependencies in package.json (not only present transitively)', async () => {
    const pkg = (await import('../../package.json', { with: { type: 'json' } })).default as { dependencies: Record<string, string> };
    const g = await importGraph(join(ROOT, 'functions', 'api', 'index.ts'));
    const used = [...new Set([...g.bare, ...g.lazyBare].filter((s) => !s.startsWith('node:')).map(packageOf))];
    expect(used.filter((p) => !(p in pkg.dependencies))).toEqual([]);
  });
});
