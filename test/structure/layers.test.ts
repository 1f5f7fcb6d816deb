// The layers point one way (style.md §18): the API never imports the worker or the provider
// adapters; adapters never import the API or the worker; nothing imports tests; and there is no
// import cycle in src/. A small import-graph walk (relative imports only) keeps this honest
// without a new dependency.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SRC = join(ROOT, 'src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

const graph = new Map<string, string[]>();
for (const f of files(SRC)) {
  const text = readFileSync(f, 'utf8');
  const deps = [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]/gm)]
    .filter((m) => !/^\s*import\s+type\s/.test(m[0]))
    .map((m) => resolve(dirname(f), m[1] as string));
  graph.set(f, deps);
}
const rel = (f: string) => relative(ROOT, f);

const FORBIDDEN: [string, string, string][] = [
  ['src/api/', 'src/worker/', 'the API never imports the worker'],
  ['src/api/', 'src/providers/', 'the API never imports provider adapters'],
  ['src/providers/', 'src/api/', 'adapters never import the API'],
  ['src/providers/', 'src/worker/', 'adapters never import the worker'],
  ['src/providers/', 'src/db/', 'adapters never touch the database'],
  ['src/catalog/', 'src/api/', 'the catalog is below the API'],
  ['src/', 'test/', 'nothing in src/ imports tests'],
];

describe('module layers', () => {
  for (const [from, to, why] of FORBIDDEN) {
    it(why, () => {
      const bad = [...graph].flatMap(([f, deps]) => (rel(f).startsWith(from) ? deps.filter((d) => rel(d).startsWith(to)).map((d) => `${rel(f)} -> ${rel(d)}`) : []));
      expect(bad).toEqual([]);
    });
  }

  it('src/ has no import cycle (value imports)', () => {
    expect(graph.size).toBeGreaterThan(50);
    const state = new Map<string, 'visiting' | 'done'>();
    const cycles: string[] = [];
    const visit = (f: string, path: string[]) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'visiting') {
        cycles.push([...path.slice(path.indexOf(f)), f].map(rel).join(' -> '));
        return;
      }
      state.set(f, 'visiting');
      for (const d of graph.get(f) ?? []) if (graph.has(d)) visit(d, [...path, f]);
      state.set(f, 'done');
    };
    for (const f of graph.keys()) visit(f, []);
    expect(cycles).toEqual([]);
  });
});
