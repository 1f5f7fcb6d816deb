// Deno as a second runtime for our code, offline from the `deno` npm package: the handler tests
// run under `deno test` (vitest's API mapped onto Deno.test by shim.ts), and the edge functions
// type-check under Deno's own compiler (tsc leaves functions/ out: it has no Deno types).
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { OFFLINE_FLAGS, ROOT, RUN_FLAGS, runDeno } from './deno.ts';

describe('Deno runtime', () => {
  it('the handler tests pass under `deno test` through the vitest shim (every test ran, none failed)', async () => {
    const dir = join(ROOT, 'test', 'deno', 'handlers');
    const files = (await readdir(dir)).filter((f) => f.endsWith('.test.ts')).map((f) => join('test', 'deno', 'handlers', f));
    expect(files.length).toBeGreaterThanOrEqual(2);
    // --no-check: the type check of the same graph is the `deno check` test below
    const r = await runDeno(['test', ...RUN_FLAGS, '--no-check', '--import-map', 'test/deno/import_map.json', '--allow-net', '--allow-env', '--allow-read', ...files], {
      SEAPLANE_TEST_PROVIDED: JSON.stringify({ pgAdminUrl: inject('pgAdminUrl'), pgTemplate: inject('pgTemplate') }),
    });
    console.log(`deno test: ${r.ms} ms`);
    expect(r.code, r.output).toBe(0);
    const summary = /ok \| (\d+) passed(?: \((\d+) steps?\))? \| (\d+) failed/.exec(r.output);
    expect(summary, r.output).not.toBeNull();
    expect(Number(summary?.[1])).toBe(6);
    expect(Number(summary?.[3])).toBe(0);
  });

  it('the edge functions type-check under Deno (`deno check`)', async () => {
    const r = await runDeno(['check', ...OFFLINE_FLAGS, 'functions/api/index.ts', 'functions/stripe-webhook/index.ts']);
    console.log(`deno check: ${r.ms} ms`);
    expect(r.code, r.output).toBe(0);
  });
});
